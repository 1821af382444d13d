import Diagnostics
import Foundation
import Numerics
import Tabular

/// Automatic model selection: every catalogue kind for the task with a few settings of its main
/// hyper-parameters, each cross-validated on the same seeded folds, ranked by the mean of the
/// metric (rmse for regression, accuracy for classification). Kinds with randomness get
/// seed= the same seed, so `cv KIND DATA target=… OPTIONS folds=F seed=S` reproduces any row.
/// A time budget is checked between candidates: the candidates run are always the first ones
/// in the fixed order, so without hitting the budget the result is the same on every run.
public struct AutoSelection: Sendable {
    public struct Candidate: Sendable, Equatable {
        public let kind: String
        public let options: [String: String]
        /// "alpha=1 seed=42", or "defaults".
        public var setting: String {
            options.isEmpty ? "defaults" : options.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
    }

    public struct Result: Sendable {
        public let candidate: Candidate
        public let summary: MetricSummary
    }

    public let metric: String
    /// Best first (ties keep the candidates' order).
    public let ranked: [Result]
    public let candidateCount: Int
    public var budgetHit: Bool { ranked.count < candidateCount }

    /// The candidates for a task, in the order they run (cheap, exact kinds first).
    public static func candidates(for task: ModelTask, seed: UInt64) -> [Candidate] {
        let s = String(seed)
        let grid: [(String, [[String: String]])] = task == .regression ? [
            ("linear", [[:]]),
            ("ridge", [["alpha": "0.1"], ["alpha": "1"], ["alpha": "10"]]),
            ("lasso", [["alpha": "0.1"], ["alpha": "1"]]),
            ("knn", [["k": "5", "scale": "standard"], ["k": "15", "scale": "standard"]]),
            ("tree", [["max_depth": "3", "seed": s], ["max_depth": "6", "seed": s]]),
            ("forest", [["trees": "100", "seed": s]]),
            ("boost", [["seed": s]]),
        ] : [
            ("logistic", [[:], ["penalty": "l2", "alpha": "1"]]),
            ("naivebayes", [[:]]),
            ("knn", [["k": "5", "scale": "standard"], ["k": "15", "scale": "standard"]]),
            ("tree", [["max_depth": "3", "seed": s], ["max_depth": "6", "seed": s]]),
            ("forest", [["trees": "100", "seed": s]]),
            ("boost", [["seed": s]]),
        ]
        return grid.flatMap { kind, settings in settings.map { Candidate(kind: kind, options: $0) } }
    }

    /// Runs the candidates until `budget` seconds have passed (checked before each one; nil: no
    /// limit). A candidate that cannot fit these data (e.g. too few rows for k) is skipped.
    public init(data: Dataset, datasetName: String, target: String, features: [String]?, folds: Int, seed: UInt64,
                budget: Double?, clock: () -> Double = { Date().timeIntervalSinceReferenceDate }) throws {
        let column = try blaming("target") { try data.requireColumn(target, datasetName: datasetName) }
        let task = try blaming("target") { try TrainingFrame.task(for: column, kind: "auto", tasks: [.regression, .classification], requested: nil) }
        let candidates = Self.candidates(for: task, seed: seed)
        let metric = task == .regression ? "rmse" : "accuracy"
        self.metric = metric
        let start = clock()
        var results: [Result] = []
        for candidate in candidates {
            if let budget, clock() - start >= budget { break }
            let kind = try ModelCatalogue.requireKind(named: candidate.kind)
            let validation = try CrossValidation(kind: kind, data: data, datasetName: datasetName, target: target, features: features,
                                                 options: [:], folds: folds, seed: seed, stratified: nil)
            guard let folds = try? validation.run(options: candidate.options) else { continue }
            let values = folds.compactMap { $0.first { $0.name == metric }?.value }
            results.append(Result(candidate: candidate, summary: MetricSummary(values)))
            try Interruption.check()
        }
        let better = MetricDirection.higherIsBetter(metric)
        ranked = results.enumerated().sorted { a, b in
            let (x, y) = (a.element.summary.mean, b.element.summary.mean)
            if x == y || (x.isNaN && y.isNaN) { return a.offset < b.offset }
            if x.isNaN { return false }
            if y.isNaN { return true }
            return better ? x > y : x < y
        }.map(\.element)
        candidateCount = candidates.count
    }
}
