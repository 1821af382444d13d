import CLapack
import Diagnostics

/// A least-squares factor of a tall, well-conditioned X from its Gram matrix XᵀX: one pass over X
/// (dsyrk, n p² flops and no copy of X, against TallSkinnyQR's 2 n p² flops and a copy of every
/// chunk), then a Cholesky factorisation of the p × p matrix, equilibrated to a unit diagonal.
///
/// The normal equations square X's condition number, so this factor is only made when LAPACK's
/// estimate of the equilibrated Gram's reciprocal condition number is at least
/// `minimumReciprocalCondition` (κ(X) with unit columns up to about 1e3); `QRLeastSquares` takes
/// the QR route otherwise. Within that bound it serves as well as the QR's triangle: the solution
/// is refined with residuals and gradients in twice double's precision (`QRLeastSquares.refine`),
/// each pass shrinking the error by about κ(XᵀX) ε ≤ 1e-9, so the coefficients reach the exact
/// solution's accuracy; (XᵀX)⁻¹ has relative error about κ(XᵀX) ε, as the QR route's has. Every
/// column is kept: a column the QR's rank rule would alias has a remaining norm below 1e-5 of its
/// own, which makes the Gram's condition number above 1e10 (see `largestTolerance`).
///
/// Row segments are summed concurrently and their Gram matrices added in segment order, so the
/// result depends only on the data (`RowSegments`).
struct GramFactor: LeastSquaresFactor {
    /// The reciprocal condition number (of the equilibrated XᵀX, 1-norm estimate) below which
    /// the QR route is taken.
    static let minimumReciprocalCondition = 1e-6
    /// Aliasing tolerances up to this cannot alias a column of X when the Gram is that well
    /// conditioned (its remaining norm is at least about √1e-6 of its own); a larger one takes
    /// the QR route, which applies the rule itself.
    static let largestTolerance = 1e-5

    let kept: [Int]
    let keptNorms: [Double]
    private let cholesky: Cholesky
    private let xty: [Double]

    /// Nil when XᵀX is too ill-conditioned (or not finite: squares that overflow).
    init?(_ x: ColumnPointers, _ y: [Double]) throws {
        let p = x.count
        let gram = try Self.augmentedGram(x, y)
        var xtx = Matrix(rows: p, columns: p)
        for j in 0 ..< p { for i in 0 ..< p { xtx[i, j] = gram[j * (p + 1) + i] } }
        guard let cholesky = Cholesky(xtx, minimumReciprocalCondition: Self.minimumReciprocalCondition) else { return nil }
        self.cholesky = cholesky
        xty = (0 ..< p).map { gram[p * (p + 1) + $0] }
        kept = Array(0 ..< p)
        keptNorms = (0 ..< p).map { xtx[$0, $0].squareRoot() }
    }

    func coefficients() -> [DoubleDouble] { cholesky.solve(xty).map(DoubleDouble.init) }

    func correction(for gradient: [DoubleDouble]) -> [DoubleDouble] {
        cholesky.solve(gradient.map(\.double)).map(DoubleDouble.init)
    }

    func unscaledCovariance() -> Matrix { cholesky.inverse() }

    /// The (p+1) × (p+1) upper triangle T of [X y], column-major, with TᵀT = [X y]ᵀ[X y]: the
    /// Cholesky factor R of XᵀX beside R b, and below it ‖y − X b‖, for the least-squares
    /// solution b and its residual sum of squares (both as accurate as refinement made them).
    /// So TᵀT reproduces XᵀX, Xᵀy = XᵀX b and yᵀy = ‖X b‖² + ‖y − X b‖² without forming
    /// yᵀy − ‖R b‖², which cancels when the fit is close.
    func triangle(solution b: [Double], residualSumOfSquares: Double) -> [Double] {
        let p = kept.count, width = p + 1, r = cholesky.upperFactor
        var triangle = [Double](repeating: 0, count: width * width)
        for j in 0 ..< p { for i in 0 ... j { triangle[j * width + i] = r[i, j] } }
        for i in 0 ..< p { triangle[p * width + i] = (i ..< p).reduce(0) { $0 + r[i, $1] * b[$1] } }
        triangle[p * width + p] = residualSumOfSquares.squareRoot()
        return triangle
    }

    /// [X y]ᵀ[X y], (p+1) × (p+1) column-major, both triangles filled: the weighted Gram
    /// matrix with unit weights (its blocks go through the cache once, and its kernel is several
    /// times as fast as dsyrk on a few dozen columns). Throws only when interrupted.
    static func augmentedGram(_ x: ColumnPointers, _ y: [Double]) throws -> [Double] {
        var accumulator = WeightedGramAccumulator(columns: x.count, extraColumn: true, unitWeights: true)
        _ = try accumulator.addRows(of: x) { block, _, extra in
            for (k, i) in block.enumerated() { extra![k] = y[i] }
        }
        return accumulator.result.values
    }
}
