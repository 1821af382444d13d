import Diagnostics
import Numerics
import Tabular

/// How much a model's score on some data falls when one feature's values are shuffled among
/// the rows, breaking its link with the target (scikit-learn's permutation_importance): a
/// model-agnostic answer to "which inputs does it rely on", for every kind.
public struct PermutationImportance: Sendable {
    public struct Feature: Sendable, Equatable {
        public let name: String
        /// The mean fall in the score over the repeats (a rise for error metrics is counted
        /// as a fall, so larger always means more important), and its sample deviation.
        public let mean: Double
        public let standardDeviation: Double
    }

    public let metric: String
    public let baseline: Double
    /// Most important first; ties keep the schema's order.
    public let features: [Feature]

    /// Shuffles each feature `repeats` times with `Xoshiro256StarStar(seed)` (one generator,
    /// features in schema order, repeats in turn), scoring with `metric` (default: R² for
    /// regression, accuracy for classification, as scikit-learn's estimator.score; the inertia
    /// per row for k-means and the reconstruction error for PCA, the figures `evaluate` gives).
    public init(model: Model, data: Dataset, metric: String?, repeats: Int, seed: UInt64) throws {
        guard repeats >= 1 else { throw ModelshError.usage("repeats must be at least 1", argument: "repeats") }
        let chosen = metric ?? Self.defaultMetric(for: model.task)
        func score(_ data: Dataset) throws -> Double {
            let evaluation = try model.evaluate(on: data)
            guard let value = evaluation.metric(chosen) else {
                let known = evaluation.metrics.map(\.name).filter { $0 != "n" && $0 != "skipped" }
                throw ModelshError.usage("unknown metric '\(chosen)' for \(model.task.rawValue)" + EditDistance.didYouMean(chosen, among: known)
                                         + " (metrics: \(known.joined(separator: ", ")))", argument: "metric")
            }
            return value
        }
        let baseline = try score(data)
        let sign = MetricDirection.higherIsBetter(chosen) ? 1.0 : -1.0
        var generator = Xoshiro256StarStar(seed: seed)
        var features: [Feature] = []
        for feature in model.schema.features {
            let column = try data.requireColumn(feature.name)
            var falls: [Double] = []
            for _ in 0 ..< repeats {
                let shuffled = column.selecting(rows: generator.permutation(of: data.rowCount))
                falls.append(sign * (baseline - (try score(data.adding(shuffled)))))
                try Interruption.check()
            }
            let summary = MetricSummary(falls)
            features.append(Feature(name: feature.name, mean: summary.mean, standardDeviation: summary.standardDeviation))
        }
        self.metric = chosen
        self.baseline = baseline
        self.features = features.enumerated().sorted { ($1.element.mean, $0.offset) < ($0.element.mean, $1.offset) }.map(\.element)
    }

    static func defaultMetric(for task: ModelTask) -> String {
        switch task {
        case .regression: "r2"
        case .classification: "accuracy"
        case .clustering: "inertia_per_row"
        case .components: "reconstruction_mse"
        }
    }
}
