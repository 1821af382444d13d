import Diagnostics

/// The one table of commands. Help, usage messages, tab completion and "did you mean" all come
/// from it; adding a command is adding a row in one of the `Commands/` files.
public struct CommandTable: Sendable {
    public let commands: [CommandSpec]

    public static let standard = CommandTable(commands:
        DataCommands.all + TransformCommands.all + ModelCommands.all + SelectionCommands.all + OptimisationCommands.all + RegistryCommands.all
        + MonitoringCommands.all + PlotCommands.all
        + WorkspaceCommands.all + SessionCommands.all)

    public func command(named name: String) -> CommandSpec? {
        commands.first { $0.name == name || $0.aliases.contains(name) }
    }

    /// The command called `name`, or the one message for an unknown command.
    public func requireCommand(named name: String) throws -> CommandSpec {
        if let spec = command(named: name) { return spec }
        throw ModelshError.usage(EditDistance.unknown("command", name, among: allNames, listing: "type 'help' for the list"))
    }

    /// Every name and alias, for suggestions and completion.
    public var allNames: [String] { commands.flatMap { [$0.name] + $0.aliases } }

    /// The fixed words the forms use, and `as`; `Identifier.keywords` must list the same.
    var formKeywords: Set<String> {
        var words: Set<String> = ["as"]
        for command in commands {
            for form in command.forms {
                for case .keyword(let word) in form.slots { words.insert(word) }
            }
        }
        return words
    }
}
