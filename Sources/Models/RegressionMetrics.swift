import Diagnostics

/// Metrics of a regression's predictions against the actual values.
public enum RegressionMetrics {
    /// n, skipped, mse, rmse, mae and r2 over the pairs where both values are present
    /// (NaN marks missing). R² is 1 − SSE/SST about the mean of the actual values scored,
    /// as scikit-learn's r2_score: negative when worse than predicting that mean, NaN when the
    /// actual values are all equal (no variance to explain).
    public static func metrics(actual: [Double], predicted: [Double]) throws -> [Metric] {
        try metrics(actual: actual, predicted: predicted, inputsPresent: nil)
    }

    /// `inputsPresent`, when known, tells a row whose inputs are missing from one whose
    /// prediction is not a number for another reason, so an error says which it was.
    static func metrics(actual: [Double], predicted: [Double], inputsPresent: [Bool]?) throws -> [Metric] {
        guard actual.count == predicted.count, inputsPresent.map({ $0.count == actual.count }) ?? true else {
            throw ModelshError(.software, "\(predicted.count) predictions for \(actual.count) actual values")
        }
        let pairs = zip(actual, predicted).filter { !$0.0.isNaN && !$0.1.isNaN }
        guard !pairs.isEmpty else {
            throw ModelshError.data("no rows to evaluate: " + nothingToScore(actual: actual, predicted: predicted, inputsPresent: inputsPresent))
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

    public static func meanSquare(_ errors: [Double]) -> Double {
        errors.reduce(0) { $0 + $1 * $1 } / Double(errors.count)
    }

    public static func meanAbsolute(_ errors: [Double]) -> Double {
        errors.reduce(0) { $0 + abs($1) } / Double(errors.count)
    }
}
