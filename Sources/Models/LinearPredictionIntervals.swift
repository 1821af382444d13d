import Diagnostics
import Foundation
import Numerics
import Tabular

/// Which interval R's predict.lm gives around a prediction.
public enum PredictionInterval: String, Sendable, CaseIterable {
    /// For the mean response at the row's inputs: ŷ ± t·se(ŷ).
    case confidence
    /// For a new observation at the row's inputs: ŷ ± t·√(se(ŷ)² + σ²).
    case prediction
}

extension Model {
    /// R's predict.lm(newdata, interval = …, level = …) for a linear model: per row of `data`
    /// the prediction and the interval's ends, t quantiles on the residual degrees of freedom,
    /// se(ŷ)² = xᵀ(XᵀX)⁻¹x · σ² over the terms not aliased (as R's predict drops them), σ² the
    /// residual mean square. A weighted fit's prediction interval takes a new observation's
    /// weight as 1, as R does (with its warning). NaN where an input is missing.
    public func intervals(on data: Dataset, _ interval: PredictionInterval, level: Double) throws
        -> (fit: [Double], lower: [Double], upper: [Double]) {
        guard let fit = state as? LinearRegression.Learned else {
            throw ModelshError.usage("intervals around predictions are for linear models (R's predict.lm); this is a \(kind) model")
        }
        let df = fit.residualDegreesOfFreedom
        guard df > 0 else {
            throw ModelshError.data("the fit leaves no residual degree of freedom, so its predictions have no intervals")
        }
        let variance = fit.residualSumOfSquares / Double(df)
        let t = StudentT.twoSidedCriticalValue(1 - level, degreesOfFreedom: Double(df))
        let kept = fit.aliased.indices.filter { !fit.aliased[$0] }
        let rank = kept.count
        let offset = fit.hasIntercept ? 1 : 0
        var values: [Double] = [], lower: [Double] = [], upper: [Double] = []
        var start = 0
        repeat {
            let rows = start ..< min(start + Self.blockRows, data.rowCount)
            let inputs = try preprocessing.inputs(data, schema: schema, rows: rows)
            let columns = inputs.designColumns.columns
            // The predictions as `predict` makes them, so the interval is centred on that column.
            guard case .values(let predictions) = try fit.predict(inputs) else {
                throw ModelshError(.software, "a linear model predicted other than values")
            }
            // The row's value of term k: 1 for the intercept, else its design column's.
            func term(_ k: Int, _ row: Int) -> Double { k < offset ? 1 : columns[k - offset][row] }
            var x = [Double](repeating: 0, count: rank)
            for row in 0 ..< rows.count {
                guard inputs.usable[row] else {
                    values.append(.nan); lower.append(.nan); upper.append(.nan)
                    continue
                }
                let predicted = predictions[row]
                for (position, k) in kept.enumerated() { x[position] = term(k, row) }
                // xᵀ V x, V the rank × rank unscaled covariance (symmetric).
                var quadratic = 0.0
                for i in 0 ..< rank {
                    var sum = 0.0
                    for j in 0 ..< rank { sum += fit.unscaledCovariance[i * rank + j] * x[j] }
                    quadratic += x[i] * sum
                }
                let spread = (quadratic * variance + (interval == .prediction ? variance : 0)).squareRoot() * t
                values.append(predicted)
                lower.append(predicted - spread)
                upper.append(predicted + spread)
            }
            try Interruption.check()
            start = rows.upperBound
        } while start < data.rowCount
        return (values, lower, upper)
    }
}
