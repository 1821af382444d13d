import CKernels
import CLapack
import Diagnostics

/// The low parts of a design held as x + low (`QRLeastSquares.fit(_:_:lowParts:)`), with which
/// of its columns are not all zero: typically a few products of data columns, and the passes
/// over the design read only those.
struct DesignLowParts {
    let matrix: Matrix
    /// Per column of the design: whether its low part has an entry that is not zero.
    let hasColumn: [Bool]

    /// nil when there are no low parts or all are zero: then the design is x alone.
    init?(_ low: Matrix?) {
        guard let low else { return nil }
        hasColumn = (0 ..< low.columns).map { j in low.values[j * low.rows ..< (j + 1) * low.rows].contains { $0 != 0 } }
        guard hasColumn.contains(true) else { return nil }
        matrix = low
    }
}

/// y − X b for the coefficients b of the kept columns of X, each row accumulated by error-free
/// transformations (Ogita, Rump and Oishi's Dot2) and held unrounded as high + low: as accurate
/// as if computed in twice double's precision. With `gradient`, also Xᵀ(y − X b) over the kept
/// columns, accumulated the same way from both parts: the gradient is a sum that cancels almost
/// entirely near the solution, so it needs the residual's low part too.
///
/// X may be a double matrix x plus low parts L (each about ε of x's entry): (x + L) b adds
/// L b.hi to the residual's low part, and (x + L)ᵀr adds Lᵀ(high part) to the gradient's error,
/// both in double. What they leave out, L b.lo and Lᵀ(low part), is ε² of the terms kept, and the
/// double rounding of what they add is as small as Dot2's own error. Asked for, the same pass
/// also accumulates xᵀL over the kept columns, in double, while each chunk of x is in cache.
struct ExtendedResidual {
    let high: [Double]
    let low: [Double]
    /// Xᵀ(y − X b) over the kept columns; empty unless asked for.
    let gradient: [DoubleDouble]
    /// xᵀL over the kept columns (k × k; column b is zero where the b-th kept column has no low
    /// parts); nil unless asked for and there are low parts.
    let lowCrossProducts: Matrix?

    /// Rows per pass over the columns: a chunk of X stays in cache between the residual and the gradient.
    static let chunkRows = 2048

    init(_ x: ColumnPointers, plus lowParts: DesignLowParts? = nil, _ y: [Double], kept: [Int], coefficients b: [DoubleDouble],
         gradient withGradient: Bool, lowCrossProducts withCrossProducts: Bool = false) throws {
        precondition(withGradient || !withCrossProducts, "xᵀL is accumulated in the gradient's pass")
        let n = x.rows, k = kept.count
        // (position among the kept, column) of the kept columns that have low parts.
        let lowKept = lowParts.map { parts in kept.enumerated().filter { parts.hasColumn[$0.element] } } ?? []
        // Per segment: the partial gradient (k), then the partial xᵀL (k × k) when asked for.
        let crossSize = withCrossProducts && !lowKept.isEmpty ? k * k : 0, stride = k + crossSize
        var high = y, low = [Double](repeating: 0, count: n)
        let segments = RowSegments(rows: n, minimumRows: 8 * Self.chunkRows)
        var partials = [DoubleDouble](repeating: .zero, count: segments.count * stride)
        (lowParts?.matrix.values ?? []).withUnsafeBufferPointer { lowParts in
            high.withUnsafeMutableBufferPointer { high in
                low.withUnsafeMutableBufferPointer { low in
                    partials.withUnsafeMutableBufferPointer { partials in
                        // Each segment writes only its own rows of high and low, and its own partial sums.
                        nonisolated(unsafe) let (high, low) = (high.baseAddress!, low.baseAddress!)
                        nonisolated(unsafe) let (lowParts, partials) = (lowParts.baseAddress, partials.baseAddress!)
                        segments.forEach { segment, rows in
                            let gradient = partials + segment * stride, cross = gradient + k
                            for start in Swift.stride(from: rows.lowerBound, to: rows.upperBound, by: Self.chunkRows) {
                                if Interruption.isRequested { return }
                                let m = min(Self.chunkRows, rows.upperBound - start)
                                let h = high + start, l = low + start
                                func lowColumn(_ j: Int) -> UnsafePointer<Double> { lowParts! + j * n + start }
                                for (position, j) in kept.enumerated() {
                                    Self.subtract(x[j, from: start], times: b[position], from: h, l, count: m)
                                }
                                for (position, j) in lowKept { Self.subtract(lowColumn(j), times: b[position].hi, from: l, count: m) }
                                guard withGradient else { continue }
                                for (position, j) in kept.enumerated() {
                                    gradient[position] += Self.dot(x[j, from: start], h, l, count: m)
                                }
                                for (position, j) in lowKept { gradient[position] += DoubleDouble(Self.dot(lowColumn(j), h, count: m)) }
                                guard crossSize > 0 else { continue }
                                let keptColumns = kept.map { x[$0, from: start] }
                                for (position, j) in lowKept {
                                    Self.addDots(of: keptColumns, with: lowColumn(j), count: m, to: cross + position * k)
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
        func total(_ entry: Int) -> DoubleDouble { (0 ..< segments.count).reduce(.zero) { $0 + partials[$1 * stride + entry] } }
        gradient = withGradient ? (0 ..< k).map(total) : []
        lowCrossProducts = crossSize == 0 ? nil : Matrix(rows: k, columns: k, values: (k ..< stride).map { total($0).double })
    }

    /// (h, l) −= column · b, row by row (CKernels: the product and the difference error-free).
    @inline(__always)
    private static func subtract(_ column: UnsafePointer<Double>, times b: DoubleDouble,
                                 from h: UnsafeMutablePointer<Double>, _ l: UnsafeMutablePointer<Double>, count: Int) {
        msh_dd_subtract(column, b.hi, b.lo, h, l, count)
    }

    /// l −= column · b in double: a low part's contribution to the residual.
    @inline(__always)
    private static func subtract(_ column: UnsafePointer<Double>, times b: Double, from l: UnsafeMutablePointer<Double>, count: Int) {
        for i in 0 ..< count { l[i] -= column[i] * b }
    }

    /// Σ column · h in double: a low part's contribution to the gradient (or to xᵀL). Four
    /// independent sums of four lanes each, so the additions need not wait on one another.
    @inline(__always)
    private static func dot(_ column: UnsafePointer<Double>, _ h: UnsafePointer<Double>, count: Int) -> Double {
        var lanes = (Lanes(), Lanes(), Lanes(), Lanes())
        var i = 0
        while i + 16 <= count {
            lanes.0 += load(column + i) * load(h + i)
            lanes.1 += load(column + i + 4) * load(h + i + 4)
            lanes.2 += load(column + i + 8) * load(h + i + 8)
            lanes.3 += load(column + i + 12) * load(h + i + 12)
            i += 16
        }
        var rest = 0.0
        while i < count {
            rest += column[i] * h[i]
            i += 1
        }
        return rest + ((lanes.0 + lanes.1) + (lanes.2 + lanes.3)).sum()
    }

    /// sums[c] += Σ columns[c] · low for every column, in double: a low column's share of xᵀL.
    /// Four columns at a time, so each load of the low column serves four independent sums.
    @inline(__always)
    private static func addDots(of columns: [UnsafePointer<Double>], with low: UnsafePointer<Double>, count: Int,
                                to sums: UnsafeMutablePointer<DoubleDouble>) {
        var c = 0
        while c + 4 <= columns.count {
            let (a, b, d, e) = (columns[c], columns[c + 1], columns[c + 2], columns[c + 3])
            var lanes = (Lanes(), Lanes(), Lanes(), Lanes())
            var i = 0
            while i + 4 <= count {
                let l = load(low + i)
                lanes.0 += load(a + i) * l
                lanes.1 += load(b + i) * l
                lanes.2 += load(d + i) * l
                lanes.3 += load(e + i) * l
                i += 4
            }
            var rest = (0.0, 0.0, 0.0, 0.0)
            while i < count {
                rest = (rest.0 + a[i] * low[i], rest.1 + b[i] * low[i], rest.2 + d[i] * low[i], rest.3 + e[i] * low[i])
                i += 1
            }
            sums[c] += DoubleDouble(rest.0 + lanes.0.sum())
            sums[c + 1] += DoubleDouble(rest.1 + lanes.1.sum())
            sums[c + 2] += DoubleDouble(rest.2 + lanes.2.sum())
            sums[c + 3] += DoubleDouble(rest.3 + lanes.3.sum())
            c += 4
        }
        for last in c ..< columns.count { sums[last] += DoubleDouble(dot(columns[last], low, count: count)) }
    }

    private typealias Lanes = SIMD4<Double>

    @inline(__always)
    private static func load(_ pointer: UnsafePointer<Double>) -> Lanes { UnsafeRawPointer(pointer).loadUnaligned(as: Lanes.self) }

    /// Σ column · (h + l) with the products and the running sum of the h part error-free, in
    /// four lanes (a single running sum would wait on each addition) and the rows after them
    /// (CKernels), the lanes then added in double-double.
    @inline(__always)
    private static func dot(_ column: UnsafePointer<Double>, _ h: UnsafePointer<Double>, _ l: UnsafePointer<Double>,
                            count: Int) -> DoubleDouble {
        var sums = (0.0, 0.0, 0.0, 0.0, 0.0), errors = sums
        withUnsafeMutableBytes(of: &sums) { sums in
            withUnsafeMutableBytes(of: &errors) { errors in
                msh_dd_dot(column, h, l, count, sums.baseAddress!.assumingMemoryBound(to: Double.self),
                           errors.baseAddress!.assumingMemoryBound(to: Double.self))
            }
        }
        let lanes = [(sums.0, errors.0), (sums.1, errors.1), (sums.2, errors.2), (sums.3, errors.3)]
        return lanes.reduce(DoubleDouble.sum(sums.4, errors.4)) { $0 + DoubleDouble.sum($1.0, $1.1) }
    }

    /// The residuals rounded to double.
    var rounded: [Double] { zip(high, low).map { $0 + $1 } }

    /// The residuals after the coefficients of `columns` change by `change`: y − X(b + δ) =
    /// (y − X b) − X δ, the small X δ in double by one matrix–vector product (x's low parts
    /// would change it by ε of itself, below its rounding).
    func rounded(subtracting change: [DoubleDouble], columns: [Int], of x: ColumnPointers) -> [Double] {
        var result = rounded
        let segments = RowSegments(rows: x.rows, minimumRows: 8 * Self.chunkRows)
        result.withUnsafeMutableBufferPointer { result in
            nonisolated(unsafe) let result = result.baseAddress!
            segments.forEach { _, rows in
                for (position, column) in columns.enumerated() {
                    let delta = change[position].double, values = x[column, from: 0]
                    for i in rows { result[i] -= values[i] * delta }
                }
            }
        }
        return result
    }
}
