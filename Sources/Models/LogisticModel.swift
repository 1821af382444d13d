import Diagnostics
import Foundation
import Numerics
import Tabular

/// Logistic regression: binary by IRLS exactly as R's glm(family = binomial), with its
/// summary; L2 or L1 penalties (scikit-learn's objective with C = 1/alpha); multinomial
/// (softmax) for more than two classes, unpenalised with the first class as baseline (as R's
/// nnet::multinom) or with an L2 penalty.
public enum LogisticModel: Learner {
    public static let name = "logistic"
    public static let summary = "logistic regression (R's glm binomial; multinomial for 3+ classes; penalty=l2|l1 alpha=)"
    public static let tasks: [ModelTask] = [.classification]
    public static let preprocessing: [CommonOption] = [.intercept, .impute, .scale, .poly, .weight, .offset]
    public static let options = [
        ModelOptionSpec(name: "penalty", help: "none (default, maximum likelihood), l2 or l1 (binary only)", values: Penalty.allCases.map(\.rawValue)),
        ModelOptionSpec(name: "alpha", help: "penalty strength α > 0 (default 1): minimises Σ log-loss + (α/2)‖w‖² or α‖w‖₁, i.e. scikit-learn's C = 1/α"),
    ]

    public enum Penalty: String, Codable, Sendable, CaseIterable {
        case none, l2, l1
    }

    public struct Parameters: ModelParameters {
        public let penalty: Penalty
        public let alpha: Double
    }

    public static func parameters(_ options: [String: String]) throws -> Parameters {
        let values = OptionValues(options)
        let penalty = values.choice("penalty", default: Penalty.none)
        if penalty == .none, options["alpha"] != nil {
            throw ModelshError.usage("alpha= sets a penalty's strength; give penalty=l2 or penalty=l1 too", argument: "alpha")
        }
        return Parameters(penalty: penalty, alpha: try values.number("alpha", default: 1, in: Double.leastNonzeroMagnitude ... Double.greatestFiniteMagnitude, "a number > 0"))
    }

    public static func encoding(_ parameters: Parameters) -> CategoricalEncoding {
        parameters.penalty == .none ? .treatment : .indicators
    }

    /// IRLS and the multinomial Newton solver take the intercept as a column of the design (the
    /// penalised binary solver adds its own; the column is dropped for it).
    public static func wantsOnesColumn(_ parameters: Parameters) -> Bool { parameters.penalty != .l1 }

    public static func fit(_ problem: TrainingProblem, _ parameters: Parameters) throws -> LogisticState {
        let classes = problem.classes.count
        let terms = (problem.hasIntercept ? ["(Intercept)"] : []) + problem.terms
        // The design has its column of ones when unpenalised (wantsOnesColumn).
        let n = problem.target.count
        for (option, given, call) in [("weight", problem.weights != nil, "weights ="), ("offset", problem.offset != nil, "offset()")]
            where given && (parameters.penalty != .none || classes != 2) {
            throw ModelshError.usage("\(option)= is for unpenalised binary logistic fits (R's glm with \(call)), not \(parameters.penalty == .none ? "\(classes) classes" : "penalty=\(parameters.penalty.rawValue)")",
                                     argument: option)
        }
        switch (parameters.penalty, classes) {
        case (.none, 2):
            guard problem.designColumns.count > 0 else {
                throw ModelshError.usage("a logistic model without an intercept needs at least one feature", argument: "intercept")
            }
            let fit = try LogisticRegression.fitBinary(problem.designColumns, problem.target, hasIntercept: problem.hasIntercept,
                                                       priorWeights: problem.weights, offset: problem.offset, wantsInformation: true)
            let coefficients = fit.coefficients.map { $0.isNaN ? 0 : $0 }
            // A weighted model or one with an offset is not updated (ModelUpdate), so it keeps
            // no information matrix; rows of weight 0 are no observations.
            var state = LogisticState(terms: terms, modelledClasses: [1], coefficients: [coefficients],
                                 aliased: fit.aliased, standardErrors: [fit.standardErrors.map { $0.isFinite ? $0 : 0 }],
                                 deviance: fit.deviance, nullDeviance: fit.nullDeviance, nullDegreesOfFreedom: fit.nullDegreesOfFreedom,
                                 residualDegreesOfFreedom: fit.residualDegreesOfFreedom, aic: fit.aic, iterations: fit.iterations,
                                 converged: fit.converged, fitWarnings: fit.warnings.map(\.rawValue),
                                 observations: problem.weights.map { $0.filter { $0 > 0 }.count } ?? n,
                                 information: fit.aliased.contains(true) || problem.weights != nil || problem.offset != nil ? nil
                                     : try fit.information?.values ?? updateInformation(problem.design, coefficients, alpha: 0, hasIntercept: problem.hasIntercept))
            state.covariance = fit.unscaledCovariance.values  // symmetric: row- and column-major agree
            return state
        case (.l2, 2), (.l1, 2):
            let penalty: LogisticRegression.Penalty = parameters.penalty == .l2 ? .l2(parameters.alpha) : .l1(parameters.alpha)
            // The penalised solver adds its own intercept: the design without its column of ones.
            let features = problem.designHasOnesColumn
                ? DesignColumns(rows: problem.designColumns.rows, columns: Array(problem.designColumns.columns.dropFirst())).matrix
                : problem.design
            let fit = try LogisticRegression.fitPenalizedBinary(features, problem.target, penalty: penalty, fitIntercept: problem.hasIntercept)
            let coefficients = (problem.hasIntercept ? [fit.intercept] : []) + fit.coefficients
            let l2 = parameters.penalty == .l2 ? parameters.alpha : nil
            return LogisticState(terms: terms, modelledClasses: [1], coefficients: [coefficients], aliased: coefficients.map { _ in false },
                                 standardErrors: nil, deviance: 2 * fit.logLoss, nullDeviance: nil, nullDegreesOfFreedom: nil,
                                 residualDegreesOfFreedom: nil, aic: nil, iterations: fit.iterations, converged: fit.converged,
                                 fitWarnings: fit.warnings.map(\.rawValue), observations: n,
                                 information: try l2.map { try updateInformation(problem.design, coefficients, alpha: $0, hasIntercept: problem.hasIntercept) })
        case (.l1, _):
            throw ModelshError.usage("penalty=l1 is for two classes; '\(problem.classes.count)' classes need penalty=l2 or none", argument: "penalty")
        case (.none, _), (.l2, _):
            let withOnes = problem.design
            guard withOnes.columns > 0 else {
                throw ModelshError.usage("a logistic model without an intercept needs at least one feature", argument: "intercept")
            }
            let fit = try LogisticRegression.fitMultinomial(withOnes, classes: problem.classIndices, classCount: classes, hasIntercept: problem.hasIntercept,
                                                            l2Penalty: parameters.penalty == .l2 ? parameters.alpha : nil)
            let columns = fit.modelledClasses.indices
            let coefficients = columns.map { c in (0 ..< withOnes.columns).map { fit.coefficients[$0, c] }.map { $0.isNaN ? 0 : $0 } }
            let errors = fit.standardErrors.map { se in columns.map { c in (0 ..< withOnes.columns).map { se[$0, c] }.map { $0.isFinite ? $0 : 0 } } }
            return LogisticState(terms: terms, modelledClasses: fit.modelledClasses, coefficients: coefficients, aliased: fit.aliased,
                                 standardErrors: errors, deviance: fit.deviance, nullDeviance: nil, nullDegreesOfFreedom: nil,
                                 residualDegreesOfFreedom: nil, aic: fit.aic, iterations: fit.iterations, converged: fit.converged,
                                 fitWarnings: fit.warnings.map(\.rawValue), observations: n)
        }
    }

    /// The information matrix `update` starts from (LogisticLaplaceUpdate.swift): Xᵀ W X at the
    /// fit, plus α on the slopes' diagonal for an L2 penalty. `design` has the column of ones
    /// when the model has an intercept.
    static func updateInformation(_ design: Matrix, _ coefficients: [Double], alpha: Double, hasIntercept: Bool) throws -> [Double] {
        let ridge = (0 ..< design.columns).map { hasIntercept && $0 == 0 ? 0 : alpha }
        return try LogisticRegression.information(design, coefficients: coefficients, ridge: ridge).values
    }
}

/// What a logistic fit learned: per modelled class, a coefficient per term (intercept first);
/// the other classes' linear predictor is 0 (the baseline of an unpenalised fit; for a binary
/// fit, the first class). Aliased coefficients are stored as 0 and flagged.
public struct LogisticState: LearnedState {
    /// "(Intercept)" when fitted, then the design's terms.
    public let terms: [String]
    public let modelledClasses: [Int]
    public let coefficients: [[Double]]
    public let aliased: [Bool]
    /// Same shape as the coefficients; nil for penalised fits (no standard errors there).
    public let standardErrors: [[Double]]?
    public let deviance: Double
    /// Binary unpenalised fits (R's glm): the intercept-only deviance and the degrees of freedom.
    public let nullDeviance: Double?
    public let nullDegreesOfFreedom: Int?
    public let residualDegreesOfFreedom: Int?
    public let aic: Double?
    public let iterations: Int
    public let converged: Bool
    /// R's warnings, word for word ("fitted probabilities numerically 0 or 1 occurred").
    public let fitWarnings: [String]
    public let observations: Int
    /// Binary fits without aliased terms or an L1 penalty: the information matrix at the
    /// estimates (terms × terms, column-major), which `update` takes as the old rows' summary.
    /// Nil in files written before update existed and in compressed models.
    public internal(set) var information: [Double]? = nil
    /// Binary unpenalised fits: (XᵀWX)⁻¹ over the terms not aliased, row-major (rank × rank),
    /// for intervals around predictions. Nil in files written before it and after `update`.
    public internal(set) var covariance: [Double]? = nil

    public var hasIntercept: Bool { terms.first == "(Intercept)" }

    public func predict(_ inputs: ModelInputs) throws -> RawPrediction {
        let n = inputs.rowCount
        // The check on decoding guarantees the modelled classes are 1..<K or 0..<K (K = 2: [1]).
        let classCount = modelledClasses.count == 1 ? 2 : (modelledClasses.first == 0 ? modelledClasses.count : modelledClasses.count + 1)
        var logits = [[Double]](repeating: [Double](repeating: 0, count: n), count: classCount)
        for (c, coefficients) in zip(modelledClasses, self.coefficients) {
            let slopes = zip(coefficients, aliased).map { $1 ? 0 : $0 }
            logits[c] = LinearPredictor.apply(inputs.designColumns, intercept: hasIntercept ? slopes[0] : 0, slopes: Array(slopes.dropFirst(hasIntercept ? 1 : 0)))
            // Only a binary fit takes an offset (R's glm): it adds to the modelled class's logit.
            if let offset = inputs.offset { logits[c] = zip(logits[c], offset).map { $0 + $1 } }
        }
        var probabilities = Matrix(rows: n, columns: classCount)
        for row in 0 ..< n {
            // Softmax with the largest logit subtracted, so no exponential overflows.
            let top = (0 ..< classCount).map { logits[$0][row] }.max() ?? 0
            let exps = (0 ..< classCount).map { exp(logits[$0][row] - top) }
            let total = exps.reduce(0, +)
            for c in 0 ..< classCount { probabilities.values[c * n + row] = exps[c] / total }
        }
        return .probabilities(probabilities)
    }

    /// The fit's warnings, and aliased terms (which the summary shows as NA rows instead), as a
    /// linear fit reports them.
    public var warnings: [String] {
        explainedFitWarnings + (SingularityWarning.text(terms: terms, aliased: aliased).map { [$0] } ?? [])
    }

    /// R's warnings, with what the separation one means.
    var explainedFitWarnings: [String] {
        fitWarnings.map { warning in
            warning == LogisticRegression.Warning.fittedProbabilitiesZeroOrOne.rawValue
                ? warning + ": the classes are (quasi-)separated, so the estimates and standard errors are not to be trusted"
                : warning
        }
    }

    public func summary(of model: Model, options: SummaryOptions) -> Report {
        LogisticSummary(state: self, model: model, robust: options.robust).report()
    }

    public func check(in model: Model) throws {
        let classes = model.schema.classes.count
        try require(model.task == .classification, "a logistic model classifies")
        let expected = (model.preprocessing.settings.hasIntercept ? ["(Intercept)"] : []) + model.terms
        try require(terms == expected, "the logistic terms are not those the schema makes")
        try require(aliased.count == terms.count, "\(aliased.count) aliased flags for \(terms.count) terms")
        try require(!modelledClasses.isEmpty && modelledClasses.count == coefficients.count, "\(coefficients.count) coefficient vectors for \(modelledClasses.count) classes")
        // Binary: the second class; multinomial: every class but the baseline, or every class.
        try require(modelledClasses == (classes == 2 ? [1] : Array(1 ..< classes)) || (classes > 2 && modelledClasses == Array(0 ..< classes)),
                    "the modelled classes \(modelledClasses) do not fit \(classes) classes")
        for vector in coefficients + (standardErrors ?? []) {
            try require(vector.count == terms.count && vector.allSatisfy(\.isFinite), "a coefficient vector has the wrong length or a non-finite value")
        }
        if let standardErrors { try require(standardErrors.count == coefficients.count, "standard errors do not match the coefficients") }
        if let information {
            try require(modelledClasses.count == 1 && information.count == terms.count * terms.count && information.allSatisfy(\.isFinite),
                        "the information matrix has the wrong size or a non-finite value")
        }
        try require(deviance.isFinite && deviance >= 0, "the deviance is not a finite number ≥ 0")
        if let covariance {
            let rank = aliased.filter { !$0 }.count
            try require(modelledClasses.count == 1 && covariance.count == rank * rank && covariance.allSatisfy(\.isFinite),
                        "the covariance has \(covariance.count) entries for rank \(rank), or a non-finite one")
        }
        try requireObservations(observations, of: "logistic state", in: model)
    }
}

/// The logistic summary: R's summary.glm for a binary fit (coefficients with z tests, null and
/// residual deviance, AIC, Fisher scoring iterations), a table per modelled class for a
/// multinomial fit, and the penalty, stated even when there is none.
struct LogisticSummary {
    let state: LogisticState
    let model: Model
    /// Robust standard errors to show instead of the fit's (a binary unpenalised fit's).
    var robust: RobustCovariance? = nil

    /// The standard errors shown: the fit's, or `robust`'s.
    private var standardErrors: [[Double]]? {
        robust.map { [$0.standardErrors(aliased: state.aliased)] } ?? state.standardErrors
    }

    func report() -> Report {
        var report = Report()
        let classes = model.schema.classes
        if state.modelledClasses.count == 1 {
            report.add("Modelled: P(\(model.schema.target?.name ?? "") = '\(TerminalText.escaped(classes[1]))') against '\(TerminalText.escaped(classes[0]))'")
        } else if !state.modelledClasses.contains(0) {
            report.add("Multinomial, baseline class '\(TerminalText.escaped(classes[0]))'")
        } else {
            report.add("Multinomial, one coefficient vector per class (symmetric, penalised)")
        }
        let aliasedCount = state.aliased.filter { $0 }.count
        report.add(RobustCovariance.coefficientsHeading(aliasedCount: aliasedCount, robust: robust))
        report.add(coefficientTable(classes))
        if let errors = standardErrors, errors.contains(where: { classErrors in classErrors.indices.contains { !state.aliased[$0] && classErrors[$0] == 0 } }) {
            report.add("(NaN: a standard error that could not be computed, the information matrix being singular)")
        }
        if let null = state.nullDeviance, let nullDF = state.nullDegreesOfFreedom, let df = state.residualDegreesOfFreedom {
            report.add("(Dispersion parameter for binomial family taken to be 1)")
            report.add("    Null deviance: \(NumberFormat.significant(null)) on \(nullDF) degrees of freedom")
            report.add("Residual deviance: \(NumberFormat.significant(state.deviance)) on \(df) degrees of freedom")
        } else {
            report.add("Residual deviance: \(NumberFormat.significant(state.deviance))")
        }
        if let aic = state.aic { report.add("AIC: \(NumberFormat.significant(aic))") }
        let updated = state.fitWarnings.contains(LogisticState.laplaceNote)
        let method = state.modelledClasses.count == 1 && state.standardErrors != nil && !updated ? "Fisher Scoring" : "Newton"
        report.add("Number of \(method) iterations: \(state.iterations)\(state.converged ? "" : " (did not converge)")")
        report.add("Penalty: \(penaltyText)")
        for warning in state.explainedFitWarnings { report.add("Warning: \(warning)") }
        return report
    }

    private var penaltyText: String {
        guard let parameters = model.parameters as? LogisticModel.Parameters, parameters.penalty != .none else { return "none" }
        let alpha = NumberFormat.shortest(parameters.alpha)
        switch parameters.penalty {
        case .l2: return "l2, alpha = \(alpha) (minimises Σ log-loss + (α/2)‖w‖², scikit-learn's C = \(NumberFormat.shortest(1 / parameters.alpha)))"
        case .l1: return "l1, alpha = \(alpha) (minimises Σ log-loss + α‖w‖₁, scikit-learn's C = \(NumberFormat.shortest(1 / parameters.alpha)))"
        case .none: return "none"
        }
    }

    private func coefficientTable(_ classes: [String]) -> TextTable {
        let multinomial = state.modelledClasses.count > 1
        let withErrors = standardErrors != nil
        var headers = multinomial ? ["class", ""] : [""]
        headers += withErrors ? ["Estimate", "Std. Error", "z value", "Pr(>|z|)", ""] : ["Estimate"]
        var table = TextTable(headers: headers, alignments: headers.indices.map { $0 < (multinomial ? 2 : 1) || (withErrors && $0 == headers.count - 1) ? .left : .right },
                              footer: withErrors ? "Signif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1" : nil)
        for (k, (c, coefficients)) in zip(state.modelledClasses, state.coefficients).enumerated() {
            for (j, term) in state.terms.enumerated() {
                var row = multinomial ? [TerminalText.escaped(classes[c]), term] : [term]
                if state.aliased[j] {
                    row += withErrors ? ["NA", "NA", "NA", "NA", ""] : ["NA"]
                } else if let errors = standardErrors, errors[k][j] == 0 {
                    // A stored 0 is a standard error that could not be computed (a singular
                    // information matrix): no test, rather than z = ±Inf flagged '***'.
                    row += [NumberFormat.significant(coefficients[j]), "NaN", "NaN", "NA", ""]
                } else if let errors = standardErrors {
                    let z = coefficients[j] / errors[k][j]
                    let p = Normal.twoSidedPValue(z)
                    row += [NumberFormat.significant(coefficients[j]), NumberFormat.significant(errors[k][j]),
                            NumberFormat.significant(z, digits: 4), NumberFormat.pValue(p), LinearSummary.stars(p)]
                } else {
                    row.append(coefficients[j] == 0 ? "." : NumberFormat.significant(coefficients[j]))
                }
                table.append(row)
            }
        }
        return table
    }
}
