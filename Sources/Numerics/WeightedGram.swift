import CKernels
import CLapack
import Diagnostics
import Dispatch

/// Xᵀ diag(w) X for weights w ≥ 0 (the upper triangle only, half the flops of a general
/// product), accumulated by chunks of up to 65,536 rows. A chunk's rows are scaled by √w into a
/// buffer in blocks of 4,096 rows on all cores, each block's product taken by CKernels' Gram
/// kernel in the same thread (for a few dozen columns, 2.4 times as fast as dsyrk, which
/// packs its operands twice), and the blocks' products added in block order. A caller computes each block's weights as the block is
/// scaled, so a pass that also needs per-row results (IRLS) reads X once. With an extra
/// column v the result is the Gram matrix of [X v], whose last column holds Xᵀ diag(w) v.
///
/// Cost: n p² flops for n rows and p columns; memory for one chunk of scaled rows.
struct WeightedGramAccumulator {
    static let blockRows = 4096
    static let chunkRows = 1 << 16

    /// Columns of the result: X's, plus one for the extra column.
    let size: Int
    /// `size` rounded up to the Gram kernel's multiple of four. What the buffer's last columns
    /// hold enters only the products with them, which are not kept.
    private let paddedSize: Int
    private var upper: [Double]
    private var buffer: [Double]

    init(columns: Int, extraColumn: Bool, rows: Int) {
        size = columns + (extraColumn ? 1 : 0)
        paddedSize = (size + 3) / 4 * 4
        upper = [Double](repeating: 0, count: size * size)
        buffer = [Double](repeating: 0, count: min(rows, Self.chunkRows) * paddedSize)
    }

    /// Adds the rows `chunk` (at most `chunkRows`) of X. For each block of them, on any
    /// thread, `weigh(block, roots, extra)` fills roots[k] = √w and (with an extra column)
    /// extra[k] = v for row block.lowerBound + k, and may write per-row results of its own for
    /// those rows; what it returns comes back in block order.
    private mutating func add<T>(_ x: Matrix, rows chunk: Range<Int>,
                                 weigh: (Range<Int>, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>?) -> T) -> [T] {
        let n = x.rows, count = chunk.count, columns = x.columns, hasExtra = size > columns, paddedSize = paddedSize
        precondition(count <= Self.chunkRows && count * paddedSize <= buffer.count, "a chunk of at most chunkRows rows")
        let blocks = (count + Self.blockRows - 1) / Self.blockRows
        let results = x.values.withUnsafeBufferPointer { xs in
            buffer.withUnsafeMutableBufferPointer { scaled in
                mapConcurrently(count: blocks) { index -> (T, [Double]) in
                    let offset = index * Self.blockRows, rows = min(Self.blockRows, count - offset)
                    let start = chunk.lowerBound + offset
                    var roots = [Double](repeating: 0, count: rows), extra = roots
                    let result = roots.withUnsafeMutableBufferPointer { r in
                        extra.withUnsafeMutableBufferPointer { e in
                            weigh(start ..< start + rows, r.baseAddress!, hasExtra ? e.baseAddress! : nil)
                        }
                    }
                    for j in 0 ..< columns {
                        let source = xs.baseAddress! + j * n + start, target = scaled.baseAddress! + j * count + offset
                        for k in 0 ..< rows { target[k] = source[k] * roots[k] }
                    }
                    if hasExtra {
                        let target = scaled.baseAddress! + columns * count + offset
                        for k in 0 ..< rows { target[k] = extra[k] * roots[k] }
                    }
                    var product = [Double](repeating: 0, count: paddedSize * paddedSize)
                    msh_gram_add(scaled.baseAddress! + offset, count, rows, paddedSize, &product, paddedSize)
                    return (result, product)
                }
            }
        }
        for (_, product) in results {
            for j in 0 ..< size { for i in 0 ... j { upper[j * size + i] += product[j * paddedSize + i] } }
        }
        return results.map(\.0)
    }

    /// Adds every row of X, chunk by chunk, checking for Ctrl-C between chunks; `weigh` as for
    /// `add`, its results in row order.
    mutating func addRows<T>(of x: Matrix,
                             weigh: (Range<Int>, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>?) -> T) throws -> [T] {
        var results: [T] = []
        for start in stride(from: 0, to: x.rows, by: Self.chunkRows) {
            try Interruption.check()
            results += add(x, rows: start ..< min(x.rows, start + Self.chunkRows), weigh: weigh)
        }
        return results
    }

    /// The accumulated matrix, both triangles filled.
    var result: Matrix {
        var full = upper
        for j in 0 ..< size { for i in j + 1 ..< size { full[j * size + i] = upper[i * size + j] } }
        return Matrix(rows: size, columns: size, values: full)
    }
}

/// Xᵀ diag(w) X for weights w ≥ 0.
func weightedGram(_ x: Matrix, weights: [Double]) throws -> Matrix {
    precondition(weights.count == x.rows, "one weight per row")
    var accumulator = WeightedGramAccumulator(columns: x.columns, extraColumn: false, rows: x.rows)
    _ = try accumulator.addRows(of: x) { block, roots, _ in
        for (k, i) in block.enumerated() { roots[k] = weights[i].squareRoot() }
    }
    return accumulator.result
}

/// body(0), …, body(count − 1) on all cores, returned in index order: a caller that combines
/// them in that order gets the same rounding however many cores ran them. `body` runs
/// concurrently, so it may write only to parts of shared buffers that no other index touches.
package func mapConcurrently<T>(count: Int, _ body: (Int) -> T) -> [T] {
    guard count > 1 else { return (0 ..< count).map(body) }
    // concurrentPerform returns once every index is done, and each index writes its own slot.
    nonisolated(unsafe) let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
    nonisolated(unsafe) let body = body
    results.initialize(repeating: nil)
    defer { results.deinitialize().deallocate() }
    DispatchQueue.concurrentPerform(iterations: count) { results[$0] = body($0) }
    return results.map { $0! }
}

/// X b, by dgemv.
func product(_ x: Matrix, _ b: [Double]) -> [Double] {
    precondition(b.count == x.columns, "one coefficient per column")
    var result = [Double](repeating: 0, count: x.rows)
    if x.rows > 0 && x.columns > 0 {
        cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(x.rows), Int32(x.columns), 1, x.values, Int32(x.rows), b, 1, 0, &result, 1)
    }
    return result
}

/// Xᵀ v, by dgemv.
func transposedProduct(_ x: Matrix, _ v: [Double]) -> [Double] {
    precondition(v.count == x.rows, "one value per row")
    var result = [Double](repeating: 0, count: x.columns)
    if x.rows > 0 && x.columns > 0 {
        cblas_dgemv(CblasColMajor, CblasTrans, Int32(x.rows), Int32(x.columns), 1, x.values, Int32(x.rows), v, 1, 0, &result, 1)
    }
    return result
}
