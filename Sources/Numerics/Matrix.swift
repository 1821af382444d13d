/// A dense matrix of doubles in column-major order, the layout BLAS and LAPACK take without
/// copying. Deliberately small: the solvers do the work, this only carries the numbers.
public struct Matrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    /// Column-major: the element at (row, column) is `values[column * rows + row]`.
    public var values: [Double]

    public init(rows: Int, columns: Int, values: [Double]) {
        precondition(rows >= 0 && columns >= 0 && values.count == rows * columns, "matrix values must be rows × columns")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// A matrix of zeros.
    public init(rows: Int, columns: Int) {
        self.init(rows: rows, columns: columns, values: [Double](repeating: 0, count: rows * columns))
    }

    /// A matrix whose columns are `columns`, all of length `rows`.
    public init(rows: Int, columns: [[Double]]) {
        precondition(columns.allSatisfy { $0.count == rows }, "every column must have \(rows) values")
        self.init(rows: rows, columns: columns.count, values: columns.flatMap { $0 })
    }

    public subscript(row: Int, column: Int) -> Double {
        get { values[column * rows + row] }
        set { values[column * rows + row] = newValue }
    }

    public func column(_ j: Int) -> [Double] {
        Array(values[j * rows ..< (j + 1) * rows])
    }
}
