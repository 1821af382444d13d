import Diagnostics
import Numerics
import Tabular

/// R's anova(fit) for one binary logistic or Poisson model (anova.glm, with test = "Chisq"): the null
/// model, then the model's terms (its features, then any interactions) added one at a time in
/// their order, each row the fall in deviance it brings, its degrees of freedom and the χ² test
/// of that fall. A categorical feature's indicators make one row, as do an interaction's
/// columns; a term that adds only aliased columns brings 0 degrees of freedom and no test.
///
/// A model keeps no rows, so the fits come from its training data, as R's come from the
/// model frame the glm object keeps: the model is fitted again on the rows it used, with its
/// options, which must give back the model's own fingerprint (the dataset still holds the
/// same rows), and then once per shorter list of terms on those same rows.
public struct SequentialDeviance: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public let term: String
        public let degreesOfFreedom: Int
        /// The fall in deviance from the row above.
        public let deviance: Double
        public let residualDegreesOfFreedom: Int
        public let residualDeviance: Double
        /// With test=f: (fall / df) / dispersion; NaN otherwise.
        public let fValue: Double
        /// NaN where the term brings no degree of freedom.
        public let pValue: Double
    }

    public let nullDegreesOfFreedom: Int
    public let nullDeviance: Double
    public let rows: [Row]
    /// The warnings of the shorter fits (not converged, separated), each naming its features,
    /// as R repeats glm.fit's; aliased columns show as rows of 0 degrees of freedom instead.
    public let warnings: [String]

    /// The table of `model` (named `name` in errors) from `data`, the dataset it was fitted on,
    /// known in the session as `dataName`.
    public init(_ model: Model, named name: String, trainingData data: Dataset, dataName: String, test: DevianceTest = .chiSquare) throws {
        guard let state = model.state as? any DevianceFit, let (nullDeviance, nullDegreesOfFreedom) = state.null,
              state.residualDevianceDegreesOfFreedom != nil else {
            let kind = model.state is LogisticState ? "penalised or multinomial logistic" : model.kind
            throw ModelshError.usage("anova of one model is for linear, unpenalised binary logistic and Poisson models, '\(name)' is a \(kind) model: anova SMALLER LARGER compares two fits", argument: name)
        }
        guard model.preprocessing.settings.degree == 1 else {
            throw ModelshError.usage("anova of one \(model.kind) model adds features one at a time; '\(name)' was fitted with poly=, whose terms cannot be added so (compare two fits with anova SMALLER LARGER)", argument: name)
        }
        try test.requireEstimatedDispersion(in: model, named: name)
        let residualDegreesOfFreedom = state.residualDevianceDegreesOfFreedom ?? 0
        let refits = try TermRefits(model, named: name, data: data, dataName: dataName)
        let terms = refits.terms
        let full = try refits.full(of: model, named: name)
        var warnings: [String] = refits.holdsTheta ? ["tests made without re-estimating 'theta'"] : []
        var previous = (df: nullDegreesOfFreedom, deviance: nullDeviance)
        var rows: [Row] = []
        for count in stride(from: 1, through: terms.count, by: 1) {
            let fit = count == terms.count ? full : try refits.fit(Array(terms.prefix(count)))
            guard let glm = fit.state as? any DevianceFit, let df = glm.residualDevianceDegreesOfFreedom else {
                throw ModelshError(.software, "the refit of '\(name)' on its first \(count) terms is not a fit of its kind")
            }
            if count < terms.count {
                warnings += glm.fitWarningsExplained.map { "with \(terms.prefix(count).joined(separator: ", ")) alone: \($0)" }
            }
            let termDF = previous.df - df, fall = previous.deviance - glm.deviance
            let (f, p) = termDF > 0 ? test.statistic(fall: max(fall, 0), degreesOfFreedom: termDF, dispersion: state.dispersionScale,
                                                     residualDegreesOfFreedom: residualDegreesOfFreedom) : (.nan, .nan)
            rows.append(Row(term: terms[count - 1], degreesOfFreedom: termDF, deviance: fall, residualDegreesOfFreedom: df,
                            residualDeviance: glm.deviance, fValue: f, pValue: p))
            previous = (df, glm.deviance)
        }
        self.nullDegreesOfFreedom = nullDegreesOfFreedom
        self.nullDeviance = nullDeviance
        self.rows = rows
        self.warnings = warnings
    }
}

/// How a fall in deviance is tested, R's anova.glm `test =`: χ² of the fall over the
/// dispersion, or, for a fit whose dispersion is estimated (quasi-Poisson), F = (fall / df) /
/// dispersion on (df, the larger fit's residual df), which R advises there.
public enum DevianceTest: String, Sendable, CaseIterable {
    case chiSquare = "chisq"
    case f

    /// The F statistic (NaN for χ²) and the p-value of a fall in deviance.
    func statistic(fall: Double, degreesOfFreedom: Int, dispersion: Double, residualDegreesOfFreedom: Int) -> (f: Double, p: Double) {
        guard self == .f else { return (.nan, ChiSquare.upperTail(fall / dispersion, degreesOfFreedom: Double(degreesOfFreedom))) }
        let f = fall / Double(degreesOfFreedom) / dispersion
        return (f, FDistribution.upperTail(f, numerator: Double(degreesOfFreedom), denominator: Double(residualDegreesOfFreedom)))
    }

    /// The F test is for an estimated dispersion: R warns that it is inappropriate for the
    /// binomial and Poisson families, whose dispersion is 1.
    func requireEstimatedDispersion(in model: Model, named name: String) throws {
        guard self == .f, (model.state as? PoissonState)?.dispersion == nil else { return }
        throw ModelshError.usage("test=f is for a fit whose dispersion is estimated (poisson family=quasipoisson); the dispersion of '\(name)' is 1, so its test is χ² (R warns the F test is inappropriate there)",
                                 argument: "test")
    }
}

/// A maximum-likelihood fit whose deviance anova compares, as R's glm: unpenalised binary
/// logistic and Poisson fits (nil degrees of freedom for the other logistic fits).
protocol DevianceFit {
    var terms: [String] { get }
    var deviance: Double { get }
    var residualDevianceDegreesOfFreedom: Int? { get }
    /// The intercept-only (or μ fixed) model's deviance and degrees of freedom.
    var null: (deviance: Double, degreesOfFreedom: Int)? { get }
    /// R's glm.fit warnings, explained where they need it.
    var fitWarningsExplained: [String] { get }
    /// The dispersion tests divide deviances by: 1 for binomial and Poisson fits, the
    /// estimate for quasi-Poisson ones.
    var dispersionScale: Double { get }
}

extension LogisticState: DevianceFit {
    var residualDevianceDegreesOfFreedom: Int? { modelledClasses.count == 1 ? residualDegreesOfFreedom : nil }
    var null: (deviance: Double, degreesOfFreedom: Int)? {
        guard modelledClasses.count == 1, let nullDeviance, let nullDegreesOfFreedom else { return nil }
        return (nullDeviance, nullDegreesOfFreedom)
    }
    var fitWarningsExplained: [String] { explainedFitWarnings }
    var dispersionScale: Double { 1 }
}

extension PoissonState: DevianceFit {
    var residualDevianceDegreesOfFreedom: Int? { residualDegreesOfFreedom }
    var null: (deviance: Double, degreesOfFreedom: Int)? { (nullDeviance, nullDegreesOfFreedom) }
    var fitWarningsExplained: [String] { fitWarnings }
    var dispersionScale: Double { dispersion ?? 1 }
}
