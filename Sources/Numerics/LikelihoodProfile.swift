import Diagnostics
import Foundation

/// Profile-likelihood confidence intervals of a binary logistic or Poisson fit, computed as R's
/// `confint(glm)` computes them (MASS's profile.glm and confint.profile.glm, which stats took
/// over in R 4.4), so the figures are R's and not only the same quantity:
///
/// - For each coefficient, steps of del = zmax/5 standard errors away from the estimate, each
///   way, fixing the coefficient there (an offset) and fitting the others by IRLS started from
///   the previous step's linear predictor, until the signed root of the rise in deviance,
///   z = ±√(D(b) − D̂), passes zmax = √χ²₁(1 − (1 − level)/4) or after 9 steps.
/// - The interval's ends are where z = Φ⁻¹((1 ∓ level)/2) on the cubic spline (Forsythe,
///   Malcolm and Moler's end conditions, R's `spline`) through the steps' (b, z), evaluated at
///   3 × steps evenly spaced b, then read back by linear interpolation (R's `approx`), NaN where
///   the profile does not reach the cutoff.
///
/// The likelihood is not symmetric about the estimate, so where Wald's estimate ± 1.96 SE
/// misplaces the interval (a small sample, a coefficient near separation) this one does not.
public enum LikelihoodProfile {
    /// The families whose fits are profiled (dispersion 1, so the signed root deviance is z).
    public enum Family: Sendable {
        case binomial, poisson
        /// θ held at the model's, as MASS profiles a glm.nb fit.
        case negativeBinomial(theta: Double)
    }

    /// The intervals of each coefficient of the `family` fit of `y` (0/1, or counts) on `x`
    /// (with its column of ones when the model has one) with `priorWeights` and the model's
    /// `offset`, whose estimates (NaN where aliased), standard errors and deviance are given;
    /// (NaN, NaN) for an aliased coefficient. An estimated `dispersion` (quasi-Poisson) divides
    /// the rises in deviance, and the steps then go to √F(1 − α; 1, n − p) as R's do (as they
    /// do for a negative binomial).
    public static func intervals(_ family: Family, _ x: Matrix, _ y: [Double], priorWeights: [Double]?, offset modelOffset: [Double]? = nil,
                                 coefficients: [Double], standardErrors: [Double], deviance: Double, dispersion: Double? = nil,
                                 level: Double) throws -> [(lower: Double, upper: Double)] {
        precondition(coefficients.count == x.columns && standardErrors.count == x.columns, "one estimate and standard error per column")
        let alpha = (1 - level) / 4
        // √χ²₁(1 − α), or √F(1 − α; 1, n − p), which is Student's t quantile at 1 − α/2: MASS
        // takes χ² for the families named exactly binomial and poisson, and F for the others,
        // a negative binomial among them (its family is named "Negative Binomial(θ)").
        var boundedByF = dispersion != nil
        if case .negativeBinomial = family { boundedByF = true }
        let zmax = boundedByF ? StudentT.twoSidedCriticalValue(alpha, degreesOfFreedom: Double(x.rows - x.columns)) : -Normal.quantile(alpha / 2)
        let step = zmax / 5, maxSteps = 10
        let cutoffs = [Normal.quantile((1 - level) / 2), -Normal.quantile((1 - level) / 2)]
        let kept = coefficients.indices.filter { !coefficients[$0].isNaN }
        let modelOffset = modelOffset ?? [Double](repeating: 0, count: x.rows)
        let start = zip(product(Matrix(rows: x.rows, columns: kept.map { x.column($0) }), kept.map { coefficients[$0] }), modelOffset).map { $0 + $1 }
        return try coefficients.indices.map { i in
            guard !coefficients[i].isNaN else { return (.nan, .nan) }
            let others = kept.filter { $0 != i }
            let design = Matrix(rows: x.rows, columns: others.map { x.column($0) })
            let column = x.column(i)
            var points = [(b: coefficients[i], z: 0.0)]
            for sign in [-1.0, 1.0] {
                var eta = start, z = 0.0, taken = 0
                while taken + 1 < maxSteps, abs(z) < zmax {
                    taken += 1
                    try Interruption.check()
                    let b = coefficients[i] + sign * Double(taken) * step * standardErrors[i]
                    let offset = zip(column, modelOffset).map { $0 * b + $1 }
                    let fit = try fitWithOffset(family, design, y, priorWeights: priorWeights, offset: offset, etaStart: eta)
                    eta = fit.eta
                    let rise = (fit.deviance - deviance) / (dispersion ?? 1)
                    guard rise > -1e-3 else {
                        throw ModelshError.data("profiling found a better fit than the model's, so the model's fit had not converged")
                    }
                    z = sign * max(rise, 0).squareRoot()
                    points.append((b, z))
                }
            }
            points.sort { $0.b < $1.b }  // the spline runs along b, as R's sorts its x
            let (grid, values) = FMMSpline(x: points.map(\.b), y: points.map(\.z)).evenlySpaced(count: 3 * points.count)
            let ends = cutoffs.map { LinearInterpolation.value(at: $0, x: values, y: grid) }
            return (ends[0], ends[1])
        }
    }

    /// R's glm.fit with `offset =` and `etastart =`: the deviance and the linear predictor
    /// (offset included) at its solution. Without columns, the offset alone.
    private static func fitWithOffset(_ family: Family, _ x: Matrix, _ y: [Double], priorWeights: [Double]?, offset: [Double],
                                      etaStart: [Double]) throws -> (deviance: Double, eta: [Double]) {
        let countFamily: PoissonRegression.Family? = switch family {
        case .poisson: .poisson
        case .negativeBinomial(let theta): .negativeBinomial(theta: theta)
        case .binomial: nil
        }
        if let countFamily {
            guard x.columns > 0 else {
                return (PoissonRegression.deviance(y, offset.map(PoissonRegression.inverseLink), priorWeights ?? y.map { _ in 1 }, family: countFamily), offset)
            }
            let fit = try PoissonRegression.fit(x, y, hasIntercept: false, family: countFamily, priorWeights: priorWeights, offset: offset, etaStart: etaStart)
            return (fit.deviance, fit.linearPredictor)
        }
        guard x.columns > 0 else {
            return (Binomial.deviance(y, offset.map(Binomial.inverseLink), priorWeights: priorWeights), offset)
        }
        return try x.withColumnPointers { columns in
            var irls = BinaryIRLS(columns, y, priorWeights: priorWeights, offset: offset, etaStart: etaStart,
                                  epsilon: LogisticRegression.glmEpsilon, maxIterations: LogisticRegression.glmMaxIterations)
            try irls.iterateByQR()
            var eta = columns.product(irls.step!.coefficients)
            for row in eta.indices { eta[row] += offset[row] }
            return (irls.deviance, eta)
        }
    }
}

/// R's `spline(x, y, method = "fmm")`: the interpolating cubic spline whose end conditions match
/// the third derivative of the cubic through the four points at each end (Forsythe, Malcolm and
/// Moler), coefficients as R's fmm_spline and evaluation as its spline_eval.
struct FMMSpline {
    let x: [Double]
    let y: [Double]
    private var b: [Double], c: [Double], d: [Double]

    /// `x` ascending and distinct.
    init(x: [Double], y: [Double]) {
        let n = x.count
        precondition(n == y.count && n >= 2, "a spline needs two points or more")
        self.x = x
        self.y = y
        (b, c, d) = ([Double](repeating: 0, count: n), [Double](repeating: 0, count: n), [Double](repeating: 0, count: n))
        guard n >= 3 else {
            b[0] = (y[1] - y[0]) / (x[1] - x[0])
            b[1] = b[0]
            return
        }
        // R's fmm_spline, 0-based: b diagonal, d off-diagonal, c right-hand side.
        let last = n - 1
        d[0] = x[1] - x[0]
        c[1] = (y[1] - y[0]) / d[0]
        for i in 1 ..< last {
            d[i] = x[i + 1] - x[i]
            b[i] = 2 * (d[i - 1] + d[i])
            c[i + 1] = (y[i + 1] - y[i]) / d[i]
            c[i] = c[i + 1] - c[i]
        }
        b[0] = -d[0]
        b[last] = -d[last - 1]
        c[0] = 0
        c[last] = 0
        if n > 3 {
            c[0] = c[2] / (x[3] - x[1]) - c[1] / (x[2] - x[0])
            c[last] = c[last - 1] / (x[last] - x[last - 2]) - c[last - 2] / (x[last - 1] - x[last - 3])
            c[0] = c[0] * d[0] * d[0] / (x[3] - x[0])
            c[last] = -c[last] * d[last - 1] * d[last - 1] / (x[last] - x[last - 3])
        }
        for i in 1 ... last {
            let t = d[i - 1] / b[i - 1]
            b[i] -= t * d[i - 1]
            c[i] -= t * c[i - 1]
        }
        c[last] /= b[last]
        for i in stride(from: last - 1, through: 0, by: -1) { c[i] = (c[i] - d[i] * c[i + 1]) / b[i] }
        b[last] = (y[last] - y[last - 1]) / d[last - 1] + d[last - 1] * (c[last - 1] + 2 * c[last])
        for i in 0 ..< last {
            b[i] = (y[i + 1] - y[i]) / d[i] - d[i] * (c[i + 1] + 2 * c[i])
            d[i] = (c[i + 1] - c[i]) / d[i]
            c[i] *= 3
        }
        c[last] *= 3
        d[last] = d[last - 1]
    }

    /// The spline at `u` (extrapolated by the end pieces outside the nodes).
    func value(at u: Double) -> Double {
        var low = 0, high = x.count
        if u >= x[0] {
            while high > low + 1 {
                let middle = (low + high) / 2
                if u < x[middle] { high = middle } else { low = middle }
            }
        }
        let dx = u - x[low]
        return y[low] + dx * (b[low] + dx * (c[low] + dx * d[low]))
    }

    /// R's `spline(x, y, n = count)`: `count` evenly spaced points from the first node to the
    /// last (seq(min, max, length.out = count)) and the spline's values there.
    func evenlySpaced(count: Int) -> (x: [Double], y: [Double]) {
        let (first, last) = (x[0], x[x.count - 1])
        let by = (last - first) / Double(count - 1)
        let grid = (0 ..< count).map { $0 == count - 1 ? last : first + Double($0) * by }
        return (grid, grid.map(value(at:)))
    }
}

/// R's `approx(x, y, xout)` with its defaults (linear, NA outside the range, tied x averaged):
/// the pairs sorted by x first, as R's regularize.values does.
enum LinearInterpolation {
    static func value(at v: Double, x: [Double], y: [Double]) -> Double {
        // Sorted by x, ties collapsed to the mean of their y.
        var pairs: [(x: Double, y: Double, count: Double)] = []
        for (a, b) in zip(x, y).sorted(by: { $0.0 < $1.0 }) {
            if let last = pairs.last, last.x == a {
                pairs[pairs.count - 1] = (a, last.y + b, last.count + 1)
            } else {
                pairs.append((a, b, 1))
            }
        }
        let xs = pairs.map(\.x), ys = pairs.map { $0.y / $0.count }
        guard let first = xs.first, let last = xs.last, v >= first, v <= last else { return .nan }
        var i = 0, j = xs.count - 1
        while i < j - 1 {
            let middle = (i + j) / 2
            if v < xs[middle] { j = middle } else { i = middle }
        }
        if v == xs[j] { return ys[j] }
        if v == xs[i] { return ys[i] }
        return ys[i] + (ys[j] - ys[i]) * ((v - xs[i]) / (xs[j] - xs[i]))
    }
}
