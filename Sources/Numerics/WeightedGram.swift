import CKernels
import CLapack
import Diagnostics
import Dispatch

/// Xᵀ diag(w) X for weights w ≥ 0 (the upper triangle only, half the flops of a general
/// product), accumulated by chunks of up to 65,536 rows for Ctrl-C. A chunk's blocks of
/// `blockRows` rows go on all cores, each block's product taken by CKernels' Gram kernel in
/// the same thread, reading X where it lies and weighing its rows as it loads them (for a few
/// dozen columns, 2.4 times as fast as dsyrk, which packs its operands twice); the blocks'
/// products are added in block order. A caller computes each block's weights just before its
/// product, so a pass that also needs per-row results (IRLS) finds the block's rows in cache.
/// With an extra column v the result is the Gram matrix of [X v], whose last column holds
/// Xᵀ diag(w) v.
///
/// Cost: n p² flops for n rows and p columns; memory for a block's weights and extra values.
struct WeightedGramAccumulator {
    static let blockRows = 4096
    static let chunkRows = 1 << 16

    /// Columns of the result: X's, plus one for the extra column.
    let size: Int
    private var upper: [Double]
    /// Every weight is 1 (`weigh` leaves them): the kernel then skips the weighing.
    private let unitWeights: Bool

    init(columns: Int, extraColumn: Bool, unitWeights: Bool = false) {
        size = columns + (extraColumn ? 1 : 0)
        self.unitWeights = unitWeights
        upper = [Double](repeating: 0, count: size * size)
    }

    /// Adds the rows `chunk` of X. For each block of them, on any thread,
    /// `weigh(block, weights, extra)` fills weights[k] = w (unless `unitWeights`) and (with an extra column)
    /// extra[k] = v for row block.lowerBound + k, and may write per-row results of its own for
    /// those rows; what it returns comes back in block order.
    private mutating func add<T>(_ x: ColumnPointers, rows chunk: Range<Int>,
                                 weigh: (Range<Int>, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>?) -> T) -> [T] {
        let columns = x.count, hasExtra = size > columns, size = size, unitWeights = unitWeights
        let blocks = size == 0 ? 0 : (chunk.count + Self.blockRows - 1) / Self.blockRows
        let results = mapConcurrently(count: blocks) { index -> (T, [Double]) in
            let start = chunk.lowerBound + index * Self.blockRows, rows = min(Self.blockRows, chunk.upperBound - start)
            var weights = [Double](repeating: 0, count: rows), extra = [Double](repeating: 0, count: hasExtra ? rows : 0)
            var product = [Double](repeating: 0, count: size * size)
            let result = weights.withUnsafeMutableBufferPointer { w in
                extra.withUnsafeMutableBufferPointer { e in
                    let result = weigh(start ..< start + rows, w.baseAddress!, hasExtra ? e.baseAddress! : nil)
                    var pointers = (0 ..< columns).map { Optional(x[$0, from: start]) }
                    if hasExtra { pointers.append(UnsafePointer(e.baseAddress!)) }
                    pointers.withUnsafeBufferPointer { msh_gram_add($0.baseAddress!, unitWeights ? nil : w.baseAddress!, rows, size, &product, size) }
                    return result
                }
            }
            return (result, product)
        }
        for (_, product) in results {
            for j in 0 ..< size { for i in 0 ... j { upper[j * size + i] += product[j * size + i] } }
        }
        return results.map(\.0)
    }

    /// Adds every row of X, chunk by chunk, checking for Ctrl-C between chunks; `weigh` as for
    /// `add`, its results in row order.
    mutating func addRows<T>(of x: ColumnPointers,
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
    var accumulator = WeightedGramAccumulator(columns: x.columns, extraColumn: false)
    _ = try x.withColumnPointers { x in
        try accumulator.addRows(of: x) { block, blockWeights, _ in
            for (k, i) in block.enumerated() { blockWeights[k] = weights[i] }
        }
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

extension Matrix {
    /// X B, by dgemm.
    func multiplied(by b: Matrix) -> Matrix {
        precondition(columns == b.rows, "inner dimensions must agree")
        var result = Matrix(rows: rows, columns: b.columns)
        if rows > 0 && b.columns > 0 && columns > 0 {
            cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(b.columns), Int32(columns), 1,
                        values, Int32(rows), b.values, Int32(b.rows), 0, &result.values, Int32(rows))
        }
        return result
    }
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
