import Foundation
import Models
import Tabular

/// `help` output, generated from the command table so it cannot drift from what runs.
public enum HelpText {
    public static func overview(_ table: CommandTable) -> String {
        // One width for every topic, so the summaries line up down the page.
        let width = table.commands.map(\.name.count).max() ?? 8
        var lines = topics(table).map { topic in
            listing(table.commands.filter { $0.category == topic }, heading: "\(topic.rawValue):", width: width)
        }
        lines.append("Type 'help COMMAND' for a command's forms, options and an example, 'help topics' for the")
        lines.append("topics, 'apropos WORD' to find the commands that mention a word.")
        return lines.joined(separator: "\n")
    }

    /// The topics that have commands, in `help`'s order.
    static func topics(_ table: CommandTable) -> [CommandCategory] {
        CommandCategory.allCases.filter { category in table.commands.contains { $0.category == category } }
    }

    /// What `help` takes besides command names: each topic's word, and `topics`.
    static func topicWords(_ table: CommandTable) -> [String] {
        topics(table).map(\.topic) + ["topics"]
    }

    /// `help topics`: each topic's word and its commands.
    static func topicList(_ table: CommandTable) -> String {
        let topics = topics(table)
        let width = topics.map(\.topic.count).max() ?? 0
        var lines = ["Topics ('help TOPIC' lists a topic's commands):"]
        for topic in topics {
            let names = table.commands.filter { $0.category == topic }.map(\.name)
            lines.append("  " + topic.topic.padding(toLength: width + 2, withPad: " ", startingAt: 0) + names.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }

    /// `help TOPIC`: the topic's commands with their summaries.
    static func topic(_ category: CommandCategory, in table: CommandTable) -> String {
        listing(table.commands.filter { $0.category == category }, heading: "\(category.rawValue):")
    }

    /// The commands whose name, alias, summary, details or options mention `word` (ignoring case).
    static func apropos(_ word: String, _ table: CommandTable) -> [CommandSpec] {
        table.commands.filter { command in
            let options = command.forms.flatMap(\.options).flatMap { [$0.name, $0.help] }
            let texts = [command.name, command.summary, command.details] + command.aliases + options
            return texts.contains { $0.localizedCaseInsensitiveContains(word) }
        }
    }

    /// `heading`, then one line per command: its name and summary.
    static func listing(_ commands: [CommandSpec], heading: String, width: Int? = nil) -> String {
        let width = width ?? commands.map(\.name.count).max() ?? 0
        return ([heading] + commands.map { "  " + $0.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.summary }).joined(separator: "\n")
    }

    public static func command(_ spec: CommandSpec) -> String {
        var lines = ["\(spec.name) — \(spec.summary)", ""]
        lines += spec.usageLines.map { "  " + $0 }
        if !spec.aliases.isEmpty { lines.append("  (also: \(spec.aliases.joined(separator: ", ")))") }
        lines += ["", spec.details]
        // Forms of one command share options (plot's by=): each is listed once.
        var seen = Set<String>()
        let options = spec.forms.flatMap(\.options).filter { seen.insert($0.name).inserted }
        if !options.isEmpty {
            lines += ["", "Options:"]
            let width = options.map(\.name.count).max()! + 1
            for option in options {
                lines.append("  " + (option.name + "=").padding(toLength: width + 2, withPad: " ", startingAt: 0) + option.help)
            }
        }
        if spec.forms.contains(where: { $0.modelKindOptionsFrom != nil }) { lines += kindSections() }
        lines += ["", "Example:"] + spec.example.split(separator: "\n").map { "  " + $0 }
        return lines.joined(separator: "\n")
    }
}

extension HelpText {
    /// For commands that take a model kind: the kinds, the preprocessing options with the kinds
    /// that take them, then each kind's own options.
    static func kindSections() -> [String] {
        let kinds = ModelCatalogue.kinds
        let nameWidth = kinds.map(\.name.count).max()! + 2
        var lines = ["", "Kinds:"] + kinds.map { "  " + $0.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + $0.summary }
        let common = CommonOption.allCases.map(\.rawValue)
        let commonSpecs = common.compactMap { name in kinds.lazy.compactMap { $0.options.first { $0.name == name } }.first }
        let width = kinds.flatMap(\.options).map(\.name.count).max()! + 3
        func line(_ option: ModelOptionSpec, _ note: String = "") -> String {
            "  " + (option.name + "=").padding(toLength: width, withPad: " ", startingAt: 0) + option.help + note
        }
        lines += ["", "Preprocessing options:"]
        for option in commonSpecs {
            let takers = kinds.filter { $0.options.contains { $0.name == option.name } }.map(\.name)
            lines.append(line(option, takers.count == kinds.count ? "" : " [\(takers.joined(separator: ", "))]"))
        }
        for kind in kinds {
            let own = kind.options.filter { !common.contains($0.name) }
            guard !own.isEmpty else { continue }
            lines += ["", "Options of \(kind.name):"] + own.map { line($0) }
        }
        return lines
    }

    /// The README's command reference, generated so the README cannot drift from the table
    /// (a test compares the two; `modelsh reference` prints this).
    public static func markdownReference(_ table: CommandTable) -> String {
        var lines: [String] = []
        for category in CommandCategory.allCases {
            let commands = table.commands.filter { $0.category == category }
            guard !commands.isEmpty else { continue }
            lines += ["", "**\(category.rawValue)**", ""]
            for command in commands {
                let aliases = command.aliases.isEmpty ? "" : " (also `\(command.aliases.joined(separator: "`, `"))`)"
                lines.append("- `\(command.name)`\(aliases) — \(command.summary).")
                lines += command.usageLines.map { "  `\($0)`" }
            }
        }
        return lines.dropFirst().joined(separator: "\n")
    }
}
