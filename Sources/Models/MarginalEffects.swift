import Diagnostics
import Foundation
import Numerics
import Tabular

/// Average marginal effects, as Stata's `margins, dydx(*)` and R's margins::margins: for each
/// numeric feature the mean over the rows of the derivative of the prediction (the mean, the
/// probability of the modelled class, the expected count) with respect to it, and for each
/// level of a categorical feature (and a boolean's true) the mean change in the prediction
/// from the reference level to it, every row set to each in turn. Interactions and poly=
/// terms are taken into account, since the design is made again from the changed feature.
///
/// Derivatives are central differences with a step of 10⁻⁵ of the feature's spread (exact for
/// a linear model, and within 10⁻⁸ of the derivative for a glm). Standard errors are by the
/// delta method, √(J V Jᵀ) with J the effect's gradient in the coefficients and V their
/// covariance: the model's own, or a robust one (vcov=), as margins takes vcov.
public struct MarginalEffects: Sendable {
    public struct Effect: Sendable, Equatable {
        /// The feature, and for a categorical one the level compared with the reference.
        public let feature: String
        public let level: String?
        public let estimate: Double
        public let standardError: Double
    }

    public let effects: [Effect]
    /// What the prediction is: "mpg", "P(am = '1')", "the expected count of breaks".
    public let response: String
    /// The rows averaged over (those with every feature present).
    public let rows: Int
    /// A linear model's residual degrees of freedom, on which its effects are t distributed;
    /// nil where they are taken as normal (a glm's).
    public let residualDegreesOfFreedom: Int?

    /// The rows of `data`, the model's training data (known as `dataName`), that the model was
    /// fitted on: Stata's estimation sample, which the effects average over by default (rows
    /// without the target, say, have their features and would count otherwise).
    public static func estimationSample(of model: Model, in data: Dataset, dataName: String) throws -> Dataset {
        let rows = try TrainingReplay.usedRows(of: model, in: data, dataName: dataName)
        return rows.count == data.rowCount ? data : data.selecting(rows: rows)
    }

    /// The effects averaged over the rows of `data` that have every feature (an unweighted
    /// mean, also for a model fitted with weights).
    public init(_ model: Model, named name: String, data: Dataset, robust: RobustCovariance? = nil) throws {
        let fit = try LinearPredictorFit(model, named: name)
        let covariance = robust?.matrix ?? fit.covariance
        let kept = fit.aliased.indices.filter { !fit.aliased[$0] }
        let base = try model.preprocessing.inputs(data, schema: model.schema, rows: 0 ..< data.rowCount, onesColumn: fit.hasIntercept)
        let usable = base.usable.indices.filter { base.usable[$0] }
        guard !usable.isEmpty else { throw ModelshError.data("no row of the data has every feature of '\(name)', so there is nothing to average over") }
        // The mean prediction over the usable rows of `changed` data, and its gradient in the kept coefficients.
        func meanPrediction(_ changed: Dataset) throws -> (value: Double, gradient: [Double]) {
            let inputs = try model.preprocessing.inputs(changed, schema: model.schema, rows: 0 ..< changed.rowCount, onesColumn: fit.hasIntercept)
            var value = 0.0, gradient = [Double](repeating: 0, count: kept.count)
            for i in usable {
                var eta = inputs.offset?[i] ?? 0
                for j in kept { eta += inputs.designColumns.columns[j][i] * fit.estimates[j] }
                let (mean, slope) = fit.response(eta)
                value += mean
                for (position, j) in kept.enumerated() { gradient[position] += slope * inputs.designColumns.columns[j][i] }
            }
            let n = Double(usable.count)
            return (value / n, gradient.map { $0 / n })
        }
        func effect(_ feature: String, level: String?, from low: Dataset, to high: Dataset, over width: Double) throws -> Effect {
            let (a, b) = (try meanPrediction(low), try meanPrediction(high))
            let gradient = zip(b.gradient, a.gradient).map { ($0 - $1) / width }
            var variance = 0.0
            for r in gradient.indices { for c in gradient.indices { variance += gradient[r] * covariance[r * kept.count + c] * gradient[c] } }
            return Effect(feature: feature, level: level, estimate: (b.value - a.value) / width, standardError: max(variance, 0).squareRoot())
        }
        var effects: [Effect] = []
        for (index, feature) in model.schema.features.enumerated() {
            try Interruption.check()
            let column = try FeatureInput.column(feature.name, in: data)
            if let levels = feature.levels {
                let set = { (level: Int) in try data.adding(.categorical(feature.name, codes: [Int](repeating: level, count: data.rowCount), levels: levels)) }
                let reference = try set(0)
                for level in levels.indices.dropFirst() {
                    effects.append(try effect(feature.name, level: levels[level], from: reference, to: try set(level), over: 1))
                }
            } else if feature.type == .boolean {
                let set = { (value: Double) in try data.adding(.numeric(feature.name, [Double](repeating: value, count: data.rowCount), type: .boolean)) }
                effects.append(try effect(feature.name, level: "true", from: try set(0), to: try set(1), over: 1))
            } else {
                guard case .numbers(let values) = base.features[index] else { continue }
                let used = usable.map { values[$0] }
                let mean = used.reduce(0, +) / Double(used.count)
                let spread = (used.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(used.count)).squareRoot()
                let step = 1e-5 * (spread > 0 ? spread : max(abs(mean), 1))
                guard let original = column.numbers else { continue }
                let shifted = { (by: Double) in try data.adding(.numeric(feature.name, original.map { $0 + by })) }
                effects.append(try effect(feature.name, level: nil, from: try shifted(-step), to: try shifted(step), over: 2 * step))
            }
        }
        self.effects = effects
        response = fit.responseName
        rows = usable.count
        residualDegreesOfFreedom = fit.residualDegreesOfFreedom
    }
}

/// What average marginal effects need of a fit whose prediction is a function of a linear
/// predictor: its estimates, which are aliased, their covariance (over the estimated ones),
/// and the prediction and its slope at η.
private struct LinearPredictorFit {
    let estimates: [Double]
    let aliased: [Bool]
    let covariance: [Double]
    let hasIntercept: Bool
    let residualDegreesOfFreedom: Int?
    let responseName: String
    let response: @Sendable (Double) -> (mean: Double, slope: Double)

    init(_ model: Model, named name: String) throws {
        let target = model.schema.target?.name ?? ""
        switch model.state {
        case let linear as LinearRegression.Learned:
            let variance = linear.residualSumOfSquares / Double(linear.residualDegreesOfFreedom)
            (estimates, aliased, hasIntercept) = (linear.estimates, linear.aliased, linear.hasIntercept)
            covariance = linear.unscaledCovariance.map { $0 * variance }
            residualDegreesOfFreedom = linear.residualDegreesOfFreedom
            responseName = target
            response = { eta in (eta, 1) }
        case let logistic as LogisticState where logistic.modelledClasses.count == 1 && logistic.standardErrors != nil:
            guard let covariance = logistic.covariance else {
                throw ModelshError.usage("'\(name)' keeps no covariance (it was updated, or saved by an older modelsh), so its effects have no standard errors; fit it again", argument: name)
            }
            (estimates, aliased, hasIntercept, self.covariance) = (logistic.coefficients[0], logistic.aliased, logistic.hasIntercept, covariance)
            residualDegreesOfFreedom = nil
            responseName = "P(\(target) = '\(TerminalText.escaped(model.schema.classes[1]))')"
            response = { eta in
                let p = 1 / (1 + exp(-eta))
                return (p, p * (1 - p))
            }
        case let poisson as PoissonState:
            (estimates, aliased, hasIntercept) = (poisson.coefficients, poisson.aliased, poisson.hasIntercept)
            covariance = poisson.unscaledCovariance.map { $0 * (poisson.dispersion ?? 1) }
            residualDegreesOfFreedom = nil
            responseName = "the expected \(target)"
            response = { eta in (exp(eta), exp(eta)) }
        default:
            throw ModelshError.usage("average marginal effects are for linear, unpenalised binary logistic and Poisson models; '\(name)' is \(model.state is LogisticState ? "a penalised or multinomial logistic" : "a \(model.kind)") model", argument: name)
        }
    }
}
