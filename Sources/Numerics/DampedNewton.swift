import Diagnostics

/// Minimises a convex objective by Newton-type steps: from each point a direction (a Newton or
/// proximal Newton step) with the decrease its quadratic model predicts, then the step halved
/// until the objective falls. Converged when the predicted decrease is below
/// ε·(|objective| + 0.1) (glm's scale): that step is then taken whole, without a line search,
/// since it is quadratically small and the objective, rounded, could not confirm it anyway —
/// the last, tiny Newton steps are what make weakly determined directions accurate. Also
/// converged when no halving lowers the objective (optimal to rounding).
struct DampedNewton {
    let epsilon: Double
    let maxIterations: Int

    /// A direction to move in, with the objective decrease its model predicts for the full step.
    struct Step {
        let direction: [Double]
        let predictedDecrease: Double

        /// −(gᵀd + ½ dᵀHd): the decrease of the quadratic model along d.
        static func modelDecrease(_ gradient: [Double], _ hessian: Matrix, _ d: [Double]) -> Double {
            let hd = product(hessian, d)
            return -zip(d.indices, d).reduce(0) { $0 + $1.1 * (gradient[$1.0] + 0.5 * hd[$1.0]) }
        }

        /// The Newton step −H⁻¹g, with predicted decrease ½ gᵀH⁻¹g; nil when H is not
        /// numerically positive definite.
        static func newton(gradient: [Double], hessian: Matrix) -> Step? {
            guard let factor = Cholesky(hessian) else { return nil }
            let d = factor.solve(gradient).map { -$0 }
            return Step(direction: d, predictedDecrease: -0.5 * zip(gradient, d).reduce(0) { $0 + $1.0 * $1.1 })
        }
    }

    struct Result {
        let parameters: [Double]
        let objective: Double
        let iterations: Int
        let converged: Bool
    }

    /// `step(θ)` returns the direction to try from θ, or nil when there is none (a singular
    /// Hessian): the minimisation then stops unconverged.
    func minimize(from start: [Double], objective: ([Double]) throws -> Double, step: ([Double]) throws -> Step?) throws -> Result {
        precondition(epsilon > 0 && maxIterations > 0, "tolerance and iteration limit must be positive")
        var theta = start, value = try objective(start)
        for iteration in 1 ... maxIterations {
            try Interruption.check()
            guard let next = try step(theta), next.direction.allSatisfy(\.isFinite) else {
                return Result(parameters: theta, objective: value, iterations: iteration, converged: false)
            }
            if next.predictedDecrease < epsilon * (abs(value) + 0.1) {
                theta = zip(theta, next.direction).map { $0 + $1 }
                return Result(parameters: theta, objective: try objective(theta), iterations: iteration, converged: true)
            }
            var fraction = 1.0
            while true {
                let trial = zip(theta, next.direction).map { $0 + fraction * $1 }
                let trialValue = try objective(trial)
                if trialValue <= value {
                    theta = trial
                    value = trialValue
                    break
                }
                fraction /= 2
                if fraction < 1e-10 { return Result(parameters: theta, objective: value, iterations: iteration, converged: true) }
            }
        }
        return Result(parameters: theta, objective: value, iterations: maxIterations, converged: false)
    }
}
