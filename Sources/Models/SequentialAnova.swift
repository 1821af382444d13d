import Diagnostics
import Numerics

/// R's anova(fit) for one linear model: each term's fall in the residual sum of squares
/// after the terms before it (sequential, type I, sums of squares), its F test against the
/// residual mean square, then the residuals. A categorical feature's indicators make one row,
/// as do an interaction's columns (main effects first, as R orders terms);
/// with poly= each design term is a row of its own, as R lists x, I(x^2) and x:z. Aliased
/// columns bring nothing and count no degree of freedom.
public struct SequentialAnova: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public let term: String
        public let degreesOfFreedom: Int
        public let sumOfSquares: Double
        public var meanSquare: Double { SequentialAnova.meanSquare(sumOfSquares, degreesOfFreedom) }
        /// NaN when no residual degree of freedom remains.
        public let fValue: Double
        public let pValue: Double
    }

    public let rows: [Row]
    public let residualDegreesOfFreedom: Int
    public let residualSumOfSquares: Double
    /// NaN when no residual degree of freedom remains.
    public var residualMeanSquare: Double { Self.meanSquare(residualSumOfSquares, residualDegreesOfFreedom) }

    /// A sum of squares per degree of freedom; NaN without any.
    static func meanSquare(_ sumOfSquares: Double, _ degreesOfFreedom: Int) -> Double {
        degreesOfFreedom > 0 ? sumOfSquares / Double(degreesOfFreedom) : .nan
    }

    public init(_ model: Model, named name: String) throws {
        guard let fit = model.state as? LinearRegression.Learned else {
            throw ModelshError.usage("anova of one model is for linear models, '\(name)' is a \(model.kind) model: anova SMALLER LARGER compares two fits", argument: name)
        }
        let kept = fit.estimates.indices.filter { !fit.aliased[$0] }
        guard let effects = SequentialEffects.effects(unscaledCovariance: fit.unscaledCovariance, estimates: kept.map { fit.estimates[$0] }) else {
            throw ModelshError.data("'\(name)''s design is too close to singular for its sums of squares to be separated")
        }
        // The design terms after the intercept, named as rows: by model term (a feature, or an
        // interaction's), or one per design column with poly=.
        let offset = fit.hasIntercept ? 1 : 0
        let rowNames = model.preprocessing.settings.degree == 1 ? model.preprocessing.termLabels(model.schema) : Array(fit.terms.dropFirst(offset))
        guard rowNames.count == fit.terms.count - offset else {
            throw ModelshError.data("'\(name)''s terms do not match its features (\(fit.terms.count - offset) terms, \(rowNames.count) names)")
        }
        var order: [String] = [], sums: [String: (df: Int, ss: Double)] = [:]
        for (position, index) in kept.enumerated() where index >= offset {
            let row = rowNames[index - offset]
            if sums[row] == nil { order.append(row) }
            sums[row, default: (0, 0)].df += 1
            sums[row, default: (0, 0)].ss += effects[position] * effects[position]
        }
        residualDegreesOfFreedom = fit.residualDegreesOfFreedom
        residualSumOfSquares = fit.residualSumOfSquares
        let residualMeanSquare = Self.meanSquare(fit.residualSumOfSquares, fit.residualDegreesOfFreedom)
        rows = order.map { term in
            let (df, ss) = sums[term]!
            let f = Self.meanSquare(ss, df) / residualMeanSquare
            return Row(term: term, degreesOfFreedom: df, sumOfSquares: ss, fValue: f,
                       pValue: FDistribution.upperTail(f, numerator: Double(df), denominator: Double(fit.residualDegreesOfFreedom)))
        }
    }
}
