import CLapack
import Diagnostics

/// y − X b for the coefficients b of the kept columns of X, each row accumulated by error-free
/// transformations (Ogita, Rump and Oishi's Dot2) and held unrounded as high + low: as accurate
/// as if computed in twice double's precision. With `gradient`, also Xᵀ(y − X b) over the kept
/// columns, accumulated the same way from both parts: the gradient is a sum that cancels almost
/// entirely near the solution, so it needs the residual's low part too.
struct ExtendedResidual {
    let high: [Double]
    let low: [Double]
    /// Xᵀ(y − X b) over the kept columns; empty unless asked for.
    let gradient: [DoubleDouble]

    /// Rows per pass over the columns: a chunk of X stays in cache between the residual and the gradient.
    static let chunkRows = 2048

    init(_ x: Matrix, _ y: [Double], kept: [Int], coefficients b: [DoubleDouble], gradient withGradient: Bool) throws {
        let n = x.rows, k = kept.count
        var high = y, low = [Double](repeating: 0, count: n)
        let segments = RowSegments(rows: n, minimumRows: 8 * Self.chunkRows)
        var partials = [DoubleDouble](repeating: .zero, count: segments.count * k)
        x.values.withUnsafeBufferPointer { x in
            high.withUnsafeMutableBufferPointer { high in
                low.withUnsafeMutableBufferPointer { low in
                    partials.withUnsafeMutableBufferPointer { partials in
                        // Each segment writes only its own rows of high and low, and its own partial gradient.
                        nonisolated(unsafe) let (x, high, low) = (x.baseAddress!, high.baseAddress!, low.baseAddress!)
                        nonisolated(unsafe) let partials = partials.baseAddress!
                        segments.forEach { segment, rows in
                            for start in stride(from: rows.lowerBound, to: rows.upperBound, by: Self.chunkRows) {
                                if Interruption.isRequested { return }
                                let m = min(Self.chunkRows, rows.upperBound - start)
                                let h = high + start, l = low + start
                                for (position, j) in kept.enumerated() {
                                    Self.subtract(x + j * n + start, times: b[position], from: h, l, count: m)
                                }
                                guard withGradient else { continue }
                                for (position, j) in kept.enumerated() {
                                    partials[segment * k + position] += Self.dot(x + j * n + start, h, l, count: m)
                                }
                            }
                        }
                    }
                }
            }
        }
        try Interruption.check()
        self.high = high
        self.low = low
        gradient = withGradient ? (0 ..< k).map { position in
            (0 ..< segments.count).reduce(DoubleDouble.zero) { $0 + partials[$1 * k + position] }
        } : []
    }

    /// (h, l) −= column · b, row by row.
    @inline(__always)
    private static func subtract(_ column: UnsafePointer<Double>, times b: DoubleDouble,
                                 from h: UnsafeMutablePointer<Double>, _ l: UnsafeMutablePointer<Double>, count: Int) {
        for i in 0 ..< count {
            let v = column[i]
            let product = DoubleDouble.product(v, b.hi)
            let difference = DoubleDouble.sum(h[i], -product.hi)
            h[i] = difference.hi
            l[i] += difference.lo - product.lo - v * b.lo
        }
    }

    /// Σ column · (h + l) with the products and the running sum of the h part error-free, four
    /// lanes at a time (a single running sum would wait on each addition).
    @inline(__always)
    private static func dot(_ column: UnsafePointer<Double>, _ h: UnsafePointer<Double>, _ l: UnsafePointer<Double>,
                            count: Int) -> DoubleDouble {
        typealias Lanes = SIMD4<Double>
        func load(_ pointer: UnsafePointer<Double>) -> Lanes { UnsafeRawPointer(pointer).loadUnaligned(as: Lanes.self) }
        var lanes = (sum: Lanes(), error: Lanes())
        var i = 0
        while i + 4 <= count {
            accumulate(&lanes, load(column + i), load(h + i), load(l + i))
            i += 4
        }
        var rest = (sum: 0.0, error: 0.0)
        while i < count {
            accumulate(&rest, column[i], h[i], l[i])
            i += 1
        }
        return (0 ..< 4).reduce(DoubleDouble.sum(rest.sum, rest.error)) { $0 + DoubleDouble.sum(lanes.sum[$1], lanes.error[$1]) }
    }

    /// (sum, error) += x · (h + l), the product x · h and the addition error-free (Dot2).
    @inline(__always)
    private static func accumulate<T: DoubleLanes>(_ state: inout (sum: T, error: T), _ x: T, _ h: T, _ l: T) {
        let product = ErrorFree.product(x, h)
        let partial = ErrorFree.sum(state.sum, product.product)
        state = (partial.sum, state.error + (partial.error + product.error + x * l))
    }

    /// The residuals rounded to double.
    var rounded: [Double] { zip(high, low).map { $0 + $1 } }

    /// The residuals after the coefficients of `columns` change by `change`: y − X(b + δ) =
    /// (y − X b) − X δ, the small X δ in double by one matrix–vector product.
    func rounded(subtracting change: [DoubleDouble], columns: [Int], of x: Matrix) -> [Double] {
        var delta = [Double](repeating: 0, count: x.columns)
        for (position, column) in columns.enumerated() { delta[column] = change[position].double }
        var result = rounded
        cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(x.rows), Int32(x.columns), -1, x.values, Int32(x.rows),
                    delta, 1, 1, &result, 1)
        return result
    }
}
