import Diagnostics
import Foundation
import Language
import Models
import Numerics
import Plotting
import Store
import Tabular

/// A modelsh session: the state, the cell log, and the pipeline every line goes through:
/// parse → bind (names checked against the state) → run on a copy → keep the copy on success.
public final class Session {
    public enum Status: Equatable {
        case ok
        case failed(ModelshError)
        case quit
    }

    public let sink: OutputSink
    public let table = CommandTable.standard
    public private(set) var state = SessionState()
    public private(set) var cells: [CellRecord] = []
    /// The figures each cell drew, by cell number, so an export can show them beside the
    /// cell's output (as SVG: `SVGRenderer.render`). Only for cells that succeeded.
    public private(set) var figures: [Int: [Figure]] = [:]
    /// Whether datasets, models or settings changed since the workspace was last saved or opened.
    public private(set) var hasUnsavedChanges = false
    /// The workspace file last opened or saved, which a notebook export names.
    public private(set) var workspacePath: String?
    /// The text of every file a running script came from, so an error deep inside nested
    /// `run`s is shown with its own line under it.
    private var sourceTexts: [String: [Substring]] = [:]
    private var runDepth = 0
    /// The states before each change, for `undo` and `redo`.
    var undoHistory = UndoHistory()
    /// Set by a command that moved through the undo history itself (`undo`, `redo`, `open`), so
    /// the change it made is not remembered as a new one.
    var undoHistoryMoved = false
    private var quitRequested = false

    /// How deeply `run` may nest before it is taken for a loop.
    static let maximumRunDepth = 16

    /// Where the registry's times come from: the system clock interactively, a fixed one for
    /// `record` and `check` so transcripts do not change with the day they are run.
    public let clock: @Sendable () -> Date
    /// Asks the user a yes/no question (`delete`); nil when no one can answer (scripts, `-c`,
    /// pipes), and a command needing an answer must then be told on its line (`confirm=yes`).
    public var confirmation: ((String) -> Bool)?
    /// Where state-changing cells are written before they run (interactive sessions only: a
    /// script or `-c` is already written down, and `record`/`check` stay deterministic).
    public var journal: SessionJournal?
    /// Set by `save workspace` and `open`, so the journal restarts beside the workspace once
    /// the cell is through.
    private var workspaceMarked = false
    /// The journal `replay` is replaying, which is no news when its workspace opens.
    var replayingJournal: String?

    public init(sink: OutputSink, clock: @escaping @Sendable () -> Date = { Date() }) {
        BLASThreads.runInCallerThread()
        BLASThreads.chooseKernels()
        self.sink = sink
        self.clock = clock
    }

    public var nextCellNumber: Int { (cells.last?.number ?? 0) + 1 }

    /// Runs `source` (one line, several `;`-separated statements, or a whole statement spanning
    /// continuation lines) as one cell per statement. `file` is nil for interactive input.
    @discardableResult
    public func execute(_ source: String, file: String? = nil, firstLine: Int = 1) -> Status {
        var working = state
        let status = execute(source, file: file, firstLine: firstLine, state: &working, asCells: true)
        state = working
        return status
    }

    /// What running a script's statements came to.
    public struct ScriptOutcome: Sendable {
        /// Whether any statement failed (with `bail off` the script went on after it).
        public var failed = false
        /// The failure that stopped the script (`bail on`), if one did.
        public var stoppedBy: ModelshError?
        /// The line of the `quit` that ended it early, if one did.
        public var quitAt: Int?
    }

    /// Runs `script`'s statements as cells, in order, stopping at `quit`, at Ctrl-C (an
    /// interrupted statement, or one pressed while a statement that does not watch for it ran,
    /// seen before the next), or, with `bail on`, at the first failure: what `modelsh FILE`,
    /// `-c`, `record` and `check` share. `line` gives
    /// each entry's first line (`record` numbers them as the file it writes will); `afterEach`
    /// sees each entry that ran, by index, once it has run.
    public func run(_ script: Script, named file: String, line: ((Int) -> Int)? = nil,
                    afterEach: (Int) -> Void = { _ in }) -> ScriptOutcome {
        var outcome = ScriptOutcome()
        for (index, entry) in script.entries.enumerated() {
            // Asked once: `record`'s numbering counts the lines above as it is asked.
            let firstLine = line?(index) ?? entry.line
            if let error = interruptionBeforeStatement(file: file, line: firstLine) {
                outcome.failed = true
                outcome.stoppedBy = error
                break
            }
            let status = execute(entry.source, file: file, firstLine: firstLine)
            afterEach(index)
            if status == .quit {
                outcome.quitAt = entry.line
                break
            }
            if case .failed(let error) = status {
                outcome.failed = true
                if status.stopsAScript(bail: state.settings.bail) {
                    outcome.stoppedBy = error
                    break
                }
            }
        }
        return outcome
    }

    /// The error, printed, that stops a script at the statement at `file`:`line` when Ctrl-C was
    /// pressed since the statement before it ran (while one that does not watch for it ran, or
    /// while input was awaited); nil when it was not.
    public func interruptionBeforeStatement(file: String, line: Int) -> ModelshError? {
        guard Interruption.isRequested else { return nil }
        Interruption.clear()
        let error = ModelshError(.interrupted, "interrupted before this statement", at: SourceLocation(file: file, line: line, column: 1))
        printError(render(error))
        return error
    }

    /// The statement-running loop shared by top-level input and nested `run`; nested
    /// statements are not cells of their own, their output belongs to the `run` cell.
    func execute(_ source: String, file: String?, firstLine: Int, state: inout SessionState, asCells: Bool) -> Status {
        remember(source, file: file, firstLine: firstLine)
        let statements: [CommandSyntax]
        do {
            switch try Parser.parse(source, file: file, firstLine: firstLine) {
            case .statements(let parsed):
                statements = parsed
            case .incomplete(let reason):
                let location = SourceLocation(file: file, line: firstLine, column: 1)
                throw ModelshError.usage("incomplete command (\(reason))", at: location)
            }
        } catch let error as ModelshError {
            if asCells { cellOutput = [] }
            printError(render(error))
            if asCells { logCell(input: source, succeeded: false) }
            return .failed(error)
        } catch {
            preconditionFailure("the parser throws only ModelshError")
        }
        // With `bail off` a script goes on after a failure, but the failure is still reported,
        // so `modelsh FILE` exits 65 and a CI job sees it.
        var firstFailure: Status?
        for statement in statements {
            if asCells { cellOutput = [] }
            let started = ContinuousClock.now
            let before = state
            undoHistoryMoved = false
            var status = run(statement, state: &state)
            let duration = started.duration(to: .now)
            if state.settings.timer, asCells {
                // On stderr and outside the cell log, so a transcript's recorded output stays the same.
                sink.error("time: \(NumberFormat.seconds(duration))")
            }
            if asCells { logCell(input: statement.source, succeeded: !status.isFailure, duration: duration) }
            if status == .quit { return .quit }
            if asCells, !status.isFailure { rememberForUndo(before, changedBy: statement.source, into: state) }
            if asCells, !status.isFailure { status = runScheduledCells(state: &state) }
            if status.isFailure, file == nil || status.stopsAScript(bail: state.settings.bail) { return status }
            if status.isFailure, firstFailure == nil { firstFailure = status }
        }
        return firstFailure ?? .ok
    }

    private func run(_ statement: CommandSyntax, state: inout SessionState) -> Status {
        let context = CommandContext(state: state, session: self)
        // `open` replaces the cell log and the undo history and `save workspace` clears the unsaved
        // flag as they run; when the command fails after all (a `run` script stopping later), all
        // of it goes back too.
        let (cellsBefore, figuresBefore, unsavedBefore) = (cells, figures, hasUnsavedChanges)
        let (undoBefore, workspaceBefore) = (undoHistory, workspacePath)
        if runDepth == 0 { workspaceMarked = false }
        var journaledCell: Int?
        func failed(_ error: ModelshError, shown: Bool) -> Status {
            (cells, figures, hasUnsavedChanges, scheduledCells) = (cellsBefore, figuresBefore, unsavedBefore, [])
            (undoHistory, workspacePath) = (undoBefore, workspaceBefore)
            if !shown { printError(render(error)) }
            if let journaledCell { writeJournal { try $0.end(cell: journaledCell, committed: false) } }
            return .failed(error)
        }
        do {
            let invocation = try Binder(table: table, variables: state.variables).bind(statement)
            if runDepth == 0, SessionJournal.keeps(invocation.spec) {
                journaledCell = nextCellNumber
                writeJournal { try $0.begin(cell: nextCellNumber, source: statement.source) }
            }
            // Figures a command formats at the default precision follow `set digits`; fits
            // size their designs by `set memory`.
            try NumberFormat.$defaultDigits.withValue(state.settings.digits) {
                try MemoryLimit.$bytes.withValue(state.settings.memory) { try invocation.form.handler(invocation, context) }
            }
            state = context.state
            if invocation.spec.changesState { hasUnsavedChanges = true }
            if let journaledCell { writeJournal { try $0.end(cell: journaledCell, committed: true) } }
            if runDepth == 0, workspaceMarked, let workspacePath { restartJournal(beside: workspacePath) }
            if quitRequested {
                quitRequested = false
                return .quit
            }
            return .ok
        } catch let error as ModelshError {
            return failed(error.located(at: statement.verbLocation), shown: false)
        } catch let failure as NestedScriptFailure {
            return failed(failure.error, shown: true)
        } catch {
            return failed(ModelshError(.software, "internal error: \(error)", at: statement.verbLocation), shown: false)
        }
    }

    // MARK: - Output and the cell log

    /// What the current cell has printed and drawn, for the cell log.
    private var cellOutput: [String] = []
    private var cellFigures: [Figure] = []

    func keep(_ figure: Figure) { cellFigures.append(figure) }

    func print(_ text: String) {
        sink.output(text)
        cellOutput.append(text)
    }

    func printError(_ text: String) {
        sink.error(text)
        cellOutput.append(text)
    }

    private func logCell(input: String, succeeded: Bool, duration: Duration? = nil) {
        if succeeded, !cellFigures.isEmpty { figures[nextCellNumber] = cellFigures }
        cellFigures = []
        cells.append(CellRecord(number: nextCellNumber, input: input, output: cellOutput.joined(separator: "\n"),
                                succeeded: succeeded, duration: duration))
    }

    /// The error with the line it points into and a caret under the offending token.
    public func render(_ error: ModelshError) -> String {
        DiagnosticRenderer.render(error, sourceLine: error.location.flatMap(sourceLine(at:)))
    }

    private func remember(_ source: String, file: String?, firstLine: Int) {
        let key = file ?? ""
        // Interactive input is one statement at a time; a script is remembered statement by
        // statement, each at its own line numbers, keeping what came before.
        // Taken out of the dictionary so it is not copied for each statement of a long script.
        var lines = sourceTexts.removeValue(forKey: key).flatMap { file == nil ? nil : $0 } ?? []
        let statementLines = source.split(separator: "\n", omittingEmptySubsequences: false)
        let needed = firstLine - 1 + statementLines.count
        if lines.count < needed { lines += Array(repeating: "", count: needed - lines.count) }
        for (offset, line) in statementLines.enumerated() { lines[firstLine - 1 + offset] = line }
        sourceTexts[key] = lines
    }

    private func sourceLine(at location: SourceLocation) -> String? {
        guard let lines = sourceTexts[location.file ?? ""], location.line >= 1, location.line <= lines.count else { return nil }
        return String(lines[location.line - 1])
    }

    // MARK: - Commands that act on the session itself

    /// Runs the script at `path` inside the current command (the `run` command). Its statements
    /// are not cells of their own: their output is the `run` cell's output.
    func runScript(at path: String, context: CommandContext) throws {
        guard runDepth < Session.maximumRunDepth else {
            throw ModelshError.usage("scripts nested more than \(Session.maximumRunDepth) deep (does '\(path)' run itself?)")
        }
        let script = try Script.read(path: path)
        runDepth += 1
        defer { runDepth -= 1 }
        for entry in script.entries {
            try Interruption.check()
            let status = execute(entry.source, file: path, firstLine: entry.line, state: &context.state, asCells: false)
            if case .failed(let error) = status, context.state.settings.bail {
                throw NestedScriptFailure(error: error)
            }
            if status == .quit { break }
        }
    }

    func requestQuit() { quitRequested = true }

    /// Cells that `rerun` chose, to run as new cells once its own cell is logged.
    var scheduledCells: [CellRecord] = []

    /// Runs the cells `rerun` scheduled, in order, as new cells; a failure stops them with
    /// `bail on`, as it stops a script. Errors point into the cell they came from (`cell 3:1:6`).
    private func runScheduledCells(state: inout SessionState) -> Status {
        let scheduled = scheduledCells
        scheduledCells = []
        var firstFailure: Status?
        for cell in scheduled {
            // The input, as a prompt would have shown it, so the output below it has a heading.
            let prefix = "[\(nextCellNumber)]> "
            let lines = cell.input.split(separator: "\n", omittingEmptySubsequences: false).map { TerminalText.escaped(String($0)) }
            sink.output(prefix + lines.joined(separator: "\n" + String(repeating: " ", count: prefix.count)))
            let status = execute(cell.input, file: "cell \(cell.number)", firstLine: 1, state: &state, asCells: true)
            if status == .quit { return .quit }
            if status.isFailure, firstFailure == nil { firstFailure = status }
            if status.isFailure, state.settings.bail { break }
        }
        return firstFailure ?? .ok
    }

    /// Whether a script run by `run` is running (where `rerun` would have no cells to make).
    var isRunningScript: Bool { runDepth > 0 }

    /// Replaces everything with an opened workspace's contents.
    func restore(_ contents: WorkspaceContents, into context: CommandContext) throws {
        var variables = Variables()
        for item in contents.datasets { try variables.set(item.name, item.dataset) }
        try variables.restore(contents.registry)
        context.state.variables = variables
        context.state.settings = try context.state.settings.restoring(contents.settings)
        cells = contents.cells
        figures = [:]
        // The cell log the earlier states belong to is gone, so they go too: `open` is not undone.
        undoHistory.forget()
        undoHistoryMoved = true
    }

    func markSaved(as path: String) {
        hasUnsavedChanges = false
        workspacePath = path
        workspaceMarked = true
    }

    /// Asks `question` through `confirmation` (nil when no one can answer) and journals the
    /// answer, so a replay of the cell answers as the user did.
    func ask(_ question: String) -> Bool? {
        guard let confirmation else { return nil }
        let answer = confirmation(question)
        writeJournal { try $0.record(answer: answer) }
        return answer
    }

    // MARK: - The journal

    /// A journal that cannot be written is given up, with a warning, rather than failing the
    /// work it was there to protect.
    private func writeJournal(_ write: (SessionJournal) throws -> Void) {
        guard let journal else { return }
        do {
            try write(journal)
        } catch {
            let reason = (error as? ModelshError)?.message ?? "\(error)"
            sink.error("warning: \(reason); this session is no longer journaled (save workspace keeps its work)")
            journal.discard()
            self.journal = nil
        }
    }

    private func restartJournal(beside workspace: String) {
        guard let orphan = journal?.restart(beside: workspace), orphan.path != replayingJournal else { return }
        let count = orphan.committedCells.count
        sink.error("note: \"\(orphan.path)\" holds \(count) cell\(count == 1 ? "" : "s") of a session that ended without quitting; 'modelsh --recover \"\(orphan.path)\"' replays them")
    }

    /// Keeps the state a cell changed, for `undo`; a cell that changed nothing (or failed) is
    /// not an undo step.
    private func rememberForUndo(_ before: SessionState, changedBy command: String, into after: SessionState) {
        guard !undoHistoryMoved, before != after else { return }
        undoHistory.record(before, changedBy: command, into: after, budget: after.settings.undoMegabytes * 1_048_576)
    }

    /// What `save workspace` writes: everything, the cell log included.
    func contents(of state: SessionState) -> WorkspaceContents {
        let variables = state.variables
        var contents = WorkspaceContents()
        contents.datasets = variables.datasetNames.map { NamedDataset(name: $0, dataset: variables.dataset($0)!) }
        contents.registry = variables.registry
        contents.cells = cells
        contents.settings = state.settings.stored
        return contents
    }
}

/// A nested script stopped at an error that was already shown where it happened.
struct NestedScriptFailure: Error {
    let error: ModelshError
}

extension Session.Status {
    var isFailure: Bool {
        if case .failed = self { return true }
        return false
    }

    /// Whether a script stops at this statement's status: at a failure with `bail` on, and at
    /// Ctrl-C whatever `bail` says.
    public func stopsAScript(bail: Bool) -> Bool {
        guard case .failed(let error) = self else { return false }
        return bail || error.category == .interrupted
    }
}
