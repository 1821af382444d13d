import CLapack
import Diagnostics

extension LogisticRegression {
    /// A penalty on the non-intercept coefficients, with its strength α > 0.
    public enum Penalty: Sendable, Equatable {
        /// (α/2)‖w‖²: scikit-learn's `LogisticRegression(l1_ratio=0, C=1/α)`.
        case l2(Double)
        /// α‖w‖₁: scikit-learn's `LogisticRegression(l1_ratio=1, C=1/α, solver="saga")`.
        case l1(Double)

        var strength: Double {
            switch self { case .l2(let alpha), .l1(let alpha): alpha }
        }

        func value(_ theta: [Double], penalised: [Bool]) -> Double {
            var sum = 0.0
            for (t, isPenalised) in zip(theta, penalised) where isPenalised {
                switch self {
                case .l2(let alpha): sum += alpha / 2 * t * t
                case .l1(let alpha): sum += alpha * abs(t)
                }
            }
            return sum
        }
    }

    /// The result of `fitPenalizedBinary`.
    public struct PenalizedBinaryFit: Sendable, Equatable {
        /// 0 when no intercept was fitted.
        public let intercept: Double
        /// One per column of the features.
        public let coefficients: [Double]
        /// Σ log-loss over the rows (half the deviance).
        public let logLoss: Double
        /// logLoss + the penalty: the value minimised.
        public let objective: Double
        public let iterations: Int
        public let converged: Bool
        public let fittedProbabilities: [Double]
        /// Only `.didNotConverge` can occur: a penalised fit stays finite under separation.
        public let warnings: [Warning]
    }

    /// Minimises Σᵢ log-loss + penalty(w) over the intercept (unpenalised, when `fitIntercept`)
    /// and the coefficients w of the columns of `x` (the features, without a column of ones).
    ///
    /// L2 by damped Newton steps (the penalised Hessian XᵀWX + αI solved by Cholesky). L1 by
    /// proximal Newton, as glmnet: each outer step forms the same quadratic model of the
    /// log-loss and minimises it plus α‖w‖₁ by cyclic coordinate descent on the p × p weighted
    /// Gram matrix (exactly, to rounding), then halves the step until the true objective falls.
    /// Stops when the next step's predicted decrease is below ε·(|objective| + 0.1), after taking
    /// it (see `DampedNewton`).
    ///
    /// Throws `.usage` for α ≤ 0 or non-finite, `.data` for a response not 0/1 (or of one class
    /// only, with an intercept) or a non-finite feature. Cost per iteration: O(n p²) plus, for
    /// L1, O(p²) per coordinate sweep.
    public static func fitPenalizedBinary(_ x: Matrix, _ y: [Double], penalty: Penalty, fitIntercept: Bool,
                                          epsilon: Double = 1e-10, maxIterations: Int = 100) throws -> PenalizedBinaryFit {
        try validateBinary(x, y)
        if fitIntercept && Set(y).count < 2 {
            // The unpenalised intercept would run off to ±∞.
            throw ModelshError.data("a penalised logistic fit with an intercept needs both classes in the response")
        }
        let alpha = penalty.strength
        guard alpha > 0 && alpha.isFinite else { throw ModelshError.usage("a penalty strength must be a positive number, not \(alpha)") }
        let design = fitIntercept ? Matrix(rows: x.rows, columns: x.columns + 1, values: [Double](repeating: 1, count: x.rows) + x.values) : x
        let penalised = (0 ..< design.columns).map { !(fitIntercept && $0 == 0) }
        let objective = { (theta: [Double]) -> Double in
            zip(product(design, theta), y).reduce(0) { $0 + Binomial.logLoss($1.0, $1.1) } + penalty.value(theta, penalised: penalised)
        }
        let result = try DampedNewton(epsilon: epsilon, maxIterations: maxIterations).minimize(
            from: [Double](repeating: 0, count: design.columns), objective: objective
        ) { theta -> DampedNewton.Step? in
            var (gradient, hessian) = try binaryQuadraticModel(design, y, theta)
            switch penalty {
            case .l2(let alpha):
                for j in 0 ..< theta.count where penalised[j] {
                    gradient[j] += alpha * theta[j]
                    hessian[j, j] += alpha
                }
                return DampedNewton.Step.newton(gradient: gradient, hessian: hessian)
            case .l1(let alpha):
                let target = try minimizeL1Model(gradient: gradient, hessian: hessian, at: theta, alpha: alpha, penalised: penalised)
                let step = zip(target, theta).map { $0 - $1 }
                let penaltyChange = penalty.value(target, penalised: penalised) - penalty.value(theta, penalised: penalised)
                return DampedNewton.Step(direction: step,
                                         predictedDecrease: DampedNewton.Step.modelDecrease(gradient, hessian, step) - penaltyChange)
            }
        }
        let eta = product(design, result.parameters)
        let logLoss = zip(eta, y).reduce(0) { $0 + Binomial.logLoss($1.0, $1.1) }
        return PenalizedBinaryFit(intercept: fitIntercept ? result.parameters[0] : 0,
                                  coefficients: Array(result.parameters.dropFirst(fitIntercept ? 1 : 0)),
                                  logLoss: logLoss, objective: result.objective, iterations: result.iterations,
                                  converged: result.converged, fittedProbabilities: eta.map(Binomial.inverseLink),
                                  warnings: result.converged ? [] : [.didNotConverge])
    }

    /// The gradient Xᵀ(μ − y) and Hessian XᵀWX (W = μ(1 − μ)) of Σ log-loss at θ.
    private static func binaryQuadraticModel(_ x: Matrix, _ y: [Double], _ theta: [Double]) throws -> (gradient: [Double], hessian: Matrix) {
        let mu = product(x, theta).map(Binomial.inverseLink)
        let gradient = transposedProduct(x, zip(mu, y).map { $0 - $1 })
        return (gradient, try weightedGram(x, weights: mu.map { $0 * (1 - $0) }))
    }

    /// argmin over t of gᵀ(t − θ) + ½ (t − θ)ᵀ H (t − θ) + α Σ_penalised |tⱼ|, by cyclic
    /// coordinate descent keeping r = g + H (t − θ), the model's gradient, up to date. Each
    /// coordinate is minimised exactly (soft-thresholding), so the sweeps descend monotonically;
    /// they stop when no coordinate moves by more than 1e-13 relative.
    private static func minimizeL1Model(gradient: [Double], hessian: Matrix, at theta: [Double], alpha: Double,
                                        penalised: [Bool]) throws -> [Double] {
        let p = theta.count
        var t = theta, r = gradient
        for sweep in 0 ..< 100_000 {
            if sweep % 1000 == 999 { try Interruption.check() }
            var moved = false
            for j in 0 ..< p {
                let curvature = hessian[j, j]
                guard curvature > 0 else { continue }
                let u = curvature * t[j] - r[j]
                let next = penalised[j] ? (u > alpha ? u - alpha : u < -alpha ? u + alpha : 0) / curvature : u / curvature
                let change = next - t[j]
                guard change != 0 else { continue }
                if abs(change) > 1e-13 * (1 + abs(next)) { moved = true }
                t[j] = next
                hessian.values.withUnsafeBufferPointer { h in
                    cblas_daxpy(Int32(p), change, h.baseAddress! + j * p, 1, &r, 1)
                }
            }
            if !moved { break }
        }
        return t
    }
}
