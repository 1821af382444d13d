import Diagnostics
import Numerics
import Tabular

/// What `evaluate` reports: metrics suited to the task and, for a classifier, the per-class
/// scores and the confusion matrix.
public struct Evaluation: Sendable {
    public let metrics: [Metric]
    /// Classification: the class labels, the scores per class and the confusion matrix
    /// (`confusion[actual][predicted]`); empty for regression.
    public let classes: [String]
    public let perClass: [ClassScores]
    public let confusion: [[Int]]

    public func metric(_ name: String) -> Double? { metrics.first { $0.name == name }?.value }

    /// The metrics `evaluate` gives a model of the task, in its order, besides the rows scored
    /// and skipped (`n`, `skipped`): what a command that ranks by metric= can check it against
    /// before it fits anything. roc_auc_weighted is for three classes or more (`classes` nil:
    /// named either way).
    public static func metricNames(for task: ModelTask, classes: Int? = nil) -> [String] {
        switch task {
        case .regression:
            return ["mse", "rmse", "mae", "mape", "r2", "adj_r2", "explained_variance"]
        case .classification:
            return ["accuracy", "balanced_accuracy", "precision_macro", "recall_macro", "f1_macro", "f1_weighted", "roc_auc"]
                + (classes.map { $0 > 2 } ?? true ? ["roc_auc_weighted"] : []) + ["log_loss", "brier"]
        case .clustering:
            return ["inertia", "inertia_per_row"]
        case .components:
            return ["reconstruction_mse"]
        }
    }
}

extension Model {
    /// Scores the model on `data` (which must hold the target column). Rows whose target or
    /// prediction is missing are skipped and counted in the "skipped" metric. `threshold`: for
    /// a binary classifier, the probability of the second class from which it is predicted
    /// (default: the more probable class); it changes the label metrics, not the probability ones.
    /// `actual`: the column holding the true values, when it is not the target's (monitor's
    /// label=), so an error about them names that column.
    public func evaluate(on data: Dataset, threshold: Double? = nil, actual label: String? = nil) throws -> Evaluation {
        let (prediction, inputsPresent, squaredErrors) = try scored(data)
        guard schema.target != nil else { return try unsupervisedEvaluation(squaredErrors) }
        let column = try label.map { try data.requireColumn($0) } ?? targetColumn(in: data)
        switch prediction {
        case .values(let predicted):
            let actual = try targetNumbers(column)
            let metrics = try RegressionMetrics.metrics(actual: actual.indices.map { column.isMissing($0) ? .nan : actual[$0] }, predicted: predicted,
                                                        predictors: terms.count, inputsPresent: inputsPresent)
            return Evaluation(metrics: metrics, classes: [], perClass: [], confusion: [])
        case .classes(let classes):
            let actual = try ClassLabels(schema.classes).indices(of: column)
            return try ClassificationEvaluation.evaluate(actual: actual, prediction: classes, threshold: threshold, inputsPresent: inputsPresent)
        case .clusters, .components:
            throw ModelshError(.software, "a model with a target predicted clusters or components")
        }
    }

    /// The target's column in `data`; an error if it is absent.
    func targetColumn(in data: Dataset) throws -> Column {
        guard let target = schema.target, let column = data.column(named: target.name) else {
            throw ModelshError.usage("the data has no column '\(schema.target?.name ?? "")', the target the model was trained on")
        }
        return column
    }

    /// A regression target's numbers; an error if the column is not numeric here.
    func targetNumbers(_ column: Column) throws -> [Double] {
        guard column.type.isNumeric, let actual = column.numbers else {
            throw ModelshError.data("target '\(column.name)' is \(column.type.rawValue) here but was \(schema.target?.type.rawValue ?? "") in training")
        }
        return actual
    }

    /// Clustering: the inertia (the sum of squared distances to the assigned centres, in the
    /// prepared design's units, as scikit-learn's score) and its mean per row. Components: the
    /// mean squared reconstruction error per row.
    private func unsupervisedEvaluation(_ squaredErrors: [Double]) throws -> Evaluation {
        let scored = squaredErrors.filter { !$0.isNaN }
        guard !scored.isEmpty else {
            throw ModelshError.data("no rows to evaluate: " + (squaredErrors.isEmpty ? "the data has no rows" : "every row misses an input"))
        }
        let total = scored.reduce(0, +), n = Double(scored.count)
        var metrics = [Metric(name: "n", value: n), Metric(name: "skipped", value: Double(squaredErrors.count - scored.count))]
        if task == .clustering {
            metrics += [Metric(name: "inertia", value: total), Metric(name: "inertia_per_row", value: total / n)]
        } else {
            metrics.append(Metric(name: "reconstruction_mse", value: total / n))
        }
        return Evaluation(metrics: metrics, classes: [], perClass: [], confusion: [])
    }
}

/// Classification metrics over the rows with both a class and a prediction.
enum ClassificationEvaluation {
    static func evaluate(actual: [Int], prediction: ClassPrediction, threshold: Double?, inputsPresent: [Bool]) throws -> Evaluation {
        let assigned = prediction.assigned(threshold: threshold)
        let rows = actual.indices.filter { actual[$0] >= 0 && assigned[$0] >= 0 }
        guard !rows.isEmpty else {
            let noTarget = actual.filter { $0 < 0 }.count
            let reason = actual.isEmpty ? "the data has no rows"
                : noTarget == actual.count ? "every row misses the target"
                : "every row misses the target or an input (\(noTarget) the target, \(actual.count - noTarget) an input)"
            throw ModelshError.data("no rows to evaluate: " + reason)
        }
        let k = prediction.labels.count
        var probabilities = Matrix(rows: rows.count, columns: k)
        for c in 0 ..< k {
            for (i, row) in rows.enumerated() { probabilities.values[c * rows.count + i] = prediction.probabilities[c][row] }
        }
        let scores = try ClassificationMetrics.evaluate(actual: rows.map { actual[$0] }, predicted: rows.map { assigned[$0] },
                                                        probabilities: probabilities, classCount: k)
        let labels = scores.labels, probability = scores.probabilities
        var metrics = [
            Metric(name: "n", value: Double(rows.count)),
            Metric(name: "skipped", value: Double(actual.count - rows.count)),
            Metric(name: "accuracy", value: labels.accuracy),
            Metric(name: "balanced_accuracy", value: labels.balancedAccuracy),
            Metric(name: "precision_macro", value: labels.macroAverage.precision),
            Metric(name: "recall_macro", value: labels.macroAverage.recall),
            Metric(name: "f1_macro", value: labels.macroAverage.f1),
            Metric(name: "f1_weighted", value: labels.weightedAverage.f1),
            Metric(name: "roc_auc", value: probability.rocAUC ?? .nan),
        ]
        if k > 2 { metrics.append(Metric(name: "roc_auc_weighted", value: probability.weightedROCAUC ?? .nan)) }
        metrics += [Metric(name: "log_loss", value: probability.logLoss), Metric(name: "brier", value: probability.brierScore)]
        return Evaluation(metrics: metrics, classes: prediction.labels, perClass: labels.perClass, confusion: labels.confusion)
    }
}
