import Diagnostics
import Foundation

/// R's binomial IRLS (as `LogisticRegression.fitBinary`) over rows that come in chunks, one pass
/// over all of them per iteration, keeping only a (p+1) × (p+1) triangle: each pass takes, at
/// the current coefficients, every row's η, μ and deviance term and folds the row of
/// [√W X | √W z] into the triangular factor of the weighted least-squares problem (TSQR through
/// `ScatterFactor`, the QR R's glm.fit does, never the normal equations); the pass's end checks
/// glm's stopping rule on the deviance and solves the triangle (pivoted QR, R's rank rule and
/// tolerance) for the next coefficients. Iterations, stopping point, aliased columns and
/// standard errors are those of the in-memory fit, to rounding.
///
/// Use: `beginPass()`, `add` every chunk, `endPass()`, until `isFinished`; then `result`.
public struct StreamedBinaryIRLS: Sendable {
    public let columns: Int
    let epsilon: Double
    let maxIterations: Int
    /// The mean the null deviance is measured at: ȳ with an intercept, ½ without. Needed from
    /// the second pass on, which measures the null deviance, so a first pass may run before ȳ
    /// is known (a streamed fit's first pass is its scan's).
    public var nullMean: Double

    /// The coefficients the current pass evaluates; nil in the first pass, which starts from
    /// R's μ = (y + ½)/2.
    private var coefficients: [Double]?
    private var step: LeastSquaresFit?
    private var previousDeviance = 0.0
    public private(set) var iterations = 0
    public private(set) var converged = false

    // The current pass.
    private var factor: ScatterFactor?
    private var deviance = 0.0
    private var nullDeviance = 0.0
    private var observations = 0
    private var extremeProbability = false
    /// The first pass's row count (every pass sees the same rows), and the second pass's null
    /// deviance.
    private var firstPassObservations: Int?
    private var measuredNullDeviance: Double?

    public init(columns: Int, nullMean: Double, epsilon: Double = LogisticRegression.glmEpsilon,
                maxIterations: Int = LogisticRegression.glmMaxIterations) {
        self.columns = columns
        self.nullMean = nullMean
        self.epsilon = epsilon
        self.maxIterations = maxIterations
    }

    public var isFinished: Bool { converged || iterations == maxIterations }

    public mutating func beginPass() {
        factor = nil
        deviance = 0
        nullDeviance = 0
        observations = 0
        extremeProbability = false
    }

    /// Rows of the design (with its column of ones, if any) and their 0/1 responses.
    public mutating func add(_ x: Matrix, _ y: [Double]) throws {
        precondition(x.columns == columns && y.count == x.rows, "a chunk must have the design's columns and one y per row")
        guard x.rows > 0 else { return }
        try LogisticRegression.validateBinary(x, y)
        let n = x.rows
        var eta = [Double](repeating: 0, count: n)
        if let coefficients {
            for j in 0 ..< columns where coefficients[j] != 0 {
                let b = coefficients[j]
                x.values.withUnsafeBufferPointer { values in
                    for i in 0 ..< n { eta[i] += values[j * n + i] * b }
                }
            }
        } else {
            for i in 0 ..< n { eta[i] = Binomial.link((y[i] + 0.5) / 2) }
        }
        let tolerance = 10 * Double.ulpOfOne
        var roots = [Double](repeating: 0, count: n), response = roots
        for i in 0 ..< n {
            let (mu, derivative) = Binomial.fittedValue(eta[i])
            deviance += Binomial.devianceTerm(y[i], mu)
            if mu > 1 - tolerance || mu < tolerance { extremeProbability = true }
            let (weight, residual) = Binomial.working(y[i], mu, derivative)
            roots[i] = weight.squareRoot()
            response[i] = (eta[i] + residual) * roots[i]
            if measuresNullDeviance { nullDeviance += Binomial.devianceTerm(y[i], nullMean) }
        }
        var scaled = x
        for j in 0 ..< columns { for i in 0 ..< n { scaled.values[j * n + i] *= roots[i] } }
        factor = try factor?.adding(scaled, response) ?? ScatterFactor(scaled, response, centred: false)
        observations += n
    }

    private var measuresNullDeviance: Bool { coefficients != nil && measuredNullDeviance == nil }

    /// Ends a pass: the stopping rule on the deviance at the pass's coefficients, then (unless
    /// finished) the next coefficients from the pass's triangle.
    public mutating func endPass() throws {
        guard let factor else { throw ModelshError.data("logistic regression needs at least one row") }
        if firstPassObservations == nil { firstPassObservations = observations }
        if measuresNullDeviance { measuredNullDeviance = nullDeviance }
        if coefficients != nil {
            iterations += 1
            converged = abs(deviance - previousDeviance) / (abs(deviance) + 0.1) < epsilon
        }
        previousDeviance = deviance
        if isFinished { return }
        let fit = try QRLeastSquares.fit(factor.design, factor.target, tolerance: min(1e-7, epsilon / 1000))
        step = fit
        coefficients = fit.coefficients.map { $0.isNaN ? 0 : $0 }
    }

    /// The fit, as `LogisticRegression.fitBinary` reports it (without the fitted probabilities,
    /// which would be one number per row).
    public func result(hasIntercept: Bool) -> LogisticRegression.BinaryFit {
        let last = step!
        let reported = zip(last.coefficients, last.aliased).map { $1 ? .nan : $0 }
        let standardErrors = LogisticRegression.spread(LogisticRegression.diagonalRoots(last.unscaledCovariance), over: last.aliased)
        let (zValues, pValues) = LogisticRegression.waldTests(reported, standardErrors)
        var warnings: [LogisticRegression.Warning] = converged ? [] : [.didNotConverge]
        if extremeProbability { warnings.append(.fittedProbabilitiesZeroOrOne) }
        let n = firstPassObservations ?? 0
        return LogisticRegression.BinaryFit(
            coefficients: reported, aliased: last.aliased, rank: last.rank, standardErrors: standardErrors,
            zValues: zValues, pValues: pValues, unscaledCovariance: last.unscaledCovariance,
            deviance: deviance, residualDegreesOfFreedom: n - last.rank,
            nullDeviance: measuredNullDeviance ?? 0, nullDegreesOfFreedom: n - (hasIntercept ? 1 : 0),
            aic: deviance + 2 * Double(last.rank), iterations: iterations, converged: converged,
            fittedProbabilities: [], warnings: warnings, information: nil)
    }
}
