import Diagnostics
import Foundation

/// A CART decision tree (Breiman et al. 1984) for classification (gini, entropy) or regression
/// (squared error), grown as scikit-learn's DecisionTreeClassifier/Regressor grows it: depth
/// first, each node split by the best split among its features (all of them, or a random subset
/// of `maxFeatures` drawn per node), until `maxDepth`, `minSplit`, `minLeaf` or purity stops it.
///
/// - **Numeric features** split at x ≤ threshold. `fit` is exact by default: every midpoint
///   between two adjacent distinct values in the node is a candidate, as in scikit-learn (which
///   works on float32 copies of the features, so its thresholds differ from these in the 7th
///   digit, and takes values less than 1e-7 apart for one). With `bins`, candidates are the edges
///   of at most that many quantile bins (the forest's default, which is what makes it fast).
/// - **Categorical features** split natively: a set of levels goes left. For regression and two
///   classes the levels are ordered by mean target / share of class 1 and the best split of that
///   order is the best of all 2^(L−1) subsets (Breiman et al. 1984, §9.4). For K > 2 classes no
///   such order exists; the heuristic tried here is one order per class (by that class's share)
///   and the best split of any of the K orders, which is exact for K = 2 and costs K sorts.
/// - **Missing values** (NaN, level −1) are routed, not dropped: every candidate split is tried
///   with the node's missing rows left and right and the better kept, and so is the split of the
///   rows present against the missing ones (scikit-learn ≥ 1.3, HistGradientBoosting, XGBoost).
///   A split learned without missing rows sends them at prediction to the child with more
///   training rows (right on a tie, as scikit-learn). Levels that no training row of the node has
///   go where the missing values go, and so does a level outside 0 ..< count at prediction.
///
/// Ties between equally good splits go to the lower feature, then the lower threshold (with all
/// features; scikit-learn visits features in a random order, so its choice among ties depends on
/// random_state).
///
/// The nodes are stored as parallel arrays (node 0 is the root; a split node's children are
/// `leftChildren[i]` and `leftChildren[i] + 1`, both after it), the form a model file stores and
/// a summary renders from. Cost: O(p n log n) per level of the tree for exact splits, O(p n) with bins.
public struct DecisionTree: Sendable, Equatable {
    /// K for classification, 0 for regression.
    public let classCount: Int
    /// Per training feature: nil for a numeric feature, its level count for a categorical one.
    public let levelCounts: [Int?]
    /// The feature node i splits on, or −1 for a leaf.
    public let splitFeatures: [Int32]
    /// The left child of node i (the right one is the next node), or −1 for a leaf.
    public let leftChildren: [Int32]
    /// A numeric split's threshold (x ≤ threshold goes left); for a categorical split the index
    /// into `leftLevelSets`; 0 for a leaf.
    public let thresholds: [Double]
    /// Where node i sends a missing value (and a level it never saw).
    public let missingGoesLeft: [Bool]
    /// The training rows that reached node i, a row drawn several times by a bootstrap counted as
    /// often as drawn (scikit-learn's weighted_n_node_samples).
    public let sampleCounts: [Int32]
    /// The node's impurity under the criterion (gini, entropy in bits, or variance).
    public let impurities: [Double]
    /// Node i's prediction: `values[i]` for regression (the mean), `values[i * K ..< (i + 1) * K]`
    /// for classification (the class shares of the node's rows).
    public let values: [Double]
    /// The levels a categorical split sends left, sorted.
    public let leftLevelSets: [[Int]]

    init(classCount: Int, levelCounts: [Int?], splitFeatures: [Int32], leftChildren: [Int32], thresholds: [Double],
         missingGoesLeft: [Bool], sampleCounts: [Int32], impurities: [Double], values: [Double], leftLevelSets: [[Int]]) {
        self.classCount = classCount
        self.levelCounts = levelCounts
        self.splitFeatures = splitFeatures
        self.leftChildren = leftChildren
        self.thresholds = thresholds
        self.missingGoesLeft = missingGoesLeft
        self.sampleCounts = sampleCounts
        self.impurities = impurities
        self.values = values
        self.leftLevelSets = leftLevelSets
    }

    /// Grows one tree on every row. `bins` nil splits exactly; otherwise numeric features are
    /// binned into at most `bins` (2 … 65535) quantile bins first. `seed` only matters when
    /// `maxFeatures` draws a subset of the features. The features are coded on every core, the
    /// tree grows on one.
    public static func fit(features: [FeatureColumn], target: TreeTarget, parameters: TreeParameters,
                           bins: Int? = nil, seed: UInt64 = 0) throws -> DecisionTree {
        let grown = try growTrees(features: features, target: target, parameters: parameters, bins: bins, trees: 1,
                                  bootstrap: false, randomFeatureOrder: false, seed: seed, threads: everyCore, progress: nil)
        return grown[0].tree
    }

    public var nodeCount: Int { splitFeatures.count }
    public var leafCount: Int { splitFeatures.count(where: { $0 < 0 }) }
    /// The number of splits on the longest path from the root to a leaf.
    public var depth: Int { preorder().map(\.depth).max() ?? 0 }
    var valueWidth: Int { max(1, classCount) }

    // MARK: - Nodes for rendering

    /// Node i as a summary renders it.
    public func node(_ i: Int) -> DecisionTreeNode {
        let feature = Int(splitFeatures[i]), left = Int(leftChildren[i])
        let split: DecisionTreeNode.Split
        if feature < 0 {
            split = .leaf
        } else if levelCounts[feature] == nil {
            split = .threshold(feature: feature, threshold: thresholds[i], left: left, right: left + 1)
        } else {
            split = .levels(feature: feature, leftLevels: leftLevelSets[Int(thresholds[i])], left: left, right: left + 1)
        }
        return DecisionTreeNode(split: split, missingGoesLeft: missingGoesLeft[i], samples: Int(sampleCounts[i]),
                                impurity: impurities[i], value: Array(values[i * valueWidth ..< (i + 1) * valueWidth]))
    }

    /// The nodes in depth-first order, left before right (the order scikit-learn numbers them
    /// and a printed tree lists them), with their depths.
    public func preorder() -> [(node: Int, depth: Int)] {
        var order: [(node: Int, depth: Int)] = [], stack = [(node: 0, depth: 0)]
        order.reserveCapacity(nodeCount)
        while let next = stack.popLast() {
            order.append(next)
            let left = Int(leftChildren[next.node])
            if left >= 0 { stack += [(left + 1, next.depth + 1), (left, next.depth + 1)] }
        }
        return order
    }

    // MARK: - Importances

    /// The mean decrease in impurity of each feature: Σ over the splits on it of
    /// n·impurity − n_left·impurity_left − n_right·impurity_right, normalised to sum to 1 (all
    /// zero for a tree without splits), as scikit-learn's feature_importances_.
    public func featureImportances() -> [Double] {
        var importances = [Double](repeating: 0, count: levelCounts.count)
        for i in 0 ..< nodeCount where splitFeatures[i] >= 0 {
            let left = Int(leftChildren[i])
            importances[Int(splitFeatures[i])] += weightedImpurity(i) - weightedImpurity(left) - weightedImpurity(left + 1)
        }
        return normalisedToSumOne(importances)
    }

    private func weightedImpurity(_ i: Int) -> Double { Double(sampleCounts[i]) * impurities[i] }

    // MARK: - Prediction

    /// The predicted value of each row (a regression tree), rows in parallel.
    public func predictValues(_ features: [FeatureColumn]) throws -> [Double] {
        guard classCount == 0 else { throw ModelshError(.software, "a classification tree predicts probabilities, not values") }
        return try leafValues(features).values
    }

    /// Each row's class probabilities, rows × K: the class shares of the leaf it falls in.
    public func predictProbabilities(_ features: [FeatureColumn]) throws -> Matrix {
        guard classCount > 0 else { throw ModelshError(.software, "a regression tree predicts values, not probabilities") }
        return try leafValues(features)
    }

    private func leafValues(_ features: [FeatureColumn]) throws -> Matrix {
        let inputs = try TreeInputs(features, levelCounts: levelCounts)
        return try clearingInterruption { try sumOfLeafValues([self], inputs, threads: everyCore) }.sums
    }

    // MARK: - Validation

    /// Checks every index and shape prediction relies on, so that a tampered model file is
    /// refused instead of crashing predict: `classCount` is 0 for regression. Children come after
    /// their parent, so every walk from the root ends at a leaf.
    public func validate(featureCount: Int, levelCounts: [Int?], classCount: Int) throws {
        func refuse(_ problem: String) -> ModelshError { ModelshError.data("the decision tree is inconsistent: \(problem)") }
        guard self.classCount == classCount, classCount == 0 || classCount >= 2 else {
            throw refuse("it has \(self.classCount) classes, the model \(classCount)")
        }
        guard self.levelCounts == levelCounts, levelCounts.count == featureCount else {
            throw refuse("its features differ from the model's \(featureCount) features")
        }
        let n = nodeCount
        guard n >= 1, [leftChildren.count, thresholds.count, missingGoesLeft.count, sampleCounts.count, impurities.count].allSatisfy({ $0 == n }),
              values.count == n * valueWidth else {
            throw refuse("its node arrays differ in length")
        }
        guard values.allSatisfy(\.isFinite), impurities.allSatisfy(\.isFinite), sampleCounts.allSatisfy({ $0 >= 0 }) else {
            throw refuse("a node has a non-finite value or a negative count")
        }
        var setUsed = [Bool](repeating: false, count: leftLevelSets.count)
        for i in 0 ..< n {
            let feature = Int(splitFeatures[i]), left = Int(leftChildren[i])
            if feature < 0 {
                guard feature == -1, left == -1 else { throw refuse("leaf \(i) has children") }
                continue
            }
            guard feature < featureCount else { throw refuse("node \(i) splits on feature \(feature + 1) of \(featureCount)") }
            guard left > i, left + 1 < n else { throw refuse("node \(i) has children outside the tree or before it") }
            let threshold = thresholds[i]
            guard threshold.isFinite else { throw refuse("node \(i) has a non-finite threshold") }
            guard let levelCount = levelCounts[feature] else { continue }
            guard threshold >= 0, threshold < Double(leftLevelSets.count), threshold == threshold.rounded(),
                  !setUsed[Int(threshold)], leftLevelSets[Int(threshold)].allSatisfy({ $0 >= 0 && $0 < levelCount }) else {
                throw refuse("node \(i) has no valid set of levels of its own")
            }
            setUsed[Int(threshold)] = true
        }
    }
}

/// One node of a `DecisionTree`, as a summary shows it.
public struct DecisionTreeNode: Sendable, Equatable {
    public enum Split: Sendable, Equatable {
        case leaf
        /// Rows with feature ≤ threshold go to `left`.
        case threshold(feature: Int, threshold: Double, left: Int, right: Int)
        /// Rows whose level is in `leftLevels` go to `left`.
        case levels(feature: Int, leftLevels: [Int], left: Int, right: Int)
    }

    public let split: Split
    public let missingGoesLeft: Bool
    public let samples: Int
    public let impurity: Double
    /// The mean (regression) or the K class shares (classification).
    public let value: [Double]
}

/// Importances scaled to sum to 1, or left at zero when they sum to zero.
func normalisedToSumOne(_ importances: [Double]) -> [Double] {
    let total = importances.reduce(0, +)
    return total > 0 ? importances.map { $0 / total } : importances
}
