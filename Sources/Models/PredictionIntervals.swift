import Diagnostics
import Foundation
import Numerics
import Tabular

/// Which interval around a prediction.
public enum PredictionInterval: String, Sendable, CaseIterable {
    /// For the mean response at the row's inputs.
    case confidence
    /// For a new observation at the row's inputs (linear models).
    case prediction
}

extension Model {
    /// Per row of `data`: the prediction (predict's own value) and the interval's ends at
    /// `level`, NaN where an input is missing. From the terms not aliased (as R's predict
    /// drops them), with x the row's design (1 first for the intercept) and V the fit's
    /// unscaled covariance:
    /// - linear, R's predict.lm(newdata, interval =): ŷ ± t·√(xᵀVx·σ²), plus σ² inside the root
    ///   for a new observation (whose weight a weighted fit takes as 1, as R); t on the residual
    ///   degrees of freedom, σ² the residual mean square;
    /// - poisson, for the expected count, and binary logistic, for the modelled class's
    ///   probability: g⁻¹(η ± z·√(xᵀVx)), the interval on the link scale (R's
    ///   predict(type = "link", se.fit = TRUE)) carried through the inverse link.
    public func intervals(on data: Dataset, _ interval: PredictionInterval, level: Double) throws
        -> (fit: [Double], lower: [Double], upper: [Double]) {
        let terms: (coefficients: [Double], aliased: [Bool], covariance: [Double], hasIntercept: Bool)
        // The interval's ends from the row's prediction, linear predictor and xᵀVx.
        let ends: (Double, Double, Double) -> (Double, Double)
        switch state {
        case let fit as LinearRegression.Learned:
            let df = fit.residualDegreesOfFreedom
            guard df > 0 else {
                throw ModelshError.data("the fit leaves no residual degree of freedom, so its predictions have no intervals")
            }
            let variance = fit.residualSumOfSquares / Double(df)
            let t = StudentT.twoSidedCriticalValue(1 - level, degreesOfFreedom: Double(df))
            let newObservation = interval == .prediction ? variance : 0
            terms = (fit.estimates, fit.aliased, fit.unscaledCovariance, fit.hasIntercept)
            ends = { predicted, _, quadratic in
                let spread = (quadratic * variance + newObservation).squareRoot() * t
                return (predicted - spread, predicted + spread)
            }
        case let fit as PoissonState:
            guard interval == .confidence else {
                throw ModelshError.usage("a Poisson model's intervals are for the expected count (interval=confidence); a new count is not normally distributed")
            }
            let z = -Normal.quantile((1 - level) / 2)
            // A quasi-Poisson fit's standard errors are scaled by √dispersion (predict.glm's
            // residual.scale).
            let dispersion = fit.dispersion ?? 1
            terms = (fit.coefficients, fit.aliased, fit.unscaledCovariance, fit.hasIntercept)
            ends = { _, eta, quadratic in
                let spread = z * (quadratic * dispersion).squareRoot()
                return (PoissonRegression.inverseLink(eta - spread), PoissonRegression.inverseLink(eta + spread))
            }
        case let fit as LogisticState where fit.modelledClasses.count == 1 && fit.standardErrors != nil:
            guard interval == .confidence else {
                throw ModelshError.usage("a logistic model's intervals are for the probability (interval=confidence); a new observation is a class, not a number in an interval")
            }
            guard let covariance = fit.covariance else {
                throw ModelshError.usage("this logistic model keeps no covariance (saved before intervals existed, or updated); refit it")
            }
            let z = -Normal.quantile((1 - level) / 2)
            terms = (fit.coefficients[0], fit.aliased, covariance, fit.hasIntercept)
            ends = { _, eta, quadratic in
                let spread = z * quadratic.squareRoot()
                return (LogisticRegression.probability(eta - spread), LogisticRegression.probability(eta + spread))
            }
        default:
            throw ModelshError.usage("intervals around predictions are for linear models (R's predict.lm), unpenalised binary logistic and Poisson ones; this is a \(kind) model")
        }
        let kept = terms.aliased.indices.filter { !terms.aliased[$0] }
        let rank = kept.count
        let firstTerm = terms.hasIntercept ? 1 : 0
        var values: [Double] = [], lower: [Double] = [], upper: [Double] = []
        var start = 0
        repeat {
            let rows = start ..< min(start + Self.blockRows, data.rowCount)
            let inputs = try preprocessing.inputs(data, schema: schema, rows: rows)
            // The predictions as `predict` makes them (a classifier's: the modelled class's
            // probability), so the interval is centred on that column.
            let predictions: [Double]
            switch try state.predict(inputs) {
            case .values(let values): predictions = values
            case .probabilities(let probabilities) where probabilities.columns == 2: predictions = probabilities.column(1)
            default: throw ModelshError(.software, "a \(kind) model predicted other than values or two probabilities")
            }
            let columns = inputs.designColumns.columns
            // The row's value of term k: 1 for the intercept, else its design column's.
            func term(_ k: Int, _ row: Int) -> Double { k < firstTerm ? 1 : columns[k - firstTerm][row] }
            var x = [Double](repeating: 0, count: rank)
            for row in 0 ..< rows.count {
                guard inputs.usable[row] else {
                    values.append(.nan); lower.append(.nan); upper.append(.nan)
                    continue
                }
                var eta = inputs.offset?[row] ?? 0
                for (position, k) in kept.enumerated() {
                    x[position] = term(k, row)
                    eta += terms.coefficients[k] * x[position]
                }
                // xᵀ V x, V the rank × rank unscaled covariance (symmetric).
                var quadratic = 0.0
                for i in 0 ..< rank {
                    var sum = 0.0
                    for j in 0 ..< rank { sum += terms.covariance[i * rank + j] * x[j] }
                    quadratic += x[i] * sum
                }
                let (low, high) = ends(predictions[row], eta, quadratic)
                values.append(predictions[row])
                lower.append(low)
                upper.append(high)
            }
            try Interruption.check()
            start = rows.upperBound
        } while start < data.rowCount
        return (values, lower, upper)
    }
}
