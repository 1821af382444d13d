import Models
import Tabular

/// `help` output, generated from the command table so it cannot drift from what runs.
public enum HelpText {
    public static func overview(_ table: CommandTable) -> String {
        var lines: [String] = []
        let width = table.commands.map(\.name.count).max() ?? 8
        for category in CommandCategory.allCases {
            let commands = table.commands.filter { $0.category == category }
            guard !commands.isEmpty else { continue }
            lines.append("\(category.rawValue):")
            for command in commands {
                lines.append("  " + command.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + command.summary)
            }
        }
        lines.append("Type 'help COMMAND' for a command's forms, options and an example.")
        return lines.joined(separator: "\n")
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
