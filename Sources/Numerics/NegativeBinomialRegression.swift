import Diagnostics
import Foundation

/// Negative binomial regression as MASS's `glm.nb` computes it (log link): a Poisson fit first,
/// then, in turn, θ by maximum likelihood at the current means (`theta.ml`: Newton steps on the
/// score with digamma and trigamma) and the IRLS fit of the negative binomial family with that
/// θ started from the current means, until the log-likelihood and θ settle
/// (|ΔL|/√(2 max(1, df)) + |Δθ| < ε). Counts whose variance grows as μ + μ²/θ: the usual model
/// of over-dispersed counts, with a likelihood (so an AIC) where quasi-Poisson has none.
/// With θ given it is one fit of MASS's `negative.binomial(theta)` family, as
/// `glm(family = negative.binomial(θ))`.
public enum NegativeBinomialRegression {
    public struct Fit: Sendable, Equatable {
        /// The last IRLS fit, with θ = `familyTheta`.
        public let glm: PoissonRegression.Fit
        public let theta: Double
        /// The θ of the last IRLS fit's family: the estimate before the last, as glm.nb's
        /// `fit$family` holds it (and MASS's anova and profiles use); `theta` when given.
        public let familyTheta: Double
        /// √(1/information) of θ's estimate; nil when θ was given.
        public let thetaStandardError: Double?
        /// 2 log L at θ and the fitted means (glm.nb's twologlik).
        public let twiceLogLikelihood: Double
        /// −2 log L + 2 (rank + 1) with θ estimated, + 2 rank with θ given.
        public let aic: Double
        /// The null deviance under the final θ (with an offset and an intercept, of the
        /// intercept-only fit with the offset, as glm.nb refits it).
        public let nullDeviance: Double
        /// R's warnings: theta.ml's and glm.fit's, and "alternation limit reached".
        public let warnings: [String]
    }

    /// The fit of counts `y` on `x` (with its column of ones when the model has an intercept).
    public static func fit(_ x: Matrix, _ y: [Double], hasIntercept: Bool, priorWeights: [Double]? = nil, offset: [Double]? = nil,
                           theta givenTheta: Double? = nil, epsilon: Double = LogisticRegression.glmEpsilon,
                           maxIterations: Int = LogisticRegression.glmMaxIterations) throws -> Fit {
        let weights = priorWeights ?? [Double](repeating: 1, count: y.count)
        if let theta = givenTheta {
            let fit = try PoissonRegression.fit(x, y, hasIntercept: hasIntercept, family: .negativeBinomial(theta: theta), priorWeights: priorWeights,
                                                offset: offset, epsilon: epsilon, maxIterations: maxIterations)
            let null = try PoissonRegression.reportedNullDeviance(of: fit, y, family: .negativeBinomial(theta: theta), hasIntercept: hasIntercept,
                                                                  priorWeights: priorWeights, offset: offset, etaStart: nil)
            return Fit(glm: fit, theta: theta, familyTheta: theta, thetaStandardError: nil, twiceLogLikelihood: 2 * logLikelihood(theta, fit.fitted, y, weights),
                       aic: fit.aic, nullDeviance: null.deviance, warnings: fit.warnings + [null.warning].compactMap { $0 })
        }
        var fit = try PoissonRegression.fit(x, y, hasIntercept: hasIntercept, priorWeights: priorWeights, offset: offset,
                                            epsilon: epsilon, maxIterations: maxIterations)
        var mu = fit.fitted
        var estimate = try thetaML(y, mu, weights, limit: maxIterations)
        let scale = (2 * Double(max(1, fit.residualDegreesOfFreedom))).squareRoot()
        var change = 1.0
        var logL = logLikelihood(estimate.theta, mu, y, weights)
        var previousLogL = logL + 2 * scale
        var alternations = 0, familyTheta = estimate.theta
        while alternations < maxIterations, abs(previousLogL - logL) / scale + abs(change) > epsilon {
            try Interruption.check()
            alternations += 1
            fit = try PoissonRegression.fit(x, y, hasIntercept: hasIntercept, family: .negativeBinomial(theta: estimate.theta), priorWeights: priorWeights,
                                            offset: offset, etaStart: mu.map { log($0) }, epsilon: epsilon, maxIterations: maxIterations)
            let before = estimate.theta
            familyTheta = before
            // At the means the fit started from, as glm.nb does.
            estimate = try thetaML(y, mu, weights, limit: maxIterations)
            mu = fit.fitted
            change = before - estimate.theta
            previousLogL = logL
            logL = logLikelihood(estimate.theta, mu, y, weights)
        }
        var warnings = fit.warnings + estimate.warnings
        if alternations >= maxIterations, abs(previousLogL - logL) / scale + abs(change) > epsilon { warnings.append("alternation limit reached") }
        // With an offset and an intercept, under the final θ from the family's start, as glm.nb refits it.
        let null = try PoissonRegression.reportedNullDeviance(of: fit, y, family: .negativeBinomial(theta: estimate.theta), hasIntercept: hasIntercept,
                                                              priorWeights: priorWeights, offset: offset, etaStart: nil)
        if let warning = null.warning { warnings.append(warning) }
        return Fit(glm: fit, theta: estimate.theta, familyTheta: familyTheta, thetaStandardError: estimate.standardError, twiceLogLikelihood: 2 * logL,
                   aic: -2 * logL + 2 * Double(fit.rank) + 2, nullDeviance: null.deviance, warnings: warnings)
    }

    /// MASS's theta.ml: θ maximising the likelihood at the means `mu`, by Newton's method from
    /// the moment estimate n / Σ w (y/μ − 1)², n = Σ w, to steps below ε^¼; its standard error
    /// from the information at the last step.
    /// Throws where the likelihood has no maximum to step to (R's theta.ml stops on a missing
    /// value there): fitted means equal to the counts, or counts all 0.
    static func thetaML(_ y: [Double], _ mu: [Double], _ weights: [Double], limit: Int) throws -> (theta: Double, standardError: Double, warnings: [String]) {
        let n = weights.reduce(0, +)
        var theta = n / zip(zip(y, mu), weights).reduce(0.0) { sum, row in
            let ((count, mean), weight) = row
            return sum + weight * (count / mean - 1) * (count / mean - 1)
        }
        var information = Double.nan
        var iterations = 0, step = 1.0
        let tolerance = pow(Double.ulpOfOne, 0.25)
        while true {
            iterations += 1
            guard iterations < limit, abs(step) > tolerance else { break }
            theta = abs(theta)
            var score = 0.0
            information = 0
            for i in y.indices where weights[i] > 0 {
                let sum = theta + mu[i], ratio = (y[i] + theta) / sum
                score += weights[i] * (SpecialFunctions.digamma(theta + y[i]) - SpecialFunctions.digamma(theta) + log(theta) + 1 - log(sum) - ratio)
                information += weights[i] * (-SpecialFunctions.trigamma(theta + y[i]) + SpecialFunctions.trigamma(theta) - 1 / theta + 2 / sum - ratio / sum)
            }
            step = score / information
            theta += step
            guard theta.isFinite else {
                throw ModelshError.data("the negative binomial's θ has no estimate here (the fitted means equal the counts, or every count is 0), as in MASS's glm.nb; family=poisson fits these counts")
            }
        }
        var warnings: [String] = []
        if theta < 0 {
            theta = 0
            warnings.append("estimate truncated at zero")
        }
        if iterations == limit { warnings.append("iteration limit reached") }
        return (theta, (1 / information).squareRoot(), warnings)
    }

    /// MASS's loglik: Σ w (log Γ(θ + y) − log Γ(θ) − log Γ(y + 1) + θ log θ + y log(μ + [y = 0])
    /// − (θ + y) log(θ + μ)).
    static func logLikelihood(_ theta: Double, _ mu: [Double], _ y: [Double], _ weights: [Double]) -> Double {
        var sum = 0.0
        for i in y.indices where weights[i] > 0 {
            sum += weights[i] * (lgamma(theta + y[i]) - lgamma(theta) - lgamma(y[i] + 1) + theta * log(theta)
                + y[i] * log(mu[i] + (y[i] == 0 ? 1 : 0)) - (theta + y[i]) * log(theta + mu[i]))
        }
        return sum
    }
}
