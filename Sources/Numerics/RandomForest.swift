import Diagnostics
import Foundation

/// The hyper-parameters of a random forest; scikit-learn's names and defaults but for `bins`.
public struct RandomForestParameters: Codable, Sendable, Equatable {
    /// Each tree's parameters; `maxFeatures` is drawn per split (`FeatureSampling.forestDefault`).
    public var tree: TreeParameters
    public var trees: Int
    /// Grow each tree on a bootstrap sample (n draws with replacement) rather than every row.
    public var bootstrap: Bool
    /// Numeric features are cut into at most this many quantile bins (2 … 65535) once per
    /// forest, and splits are sought between bins (as LightGBM and HistGradientBoosting do), so
    /// a node's histogram of a feature has at most 256 cells; nil seeks them between every two
    /// distinct values, as scikit-learn does, which sorts the codes of most nodes. With 255 bins
    /// the test accuracy on 150,000 rows × 20 (RandomForestTests) is scikit-learn's to 0.0001;
    /// on 1,000,000 rows × 20, 1023, 4095 bins and exact were no better, within seed noise
    /// (README, Speed), while exact took 60% more memory.
    public var bins: Int?

    public static let defaultBins = 255

    public init(tree: TreeParameters, trees: Int = 100, bootstrap: Bool = true, bins: Int? = defaultBins) {
        self.tree = tree
        self.trees = trees
        self.bootstrap = bootstrap
        self.bins = bins
    }
}

/// Predictions of a tree ensemble for a set of rows.
public enum TreePredictions: Sendable, Equatable {
    /// Regression: one value per row.
    case values([Double])
    /// Classification: rows × K class probabilities, column-major as `Matrix`.
    case probabilities(Matrix)
}

/// The out-of-bag estimate of a forest: each training row predicted by the trees whose
/// bootstrap sample left it out.
public struct OutOfBagEstimate: Sendable, Equatable {
    /// Accuracy (classification) or R² (regression) over the rows some tree left out.
    public let score: Double
    /// The out-of-bag predictions; NaN for a row every tree drew (after some 30 trees there is
    /// hardly ever one; scikit-learn predicts 0 for it and warns).
    public let predictions: TreePredictions
    /// The rows the score is over.
    public let rowsScored: Int
}

/// A random forest (Breiman 2001) of CART trees: each tree grown on a bootstrap sample, each
/// split choosing among a fresh random subset of the features, as scikit-learn's
/// RandomForestClassifier/Regressor; a regression forest predicts the mean of its trees, a
/// classification one the mean of their leaves' class shares (scikit-learn's predict_proba).
///
/// Bootstrap samples are per-row counts used as weights, not copies of rows; numeric features are
/// binned once (`RandomForestParameters.bins`); trees grow in parallel, tree t from a generator
/// seeded by (seed, t) alone, so a seed gives the same forest on any number of threads.
///
/// Measured (RandomForestTests, 2 cores): 100 trees on 1,000,000 rows × 20 features, two classes,
/// grow in 27 s and 53 s of CPU, with a peak of 663 MB of which 352 MB is the data;
/// scikit-learn 1.9's RandomForestClassifier(n_jobs=-1) took 899 s of CPU, peak 1161 MB (322 MB
/// data). A forest keeps about 45 bytes per node (scikit-learn 80).
public struct RandomForest: Codable, Sendable, Equatable {
    public let trees: [DecisionTree]

    public var classCount: Int { trees[0].classCount }
    public var levelCounts: [Int?] { trees[0].levelCounts }

    /// Grows the forest and, with bootstrap and `outOfBag`, its out-of-bag estimate (nil when
    /// every tree drew every row, as one tree on one row does). `threads` nil uses every core.
    /// `progress(done, total)` is called, from any thread, after each tree.
    public static func fit(features: [FeatureColumn], target: TreeTarget, parameters: RandomForestParameters, seed: UInt64,
                           outOfBag: Bool = true, threads: Int? = nil,
                           progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> (forest: RandomForest, outOfBag: OutOfBagEstimate?) {
        let threads = max(1, threads ?? everyCore)
        let grown = try growTrees(features: features, target: target, parameters: parameters.tree, bins: parameters.bins,
                                  trees: parameters.trees, bootstrap: parameters.bootstrap, randomFeatureOrder: true, seed: seed, threads: threads,
                                  progress: progress)
        let forest = RandomForest(trees: grown.map(\.tree))
        guard parameters.bootstrap, outOfBag else { return (forest, nil) }
        let inputs = try TreeInputs(features, levelCounts: forest.levelCounts)
        let (sums, counts) = try clearingInterruption {
            try sumOfLeafValues(forest.trees, inputs, threads: threads, inBag: grown.map(\.inBag))
        }
        return (forest, try outOfBagEstimate(sums: sums, counts: counts, target: target))
    }

    /// The mean of the out-of-bag trees per row, and its accuracy or R² over the rows that have one.
    private static func outOfBagEstimate(sums: Matrix, counts: [Int], target: TreeTarget) throws -> OutOfBagEstimate? {
        var means = sums
        for k in 0 ..< sums.columns {
            for row in 0 ..< sums.rows { means[row, k] = counts[row] > 0 ? sums[row, k] / Double(counts[row]) : .nan }
        }
        let scored = counts.indices.filter { counts[$0] > 0 }
        guard !scored.isEmpty else { return nil }
        switch target {
        case .classes(let classes, _):
            let predicted = ClassificationMetrics.mostProbableClasses(means)
            let correct = scored.count { predicted[$0] == classes[$0] }
            return OutOfBagEstimate(score: Double(correct) / Double(scored.count), predictions: .probabilities(means), rowsScored: scored.count)
        case .values(let values):
            let actual = scored.map { values[$0] }, predicted = scored.map { means.values[$0] }
            // When every target is the same, scikit-learn's r2_score says 1 for a perfect fit, else 0.
            let score = try RegressionScores.rSquared(actual: actual, predicted: predicted) ?? (actual == predicted ? 1 : 0)
            return OutOfBagEstimate(score: score, predictions: .values(means.values), rowsScored: scored.count)
        }
    }

    // MARK: - Prediction

    /// The forest's predictions: the mean over trees of each row's leaf value (regression) or
    /// class shares (classification). Rows are taken in parallel; the result does not depend on
    /// `threads` (nil: every core).
    public func predict(_ features: [FeatureColumn], threads: Int? = nil) throws -> TreePredictions {
        let inputs = try TreeInputs(features, levelCounts: levelCounts)
        let threads = max(1, threads ?? everyCore)
        var (means, _) = try clearingInterruption { try sumOfLeafValues(trees, inputs, threads: threads) }
        let count = Double(trees.count)
        for i in means.values.indices { means.values[i] /= count }
        return classCount > 0 ? .probabilities(means) : .values(means.values)
    }

    // MARK: - Importances

    /// The mean over trees of each tree's normalised importances (trees without a split left
    /// out), normalised to sum to 1, as scikit-learn's feature_importances_.
    public func featureImportances() -> [Double] {
        var sum = [Double](repeating: 0, count: levelCounts.count)
        for tree in trees where tree.nodeCount > 1 {
            for (f, importance) in tree.featureImportances().enumerated() { sum[f] += importance }
        }
        return normalisedToSumOne(sum)
    }

    // MARK: - Validation

    /// Checks every tree as `DecisionTree.validate` does; `classCount` is 0 for regression.
    public func validate(featureCount: Int, levelCounts: [Int?], classCount: Int) throws {
        guard !trees.isEmpty else { throw ModelshError.data("the random forest is inconsistent: it has no trees") }
        for (t, tree) in trees.enumerated() {
            do {
                try tree.validate(featureCount: featureCount, levelCounts: levelCounts, classCount: classCount)
            } catch let error as ModelshError {
                throw ModelshError.data("tree \(t + 1) of the random forest: \(error.message)")
            }
        }
    }
}
