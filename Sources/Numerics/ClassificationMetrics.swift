import Diagnostics
import Foundation

/// Precision, recall and F1 of one class, and how many rows actually belong to it.
public struct ClassScores: Sendable, Equatable {
    public let precision: Double
    public let recall: Double
    public let f1: Double
    public let support: Int
}

/// Precision, recall and F1 averaged over classes.
public struct AveragedScores: Sendable, Equatable {
    public let precision: Double
    public let recall: Double
    public let f1: Double
}

/// The scores of predicted class labels against the actual ones.
public struct LabelScores: Sendable, Equatable {
    public let accuracy: Double
    /// The mean recall over the classes that occur among the actual labels.
    public let balancedAccuracy: Double
    public let perClass: [ClassScores]
    /// The unweighted mean over the classes that occur among the actual or predicted labels
    /// (scikit-learn's default label set): a class of the model that neither occurs nor is
    /// predicted has no scores to average.
    public let macroAverage: AveragedScores
    /// The mean over classes weighted by support.
    public let weightedAverage: AveragedScores
    /// K × K counts, `confusion[actual][predicted]`.
    public let confusion: [[Int]]
}

/// The scores of predicted class probabilities against the actual labels.
public struct ProbabilityScores: Sendable, Equatable {
    /// Two classes: the area under the ROC curve of class 1's probability. More: the
    /// unweighted mean of each class's one-vs-rest area. Nil when undefined: some class has
    /// no actual rows (scikit-learn refuses that case).
    public let rocAUC: Double?
    /// Two classes: the same as `rocAUC`. More: the one-vs-rest areas weighted by the
    /// classes' shares of the actual rows.
    public let weightedROCAUC: Double?
    /// The mean of −log p(actual class), each probability clipped to [ε, 1 − ε] with ε the
    /// machine epsilon of Double (2.2e-16), as scikit-learn ≥ 1.5's log_loss does.
    public let logLoss: Double
    /// Two classes: the mean of (p₁ − 1[actual = 1])², in [0, 1] (scikit-learn's
    /// brier_score_loss on class 1's probability). More: the mean over rows of
    /// Σₖ (pₖ − 1[actual = k])², in [0, 2] (brier_score_loss of a probability matrix with
    /// three or more columns). For two classes whose probabilities sum to one the second form
    /// is twice the first, which is why scikit-learn halves it.
    public let brierScore: Double
}

public struct ClassificationScores: Sendable, Equatable {
    public let labels: LabelScores
    public let probabilities: ProbabilityScores
}

/// One point of a ROC curve: predicting class 1 for scores ≥ `threshold` gives these rates.
public struct ROCPoint: Sendable, Equatable {
    public let threshold: Double
    public let falsePositiveRate: Double
    public let truePositiveRate: Double
}

/// One point of a precision–recall curve: predicting class 1 for scores ≥ `threshold`.
public struct PrecisionRecallPoint: Sendable, Equatable {
    public let threshold: Double
    public let precision: Double
    public let recall: Double
}

/// Evaluation metrics of a classifier, as scikit-learn defines them. Classes are indices
/// 0 ..< K; probabilities are an n × K matrix whose row i holds row i's class probabilities.
///
/// Division by zero gives 0, as scikit-learn's `zero_division` default: the precision of a class
/// never predicted, the recall of a class that never occurs, and the F1 of a class with neither
/// true positives nor errors (F1 is 2TP / (2TP + FP + FN), the harmonic mean of precision and
/// recall where both are defined).
public enum ClassificationMetrics {
    /// Every score at once; see `labelScores` and `probabilityScores`.
    public static func evaluate(actual: [Int], predicted: [Int], probabilities: Matrix, classCount: Int) throws -> ClassificationScores {
        try requireSameCount(probabilities.columns, classCount, "probability columns", "classes")
        return ClassificationScores(labels: try labelScores(actual: actual, predicted: predicted, classCount: classCount),
                                    probabilities: try probabilityScores(actual: actual, probabilities: probabilities))
    }

    /// Accuracy, balanced accuracy, per-class and averaged precision/recall/F1, and the
    /// confusion matrix. Cost O(n + K²).
    public static func labelScores(actual: [Int], predicted: [Int], classCount: Int) throws -> LabelScores {
        let confusion = try confusionMatrix(actual: actual, predicted: predicted, classCount: classCount)
        let k = classCount, n = actual.count
        let perClass = (0 ..< k).map { c -> ClassScores in
            let truePositives = confusion[c][c]
            let support = confusion[c].reduce(0, +)
            let predictedCount = (0 ..< k).reduce(0) { $0 + confusion[$1][c] }
            return ClassScores(precision: ratio(truePositives, predictedCount), recall: ratio(truePositives, support),
                               f1: ratio(2 * truePositives, support + predictedCount), support: support)
        }
        let correct = (0 ..< k).reduce(0) { $0 + confusion[$1][$1] }
        let occurring = perClass.filter { $0.support > 0 }
        let seen = (0 ..< k).filter { c in perClass[c].support > 0 || (0 ..< k).contains { confusion[$0][c] > 0 } }
        func average(_ weight: (Int) -> Double, over classes: [Int]) -> AveragedScores {
            let total = classes.reduce(0) { $0 + weight($1) }
            func mean(_ score: KeyPath<ClassScores, Double>) -> Double {
                classes.reduce(0) { $0 + weight($1) * perClass[$1][keyPath: score] } / total
            }
            return AveragedScores(precision: mean(\.precision), recall: mean(\.recall), f1: mean(\.f1))
        }
        return LabelScores(
            accuracy: Double(correct) / Double(n),
            balancedAccuracy: occurring.reduce(0) { $0 + $1.recall } / Double(occurring.count),
            perClass: perClass,
            macroAverage: average({ _ in 1 }, over: seen),
            weightedAverage: average({ Double(perClass[$0].support) }, over: Array(0 ..< k)),
            confusion: confusion)
    }

    /// K × K counts, rows the actual class and columns the predicted one.
    public static func confusionMatrix(actual: [Int], predicted: [Int], classCount: Int) throws -> [[Int]] {
        guard classCount >= 1 else { throw ModelshError.usage("the number of classes must be at least 1, got \(classCount)") }
        try requireRows(actual.count, "actual classes")
        try requireSameCount(predicted.count, actual.count, "predicted classes", "actual classes")
        try requireClasses(actual, classCount: classCount, "actual classes")
        try requireClasses(predicted, classCount: classCount, "predicted classes")
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: classCount), count: classCount)
        for (a, p) in zip(actual, predicted) { confusion[a][p] += 1 }
        return confusion
    }

    /// ROC AUC, log loss and Brier score of an n × K probability matrix (K ≥ 2, entries in [0, 1]).
    /// Cost O(K n log n).
    public static func probabilityScores(actual: [Int], probabilities: Matrix) throws -> ProbabilityScores {
        let n = actual.count, k = probabilities.columns
        guard k >= 2 else { throw ModelshError.data("probability scores need at least 2 classes, got \(k)") }
        try requireRows(n, "actual classes")
        try requireSameCount(probabilities.rows, n, "probability rows", "actual classes")
        try requireClasses(actual, classCount: k, "actual classes")
        for (index, p) in probabilities.values.enumerated() where !(p >= 0 && p <= 1) {
            throw ModelshError.data("the probability of class index \(index / n) at row \(index % n + 1) is \(p), outside [0, 1]")
        }
        let epsilon = Double.ulpOfOne
        var logLoss = 0.0, brier = 0.0
        for (i, c) in actual.enumerated() {
            logLoss -= log(min(max(probabilities[i, c], epsilon), 1 - epsilon))
            if k == 2 {
                let miss = probabilities[i, 1] - (c == 1 ? 1 : 0)
                brier += miss * miss
            } else {
                for j in 0 ..< k {
                    let miss = probabilities[i, j] - (c == j ? 1 : 0)
                    brier += miss * miss
                }
            }
        }
        let (macro, weighted) = rocAUCs(actual: actual, probabilities: probabilities)
        return ProbabilityScores(rocAUC: macro, weightedROCAUC: weighted, logLoss: logLoss / Double(n), brierScore: brier / Double(n))
    }

    private static func rocAUCs(actual: [Int], probabilities: Matrix) -> (macro: Double?, weighted: Double?) {
        let k = probabilities.columns, n = actual.count
        if k == 2 {
            let auc = mannWhitneyAUC(thresholdGroups(positive: actual.map { $0 == 1 }, scores: probabilities.column(1)))
            return (auc, auc)
        }
        var macro = 0.0, weighted = 0.0
        for c in 0 ..< k {
            let positive = actual.map { $0 == c }
            guard let auc = mannWhitneyAUC(thresholdGroups(positive: positive, scores: probabilities.column(c))) else { return (nil, nil) }
            macro += auc
            weighted += auc * Double(positive.count(where: { $0 })) / Double(n)
        }
        return (macro / Double(k), weighted)
    }

    // MARK: - Threshold-based views of one class's scores

    /// The probability that a row with a positive label scores above one with a negative
    /// label, ties counting one half: the Mann–Whitney U over (positives × negatives), which
    /// equals the trapezoidal area under the ROC curve with tied scores. Counted in integers,
    /// so exact up to the final division. Nil when either label is absent. O(n log n).
    public static func rocAUC(positive: [Bool], scores: [Double]) throws -> Double? {
        try requireRows(positive.count, "labels")
        try requireSameCount(scores.count, positive.count, "scores", "labels")
        try requireFinite(scores, "scores")
        return mannWhitneyAUC(thresholdGroups(positive: positive, scores: scores))
    }

    private static func mannWhitneyAUC(_ groups: [(score: Double, positives: Int, negatives: Int)]) -> Double? {
        let positives = groups.reduce(0) { $0 + $1.positives }, negatives = groups.reduce(0) { $0 + $1.negatives }
        guard positives > 0, negatives > 0 else { return nil }
        var twiceU = 0, positivesAbove = 0
        for group in groups {
            twiceU += group.negatives * (2 * positivesAbove + group.positives)
            positivesAbove += group.positives
        }
        return Double(twiceU) / Double(2 * positives * negatives)
    }

    /// The ROC curve, from threshold +∞ (rates 0, 0) down through every distinct score
    /// (scikit-learn's roc_curve with drop_intermediate=False). With `dropIntermediate`, as
    /// roc_curve's default, a point in the middle of a straight horizontal or vertical run is
    /// left out (the curve looks the same). Throws when either label is absent.
    public static func rocCurve(positive: [Bool], scores: [Double], dropIntermediate: Bool = false) throws -> [ROCPoint] {
        let groups = try requireBothLabels(positive: positive, scores: scores)
        let positives = Double(groups.reduce(0) { $0 + $1.positives }), negatives = Double(groups.reduce(0) { $0 + $1.negatives })
        var counts: [(score: Double, truePositives: Int, falsePositives: Int)] = []
        for group in groups {
            let last = counts.last
            counts.append((group.score, (last?.truePositives ?? 0) + group.positives, (last?.falsePositives ?? 0) + group.negatives))
        }
        if dropIntermediate, counts.count > 2 {
            // scikit-learn's rule: keep the ends and every point where either count's second difference is not 0.
            counts = counts.indices.filter { i in
                i == 0 || i == counts.count - 1
                    || counts[i + 1].truePositives - 2 * counts[i].truePositives + counts[i - 1].truePositives != 0
                    || counts[i + 1].falsePositives - 2 * counts[i].falsePositives + counts[i - 1].falsePositives != 0
            }.map { counts[$0] }
        }
        return [ROCPoint(threshold: .infinity, falsePositiveRate: 0, truePositiveRate: 0)] + counts.map {
            ROCPoint(threshold: $0.score, falsePositiveRate: Double($0.falsePositives) / negatives, truePositiveRate: Double($0.truePositives) / positives)
        }
    }

    /// The precision–recall curve, from threshold +∞ (precision 1, recall 0, the point
    /// scikit-learn appends) down through every distinct score: scikit-learn's
    /// precision_recall_curve in the opposite order. Throws when either label is absent.
    public static func precisionRecallCurve(positive: [Bool], scores: [Double]) throws -> [PrecisionRecallPoint] {
        let groups = try requireBothLabels(positive: positive, scores: scores)
        let positives = Double(groups.reduce(0) { $0 + $1.positives })
        var points = [PrecisionRecallPoint(threshold: .infinity, precision: 1, recall: 0)]
        var truePositives = 0, predictedPositives = 0
        for group in groups {
            truePositives += group.positives
            predictedPositives += group.positives + group.negatives
            points.append(PrecisionRecallPoint(threshold: group.score, precision: Double(truePositives) / Double(predictedPositives),
                                               recall: Double(truePositives) / positives))
        }
        return points
    }

    /// Rows of equal score, from the highest score down, with how many are positive and negative.
    private static func thresholdGroups(positive: [Bool], scores: [Double]) -> [(score: Double, positives: Int, negatives: Int)] {
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var groups: [(score: Double, positives: Int, negatives: Int)] = []
        for i in order {
            if groups.last?.score != scores[i] { groups.append((scores[i], 0, 0)) }
            if positive[i] { groups[groups.count - 1].positives += 1 } else { groups[groups.count - 1].negatives += 1 }
        }
        return groups
    }

    private static func requireBothLabels(positive: [Bool], scores: [Double]) throws -> [(score: Double, positives: Int, negatives: Int)] {
        try requireRows(positive.count, "labels")
        try requireSameCount(scores.count, positive.count, "scores", "labels")
        try requireFinite(scores, "scores")
        let groups = thresholdGroups(positive: positive, scores: scores)
        guard groups.contains(where: { $0.positives > 0 }), groups.contains(where: { $0.negatives > 0 }) else {
            throw ModelshError.data("a curve needs rows of both classes; every row is \(positive[0] ? "positive" : "negative")")
        }
        return groups
    }

    // MARK: - From probabilities to classes

    /// The most probable class of each row of an n × K probability (or log-probability) matrix;
    /// ties go to the lowest class index.
    public static func mostProbableClasses(_ probabilities: Matrix) -> [Int] {
        (0 ..< probabilities.rows).map { i in
            var best = 0
            for c in 1 ..< probabilities.columns where probabilities[i, c] > probabilities[i, best] { best = c }
            return best
        }
    }

    /// Class 1 where the probability of class 1 is ≥ `threshold`, else class 0: the rule of
    /// scikit-learn's FixedThresholdClassifier and of the ROC curve's points, so a threshold read
    /// off the curve gives that point. At threshold 0.5 a row with p₁ exactly 0.5 is class 1,
    /// where `mostProbableClasses` (ties to the lowest index) says class 0.
    public static func classes(positiveProbabilities: [Double], threshold: Double) throws -> [Int] {
        guard threshold >= 0, threshold <= 1 else {
            throw ModelshError.usage("the threshold must be a probability in [0, 1], got \(threshold)", argument: "threshold")
        }
        try requireFinite(positiveProbabilities, "probabilities")
        return positiveProbabilities.map { $0 >= threshold ? 1 : 0 }
    }

    private static func ratio(_ numerator: Int, _ denominator: Int) -> Double {
        denominator == 0 ? 0 : Double(numerator) / Double(denominator)
    }
}

// MARK: - Input checks shared by the engines

/// Refuses no rows: every metric and estimator needs at least one.
func requireRows(_ count: Int, _ what: String) throws {
    guard count > 0 else { throw ModelshError.data("no \(what): at least one row is needed") }
}

/// A count mismatch is the caller's mistake in pairing arrays, not the user's.
func requireSameCount(_ count: Int, _ expected: Int, _ what: String, _ other: String) throws {
    guard count == expected else { throw ModelshError(.software, "\(count) \(what) for \(expected) \(other)") }
}

/// Names the first non-finite value by its 1-based row.
func requireFinite(_ values: [Double], _ what: String) throws {
    if let i = values.firstIndex(where: { !$0.isFinite }) {
        throw ModelshError.data("\(what) has a non-finite value (\(values[i])) at row \(i + 1)")
    }
}

/// Names the first non-finite entry by its 1-based row and column.
func requireFinite(_ matrix: Matrix, _ what: String) throws {
    if let index = matrix.values.firstIndex(where: { !$0.isFinite }) {
        let row = index % matrix.rows, column = index / matrix.rows
        throw ModelshError.data("\(what) has a non-finite value (\(matrix.values[index])) at row \(row + 1), column \(column + 1)")
    }
}

/// Names the first class index outside 0 ..< classCount by its 1-based row.
func requireClasses(_ classes: [Int], classCount: Int, _ what: String) throws {
    if let i = classes.firstIndex(where: { $0 < 0 || $0 >= classCount }) {
        throw ModelshError.data("\(what) has class index \(classes[i]) at row \(i + 1), outside 0..<\(classCount)")
    }
}
