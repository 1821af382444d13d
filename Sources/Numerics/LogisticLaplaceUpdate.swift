import Diagnostics
import Foundation

/// Updating a binary logistic fit with new rows when the old rows are gone, by the Laplace
/// approximation: the old rows' negative log-likelihood (plus any L2 penalty) is replaced by its
/// quadratic expansion at the old optimum β₀, ½ (β − β₀)ᵀ H₀ (β − β₀), with H₀ the information
/// Xᵀ diag(μ(1 − μ)) X (+ the penalty's diagonal) there. The update minimises that plus the new
/// rows' exact log-loss by Newton's method from β₀, i.e. the posterior mode when the old fit is
/// the Gaussian prior N(β₀, H₀⁻¹). It is exact when the old rows' likelihood is quadratic and
/// otherwise off by the cubic terms of the expansion: small when the new rows move β little
/// against its standard errors, as with many old rows.
extension LogisticRegression {
    /// Xᵀ diag(μ(1 − μ)) X + diag(ridge) at `coefficients` (μ = σ(Xβ)); `design` has the column
    /// of ones when the fit has an intercept, and `ridge` one entry per column (0 for none).
    /// Symmetric, column-major.
    public static func information(_ design: Matrix, coefficients: [Double], ridge: [Double]) throws -> Matrix {
        precondition(coefficients.count == design.columns && ridge.count == design.columns, "one coefficient and one ridge entry per column")
        let weights = product(design, coefficients).map { eta -> Double in
            let mu = 1 / (1 + exp(-eta))
            return mu * (1 - mu)
        }
        var result = try weightedGram(design, weights: weights)
        for (j, extra) in ridge.enumerated() { result[j, j] += extra }
        return result
    }

    /// The result of `laplaceUpdate`.
    public struct LaplaceUpdate: Sendable {
        public let coefficients: [Double]
        /// H₀ plus the new rows' information at the new coefficients: the next update's prior.
        public let information: Matrix
        /// The new rows' deviance at the new coefficients.
        public let newRowsDeviance: Double
        /// (β − β₀)ᵀ H₀ (β − β₀): what the approximation says the old rows' deviance grew by.
        public let priorDevianceChange: Double
        public let iterations: Int
        public let converged: Bool
    }

    /// Minimises ½ (β − β₀)ᵀ H₀ (β − β₀) + Σ log-loss of (`design`, `target`) from β₀ by damped
    /// Newton steps (Hessian H₀ + Xᵀ W X, positive definite when H₀ is). `target` is 0/1.
    public static func laplaceUpdate(prior: [Double], information prior0: Matrix, design: Matrix, target: [Double]) throws -> LaplaceUpdate {
        let p = prior.count
        precondition(design.columns == p && prior0.rows == p && prior0.columns == p && target.count == design.rows,
                     "the design, prior and information must agree")
        func priorTerm(_ beta: [Double]) -> (value: Double, gradient: [Double]) {
            let delta = zip(beta, prior).map { $0 - $1 }
            let gradient = product(prior0, delta)
            return (0.5 * zip(delta, gradient).reduce(0) { $0 + $1.0 * $1.1 }, gradient)
        }
        func logLoss(_ beta: [Double]) -> Double {
            zip(product(design, beta), target).reduce(0) { sum, pair in
                let (eta, y) = pair
                // log(1 + eᶯ) − yη, without overflow for large |η|.
                return sum + (eta > 0 ? eta + log1p(exp(-eta)) : log1p(exp(eta))) - y * eta
            }
        }
        // H₀ + Xᵀ W(β) X.
        func posteriorInformation(_ beta: [Double]) throws -> Matrix {
            var sum = try information(design, coefficients: beta, ridge: [Double](repeating: 0, count: p))
            for index in sum.values.indices { sum.values[index] += prior0.values[index] }
            return sum
        }
        let newton = DampedNewton(epsilon: 1e-12, maxIterations: 100)
        let result = try newton.minimize(from: prior, objective: { priorTerm($0).value + logLoss($0) }, step: { beta in
            let residuals = zip(product(design, beta), target).map { 1 / (1 + exp(-$0)) - $1 }
            let gradient = zip(priorTerm(beta).gradient, transposedProduct(design, residuals)).map { $0 + $1 }
            return DampedNewton.Step.newton(gradient: gradient, hessian: try posteriorInformation(beta))
        })
        let updated = try posteriorInformation(result.parameters)
        return LaplaceUpdate(coefficients: result.parameters, information: updated, newRowsDeviance: 2 * logLoss(result.parameters),
                             priorDevianceChange: 2 * priorTerm(result.parameters).value, iterations: result.iterations,
                             converged: result.converged)
    }

    /// The covariance H⁻¹ of the estimates, or nil when H is not numerically positive definite.
    public static func covariance(information: Matrix) -> Matrix? {
        Cholesky(information)?.inverse()
    }
}
