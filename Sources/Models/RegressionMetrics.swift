import Diagnostics

/// Metrics of a regression's predictions against the actual values.
public enum RegressionMetrics {
    /// n, skipped, mse, rmse, mae and r2 over the pairs where both values are present
    /// (NaN marks missing). R² is 1 − SSE/SST about the mean of the actual values scored,
    /// as scikit-learn's r2_score: negative when worse than predicting that mean, NaN when the
    /// actual values are all equal (no variance to explain).
    public static func metrics(actual: [Double], predicted: [Double]) throws -> [Metric] {
        precondition(actual.count == predicted.count, "one prediction per actual value")
        let pairs = zip(actual, predicted).filter { !$0.0.isNaN && !$0.1.isNaN }
        guard !pairs.isEmpty else {
            throw ModelshError.data("no rows to evaluate: every row misses the target or an input")
        }
        let n = Double(pairs.count)
        let errors = pairs.map { $0.1 - $0.0 }
        let mse = meanSquare(errors)
        let mean = pairs.reduce(0) { $0 + $1.0 } / n
        let totalSquares = pairs.reduce(0) { $0 + ($1.0 - mean) * ($1.0 - mean) }
        return [
            Metric(name: "n", value: n),
            Metric(name: "skipped", value: Double(actual.count - pairs.count)),
            Metric(name: "mse", value: mse),
            Metric(name: "rmse", value: mse.squareRoot()),
            Metric(name: "mae", value: meanAbsolute(errors)),
            Metric(name: "r2", value: totalSquares > 0 ? 1 - mse * n / totalSquares : .nan),
        ]
    }

    public static func meanSquare(_ errors: [Double]) -> Double {
        errors.reduce(0) { $0 + $1 * $1 } / Double(errors.count)
    }

    public static func meanAbsolute(_ errors: [Double]) -> Double {
        errors.reduce(0) { $0 + abs($1) } / Double(errors.count)
    }
}
