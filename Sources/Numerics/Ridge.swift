import CLapack
import Diagnostics

/// A ridge fit and what a summary shows of it.
public struct RidgeFit: Sendable, Equatable {
    public let coefficients: [Double]
    /// Zero when the intercept was not fitted.
    public let intercept: Double
    /// The trace of the hat matrix of the penalised part, Σ d²/(d² + α) over the singular values
    /// d of the (centred) X: p at α = 0 for full-rank X, falling towards 0 as α grows. A fitted
    /// intercept adds one more.
    public let effectiveDegreesOfFreedom: Double
    /// ‖y − Xw − b‖² (`residualSumOfSquares(_:_:)`).
    public let residualSumOfSquares: Double
    /// ‖y − ȳ‖² with the intercept, ‖y‖² without: the cross-products' ycᵀyc.
    public let totalSumOfSquares: Double
    /// Which factorisation produced the fit.
    public let solver: Ridge.Solver
    /// The factor of [X y] (centred when the intercept is fitted) from the cross-products, when
    /// they are well-conditioned enough for one (`ScatterFactor`); nil otherwise.
    public let factor: ScatterFactor?
}

/// Ridge regression: the exact minimiser of scikit-learn's Ridge objective
/// ‖y − Xw − b‖² + α‖w‖², the intercept b unpenalised (X and y are centred, the centred problem
/// solved, and b = ȳ − μᵀw recovered). With α = 0 it is least squares, and for rank-deficient X
/// the minimum-norm solution, as scikit-learn's SVD solver gives.
///
/// Two ways to solve, chosen by the condition number κ = (λmax + α)/(λmin + α) of the penalised
/// Gram matrix XcᵀXc + αI, whose eigenvalues come with the fit anyway:
/// - `gram`: one pass over X for XcᵀXc (`CentredCrossProducts`, dsyrk), then its eigen-
///   decomposition (dsyevd, p × p) gives w = V(Λ + αI)⁻¹Vᵀ Xcᵀyc and the degrees of freedom.
///   Its relative error grows like κ·ε, so it is used only while κ ≤ `gramConditionLimit`
///   (error ≲ 1e-11). Cost: n p² + O(p³) flops and no copy of X.
/// - `svd`: otherwise (α small relative to an ill-conditioned X) the singular value
///   decomposition of Xc itself (dgesdd, which factors QR first for tall X):
///   w = V diag(d/(d² + α)) Uᵀ yc. Its error grows like κ(Xc)·ε, the square root of the
///   Gram's, so accuracy holds where the normal equations would lose all digits. Singular values
///   below max(n, p)·ε·dmax count as zero (numpy's `pinv` cut-off). Cost: about 2–4 n p² flops
///   and a copy of X.
public struct Ridge: Sendable {
    public enum Solver: String, Sendable {
        case gram, svd
    }

    /// Above this condition number the Gram path would risk more than ~1e-11 relative error
    /// (measured: 8e-11 on the raw diabetes data at κ = 7e4, where the SVD path gives 2e-13).
    public static let gramConditionLimit = 1e4

    public var alpha: Double
    public var fitIntercept: Bool

    public init(alpha: Double = 1, fitIntercept: Bool = true) {
        self.alpha = alpha
        self.fitIntercept = fitIntercept
    }

    /// Throws `.usage` for a negative or non-finite α, `.data` for empty or non-finite input,
    /// `.interrupted` on Ctrl-C.
    public func fit(_ x: Matrix, _ y: [Double]) throws -> RidgeFit {
        try x.withColumnPointers { try fit($0, contiguous: { x }, y) }
    }

    /// `fit` of a design held as columns: the cross-products and residuals read them where they
    /// lie; only the SVD route (an ill-conditioned X) makes the matrix.
    public func fit(_ x: DesignColumns, _ y: [Double]) throws -> RidgeFit {
        try x.withPointers { try fit($0, contiguous: { x.matrix }, y) }
    }

    private func fit(_ x: ColumnPointers, contiguous: () -> Matrix, _ y: [Double]) throws -> RidgeFit {
        guard alpha >= 0, alpha.isFinite else {
            throw ModelshError.usage("alpha must be a finite number ≥ 0, not \(alpha)", argument: "alpha")
        }
        try checkDesign(rows: x.rows, columns: x.count, y)
        let products = try CentredCrossProducts(x, y, centred: fitIntercept)
        let solution = try solveByGram(products) ?? solveBySVD(contiguous(), y, products)
        let intercept = fitIntercept ? products.yMean - cblas_ddot(Int32(x.count), products.xMeans, 1, solution.coefficients, 1) : 0
        return RidgeFit(coefficients: solution.coefficients, intercept: intercept,
                        effectiveDegreesOfFreedom: solution.degreesOfFreedom,
                        residualSumOfSquares: Self.residualSumOfSquares(products, solution.coefficients)
                            ?? summedSquaredResiduals(x, y, solution.coefficients, intercept),
                        totalSumOfSquares: products.yy,
                        solver: solution.solver, factor: ScatterFactor(products, centred: fitIntercept))
    }

    /// ‖yc − Xc w‖² = ycᵀyc − 2wᵀXcᵀyc + wᵀXcᵀXc w from the cross-products, which saves a
    /// pass over X; nil when it may cancel too far to trust. Each product is rounded by at most
    /// about (block rows + blocks)·ε ≤ 4096ε of the scale of its entry (‖a‖·‖b‖ for aᵀb), so
    /// the sum's error is at most 4096ε·(‖yc‖ + Σ|wⱼ|·‖xcⱼ‖)²; the residuals are summed
    /// instead unless that bound is below 1e-9 of the result (a summary prints six digits).
    static func residualSumOfSquares(_ products: CentredCrossProducts, _ w: [Double]) -> Double? {
        let p = products.columns
        var gw = [Double](repeating: 0, count: p)
        cblas_dsymv(CblasColMajor, CblasUpper, Int32(p), 1, products.gram, Int32(p), w, 1, 0, &gw, 1)
        let quadratic = cblas_ddot(Int32(p), w, 1, gw, 1), cross = cblas_ddot(Int32(p), w, 1, products.xty, 1)
        let rss = products.yy - 2 * cross + quadratic
        let scale = products.yy.squareRoot() + (0 ..< p).reduce(0) { $0 + abs(w[$1]) * products.gram[$1 * p + $1].squareRoot() }
        let bound = 4096 * Double.ulpOfOne * scale * scale
        return rss.isFinite && bound <= 1e-9 * rss ? rss : nil
    }

    private struct Solution {
        let coefficients: [Double]
        let degreesOfFreedom: Double
        let solver: Solver
    }

    /// The Gram path, or nil when XcᵀXc + αI is too ill-conditioned for it.
    private func solveByGram(_ products: CentredCrossProducts) -> Solution? {
        let p = products.columns, p32 = Int32(p)
        var vectors = products.gram
        var eigenvalues = [Double](repeating: 0, count: p)
        let status = LAPACKE_dsyevd(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "U")), p32,
                                    &vectors, p32, &eigenvalues)
        // Rounding can leave an eigenvalue of a singular Gram slightly negative.
        let lambdas = eigenvalues.map { max($0, 0) }
        let condition = (lambdas[p - 1] + alpha) / (lambdas[0] + alpha)
        guard status == 0, condition <= Self.gramConditionLimit else { return nil }  // NaN (0/0) fails too
        var rotated = [Double](repeating: 0, count: p)
        cblas_dgemv(CblasColMajor, CblasTrans, p32, p32, 1, vectors, p32, products.xty, 1, 0, &rotated, 1)
        for i in 0 ..< p { rotated[i] /= lambdas[i] + alpha }
        var coefficients = [Double](repeating: 0, count: p)
        cblas_dgemv(CblasColMajor, CblasNoTrans, p32, p32, 1, vectors, p32, rotated, 1, 0, &coefficients, 1)
        let degreesOfFreedom = lambdas.reduce(0) { $0 + ($1 == 0 ? 0 : $1 / ($1 + alpha)) }
        return Solution(coefficients: coefficients, degreesOfFreedom: degreesOfFreedom, solver: .gram)
    }

    /// The SVD path. A tall X is first reduced to the triangle R of [Xc yc] by TSQR, and the SVD
    /// taken of R (p × p), whose singular values and right vectors are Xc's, with Uᵀyc read from
    /// R's last column: the same solution at the cost of one chunked pass (a million rows × 23
    /// columns: 0.2 s against 1.2 s for the SVD of Xc itself).
    private func solveBySVD(_ x: Matrix, _ y: [Double], _ products: CentredCrossProducts) throws -> Solution {
        let n = x.rows, p = x.columns
        let centred = Matrix(rows: n, columns: p, values: subtractingColumnMeans(x, products.xMeans))
        let yCentred = y.map { $0 - products.yMean }
        try Interruption.check()
        guard n > 2 * (p + 1) else { return try solveBySVD(of: centred, rows: n, response: yCentred, residualRows: n) }
        let triangle = try TallSkinnyQR.triangularFactor(centred, appending: yCentred)
        // R (the first p columns, p + 1 rows of which the last is zero) and Qᵀyc (the last column).
        let r = (0 ..< p).flatMap { j in triangle[j * (p + 1) ..< j * (p + 1) + p] }
        let response = Array(triangle[p * (p + 1) ..< p * (p + 1) + p])
        return try solveBySVD(of: Matrix(rows: p, columns: p, values: r), rows: p, response: response, residualRows: n)
    }

    /// Ridge by the SVD of `a` (rows × p) against `response`; `residualRows` (the data's row
    /// count) sets the cutoff below which a singular value counts as zero.
    private func solveBySVD(of a: Matrix, rows: Int, response: [Double], residualRows n: Int) throws -> Solution {
        let p = a.columns, k = min(rows, p)
        var values = a.values
        var singular = [Double](repeating: 0, count: k)
        var u = [Double](repeating: 0, count: rows * k)
        var vt = [Double](repeating: 0, count: k * p)
        let status = LAPACKE_dgesdd(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "S")), Int32(rows), Int32(p), &values, Int32(rows),
                                    &singular, &u, Int32(rows), &vt, Int32(k))
        guard status == 0 else { throw ModelshError.data("the singular value decomposition of X did not converge") }
        let cutoff = singular[0] * Double(max(n, p)) * Double.ulpOfOne
        var rotated = [Double](repeating: 0, count: k)
        cblas_dgemv(CblasColMajor, CblasTrans, Int32(rows), Int32(k), 1, u, Int32(rows), response, 1, 0, &rotated, 1)
        var degreesOfFreedom = 0.0
        for i in 0 ..< k {
            let d = singular[i]
            guard d > cutoff else { rotated[i] = 0; continue }
            rotated[i] *= d / (d * d + alpha)
            degreesOfFreedom += d * d / (d * d + alpha)
        }
        var coefficients = [Double](repeating: 0, count: p)
        cblas_dgemv(CblasColMajor, CblasTrans, Int32(k), Int32(p), 1, vt, Int32(k), rotated, 1, 0, &coefficients, 1)
        return Solution(coefficients: coefficients, degreesOfFreedom: degreesOfFreedom, solver: .svd)
    }
}

/// ‖y − Xw − b‖² from the residuals themselves: one dgemv pass over X.
private func summedSquaredResiduals(_ x: ColumnPointers, _ y: [Double], _ coefficients: [Double], _ intercept: Double) -> Double {
    zip(y, x.product(coefficients, plus: intercept)).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
}
