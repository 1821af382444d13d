import Diagnostics

/// A table of equally long, uniquely named columns. A value type: commands that change a
/// dataset make a new one, so a failed command leaves the session's datasets as they were.
public struct Dataset: Sendable, Equatable {
    public private(set) var columns: [Column]
    public let rowCount: Int

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
    private init(checked columns: [Column], rowCount: Int) {
        self.columns = columns
        self.rowCount = rowCount
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
        // Every column gets the same number of rows and keeps its name.
        Dataset(checked: columns.map { $0.selecting(rows: rows) }, rowCount: rows.count)
    }

    /// This dataset with `column` appended, or replacing the column of the same name.
    public func adding(_ column: Column) throws -> Dataset {
        var newColumns = columns
        if let i = index(of: column.name) { newColumns[i] = column } else { newColumns.append(column) }
        return try Dataset(columns: newColumns)
    }
}
