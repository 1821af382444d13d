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
        let options = spec.forms.flatMap(\.options)
        if !options.isEmpty {
            lines += ["", "Options:"]
            let width = options.map(\.name.count).max()! + 1
            for option in options {
                lines.append("  " + (option.name + "=").padding(toLength: width + 2, withPad: " ", startingAt: 0) + option.help)
            }
        }
        if spec.forms.contains(where: { $0.modelKindOptionsFrom != nil }) {
            for kind in ModelCatalogue.kinds where !kind.options.isEmpty {
                lines += ["", "Options of \(kind.name):"]
                for option in kind.options { lines.append("  \(option.name)=  \(option.help)") }
            }
        }
        lines += ["", "Example:"] + spec.example.split(separator: "\n").map { "  " + $0 }
        return lines.joined(separator: "\n")
    }
}

extension HelpText {
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
