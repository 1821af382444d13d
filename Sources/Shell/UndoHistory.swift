import Tabular

/// The states before each command that changed the session (`undo`) and the states undone
/// since the last change (`redo`). States are values whose datasets share their columns
/// copy-on-write, so a kept state costs only the columns no newer state has; that estimate is
/// what the memory budget (`set undo`) bounds, oldest states going first.
struct UndoHistory: Sendable {
    /// The most states kept whatever their size, so a long session of small changes stays small.
    static let maximumDepth = 100

    private struct Entry: Sendable {
        var state: SessionState
        /// Roughly how many bytes keeping `state` costs beyond the state after it.
        var uniqueBytes: Int
        /// The command that changed `state` into the one after it, to say what `undo` undid.
        var command: String
    }

    private var undoable: [Entry] = []
    private var redoable: [Entry] = []

    var undoCount: Int { undoable.count }
    var redoCount: Int { redoable.count }
    var undoBytes: Int { undoable.reduce(0) { $0 + $1.uniqueBytes } }

    /// Remembers `before`, the state `command` changed into `after`; a new change forgets what
    /// was undone. A budget of 0 keeps nothing.
    mutating func record(_ before: SessionState, changedBy command: String, into after: SessionState, budget: Int) {
        redoable = []
        undoable.append(Entry(state: before, uniqueBytes: Self.uniqueBytes(of: before, beside: after), command: command))
        trim(toBudget: budget)
    }

    /// The state before the last change, with the command that made that change; `current`
    /// becomes redoable. Nil when there is nothing to undo.
    mutating func undo(from current: SessionState) -> (state: SessionState, command: String)? {
        guard let last = undoable.popLast() else { return nil }
        redoable.append(Entry(state: current, uniqueBytes: Self.uniqueBytes(of: current, beside: last.state), command: last.command))
        return (last.state, last.command)
    }

    /// The state the last `undo` left, with the command that makes it; nil when nothing is undone.
    mutating func redo(from current: SessionState, budget: Int) -> (state: SessionState, command: String)? {
        guard let next = redoable.popLast() else { return nil }
        undoable.append(Entry(state: current, uniqueBytes: Self.uniqueBytes(of: current, beside: next.state), command: next.command))
        trim(toBudget: budget)
        return (next.state, next.command)
    }

    mutating func forget() {
        undoable = []
        redoable = []
    }

    private mutating func trim(toBudget budget: Int) {
        var total = undoBytes
        while let oldest = undoable.first, undoable.count > Self.maximumDepth || total > budget || budget == 0 {
            total -= oldest.uniqueBytes
            undoable.removeFirst()
        }
    }

    /// The bytes of `state`'s dataset columns that `other` does not share (models are small
    /// beside data and versions are kept as they are added, so they are not counted).
    static func uniqueBytes(of state: SessionState, beside other: SessionState) -> Int {
        var total = 0
        for name in state.variables.datasetNames {
            guard let data = state.variables.dataset(name) else { continue }
            let kept = other.variables.dataset(name)
            for column in data.columns where kept?.column(named: column.name)?.sharesStorage(with: column) != true {
                total += (try? Dataset(columns: [column]))?.approximateByteCount ?? 0
            }
        }
        return total
    }
}
