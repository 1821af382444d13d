import Numerics
import Tabular

/// One set of a linear kind's coefficients, as its summary table lists them.
public struct CoefficientEstimates: Sendable, Equatable {
    /// The class these coefficients model, for a multinomial fit; nil otherwise.
    public let group: String?
    /// "(Intercept)" first when fitted, then the design's terms.
    public let terms: [String]
    /// NaN for an aliased term (R's NA).
    public let estimates: [Double]
    /// nil for fits without standard errors (penalised ones).
    public let standardErrors: [Double]?
    /// The residual degrees of freedom of a least-squares fit, on which its estimates are t
    /// distributed; nil where they are taken as normal (a logistic fit's Wald statistics).
    public var residualDegreesOfFreedom: Int? = nil

    /// The standard errors either side of an estimate that make its interval at `level`: t(ν)
    /// on the residual degrees of freedom, or z where the estimates are taken as normal.
    public func criticalValue(level: Double) -> Double {
        let alpha = 1 - level
        return residualDegreesOfFreedom.map { StudentT.twoSidedCriticalValue(alpha, degreesOfFreedom: Double($0)) } ?? -Normal.quantile(alpha / 2)
    }

    /// These estimates with `robust`'s standard errors: t distributed on the residual degrees of
    /// freedom for least squares, normal for a glm, as lmtest's coeftest and coefci take them.
    public func withStandardErrors(of robust: RobustCovariance, leastSquares: Bool) -> CoefficientEstimates {
        CoefficientEstimates(group: group, terms: terms, estimates: estimates, standardErrors: robust.standardErrors(aliased: estimates.map(\.isNaN)),
                             residualDegreesOfFreedom: leastSquares ? residualDegreesOfFreedom : nil)
    }

    /// Each estimate's interval at `level` (0 < level < 1) as R's confint.lm gives it, estimate
    /// ± t(ν) standard errors on the residual degrees of freedom ν, or where the estimates are
    /// taken as normal as R's confint.default gives it, estimate ± z standard errors; NaN for
    /// an aliased term. nil without standard errors.
    public func intervals(level: Double) -> [(lower: Double, upper: Double)]? {
        guard let standardErrors else { return nil }
        let halfWidth = criticalValue(level: level)
        return zip(estimates, standardErrors).map { estimate, error in
            (estimate - halfWidth * error, estimate + halfWidth * error)
        }
    }
}

extension LinearRegression.Learned {
    public func coefficientEstimates(in model: Model) -> [CoefficientEstimates] {
        let inference = inference
        return [CoefficientEstimates(group: nil, terms: terms, estimates: coefficients, standardErrors: inference.coefficients.map(\.standardError),
                                     residualDegreesOfFreedom: inference.residualDegreesOfFreedom)]
    }
}

extension PenalisedLinearState {
    public func coefficientEstimates(in model: Model) -> [CoefficientEstimates] {
        [withIntercept(intercept, coefficients, in: model)]
    }
}

extension GradientDescentState {
    public func coefficientEstimates(in model: Model) -> [CoefficientEstimates] {
        [withIntercept(intercept, coefficients, in: model)]
    }
}

extension LogisticState {
    public func coefficientEstimates(in model: Model) -> [CoefficientEstimates] {
        let multinomial = modelledClasses.count > 1
        return zip(modelledClasses, coefficients).enumerated().map { k, pair in
            CoefficientEstimates(group: multinomial ? model.schema.classes[pair.0] : nil, terms: terms,
                                 estimates: zip(pair.1, aliased).map { $1 ? .nan : $0 },
                                 standardErrors: standardErrors.map { $0[k] })
        }
    }
}

/// The intercept (when the model has one) and the slopes, named as the summary names them.
private func withIntercept(_ intercept: Double, _ slopes: [Double], in model: Model) -> CoefficientEstimates {
    let hasIntercept = model.preprocessing.settings.hasIntercept
    return CoefficientEstimates(group: nil, terms: (hasIntercept ? ["(Intercept)"] : []) + model.terms,
                                estimates: (hasIntercept ? [intercept] : []) + slopes, standardErrors: nil)
}

extension Model {
    /// The scale of a linear kind's coefficients when it is a link's rather than the
    /// response's: "log-odds" for classifiers, "log-rate" for Poisson regression; nil otherwise.
    public var coefficientScale: String? {
        state is PoissonState ? "log-rate" : task == .classification ? "log-odds" : nil
    }

    /// A linear kind's coefficients (one set: single-output kinds) with each standardised by
    /// the spread of its design column on `data`: b·sd(x)/sd(y) on the response's scale (lm.beta's
    /// beta), b·sd(x) on a link's (the change in log-odds or log-rate per sd). nil for other kinds.
    public func standardisedCoefficients(on data: Dataset) throws -> [(term: String, estimate: Double, standardised: Double)]? {
        let sets = state.coefficientEstimates(in: self)
        guard sets.count == 1, let estimates = sets.first else { return nil }
        let inputs = try preprocessing.inputs(data, schema: schema, rows: 0 ..< data.rowCount)
        let usable = inputs.usable.indices.filter { inputs.usable[$0] }
        func sd(_ values: [Double]) -> Double {
            let present = values.filter { !$0.isNaN }
            let mean = present.reduce(0, +) / Double(present.count)
            return (present.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(present.count - 1)).squareRoot()
        }
        var ySD = 1.0
        if coefficientScale == nil { ySD = sd(try targetNumbers(targetColumn(in: data))) }
        let offset = estimates.terms.first == "(Intercept)" ? 1 : 0
        return (0 ..< inputs.design.columns).map { j in
            let b = estimates.estimates[j + offset]
            return (estimates.terms[j + offset], b, b * sd(usable.map { inputs.design[$0, j] }) / ySD)
        }
    }
}
