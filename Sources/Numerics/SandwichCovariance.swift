import Diagnostics

/// Robust covariances of regression coefficients, the sandwich B M B with the bread
/// B = (XᵀWX)⁻¹ and a meat M of the rows' scores that does not assume the model's variance
/// for every row: R's sandwich::vcovHC and vcovCL, Stata's vce(robust) and vce(cluster).
///
/// X is the design's columns the fit estimated (aliased ones left out); row i's score is
/// sᵢ = aᵢ xᵢ, its factor aᵢ the (weighted) residual for least squares and canonical links, and
/// Wᵢ its working weight (the case weight for least squares), which the leverages
/// hᵢ = Wᵢ xᵢᵀ B xᵢ take. Cost: n k² flops for the meat (and as much again for HC2 and HC3's
/// leverages).
public enum SandwichCovariance {
    /// The heteroskedasticity-consistent estimators, as sandwich names them.
    public enum Estimator: String, Sendable, CaseIterable {
        /// White's: M = Σ sᵢsᵢᵀ.
        case hc0
        /// HC0 × n / (n − k): Stata's vce(robust) for regress.
        case hc1
        /// aᵢ² / (1 − hᵢ), hᵢ the leverage.
        case hc2
        /// aᵢ² / (1 − hᵢ)² (sandwich's default): close to the jackknife.
        case hc3
    }

    /// B M B for `estimator`, row-major k × k. `bread` is (XᵀWX)⁻¹, row-major (symmetric).
    /// A row of leverage 1 (the fit passes through it whatever its value) has no HC2 or HC3
    /// weight, which is an error naming the row (`rowNumbers` maps design rows to the data's).
    public static func heteroskedasticityConsistent(design x: Matrix, scores: [Double], workingWeights: [Double], bread: [Double],
                                                    estimator: Estimator, rowNumbers: [Int]) throws -> [Double] {
        precondition(scores.count == x.rows && workingWeights.count == x.rows && bread.count == x.columns * x.columns,
                     "one score and working weight per row, a k × k bread")
        let n = x.rows, k = x.columns
        var weights = scores.map { $0 * $0 }
        switch estimator {
        case .hc0:
            break
        case .hc1:
            let adjustment = Double(n) / Double(n - k)
            for i in weights.indices { weights[i] *= adjustment }
        case .hc2, .hc3:
            let leverages = try leverages(x, workingWeights: workingWeights, bread: bread)
            for i in weights.indices {
                let room = 1 - leverages[i]
                guard room > 1e-10 else {
                    throw ModelshError.data("row \(rowNumbers[i] + 1) has leverage 1 (the fit passes through it whatever its value), so \(estimator.rawValue) is not defined; hc0 or hc1 are")
                }
                weights[i] /= estimator == .hc2 ? room : room * room
            }
        }
        return sandwich(bread, meat: try weightedGram(x, weights: weights).values, size: k)
    }

    /// B M B clustered by `cluster` (each row's cluster index in 0 ..< `clusterCount`):
    /// M = Σ_g u_g u_gᵀ with u_g = Σ_{i in g} sᵢ, times G / (G − 1), and with `smallSample`
    /// also (n − 1) / (n − k): sandwich::vcovCL's HC1 and Stata's vce(cluster) (HC0 without it).
    public static func clustered(design x: Matrix, scores: [Double], bread: [Double], cluster: [Int], clusterCount: Int,
                                 smallSample: Bool) throws -> [Double] {
        precondition(scores.count == x.rows && cluster.count == x.rows && clusterCount >= 2, "one score and cluster per row, two clusters or more")
        let n = x.rows, k = x.columns
        // The clusters' scores u_g, G × k column-major, so the meat is a plain Gram matrix.
        var clusterScores = Matrix(rows: clusterCount, columns: k)
        for j in 0 ..< k {
            try Interruption.check()
            for i in 0 ..< n { clusterScores.values[j * clusterCount + cluster[i]] += scores[i] * x.values[j * n + i] }
        }
        let groups = Double(clusterCount)
        var adjustment = groups / (groups - 1)
        if smallSample { adjustment *= Double(n - 1) / Double(n - k) }
        let meat = try weightedGram(clusterScores, weights: [Double](repeating: adjustment, count: clusterCount))
        return sandwich(bread, meat: meat.values, size: k)
    }

    /// (XᵀWX)⁻¹, row-major, for a glm's bread at its estimates (W the working weights there);
    /// nil when XᵀWX is not numerically positive definite.
    public static func bread(design x: Matrix, workingWeights: [Double]) throws -> [Double]? {
        try Cholesky(weightedGram(x, weights: workingWeights)).map { $0.inverse().values }
    }

    /// The Wald statistic bᵀ V⁻¹ b of the hypothesis b = 0 (divided by its length, it is the
    /// F of R's lmtest::waldtest and Stata's robust F); nil when V is not positive definite or
    /// so near singular (equilibrated reciprocal condition below 1e-12) that rounding decides.
    public static func waldStatistic(_ b: [Double], covariance: [Double]) -> Double? {
        guard let factor = Cholesky(Matrix(rows: b.count, columns: b.count, values: covariance), minimumReciprocalCondition: 1e-12) else { return nil }
        return zip(b, factor.solve(b)).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// hᵢ = Wᵢ xᵢᵀ B xᵢ, the diagonal of the (weighted) hat matrix.
    private static func leverages(_ x: Matrix, workingWeights: [Double], bread: [Double]) throws -> [Double] {
        let n = x.rows, k = x.columns
        let product = x.multiplied(by: Matrix(rows: k, columns: k, values: bread))
        var leverages = [Double](repeating: 0, count: n)
        for j in 0 ..< k {
            try Interruption.check()
            for i in 0 ..< n { leverages[i] += product.values[j * n + i] * x.values[j * n + i] }
        }
        for i in 0 ..< n { leverages[i] *= workingWeights[i] }
        return leverages
    }

    /// B M B for symmetric k × k B and M.
    private static func sandwich(_ bread: [Double], meat: [Double], size k: Int) -> [Double] {
        let b = Matrix(rows: k, columns: k, values: bread), m = Matrix(rows: k, columns: k, values: meat)
        var result = b.multiplied(by: m).multiplied(by: b).values
        // Symmetric in exact arithmetic; made so exactly, as the covariance R returns is.
        for j in 0 ..< k {
            for i in j + 1 ..< k {
                let mean = (result[j * k + i] + result[i * k + j]) / 2
                (result[j * k + i], result[i * k + j]) = (mean, mean)
            }
        }
        return result
    }
}
