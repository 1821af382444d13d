import Diagnostics
import Foundation

/// `modelsh --recover`: rebuilding a session from the journal a crashed one left.
extension Session {
    /// What a replay came to.
    public struct Recovery {
        public var replayed = 0
        public var failed: [JournalFile.Cell] = []
        /// The cell that was running when the session ended: its change never took effect, and
        /// it is not run again (it may be what ended the session).
        public var unfinished: JournalFile.Cell?
    }

    /// Opens the journal's workspace (if it had one) and runs its committed cells again, in the
    /// directory they first ran in, each shown as a prompt would have shown it. Cells that
    /// asked a question get the answers the user gave; files they read are read as they are now.
    public func replay(_ journal: JournalFile) -> Recovery {
        var recovery = Recovery()
        replayingJournal = journal.path
        defer { replayingJournal = nil }
        let cells = journal.committedCells
        sink.output("recovering \(cells.count) cell\(cells.count == 1 ? "" : "s") from \"\(journal.path)\" (modelsh \(journal.version), started \(journal.started) in \(journal.directory))")
        if FileManager.default.currentDirectoryPath != journal.directory,
           !FileManager.default.changeCurrentDirectoryPath(journal.directory) {
            sink.error("warning: cannot go to \(journal.directory); replaying in \(FileManager.default.currentDirectoryPath)")
        }
        if let workspace = journal.workspace {
            let literal = workspace.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            let opened = replayCell("open \"\(literal)\"", answers: [])
            guard opened else {
                recovery.failed = cells
                return recovery
            }
        }
        for cell in cells {
            if replayCell(cell.source, answers: cell.answers) {
                recovery.replayed += 1
            } else {
                recovery.failed.append(cell)
            }
        }
        recovery.unfinished = journal.cells.last.flatMap { $0.outcome == .unfinished ? $0 : nil }
        let failures = recovery.failed.isEmpty ? "" : "; \(recovery.failed.count) failed now: " + recovery.failed.map { "[\($0.number)] \($0.source)" }.joined(separator: ", ")
        let unfinished = recovery.unfinished.map { "; not replayed, as it was running when the session ended: [\($0.number)] \($0.source)" } ?? ""
        sink.output("recovered \(recovery.replayed) of \(cells.count) cell\(cells.count == 1 ? "" : "s")\(failures)\(unfinished)")
        return recovery
    }

    /// Runs one cell under a heading, answering its questions from `answers`; true if it succeeded.
    private func replayCell(_ source: String, answers: [Bool]) -> Bool {
        let prefix = "[\(nextCellNumber)]> "
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map { TerminalText.escaped(String($0)) }
        sink.output(prefix + lines.joined(separator: "\n" + String(repeating: " ", count: prefix.count)))
        let asking = confirmation
        var remaining = answers[...]
        confirmation = { _ in remaining.popFirst() ?? false }
        defer { confirmation = asking }
        return !execute(source).isFailure
    }
}
