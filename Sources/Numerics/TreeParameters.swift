import Diagnostics
import Foundation

/// How a split's quality is measured: the impurity whose weighted sum over the two children a
/// split minimises (scikit-learn's `criterion`).
public enum SplitCriterion: String, Codable, Sendable, CaseIterable {
    /// Classification: 1 − Σ pₖ².
    case gini
    /// Classification: −Σ pₖ log₂ pₖ, in bits as scikit-learn reports it.
    case entropy
    /// Regression: the variance of the target in the node (divisor: the node's weight).
    case squaredError = "squared_error"

    public var isClassification: Bool { self != .squaredError }
}

/// How many features a split may look at (scikit-learn's `max_features`): a fresh random subset
/// of that size is drawn at every node, so trees of a forest differ.
public enum FeatureSampling: Codable, Sendable, Equatable {
    /// Every feature (scikit-learn: None or 1.0).
    case all
    /// max(1, ⌊√p⌋), the default of a classification forest.
    case squareRoot
    /// max(1, ⌊log₂ p⌋).
    case log2
    /// max(1, ⌊fraction · p⌋), fraction in (0, 1].
    case fraction(Double)
    /// A fixed number of features, 1 … p.
    case count(Int)

    /// scikit-learn's defaults (1.9): √p for RandomForestClassifier, every feature for
    /// RandomForestRegressor (its default became 1.0 in version 1.1), every feature for a single tree.
    public static func forestDefault(for criterion: SplitCriterion) -> FeatureSampling {
        criterion.isClassification ? .squareRoot : .all
    }

    /// The number of features each split draws among `featureCount`, as scikit-learn rounds it.
    func count(of featureCount: Int) throws -> Int {
        let p = Double(featureCount)
        switch self {
        case .all: return featureCount
        case .squareRoot: return max(1, Int(p.squareRoot()))
        case .log2: return max(1, Int(Foundation.log2(p)))
        case .fraction(let fraction):
            guard fraction > 0, fraction <= 1 else {
                throw ModelshError.usage("max_features as a fraction must be in (0, 1], got \(fraction)", argument: "max_features")
            }
            return max(1, Int(fraction * p))
        case .count(let count):
            guard count >= 1, count <= featureCount else {
                throw ModelshError.usage("max_features must be between 1 and the \(featureCount) features, got \(count)",
                                         argument: "max_features")
            }
            return count
        }
    }
}

/// The hyper-parameters of one CART tree; scikit-learn's names and defaults.
public struct TreeParameters: Codable, Sendable, Equatable {
    public var criterion: SplitCriterion
    /// The deepest a leaf may be (the root has depth 0); nil grows until the other limits stop it.
    public var maxDepth: Int?
    /// The fewest training rows a leaf may hold (min_samples_leaf). With bootstrap weights, rows
    /// are counted once however often they were drawn, as scikit-learn counts them.
    public var minLeaf: Int
    /// The fewest training rows a node needs to be split (min_samples_split).
    public var minSplit: Int
    public var maxFeatures: FeatureSampling

    public init(criterion: SplitCriterion, maxDepth: Int? = nil, minLeaf: Int = 1, minSplit: Int = 2,
                maxFeatures: FeatureSampling = .all) {
        self.criterion = criterion
        self.maxDepth = maxDepth
        self.minLeaf = minLeaf
        self.minSplit = minSplit
        self.maxFeatures = maxFeatures
    }

    func validate() throws {
        if let maxDepth, maxDepth < 1 {
            throw ModelshError.usage("max_depth must be at least 1, got \(maxDepth)", argument: "max_depth")
        }
        guard minLeaf >= 1 else { throw ModelshError.usage("min_leaf must be at least 1, got \(minLeaf)", argument: "min_leaf") }
        guard minSplit >= 2 else { throw ModelshError.usage("min_split must be at least 2, got \(minSplit)", argument: "min_split") }
    }
}

/// What a tree learns to predict: class indices in 0 ..< count (classification) or values.
public enum TreeTarget: Sendable {
    case classes([Int], count: Int)
    case values([Double])

    var rowCount: Int {
        switch self {
        case .classes(let classes, _): classes.count
        case .values(let values): values.count
        }
    }

    /// K for classification, 0 for regression.
    var classCount: Int {
        if case .classes(_, let count) = self { return count }
        return 0
    }
}

// MARK: - Input checks shared by the tree and the forest

/// Refuses inputs a tree cannot learn from: no rows or no features, columns of unequal length,
/// infinite numbers or level indices out of range, a target that does not fit the criterion.
func checkTreeInputs(_ features: [FeatureColumn], _ target: TreeTarget, _ parameters: TreeParameters) throws {
    try parameters.validate()
    let n = target.rowCount
    try requireRows(n, "training rows")
    guard !features.isEmpty else { throw ModelshError.data("a tree needs at least one feature") }
    guard n < Int(Int32.max) else { throw ModelshError.data("a tree takes at most \(Int32.max - 1) training rows, got \(n)") }
    for (f, column) in features.enumerated() {
        switch column {
        case .numbers(let values):
            try requireSameCount(values.count, n, "values of feature \(f + 1)", "target values")
            if let i = values.firstIndex(where: \.isInfinite) {
                throw ModelshError.data("feature \(f + 1) has an infinite value at row \(i + 1)")
            }
        case .levels(let levels, let count):
            try requireSameCount(levels.count, n, "levels of feature \(f + 1)", "target values")
            if let i = levels.firstIndex(where: { $0 < -1 || $0 >= count }) {
                throw ModelshError.data("feature \(f + 1) has level index \(levels[i]) at row \(i + 1), outside 0..<\(count)")
            }
        }
    }
    switch target {
    case .classes(let classes, let count):
        guard parameters.criterion.isClassification else {
            throw ModelshError.usage("the \(parameters.criterion.rawValue) criterion is for regression, not classes", argument: "criterion")
        }
        guard count >= 2 else { throw ModelshError.data("classification needs at least 2 classes, got \(count)") }
        try requireClasses(classes, classCount: count, "the classes")
    case .values(let values):
        guard !parameters.criterion.isClassification else {
            throw ModelshError.usage("the \(parameters.criterion.rawValue) criterion is for classes, not values", argument: "criterion")
        }
        try requireFinite(values, "the target")
    }
}

/// Runs `body`; an interruption it reports (workers only look at the Ctrl-C flag, so that every
/// worker sees it) is cleared here, once, before the error goes up.
package func clearingInterruption<T>(_ body: () throws -> T) throws -> T {
    do {
        let result = try body()
        try Interruption.check()
        return result
    } catch let error as ModelshError where error.category == .interrupted {
        Interruption.clear()
        throw error
    }
}

/// The error a worker throws when it sees Ctrl-C; `clearingInterruption` clears the flag.
let interrupted = ModelshError(.interrupted, "interrupted")

/// The threads to use when the caller does not say: one per core.
package var everyCore: Int { ProcessInfo.processInfo.activeProcessorCount }
