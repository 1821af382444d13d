import Diagnostics
import Foundation
import Numerics
import Tabular

/// Naive Bayes over mixed features: Gaussian likelihoods for numeric features and smoothed
/// level frequencies for categorical ones, used natively (no indicators), as scikit-learn's
/// GaussianNB and CategoricalNB combined.
public enum NaiveBayesModel: Learner {
    public static let name = "naivebayes"
    public static let summary = "naive Bayes: Gaussian for numeric features, smoothed frequencies for categorical ones"
    public static let tasks: [ModelTask] = [.classification]
    public static let preprocessing: [CommonOption] = [.impute]
    public static let options = [
        ModelOptionSpec(name: "var_smoothing", help: "share of the largest feature variance added to every variance (default 1e-9, as GaussianNB)"),
        ModelOptionSpec(name: "alpha", help: "additive smoothing of categorical level counts (default 1, Laplace)"),
    ]

    public struct Parameters: ModelParameters {
        public let varianceSmoothing: Double
        public let alpha: Double
    }

    public static func parameters(_ options: [String: String]) throws -> Parameters {
        let values = OptionValues(options)
        return Parameters(varianceSmoothing: try values.number("var_smoothing", default: NaiveBayes.defaultVarianceSmoothing, in: 0 ... 1e300, "a number ≥ 0"),
                          alpha: try values.number("alpha", default: NaiveBayes.defaultAlpha, in: Double.leastNonzeroMagnitude ... 1e300, "a number > 0"))
    }

    public static func encoding(_ parameters: Parameters) -> CategoricalEncoding { .native }

    public static func fit(_ problem: TrainingProblem, _ parameters: Parameters) throws -> NaiveBayesState {
        let model = try NaiveBayes.fit(numeric: problem.design, categorical: NaiveBayesState.categorical(problem.features),
                                       classes: problem.classIndices, classCount: problem.classes.count,
                                       varianceSmoothing: parameters.varianceSmoothing, alpha: parameters.alpha,
                                       names: (problem.terms, problem.classes))
        return NaiveBayesState(model: model)
    }
}

public struct NaiveBayesState: LearnedState {
    public let model: NaiveBayes

    /// The categorical features' level indices; an unusable row's -1 becomes 0 (its output is
    /// discarded anyway) so the engine sees only valid levels.
    static func categorical(_ features: [PreparedFeature]) -> CategoricalFeatures {
        var codes: [[Int]] = [], counts: [Int] = []
        for case .levels(let levels, let count) in features {
            codes.append(levels.map { max($0, 0) })
            counts.append(count)
        }
        return CategoricalFeatures(codes: codes, levelCounts: counts)
    }

    public func predict(_ inputs: ModelInputs) throws -> RawPrediction {
        .probabilities(try model.probabilities(numeric: inputs.design, categorical: Self.categorical(inputs.features)))
    }

    public func summary(of model: Model, options: SummaryOptions) -> Report {
        var report = Report()
        let classes = model.schema.classes.map(TerminalText.escaped)
        var priors = TextTable(headers: ["class", "prior"], alignments: [.left, .right])
        for (label, logPrior) in zip(classes, self.model.logPriors) { priors.append([label, NumberFormat.significant(Foundation.exp(logPrior))]) }
        report.add("Class priors (training frequencies):")
        report.add(priors)
        if !model.terms.isEmpty {
            var gaussians = TextTable(headers: ["feature"] + classes.map { "\($0) mean (sd)" }, alignments: [.left] + classes.map { _ in .right })
            for (j, term) in model.terms.enumerated() {
                gaussians.append([term] + classes.indices.map { k in
                    "\(NumberFormat.significant(self.model.means[k][j], digits: 4)) (\(NumberFormat.significant(self.model.variances[k][j].squareRoot(), digits: 4)))"
                })
            }
            report.add("Numeric features, per class (Gaussian):")
            report.add(gaussians)
        }
        let categorical = model.schema.features.filter { $0.levels != nil }
        if !categorical.isEmpty {
            report.add("Categorical features (level probabilities per class, alpha-smoothed): \(categorical.map(\.name).joined(separator: ", "))")
        }
        return report
    }

    public func check(in model: Model) throws {
        try require(model.task == .classification, "naive Bayes classifies")
        let k = model.schema.classes.count, p = model.terms.count
        let levels = model.schema.features.compactMap { $0.levels?.count }
        let nb = self.model
        try require(nb.logPriors.count == k && nb.logPriors.allSatisfy { $0.isFinite && $0 <= 0 }, "the class priors do not fit the \(k) classes")
        try require(nb.means.count == k && nb.variances.count == k, "the Gaussian parameters do not fit the \(k) classes")
        for c in 0 ..< k {
            try require(nb.means[c].count == p && nb.means[c].allSatisfy(\.isFinite), "class \(c + 1)'s means do not fit the \(p) numeric features")
            try require(nb.variances[c].count == p && nb.variances[c].allSatisfy { $0.isFinite && $0 > 0 }, "class \(c + 1)'s variances are not \(p) positive numbers")
        }
        try require(nb.levelLogProbabilities.count == levels.count, "level probabilities for \(nb.levelLogProbabilities.count) of \(levels.count) categorical features")
        for (feature, count) in zip(nb.levelLogProbabilities, levels) {
            try require(feature.count == k && feature.allSatisfy { $0.count == count && $0.allSatisfy { $0.isFinite && $0 <= 0 } },
                        "a categorical feature's level probabilities do not fit its \(count) levels")
        }
    }
}
