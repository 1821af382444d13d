import Foundation
import Numerics

/// The inference R's summary.lm computes from a linear fit: standard errors, t tests, the
/// residual standard error, R², adjusted R² and the overall F test; also R's logLik, AIC,
/// BIC and confint. NaN marks what is not
/// defined (aliased terms; everything that needs σ when no residual degrees of freedom remain).
public struct LinearInference: Sendable, Equatable {
    public struct Coefficient: Sendable, Equatable {
        public let term: String
        /// NaN (R's NA) for an aliased term, as are its other figures.
        public let estimate: Double
        public let standardError: Double
        public let tValue: Double
        /// Two-sided, on the residual degrees of freedom.
        public let pValue: Double
        public let aliased: Bool
    }

    /// The overall F test of every term but the intercept against the intercept-only model
    /// (against the empty model when there is no intercept, with R² uncentred, as R does).
    public struct FTest: Sendable, Equatable {
        public let statistic: Double
        public let numeratorDegreesOfFreedom: Int
        public let denominatorDegreesOfFreedom: Int
        public let pValue: Double
    }

    public let coefficients: [Coefficient]
    public let residualStandardError: Double
    public let residualDegreesOfFreedom: Int
    /// nil when the model has no terms besides the intercept (R prints no R² or F then).
    public let rSquared: Double?
    public let adjustedRSquared: Double?
    public let fTest: FTest?
    /// The Gaussian log-likelihood at the estimates (σ² by maximum likelihood, RSS/n), as R's
    /// logLik.lm; it counts rank + 1 parameters (the coefficients and σ).
    public let logLikelihood: Double
    public let parameterCount: Int
    public var aic: Double { -2 * logLikelihood + 2 * Double(parameterCount) }
    public var bic: Double { -2 * logLikelihood + log(Double(observations)) * Double(parameterCount) }
    private let observations: Int

    /// `robust`: standard errors from that covariance, t tests on the residual degrees of
    /// freedom as lmtest::coeftest takes them, and the F test the Wald test of every term but
    /// the intercept (lmtest::waldtest; Stata's F after vce(robust)).
    init(_ learned: LinearRegression.Learned, robust: RobustCovariance? = nil) {
        let df = learned.residualDegreesOfFreedom
        let variance = learned.residualSumOfSquares / Double(df)
        let k = learned.rank
        var position = 0  // index among the non-aliased terms, which index the covariance
        var coefficients: [Coefficient] = []
        for (term, (estimate, aliased)) in zip(learned.terms, zip(learned.estimates, learned.aliased)) {
            if aliased {
                coefficients.append(Coefficient(term: term, estimate: .nan, standardError: .nan, tValue: .nan, pValue: .nan, aliased: true))
                continue
            }
            let standardError = (robust.map { $0.matrix[position * k + position] } ?? learned.unscaledCovariance[position * k + position] * variance).squareRoot()
            position += 1
            let t = estimate / standardError
            coefficients.append(Coefficient(term: term, estimate: estimate, standardError: standardError, tValue: t,
                                            pValue: StudentT.twoSidedPValue(t, degreesOfFreedom: Double(df)), aliased: false))
        }
        self.coefficients = coefficients
        residualStandardError = variance.squareRoot()
        residualDegreesOfFreedom = df
        let n = Double(learned.observations)
        observations = learned.observations
        // With weights R adds ½ Σ log w (logLik.lm); the sum of squares is then the weighted one.
        logLikelihood = (learned.logWeightSum ?? 0) / 2 - n / 2 * (log(2 * Double.pi) + 1 - log(n) + log(learned.residualSumOfSquares))
        parameterCount = k + 1

        let interceptDF = learned.hasIntercept ? 1 : 0
        let numeratorDF = k - interceptDF
        guard numeratorDF > 0 else {
            (rSquared, adjustedRSquared, fTest) = (nil, nil, nil)
            return
        }
        let mss = learned.modelSumOfSquares, rss = learned.residualSumOfSquares
        let r2 = mss / (mss + rss)
        rSquared = r2
        adjustedRSquared = 1 - (1 - r2) * (Double(learned.observations - interceptDF) / Double(df))
        let f = robust.map { Self.waldF($0, of: learned, testing: numeratorDF) } ?? (mss / Double(numeratorDF)) / variance
        fTest = FTest(statistic: f, numeratorDegreesOfFreedom: numeratorDF, denominatorDegreesOfFreedom: df,
                      pValue: FDistribution.upperTail(f, numerator: Double(numeratorDF), denominator: Double(df)))
    }
}

extension LinearInference {
    /// The Wald F of the estimated coefficients after the intercept under `robust`'s covariance (over
    /// the estimated coefficients, row-major): NaN when that covariance is singular.
    private static func waldF(_ robust: RobustCovariance, of learned: LinearRegression.Learned, testing count: Int) -> Double {
        // G clusters' scores sum to XᵀWe = 0, so a clustered covariance has rank G − 1 at most
        // (Stata then reports no F either).
        if let clusters = robust.clusters, clusters - 1 < count { return .nan }
        let covariance = robust.matrix, k = learned.rank, first = k - count
        let estimates = learned.estimates.indices.filter { !learned.aliased[$0] }.map { learned.estimates[$0] }
        let block = (first ..< k).flatMap { i in (first ..< k).map { j in covariance[i * k + j] } }
        return (SandwichCovariance.waldStatistic(Array(estimates[first...]), covariance: block) ?? .nan) / Double(count)
    }
}

extension LinearRegression.Learned {
    public var inference: LinearInference { LinearInference(self) }

    /// The inference with standard errors from `robust` when given.
    public func inference(robust: RobustCovariance?) -> LinearInference { LinearInference(self, robust: robust) }
}
