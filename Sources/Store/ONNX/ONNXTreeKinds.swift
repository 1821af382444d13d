import Diagnostics
import Models
import Numerics
import ONNXFormat

// The tree kinds as one ai.onnx.ml TreeEnsemble (opset 5: thresholds, leaf weights and output in
// the graph's precision) over the features as trees read them: numbers, and categories as their
// level index. A numeric split is x ≤ threshold (BRANCH_LEQ), a categorical one membership of
// the levels that go left (BRANCH_MEMBER); missing values (NaN, and an unseen level) follow the
// learned direction through nodes_missing_value_tracks_true.

/// One tree in the form the ensemble takes it, whatever the kind stores.
struct ONNXTree {
    enum Node {
        /// The leaf's values (one, or one per class).
        case leaf([Double])
        case threshold(feature: Int, threshold: Double, missingGoesLeft: Bool, left: Int, right: Int)
        case levels(feature: Int, leftLevels: [Int], missingGoesLeft: Bool, left: Int, right: Int)
    }

    /// Node 0 is the root.
    let nodes: [Node]
}

/// The arrays of a TreeEnsemble node, filled tree by tree. Each (tree, value column) pair is a
/// tree of its own: a leaf adds one weight to one target, so a tree whose leaves hold K class
/// shares becomes K trees with the same splits.
struct ONNXTreeEnsemble {
    private var roots: [Int] = []
    private var features: [Int] = [], modes: [UInt8] = [], splits: [Double] = []
    private var trueIds: [Int] = [], trueLeafs: [Int] = [], falseIds: [Int] = [], falseLeafs: [Int] = [], missingTrue: [Int] = []
    private var members: [Double] = []
    private var leafTargets: [Int] = [], leafWeights: [Double] = []
    let targets: Int

    private static let lessOrEqual: UInt8 = 0, member: UInt8 = 6

    init(targets: Int) {
        self.targets = targets
    }

    /// Adds `tree`, its leaves' value `column` going to `target`.
    mutating func add(_ tree: ONNXTree, column: Int, target: Int) throws {
        func leafId(_ values: [Double]) throws -> Int {
            guard column < values.count, values[column].isFinite else { throw ModelshError(.software, "ONNX export: a tree leaf has no finite value \(column)") }
            leafTargets.append(target)
            leafWeights.append(values[column])
            return leafWeights.count - 1
        }
        let first = features.count
        roots.append(first)
        if case .leaf(let values) = tree.nodes[0] {
            // A tree that never split: ONNX needs a split at the root, so one whose branches meet.
            let leaf = try leafId(values)
            append(feature: 0, mode: Self.lessOrEqual, split: .nan, missingGoesLeft: true, left: (leaf, true), right: (leaf, true))
            return
        }
        // Split nodes get ids in the order a walk from the root meets them; leaves ids of their own.
        var order: [Int] = [], stack = [0], splitId: [Int: Int] = [:]
        while let i = stack.popLast() {
            guard i >= 0, i < tree.nodes.count, splitId[i] == nil else { throw ModelshError(.software, "ONNX export: a tree's node \(i) is out of place") }
            switch tree.nodes[i] {
            case .leaf: continue
            case .threshold(_, _, _, let left, let right), .levels(_, _, _, let left, let right):
                splitId[i] = first + order.count
                order.append(i)
                stack += [right, left]
            }
        }
        func reference(_ child: Int) throws -> (Int, Bool) {
            guard child >= 0, child < tree.nodes.count else { throw ModelshError(.software, "ONNX export: a tree's child \(child) is out of place") }
            if case .leaf(let values) = tree.nodes[child] { return (try leafId(values), true) }
            return (splitId[child]!, false)
        }
        for i in order {
            switch tree.nodes[i] {
            case .leaf: break
            case .threshold(let feature, let threshold, let missingGoesLeft, let left, let right):
                append(feature: feature, mode: Self.lessOrEqual, split: threshold, missingGoesLeft: missingGoesLeft,
                       left: try reference(left), right: try reference(right))
            case .levels(let feature, let levels, let missingGoesLeft, let left, let right):
                members += levels.map(Double.init) + [.nan]
                append(feature: feature, mode: Self.member, split: .nan, missingGoesLeft: missingGoesLeft,
                       left: try reference(left), right: try reference(right))
            }
        }
    }

    private mutating func append(feature: Int, mode: UInt8, split: Double, missingGoesLeft: Bool, left: (Int, Bool), right: (Int, Bool)) {
        features.append(feature)
        modes.append(mode)
        splits.append(split)
        trueIds.append(left.0)
        trueLeafs.append(left.1 ? 1 : 0)
        falseIds.append(right.0)
        falseLeafs.append(right.1 ? 1 : 0)
        missingTrue.append(missingGoesLeft ? 1 : 0)
    }

    /// The ensemble's node on `input` (rows × features): rows × targets, the sum over trees.
    /// When every threshold is the boundary of a float32 threshold (`Float32Threshold`) and every
    /// leaf weight a float32 number, as in a compressed model, the ensemble runs in float32 with
    /// attributes half the size, routes every row as modelsh does, and its sums are widened back.
    func node(_ input: String, in graph: inout ONNXGraph) -> String {
        let floatSplits = splits.map { $0.isNaN ? Float.nan : Float32Threshold.float(at: $0) }
        let narrow = graph.real == .double && floatSplits.allSatisfy { $0 != nil }
            && (leafWeights + members).allSatisfy { $0.isNaN || Double(Float($0)) == $0 }
        let element: ONNXElement = narrow ? .float : graph.real
        let splits = narrow ? floatSplits.map { Double($0!) } : self.splits
        var attributes: [Onnx_AttributeProto] = [
            .int("n_targets", targets), .int("aggregate_function", 1), .int("post_transform", 0),  // SUM, NONE
            .ints("tree_roots", roots), .ints("nodes_featureids", features),
            .tensor("nodes_modes", ONNXGraph.tensor(uint8s: modes)),
            .tensor("nodes_splits", ONNXGraph.tensor(splits, shape: [splits.count], as: element)),
            .ints("nodes_truenodeids", trueIds), .ints("nodes_trueleafs", trueLeafs),
            .ints("nodes_falsenodeids", falseIds), .ints("nodes_falseleafs", falseLeafs),
            .ints("nodes_missing_value_tracks_true", missingTrue),
            .ints("leaf_targetids", leafTargets),
            .tensor("leaf_weights", ONNXGraph.tensor(leafWeights, shape: [leafWeights.count], as: element)),
        ]
        if !members.isEmpty { attributes.append(.tensor("membership_values", ONNXGraph.tensor(members, shape: [members.count], as: element))) }
        guard narrow else { return graph.node("TreeEnsemble", [input], attributes, ml: true) }
        graph.computesInFloat32 = true
        let narrowed = graph.node("Cast", [input], [.int("to", Int(ONNXElement.float.rawValue))])
        return graph.node("Cast", [graph.node("TreeEnsemble", [narrowed], attributes, ml: true)], [.int("to", Int(graph.real.rawValue))])
    }
}

extension ONNXTree {
    /// A CART tree (`DecisionTree`): children at leftChildren[i] and the node after it.
    init(_ tree: DecisionTree) {
        let width = max(1, tree.classCount)
        nodes = (0 ..< tree.nodeCount).map { i in
            let feature = Int(tree.splitFeatures[i]), left = Int(tree.leftChildren[i])
            if feature < 0 { return .leaf(Array(tree.values[i * width ..< (i + 1) * width])) }
            if tree.levelCounts[feature] != nil {
                return .levels(feature: feature, leftLevels: tree.leftLevelSets[Int(tree.thresholds[i])], missingGoesLeft: tree.missingGoesLeft[i],
                               left: left, right: left + 1)
            }
            return .threshold(feature: feature, threshold: tree.thresholds[i], missingGoesLeft: tree.missingGoesLeft[i], left: left, right: left + 1)
        }
    }

    /// A boosted tree on binned features, its bins turned back into values: a numeric split
    /// sends bins up to b left, which is x ≤ the bin's upper threshold (every value when b is the
    /// last bin); a categorical one the levels of its left bins, and with the missing values
    /// the levels training never saw, which modelsh bins as missing.
    init(_ tree: BoostedTree, bins: [FeatureBins], levelCounts: [Int?]) {
        nodes = (0 ..< tree.nodeCount).map { i in
            let feature = tree.feature[i]
            if feature < 0 { return .leaf([tree.value[i]]) }
            let missingGoesLeft = tree.missingGoesLeft[i]
            switch bins[feature] {
            case .numeric(let thresholds):
                let bin = tree.threshold[i]
                return .threshold(feature: feature, threshold: bin < thresholds.count ? thresholds[bin] : .infinity,
                                  missingGoesLeft: missingGoesLeft, left: tree.left[i], right: tree.right[i])
            case .categorical(let levels):
                var left = tree.leftBins[i].filter { $0 < levels.count }.map { levels[$0] }
                if missingGoesLeft {
                    let seen = Set(levels)
                    left += (0 ..< (levelCounts[feature] ?? 0)).filter { !seen.contains($0) }
                }
                return .levels(feature: feature, leftLevels: left.sorted(), missingGoesLeft: missingGoesLeft, left: tree.left[i], right: tree.right[i])
            }
        }
    }
}

extension TreeState: ONNXExpressible {
    func exportONNX(_ features: inout ONNXFeatures) throws -> ONNXPrediction {
        let sums = try ONNXForestOutput.sums([tree], features: &features)
        return tree.classCount > 0 ? .probabilities(sums) : .values(sums)
    }
}

extension ForestState: ONNXExpressible {
    /// The mean over trees: their sum divided by their count, as `RandomForest.predict`.
    func exportONNX(_ features: inout ONNXFeatures) throws -> ONNXPrediction {
        let sums = try ONNXForestOutput.sums(forest.trees, features: &features)
        let means = features.graph.node("Div", [sums, features.graph.reals([Double(forest.trees.count)], shape: [], "tree_count")])
        return forest.classCount > 0 ? .probabilities(means) : .values(means)
    }
}

enum ONNXForestOutput {
    /// rows × values per leaf: each row's leaf values summed over `trees`.
    static func sums(_ trees: [DecisionTree], features: inout ONNXFeatures) throws -> String {
        let width = max(1, trees.first?.classCount ?? 0)
        var ensemble = ONNXTreeEnsemble(targets: width)
        for tree in trees {
            let converted = ONNXTree(tree)
            for k in 0 ..< width { try ensemble.add(converted, column: k, target: k) }
        }
        let input = features.nativeMatrix()
        return ensemble.node(input, in: &features.graph)
    }
}

extension BoostState: ONNXExpressible {
    /// The baseline plus the sum of every round's trees (tree t adds to score t mod trees per
    /// round), then the loss's link: identity, logistic, or softmax.
    func exportONNX(_ features: inout ONNXFeatures) throws -> ONNXPrediction {
        let boosted = model, perRound = boosted.treesPerRound
        let levelCounts = features.model.schema.features.map { $0.levels?.count }
        var ensemble = ONNXTreeEnsemble(targets: perRound)
        for (t, tree) in boosted.trees.enumerated() {
            try ensemble.add(ONNXTree(tree, bins: boosted.bins, levelCounts: levelCounts), column: 0, target: t % perRound)
        }
        let input = features.nativeMatrix()
        let sums = ensemble.node(input, in: &features.graph)
        let raw = features.graph.node("Add", [sums, features.graph.reals(boosted.baseline, shape: [perRound], "baseline")])
        switch boosted.loss {
        case .squaredError:
            return .values(raw)
        case .binaryLogLoss:
            let p = features.graph.node("Sigmoid", [raw])
            return .probabilities(features.graph.columns([features.graph.node("Sub", [features.graph.reals([1], shape: [], "one"), p]), p]))
        case .multinomialLogLoss:
            return .probabilities(features.graph.node("Softmax", [raw], [.int("axis", 1)]))
        }
    }
}
