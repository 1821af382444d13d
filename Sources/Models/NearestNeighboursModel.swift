import Diagnostics
import Numerics
import Tabular

/// k nearest neighbours (Euclidean, on the standardised design by default), for classification
/// (weighted vote shares) and regression (weighted mean), as scikit-learn's KNeighbors* with
/// algorithm="brute"; equal distances go to the earlier training row.
public enum NearestNeighboursModel: Learner {
    public static let name = "knn"
    public static let summary = "k nearest neighbours (k=, weights=uniform|distance), classification or regression"
    public static let tasks: [ModelTask] = [.regression, .classification]
    public static let preprocessing: [CommonOption] = [.impute, .scale, .poly, .task]
    public static let options = [
        ModelOptionSpec(name: "k", help: "how many neighbours (default 5)"),
        ModelOptionSpec(name: "weights", help: "uniform (default) or distance (closer neighbours count more)", values: NeighbourWeighting.allCases.map(\.rawValue)),
    ]

    public struct Parameters: ModelParameters {
        public let k: Int
        public let weighting: NeighbourWeighting
    }

    public static func parameters(_ options: [String: String]) throws -> Parameters {
        let values = OptionValues(options)
        return Parameters(k: try values.integer("k", default: 5, in: 1 ... 100_000, "a whole number from 1 to 100000"),
                          weighting: values.choice("weights", default: NeighbourWeighting.uniform))
    }

    /// Distances need every level's indicator, and features on one scale.
    public static func encoding(_ parameters: Parameters) -> CategoricalEncoding { .indicators }
    public static func defaultScale(_ parameters: Parameters) -> ScaleMethod { .standard }

    public static func fit(_ problem: TrainingProblem, _ parameters: Parameters) throws -> NearestNeighboursState {
        guard parameters.k <= problem.target.count else {
            let rows = problem.target.count
            throw ModelshError.usage("k=\(parameters.k) is more than the \(rows) training row\(rows == 1 ? "" : "s")", argument: "k")
        }
        guard problem.design.columns > 0 else { throw ModelshError.usage("knn needs at least one feature", argument: "features") }
        if problem.task == .classification {
            return NearestNeighboursState(classifier: try NearestNeighboursClassifier(training: problem.design, classes: problem.classIndices,
                                                                                       classCount: problem.classes.count, k: parameters.k,
                                                                                       weighting: parameters.weighting), regressor: nil)
        } else {
            return NearestNeighboursState(classifier: nil, regressor: try NearestNeighboursRegressor(training: problem.design, targets: problem.target,
                                                                                                     k: parameters.k, weighting: parameters.weighting))
        }
    }
}

/// The training rows themselves (the design, prepared) with their classes or targets.
public struct NearestNeighboursState: LearnedState {
    public let classifier: NearestNeighboursClassifier?
    public let regressor: NearestNeighboursRegressor?

    var neighbours: NearestNeighbours? { classifier?.neighbours ?? regressor?.neighbours }

    public func predict(_ inputs: ModelInputs) throws -> RawPrediction {
        if let classifier { return .probabilities(try classifier.probabilities(inputs.design)) }
        if let regressor { return .values(try regressor.predict(inputs.design)) }
        throw ModelshError(.software, "a knn state with neither a classifier nor a regressor")
    }

    public func summary(of model: Model, options: SummaryOptions) -> Report {
        var report = Report()
        guard let neighbours else { return report }
        report.add("k = \(neighbours.k) nearest neighbours, Euclidean distance on the \(model.preprocessing.settings.scale == .none ? "unscaled" : "\(model.preprocessing.settings.scale.rawValue)-scaled") design, \(neighbours.weighting.rawValue) weights")
        report.add("Stored: \(neighbours.trainingRows) training rows × \(neighbours.featureCount) design columns")
        if model.task == .classification {
            report.add("Classes: \(model.schema.classes.map(TerminalText.escaped).joined(separator: ", "))")
        }
        return report
    }

    public func check(in model: Model) throws {
        try require((classifier == nil) != (regressor == nil), "a knn state holds one classifier or one regressor")
        try require((classifier != nil) == (model.task == .classification), "the knn state does not match the task")
        guard let neighbours else { return }
        let rows = neighbours.trainingRows
        try require(rows == model.training.rowsUsed, "\(rows) stored rows but training used \(model.training.rowsUsed)")
        try require(neighbours.featureCount == model.terms.count, "\(neighbours.featureCount) stored columns for \(model.terms.count) design columns")
        try require(neighbours.training.count == rows * neighbours.featureCount && neighbours.training.allSatisfy(\.isFinite),
                    "the stored training matrix has the wrong size or a non-finite value")
        try require((1 ... max(rows, 1)).contains(neighbours.k), "k = \(neighbours.k) for \(rows) rows")
        if let classifier {
            try require(classifier.classCount == model.schema.classes.count, "\(classifier.classCount) classes for \(model.schema.classes.count)")
            try require(classifier.classes.count == rows && classifier.classes.allSatisfy { (0 ..< classifier.classCount).contains($0) },
                        "the stored classes do not fit the rows")
        }
        if let regressor {
            try require(regressor.targets.count == rows && regressor.targets.allSatisfy(\.isFinite), "the stored targets do not fit the rows")
        }
    }
}
