import CLapack
import Diagnostics

/// The least-squares solution of X b ≈ y, with what is needed for inference.
public struct LeastSquaresFit: Sendable, Equatable {
    /// One per column of X; NaN where the column is aliased (R's NA).
    public let coefficients: [Double]
    /// True for columns that are (numerically) linear combinations of earlier columns.
    public let aliased: [Bool]
    /// The numerical rank: how many columns are not aliased.
    public let rank: Int
    public let fitted: [Double]
    public let residuals: [Double]
    /// (RᵀR)⁻¹ = (XᵀX)⁻¹ restricted to the non-aliased columns, in their original order
    /// (rank × rank). Times σ², the coefficients' covariance.
    public let unscaledCovariance: Matrix
    /// The (p+1) × (p+1) upper triangle T of [X y] with TᵀT = [X y]ᵀ[X y], column-major, when
    /// the fit formed one on its way (a tall X; by the Gram route only without low parts, the
    /// triangle being of x alone): `ScatterFactor` keeps it for `update`. Nil otherwise.
    public let scatterTriangle: [Double]?
}

/// Least squares by Householder QR with R's "limited" column pivoting, to full double accuracy on
/// ill-conditioned designs and fast on tall ones. The normal equations, whose condition number
/// is the square of X's, only where that costs nothing after refinement (`GramFactor`).
///
/// **Rank.** Columns are taken in their given order; a column whose norm, after removing its
/// projection on the columns already kept, is below `tolerance` times its own norm is aliased
/// (moved to the end, NaN coefficient). So of two collinear columns the later one is aliased, as
/// R's `lm` reports it (LINPACK dqrdc2). R's default tolerance, 1e-7, allows for the rounding
/// of double QR itself; here the projections are computed in double-double (or, for a tall X,
/// from a backward-stable factor whose error is about 1e-16 of each column), so only the data's
/// own rounding blurs what is independent. The default, 1e-10, still aliases a column that is a
/// combination of others computed in floating point (x₂ = 2x₁, x₃ = 2x₁ − x₂) even when forming
/// it cancelled a millionfold, and keeps independent columns however nearly collinear down to
/// that: NIST's Filip polynomial, whose x¹⁰ column is 5e-8 of its norm away from the span of
/// the lower powers, keeps all 11 terms where `lm` aliases one.
///
/// **Accuracy.** When the factorisation is affordable in double-double (m p² up to about 8
/// million for m rows and p columns: every classic test problem and most data sets), the QR,
/// the solution and (XᵀX)⁻¹ are carried to 32 digits and then rounded: coefficients, standard
/// errors, residuals and R² agree with the exact least-squares solution of the given doubles to
/// about 15 digits even at condition numbers near 1e15 (NIST Filip, Wampler 1–5, Longley).
/// Residuals y − Xb are always accumulated in twice double's precision. The given doubles are
/// themselves rounded: Filip's x^k rounded to double move its exact solution 1.3e-8 from the
/// certificate. A design may therefore come as x plus low parts, each entry an unevaluated sum of
/// two doubles (`ColumnProduct` forms powers and interactions so); then every result is for
/// that design, and Filip's certificate comes out to 14 digits.
///
/// **Speed.** A tall X whose Gram matrix XᵀX is well-conditioned (equilibrated reciprocal
/// condition number at least 1e-6, with an aliasing tolerance that could not alias a column of
/// it) is solved from that Gram matrix (`GramFactor`: one dsyrk pass and a Cholesky
/// factorisation) and refined as below; the coefficients agree with the QR route's to the last
/// digits or so. Any other taller X is first reduced to the (p+1) × (p+1) triangle of [X y] by a chunked QR
/// in double (`TallSkinnyQR`, LAPACK); the pivoting and rank are decided on that triangle, in
/// double-double. Its solution is refined: the residuals r = y − X b and the gradient Xᵀr are
/// accumulated in twice double's precision and the correction (XᵀX)⁻¹Xᵀr solved with the
/// triangle, for as many passes (at most 4) as the measured convergence says still gain digits:
/// one for a well-conditioned X. The coefficients reach the exact solution's accuracy as long as
/// the refinement converges (Filip stacked a thousand times: 14 digits); (XᵀX)⁻¹ has double QR's
/// accuracy, relative error about κ² ε for κ the condition number of X with unit columns (Filip:
/// 1e-9). Low parts enter only the refinement's passes: the residuals, the gradient, and xᵀL
/// for the first-order change they make to (XᵀX)⁻¹. A design too large for double-double and
/// not tall enough to reduce is factored in double and refined the same way. Memory: the
/// residuals and a chunk per thread, no copy of X.
///
/// The passes over a tall X run on row segments concurrently; the segments depend only on the
/// number of rows, so the result is the same on every machine.
public enum QRLeastSquares {
    /// The relative remaining norm below which a column is aliased (R's `lm` uses 1e-7 with
    /// double QR); see above.
    public static let defaultTolerance = 1e-10

    /// The factorisation runs in double-double when m p² is at most this (about 0.1 s).
    static let extendedWork = 1 << 23

    /// Passes over X at most when refining a solution (each computes residuals and gradient).
    static let maximumRefinementPasses = 4

    /// The least-squares fit of y on the columns of the design X = x + `lowParts`. Throws only
    /// when interrupted (Ctrl-C), checked once per column or chunk of rows.
    ///
    /// `lowParts` (x's shape; nil for none) make each entry of the design an unevaluated sum of
    /// two doubles, as `ColumnProduct.of` forms products of data columns: the powers of a
    /// polynomial in double-double rather than rounded to double, which is what NIST Filip's
    /// certificate needs. Every result is for the design x + lowParts: the double-double
    /// factorisation takes both parts; a tall or large design's double factor is of x alone, and
    /// its refinement computes the residuals, the gradient and the change to (XᵀX)⁻¹ from both.
    /// Columns whose low parts are all zero cost nothing extra; nil, or all zero, gives exactly
    /// the fit of x. Low parts of another shape than x's are a programming error (precondition).
    public static func fit(_ x: Matrix, _ y: [Double], lowParts: Matrix? = nil,
                           tolerance: Double = defaultTolerance) throws -> LeastSquaresFit {
        try x.withColumnPointers { try fit($0, contiguous: { x }, y, lowParts: lowParts, tolerance: tolerance) }
    }

    /// `fit` of a design held as columns: the passes over a tall one read its columns where
    /// they lie, and only the routes that factor X itself (a design that is not tall, or whose
    /// Gram matrix is ill-conditioned) make it contiguous.
    public static func fit(_ x: DesignColumns, _ y: [Double], lowParts: Matrix? = nil,
                           tolerance: Double = defaultTolerance) throws -> LeastSquaresFit {
        try x.withPointers { try fit($0, contiguous: { x.matrix }, y, lowParts: lowParts, tolerance: tolerance) }
    }

    /// `fit` of the columns `x`, which `contiguous` gives as one matrix.
    private static func fit(_ x: ColumnPointers, contiguous: () -> Matrix, _ y: [Double], lowParts: Matrix?,
                            tolerance: Double) throws -> LeastSquaresFit {
        precondition(x.rows > 0 && y.count == x.rows, "y must have one value per row of X, and X at least one row")
        precondition(lowParts.map { $0.rows == x.rows && $0.columns == x.count } ?? true,
                     "the low parts must have X's shape, \(x.rows) × \(x.count), not \(lowParts!.rows) × \(lowParts!.columns)")
        precondition(tolerance > 0, "the aliasing tolerance must be positive")
        let n = x.rows, p = x.count, low = DesignLowParts(lowParts)
        let extended = affordsExtended(rows: n, columns: p), reduces = !extended && n > 2 * (p + 1)
        let factor: any LeastSquaresFactor
        var scatterTriangle: [Double]?
        if reduces, tolerance <= GramFactor.largestTolerance, let gram = try GramFactor(x, y) {
            factor = gram
        } else if reduces {
            let triangle = try TallSkinnyQR.triangularFactor(contiguous(), appending: y)
            scatterTriangle = triangle
            factor = try triangle.withUnsafeBufferPointer { r in
                try factorise(UnsafeBufferPointer(rebasing: r[0 ..< (p + 1) * p]), rows: p + 1, columns: p,
                              y: UnsafeBufferPointer(rebasing: r[(p + 1) * p ..< (p + 1) * (p + 1)]), tolerance: tolerance)
            }
        } else {
            factor = try contiguous().values.withUnsafeBufferPointer { x in
                try y.withUnsafeBufferPointer { y in
                    try factorise(x, low: low?.matrix.values, rows: n, columns: p, y: y, tolerance: tolerance)
                }
            }
        }
        var covariance = factor.unscaledCovariance()
        let kept = factor.kept
        var solution = factor.coefficients()
        let residuals = extended
            ? try ExtendedResidual(x, plus: low, y, kept: kept, coefficients: solution, gradient: false).rounded
            : try refine(&solution, covariance: &covariance, factor: factor, x: x, plus: low, y: y)

        var coefficients = [Double](repeating: .nan, count: p)
        var aliased = [Bool](repeating: true, count: p)
        for (position, column) in kept.enumerated() {
            coefficients[column] = solution[position].double
            aliased[column] = false
        }
        if let gram = factor as? GramFactor, low == nil {
            scatterTriangle = gram.triangle(solution: coefficients, residualSumOfSquares: residuals.reduce(0) { $0 + $1 * $1 })
        }
        return LeastSquaresFit(coefficients: coefficients, aliased: aliased, rank: kept.count,
                               fitted: zip(y, residuals).map { $0 - $1 }, residuals: residuals,
                               unscaledCovariance: covariance, scatterTriangle: scatterTriangle)
    }

    static func affordsExtended(rows: Int, columns: Int) -> Bool {
        Double(rows) * Double(columns) * Double(columns) <= Double(extendedWork)
    }

    /// A factor of x + low in double-double when affordable, else of x alone in double (to be refined).
    private static func factorise(_ x: UnsafeBufferPointer<Double>, low: [Double]? = nil, rows: Int, columns: Int,
                                  y: UnsafeBufferPointer<Double>, tolerance: Double) throws -> any LeastSquaresFactor {
        if affordsExtended(rows: rows, columns: columns) {
            return try PivotedHouseholderQR<DoubleDouble>(x, low: low, rows: rows, columns: columns, y: y, tolerance: tolerance)
        }
        return try PivotedHouseholderQR<Double>(x, rows: rows, columns: columns, y: y, tolerance: tolerance)
    }

    /// Iterative refinement of a solution from a double factor: b += (XᵀX)⁻¹ Xᵀ(y − X b) for X
    /// the design x + low, with the residual and gradient accumulated in twice double's precision
    /// and the correction solved with the factor. Returns the residuals of the final b.
    ///
    /// With R the exact factor of X + E, ‖E‖ ≈ ε‖X‖ column by column, each step multiplies the
    /// error by about κ² ε for κ the condition number of X with unit columns. Before any step that
    /// rate is bounded by k · Σ ‖xⱼ‖² [(XᵀX)⁻¹]ⱼⱼ · ε (k kept columns; the bound is pessimistic);
    /// after one it is measured as the ratio of successive corrections (their largest size
    /// relative to each coefficient). The last correction is applied without another pass once
    /// rate / (1 − rate) times its size, the error it leaves, is below a quarter of a unit in the
    /// last place of every coefficient: so a well-conditioned X takes one pass. A step that does
    /// not halve the correction is undone, so refinement never makes b worse.
    ///
    /// The factor, and so `covariance`, is of x alone; with low parts L, the first pass also
    /// accumulates xᵀL and `covariance` becomes (XᵀX)⁻¹ of X = x + L (see `inverseGram`).
    private static func refine(_ b: inout [DoubleDouble], covariance: inout Matrix, factor: any LeastSquaresFactor,
                               x: ColumnPointers, plus low: DesignLowParts?, y: [Double]) throws -> [Double] {
        let kept = factor.kept, norms = factor.keptNorms
        let bound = Double(kept.count) * kept.indices.reduce(0) { $0 + norms[$1] * norms[$1] * covariance[$1, $1] } * .ulpOfOne
        // A correction's size relative to each coefficient, or to ε times the largest for one near zero.
        func relativeSize(_ correction: [DoubleDouble]) -> Double {
            let floor = Double.ulpOfOne * b.reduce(0) { max($0, abs($1.double)) }
            return zip(correction, b).reduce(0) { max($0, abs($1.0.double) / max(abs($1.1.double), floor)) }
        }
        var residual = try ExtendedResidual(x, plus: low, y, kept: kept, coefficients: b, gradient: true, lowCrossProducts: true)
        if let cross = residual.lowCrossProducts { covariance = inverseGram(covariance, perturbedBy: cross) }
        var correction = factor.correction(for: residual.gradient)
        var previous: (b: [DoubleDouble], residual: ExtendedResidual, size: Double)?
        var passes = 1
        while true {
            let size = relativeSize(correction)
            var rate = bound
            if let previous {
                rate = size / previous.size
                guard rate < 0.5 else {
                    b = previous.b
                    return previous.residual.rounded
                }
            }
            let converged = rate < 0.5 && rate / (1 - rate) * size <= 0x1p-54
            if converged || passes == maximumRefinementPasses {
                for i in b.indices { b[i] += correction[i] }
                return residual.rounded(subtracting: correction, columns: kept, of: x)
            }
            previous = (b, residual, size)
            for i in b.indices { b[i] += correction[i] }
            residual = try ExtendedResidual(x, plus: low, y, kept: kept, coefficients: b, gradient: true)
            correction = factor.correction(for: residual.gradient)
            passes += 1
        }
    }

    /// (XᵀX)⁻¹ for X = x + L from C = (xᵀx)⁻¹ and xᵀL (over the kept columns), to first order:
    /// C − C E C with E = xᵀL + Lᵀx. What it leaves out, LᵀL and the terms in (C E)², is of the
    /// order of the square of the change, since L is about ε of x. The change can far exceed C's
    /// own error from the double factor: rounding Filip's x^k to double moves its (XᵀX)⁻¹ by
    /// 5e-8, fifty times that error.
    private static func inverseGram(_ c: Matrix, perturbedBy cross: Matrix) -> Matrix {
        let k = c.rows
        var perturbation = cross, product = Matrix(rows: k, columns: k), result = c
        for i in 0 ..< k {
            for j in 0 ..< k { perturbation[i, j] = cross[i, j] + cross[j, i] }
        }
        let size = Int32(k)
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, size, size, size, 1, c.values, size, perturbation.values, size,
                    0, &product.values, size)
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, size, size, size, -1, product.values, size, c.values, size,
                    1, &result.values, size)
        for i in 0 ..< k {
            for j in 0 ..< i { result[i, j] = result[j, i] }
        }
        return result
    }
}
