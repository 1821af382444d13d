import Diagnostics

/// Scores of regression predictions against the actual values, as scikit-learn defines them.
/// Every function takes paired arrays of equal, non-zero length with finite values (missing
/// values are the caller's to drop) and throws otherwise. Sums are plain left-to-right
/// after a first pass for the mean, so each is accurate to a few ulps times n.
public enum RegressionScores {
    public static func meanSquaredError(actual: [Double], predicted: [Double]) throws -> Double {
        try errors(actual, predicted).reduce(0) { $0 + $1 * $1 } / Double(actual.count)
    }

    public static func rootMeanSquaredError(actual: [Double], predicted: [Double]) throws -> Double {
        try meanSquaredError(actual: actual, predicted: predicted).squareRoot()
    }

    public static func meanAbsoluteError(actual: [Double], predicted: [Double]) throws -> Double {
        try errors(actual, predicted).reduce(0) { $0 + abs($1) } / Double(actual.count)
    }

    /// The mean of |y − ŷ| / max(|y|, ε) with ε the machine epsilon of Double, as scikit-learn's
    /// mean_absolute_percentage_error: a fraction (0.1 is 10 %), huge rather than infinite where
    /// an actual value is 0.
    public static func meanAbsolutePercentageError(actual: [Double], predicted: [Double]) throws -> Double {
        let errors = try errors(actual, predicted)
        return zip(errors, actual).reduce(0) { $0 + abs($1.0) / max(abs($1.1), .ulpOfOne) } / Double(actual.count)
    }

    /// 1 − SSE / SST, SST about the mean of the actual values: negative when the predictions
    /// do worse than that mean. Nil when the actual values are all equal (nothing to explain;
    /// scikit-learn's force_finite default reports 1 or 0 there instead).
    public static func rSquared(actual: [Double], predicted: [Double]) throws -> Double? {
        let errors = try errors(actual, predicted)
        let total = sumOfSquaredDeviations(actual)
        guard total > 0 else { return nil }
        return 1 - errors.reduce(0) { $0 + $1 * $1 } / total
    }

    /// 1 − (1 − R²)(n − 1)/(n − p − 1) for p predictors (not counting the intercept). Nil where
    /// R² is, or when n − p − 1 ≤ 0 (no residual degrees of freedom).
    public static func adjustedRSquared(actual: [Double], predicted: [Double], predictorCount: Int) throws -> Double? {
        guard predictorCount >= 0 else {
            throw ModelshError.usage("the number of predictors must be at least 0, got \(predictorCount)")
        }
        guard let r2 = try rSquared(actual: actual, predicted: predicted) else { return nil }
        let n = actual.count, residualDegrees = n - predictorCount - 1
        guard residualDegrees > 0 else { return nil }
        return 1 - (1 - r2) * Double(n - 1) / Double(residualDegrees)
    }

    /// 1 − Var(y − ŷ) / Var(y): R² that forgives a constant bias. Nil when the actual values
    /// are all equal, as for R².
    public static func explainedVariance(actual: [Double], predicted: [Double]) throws -> Double? {
        let errors = try errors(actual, predicted)
        let total = sumOfSquaredDeviations(actual)
        guard total > 0 else { return nil }
        return 1 - sumOfSquaredDeviations(errors) / total
    }

    /// y − ŷ, after checking the pair.
    private static func errors(_ actual: [Double], _ predicted: [Double]) throws -> [Double] {
        try requireRows(actual.count, "actual values")
        try requireSameCount(predicted.count, actual.count, "predictions", "actual values")
        try requireFinite(actual, "the actual values")
        try requireFinite(predicted, "the predictions")
        return zip(actual, predicted).map { $0 - $1 }
    }

    /// Σ (x − x̄)², with the mean taken first (two passes, no cancellation).
    private static func sumOfSquaredDeviations(_ values: [Double]) -> Double {
        let mean = values.reduce(0, +) / Double(values.count)
        return values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    }
}
