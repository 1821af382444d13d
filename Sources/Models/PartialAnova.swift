import Diagnostics
import Numerics
import Tabular

/// car::Anova(fit, type = 2) for one linear, unpenalised binary logistic or Poisson-family
/// model: each term tested after every other term that does not contain it (type II), so a
/// main effect's test does not depend on the order of the terms, and respects marginality (a
/// term is not tested against an interaction that holds it). A linear model's rows are the fall
/// in the residual sum of squares and its F test against the full model's residual mean
/// square; a glm's the likelihood-ratio χ² of the fall in deviance, over the dispersion for
/// quasi-Poisson, as car's test.statistic = "LR".
///
/// A model keeps no rows, so the fits come from its training data (`TermRefits`): for each term,
/// the model without it and the terms containing it, then with it again.
public struct PartialAnova: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public let term: String
        public let degreesOfFreedom: Int
        /// Linear: the sum of squares; glm: the likelihood-ratio χ².
        public let statistic: Double
        /// Linear: the F value; NaN for a glm.
        public let fValue: Double
        /// NaN where the term brings no degree of freedom.
        public let pValue: Double
    }

    public let rows: [Row]
    /// Linear: the full model's residual degrees of freedom and sum of squares; nil for a glm.
    public let residualDegreesOfFreedom: Int?
    public let residualSumOfSquares: Double?
    /// A quasi-Poisson fit's dispersion, which the χ² statistics are divided by; nil otherwise.
    public let dispersion: Double?
    /// Said of the shorter fits, as `SequentialDeviance`'s.
    public let warnings: [String]

    public init(_ model: Model, named name: String, trainingData data: Dataset, dataName: String) throws {
        let linear = model.state as? LinearRegression.Learned
        let glm = model.state as? any DevianceFit
        guard linear != nil || glm?.residualDevianceDegreesOfFreedom != nil else {
            throw ModelshError.usage("type=2 tests are for linear, unpenalised binary logistic and Poisson models; '\(name)' is \(model.state is LogisticState ? "a penalised or multinomial logistic" : "a \(model.kind)") model", argument: name)
        }
        guard model.preprocessing.settings.degree == 1 else {
            throw ModelshError.usage("type=2 tests fit the model without each term; '\(name)' was fitted with poly=, whose columns are no terms (features= takes interactions as terms)", argument: name)
        }
        if let linear, linear.residualQuantiles.isEmpty {
            throw ModelshError.usage("'\(name)' was updated or fitted from a file in chunks; type=2 tests fit it again on the data, so fit it on the data first", argument: name)
        }
        let refits = try TermRefits(model, named: name, data: data, dataName: dataName)
        let terms = model.schema.modelTerms, labels = refits.terms
        let full = try refits.full(of: model, named: name)
        var warnings: [String] = refits.holdsTheta ? ["tests made without re-estimating 'theta'"] : []
        // (residual df, RSS or deviance) of a fit of the kind.
        func measure(_ fit: Model) throws -> (df: Int, value: Double) {
            if let state = fit.state as? LinearRegression.Learned { return (state.residualDegreesOfFreedom, state.residualSumOfSquares) }
            guard let state = fit.state as? any DevianceFit, let df = state.residualDevianceDegreesOfFreedom else {
                throw ModelshError(.software, "a refit of '\(name)' is not a fit of its kind")
            }
            return (df, state.deviance)
        }
        let whole = try measure(full)
        let dispersion = (full.state as? any DevianceFit).flatMap { $0.dispersionScale == 1 ? nil : $0.dispersionScale }
        self.dispersion = dispersion
        rows = try terms.terms.enumerated().map { index, term in
            try Interruption.check()
            // The terms that neither are this one nor contain it, in the model's order.
            let others = terms.terms.indices.filter { $0 != index && !ModelTerms.contains(terms.terms[$0], term) }
            let without = try refits.fit(others.map { labels[$0] })
            let with = others.count == terms.terms.count - 1 ? full : try refits.fit((others + [index]).sorted().map { labels[$0] })
            for (fit, described) in [(without, "without \(labels[index])"), (with, "with \(labels[index])")] {
                warnings += ((fit.state as? any DevianceFit)?.fitWarningsExplained ?? []).map { "\(described): \($0)" }
            }
            let (small, large) = (try measure(without), try measure(with))
            let df = small.df - large.df, fall = max(small.value - large.value, 0)
            guard df > 0 else { return Row(term: labels[index], degreesOfFreedom: 0, statistic: 0, fValue: .nan, pValue: .nan) }
            if linear != nil {
                let f = fall / Double(df) / (whole.value / Double(whole.df))
                return Row(term: labels[index], degreesOfFreedom: df, statistic: fall, fValue: f,
                           pValue: FDistribution.upperTail(f, numerator: Double(df), denominator: Double(whole.df)))
            }
            let chiSquare = fall / (dispersion ?? 1)
            return Row(term: labels[index], degreesOfFreedom: df, statistic: chiSquare, fValue: .nan,
                       pValue: ChiSquare.upperTail(chiSquare, degreesOfFreedom: Double(df)))
        }
        (residualDegreesOfFreedom, residualSumOfSquares) = linear == nil ? (nil, nil) : (whole.df, whole.value)
        self.warnings = warnings
    }
}
