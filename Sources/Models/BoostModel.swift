import Diagnostics
import Numerics
import Tabular

/// Histogram gradient boosting (scikit-learn's HistGradientBoosting*): features binned once to
/// at most 255 bins, trees grown best-first on gradients, missing values and categories handled
/// natively, early stopping on a seeded validation share.
public enum BoostModel: Learner {
    public static let name = "boost"
    public static let summary = "histogram gradient boosting (rounds=, rate=, early stopping), squared error or log-loss"
    public static let tasks: [ModelTask] = [.regression, .classification]
    public static let preprocessing: [CommonOption] = [.impute, .task]
    public static let options = [
        ModelOptionSpec(name: "rounds", help: "boosting rounds at most (default 100)"),
        ModelOptionSpec(name: "rate", help: "learning rate (default 0.1)"),
        ModelOptionSpec(name: "max_leaves", help: "leaves per tree at most (default 31)"),
        ModelOptionSpec(name: "max_depth", help: "depth per tree at most (default: no limit)"),
        ModelOptionSpec(name: "min_leaf", help: "rows per leaf at least (default 20)"),
        ModelOptionSpec(name: "l2", help: "L2 penalty on leaf values (default 0)"),
        ModelOptionSpec(name: "early_stopping", help: "auto (default: on above 10,000 rows), on or off", values: EarlyStopping.allCases.map(\.rawValue)),
        ModelOptionSpec(name: "validation", help: "share of rows held out for early stopping (default 0.1)"),
        ModelOptionSpec(name: "patience", help: "rounds without improvement before stopping (default 10)"),
        ModelOptionSpec(name: "seed", help: "seed for the validation split and the binning sample (default 42)"),
    ]
    public static let handlesMissingValues = true
    public static let usesDesign = false

    public typealias Parameters = GradientBoostingParameters

    public static func parameters(_ options: [String: String]) throws -> GradientBoostingParameters {
        let values = OptionValues(options)
        var parameters = GradientBoostingParameters()
        parameters.rounds = try values.integer("rounds", default: 100, in: 1 ... 100_000, "a whole number from 1 to 100000")
        parameters.learningRate = try values.number("rate", default: 0.1, in: Double.leastNonzeroMagnitude ... 1e6, "a number > 0")
        parameters.maxLeaves = try values.integer("max_leaves", default: 31, in: 2 ... 1_000_000, "a whole number ≥ 2")
        if options["max_depth"] != nil { parameters.maxDepth = try values.integer("max_depth", default: 0, in: 1 ... 1000, "a whole number ≥ 1") }
        parameters.minLeaf = try values.integer("min_leaf", default: 20, in: 1 ... Int(Int32.max), "a whole number ≥ 1")
        parameters.l2 = try values.number("l2", default: 0, in: 0 ... 1e300, "a number ≥ 0")
        parameters.earlyStopping = values.choice("early_stopping", default: EarlyStopping.auto)
        parameters.validationFraction = try values.number("validation", default: 0.1, in: 0.001 ... 0.999, "a fraction between 0 and 1")
        parameters.patience = try values.integer("patience", default: 10, in: 1 ... 10_000, "a whole number ≥ 1")
        parameters.seed = UInt64(try values.integer("seed", default: 42, in: 0 ... Int.max, "a whole number ≥ 0"))
        return parameters
    }

    public static func encoding(_ parameters: GradientBoostingParameters) -> CategoricalEncoding { .native }

    public static func fit(_ problem: TrainingProblem, _ parameters: GradientBoostingParameters) throws -> BoostState {
        let target: BoostingTarget = problem.task == .classification ? .classes(problem.classIndices, count: problem.classes.count) : .values(problem.target)
        return BoostState(model: try GradientBoostedTrees.fit(features: problem.features, target: target, parameters: parameters,
                                                                 progress: problem.progress))
    }
}

extension GradientBoostingParameters: ModelParameters {}

public struct BoostState: LearnedState {
    public let model: GradientBoostedTrees

    public func predict(_ inputs: ModelInputs) throws -> RawPrediction {
        model.classCount > 0 ? .probabilities(try model.probabilities(inputs.features)) : .values(try model.predict(inputs.features))
    }

    /// Each feature's share of the total split gain (LightGBM's gain importance, normalised).
    var gainShares: [Double] {
        let total = model.featureImportances.reduce(0, +)
        return model.featureImportances.map { total > 0 ? $0 / total : 0 }
    }

    public var featureImportances: (measure: String, values: [Double])? { ("gain", gainShares) }

    public func summary(of model: Model, options: SummaryOptions) -> Report {
        var report = Report()
        let boosted = self.model
        let stopped = boosted.stoppedEarly ? ", stopped early (no validation gain for the last rounds)" : ""
        report.add("Boosting: \(boosted.rounds) rounds of \(boosted.treesPerRound) tree\(boosted.treesPerRound == 1 ? "" : "s")\(stopped)")
        if let last = boosted.trainingLoss.last {
            // The loss arrays start with the loss before the first round (index 0).
            var line = "Training loss: \(NumberFormat.significant(last))"
            if let validation = boosted.validationLoss.last { line += ", validation loss: \(NumberFormat.significant(validation)) (best after round \(boosted.validationLoss.indices.min { boosted.validationLoss[$0] < boosted.validationLoss[$1] } ?? 0))" }
            report.add(line)
        }
        if let table = model.importanceTable() {
            report.add("Importances (share of the loss reduction):")
            report.add(table)
        }
        return report
    }

    public func check(in model: Model) throws {
        try engineCheck {
            try self.model.validate(featureCount: model.schema.features.count, levelCounts: model.schema.features.map { $0.levels?.count },
                                    classCount: model.task == .classification ? model.schema.classes.count : 0)
        }
    }
}
