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
}

extension LinearRegression.Learned {
    public func coefficientEstimates(in model: Model) -> [CoefficientEstimates] {
        [CoefficientEstimates(group: nil, terms: terms, estimates: coefficients, standardErrors: inference.coefficients.map(\.standardError))]
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
