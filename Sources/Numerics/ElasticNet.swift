import CLapack
import Diagnostics
import Foundation

/// One elastic-net (or lasso) fit and how its coordinate descent ended.
public struct ElasticNetFit: Sendable, Equatable {
    public let alpha: Double
    public let coefficients: [Double]
    /// Zero when the intercept was not fitted.
    public let intercept: Double
    /// Full sweeps over the coordinates (scikit-learn's `n_iter_`; 0 when the starting point
    /// already met the tolerance).
    public let iterations: Int
    /// The duality gap at the returned coefficients, in the objective's units (scikit-learn's
    /// `dual_gap_`): an upper bound on how far the objective is above its minimum.
    public let dualityGap: Double
    /// The gap the fit had to reach: tolerance · ‖y − ȳ‖² / n.
    public let gapTolerance: Double
    /// False when `maxIterations` sweeps ended with the gap still above `gapTolerance`.
    public let converged: Bool
}

/// Elastic net and lasso by cyclic coordinate descent (Friedman, Hastie & Tibshirani 2010), on
/// scikit-learn's objective
///
///     (1/(2n))‖y − Xw − b‖² + α·ρ·‖w‖₁ + ½·α·(1 − ρ)·‖w‖²,   ρ = `l1Ratio`,
///
/// with the intercept b unpenalised (X and y centred, b = ȳ − μᵀw). ρ = 1 is the lasso (with
/// the other defaults, scikit-learn's Lasso); ρ = 0 is ridge with scikit-learn Ridge's α equal to
/// n·α here.
///
/// Stopping follows scikit-learn's `enet_coordinate_descent`: after a sweep whose largest
/// coefficient change is at most `tolerance` times the largest coefficient, the duality gap is
/// computed, and the fit ends when it is ≤ `tolerance`·‖y − ȳ‖²/n. The gap is scikit-learn's:
/// the rescaled-residual dual point for ρ > 0, the dual of Dünner et al. (2016) for ρ = 0, and
/// the squared gradient ‖XᵀR‖² for α = 0. A fit that runs out of sweeps says so (`converged`).
/// Unlike scikit-learn it does no gap-safe screening (which only saves work; the result is the same).
///
/// Two ways to keep the residual up to date (`Updates`): from the Gram matrix XcᵀXc (one pass
/// over X, then O(p) per coordinate) or from the residual vector itself (O(n) per coordinate,
/// no p × p matrix). The default is scikit-learn's `precompute="auto"`: the Gram when n > p.
public struct ElasticNet: Sendable {
    public enum Updates: String, Sendable {
        /// "Covariance updates": keep XcᵀXc w.
        case gram
        /// "Naive updates": keep the residual y − Xw.
        case residuals
    }

    public var alpha: Double
    public var l1Ratio: Double
    public var fitIntercept: Bool
    public var tolerance: Double
    public var maxIterations: Int
    /// nil: `.gram` when there are more rows than columns, `.residuals` otherwise.
    public var updates: Updates?

    /// The defaults are scikit-learn's ElasticNet defaults.
    public init(alpha: Double = 1, l1Ratio: Double = 0.5, fitIntercept: Bool = true, tolerance: Double = 1e-4,
                maxIterations: Int = 1000, updates: Updates? = nil) {
        self.alpha = alpha
        self.l1Ratio = l1Ratio
        self.fitIntercept = fitIntercept
        self.tolerance = tolerance
        self.maxIterations = maxIterations
        self.updates = updates
    }

    /// Fits at `alpha`, starting from `initialCoefficients` (a warm start; zeros when nil).
    /// Throws `.usage` for an option out of range, `.data` for empty or non-finite input,
    /// `.interrupted` on Ctrl-C.
    public func fit(_ x: Matrix, _ y: [Double], startingFrom initialCoefficients: [Double]? = nil) throws -> ElasticNetFit {
        try solve(x, y, alphas: [alpha], startingFrom: initialCoefficients)[0]
    }

    /// Fits at each of `alphas` in turn, each fit starting from the previous one's coefficients,
    /// which is what makes a path cheap when the alphas decrease. The alphas are sorted into
    /// decreasing order first, as scikit-learn's `enet_path` does; `alpha` is not used. With
    /// `alphas` nil: `pathAlphas(from: alphaMax)`, scikit-learn's default grid.
    public func path(_ x: Matrix, _ y: [Double], alphas: [Double]? = nil) throws -> [ElasticNetFit] {
        try solve(x, y, alphas: alphas?.sorted(by: >), startingFrom: nil)
    }

    /// The smallest α at which every coefficient is zero: max |Xcᵀyc| / (n·ρ). Two dgemv passes
    /// over X (means and Xᵀyc), no Gram matrix.
    /// Throws `.usage` when ρ = 0, for which no finite α zeroes the coefficients.
    public func alphaMax(_ x: Matrix, _ y: [Double]) throws -> Double {
        try checkDesign(x, y)
        let n = x.rows, p = x.columns
        let yMean = fitIntercept ? y.reduce(0, +) / Double(n) : 0
        let yCentred = y.map { $0 - yMean }
        var xty = [Double](repeating: 0, count: p)
        cblas_dgemv(CblasColMajor, CblasTrans, Int32(n), Int32(p), 1, x.values, Int32(n), yCentred, 1, 0, &xty, 1)
        if fitIntercept {
            // Xcᵀyc = Xᵀyc − μ Σyc; Σyc is zero but for rounding.
            let means = columnMeans(x)
            let ySum = yCentred.reduce(0, +)
            for j in 0 ..< p { xty[j] -= means[j] * ySum }
        }
        guard xty.allSatisfy(\.isFinite) else { throw nonFiniteDataError }
        return try alphaMax(correlations: xty, rows: n)
    }

    private func alphaMax(correlations xty: [Double], rows: Int) throws -> Double {
        guard l1Ratio > 0 else {
            throw ModelshError.usage("with l1Ratio 0 (no L1 penalty) no alpha makes every coefficient zero", argument: "l1Ratio")
        }
        return xty.reduce(0) { max($0, abs($1)) } / (Double(rows) * l1Ratio)
    }

    /// `count` alphas evenly spaced on a log scale from `alphaMax` down to `alphaMax · ratio`
    /// (numpy's `geomspace`, as scikit-learn's `_alpha_grid` with eps = `ratio`). An alphaMax
    /// below 1e-15 gives `count` copies of 1e-15, as there.
    public static func pathAlphas(from alphaMax: Double, count: Int = 100, ratio: Double = 1e-3) -> [Double] {
        precondition(count >= 1 && ratio > 0, "a path needs at least one alpha and a positive ratio")
        let resolution = 1e-15
        guard alphaMax > resolution else { return Array(repeating: resolution, count: count) }
        guard count > 1 else { return [alphaMax] }
        let top = log10(alphaMax), bottom = log10(alphaMax * ratio)
        var alphas = (0 ..< count).map { k -> Double in
            let exponent = top + (bottom - top) * Double(k) / Double(count - 1)
            return pow(10, exponent)
        }
        alphas[0] = alphaMax
        alphas[count - 1] = alphaMax * ratio
        return alphas
    }

    private func checkOptions() throws {
        guard alpha >= 0, alpha.isFinite else {
            throw ModelshError.usage("alpha must be a finite number ≥ 0, not \(alpha)", argument: "alpha")
        }
        guard (0 ... 1).contains(l1Ratio) else {
            throw ModelshError.usage("l1Ratio must be between 0 and 1, not \(l1Ratio)", argument: "l1Ratio")
        }
        guard tolerance >= 0, tolerance.isFinite else {
            throw ModelshError.usage("tolerance must be a finite number ≥ 0, not \(tolerance)", argument: "tolerance")
        }
        guard maxIterations >= 1 else {
            throw ModelshError.usage("maxIterations must be at least 1, not \(maxIterations)", argument: "maxIterations")
        }
    }

    /// Fits at each of `alphas` (nil: the default path grid) with warm starts.
    private func solve(_ x: Matrix, _ y: [Double], alphas: [Double]?, startingFrom initial: [Double]?) throws -> [ElasticNetFit] {
        try checkOptions()
        for value in alphas ?? [] where !(value >= 0 && value.isFinite) {
            throw ModelshError.usage("every alpha must be a finite number ≥ 0, not \(value)", argument: "alpha")
        }
        try checkDesign(x, y)
        precondition(initial == nil || initial!.count == x.columns, "initial coefficients must have one value per column of X")
        switch updates ?? (x.rows > x.columns ? .gram : .residuals) {
        case .gram:
            var data = try GramUpdates(try CentredCrossProducts(x, y, centred: fitIntercept))
            return try descend(&data, alphas: alphas, startingFrom: initial)
        case .residuals:
            var data = try ResidualUpdates(x, y, centred: fitIntercept)
            return try descend(&data, alphas: alphas, startingFrom: initial)
        }
    }

    private func descend<Data: CoordinateDescentData>(_ data: inout Data, alphas: [Double]?,
                                                      startingFrom initial: [Double]?) throws -> [ElasticNetFit] {
        let n = Double(data.rows), p = data.columns
        let alphas = try alphas ?? Self.pathAlphas(from: alphaMax(correlations: data.xty, rows: data.rows))
        let squaredNorms = data.columnSquaredNorms
        // A column constant after centring has no coordinate to descend: its coefficient is 0.
        var w = (initial ?? [Double](repeating: 0, count: p)).enumerated().map { squaredNorms[$0] > 0 ? $1 : 0 }
        var fits: [ElasticNetFit] = []
        for alpha in alphas {
            // scikit-learn's cd_fast works on n times the objective.
            let l1 = alpha * l1Ratio * n, l2 = alpha * (1 - l1Ratio) * n
            let gapTolerance = tolerance * data.yy
            data.reset(to: w)
            var gap = dualityGap(data, w, l1: l1, l2: l2)
            var iterations = 0
            while !(gap <= gapTolerance) && iterations < maxIterations {
                try Interruption.check()
                var largestChange = 0.0, largestCoefficient = 0.0
                for j in 0 ..< p where squaredNorms[j] > 0 {
                    let old = w[j]
                    let rho = data.correlation(j) + old * squaredNorms[j]
                    let new = softThreshold(rho, l1) / (squaredNorms[j] + l2)
                    if new != old {
                        data.move(j, by: new - old)
                        w[j] = new
                    }
                    largestChange = max(largestChange, abs(new - old))
                    largestCoefficient = max(largestCoefficient, abs(new))
                }
                iterations += 1
                if largestCoefficient == 0 || largestChange <= tolerance * largestCoefficient || iterations == maxIterations {
                    gap = dualityGap(data, w, l1: l1, l2: l2)
                }
            }
            let intercept = fitIntercept ? data.yMean - zip(data.xMeans, w).reduce(0) { $0 + $1.0 * $1.1 } : 0
            fits.append(ElasticNetFit(alpha: alpha, coefficients: w, intercept: intercept, iterations: iterations,
                                      dualityGap: gap / n, gapTolerance: gapTolerance / n, converged: gap <= gapTolerance))
        }
        return fits
    }
}

private func softThreshold(_ value: Double, _ threshold: Double) -> Double {
    value > threshold ? value - threshold : value < -threshold ? value + threshold : 0
}

/// scikit-learn's duality gap for ½‖R‖² + l1‖w‖₁ + ½ l2‖w‖² (`gap_enet`), R = yc − Xc w.
private func dualityGap<Data: CoordinateDescentData>(_ data: Data, _ w: [Double], l1: Double, l2: Double) -> Double {
    let gradient = data.residualCorrelations()  // XcᵀR
    let residualNorm2 = data.residualSquaredNorm(w)
    if l1 == 0 && l2 == 0 {
        // Least squares has no dual to compare with: the squared first-order condition.
        return gradient.reduce(0) { $0 + $1 * $1 }
    }
    let residualDotY = data.residualDotY(w)
    let w2 = w.reduce(0) { $0 + $1 * $1 }
    if l1 == 0 {
        // Dünner et al. (2016) 5.2.3, whose dual is feasible everywhere when l2 > 0.
        return residualNorm2 + 0.5 * l2 * w2 - residualDotY + gradient.reduce(0) { $0 + $1 * $1 } / (2 * l2)
    }
    // The dual point R scaled into the feasible set ‖Xᵀv − l2 w‖∞ ≤ l1.
    let dualNorm = zip(gradient, w).reduce(0) { max($0, abs($1.0 - l2 * $1.1)) }
    let scale = dualNorm > l1 ? l1 / dualNorm : 1
    let primal = 0.5 * (residualNorm2 + l2 * w2) + l1 * w.reduce(0) { $0 + abs($1) }
    let dual = -0.5 * scale * scale * (residualNorm2 + l2 * w2) + scale * residualDotY
    return primal - dual
}

// MARK: - Keeping the residual

/// What coordinate descent needs from the centred data, whichever way it keeps the residual
/// R = yc − Xc w up to date as coefficients move.
private protocol CoordinateDescentData {
    var rows: Int { get }
    var columns: Int { get }
    var xMeans: [Double] { get }
    var yMean: Double { get }
    /// ycᵀyc.
    var yy: Double { get }
    /// Xcᵀyc.
    var xty: [Double] { get }
    /// ‖x_j − μ_j‖² per column.
    var columnSquaredNorms: [Double] { get }
    /// Starts over from coefficients `w`.
    mutating func reset(to w: [Double])
    /// x_jᵀR for the current coefficients.
    func correlation(_ j: Int) -> Double
    /// Records that coefficient j moved by `delta`.
    mutating func move(_ j: Int, by delta: Double)
    /// XcᵀR.
    func residualCorrelations() -> [Double]
    /// ‖R‖².
    func residualSquaredNorm(_ w: [Double]) -> Double
    /// Rᵀyc.
    func residualDotY(_ w: [Double]) -> Double
}

/// Covariance updates: keeps G w for the Gram matrix G = XcᵀXc, so x_jᵀR = (Xcᵀyc)_j − (Gw)_j.
private struct GramUpdates: CoordinateDescentData {
    let products: CentredCrossProducts
    let columnSquaredNorms: [Double]
    private var gramTimesW: [Double]

    init(_ products: CentredCrossProducts) throws {
        self.products = products
        let p = products.columns
        columnSquaredNorms = (0 ..< p).map { products.gram[$0 * p + $0] }
        gramTimesW = [Double](repeating: 0, count: p)
    }

    var rows: Int { products.rows }
    var columns: Int { products.columns }
    var xMeans: [Double] { products.xMeans }
    var yMean: Double { products.yMean }
    var yy: Double { products.yy }
    var xty: [Double] { products.xty }

    mutating func reset(to w: [Double]) {
        let p = Int32(columns)
        cblas_dgemv(CblasColMajor, CblasNoTrans, p, p, 1, products.gram, p, w, 1, 0, &gramTimesW, 1)
    }

    func correlation(_ j: Int) -> Double { products.xty[j] - gramTimesW[j] }

    mutating func move(_ j: Int, by delta: Double) {
        let p = columns
        products.gram.withUnsafeBufferPointer { gram in
            cblas_daxpy(Int32(p), delta, gram.baseAddress! + j * p, 1, &gramTimesW, 1)
        }
    }

    func residualCorrelations() -> [Double] { zip(xty, gramTimesW).map { $0 - $1 } }

    // ‖R‖² = yᵀy − 2wᵀXᵀy + wᵀGw and Rᵀy = yᵀy − wᵀXᵀy, as scikit-learn's gap_enet_gram: they
    // cancel when the fit is close, which limits the smallest reachable gap to about 1e-13·yᵀy.
    func residualSquaredNorm(_ w: [Double]) -> Double {
        products.yy + dot(w, gramTimesW) - 2 * dot(w, products.xty)
    }

    func residualDotY(_ w: [Double]) -> Double { products.yy - dot(w, products.xty) }
}

/// Naive updates: keeps R itself, on a centred copy of X.
private struct ResidualUpdates: CoordinateDescentData {
    let rows: Int
    let columns: Int
    let xMeans: [Double]
    let yMean: Double
    let yy: Double
    let xty: [Double]
    let columnSquaredNorms: [Double]
    private let centredX: [Double]
    private let centredY: [Double]
    private var residuals: [Double]

    init(_ x: Matrix, _ y: [Double], centred: Bool) throws {
        let n = x.rows, p = x.columns
        rows = n
        columns = p
        xMeans = centred ? columnMeans(x) : [Double](repeating: 0, count: p)
        yMean = centred ? y.reduce(0, +) / Double(n) : 0
        let values = subtractingColumnMeans(x, xMeans)
        centredX = values
        centredY = y.map { [yMean] in $0 - yMean }
        yy = dot(centredY, centredY)
        columnSquaredNorms = values.withUnsafeBufferPointer { v in
            (0 ..< p).map { j in cblas_ddot(Int32(n), v.baseAddress! + j * n, 1, v.baseAddress! + j * n, 1) }
        }
        var xty = [Double](repeating: 0, count: p)
        cblas_dgemv(CblasColMajor, CblasTrans, Int32(n), Int32(p), 1, values, Int32(n), centredY, 1, 0, &xty, 1)
        self.xty = xty
        residuals = centredY
        guard yy.isFinite, columnSquaredNorms.allSatisfy(\.isFinite) else { throw nonFiniteDataError }
    }

    mutating func reset(to w: [Double]) {
        residuals = centredY
        cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(rows), Int32(columns), -1, centredX, Int32(rows), w, 1, 1, &residuals, 1)
    }

    func correlation(_ j: Int) -> Double {
        centredX.withUnsafeBufferPointer { cblas_ddot(Int32(rows), $0.baseAddress! + j * rows, 1, residuals, 1) }
    }

    mutating func move(_ j: Int, by delta: Double) {
        let n = rows
        centredX.withUnsafeBufferPointer { x in
            cblas_daxpy(Int32(n), -delta, x.baseAddress! + j * n, 1, &residuals, 1)
        }
    }

    func residualCorrelations() -> [Double] {
        var result = [Double](repeating: 0, count: columns)
        cblas_dgemv(CblasColMajor, CblasTrans, Int32(rows), Int32(columns), 1, centredX, Int32(rows), residuals, 1, 0, &result, 1)
        return result
    }

    func residualSquaredNorm(_ w: [Double]) -> Double { dot(residuals, residuals) }

    func residualDotY(_ w: [Double]) -> Double { dot(residuals, centredY) }
}

private func dot(_ a: [Double], _ b: [Double]) -> Double {
    cblas_ddot(Int32(a.count), a, 1, b, 1)
}
