import Diagnostics
import Foundation

/// Logistic regression engines: the unpenalised binary fit exactly as R's
/// `glm(family = binomial)` computes it (here), penalised binary fits matching scikit-learn
/// (PenalizedLogistic.swift) and the multinomial fit (MultinomialLogistic.swift).
///
/// Designs. `fitBinary` and `fitMultinomial` take R's model matrix: when the model has an
/// intercept, column 0 is the column of ones and `hasIntercept` says so. `fitPenalizedBinary`
/// takes the features alone and adds (and leaves unpenalised) an intercept itself when
/// `fitIntercept` is set, as scikit-learn does.
///
/// Responses are 0/1 for binary fits, class indices 0 ..< K for multinomial ones.
public enum LogisticRegression {
    /// Conditions R's glm.fit warns about, kept as data for the caller to show.
    public enum Warning: String, Sendable, Equatable, CaseIterable {
        /// The iteration limit was reached before the deviance settled.
        case didNotConverge = "algorithm did not converge"
        /// Some fitted probability is within 10·ε of 0 or 1: the classes are (quasi-)completely
        /// separated, so some coefficients run off to ±∞ and their standard errors are meaningless.
        case fittedProbabilitiesZeroOrOne = "fitted probabilities numerically 0 or 1 occurred"
        /// Prior weights that make a row's count of successes w·y not a whole number.
        case nonIntegerSuccesses = "non-integer #successes in a binomial glm!"
        /// With an offset, the intercept-only fit for the null deviance did not settle.
        case nullDevianceDidNotConverge = "fitting to calculate the null deviance did not converge -- increase 'maxit'?"
    }

    /// The result of `fitBinary`, with the fields R's `summary.glm` prints.
    public struct BinaryFit: Sendable, Equatable {
        /// One per design column; NaN where aliased (R's NA).
        public let coefficients: [Double]
        /// True for columns that are (numerically) linear combinations of earlier columns.
        public let aliased: [Bool]
        public let rank: Int
        /// From the unscaled covariance (dispersion 1); NaN where aliased. Likewise below.
        public let standardErrors: [Double]
        public let zValues: [Double]
        /// Two-sided, from the standard normal distribution.
        public let pValues: [Double]
        /// (XᵀWX)⁻¹ of the final weighted fit, restricted to the non-aliased columns in their
        /// original order (rank × rank): the coefficients' covariance, as R's `vcov`.
        public let unscaledCovariance: Matrix
        public let deviance: Double
        public let residualDegreesOfFreedom: Int
        /// The deviance of the intercept-only model (of p = ½ for every row without intercept).
        public let nullDeviance: Double
        public let nullDegreesOfFreedom: Int
        /// Deviance + 2·rank, as R's for 0/1 responses (with prior weights, the deviance with
        /// each weight rounded, as R's binomial AIC).
        public let aic: Double
        /// Fisher scoring iterations, as R's `iter`.
        public let iterations: Int
        public let converged: Bool
        public let fittedProbabilities: [Double]
        public let warnings: [Warning]
        /// XᵀWX at the coefficients (`information`'s matrix with no ridge), when asked for and
        /// the last step was by normal equations, whose last pass over X computed it.
        public let information: Matrix?
    }

    /// The convergence tolerance and iteration limit of R's `glm.control()`.
    public static let glmEpsilon = 1e-8
    public static let glmMaxIterations = 25

    /// Iteratively reweighted least squares as R's `glm.fit` does it for the binomial family
    /// with the logit link, so the iterates, the stopping point and the aliased columns are R's:
    /// start from μ = (y + ½)/2, regress the working response z = η + (y − μ)/μ′(η) on X with
    /// weights μ′(η)²/V(μ) by pivoted QR (R's rank rule, tolerance min(1e-7, ε/1000)), stop when
    /// |dev − dev_old| / (|dev| + 0.1) < ε. Standard errors come from the QR of the last
    /// weighted fit, as `summary.glm` takes them.
    ///
    /// Large designs (n·p² ≥ 2²⁵, e.g. a million rows of 6 columns) solve each step by a
    /// Cholesky factorisation of XᵀWX instead of the QR of √W X: BLAS level 3 instead of 2,
    /// and one pass over X per iteration (see `BinaryIRLS.iterateByNormalEquations`). The
    /// steps after the first solve for the increment, so the converged coefficients are as
    /// accurate as the QR's (tests force this path on the reference data: R's values to 1e-9).
    /// When XᵀWX is too ill-conditioned for it (rank deficient or nearly), the QR takes over.
    ///
    /// Throws `.data` when y is not 0/1 or X holds a non-finite value; Ctrl-C is checked once
    /// per iteration and every 64k rows of the passes over large designs.
    /// `wantsInformation`: keep XᵀWX at the coefficients when the last pass computes it anyway.
    public static func fitBinary(_ x: Matrix, _ y: [Double], hasIntercept: Bool,
                                 epsilon: Double = glmEpsilon, maxIterations: Int = glmMaxIterations,
                                 wantsInformation: Bool = false) throws -> BinaryFit {
        try fitBinary(x, y, hasIntercept: hasIntercept, epsilon: epsilon, maxIterations: maxIterations,
                      normalEquationsFromWork: normalEquationsWork, wantsInformation: wantsInformation)
    }

    /// `fitBinary` of a design held as columns, read where they lie; `priorWeights` (each ≥ 0,
    /// not all 0) make it R's glm with `weights =`, and an `offset` R's glm with `offset()`.
    public static func fitBinary(_ x: DesignColumns, _ y: [Double], hasIntercept: Bool, priorWeights: [Double]? = nil, offset: [Double]? = nil,
                                 epsilon: Double = glmEpsilon, maxIterations: Int = glmMaxIterations,
                                 wantsInformation: Bool = false) throws -> BinaryFit {
        try x.withPointers {
            try fitBinary($0, y, hasIntercept: hasIntercept, priorWeights: priorWeights, offset: offset, epsilon: epsilon, maxIterations: maxIterations,
                          normalEquationsFromWork: normalEquationsWork, wantsInformation: wantsInformation, knownFinite: x.knownFinite)
        }
    }

    /// Rows × columns² from which the steps are by normal equations.
    static let normalEquationsWork = 33_554_432.0

    /// `fitBinary` solving by normal equations once rows × columns² reaches the given work
    /// (tests lower it to check that path against R on small data).
    static func fitBinary(_ x: Matrix, _ y: [Double], hasIntercept: Bool, epsilon: Double, maxIterations: Int,
                          normalEquationsFromWork: Double, wantsInformation: Bool = false) throws -> BinaryFit {
        try x.withColumnPointers {
            try fitBinary($0, y, hasIntercept: hasIntercept, epsilon: epsilon, maxIterations: maxIterations,
                          normalEquationsFromWork: normalEquationsFromWork, wantsInformation: wantsInformation)
        }
    }

    static func fitBinary(_ x: ColumnPointers, _ y: [Double], hasIntercept: Bool, priorWeights: [Double]? = nil, offset: [Double]? = nil,
                          epsilon: Double, maxIterations: Int, normalEquationsFromWork: Double, wantsInformation: Bool,
                          knownFinite: Bool = false) throws -> BinaryFit {
        try validateBinary(rows: x.rows, y)
        if !knownFinite { try validateFinite(x) }
        precondition(epsilon > 0 && maxIterations > 0, "glm control values must be positive")
        precondition(priorWeights.map { $0.count == y.count && $0.allSatisfy { $0 >= 0 } && $0.contains { $0 > 0 } } ?? true,
                     "prior weights are one per row, ≥ 0 and not all 0")
        let n = x.rows
        try Interruption.check()  // the checks and the start are passes over every row
        var irls = BinaryIRLS(x, y, priorWeights: priorWeights, offset: offset, epsilon: epsilon, maxIterations: maxIterations,
                              wantsFinalInformation: wantsInformation)
        try Interruption.check()
        // The normal-equations kernels take neither prior weights nor an offset.
        if priorWeights == nil, offset == nil, Double(n) * Double(x.count * x.count) >= normalEquationsFromWork { try irls.iterateByNormalEquations() }
        try irls.iterateByQR()
        let last = irls.step!
        let reported = zip(last.coefficients, last.aliased).map { $1 ? .nan : $0 }
        let standardErrors = spread(diagonalRoots(last.unscaledCovariance), over: last.aliased)
        let (zValues, pValues) = waldTests(reported, standardErrors)
        let tolerance = 10 * Double.ulpOfOne
        var warnings: [Warning] = irls.converged ? [] : [.didNotConverge]
        if irls.mu.contains(where: { $0 > 1 - tolerance || $0 < tolerance }) { warnings.append(.fittedProbabilitiesZeroOrOne) }
        var (nullDeviance, observations, aic): (Double, Int, Double)
        if let priorWeights {
            // R: the null model's μ is the weighted mean of y; rows of weight 0 are no
            // observations; the AIC is binomial()$aic, −2 Σ log dbinom(round(w·y), round(w), μ),
            // which for a 0/1 y is the deviance with each weight rounded.
            let total = priorWeights.reduce(0, +)
            let mean = hasIntercept ? zip(priorWeights, y).reduce(0) { $0 + $1.0 * $1.1 } / total : 0.5
            nullDeviance = Binomial.deviance(y, [Double](repeating: mean, count: n), priorWeights: priorWeights)
            observations = priorWeights.filter { $0 > 0 }.count
            aic = Binomial.deviance(y, irls.mu, priorWeights: priorWeights.map { $0.rounded() }) + 2 * Double(last.rank)
            if zip(priorWeights, y).contains(where: { abs($0 * $1 - ($0 * $1).rounded()) > 0.001 }) { warnings.append(.nonIntegerSuccesses) }
        } else {
            nullDeviance = Binomial.constantDeviance(y, hasIntercept ? y.reduce(0, +) / Double(n) : 0.5)
            (observations, aic) = (n, irls.deviance + 2 * Double(last.rank))
        }
        if let offset {
            // R's glm: without an intercept the null model is μ = logistic(offset); with one, the
            // intercept-only fit with the same offset, started from the full fit's means.
            if hasIntercept {
                var ones = [Double](repeating: 1, count: n)
                nullDeviance = try ones.withUnsafeMutableBufferPointer { column in
                    var null = BinaryIRLS(ColumnPointers(rows: n, columns: [UnsafePointer(column.baseAddress!)]), y, priorWeights: priorWeights,
                                          offset: offset, etaStart: irls.mu.map { log($0 / (1 - $0)) }, epsilon: epsilon, maxIterations: maxIterations)
                    try null.iterateByQR()
                    if !null.converged { warnings.append(.nullDevianceDidNotConverge) }
                    return null.deviance
                }
            } else {
                nullDeviance = Binomial.deviance(y, offset.map(Binomial.inverseLink), priorWeights: priorWeights)
            }
        }
        return BinaryFit(coefficients: reported, aliased: last.aliased, rank: last.rank, standardErrors: standardErrors,
                         zValues: zValues, pValues: pValues, unscaledCovariance: last.unscaledCovariance,
                         deviance: irls.deviance, residualDegreesOfFreedom: observations - last.rank,
                         nullDeviance: nullDeviance,
                         nullDegreesOfFreedom: observations - (hasIntercept ? 1 : 0), aic: aic,
                         iterations: irls.iterations, converged: irls.converged, fittedProbabilities: irls.mu, warnings: warnings,
                         information: irls.finalInformation)
    }

    /// P(y = 1) = logistic(intercept + X b) for each row of X, with R's inverse link (which
    /// keeps probabilities within ε of 0 and 1). NaN coefficients (aliased) count as 0, as R's
    /// `predict` drops them. For `fitBinary`, pass the same design and intercept 0; for
    /// `fitPenalizedBinary`, the features and the fit's intercept.
    public static func predictProbabilities(_ x: Matrix, coefficients: [Double], intercept: Double = 0) -> [Double] {
        product(x, coefficients.map { $0.isNaN ? 0 : $0 }).map { Binomial.inverseLink(intercept + $0) }
    }

    /// The logistic function e^η/(1 + e^η) as R's plogis computes it, without the clamp to
    /// [ε, 1 − ε] of binomial()$linkinv (an interval's end far in a tail keeps its digits).
    public static func probability(_ eta: Double) -> Double {
        eta >= 0 ? 1 / (1 + exp(-eta)) : exp(eta) / (1 + exp(eta))
    }

    // MARK: - Shared by the engines

    static func validateBinary(_ x: Matrix, _ y: [Double]) throws {
        try validateBinary(rows: x.rows, y)
        try validateFinite(x)
    }

    /// A response of 0/1 values, one per row of a design of `rows` rows.
    private static func validateBinary(rows: Int, _ y: [Double]) throws {
        precondition(y.count == rows, "y must have one value per row of X")
        guard rows > 0 else { throw ModelshError.data("logistic regression needs at least one row") }
        // y(y − 1) is 0 exactly for 0 and 1 (NaN and ±∞ give NaN or ∞): counted without a
        // branch, so the loop runs in vector lanes.
        let others = y.withUnsafeBufferPointer { $0.reduce(0) { $0 &+ ($1 * ($1 - 1) == 0 ? 0 : 1) } }
        guard others == 0 else { throw ModelshError.data("a binary logistic response must be 0 or 1") }
    }

    static func validateFinite(_ x: Matrix) throws {
        try x.withColumnPointers(validateFinite)
    }

    private static func validateFinite(_ x: ColumnPointers) throws {
        for column in x.columns where !LargeBuffers.allFinite(UnsafeBufferPointer(start: column, count: x.rows)) {
            throw ModelshError.data("the design holds a missing or infinite value")
        }
    }

    /// √(diagonal) of a covariance matrix.
    static func diagonalRoots(_ covariance: Matrix) -> [Double] {
        (0 ..< covariance.rows).map { covariance[$0, $0].squareRoot() }
    }

    /// The values of the non-aliased columns placed at their positions, NaN at the aliased ones.
    static func spread(_ values: [Double], over aliased: [Bool]) -> [Double] {
        var remaining = values.makeIterator()
        return aliased.map { $0 ? .nan : remaining.next()! }
    }

    /// z = estimate / standard error and its two-sided normal p-value.
    static func waldTests(_ estimates: [Double], _ standardErrors: [Double]) -> (z: [Double], p: [Double]) {
        let z = zip(estimates, standardErrors).map { $0 / $1 }
        return (z, z.map(Normal.twoSidedPValue))
    }
}

/// The binomial family with the logit link, in R's arithmetic (src/library/stats/src/family.c):
/// the inverse link and its derivative are clamped beyond |η| = 30 so that μ stays strictly
/// inside (0, 1) and the IRLS weights stay positive.
enum Binomial {
    private static let threshold = 30.0

    static func link(_ mu: Double) -> Double {
        log(mu / (1 - mu))
    }

    /// e^η, held within [ε, 1/ε].
    private static func clampedExp(_ eta: Double) -> Double {
        eta < -threshold ? Double.ulpOfOne : eta > threshold ? 1 / Double.ulpOfOne : exp(eta)
    }

    static func inverseLink(_ eta: Double) -> Double {
        let t = clampedExp(eta)
        return t / (1 + t)
    }

    /// μ = g⁻¹(η) and dμ/dη, from one exponential (R evaluates the same expressions with two).
    static func fittedValue(_ eta: Double) -> (mu: Double, derivative: Double) {
        let t = clampedExp(eta), onePlus = 1 + t
        return (t / onePlus, abs(eta) > threshold ? Double.ulpOfOne : t / (onePlus * onePlus))
    }

    static func fittedValues(_ eta: [Double]) -> (mu: [Double], derivative: [Double]) {
        var mu = [Double](repeating: 0, count: eta.count), derivative = mu
        for i in eta.indices { (mu[i], derivative[i]) = fittedValue(eta[i]) }
        return (mu, derivative)
    }

    /// The IRLS weight μ′²/V(μ) and working residual (y − μ)/μ′ of one observation.
    static func working(_ y: Double, _ mu: Double, _ derivative: Double) -> (weight: Double, residual: Double) {
        (derivative * derivative / (mu * (1 - mu)), (y - mu) / derivative)
    }

    /// 2·(y log(y/μ) + (1 − y) log((1 − y)/(1 − μ))) for a 0/1 y.
    static func devianceTerm(_ y: Double, _ mu: Double) -> Double {
        y == 1 ? -2 * log(mu) : -2 * log(1 - mu)
    }

    static func deviance(_ y: [Double], _ mu: [Double]) -> Double {
        zip(y, mu).reduce(0) { $0 + devianceTerm($1.0, $1.1) }
    }

    /// `deviance` with each row's term times its prior weight (none: 1 each); a row of
    /// weight 0 adds nothing, whatever its μ.
    static func deviance(_ y: [Double], _ mu: [Double], priorWeights: [Double]?) -> Double {
        guard let priorWeights else { return deviance(y, mu) }
        return y.indices.reduce(0) { $0 + (priorWeights[$1] > 0 ? priorWeights[$1] * devianceTerm(y[$1], mu[$1]) : 0) }
    }

    /// `deviance` with μ the same for every row: its two terms computed once, summed in row order.
    static func constantDeviance(_ y: [Double], _ mu: Double) -> Double {
        constantDeviance(y, atZero: mu, atOne: mu)
    }

    /// `deviance` with μ one value where y is 0 and another where it is 1, summed in row order.
    static func constantDeviance(_ y: [Double], atZero: Double, atOne: Double) -> Double {
        let zero = devianceTerm(0, atZero), one = devianceTerm(1, atOne)
        return y.reduce(0) { $0 + ($1 == 1 ? one : zero) }
    }

    /// log(1 + e^η) − yη, the negative log-likelihood of one 0/1 observation, computed from η
    /// directly (no clamping, no cancellation) for the penalised objective.
    static func logLoss(_ eta: Double, _ y: Double) -> Double {
        (eta > 0 ? eta + log1p(exp(-eta)) : log1p(exp(eta))) - y * eta
    }
}
