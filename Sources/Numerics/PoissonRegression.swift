import Diagnostics
import Foundation

/// Poisson regression with the log link as R's `glm(family = poisson)` computes it (glm.fit and
/// the poisson family, src/library/stats/R/family.R), so the iterates, stopping point, aliased
/// columns and every printed figure are R's: start from μ = y + 0.1, regress the working
/// response z = η + (y − μ)/μ on X with weights w·μ by pivoted QR (R's rank rule, tolerance
/// min(1e-7, ε/1000)), stop when |dev − dev_old| / (|dev| + 0.1) < ε, halving a step whose
/// deviance is not finite. μ = max(e^η, machine ε), as R's inverse link. With
/// `family: .negativeBinomial(theta:)` the same IRLS fits MASS's `negative.binomial(θ)` family
/// (variance μ + μ²/θ, its start, deviance and AIC), which `NegativeBinomialRegression` alternates
/// with estimating θ.
public enum PoissonRegression {
    /// The families fitted with the log link: the variance is μ (Poisson) or μ + μ²/θ (the
    /// negative binomial with a known θ, MASS's `negative.binomial(theta)`).
    public enum Family: Sendable, Equatable {
        case poisson
        case negativeBinomial(theta: Double)

        func variance(_ mu: Double) -> Double {
            switch self {
            case .poisson: mu
            case .negativeBinomial(let theta): mu + mu * mu / theta
            }
        }

        /// R's `mustart` from `initialize`: y + 0.1, or y + 1/6 where y = 0.
        func start(_ y: Double) -> Double {
            switch self {
            case .poisson: y + 0.1
            case .negativeBinomial: y == 0 ? 1.0 / 6 : y
            }
        }

        /// R's dev.resids for one row of weight 1: 2 (y log(y/μ) − (y − μ)), or
        /// 2 (y log(max(1, y)/μ) − (y + θ) log((y + θ)/(μ + θ))), with y log(·) = 0 at y = 0
        /// (where R's negative binomial gives NaN for a μ of 0, a null model of zero counts).
        /// Never below 0, which only rounding reaches, at an exact fit.
        func deviance(_ y: Double, _ mu: Double) -> Double {
            let count: Double = y == 0 ? 0 : y * log(self == .poisson ? y / mu : max(1, y) / mu)
            return switch self {
            case .poisson: max(0, 2 * (count - (y - mu)))
            case .negativeBinomial(let theta): max(0, 2 * (count - (y + theta) * log((y + theta) / (mu + theta))))
            }
        }

        /// −2 log P(y; μ) for one row of weight 1 (R's family `aic` term); +∞ for a count that
        /// is not whole under the Poisson (dpois gives 0).
        func minusTwiceLogProbability(_ y: Double, _ mu: Double) -> Double {
            switch self {
            case .poisson:
                guard y.rounded() == y else { return .infinity }
                return -2 * (y * log(mu) - mu - lgamma(y + 1))
            case .negativeBinomial(let theta):
                let countTerm: Double = y == 0 ? 0 : y * log(mu)
                let gammas: Double = lgamma(y + 1) + lgamma(theta) - lgamma(theta + y)
                return 2 * ((y + theta) * log(mu + theta) - countTerm - theta * log(theta) + gammas)
            }
        }
    }

    public struct Fit: Sendable, Equatable {
        /// One per design column; NaN where aliased (R's NA).
        public let coefficients: [Double]
        public let aliased: [Bool]
        public let rank: Int
        /// From the last weighted QR (dispersion 1); NaN where aliased.
        public let standardErrors: [Double]
        /// (XᵀWX)⁻¹ over the non-aliased columns in their order (rank × rank), R's `vcov`.
        public let unscaledCovariance: Matrix
        public let deviance: Double
        public let residualDegreesOfFreedom: Int
        /// R's glm.fit's: of μ = the weighted mean count with an intercept, of μ = e^offset
        /// without (`reportedNullDeviance` is glm's with an offset and an intercept).
        public let nullDeviance: Double
        public let nullDegreesOfFreedom: Int
        /// −2 Σ w log P(y; μ) + 2·rank; +∞ when a count is not whole (R's dpois gives 0).
        public let aic: Double
        public let iterations: Int
        public let converged: Bool
        public let fitted: [Double]
        /// η = Xb (+ the offset) at the solution.
        public let linearPredictor: [Double]
        /// The last iteration's working weights, w·μ′²/μ at the μ it started from (R's
        /// `fit$weights`, which summary.glm's dispersion takes).
        public let workingWeights: [Double]
        /// R's warnings: "algorithm did not converge", "fitted rates numerically 0 occurred".
        public let warnings: [String]
    }

    /// The fit of the counts `y` (each ≥ 0) on `x` (with its column of ones when the model has
    /// an intercept), each row weighted by `priorWeights` (≥ 0, not all 0) when given; with an
    /// `offset` added to every linear predictor and a start for η, R's glm.fit with `offset =`
    /// and `etastart =` (as profiling the likelihood calls it).
    public static func fit(_ x: Matrix, _ y: [Double], hasIntercept: Bool, family: Family = .poisson, priorWeights: [Double]? = nil,
                           offset: [Double]? = nil, etaStart: [Double]? = nil,
                           epsilon: Double = LogisticRegression.glmEpsilon, maxIterations: Int = LogisticRegression.glmMaxIterations) throws -> Fit {
        let n = x.rows
        precondition(y.count == n, "y must have one value per row of X")
        guard n > 0 else { throw ModelshError.data("Poisson regression needs at least one row") }
        guard y.allSatisfy({ $0 >= 0 && $0.isFinite }) else { throw ModelshError.data("Poisson regression needs counts ≥ 0") }
        let weights = priorWeights ?? [Double](repeating: 1, count: n)
        var eta = etaStart ?? y.map { log(family.start($0)) }
        let offset = offset ?? [Double](repeating: 0, count: n)
        // The linear predictor of coefficients b, offset included.
        func predictor(_ b: [Double]) -> [Double] { zip(product(x, b), offset).map { $0 + $1 } }
        var mu = eta.map(inverseLink)
        var previous = deviance(y, mu, weights, family: family)
        var coefficients: [Double]? = nil
        var last: LeastSquaresFit?
        var workingWeights = [Double](repeating: 0, count: n)
        var iterations = 0, converged = false
        while iterations < maxIterations {
            try Interruption.check()
            iterations += 1
            var roots = [Double](repeating: 0, count: n), response = roots
            for i in 0 ..< n {
                let derivative = inverseLink(eta[i])  // dμ/dη = e^η, held at ε as μ is
                roots[i] = (weights[i] * derivative * derivative / family.variance(mu[i])).squareRoot()
                response[i] = (eta[i] - offset[i] + (y[i] - mu[i]) / derivative) * roots[i]
            }
            workingWeights = roots.map { $0 * $0 }
            let scaled = Matrix(rows: n, columns: (0 ..< x.columns).map { j in zip(x.column(j), roots).map { $0 * $1 } })
            let fit = try QRLeastSquares.fit(scaled, response, tolerance: min(1e-7, epsilon / 1000))
            var next = fit.coefficients.map { $0.isNaN ? 0 : $0 }
            eta = predictor(next)
            mu = eta.map(inverseLink)
            var current = deviance(y, mu, weights, family: family)
            // R halves a step whose deviance is not finite, back towards the last coefficients.
            var halvings = 0
            while !current.isFinite, let old = coefficients {
                halvings += 1
                guard halvings <= maxIterations else {
                    throw ModelshError.data("Poisson regression: no valid set of coefficients has been found (the rates overflow); rescale the features")
                }
                next = zip(next, old).map { ($0 + $1) / 2 }
                eta = predictor(next)
                mu = eta.map(inverseLink)
                current = deviance(y, mu, weights, family: family)
            }
            guard current.isFinite else {
                throw ModelshError.data("Poisson regression: the first step's rates overflow; rescale the features")
            }
            coefficients = next
            last = fit
            converged = abs(current - previous) / (abs(current) + 0.1) < epsilon
            previous = current
            if converged { break }
        }
        let fit = last!
        let reported = zip(coefficients!, fit.aliased).map { $1 ? .nan : $0 }
        let standardErrors = LogisticRegression.spread(LogisticRegression.diagonalRoots(fit.unscaledCovariance), over: fit.aliased)
        let counted = weights.filter { $0 > 0 }.count
        let total = weights.reduce(0, +)
        let mean = hasIntercept ? zip(weights, y).reduce(0) { $0 + $1.0 * $1.1 } / total : .nan
        let minusTwiceLogLikelihood = zip(zip(y, mu), weights).reduce(0.0) { sum, row in
            let ((count, rate), weight) = row
            return weight > 0 ? sum + weight * family.minusTwiceLogProbability(count, rate) : sum
        }
        var warnings = converged ? [] : ["algorithm did not converge"]
        if family == .poisson, mu.contains(where: { $0 < 10 * Double.ulpOfOne }) { warnings.append("fitted rates numerically 0 occurred") }
        return Fit(coefficients: reported, aliased: fit.aliased, rank: fit.rank, standardErrors: standardErrors,
                   unscaledCovariance: fit.unscaledCovariance, deviance: previous,
                   residualDegreesOfFreedom: counted - fit.rank,
                   nullDeviance: deviance(y, hasIntercept ? [Double](repeating: mean, count: n) : offset.map(inverseLink), weights, family: family),
                   nullDegreesOfFreedom: counted - (hasIntercept ? 1 : 0), aic: minusTwiceLogLikelihood + 2 * Double(fit.rank),
                   iterations: iterations, converged: converged, fitted: mu, linearPredictor: eta, workingWeights: workingWeights, warnings: warnings)
    }

    /// The null deviance R reports for `fit` (of `y` with `family`): glm.fit's, or, with an
    /// offset and an intercept, the deviance of the intercept-only fit with the same offset, as
    /// glm (started from `etaStart`, its `mustart`) and glm.nb (from the family's start) fit it
    /// again; with R's warning when that fit does not converge.
    public static func reportedNullDeviance(of fit: Fit, _ y: [Double], family: Family, hasIntercept: Bool, priorWeights: [Double]?,
                                            offset: [Double]?, etaStart: [Double]?) throws -> (deviance: Double, warning: String?) {
        guard let offset, hasIntercept else { return (fit.nullDeviance, nil) }
        let ones = Matrix(rows: y.count, columns: [[Double](repeating: 1, count: y.count)])
        let null = try self.fit(ones, y, hasIntercept: true, family: family, priorWeights: priorWeights, offset: offset, etaStart: etaStart)
        return (null.deviance, null.converged ? nil : "fitting to calculate the null deviance did not converge -- increase 'maxit'?")
    }

    /// R's poisson()$linkinv: e^η, no smaller than machine ε.
    public static func inverseLink(_ eta: Double) -> Double {
        max(exp(eta), Double.ulpOfOne)
    }

    /// Σ w · the family's deviance of each row (R's dev.resids summed).
    static func deviance(_ y: [Double], _ mu: [Double], _ weights: [Double], family: Family = .poisson) -> Double {
        var total = 0.0
        for i in y.indices where weights[i] > 0 {
            total += weights[i] * family.deviance(y[i], mu[i])
        }
        return total
    }
}
