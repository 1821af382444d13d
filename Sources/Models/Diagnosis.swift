import Diagnostics
import Numerics
import Tabular

/// Training, cross-validated and test scores of one model side by side, and what they say.
///
/// The rule, on the score s (R² for regression, accuracy for classification; higher is better):
/// - over-fitting when s(training) − s(cv) > max(0.05, 2·sd), sd the folds' standard deviation:
///   the model does clearly better on rows it has seen than on rows it has not;
/// - otherwise under-fitting when s(training) is below the floor (R² 0.5; for classification,
///   halfway from the commonest class's share to 1): even the rows it learned from are not fitted;
/// - otherwise fine. Separately, a test score more than max(0.05, 2·sd) from the cross-validated
///   one is flagged: the test rows do not look like the training rows (compare with `drift`).
public struct Diagnosis: Sendable {
    public enum Verdict: String, Sendable {
        case overFitting = "over-fitting", underFitting = "under-fitting", fine
    }

    /// The metrics compared, in order, with each one's training, cv mean, cv sd and test value.
    public let metrics: [String]
    public let training: [Double]
    public let cvMean: [Double]
    public let cvStandardDeviation: [Double]
    public let test: [Double]
    public let score: String
    public let verdict: Verdict
    /// The numbers behind the verdict, one sentence each.
    public let reasons: [String]

    public static let gapFloor = 0.05

    public init(model: Model, training data: Dataset, datasetName: String, test testData: Dataset, folds: Int, seed: UInt64) throws {
        guard let target = model.schema.target else {
            throw ModelshError.usage("diagnose compares predictions of a target; a \(model.kind) model has none")
        }
        let kind = try ModelCatalogue.requireKind(named: model.kind)
        let validation = try CrossValidation(kind: kind, data: data, datasetName: datasetName, target: target.name,
                                             features: model.schema.termLabels, options: model.training.options,
                                             folds: folds, seed: seed, stratified: nil)
        let foldMetrics = try validation.run(options: model.training.options)
        let trainingMetrics = try model.evaluate(on: data).metrics, testMetrics = try model.evaluate(on: testData).metrics
        metrics = CrossValidation.shownMetrics(for: model.task, classes: model.schema.classes.count)
            .filter { name in trainingMetrics.contains { $0.name == name } }
        func value(_ name: String, _ list: [Metric]) -> Double { list.first { $0.name == name }?.value ?? .nan }
        training = metrics.map { value($0, trainingMetrics) }
        test = metrics.map { value($0, testMetrics) }
        let summaries = metrics.map { name in MetricSummary(foldMetrics.map { value(name, $0) }) }
        cvMean = summaries.map(\.mean)
        cvStandardDeviation = summaries.map(\.standardDeviation)

        score = model.task == .regression ? "r2" : "accuracy"
        let index = metrics.firstIndex(of: score)!
        let (s, cv, sd, t) = (training[index], cvMean[index], cvStandardDeviation[index], test[index])
        let verdict: Verdict
        let allowed = max(Self.gapFloor, 2 * (sd.isNaN ? 0 : sd))
        let floor = model.task == .regression ? 0.5 : Self.classificationFloor(data, target: target.name, classes: model.schema.classes)
        func f(_ x: Double) -> String { NumberFormat.significant(x, digits: 4) }
        var reasons: [String] = []
        if s - cv > allowed {
            verdict = Verdict.overFitting
            reasons.append("training \(score) \(f(s)) is \(f(s - cv)) above cross-validated \(f(cv)) (allowed gap max(0.05, 2 sd) = \(f(allowed)))")
        } else if s < floor {
            verdict = Verdict.underFitting
            reasons.append("training \(score) \(f(s)) is below \(f(floor)) and close to cross-validated \(f(cv)): the model misses structure even in the rows it learned from")
        } else {
            verdict = .fine
            reasons.append("training \(score) \(f(s)) is within \(f(allowed)) of cross-validated \(f(cv)) and above \(f(floor))")
        }
        if abs(t - cv) > allowed {
            reasons.append("test \(score) \(f(t)) is \(f(abs(t - cv))) from cross-validated \(f(cv)): the test rows may differ from the training rows")
        }
        self.verdict = verdict
        self.reasons = reasons
    }

    /// Halfway from always predicting the commonest class to a perfect score.
    private static func classificationFloor(_ data: Dataset, target: String, classes: [String]) -> Double {
        guard let column = data.column(named: target), let indices = try? ClassLabels(classes).indices(of: column) else { return 0.5 }
        var counts = [Int](repeating: 0, count: classes.count)
        for index in indices where index >= 0 { counts[index] += 1 }
        let share = Double(counts.max() ?? 0) / Double(max(1, counts.reduce(0, +)))
        return share + (1 - share) / 2
    }
}

/// Train and validation scores against training size, as scikit-learn's learning_curve with
/// shuffle=True: for each fold of a k-fold split, the first `size` rows of the other folds in a
/// seeded shuffled order are fitted, and scored on themselves and on the held-out fold.
public struct LearningCurve: Sendable {
    public struct Point: Sendable {
        public let size: Int
        public let train: MetricSummary
        public let validation: MetricSummary
    }

    public let metric: String
    public let points: [Point]

    /// sizes: fractions in (0, 1] of the largest training set (at least one row), or whole
    /// counts above 1 (default 0.1, 0.325, 0.55, 0.775, 1, scikit-learn's).
    public init(validation: CrossValidation, options: [String: String], sizes: [Double]?, metric: String?, seed: UInt64) throws {
        let chosen = metric ?? (validation.task == .regression ? "r2" : "accuracy")
        // The smallest training set, so every fold can give each size (the largest fold held out).
        let n = validation.foldOfRow.count
        let largest = n - (0 ..< validation.folds).map { fold in validation.foldOfRow.filter { $0 == fold }.count }.max()!
        // As scikit-learn's: a fraction of the smallest training set rounds down but to at least
        // one row (0.1 of 5 rows is 1, not a refusal of sizes= nobody gave), and repeated
        // sizes are measured once, in ascending order.
        let counts = try Set((sizes ?? [0.1, 0.325, 0.55, 0.775, 1]).map { size -> Int in
            let count = size <= 1 ? max(1, Int((size * Double(largest)).rounded(.down))) : Int(size)
            guard size > 0, size == size.rounded() || size <= 1, count >= 1, count <= largest else {
                throw ModelshError.usage("sizes must be fractions in (0, 1] or whole counts from 1 to \(largest), not \(NumberFormat.shortest(size))", argument: "sizes")
            }
            return count
        }).sorted()
        let orders = Self.trainingOrders(validation, seed: seed)
        func score(_ model: Model, _ data: Dataset) throws -> Double {
            let evaluation = try model.evaluate(on: data)
            guard let value = evaluation.metric(chosen) else {
                throw ModelshError.usage("unknown metric '\(chosen)' for \(validation.task.rawValue)", argument: "metric")
            }
            return value
        }
        // Each fold's held-out rows, the same at every size, selected once.
        let heldOutRows = (0 ..< validation.folds).map { fold in validation.foldOfRow.indices.filter { validation.foldOfRow[$0] == fold } }
        let heldOutData = heldOutRows.map { validation.data.selecting(rows: $0) }
        points = try counts.map { count in
            var train: [Double] = [], held: [Double] = []
            for fold in 0 ..< validation.folds {
                let rows = Array(orders[fold].prefix(count)).sorted()
                let subset = validation.data.selecting(rows: rows)
                let model = try validation.inFold(fold, rows: rows) {
                    try validation.kind.fit(FitRequest(data: subset, datasetName: validation.datasetName, target: validation.target,
                                                       features: validation.features, options: options))
                }
                train.append(try validation.inFold(fold, rows: rows) { try score(model, subset) })
                held.append(try validation.inFold(fold, rows: heldOutRows[fold]) { try score(model, heldOutData[fold]) })
                try Interruption.check()
            }
            return Point(size: count, train: MetricSummary(train), validation: MetricSummary(held))
        }
        self.metric = chosen
    }

    /// Per fold, the rows of the other folds in the seeded shuffled order whose first `size`
    /// rows each point fits (scikit-learn's shuffled `train`; the tests hand these to it).
    public static func trainingOrders(_ validation: CrossValidation, seed: UInt64) -> [[Int]] {
        var generator = Xoshiro256StarStar(seed: seed)
        return (0 ..< validation.folds).map { fold in
            let train = validation.foldOfRow.indices.filter { validation.foldOfRow[$0] != fold }
            return generator.permutation(of: train.count).map { train[$0] }
        }
    }
}
