import Diagnostics
import Numerics
import Tabular

/// The options trees share (`tree`, `forest`), as scikit-learn names them.
struct TreeOptions {
    static let specs = [
        ModelOptionSpec(name: "criterion", help: "gini (default) or entropy for classes, squared_error for regression",
                        values: SplitCriterion.allCases.map(\.rawValue)),
        ModelOptionSpec(name: "max_depth", help: "the deepest a leaf may be (default: no limit)"),
        ModelOptionSpec(name: "min_leaf", help: "the fewest training rows in a leaf (default 1)"),
        ModelOptionSpec(name: "min_split", help: "the fewest rows a node needs to be split (default 2)"),
        ModelOptionSpec(name: "max_features", help: "features a split may look at: all, sqrt, log2, a count, or a fraction in (0, 1)"),
        ModelOptionSpec(name: "seed", help: "random seed for feature sampling (default 42)"),
    ]

    /// The tree parameters the options give; the criterion is checked against the task at fit.
    static func parse(_ values: OptionValues) throws -> (criterion: SplitCriterion?, maxDepth: Int?, minLeaf: Int, minSplit: Int,
                                                       maxFeatures: FeatureSampling?, seed: UInt64) {
        let maxDepth = values.options["max_depth"] == nil ? nil : try values.integer("max_depth", default: 1, in: 1 ... 10_000, "a whole number ≥ 1")
        return (values.options["criterion"].flatMap(SplitCriterion.init), maxDepth,
                try values.integer("min_leaf", default: 1, in: 1 ... Int(Int32.max), "a whole number ≥ 1"),
                try values.integer("min_split", default: 2, in: 2 ... Int(Int32.max), "a whole number ≥ 2"),
                try maxFeatures(values.options["max_features"]),
                UInt64(try values.integer("seed", default: 42, in: 0 ... Int.max, "a whole number ≥ 0")))
    }

    static func maxFeatures(_ text: String?) throws -> FeatureSampling? {
        guard let text else { return nil }
        switch text {
        case "all": return .all
        case "sqrt": return .squareRoot
        case "log2": return .log2
        default:
            if let count = Int(text), count >= 1 { return .count(count) }
            if let fraction = Double(text), fraction > 0, fraction < 1 { return .fraction(fraction) }
            throw ModelshError.usage("option 'max_features' must be all, sqrt, log2, a whole number ≥ 1 or a fraction in (0, 1), not '\(text)'",
                                     argument: "max_features")
        }
    }

    /// The criterion for the task: the one given if it suits, else gini or squared error.
    static func criterion(_ given: SplitCriterion?, task: ModelTask) throws -> SplitCriterion {
        guard let given else { return task == .classification ? .gini : .squaredError }
        guard given.isClassification == (task == .classification) else {
            throw ModelshError.usage("criterion=\(given.rawValue) is for \(given.isClassification ? "classification" : "regression"); this is \(task.rawValue)",
                                     argument: "criterion")
        }
        return given
    }

    static func target(_ problem: TrainingProblem) -> TreeTarget {
        problem.task == .classification ? .classes(problem.classIndices, count: problem.classes.count) : .values(problem.target)
    }
}

/// A single CART tree (scikit-learn's DecisionTree*): exact splits, categorical features split
/// natively, missing values routed by a learned direction.
public enum TreeModel: Learner {
    public static let name = "tree"
    public static let summary = "a CART decision tree (gini/entropy or squared error), categories and missing values handled natively"
    public static let tasks: [ModelTask] = [.regression, .classification]
    public static let preprocessing: [CommonOption] = [.impute, .task]
    public static let options = TreeOptions.specs
    public static let handlesMissingValues = true
    public static let usesDesign = false

    public struct Parameters: ModelParameters {
        public let criterion: SplitCriterion?
        public let maxDepth: Int?
        public let minLeaf: Int
        public let minSplit: Int
        public let maxFeatures: FeatureSampling?
        public let seed: UInt64
    }

    public static func parameters(_ options: [String: String]) throws -> Parameters {
        let parsed = try TreeOptions.parse(OptionValues(options))
        return Parameters(criterion: parsed.criterion, maxDepth: parsed.maxDepth, minLeaf: parsed.minLeaf, minSplit: parsed.minSplit,
                          maxFeatures: parsed.maxFeatures, seed: parsed.seed)
    }

    public static func encoding(_ parameters: Parameters) -> CategoricalEncoding { .native }

    public static func fit(_ problem: TrainingProblem, _ parameters: Parameters) throws -> TreeState {
        let tree = try DecisionTree.fit(features: problem.features, target: TreeOptions.target(problem),
                                        parameters: TreeParameters(criterion: TreeOptions.criterion(parameters.criterion, task: problem.task),
                                                                   maxDepth: parameters.maxDepth, minLeaf: parameters.minLeaf,
                                                                   minSplit: parameters.minSplit, maxFeatures: parameters.maxFeatures ?? .all),
                                        seed: parameters.seed)
        return TreeState(tree: tree)
    }
}

public struct TreeState: LearnedState {
    public let tree: DecisionTree

    public func predict(_ inputs: ModelInputs) throws -> RawPrediction {
        tree.classCount > 0 ? .probabilities(try tree.predictProbabilities(inputs.features)) : .values(try tree.predictValues(inputs.features))
    }

    public var featureImportances: (measure: String, values: [Double])? { ("impurity", tree.featureImportances()) }

    public func summary(of model: Model, options: SummaryOptions) -> Report {
        var report = Report()
        report.add("Tree: depth \(tree.depth), \(tree.leafCount) leaves, \(tree.nodeCount) nodes")
        report.add(TreeRules(tree: tree, model: model).report(depth: options.depth))
        return report
    }

    public func check(in model: Model) throws {
        try TreeRules.validate(tree, in: model)
    }
}

/// A tree as indented rules, rpart-style: each node's condition, its rows and its prediction,
/// `*` on leaves; the side that takes missing values says so.
struct TreeRules {
    let tree: DecisionTree
    let model: Model

    static func validate(_ tree: DecisionTree, in model: Model) throws {
        try engineCheck {
            try tree.validate(featureCount: model.schema.features.count, levelCounts: model.schema.features.map { $0.levels?.count },
                              classCount: model.task == .classification ? model.schema.classes.count : 0)
        }
    }

    func report(depth: Int) -> Report {
        var lines = ["Rules (to depth \(depth); * marks a leaf):", "root: \(describe(tree.node(0)))"]
        walk(0, level: 1, maxDepth: depth, into: &lines)
        var report = Report()
        for line in lines { report.add(line) }
        return report
    }

    private func walk(_ index: Int, level: Int, maxDepth: Int, into lines: inout [String]) {
        let node = tree.node(index)
        let indent = String(repeating: "  ", count: level)
        switch node.split {
        case .leaf: return
        case .threshold(let feature, let threshold, let left, let right):
            let name = TerminalText.escaped(model.schema.features[feature].name), value = NumberFormat.significant(threshold)
            emit("\(name) ≤ \(value)", left, missing: node.missingGoesLeft)
            emit("\(name) > \(value)", right, missing: !node.missingGoesLeft)
        case .levels(let feature, let leftLevels, let left, let right):
            let schema = model.schema.features[feature]
            let names = (schema.levels ?? []).map(TerminalText.escaped)
            let inLeft = leftLevels.map { names[$0] }.joined(separator: ", ")
            emit("\(TerminalText.escaped(schema.name)) in {\(inLeft)}", left, missing: node.missingGoesLeft)
            emit("\(TerminalText.escaped(schema.name)) not in {\(inLeft)}", right, missing: !node.missingGoesLeft)
        }
        func emit(_ condition: String, _ child: Int, missing: Bool) {
            let childNode = tree.node(child)
            let leaf: Bool
            if case .leaf = childNode.split { leaf = true } else { leaf = false }
            lines.append(indent + condition + (missing ? " or missing" : "") + ": " + describe(childNode) + (leaf ? " *" : ""))
            if level < maxDepth { walk(child, level: level + 1, maxDepth: maxDepth, into: &lines) } else if !leaf { lines.append(indent + "  …") }
        }
    }

    /// "n=50, setosa (1)" or "n=89, 152.1".
    private func describe(_ node: DecisionTreeNode) -> String {
        guard model.task == .classification else { return "n=\(node.samples), \(NumberFormat.significant(node.value.first ?? .nan))" }
        let best = node.value.indices.max { node.value[$0] < node.value[$1] || (node.value[$0] == node.value[$1] && $0 > $1) } ?? 0
        return "n=\(node.samples), \(TerminalText.escaped(model.schema.classes[best])) (\(NumberFormat.significant(node.value[best], digits: 3)))"
    }
}

/// A random forest (scikit-learn's RandomForest*): bootstrap samples, a random subset of the
/// features at each split, trees grown in parallel; the same forest for a seed on any number of
/// cores. Numeric features are binned to at most 255 quantile bins once (`bins=`), which is
/// what makes growing a hundred trees fast.
public enum ForestModel: Learner {
    public static let name = "forest"
    public static let summary = "a random forest of CART trees (trees=, bootstrap, out-of-bag score), grown in parallel"
    public static let tasks: [ModelTask] = [.regression, .classification]
    public static let preprocessing: [CommonOption] = [.impute, .task]
    public static let options = TreeOptions.specs + [
        ModelOptionSpec(name: "trees", help: "how many trees (default 100)"),
        ModelOptionSpec(switch: "bootstrap", help: "grow each tree on a bootstrap sample (default yes; its left-out rows give the out-of-bag score)"),
        ModelOptionSpec(name: "bins", help: "quantile bins a numeric feature is cut into, 2 to 65535 (default 255), or exact: split between any two values (slower)"),
    ]
    public static let handlesMissingValues = true
    public static let usesDesign = false

    public struct Parameters: ModelParameters {
        public let tree: TreeModel.Parameters
        public let trees: Int
        public let bootstrap: Bool
        /// `RandomForestParameters.bins`: nil for `bins=exact`.
        public let bins: Int?

        static let binRange = 2 ... 65535

        init(tree: TreeModel.Parameters, trees: Int, bootstrap: Bool, bins: Int?) {
            self.tree = tree
            self.trees = trees
            self.bootstrap = bootstrap
            self.bins = bins
        }

        /// A model saved before `bins=` existed has no `bins` key and was grown with 255 bins;
        /// `exact` is written as null, so a missing key and exact stay apart.
        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            tree = try container.decode(TreeModel.Parameters.self, forKey: .tree)
            trees = try container.decode(Int.self, forKey: .trees)
            bootstrap = try container.decode(Bool.self, forKey: .bootstrap)
            bins = container.contains(.bins) ? try container.decode(Int?.self, forKey: .bins) : RandomForestParameters.defaultBins
            try decoder.requireConsistent { try require(bins.map(Self.binRange.contains) ?? true, "the forest's bins are not 2 to 65535") }
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(tree, forKey: .tree)
            try container.encode(trees, forKey: .trees)
            try container.encode(bootstrap, forKey: .bootstrap)
            try container.encode(bins, forKey: .bins)
        }

        private enum CodingKeys: String, CodingKey { case tree, trees, bootstrap, bins }
    }

    public static func parameters(_ options: [String: String]) throws -> Parameters {
        let values = OptionValues(options)
        return Parameters(tree: try TreeModel.parameters(options.filter { !["trees", "bootstrap", "bins"].contains($0.key) }),
                          trees: try values.integer("trees", default: 100, in: 1 ... 100_000, "a whole number from 1 to 100000"),
                          bootstrap: values.flag("bootstrap", default: true),
                          bins: values.options["bins"] == "exact" ? nil
                              : try values.integer("bins", default: RandomForestParameters.defaultBins, in: Parameters.binRange,
                                                   "a whole number from 2 to 65535 or exact"))
    }

    public static func encoding(_ parameters: Parameters) -> CategoricalEncoding { .native }

    public static func fit(_ problem: TrainingProblem, _ parameters: Parameters) throws -> ForestState {
        let criterion = try TreeOptions.criterion(parameters.tree.criterion, task: problem.task)
        let tree = TreeParameters(criterion: criterion, maxDepth: parameters.tree.maxDepth, minLeaf: parameters.tree.minLeaf,
                                  minSplit: parameters.tree.minSplit,
                                  maxFeatures: parameters.tree.maxFeatures ?? FeatureSampling.forestDefault(for: criterion))
        let (forest, outOfBag) = try RandomForest.fit(features: problem.features, target: TreeOptions.target(problem),
                                                      parameters: RandomForestParameters(tree: tree, trees: parameters.trees, bootstrap: parameters.bootstrap,
                                                                                         bins: parameters.bins),
                                                      seed: parameters.tree.seed, progress: problem.progress)
        return ForestState(forest: forest, outOfBagScore: outOfBag?.score, outOfBagRows: outOfBag?.rowsScored)
    }
}

public struct ForestState: LearnedState {
    public let forest: RandomForest
    /// Accuracy or R² of each training row predicted by the trees that did not see it.
    public let outOfBagScore: Double?
    public let outOfBagRows: Int?

    public func predict(_ inputs: ModelInputs) throws -> RawPrediction {
        switch try forest.predict(inputs.features) {
        case .values(let values): return .values(values)
        case .probabilities(let probabilities): return .probabilities(probabilities)
        }
    }

    public var featureImportances: (measure: String, values: [Double])? { ("impurity", forest.featureImportances()) }

    public func summary(of model: Model, options: SummaryOptions) -> Report {
        var report = Report()
        let depths = forest.trees.map(\.depth), leaves = forest.trees.map(\.leafCount)
        report.add("Forest: \(forest.trees.count) trees; depth \(depths.min() ?? 0)–\(depths.max() ?? 0), mean leaves \(NumberFormat.significant(Double(leaves.reduce(0, +)) / Double(max(leaves.count, 1)), digits: 4))")
        if let score = outOfBagScore, let rows = outOfBagRows {
            report.add("Out-of-bag \(model.task == .classification ? "accuracy" : "R-squared"): \(NumberFormat.significant(score)) (\(rows) rows)")
        }
        if let table = model.importanceTable() {
            report.add("Impurity importances:")
            report.add(table)
        }
        return report
    }

    public func check(in model: Model) throws {
        try engineCheck {
            try forest.validate(featureCount: model.schema.features.count, levelCounts: model.schema.features.map { $0.levels?.count },
                                classCount: model.task == .classification ? model.schema.classes.count : 0)
        }
        if let score = outOfBagScore { try require(score.isFinite || score.isNaN, "the out-of-bag score is infinite") }
    }
}
