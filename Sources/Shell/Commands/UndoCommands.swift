import Diagnostics

/// Commands that step back and forth through the states the session's commands made.
enum UndoCommands {
    static let all: [CommandSpec] = [undo, redo]

    static let undo = CommandSpec(
        "undo", category: .session,
        summary: "Undo the last command that changed datasets, models or settings",
        details: """
        Puts datasets, models (with the registry) and settings back as they were before the last
        command that changed them; a failed command changed nothing, so it is skipped. Cells
        stay in the log (`undo` is a cell too). Earlier states share unchanged data, and are kept
        within `set undo` megabytes (at most 100 of them). `open` starts a new history: it
        cannot be undone. Files written by a command (`save`, `write`, `export`) stay written.
        """,
        example: "undo",
        changesState: true,
        forms: [CommandForm([]) { _, context in
            try step(context, "undo") { $0.undo(from: context.state) }
        }])

    static let redo = CommandSpec(
        "redo", category: .session,
        summary: "Apply again the change the last undo took back",
        details: "Re-applies, in order, the changes `undo` took back; any other change to the session forgets them.",
        example: "redo",
        changesState: true,
        forms: [CommandForm([]) { _, context in
            let budget = context.state.settings.undoMegabytes * 1_048_576
            try step(context, "redo") { $0.redo(from: context.state, budget: budget) }
        }])

    /// Moves through the session's undo history and says which command's change moved.
    private static func step(_ context: CommandContext, _ verb: String,
                             _ move: (inout UndoHistory) -> (state: SessionState, command: String)?) throws {
        let session = context.session
        guard !session.isRunningScript else {
            throw ModelshError.usage("\(verb) steps through this session's commands; a script run by `run` cannot use it")
        }
        session.undoHistoryMoved = true
        guard let (state, command) = move(&session.undoHistory) else {
            return context.emit("nothing to \(verb)")
        }
        context.state = state
        let left = verb == "undo" ? session.undoHistory.undoCount : session.undoHistory.redoCount
        let firstLine = command.split(separator: "\n").first.map(String.init) ?? command
        context.emit("\(verb == "undo" ? "undid" : "redid"): \(TerminalText.escaped(firstLine)) (\(left) more to \(verb))")
    }
}
