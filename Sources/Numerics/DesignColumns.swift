import CKernels
import Synchronization

/// A design matrix held as its columns, each an array of `rows` values: a feature that enters
/// the design as it is shares the data's own array, so a fit that reads the columns where they
/// lie (least squares by the Gram route, IRLS) copies nothing. A million rows of 20 features
/// is 160 MB, whose copy cost a quarter of such a fit, most of it the first touches of fresh
/// pages. `matrix`, the contiguous column-major form, is made for the solvers that need it on
/// first use, once however many copies of the value ask.
public struct DesignColumns: Sendable {
    public let rows: Int
    public let columns: [[Double]]
    /// Every value is known to be finite (its maker checked them), so a solver that refuses
    /// NaN and infinity need not read every value again to find none.
    public let knownFinite: Bool
    private let contiguous = ContiguousCopy()

    public init(rows: Int, columns: [[Double]], knownFinite: Bool = false) {
        precondition(columns.allSatisfy { $0.count == rows }, "every column must have \(rows) values")
        self.rows = rows
        self.columns = columns
        self.knownFinite = knownFinite
    }

    /// The matrix's columns (copied out of it).
    public init(_ matrix: Matrix) {
        self.init(rows: matrix.rows, columns: (0 ..< matrix.columns).map(matrix.column))
    }

    public var count: Int { columns.count }

    /// The columns as one column-major matrix; made once, on every core when large (each
    /// column is its own copy).
    public var matrix: Matrix {
        contiguous.value {
            let n = rows, width = count, columns = columns
            let values = [Double](unsafeUninitializedCapacity: n * width) { out, initialised in
                let fill = { (j: Int) in
                    _ = UnsafeMutableBufferPointer(rebasing: out[j * n ..< (j + 1) * n]).initialize(fromContentsOf: columns[j])
                }
                if n * width >= 1 << 16 { _ = mapConcurrently(count: width, fill) } else { (0 ..< width).forEach(fill) }
                initialised = n * width
            }
            return Matrix(rows: n, columns: width, values: values)
        }
    }

    /// intercept + X b (see `ColumnPointers.product`).
    public func product(_ b: [Double], plus intercept: Double = 0) -> [Double] {
        withPointers { $0.product(b, plus: intercept) }
    }

    /// `body` given a pointer to each column, valid while it runs. (Each array's storage is
    /// native, never mutated through this value and kept alive for the call, so the address
    /// its `withUnsafeBufferPointer` gives stays its storage's; nesting a call per column
    /// instead would recurse once per column, thousands deep for a wide one-hot design.)
    func withPointers<R>(_ body: (ColumnPointers) throws -> R) rethrows -> R {
        try withExtendedLifetime(columns) {
            let pointers = columns.map { column in
                // An empty column has no storage; no row is read through it.
                column.withUnsafeBufferPointer { $0.baseAddress } ?? UnsafePointer(bitPattern: MemoryLayout<Double>.alignment)!
            }
            return try body(ColumnPointers(rows: rows, columns: pointers))
        }
    }

    /// The one contiguous copy, shared by copies of the value.
    private final class ContiguousCopy: Sendable {
        private let made = Mutex<Matrix?>(nil)

        func value(_ make: () -> Matrix) -> Matrix {
            if let matrix = made.withLock({ $0 }) { return matrix }
            // Two threads may both make it; they make the same matrix.
            let matrix = make()
            made.withLock { $0 = matrix }
            return matrix
        }
    }
}

/// Pointers to a design's columns, each `rows` values, for the passes that read them in place;
/// valid only inside the `withPointers` (or `withColumnPointers`) call that made them.
struct ColumnPointers: @unchecked Sendable {
    let rows: Int
    let columns: [UnsafePointer<Double>]

    var count: Int { columns.count }

    /// Column j from row `start`.
    subscript(j: Int, from start: Int) -> UnsafePointer<Double> { columns[j] + start }

    /// intercept + X b, by blocks of rows on every core; each row's terms added in column
    /// order, those of zero coefficients left out (CKernels).
    func product(_ b: [Double], plus intercept: Double = 0) -> [Double] {
        precondition(b.count == count, "one coefficient per column")
        let used = b.indices.filter { b[$0] != 0 }, coefficients = used.map { b[$0] }
        var result = [Double](repeating: intercept, count: rows)
        result.withUnsafeMutableBufferPointer { result in
            nonisolated(unsafe) let result = result.baseAddress!
            RowSegments(rows: rows, minimumRows: 1 << 16).forEach { _, segment in
                let columns = used.map { Optional(self[$0, from: segment.lowerBound]) }
                msh_add_products(columns, coefficients, used.count, segment.count, result + segment.lowerBound)
            }
        }
        return result
    }
}

extension Matrix {
    /// `body` given a pointer to each column of the matrix, valid while it runs.
    func withColumnPointers<R>(_ body: (ColumnPointers) throws -> R) rethrows -> R {
        try values.withUnsafeBufferPointer { values in
            let base = values.baseAddress ?? UnsafePointer(bitPattern: MemoryLayout<Double>.alignment)!
            return try body(ColumnPointers(rows: rows, columns: (0 ..< columns).map { base + $0 * rows }))
        }
    }
}
