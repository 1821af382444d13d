import Diagnostics
import Numerics

/// R's anova(smaller, larger) for two fits of one target on the same rows, one's terms among the
/// other's: for linear models the F test of the residual sums of squares (anova.lm), for binary
/// logistic and Poisson ones the χ² test of the deviances (anova.glm with test = "Chisq"), and
/// for negative binomial ones with θ estimated the likelihood-ratio test of MASS's anova.negbin
/// (each fit's own θ, so −2 log L rather than a deviance of one family).
public struct NestedModelTest: Sendable, Equatable {
    /// What a fit leaves unexplained: its residual degrees of freedom and its residual sum of
    /// squares (linear) or deviance (logistic).
    public struct Fit: Sendable, Equatable {
        public let residualDegreesOfFreedom: Int
        public let residual: Double
        /// What a glm's deviance is divided by in the test (the larger fit's counts): 1, or a
        /// quasi-Poisson fit's estimated dispersion.
        public var dispersion: Double = 1
        /// A negative binomial's θ (its `residual` is then −2 log L).
        public var theta: Double? = nil
    }

    /// Whether the fits are linear (an F test) or logistic (a χ² test, with no statistic shown
    /// but the deviance).
    public let isLinear: Bool
    /// Whether the fits are negative binomial ones compared by their likelihoods (`reduction`
    /// is then the likelihood-ratio statistic).
    public let isLikelihoodRatio: Bool
    /// The fit with fewer terms first.
    public let smaller: Fit, larger: Fit
    /// Whether the models were given larger first (R lists them as given).
    public let givenLargerFirst: Bool
    public let degreesOfFreedom: Int
    /// The fall in the residual sum of squares or the deviance.
    public let reduction: Double
    /// F (linear, or a glm with test=f); NaN for a χ² test.
    public let statistic: Double
    public let pValue: Double

    /// The test of `first` against `second`, in either order. Throws, naming the model, for
    /// fits of other kinds, targets or rows, and for fits neither of which lies within the other.
    public init(_ first: Model, named firstName: String, _ second: Model, named secondName: String, test: DevianceTest = .chiSquare) throws {
        func fit(_ model: Model, _ name: String) throws -> (fit: Fit, terms: [String], linear: Bool) {
            switch model.state {
            case let linear as LinearRegression.Learned:
                return (Fit(residualDegreesOfFreedom: linear.residualDegreesOfFreedom, residual: linear.residualSumOfSquares), linear.terms, true)
            case let poisson as PoissonState where poisson.negativeBinomial?.standardError != nil:
                let nb = poisson.negativeBinomial!
                return (Fit(residualDegreesOfFreedom: poisson.residualDegreesOfFreedom, residual: -nb.twiceLogLikelihood, theta: nb.theta), poisson.terms, false)
            case let glm as any DevianceFit:
                guard let df = glm.residualDevianceDegreesOfFreedom else { break }
                return (Fit(residualDegreesOfFreedom: df, residual: glm.deviance, dispersion: glm.dispersionScale), glm.terms, false)
            default: break
            }
            let kind = model.state is LogisticState ? "penalised or multinomial logistic" : model.kind
            throw ModelshError.usage("anova compares two linear models, two binary logistic ones or two Poisson ones; '\(name)' is a \(kind) model", argument: name)
        }
        let a = try fit(first, firstName), b = try fit(second, secondName)
        guard first.kind == second.kind else {
            throw ModelshError.usage("'\(firstName)' is a \(first.kind) model and '\(secondName)' a \(second.kind) one: anova compares two of one kind", argument: secondName)
        }
        // The family and a fixed θ must agree (an estimated θ may differ: that is the test).
        let families = [first, second].map { model in (model.parameters as? PoissonModel.Parameters).map { ($0.family.rawValue, $0.theta) } }
        guard families[0]?.0 == families[1]?.0, families[0]?.1 == families[1]?.1 else {
            func family(_ index: Int) -> String { families[index].map { $0.0 + ($0.1.map { " θ = \(NumberFormat.significant($0))" } ?? "") } ?? "" }
            throw ModelshError.usage("'\(firstName)' and '\(secondName)' are fits of different families (\(family(0)) and \(family(1))): anova compares two of one family",
                                     argument: secondName)
        }
        guard first.schema.target?.name == second.schema.target?.name else {
            throw ModelshError.usage("'\(firstName)' models \(first.schema.target?.name ?? "nothing") and '\(secondName)' \(second.schema.target?.name ?? "nothing"): anova compares fits of one target",
                                     argument: secondName)
        }
        for role in ColumnRole.allCases where first.training.options[role.rawValue] != second.training.options[role.rawValue] {
            func setting(_ model: Model) -> String { model.training.options[role.rawValue].map { "\(role.rawValue)=\($0)" } ?? "no \(role.rawValue)" }
            throw ModelshError.usage("'\(firstName)' was fitted with \(setting(first)) and '\(secondName)' with \(setting(second)): anova compares fits with the same \(role == .weight ? "case weights" : "offset")",
                                     argument: secondName)
        }
        guard first.training.rowsUsed == second.training.rowsUsed else {
            throw ModelshError.usage("'\(firstName)' was fitted on \(first.training.rowsUsed) rows and '\(secondName)' on \(second.training.rowsUsed): anova compares fits to the same rows",
                                     argument: secondName)
        }
        givenLargerFirst = a.fit.residualDegreesOfFreedom < b.fit.residualDegreesOfFreedom
        let (small, large) = givenLargerFirst ? (b, a) : (a, b)
        let (smallName, largeName) = givenLargerFirst ? (secondName, firstName) : (firstName, secondName)
        guard small.fit.residualDegreesOfFreedom > large.fit.residualDegreesOfFreedom else {
            throw ModelshError.usage("'\(firstName)' and '\(secondName)' have as many residual degrees of freedom (\(large.fit.residualDegreesOfFreedom)): neither has terms the other lacks",
                                     argument: secondName)
        }
        if let missing = small.terms.first(where: { !large.terms.contains($0) }) {
            throw ModelshError.usage("'\(smallName)' is not within '\(largeName)': its term '\(missing)' is not among the larger model's, so the two are not nested",
                                     argument: smallName)
        }
        if test == .f {
            guard !a.linear else { throw ModelshError.usage("two linear models are compared by their F test already; test= is for glms", argument: "test") }
            for (model, name) in [(first, firstName), (second, secondName)] { try test.requireEstimatedDispersion(in: model, named: name) }
        }
        isLinear = a.linear
        isLikelihoodRatio = a.fit.theta != nil
        (smaller, larger) = (small.fit, large.fit)
        degreesOfFreedom = small.fit.residualDegreesOfFreedom - large.fit.residualDegreesOfFreedom
        reduction = small.fit.residual - large.fit.residual
        if large.fit.residualDegreesOfFreedom == 0 {
            // An exact fit leaves no residual variance to test against.
            (statistic, pValue) = (.nan, .nan)
        } else if isLinear {
            statistic = (reduction / Double(degreesOfFreedom)) / (large.fit.residual / Double(large.fit.residualDegreesOfFreedom))
            pValue = FDistribution.upperTail(statistic, numerator: Double(degreesOfFreedom), denominator: Double(large.fit.residualDegreesOfFreedom))
        } else {
            (statistic, pValue) = test.statistic(fall: reduction, degreesOfFreedom: degreesOfFreedom, dispersion: large.fit.dispersion,
                                                 residualDegreesOfFreedom: large.fit.residualDegreesOfFreedom)
        }
    }
}
