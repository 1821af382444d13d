import Diagnostics
import Foundation
import Numerics
import Tabular

/// Stepwise or lasso-ordered feature selection, scored by an information criterion or by
/// cross-validation.
///
/// forward and backward are R's step(): forward starts from no features (the intercept alone),
/// backward from all of them; each step tries adding (removing) every feature in turn and takes
/// the change that lowers the criterion most, stopping when none lowers it (by more than 1e-7,
/// as step). lasso orders the features by where they enter the lasso path (standardised
/// features, scikit-learn's alphas) and scores each nested set the path makes. A categorical
/// feature is one term, as in R's formula; with interactions (a*b) the candidates are the
/// terms, and forward and backward keep R's marginality (an interaction enters after its
/// features and leaves before them, as step()'s add1 and drop1).
///
/// aic and bic are R's extractAIC, so the numbers equal step()'s: for linear n·log(RSS/n) + k·edf,
/// for logistic deviance + k·edf, edf the coefficients estimated (not aliased), k 2 or log n.
/// cv is the cross-validated mean of metric= (rmse or accuracy by default; a metric where higher
/// is better is negated for the minimisation but printed as is). Rows missing the target or any
/// candidate feature are left out first, so every candidate sees the same rows (step() insists too).
public struct FeatureSelection: Sendable {
    public enum Method: String, Sendable, CaseIterable { case forward, backward, lasso }
    public enum Criterion: String, Sendable, CaseIterable { case aic, bic, cv }

    public struct Step: Sendable, Equatable {
        /// "+ BMI", "- AGE", or "start".
        public let change: String
        public let features: [String]
        /// The criterion as printed (a cv metric in its own direction).
        public let value: Double
        /// lasso: the alpha at which the set first appears.
        public let alpha: Double?
    }

    public let steps: [Step]
    public let chosen: [String]
    /// The criterion's name as printed ("AIC", "BIC", "cv rmse").
    public let label: String
    /// The rows every candidate saw.
    public let rows: Int
    /// For a linear kind by AIC or BIC: how much summary's AIC or BIC (R's `AIC()`, `BIC()`)
    /// exceeds the extractAIC printed here, as step() prints it: n·(log 2π + 1) + k, the
    /// Gaussian likelihood's constant and the variance's parameter, less Σ log w with case
    /// weights. Nil otherwise (logistic's extractAIC is its AIC).
    public let summaryOffset: Double?

    public init(kind: ModelKind, data: Dataset, datasetName: String, target: String, features: [String]?, options: [String: String],
                method: Method, criterion: Criterion, folds: Int, seed: UInt64, metric: String?) throws {
        // The case weights (weight=) and the offset (offset=) are no candidates, and a row
        // without them is left out too.
        let weight = options["weight"]
        let roles = ColumnRole.allCases.compactMap { options[$0.rawValue] }
        // With interactions the candidates are the terms, and a step keeps R's marginality.
        let listed = try features.map { items in try ModelTerms.parse(items) { data.column(named: $0) != nil } }
        let candidates = try listed?.labels ?? data.columns.map(\.name).filter { name in
            try name != target && !roles.contains(name) && data.requireColumn(name).type != .text
        }
        let needed = try ([target] + (listed?.variables ?? candidates) + roles).map { try data.requireColumn($0, datasetName: datasetName) }
        let complete = (0 ..< data.rowCount).filter { row in needed.allSatisfy { !$0.isMissing(row) } }
        let used = data.selecting(rows: complete)
        rows = complete.count
        let task = try TrainingFrame.task(for: needed[0], kind: kind.name, tasks: kind.tasks, requested: options["task"].flatMap(ModelTask.init))
        let chosenMetric = metric ?? (task == .regression ? "rmse" : "accuracy")
        let sign = MetricDirection.higherIsBetter(chosenMetric) ? -1.0 : 1.0
        switch criterion {
        case .aic: label = "AIC"
        case .bic: label = "BIC"
        case .cv: label = "cv \(chosenMetric)"
        }
        let n = Double(rows)
        // With case weights AIC() also has −Σ log w (logLik.lm), which extractAIC leaves out.
        let logWeightSum = try weight.map { name in try used.requireColumn(name).numbers!.reduce(0) { $0 + ($1 > 0 ? log($1) : 0) } } ?? 0
        summaryOffset = criterion == .cv || kind.name != LinearRegression.name ? nil
            : n * (log(2 * Double.pi) + 1) + (criterion == .aic ? 2 : log(n)) - logWeightSum
        let validation = criterion == .cv
            ? try CrossValidation(kind: kind, data: used, datasetName: datasetName, target: target, features: nil,
                                  options: options.filter { $0.key == "task" || $0.key == "offset" }, folds: folds, seed: seed, stratified: nil, rowsInSource: complete)
            : nil
        // The criterion to minimise for a feature set, and the value printed.
        func score(_ set: [String]) throws -> (minimised: Double, shown: Double) {
            if let validation {
                let restricted = CrossValidation(validation, features: set)
                let values = try restricted.run(options: options).map { metrics in
                    guard let value = metrics.first(where: { $0.name == chosenMetric })?.value else {
                        throw ModelshError.usage("unknown metric '\(chosenMetric)' for \(task.rawValue)", argument: "metric")
                    }
                    return value
                }
                let mean = MetricSummary(values).mean
                return (sign * mean, mean)
            }
            let model = try kind.fit(FitRequest(data: used, datasetName: datasetName, target: target, features: set, options: options))
            let value = try Self.extractAIC(model, k: criterion == .aic ? 2 : log(Double(model.training.rowsUsed)))
            return (value, value)
        }
        if criterion != .cv, ![LinearRegression.name, LogisticModel.name, PoissonModel.name].contains(kind.name) {
            throw Self.noExtractAIC(kind.name)
        }
        var steps: [Step] = []
        switch method {
        case .forward, .backward:
            var current = method == .forward ? [] : candidates
            // Kinds that need a feature (trees) cannot score the empty start; any set beats it.
            var best = current.isEmpty && criterion == .cv ? ((try? score(current)) ?? (.infinity, .nan)) : try score(current)
            steps.append(Step(change: "start", features: current, value: best.shown, alpha: nil))
            while true {
                let moves = (method == .forward ? candidates.filter { !current.contains($0) } : current).filter { move in
                    guard let listed, !listed.isPlain else { return true }
                    let term = { (label: String) in listed.terms[candidates.firstIndex(of: label)!] }
                    let currentTerms = current.map(term)
                    return method == .forward ? listed.canAdd(term(move), to: currentTerms) : ModelTerms.canDrop(term(move), from: currentTerms)
                }
                var bestMove: (feature: String, set: [String], score: (minimised: Double, shown: Double))?
                for feature in moves {
                    let set = method == .forward ? candidates.filter { current.contains($0) || $0 == feature } : current.filter { $0 != feature }
                    let candidate = try score(set)
                    if bestMove == nil || candidate.minimised < bestMove!.score.minimised { bestMove = (feature, set, candidate) }
                    try Interruption.check()
                }
                guard let move = bestMove, move.score.minimised < best.minimised - 1e-7 else { break }
                current = move.set
                best = move.score
                steps.append(Step(change: "\(method == .forward ? "+" : "-") \(move.feature)", features: current, value: best.shown, alpha: nil))
            }
            chosen = current
        case .lasso:
            guard task == .regression else { throw ModelshError.usage("method=lasso selects for regression; use forward or backward", argument: "method") }
            guard weight == nil else { throw ModelshError.usage("method=lasso orders features by an unweighted lasso path; with weight= use forward or backward", argument: "method") }
            guard listed?.isPlain != false else {
                throw ModelshError.usage("method=lasso orders columns by where they enter the lasso path, which can take an interaction before its features; with interaction or power terms use forward or backward (which keep R's marginality)", argument: "method")
            }
            let lasso = try ModelCatalogue.requireKind(named: LassoRegression.name)
            let path = try RegularisationPath(kind: lasso, request: FitRequest(data: used, datasetName: datasetName, target: target,
                                                                               features: candidates, options: ["scale": "standard"]),
                                              alphas: nil, count: 50)
            let termsOf = try Self.termFeatures(lasso, used, datasetName, target, candidates)
            var previous: [String] = []
            var best: (minimised: Double, set: [String])?
            for step in path.steps {
                let active = Set(zip(termsOf, step.coefficients).filter { $0.1 != 0 }.map(\.0))
                let set = candidates.filter(active.contains)
                guard set != previous else { continue }
                let entered = set.filter { !previous.contains($0) }, left = previous.filter { !set.contains($0) }
                let change = (entered.map { "+ \($0)" } + left.map { "- \($0)" }).joined(separator: ", ")
                let value = try score(set)
                steps.append(Step(change: change, features: set, value: value.shown, alpha: step.alpha))
                if best == nil || value.minimised < best!.minimised - 1e-7 { best = (value.minimised, set) }
                previous = set
            }
            chosen = best?.set ?? []
        }
        self.steps = steps
    }

    /// R's extractAIC: linear n·log(RSS/n) + k·edf; a glm's (binary unpenalised logistic,
    /// Poisson) AIC + (k − 2)·edf, its AIC being the family's (the deviance + 2·edf for 0/1
    /// responses with whole weights).
    static func extractAIC(_ model: Model, k: Double) throws -> Double {
        switch model.state {
        case let linear as LinearRegression.Learned:
            let n = Double(linear.observations)
            return n * log(linear.residualSumOfSquares / n) + k * Double(linear.rank)
        case let logistic as LogisticState where logistic.coefficients.count == 1:
            let edf = Double(logistic.aliased.filter { !$0 }.count)
            return (logistic.aic ?? logistic.deviance + 2 * edf) + (k - 2) * edf
        case let poisson as PoissonState:
            if let negativeBinomial = poisson.negativeBinomial {
                // MASS's extractAIC.negbin: −2 log L + k · rank (θ not counted).
                return -negativeBinomial.twiceLogLikelihood + k * Double(poisson.aliased.filter { !$0 }.count)
            }
            guard poisson.dispersion == nil else {
                throw ModelshError.usage("a quasipoisson fit has no likelihood, so no AIC (R's NA, and step() refuses it); use criterion=cv", argument: "criterion")
            }
            guard let aic = poisson.aic else {
                throw ModelshError.usage("the AIC is R's Inf for counts that are not whole; use criterion=cv", argument: "criterion")
            }
            return aic + (k - 2) * Double(poisson.aliased.filter { !$0 }.count)
        default:
            throw noExtractAIC(model.kind)
        }
    }

    private static func noExtractAIC(_ kind: String) -> ModelshError {
        ModelshError.usage("criterion aic and bic are R's extractAIC, for linear, binary logistic and Poisson models; use criterion=cv for '\(kind)'",
                           argument: "criterion")
    }

    /// Which feature each of the lasso's design terms comes from (a categorical feature gives several).
    private static func termFeatures(_ kind: ModelKind, _ data: Dataset, _ name: String, _ target: String, _ features: [String]) throws -> [String] {
        let prepared = try kind.prepare(FitRequest(data: data, datasetName: name, target: target, features: features, options: ["scale": "standard"]))
        return prepared.preprocessing.termLabels(prepared.frame.schema)
    }
}

extension CrossValidation {
    /// The same folds and rows with other features.
    init(_ other: CrossValidation, features: [String]) {
        self = other
        self.features = features
    }
}
