import Diagnostics

/// The arithmetic a `PivotedHouseholderQR` runs in: `DoubleDouble` where the work is small
/// enough to afford 32 digits, `Double` where it is not.
protocol FactorisationScalar: Comparable {
    init(_ value: Double)
    static var zero: Self { get }
    var double: Double { get }
    var doubleDouble: DoubleDouble { get }
    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static func * (a: Self, b: Self) -> Self
    static func / (a: Self, b: Self) -> Self
    static prefix func - (a: Self) -> Self
    func squareRoot() -> Self
}

extension Double: FactorisationScalar {
    var double: Double { self }
    var doubleDouble: DoubleDouble { DoubleDouble(self) }
}

extension DoubleDouble: FactorisationScalar {
    var doubleDouble: DoubleDouble { self }
}

/// A least-squares factorisation of a design the fit can solve with, whatever its precision.
protocol LeastSquaresFactor {
    /// The original indices of the columns kept (not aliased), in their original order.
    var kept: [Int] { get }
    /// The least-squares coefficients of the kept columns.
    func coefficients() -> [DoubleDouble]
    /// (XᵀX)⁻¹ g over the kept columns: the change of coefficients that removes a gradient
    /// g = Xᵀr of the residuals r.
    func correction(for gradient: [DoubleDouble]) -> [DoubleDouble]
    /// (XᵀX)⁻¹ over the kept columns.
    func unscaledCovariance() -> Matrix
    /// The Euclidean norms of the kept columns.
    var keptNorms: [Double] { get }
}

/// X P = Q R by Householder reflections with R's "limited" column pivoting (LINPACK dqrdc2, which
/// R's `lm` uses), carried out in `Scalar` arithmetic on a copy of X, with y transformed alongside.
///
/// Columns are taken in their given order; a column whose norm, after removing its projection on
/// the columns already taken, falls below `tolerance` times its original norm is moved to the end
/// and aliased. So of two collinear columns the later one is aliased, as R reports it (LAPACK's
/// dgeqp3, which pivots on the largest norm, would not). Each column is first scaled by a power of
/// two, exactly, so that its largest entry is near 1: squares then neither overflow nor underflow.
/// Q is not kept: callers need only R and Qᵀy.
///
/// Cost: about 2 m p² operations in `Scalar` for m rows and p columns.
struct PivotedHouseholderQR<Scalar: FactorisationScalar>: LeastSquaresFactor {
    let rows: Int
    let columns: Int
    /// Column-major rows × columns, scaled; R is on and above the diagonal of the first `rank` columns.
    private var a: [Scalar]
    /// Qᵀ y (y scaled by `responseScale`).
    private var qty: [Scalar]
    /// order[position] = the original index of the column now at `position`.
    private var order: [Int]
    /// The norms of the columns (scaled), in the order of `order`.
    private var norms: [Scalar] = []
    private(set) var rank = 0
    /// The powers of two the columns of X, and y, were multiplied by.
    private let columnScales: [Double]
    private let responseScale: Double

    /// Factors the rows × columns column-major `x`, or x + `low` entry by entry (each sum in
    /// `Scalar`, so exact in double-double); `y` has `rows` entries.
    init(_ x: UnsafeBufferPointer<Double>, low: [Double]? = nil, rows: Int, columns: Int, y: UnsafeBufferPointer<Double>,
         tolerance: Double) throws {
        precondition(x.count == rows * columns && y.count == rows && (low?.count ?? x.count) == x.count)
        self.rows = rows
        self.columns = columns
        columnScales = (0 ..< columns).map { j in Self.powerOfTwoScale(UnsafeBufferPointer(rebasing: x[j * rows ..< (j + 1) * rows])) }
        let responseScale = Self.powerOfTwoScale(y)
        self.responseScale = responseScale
        a = [Scalar]()
        a.reserveCapacity(rows * columns)
        for j in 0 ..< columns {
            let scale = columnScales[j]
            if let low {
                for i in 0 ..< rows { a.append(Scalar(x[j * rows + i] * scale) + Scalar(low[j * rows + i] * scale)) }
            } else {
                for i in 0 ..< rows { a.append(Scalar(x[j * rows + i] * scale)) }
            }
        }
        qty = y.map { Scalar($0 * responseScale) }
        order = Array(0 ..< columns)
        norms = (0 ..< columns).map { squaredNorm(column: $0, from: 0).squareRoot() }
        try triangularise(tolerance: tolerance)
    }

    /// 2^-e for the exponent e of the largest magnitude, so the scaled entries lie below 1 (kept
    /// within double's range for extreme exponents); 1 for a zero or non-finite vector.
    private static func powerOfTwoScale(_ values: UnsafeBufferPointer<Double>) -> Double {
        let largest = values.reduce(0) { max($0, abs($1)) }
        guard largest > 0, largest.isFinite else { return 1 }
        return Double(sign: .plus, exponent: -min(max(Int(largest.exponent) + 1, -1000), 1000), significand: 1)
    }

    private mutating func triangularise(tolerance: Double) throws {
        // A zero column has threshold `tolerance`, so it is aliased as R does it.
        var thresholds = norms.map { Scalar(tolerance) * ($0 == Scalar.zero ? Scalar(1) : $0) }
        var candidates = columns  // columns at positions >= candidates are aliased
        var l = 0
        while l < min(rows, candidates) {
            try Interruption.check()
            let alpha = a[l * rows + l], below = squaredNorm(column: l, from: l + 1)
            let remaining = (alpha * alpha + below).squareRoot()
            if remaining < thresholds[l] {
                moveColumnToEnd(l)
                thresholds.append(thresholds.remove(at: l))
                candidates -= 1
                continue
            }
            if below != Scalar.zero { reflect(column: l, norm: remaining, through: candidates) }
            l += 1
        }
        rank = l
    }

    private func squaredNorm(column j: Int, from start: Int) -> Scalar {
        a.withUnsafeBufferPointer { a in
            var sum = Scalar.zero
            for i in start ..< rows { sum = sum + a[j * rows + i] * a[j * rows + i] }
            return sum
        }
    }

    private mutating func moveColumnToEnd(_ position: Int) {
        let n = rows
        let column = Array(a[position * n ..< (position + 1) * n])
        a.removeSubrange(position * n ..< (position + 1) * n)
        a.append(contentsOf: column)
        order.append(order.remove(at: position))
        norms.append(norms.remove(at: position))
    }

    /// The reflector H = I − τ v vᵀ (v₀ = 1) that maps column l, not zero below the diagonal,
    /// onto β e_l with |β| = `norm` (LAPACK's dlarfg), applied to columns l+1 ..< end (later
    /// columns are aliased and never used) and to Qᵀy.
    private mutating func reflect(column l: Int, norm: Scalar, through end: Int) {
        let n = rows
        a.withUnsafeMutableBufferPointer { a in
            qty.withUnsafeMutableBufferPointer { qty in
                let alpha = a[l * n + l]
                let beta = alpha < Scalar.zero ? norm : -norm
                let tau = (beta - alpha) / beta
                let scale = Scalar(1) / (alpha - beta)
                for i in l + 1 ..< n { a[l * n + i] = a[l * n + i] * scale }
                a[l * n + l] = beta
                func apply(_ target: UnsafeMutablePointer<Scalar>) {
                    var w = target[l]
                    for i in l + 1 ..< n { w = w + a[l * n + i] * target[i] }
                    w = tau * w
                    target[l] = target[l] - w
                    for i in l + 1 ..< n { target[i] = target[i] - a[l * n + i] * w }
                }
                for j in l + 1 ..< end { apply(a.baseAddress! + j * n) }
                apply(qty.baseAddress!)
            }
        }
    }

    // MARK: - Solving

    var kept: [Int] { Array(order.prefix(rank)) }

    var keptNorms: [Double] { (0 ..< rank).map { norms[$0].double / columnScales[order[$0]] } }

    private func r(_ i: Int, _ j: Int) -> Scalar { a[j * rows + i] }

    /// Solves R b = c (upper triangular) in place.
    private func backSubstitute(_ c: inout [Scalar]) {
        for i in stride(from: rank - 1, through: 0, by: -1) {
            var sum = c[i]
            for j in i + 1 ..< rank { sum = sum - r(i, j) * c[j] }
            c[i] = sum / r(i, i)
        }
    }

    func coefficients() -> [DoubleDouble] {
        var b = Array(qty.prefix(rank))
        backSubstitute(&b)
        return (0 ..< rank).map { b[$0].doubleDouble * (columnScales[order[$0]] / responseScale) }
    }

    func correction(for gradient: [DoubleDouble]) -> [DoubleDouble] {
        // X S = Q R for the scales S, so (XᵀX)⁻¹ = S (RᵀR)⁻¹ S: solve Rᵀ w = S g, then R δ = w.
        var w = (0 ..< rank).map { scaled(gradient[$0], by: columnScales[order[$0]]) }
        for i in 0 ..< rank {
            var sum = w[i]
            for k in 0 ..< i { sum = sum - r(k, i) * w[k] }
            w[i] = sum / r(i, i)
        }
        backSubstitute(&w)
        return (0 ..< rank).map { w[$0].doubleDouble * columnScales[order[$0]] }
    }

    /// A double-double value in `Scalar`, times a power of two (exact).
    private func scaled(_ value: DoubleDouble, by scale: Double) -> Scalar {
        Scalar(value.hi * scale) + Scalar(value.lo * scale)
    }

    func unscaledCovariance() -> Matrix {
        // R⁻¹ column by column (upper triangular), then S R⁻¹ R⁻ᵀ S.
        let k = rank
        var inverse = [Scalar](repeating: .zero, count: k * k)
        for j in 0 ..< k {
            inverse[j * k + j] = Scalar(1) / r(j, j)
            for i in stride(from: j - 1, through: 0, by: -1) {
                var sum = Scalar.zero
                for m in i + 1 ... j { sum = sum + r(i, m) * inverse[j * k + m] }
                inverse[j * k + i] = -sum / r(i, i)
            }
        }
        var covariance = Matrix(rows: k, columns: k)
        for i in 0 ..< k {
            for j in i ..< k {
                var sum = Scalar.zero
                for m in j ..< k { sum = sum + inverse[m * k + i] * inverse[m * k + j] }
                let value = sum.double * columnScales[order[i]] * columnScales[order[j]]
                covariance[i, j] = value
                covariance[j, i] = value
            }
        }
        return covariance
    }
}
