import Diagnostics
import Language
import Store

/// Commands that look back at the session's cells: show one's output again, run some again.
enum CellCommands {
    static let all: [CommandSpec] = [out, rerun]

    static let out = CommandSpec(
        "out", category: .session,
        summary: "Show a cell's output again",
        details: "Prints what cell N printed when it ran (its errors too), as `history` numbers the cells.",
        example: "out 2",
        changesState: false,
        forms: [CommandForm([.value(name: "CELL", kind: .integer(minimum: 1))]) { invocation, context in
            let number = invocation.integer("CELL")!
            let cell = try invocation.at("CELL") { try CellCommands.cells(number...number, of: context.session)[0] }
            guard !cell.output.isEmpty else { return context.emit("(cell \(number) printed nothing)") }
            // Escaped again: the text may come from an opened workspace file.
            context.emit(cell.output.split(separator: "\n", omittingEmptySubsequences: false).map { TerminalText.escaped(String($0)) }.joined(separator: "\n"))
        }])

    static let rerun = CommandSpec(
        "rerun", category: .session,
        summary: "Run cells again, in order, as new cells",
        details: """
        Runs the input of cell N, or of cells N to M, again as new cells after this one, each
        shown with its new number. As in a script, the first failure stops the rest (unless `set
        bail off`), and errors point into the cell they came from (`cell 3:1:6: error: …`). A
        cell that is itself a rerun is refused, so reruns cannot loop.
        """,
        example: "rerun 2\nrerun 2..3",
        changesState: true,
        forms: [CommandForm([.value(name: "CELLS", kind: .cells)]) { invocation, context in
            let session = context.session
            guard !session.isRunningScript else {
                throw ModelshError.usage("rerun runs this session's cells; a script run by `run` cannot use it")
            }
            let range = invocation.cellRange("CELLS")!
            let cells = try invocation.at("CELLS") { try CellCommands.cells(range, of: session) }
            for cell in cells where isRerun(cell.input, table: session.table) {
                throw ModelshError.usage("cell \(cell.number) is a rerun itself; rerun the cells it ran instead", at: invocation.location("CELLS"))
            }
            let first = session.nextCellNumber + 1
            let runs = cells.count == 1 ? "cell \(range.lowerBound) as cell \(first)"
                : "cells \(range.lowerBound)..\(range.upperBound) as cells \(first)..\(first + cells.count - 1)"
            context.emit("rerunning \(runs)")
            session.scheduledCells = cells
        }])

    /// The cells numbered `range`, or an error naming the first number that is not a cell.
    static func cells(_ range: ClosedRange<Int>, of session: Session) throws -> [CellRecord] {
        let byNumber = Dictionary(session.cells.map { ($0.number, $0) }, uniquingKeysWith: { first, _ in first })
        return try range.map { number in
            if let cell = byNumber[number] { return cell }
            let known = session.cells.isEmpty ? "there are no cells yet"
                : "cells are \(session.cells.first!.number) to \(session.cells.last!.number)"
            if number == session.nextCellNumber { throw ModelshError.usage("cell \(number) is this command itself (\(known))") }
            throw ModelshError.usage("no cell \(number) (\(known))")
        }
    }

    /// Whether `input` is a `rerun` command (or one would be, once parsed).
    private static func isRerun(_ input: String, table: CommandTable) -> Bool {
        guard case .statements(let statements)? = try? Parser.parse(input) else { return false }
        return statements.contains { table.command(named: $0.verb)?.name == "rerun" }
    }
}
