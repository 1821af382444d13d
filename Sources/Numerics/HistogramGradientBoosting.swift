import Diagnostics
import Foundation

/// When to stop boosting before `rounds`: scikit-learn's `early_stopping` ('auto' is on for
/// more than 10,000 rows).
public enum EarlyStopping: String, Codable, Sendable, CaseIterable {
    case auto, on, off
}

/// The hyper-parameters of histogram gradient boosting, with scikit-learn's
/// HistGradientBoosting defaults and meanings.
public struct GradientBoostingParameters: Codable, Sendable, Equatable {
    /// Boosting rounds at most (`max_iter`).
    public var rounds = 100
    /// Shrinkage applied to every leaf (`learning_rate`).
    public var learningRate = 0.1
    /// Leaves per tree at most (`max_leaf_nodes`); nil for no limit.
    public var maxLeaves: Int? = 31
    /// Depth at most, in splits from the root (`max_depth`); nil for no limit.
    public var maxDepth: Int?
    /// Rows per leaf at least (`min_samples_leaf`).
    public var minLeaf = 20
    /// L2 penalty on leaf values (`l2_regularization`): a leaf's value is −G / (H + l2).
    public var l2 = 0.0
    /// Bins of values per feature at most, 2…255 (`max_bins`); missing values get one more.
    public var maxBins = 255
    public var earlyStopping = EarlyStopping.auto
    /// The share of rows held out to decide early stopping (`validation_fraction`).
    public var validationFraction = 0.1
    /// Stop after this many rounds without improvement (`n_iter_no_change`).
    public var patience = 10
    /// An improvement is a validation loss lower by more than this (`tol`).
    public var tolerance = 1e-7
    /// Seeds the validation split and the sample the quantiles are taken from.
    public var seed: UInt64 = 0

    public init() {}

    func validate() throws {
        func require(_ condition: Bool, _ argument: String, _ message: String) throws {
            guard condition else { throw ModelshError.usage(message, argument: argument) }
        }
        try require(rounds >= 1, "rounds", "rounds must be at least 1, got \(rounds)")
        try require(learningRate > 0 && learningRate.isFinite, "rate", "the learning rate must be a finite number > 0, got \(learningRate)")
        try require(maxLeaves.map { $0 >= 2 } ?? true, "max_leaves", "max_leaves must be at least 2, got \(maxLeaves ?? 0)")
        try require(maxDepth.map { $0 >= 1 } ?? true, "max_depth", "max_depth must be at least 1, got \(maxDepth ?? 0)")
        try require(minLeaf >= 1, "min_leaf", "min_leaf must be at least 1, got \(minLeaf)")
        try require(l2 >= 0 && l2.isFinite, "l2", "l2 must be a finite number ≥ 0, got \(l2)")
        try require((2 ... 255).contains(maxBins), "bins", "bins must be from 2 to 255, got \(maxBins)")
        try require(validationFraction > 0 && validationFraction < 1, "validation",
                    "the validation fraction must be between 0 and 1, got \(validationFraction)")
        try require(patience >= 1, "patience", "patience must be at least 1, got \(patience)")
        try require(tolerance >= 0 && tolerance.isFinite, "tolerance", "the tolerance must be a finite number ≥ 0, got \(tolerance)")
    }
}

/// What a boosted ensemble learns to predict.
public enum BoostingTarget: Sendable {
    /// Regression on numbers (squared error).
    case values([Double])
    /// Classification: class indices in 0 ..< count (log-loss; binary for 2 classes).
    case classes([Int], count: Int)
}

/// Histogram gradient boosting as scikit-learn's HistGradientBoostingRegressor/Classifier (and
/// LightGBM): features binned once to at most 255 bins plus one for missing values, then each
/// round a tree per class grown best-first on the gradients and hessians of the loss, missing
/// values sent the way that gains most, levels split natively. The learned state holds finite
/// numbers only, so a model file can store it; `validate` refuses one predict could trip on.
public struct GradientBoostedTrees: Codable, Sendable, Equatable {
    public let loss: BoostingLoss
    /// The number of classes; 0 for regression.
    public let classCount: Int
    /// The raw score before any tree, one per tree of a round.
    public let baseline: [Double]
    public let bins: [FeatureBins]
    /// Round after round, `treesPerRound` trees each (class k's tree k-th).
    public let trees: [BoostedTree]
    /// Per feature, the total gain of its splits over all trees (LightGBM's gain importance:
    /// G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ) for each split).
    public let featureImportances: [Double]
    /// The mean loss on the training rows before the first round and after each.
    public let trainingLoss: [Double]
    /// The same on the validation rows held out for early stopping; empty without early stopping.
    public let validationLoss: [Double]
    /// Whether boosting stopped before `rounds` for lack of improvement.
    public let stoppedEarly: Bool

    public var treesPerRound: Int { loss.treesPerRound(classCount: classCount) }
    /// The rounds boosted (scikit-learn's `n_iter_`).
    public var rounds: Int { trees.count / treesPerRound }

    // MARK: - Fitting

    /// Fits an ensemble. `features` are the columns (NaN or level −1 for a missing value), all of
    /// the target's length. Threads only share out work: the model is the same for any count.
    /// `progress(done, total)` is called after each round. O(rounds · trees per round · n · features).
    public static func fit(features: [FeatureColumn], target: BoostingTarget, parameters: GradientBoostingParameters = .init(),
                           threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                           progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> GradientBoostedTrees {
        try parameters.validate()
        let (loss, targets, classCount) = try lossAndTargets(target)
        let n = targets.count
        try requireRows(n, "training rows")
        guard !features.isEmpty else { throw ModelshError.data("boosting needs at least one feature") }
        try checkColumns(features, rows: n, training: true)
        var random = Xoshiro256StarStar(seed: parameters.seed)
        let stopsEarly = parameters.earlyStopping == .on || (parameters.earlyStopping == .auto && n > 10_000)
        let (trainingRows, validationRows) = stopsEarly
            ? try heldOutRows(targets, classCount: classCount, fraction: parameters.validationFraction, random: &random)
            : (Array(0 ..< n), [])
        let bins = try learnBins(features, rows: trainingRows, maxBins: parameters.maxBins, random: &random, threads: threads)
        let training = BinnedRows(features, bins: bins, rows: stopsEarly ? trainingRows : nil, rowCount: trainingRows.count, threads: threads)
        let validation = BinnedRows(features, bins: bins, rows: validationRows, rowCount: validationRows.count, threads: threads)
        var boosting = BoostingRounds(loss: loss, classCount: classCount, parameters: parameters, threads: threads,
                                training: training, trainingTargets: stopsEarly ? trainingRows.map { targets[$0] } : targets,
                                validation: validation, validationTargets: validationRows.map { targets[$0] })
        try boosting.run(grower: grower(training, bins: bins, loss: loss, parameters: parameters, threads: threads), progress: progress)
        return GradientBoostedTrees(loss: loss, classCount: classCount, baseline: boosting.baseline, bins: bins, trees: boosting.trees,
                                    featureImportances: boosting.importances, trainingLoss: boosting.trainingLoss,
                                    validationLoss: boosting.validationLoss, stoppedEarly: boosting.stoppedEarly)
    }

    /// This ensemble and `rounds` more rounds grown on new rows from its scores for them (the
    /// rows' residuals under the loss): the bins and baseline stay, there is no early stopping,
    /// and `trainingLoss` becomes the new rows' loss before and after each added round.
    /// `parameters` give the trees' shape and learning rate (the fit's own, normally).
    public func continued(features: [FeatureColumn], target: BoostingTarget, rounds: Int, parameters: GradientBoostingParameters,
                          threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> GradientBoostedTrees {
        var parameters = parameters
        parameters.rounds = rounds
        parameters.earlyStopping = .off
        try parameters.validate()
        let (loss, targets, classCount) = try Self.lossAndTargets(target)
        guard loss == self.loss, classCount == self.classCount else {
            throw ModelshError.data("the new rows' target does not match the ensemble's (\(self.classCount) classes, got \(classCount))")
        }
        let scores = try rawScores(features, threads: threads)  // checks the columns against the bins
        try Self.checkColumns(features, rows: targets.count, training: true)
        let training = BinnedRows(features, bins: bins, rows: nil, rowCount: targets.count, threads: threads)
        let none = BinnedRows(features, bins: bins, rows: [], rowCount: 0, threads: threads)
        var boosting = BoostingRounds(loss: loss, classCount: classCount, parameters: parameters, threads: threads, training: training,
                                      trainingTargets: targets, validation: none, validationTargets: [], start: (baseline, scores.values))
        try boosting.run(grower: Self.grower(training, bins: bins, loss: loss, parameters: parameters, threads: threads), progress: nil)
        return GradientBoostedTrees(loss: loss, classCount: classCount, baseline: baseline, bins: bins, trees: trees + boosting.trees,
                                    featureImportances: zip(featureImportances, boosting.importances).map { $0 + $1 },
                                    trainingLoss: boosting.trainingLoss, validationLoss: [], stoppedEarly: false)
    }

    /// The tree grower for binned training rows.
    private static func grower(_ training: BinnedRows, bins: [FeatureBins], loss: BoostingLoss, parameters: GradientBoostingParameters,
                               threads: Int) -> TreeGrower {
        let hasMissing = (0 ..< bins.count).map { f in
            training.codes[f * training.rows ..< (f + 1) * training.rows].contains(UInt8(FeatureBins.missingBin))
        }
        let search = SplitSearch(rules: SplitRules(minLeaf: parameters.minLeaf, l2: parameters.l2, constantHessian: loss.hasConstantHessian),
                                 valueBinCounts: bins.map(\.valueBinCount), hasMissing: hasMissing, isCategorical: bins.map(\.isCategorical))
        return TreeGrower(data: training, search: search, maxLeaves: parameters.maxLeaves, maxDepth: parameters.maxDepth, threads: threads)
    }

    private static func lossAndTargets(_ target: BoostingTarget) throws -> (BoostingLoss, [Double], Int) {
        switch target {
        case .values(let values):
            try requireFinite(values, "the target")
            return (.squaredError, values, 0)
        case .classes(let classes, let count):
            guard count >= 2 else { throw ModelshError.data("classification needs at least 2 classes, got \(count)") }
            try requireClasses(classes, classCount: count, "the classes")
            return (count == 2 ? .binaryLogLoss : .multinomialLogLoss, classes.map(Double.init), count)
        }
    }

    /// Refuses columns of the wrong length, levels out of range, and (in training, where they
    /// would make bin edges infinite) infinite numbers.
    private static func checkColumns(_ features: [FeatureColumn], rows n: Int, training: Bool) throws {
        for (f, column) in features.enumerated() {
            switch column {
            case .numbers(let values):
                try requireSameCount(values.count, n, "values of feature \(f + 1)", "rows")
                if training, let i = values.firstIndex(where: \.isInfinite) {
                    throw ModelshError.data("feature \(f + 1) has an infinite value (\(values[i])) at row \(i + 1)")
                }
            case .levels(let levels, let count):
                try requireSameCount(levels.count, n, "levels of feature \(f + 1)", "rows")
                if let i = levels.firstIndex(where: { $0 < -1 || $0 >= count }) {
                    throw ModelshError.data("feature \(f + 1) has level \(levels[i]) at row \(i + 1), outside 0..<\(count)")
                }
            }
        }
    }

    /// Splits the rows into training and validation rows (each increasing), the validation rows
    /// ⌈fraction · n⌉ of them chosen at random; for classes, stratified: each class gives its
    /// share, the rows left over by rounding going to the classes with the largest remainders.
    private static func heldOutRows(_ targets: [Double], classCount: Int, fraction: Double,
                                    random: inout Xoshiro256StarStar) throws -> ([Int], [Int]) {
        let n = targets.count
        let heldOut = Int((fraction * Double(n)).rounded(.up))
        guard heldOut < n else { throw ModelshError.data("too few rows (\(n)) to hold out a validation share for early stopping") }
        var groups = classCount == 0 ? [Array(0 ..< n)] : [[Int]](repeating: [], count: classCount)
        if classCount > 0 { for i in 0 ..< n { groups[Int(targets[i])].append(i) } }
        let exact = groups.map { Double($0.count) * Double(heldOut) / Double(n) }
        var takes = exact.map { Int($0.rounded(.down)) }
        let byRemainder = groups.indices.sorted { a, b in
            let (remainderA, remainderB) = (exact[a] - Double(takes[a]), exact[b] - Double(takes[b]))
            return remainderA > remainderB || (remainderA == remainderB && a < b)
        }
        for g in byRemainder.prefix(heldOut - takes.reduce(0, +)) { takes[g] += 1 }
        var validation: [Int] = []
        for g in groups.indices {
            random.shuffle(&groups[g])
            validation += groups[g].prefix(takes[g])
        }
        var isValidation = [Bool](repeating: false, count: n)
        for i in validation { isValidation[i] = true }
        return ((0 ..< n).filter { !isValidation[$0] }, (0 ..< n).filter { isValidation[$0] })
    }

    /// Bins of every feature from the training rows; numbers from a random sample of 200,000 of
    /// them (with replacement, as scikit-learn) when there are more.
    private static func learnBins(_ features: [FeatureColumn], rows: [Int], maxBins: Int, random: inout Xoshiro256StarStar,
                                  threads: Int) throws -> [FeatureBins] {
        let sample = rows.count <= FeatureBins.quantileSampleSize ? rows
            : (0 ..< FeatureBins.quantileSampleSize).map { _ in rows[Int(random.bounded(UInt64(rows.count)))] }
        var bins = [FeatureBins](repeating: .numeric(thresholds: []), count: features.count)
        bins.withUnsafeMutableBufferPointer { bins in
            nonisolated(unsafe) let bins = bins.baseAddress!
            ConcurrentWork.run(features.count, threads: threads) { f in
                if case .levels = features[f] {
                    bins[f] = FeatureBins.learn(features[f], rows: rows, maxBins: maxBins)
                } else {
                    bins[f] = FeatureBins.learn(features[f], rows: sample, maxBins: maxBins)
                }
            }
        }
        for (f, featureBins) in bins.enumerated() where featureBins.valueBinCount > maxBins {
            throw ModelshError.data("feature \(f + 1) has \(featureBins.valueBinCount) levels; boosting splits at most \(maxBins)")
        }
        try Interruption.check()
        return bins
    }

    // MARK: - Predicting

    /// Raw scores (rows × trees per round): the baseline plus every tree's leaf value.
    public func rawScores(_ features: [FeatureColumn], threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> Matrix {
        guard features.count == bins.count else {
            throw ModelshError.data("the model has \(bins.count) features, got \(features.count)")
        }
        let n: Int
        switch features.first {
        case .numbers(let values): n = values.count
        case .levels(let levels, _): n = levels.count
        case nil: n = 0
        }
        try requireRows(n, "rows to predict")
        try Self.checkColumns(features, rows: n, training: false)
        for (f, column) in features.enumerated() {
            if case .levels = column, !bins[f].isCategorical { throw ModelshError.data("feature \(f + 1) was numeric in training, got levels") }
            if case .numbers = column, bins[f].isCategorical { throw ModelshError.data("feature \(f + 1) had levels in training, got numbers") }
        }
        let data = BinnedRows(features, bins: bins, rows: nil, rowCount: n, threads: threads)
        var scores = Matrix(rows: n, columns: treesPerRound)
        for k in 0 ..< treesPerRound {
            for i in 0 ..< n { scores.values[k * n + i] = baseline[k] }
        }
        let compiled = trees.map(CompiledTree.init)
        let blocks = RowBlocks(rows: n), perRound = treesPerRound
        scores.values.withUnsafeMutableBufferPointer { scores in
            nonisolated(unsafe) let scores = scores.baseAddress!
            ConcurrentWork.run(blocks.count, threads: threads) { block in
                for (t, tree) in compiled.enumerated() { tree.add(data, rows: blocks.range(block), to: scores + (t % perRound) * n) }
            }
        }
        return scores
    }

    /// Predicted values of a regression ensemble.
    public func predict(_ features: [FeatureColumn], threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> [Double] {
        guard loss == .squaredError else { throw ModelshError(.software, "values asked of a classification ensemble") }
        return try rawScores(features, threads: threads).values
    }

    /// Class probabilities (rows × classes) of a classification ensemble.
    public func probabilities(_ features: [FeatureColumn], threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> Matrix {
        guard loss != .squaredError else { throw ModelshError(.software, "probabilities asked of a regression ensemble") }
        return loss.probabilities(raw: try rawScores(features, threads: threads))
    }

    // MARK: - Checking a stored state

    /// Refuses a state that does not fit the features (nil level count: numeric) and classes
    /// (0 for regression) it is used with, or that predict could not walk safely.
    public func validate(featureCount: Int, levelCounts: [Int?], classCount: Int) throws {
        guard bins.count == featureCount, levelCounts.count == featureCount, featureImportances.count == featureCount else {
            throw ModelshError.data("the boosted model has \(bins.count) features, expected \(featureCount)")
        }
        let expectedLoss: BoostingLoss = classCount <= 1 ? .squaredError : classCount == 2 ? .binaryLogLoss : .multinomialLogLoss
        guard loss == expectedLoss, self.classCount == (classCount <= 1 ? 0 : classCount) else {
            throw ModelshError.data("the boosted model's loss \(loss.rawValue) does not fit \(classCount) classes")
        }
        guard baseline.count == treesPerRound, baseline.allSatisfy(\.isFinite),
              !trees.isEmpty, trees.count % treesPerRound == 0 else {
            throw ModelshError.data("the boosted model has \(trees.count) trees for \(treesPerRound) per round")
        }
        for (f, featureBins) in bins.enumerated() {
            switch (featureBins, levelCounts[f]) {
            case (.numeric(let thresholds), nil):
                guard thresholds.count < 255, thresholds.allSatisfy(\.isFinite), zip(thresholds, thresholds.dropFirst()).allSatisfy({ $0 < $1 }) else {
                    throw ModelshError.data("the boosted model's bins of feature \(f + 1) are not increasing finite thresholds")
                }
            case (.categorical(let levels), let count?):
                guard levels.count <= 255, levels.allSatisfy({ $0 >= 0 && $0 < count }), zip(levels, levels.dropFirst()).allSatisfy({ $0 < $1 }) else {
                    throw ModelshError.data("the boosted model's levels of feature \(f + 1) are out of range")
                }
            default:
                throw ModelshError.data("the boosted model's feature \(f + 1) is of the other kind (numeric or levels)")
            }
        }
        for (t, tree) in trees.enumerated() { try tree.validate(bins: bins, name: "tree \(t + 1) of the boosted model") }
    }
}
