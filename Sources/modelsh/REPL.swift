import ArgumentParser
import Diagnostics
import Foundation
import Language
import LineEditor
import Shell
import Tabular

/// The interactive loop: prompt with the cell number, continuation lines until a statement is
/// complete, one history entry per statement, Ctrl-C to abandon a line, Ctrl-D to leave.
/// When standard input is not a terminal, lines are read plainly and run as a script named
/// `<stdin>` (errors stop it unless `set bail off`; Ctrl-C stops the running command, as in the
/// shell, then the script, exit status 130).
struct REPL {
    let session: Session
    let sink: TerminalSink
    /// The journal of a crashed session to replay first (`modelsh --recover`).
    var recovering: JournalFile?

    static let banner = "modelsh \(ModelshVersion.current): type 'help' for commands, 'run \"tour.msh\"' for a tour, Ctrl-D to quit."

    func run() throws {
        var recovering = self.recovering
        let interactive = StandardInput.isTerminal
        let reader: LineReading
        // The lines of the statement typed so far, so completion on a continuation line sees them.
        let pending = PendingStatement()
        if interactive, let editor = EditLineReader(
            programName: "modelsh",
            historyFile: HistoryLocation.defaultPath(environment: ProcessInfo.processInfo.environment),
            completer: { [session] text in
                let statement = pending.text.isEmpty ? text : pending.text + "\n" + text
                let completion = Completion.candidates(for: statement, in: session)
                return CompletionResult(replacing: completion.replacing, candidates: completion.candidates)
            }) {
            reader = editor
            sink.output(REPL.banner)
            session.confirmation = { question in
                guard case .line(let answer) = editor.readLine(prompt: question + " [y/N] ") else { return false }
                return ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
            }
            if recovering == nil, let orphan = JournalRecovery.orphans().first {
                recovering = offer(orphan)
            }
        } else {
            reader = PlainLineReader()
            Interruption.installHandler()
        }
        // Typed or piped input is written down nowhere else; a clean end leaves no journal.
        session.journal = JournalRecovery.stateDirectory.map(SessionJournal.init(stateDirectory:))
        defer { session.journal?.discard() }
        if let recovering { JournalRecovery.recover(recovering, into: session) }
        let file = interactive ? nil : "<stdin>"
        /// Piped input is a script: Ctrl-C pressed since its last statement ran (or while the
        /// next line was awaited, or as the input ended) stops it before the statement at `line`.
        func stopIfInterrupted(beforeLine line: Int) throws {
            if let file, session.interruptionBeforeStatement(file: file, line: line) != nil { throw interruptedExitCode }
        }
        var statement = ""
        var statementLine = 1
        var linesRead = 0
        var warnedAboutUnsaved = false
        var failed = false

        reading: while true {
            pending.text = statement
            let prompt = statement.isEmpty ? "modelsh [\(session.nextCellNumber)]> " : "   ...> "
            // What the last command freed goes back while the user thinks.
            FreedMemory.returnToSystem()
            switch reader.readLine(prompt: prompt) {
            case .interrupted:
                try stopIfInterrupted(beforeLine: linesRead + 1)
                statement = ""  // the reader has already cleared the interrupt request
            case .endOfInput:
                try stopIfInterrupted(beforeLine: linesRead + 1)
                if !statement.isEmpty {
                    // The input ended inside a statement: let the parser say what is open.
                    let status = session.execute(statement, file: file, firstLine: statementLine)
                    if case .failed = status, !interactive { failed = true }
                    statement = ""
                }
                if interactive, warnAboutUnsavedChanges(&warnedAboutUnsaved) { continue }
                if failed { throw failedScriptExitCode }
                return
            case .line(let line):
                linesRead += 1
                if statement.isEmpty { statementLine = linesRead }
                statement = statement.isEmpty ? line : statement + "\n" + line
                if Parser.needsMoreInput(statement) { continue }
                if statement.trimmingCharacters(in: .whitespaces).isEmpty {
                    statement = ""
                    continue
                }
                if interactive { reader.addToHistory(statement) }
                // No clearing here: a Ctrl-C pressed since the line was read belongs to this
                // command (the reader clears requests made at the prompt itself).
                try stopIfInterrupted(beforeLine: statementLine)
                let status = session.execute(statement, file: file, firstLine: statementLine)
                statement = ""
                if case .failed(let error) = status, !interactive {
                    failed = true
                    if error.category == .interrupted { throw interruptedExitCode }
                    if status.stopsAScript(bail: session.state.settings.bail) { break reading }
                }
                if status == .quit {
                    if interactive, warnAboutUnsavedChanges(&warnedAboutUnsaved) { continue }
                    break reading
                }
            }
        }
        if failed { throw failedScriptExitCode }
    }

    /// Asks whether to replay a crashed session's journal; nil when the answer is no.
    private func offer(_ orphan: JournalFile) -> JournalFile? {
        let count = orphan.committedCells.count
        sink.output("\"\(orphan.path)\" holds \(count) cell\(count == 1 ? "" : "s") of a session that ended without quitting (started \(orphan.started)).")
        if session.confirmation?("Recover \(count == 1 ? "it" : "them")?") == true { return orphan }
        sink.output("kept it: 'modelsh --recover \"\(orphan.path)\"' replays it later")
        return nil
    }

    /// Warns once that leaving now loses unsaved work; true if it warned (so stay).
    private func warnAboutUnsavedChanges(_ warned: inout Bool) -> Bool {
        guard session.hasUnsavedChanges, !warned else { return false }
        warned = true
        sink.error("warning: unsaved changes (save workspace \"FILE.msw\" keeps them); quit or Ctrl-D again to leave")
        return true
    }
}

/// The statement being typed, shared between the loop and the completer.
private final class PendingStatement {
    var text = ""
}
