import Diagnostics
import Numerics

/// Metrics of a regression's predictions against the actual values.
public enum RegressionMetrics {
    /// n, skipped, mse, rmse, mae and r2 over the pairs where both values are present
    /// (NaN marks missing). R² is 1 − SSE/SST about the mean of the actual values scored,
    /// as scikit-learn's r2_score: negative when worse than predicting that mean, NaN when the
    /// actual values are all equal (no variance to explain).
    /// n, skipped, mse, rmse, mae, mape, r2, adj_r2 and explained_variance (RegressionScores,
    /// scikit-learn's definitions) over the pairs where both values are present (NaN marks
    /// missing). R² and explained variance are NaN when the actual values are all equal;
    /// adjusted R² also when no residual degrees of freedom remain for `predictors` predictors.
    public static func metrics(actual: [Double], predicted: [Double], predictors: Int) throws -> [Metric] {
        try metrics(actual: actual, predicted: predicted, predictors: predictors, inputsPresent: nil)
    }

    /// `inputsPresent`, when known, tells a row whose inputs are missing from one whose
    /// prediction is not a number for another reason, so an error says which it was.
    static func metrics(actual: [Double], predicted: [Double], predictors: Int, inputsPresent: [Bool]?) throws -> [Metric] {
        guard actual.count == predicted.count, inputsPresent.map({ $0.count == actual.count }) ?? true else {
            throw ModelshError(.software, "\(predicted.count) predictions for \(actual.count) actual values")
        }
        let rows = actual.indices.filter { !actual[$0].isNaN && !predicted[$0].isNaN }
        guard !rows.isEmpty else {
            throw ModelshError.data("no rows to evaluate: " + nothingToScore(actual: actual, predicted: predicted, inputsPresent: inputsPresent))
        }
        let y = rows.map { actual[$0] }, yHat = rows.map { predicted[$0] }
        return [
            Metric(name: "n", value: Double(rows.count)),
            Metric(name: "skipped", value: Double(actual.count - rows.count)),
            Metric(name: "mse", value: try RegressionScores.meanSquaredError(actual: y, predicted: yHat)),
            Metric(name: "rmse", value: try RegressionScores.rootMeanSquaredError(actual: y, predicted: yHat)),
            Metric(name: "mae", value: try RegressionScores.meanAbsoluteError(actual: y, predicted: yHat)),
            Metric(name: "mape", value: try RegressionScores.meanAbsolutePercentageError(actual: y, predicted: yHat)),
            Metric(name: "r2", value: try RegressionScores.rSquared(actual: y, predicted: yHat) ?? .nan),
            Metric(name: "adj_r2", value: try RegressionScores.adjustedRSquared(actual: y, predicted: yHat, predictorCount: predictors) ?? .nan),
            Metric(name: "explained_variance", value: try RegressionScores.explainedVariance(actual: y, predicted: yHat) ?? .nan),
        ]
    }

    /// Why no row could be scored, with counts: each row lacks the target, an input, or a
    /// prediction that is a number.
    private static func nothingToScore(actual: [Double], predicted: [Double], inputsPresent: [Bool]?) -> String {
        if actual.isEmpty { return "the data has no rows" }
        let targeted = actual.indices.filter { !actual[$0].isNaN }
        let noInput = inputsPresent.map { present in targeted.filter { !present[$0] }.count } ?? 0
        let notANumber = targeted.count - noInput
        let noTarget = actual.count - targeted.count
        if noTarget == actual.count { return "every row misses the target" }
        if inputsPresent == nil { return "every row misses the target or a prediction (\(noTarget) the target, \(notANumber) a prediction)" }
        if noInput == actual.count { return "every row misses an input" }
        if notANumber == 0 { return "every row misses the target or an input (\(noTarget) the target, \(noInput) an input)" }
        var reasons: [String] = []
        if noTarget > 0 { reasons.append("\(noTarget) miss the target") }
        if noInput > 0 { reasons.append("\(noInput) miss an input") }
        reasons.append("\(notANumber) get a prediction that is not a number (the model's numbers overflow on this data)")
        return "of \(actual.count) rows, " + reasons.joined(separator: ", ")
    }
}
