import Diagnostics
import Numerics
import Synchronization

/// A table of equally long, uniquely named columns. A value type: commands that change a
/// dataset make a new one, so a failed command leaves the session's datasets as they were.
public struct Dataset: Sendable, Equatable {
    public private(set) var columns: [Column]
    public let rowCount: Int
    /// Figures measured from the dataset, by key, each at most once: its fingerprint (a pass
    /// over every value that fits, evaluations and saves all record), the training profile of
    /// a column. A dataset's columns never change after it is made — every transformation
    /// makes a new dataset — so its copies share them.
    public let derived = KeyedMemo()
    /// Figures measured from one column, by key and column name (whether its numbers are all
    /// finite): shared with the datasets made of some of these columns over every row
    /// (`columns(named:)`), which hold the same values under the same names, so a refit
    /// measures none of them again.
    public let columnFacts: KeyedMemo

    /// Fails when columns differ in length or names repeat.
    public init(columns: [Column]) throws {
        let rows = columns.first?.count ?? 0
        var seen = Set<String>()
        for column in columns {
            guard column.count == rows else {
                throw ModelshError.data("column '\(column.name)' has \(column.count) rows, expected \(rows)")
            }
            guard seen.insert(column.name).inserted else {
                throw ModelshError.data("duplicate column name '\(column.name)'")
            }
        }
        self.init(checked: columns, rowCount: rows)
    }

    /// Columns already known to be equally long and uniquely named.
    private init(checked columns: [Column], rowCount: Int, columnFacts: KeyedMemo = KeyedMemo()) {
        self.columns = columns
        self.rowCount = rowCount
        self.columnFacts = columnFacts
    }

    /// The columns called `names`, in that order, every row; it shares this dataset's
    /// `columnFacts`.
    public func columns(named names: [String]) throws -> Dataset {
        var seen = Set<String>()
        let chosen = try names.map { name in
            guard seen.insert(name).inserted else { throw ModelshError.data("duplicate column name '\(name)'") }
            return try requireColumn(name)
        }
        return Dataset(checked: chosen, rowCount: rowCount, columnFacts: columnFacts)
    }

    public static func == (left: Dataset, right: Dataset) -> Bool {
        left.rowCount == right.rowCount && left.columns == right.columns
    }

    public var columnCount: Int { columns.count }
    public var columnNames: [String] { columns.map(\.name) }

    public func index(of name: String) -> Int? { columns.firstIndex { $0.name == name } }
    public func column(named name: String) -> Column? { index(of: name).map { columns[$0] } }

    /// The column called `name`, or a data error that suggests the nearest name.
    public func requireColumn(_ name: String, datasetName: String? = nil) throws -> Column {
        if let column = column(named: name) { return column }
        throw ModelshError.usage(EditDistance.unknown("column", name, in: datasetName.map { "dataset '\($0)'" }, among: columnNames))
    }

    /// The rows at `rows`, in that order.
    public func selecting(rows: [Int]) -> Dataset {
        // Every column gets the same number of rows and keeps its name. A large selection is a
        // gather from memory per column (most of a million-row sort or split; spaced rows of a
        // large table miss the cache at every value): on every core.
        let columns = self.columns
        let selected = rows.count * columns.count < 1 << 16 ? columns.map { $0.selecting(rows: rows) }
            : try! concurrentMap(columns.count, threads: everyCore) { columns[$0].selecting(rows: rows) }
        return Dataset(checked: selected, rowCount: rows.count)
    }

    /// The rows where `inSecond` is false, and those where it is true, each in row order (a
    /// split): every column read once, on every core when large.
    public func partitioned(by inSecond: [Bool]) -> (Dataset, Dataset) {
        let columns = self.columns, secondCount = inSecond.reduce(0) { $0 + ($1 ? 1 : 0) }
        let parts = rowCount < 1 << 16 ? columns.map { $0.partitioned(by: inSecond, secondCount: secondCount) }
            : try! concurrentMap(columns.count, threads: everyCore) { columns[$0].partitioned(by: inSecond, secondCount: secondCount) }
        return (Dataset(checked: parts.map(\.0), rowCount: rowCount - secondCount), Dataset(checked: parts.map(\.1), rowCount: secondCount))
    }

    /// Whether every number `column` (one of this dataset's) stores is finite: a pass over it,
    /// remembered with the dataset's column facts (or noted by the reader that made it), so
    /// that a fit's check of its columns, the preparation of its design that follows and every
    /// refit on the same columns read them once.
    public func numbersAreFinite(_ column: Column) -> Bool {
        guard let values = column.numbers else { return false }
        return columnFacts.value(Self.finiteNumbersKey(column.name)) { LargeBuffers.allFinite(values[...]) }
    }

    /// The dataset of a reader's finished columns (`ColumnBuilder.column(named:)`), noting
    /// which hold only finite numbers, as the reader saw.
    static func read(_ finished: [(column: Column, numbersAreFinite: Bool)]) throws -> Dataset {
        let dataset = try Dataset(columns: finished.map(\.column))
        for (column, finite) in finished where finite { _ = dataset.columnFacts.value(finiteNumbersKey(column.name)) { true } }
        return dataset
    }

    private static func finiteNumbersKey(_ name: String) -> String { "finite numbers in column \(name)" }

    /// This dataset with `column` appended, or replacing the column of the same name.
    public func adding(_ column: Column) throws -> Dataset {
        var newColumns = columns
        if let i = index(of: column.name) { newColumns[i] = column } else { newColumns.append(column) }
        return try Dataset(columns: newColumns)
    }
}

/// A value computed at most once and then shared by every copy of what holds it.
public final class Memo<Value: Sendable>: Sendable {
    private let stored = Mutex<Value?>(nil)

    public init() {}

    public func value(_ compute: () throws -> Value) rethrows -> Value {
        if let value = stored.withLock({ $0 }) { return value }
        // Two threads may both compute it; they compute the same value.
        let value = try compute()
        stored.withLock { $0 = value }
        return value
    }
}

/// Values computed at most once per key and then shared by every copy of what holds them; a
/// key names what is computed, so each key always gets values of one type.
public final class KeyedMemo: Sendable {
    private let stored = Mutex<[String: any Sendable]>([:])

    public init() {}

    public func value<Value: Sendable>(_ key: String, _ compute: () throws -> Value) rethrows -> Value {
        // Unwrapped before the cast: a missing entry cast to an optional Value would succeed, as nil.
        if let kept = stored.withLock({ $0[key] }), let value = kept as? Value { return value }
        // Two threads may both compute it; they compute the same value.
        let value = try compute()
        stored.withLock { $0[key] = value }
        return value
    }
}
