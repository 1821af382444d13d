import Diagnostics
import Foundation
import Numerics
import Tabular

/// Poisson regression, R's `glm(family = poisson)` with the log link: counts (or, with
/// weights, counts of weighted rows) modelled as e^(Xb), fitted by R's IRLS, with
/// summary.glm's z tests, deviances and AIC. Predictions are expected counts.
/// `family=quasipoisson` is R's quasi-Poisson: the same fit, with the dispersion estimated
/// from the Pearson residuals, so standard errors grow by its root, tests are t tests and
/// there is no AIC. `family=negbin` is MASS's glm.nb: the variance μ + μ²/θ with θ estimated
/// (or fixed by `theta=`), z tests and a likelihood.
public enum PoissonModel: Learner {
    public static let name = "poisson"
    public static let summary = "regression of counts, log link: R's glm family = poisson or quasipoisson, MASS's glm.nb (family=negbin): tests, deviance, AIC"
    public static let tasks: [ModelTask] = [.regression]
    public static let preprocessing: [CommonOption] = [.intercept, .impute, .scale, .poly, .weight, .offset]
    public static let options = [
        ModelOptionSpec(name: "family", help: "poisson (default: dispersion 1, z tests, AIC), quasipoisson (R's: the dispersion estimated from the Pearson residuals, t tests, no AIC) or negbin (MASS's glm.nb: variance μ + μ²/θ, θ estimated)",
                        values: Family.allCases.map(\.rawValue)),
        ModelOptionSpec(name: "theta", help: "family=negbin with θ fixed at this number > 0 instead of estimated (MASS's negative.binomial(theta))"),
    ]

    /// R's family names: the variance is the mean (poisson), a multiple of it (quasipoisson),
    /// or μ + μ²/θ (negbin, MASS's negative binomial).
    public enum Family: String, Codable, Sendable, CaseIterable {
        case poisson, quasipoisson, negbin
    }

    public struct Parameters: ModelParameters {
        public let family: Family
        /// A fixed θ for family=negbin; nil: estimated.
        public let theta: Double?

        public init(family: Family = .poisson, theta: Double? = nil) {
            self.family = family
            self.theta = theta
        }

        // Models saved before family= have no key: they are Poisson fits.
        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            family = try container.decodeIfPresent(Family.self, forKey: .family) ?? .poisson
            theta = try container.decodeIfPresent(Double.self, forKey: .theta)
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            if family != .poisson { try container.encode(family, forKey: .family) }
            try container.encodeIfPresent(theta, forKey: .theta)
        }

        private enum CodingKeys: String, CodingKey { case family, theta }
    }

    public static func parameters(_ options: [String: String]) throws -> Parameters {
        let values = OptionValues(options)
        let family = values.choice("family", default: Family.poisson)
        guard options["theta"] == nil || family == .negbin else {
            throw ModelshError.usage("theta= fixes a negative binomial's θ; give family=negbin too", argument: "theta")
        }
        let theta = try options["theta"].map { _ in
            try values.number("theta", default: 1, in: Double.leastNonzeroMagnitude ... Double.greatestFiniteMagnitude, "a number > 0")
        }
        return Parameters(family: family, theta: theta)
    }

    public static func wantsOnesColumn(_ parameters: Parameters) -> Bool { true }

    public static func fit(_ problem: TrainingProblem, _ parameters: Parameters) throws -> PoissonState {
        guard problem.designColumns.count > 0 else {
            throw ModelshError.usage("a Poisson model without an intercept needs at least one feature", argument: "intercept")
        }
        if let row = problem.target.firstIndex(where: { $0 < 0 }) {
            throw ModelshError.data("the target has a negative value (\(NumberFormat.shortest(problem.target[row]))): Poisson regression models counts ≥ 0",
                                    argument: "target")
        }
        let fit: PoissonRegression.Fit, negativeBinomial: NegativeBinomialTheta?
        var nullDeviance: Double, aic: Double?, warnings: [String]
        if parameters.family == .negbin {
            let nb = try NegativeBinomialRegression.fit(problem.design, problem.target, hasIntercept: problem.hasIntercept, priorWeights: problem.weights,
                                                        offset: problem.offset, theta: parameters.theta)
            (fit, nullDeviance, aic, warnings) = (nb.glm, nb.nullDeviance, nb.aic, nb.warnings)
            negativeBinomial = NegativeBinomialTheta(theta: nb.theta, familyTheta: nb.familyTheta, standardError: nb.thetaStandardError,
                                                     twiceLogLikelihood: nb.twiceLogLikelihood)
        } else {
            fit = try PoissonRegression.fit(problem.design, problem.target, hasIntercept: problem.hasIntercept, priorWeights: problem.weights,
                                            offset: problem.offset)
            (warnings, negativeBinomial) = (fit.warnings, nil)
            aic = parameters.family == .poisson && fit.aic.isFinite ? fit.aic : nil
            let null = try PoissonRegression.reportedNullDeviance(of: fit, problem.target, family: .poisson, hasIntercept: problem.hasIntercept,
                                                                  priorWeights: problem.weights, offset: problem.offset, etaStart: fit.linearPredictor)
            nullDeviance = null.deviance
            if let warning = null.warning { warnings.append(warning) }
        }
        let dispersion = parameters.family == .quasipoisson
            ? try pearsonDispersion(problem.target, fit.fitted, workingWeights: fit.workingWeights, residualDegreesOfFreedom: fit.residualDegreesOfFreedom) : nil
        let scale = (dispersion ?? 1).squareRoot()
        return PoissonState(terms: (problem.hasIntercept ? ["(Intercept)"] : []) + problem.terms,
                            coefficients: fit.coefficients.map { $0.isNaN ? 0 : $0 }, aliased: fit.aliased,
                            standardErrors: fit.standardErrors.map { $0.isFinite ? $0 * scale : 0 }, deviance: fit.deviance,
                            nullDeviance: nullDeviance, nullDegreesOfFreedom: fit.nullDegreesOfFreedom,
                            residualDegreesOfFreedom: fit.residualDegreesOfFreedom,
                            aic: aic, dispersion: dispersion, negativeBinomial: negativeBinomial, iterations: fit.iterations,
                            converged: fit.converged, fitWarnings: warnings,
                            observations: problem.weights.map { $0.filter { $0 > 0 }.count } ?? problem.target.count,
                            unscaledCovariance: fit.unscaledCovariance.values)  // symmetric: row- and column-major agree
    }

    /// R's summary.glm dispersion for a quasi family: the working weights (of the last
    /// iteration's start, as glm.fit keeps them) times the squared working residuals
    /// ((y − μ)/μ′ at the solution, μ′ = μ for the log link), summed over the rows of working
    /// weight > 0, over the residual degrees of freedom.
    static func pearsonDispersion(_ y: [Double], _ mu: [Double], workingWeights: [Double], residualDegreesOfFreedom: Int) throws -> Double {
        guard residualDegreesOfFreedom > 0 else {
            throw ModelshError.data("family=quasipoisson estimates the dispersion from the residuals, and this fit has none left (as many coefficients as rows)",
                                    argument: "family")
        }
        var sum = 0.0
        for i in y.indices where workingWeights[i] > 0 {
            let residual = (y[i] - mu[i]) / mu[i]
            sum += workingWeights[i] * residual * residual
        }
        return sum / Double(residualDegreesOfFreedom)
    }
}

/// θ of a negative binomial fit and what MASS's summary.negbin reports with it.
public struct NegativeBinomialTheta: Codable, Sendable, Equatable {
    public let theta: Double
    /// The θ the coefficients were last fitted with (the estimate before the last, glm.nb's
    /// `fit$family`): the family its summary names, and that anova and confint hold θ at.
    public let familyTheta: Double
    /// nil when theta= fixed θ.
    public let standardError: Double?
    /// 2 log L at the fit.
    public let twiceLogLikelihood: Double
}

/// What a Poisson fit learned: a coefficient per term (intercept first), aliased ones stored as
/// 0 and flagged, their standard errors, and the deviances R's summary prints.
public struct PoissonState: LearnedState {
    public let terms: [String]
    public let coefficients: [Double]
    public let aliased: [Bool]
    public let standardErrors: [Double]
    public let deviance: Double
    public let nullDeviance: Double
    public let nullDegreesOfFreedom: Int
    public let residualDegreesOfFreedom: Int
    /// nil where R's is Inf: a count that is not whole has no Poisson probability (every stored
    /// number is finite, so the state encodes as plain JSON); nil too for quasi-Poisson (R's NA).
    public let aic: Double?
    /// The estimated dispersion of a quasi-Poisson fit (`standardErrors` are already scaled by
    /// its root); nil for a Poisson fit, whose dispersion is 1.
    public let dispersion: Double?
    /// A negative binomial fit's θ; nil for the Poisson families.
    public let negativeBinomial: NegativeBinomialTheta?
    public let iterations: Int
    public let converged: Bool
    /// R's warnings, word for word.
    public let fitWarnings: [String]
    /// The rows of weight > 0.
    public let observations: Int
    /// (XᵀWX)⁻¹ over the terms not aliased, row-major (rank × rank), for intervals around
    /// predictions.
    public let unscaledCovariance: [Double]

    public var hasIntercept: Bool { terms.first == "(Intercept)" }

    /// The slopes and intercept with aliased terms at 0, as R's predict drops them.
    public var predictor: (intercept: Double, slopes: [Double]) {
        let kept = zip(coefficients, aliased).map { $1 ? 0 : $0 }
        return (hasIntercept ? kept[0] : 0, Array(kept.dropFirst(hasIntercept ? 1 : 0)))
    }

    /// The expected count e^(b + Xw + offset) (R's predict type = "response").
    public func predict(_ inputs: ModelInputs) throws -> RawPrediction {
        let (intercept, slopes) = predictor
        var eta = LinearPredictor.apply(inputs.designColumns, intercept: intercept, slopes: slopes)
        if let offset = inputs.offset { eta = zip(eta, offset).map { $0 + $1 } }
        return .values(eta.map(PoissonRegression.inverseLink))
    }

    public var warnings: [String] {
        fitWarnings + (SingularityWarning.text(terms: terms, aliased: aliased).map { [$0] } ?? [])
    }

    public func coefficientEstimates(in model: Model) -> [CoefficientEstimates] {
        [CoefficientEstimates(group: nil, terms: terms, estimates: zip(coefficients, aliased).map { $1 ? .nan : $0 }, standardErrors: standardErrors)]
    }

    /// R's summary.glm: the coefficients with z tests (t tests for quasi-Poisson), the
    /// dispersion, null and residual deviance, AIC and the Fisher scoring iterations.
    public func summary(of model: Model, options: SummaryOptions) -> Report {
        var report = Report()
        let aliasedCount = aliased.filter { $0 }.count
        report.add(RobustCovariance.coefficientsHeading(aliasedCount: aliasedCount, robust: options.robust))
        // Robust errors are tested as normal, as lmtest's coeftest does for every glm.
        let standardErrors = options.robust?.standardErrors(aliased: aliased) ?? standardErrors
        let normal = dispersion == nil || options.robust != nil
        let test = normal ? "z" : "t"
        var table = TextTable(headers: ["", "Estimate", "Std. Error", "\(test) value", "Pr(>|\(test)|)", ""],
                              alignments: [.left, .right, .right, .right, .right, .left],
                              footer: "Signif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1")
        for (j, term) in terms.enumerated() {
            if aliased[j] {
                table.append([term, "NA", "NA", "NA", "NA", ""])
            } else {
                let z = coefficients[j] / standardErrors[j]
                let p = normal ? Normal.twoSidedPValue(z) : StudentT.twoSidedPValue(z, degreesOfFreedom: Double(residualDegreesOfFreedom))
                table.append([term, NumberFormat.significant(coefficients[j]), NumberFormat.significant(standardErrors[j]),
                              NumberFormat.significant(z, digits: 4), NumberFormat.pValue(p), LinearSummary.stars(p)])
            }
        }
        report.add(table)
        let family = negativeBinomial.map { "Negative Binomial(\(NumberFormat.significant(($0.familyTheta * 10000).rounded() / 10000)))" } ?? "poisson"
        report.add(dispersion.map { "(Dispersion parameter for quasipoisson family taken to be \(NumberFormat.significant($0)))" }
                   ?? "(Dispersion parameter for \(family) family taken to be 1)")
        report.add("    Null deviance: \(NumberFormat.significant(nullDeviance)) on \(nullDegreesOfFreedom) degrees of freedom")
        report.add("Residual deviance: \(NumberFormat.significant(deviance)) on \(residualDegreesOfFreedom) degrees of freedom")
        report.add("AIC: \(aic.map { NumberFormat.significant($0) } ?? (dispersion == nil ? "Inf (a count that is not whole has no Poisson probability)" : "NA"))")
        report.add("Number of Fisher Scoring iterations: \(iterations)\(converged ? "" : " (did not converge)")")
        if let negativeBinomial {
            report.add("              Theta: \(NumberFormat.significant(negativeBinomial.theta))\(negativeBinomial.standardError == nil ? " (fixed by theta=)" : "")")
            if let error = negativeBinomial.standardError { report.add("          Std. Err.: \(NumberFormat.significant(error))") }
            report.add(" 2 x log-likelihood: \(NumberFormat.significant(negativeBinomial.twiceLogLikelihood))")
        }
        for warning in fitWarnings { report.add("Warning: \(warning)") }
        return report
    }

    /// What the state must satisfy on its own and against its model.
    public func check(in model: Model) throws {
        let p = terms.count
        try require(p > 0, "Poisson state has no terms")
        try require(coefficients.count == p && aliased.count == p && standardErrors.count == p,
                    "Poisson state has \(coefficients.count) coefficients, \(aliased.count) aliased flags and \(standardErrors.count) standard errors for \(p) terms")
        try require(coefficients.allSatisfy(\.isFinite) && standardErrors.allSatisfy { $0.isFinite && $0 >= 0 },
                    "Poisson state has a non-finite coefficient or standard error")
        try require(deviance.isFinite && deviance >= 0 && nullDeviance.isFinite && nullDeviance >= 0, "a deviance is not a finite number ≥ 0")
        try require(aic?.isFinite ?? true, "the AIC is not a finite number")
        try require(dispersion.map { $0.isFinite && $0 >= 0 && aic == nil } ?? true, "a quasi-Poisson state's dispersion is not a finite number ≥ 0, or it has an AIC")
        try require(negativeBinomial.map { $0.theta.isFinite && $0.theta > 0 && $0.twiceLogLikelihood.isFinite && dispersion == nil } ?? true,
                    "a negative binomial state's θ is not a finite number > 0, or it has a dispersion")
        let rank = aliased.filter { !$0 }.count
        try require(unscaledCovariance.count == rank * rank && unscaledCovariance.allSatisfy(\.isFinite),
                    "Poisson state has \(unscaledCovariance.count) covariance entries for rank \(rank)")
        try require(observations > 0 && residualDegreesOfFreedom <= observations && nullDegreesOfFreedom <= observations,
                    "Poisson state has \(observations) observations for \(residualDegreesOfFreedom) and \(nullDegreesOfFreedom) degrees of freedom")
        try require(model.task == .regression, "a Poisson model does regression")
        let expected = (model.preprocessing.settings.hasIntercept ? ["(Intercept)"] : []) + model.terms
        try require(terms == expected, "Poisson state's terms are not the design's (\(expected.count) columns)")
        try requireObservations(observations, of: "Poisson state", in: model)
    }
}

// Decoding in an extension keeps the memberwise initialiser the fit uses.
extension PoissonState {
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        terms = try container.decode([String].self, forKey: .terms)
        coefficients = try container.decode([Double].self, forKey: .coefficients)
        aliased = try container.decode([Bool].self, forKey: .aliased)
        standardErrors = try container.decode([Double].self, forKey: .standardErrors)
        deviance = try container.decode(Double.self, forKey: .deviance)
        nullDeviance = try container.decode(Double.self, forKey: .nullDeviance)
        nullDegreesOfFreedom = try container.decode(Int.self, forKey: .nullDegreesOfFreedom)
        residualDegreesOfFreedom = try container.decode(Int.self, forKey: .residualDegreesOfFreedom)
        aic = try container.decodeIfPresent(Double.self, forKey: .aic)
        dispersion = try container.decodeIfPresent(Double.self, forKey: .dispersion)
        negativeBinomial = try container.decodeIfPresent(NegativeBinomialTheta.self, forKey: .negativeBinomial)
        iterations = try container.decode(Int.self, forKey: .iterations)
        converged = try container.decode(Bool.self, forKey: .converged)
        fitWarnings = try container.decode([String].self, forKey: .fitWarnings)
        observations = try container.decode(Int.self, forKey: .observations)
        unscaledCovariance = try container.decode([Double].self, forKey: .unscaledCovariance)
    }

    private enum CodingKeys: String, CodingKey {
        case terms, coefficients, aliased, standardErrors, deviance, nullDeviance, nullDegreesOfFreedom, residualDegreesOfFreedom
        case aic, dispersion, negativeBinomial, iterations, converged, fitWarnings, observations, unscaledCovariance
    }
}
