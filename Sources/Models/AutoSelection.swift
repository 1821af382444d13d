import Diagnostics
import Foundation
import Numerics
import Tabular

/// Automatic model selection: every catalogue kind for the task with a few settings of its main
/// hyper-parameters, each cross-validated on the same seeded folds, ranked by the mean of the
/// metric (rmse for regression, accuracy for classification). Kinds with randomness get
/// seed= the same seed, so `cv KIND DATA target=… OPTIONS folds=F seed=S` reproduces any row.
///
/// The time budget is spent on estimates, not read from a clock, so the leaderboard is the same
/// on every run and every machine: each candidate's time is estimated beforehand from the rows,
/// features and folds (`estimatedSeconds`), and the candidates are taken in their fixed order,
/// each one run when its estimate fits in what the earlier ones left of the budget and skipped
/// otherwise. The real time may differ from the estimate by a small factor either way.
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
    public let task: ModelTask
    /// `TrainingFrame.integerTargetWarning` when the task was inferred.
    public let targetWarning: String?
    /// Best first (ties keep the candidates' order).
    public let ranked: [Result]
    public let candidateCount: Int
    /// Candidates left out because their estimate did not fit in the budget left, in order.
    public let skippedForTime: [Candidate]
    /// Candidates that could not be fitted on these data (e.g. too few rows for k), in order.
    public let failed: [Candidate]
    /// Why the first failed candidate failed (its error's message), so a failure of them all says why.
    public let firstFailure: String?
    /// The estimated seconds of the candidates that ran.
    public let estimatedSeconds: Double
    /// The smallest estimate among the candidates skipped for time, if any was.
    public let cheapestSkippedEstimate: Double?
    public var budgetHit: Bool { !skippedForTime.isEmpty }

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

    /// Runs the candidates whose estimates fit in `budget` seconds (nil: no limit), in order. A
    /// candidate that cannot fit these data is listed as failed.
    /// `task`: what the user asked for (`task=`), or nil to follow the target as `fit` does.
    public init(data: Dataset, datasetName: String, target: String, features: [String]?, folds: Int, seed: UInt64,
                budget: Double?, task requested: ModelTask? = nil) throws {
        let column = try blaming("target") { try data.requireColumn(target, datasetName: datasetName) }
        let tasks: [ModelTask] = [.regression, .classification]
        let task = try blaming("target") { try TrainingFrame.task(for: column, kind: "auto", tasks: tasks, requested: requested) }
        self.task = task
        targetWarning = requested == nil ? TrainingFrame.integerTargetWarning(column, task: task, tasks: tasks) : nil
        // A kind that would read the target otherwise (an integer target is a quantity to a
        // forest) is told the task, so every candidate answers the same question.
        let candidates = try Self.candidates(for: task, seed: seed).map { candidate in
            let kind = try ModelCatalogue.requireKind(named: candidate.kind)
            guard try TrainingFrame.task(for: column, kind: kind.name, tasks: kind.tasks, requested: nil) != task else { return candidate }
            return Candidate(kind: candidate.kind, options: candidate.options.merging(["task": task.rawValue]) { $1 })
        }
        let metric = task == .regression ? "rmse" : "accuracy"
        self.metric = metric
        let size = ProblemSize(rows: data.rowCount, features: features?.count ?? data.columnCount - 1, folds: folds)
        var results: [Result] = [], skipped: [Candidate] = [], failed: [Candidate] = [], spent = 0.0
        var firstFailure: String?
        for candidate in candidates {
            let estimate = Self.estimatedSeconds(candidate, size)
            if let budget, spent + estimate > budget {
                skipped.append(candidate)
                continue
            }
            spent += estimate
            let kind = try ModelCatalogue.requireKind(named: candidate.kind)
            let validation = try CrossValidation(kind: kind, data: data, datasetName: datasetName, target: target, features: features,
                                                 options: candidate.options.filter { $0.key == "task" }, folds: folds, seed: seed, stratified: nil)
            let folds: [[Metric]]
            do {
                folds = try validation.run(options: candidate.options)
            } catch let error as ModelshError where error.category == .interrupted {
                throw error  // Ctrl-C stops auto; any other failure only rules the candidate out
            } catch {
                failed.append(candidate)
                firstFailure = firstFailure ?? "\(candidate.kind) \(candidate.setting): \((error as? ModelshError)?.message ?? String(describing: error))"
                continue
            }
            let values = folds.compactMap { $0.first { $0.name == metric }?.value }
            results.append(Result(candidate: candidate, summary: MetricSummary(values)))
            try Interruption.check()
        }
        skippedForTime = skipped
        cheapestSkippedEstimate = skipped.map { Self.estimatedSeconds($0, size) }.min()
        self.failed = failed
        self.firstFailure = firstFailure
        estimatedSeconds = spent
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

    // MARK: - Estimated time

    /// What a candidate's cost grows with.
    public struct ProblemSize: Sendable {
        public let rows: Int
        public let features: Int
        public let folds: Int

        public init(rows: Int, features: Int, folds: Int) {
            self.rows = rows
            self.features = features
            self.folds = folds
        }
    }

    /// Units of `estimatedSeconds`'s work a second: calibrated on `cv` of each kind on diabetes
    /// (442 × 10) and breast_cancer (569 × 30), release build, a busy 2-core x86 VM, where the
    /// estimates came within a factor of 2 of the times measured. knn, tree and forest were
    /// calibrated again on digits (1797 × 64) and 20,000 × 10 rows after they got faster: their
    /// old estimates (40× for knn on digits) made `auto` skip boosting there "for time" when
    /// the whole run took 7 s of its 60.
    static let workPerSecond = 2e8
    /// What any fit and its scoring cost besides the arithmetic that grows with the data.
    static let workPerFit = 3e6

    /// A candidate's estimated seconds for `folds` fits on n·(F−1)/F rows, each scored on the
    /// rest: a rough count of its work (least squares n p², coordinate descent n p a sweep,
    /// IRLS 8 steps of n p², k neighbours n_train n_test p, a tree n p log n a level, a forest's
    /// trees on √p features, boosting 31 leaves' histograms a round), scaled by measured factors.
    /// Deterministic by design: it reads no clock.
    public static func estimatedSeconds(_ candidate: Candidate, _ size: ProblemSize) -> Double {
        let f = Double(max(size.folds, 1)), n = Double(max(size.rows, 1)), p = Double(max(size.features, 1))
        let train = n * (f - 1) / f, test = n / f, logRows = max(log2(train), 1)
        func option(_ name: String, default value: Double) -> Double { candidate.options[name].flatMap(Double.init) ?? value }
        let perFit: Double = switch candidate.kind {
        case "linear", "ridge": train * (p + 1) * (p + 1)
        case "lasso": 300 * train * p
        case "logistic": 8 * train * (p + 1) * (p + 1)
        case "naivebayes": 4 * train * p
        case "knn": 0.5 * train * test * p
        case "tree": 2 * train * p * logRows * option("max_depth", default: logRows)
        case "forest": option("trees", default: 100) * train * p.squareRoot() * logRows * logRows
        case "boost": option("rounds", default: 100) * 31 * train * p
        default: train * p * p
        }
        return f * (perFit + workPerFit) / workPerSecond
    }
}
