import Diagnostics
import Foundation

/// A gradient-descent fit and the record of how it got there.
public struct GradientDescentFit: Sendable, Equatable {
    public let coefficients: [Double]
    /// Zero when the intercept was not fitted.
    public let intercept: Double
    public let epochs: Int
    /// The objective at the returned coefficients.
    public let objective: Double
    /// False when `maxEpochs` ran out before the stopping rule was met.
    public let converged: Bool
    /// The objective before the first epoch and after each one (`epochs + 1` values): the
    /// convergence line.
    public let objectivePerEpoch: [Double]
    /// The step size the fit started with (given, or the default 1/𝓛) and the one it ended with.
    public let initialLearningRate: Double
    public let finalLearningRate: Double
}

/// Gradient descent, full-batch or on shuffled minibatches, for the penalised objectives whose
/// exact minimisers the other engines compute, so the two can be compared:
///
///     F(w, b) = (1/n) Σᵢ ℓ(yᵢ, xᵢᵀw + b) + (α/2)‖w‖²,  b unpenalised,
///
/// - `squared`: ℓ = ½(y − z)². F is `ElasticNet` with l1Ratio 0 at the same α, and `Ridge` at
///   α·n (Ridge's ‖y − Xw − b‖² + α_R‖w‖² is 2n·F with α_R = nα); scikit-learn's SGDRegressor
///   with penalty "l2".
/// - `logistic`: ℓ = log(1 + eᶻ) − y z for y ∈ {0, 1}: scikit-learn's LogisticRegression with
///   C = 1/(nα), and SGDClassifier's log loss.
///
/// The intercept is fitted on centred columns (z = (x − μ)ᵀw + b′, b = b′ − μᵀw): the same
/// minimiser, but the intercept's direction no longer couples to the others, so columns with
/// large means do not slow the descent. Columns of very different scales still do: standardise.
///
/// **Step size.** Unless given, η₀ = 1/𝓛(B) for batch size B, the "expected smoothness" of
/// Gower et al. (2019, SGD: general analysis and improved rates, Prop. 3.8) for sampling without
/// replacement: 𝓛(B) = n(B − 1)/(B(n − 1))·L + (n − B)/(B(n − 1))·L_max. Here L bounds the
/// curvature of F (the largest eigenvalue of XcᵀXc/n by power iteration, or 1 for the intercept
/// if larger; ¼ of that for the logistic loss; plus α) and L_max that of a single sample's term
/// (max ‖xᵢ − μ‖² + 1, likewise). Full batch, 𝓛 = L: the classical safe step 1/L, which makes F
/// decrease every epoch; B = 1, 1/L_max.
///
/// **Schedules.** `constant`: η₀ throughout. `invscaling(power:)`: η₀/tᵖᵒʷᵉʳ for the t-th update
/// (t from 1; one update per batch). `adaptive`: η₀ while the objective improves; after
/// `patience` epochs without improvement the rate is halved (scikit-learn divides by 5), and the
/// fit ends, converged, once it falls below η₀·10⁻⁶.
///
/// **Stopping.** An epoch improves when the full objective falls below the best so far by more
/// than `tolerance` times its size. After `patience` epochs in a row without improvement the fit
/// has converged (or, `adaptive`, halves its rate). The default tolerance, 10⁻¹⁶, is below one
/// rounding unit: full-batch descent runs until the objective stops decreasing in double
/// precision, which on standardised data puts the coefficients within about 10⁻⁶ (relative) of
/// the exact solution (diabetes, squared loss: 500 epochs at α = 0.1, 5,400 at α = 0.001;
/// hence `maxEpochs` 10,000). An objective that rises above its starting value has diverged:
/// an error naming the learning rate, not a result. Minibatch descent stops at the level of its gradient noise: on the
/// standardised diabetes data its objective ends 10⁻⁶ to 10⁻³ (relative) above the minimum,
/// and coefficients along poorly determined (collinear) directions can be tens of percent off.
/// `converged` then says only that the stopping rule was met; use full batches to reproduce an
/// exact solution.
public struct GradientDescent: Sendable {
    public enum Loss: String, Sendable {
        case squared, logistic
    }

    public enum Schedule: Sendable, Equatable {
        case constant
        case invscaling(power: Double)
        case adaptive
    }

    public var loss: Loss
    /// The L2 penalty per sample (see the objective above).
    public var alpha: Double
    public var fitIntercept: Bool
    /// Rows per update; nil (or ≥ n) for full-batch gradient descent.
    public var batchSize: Int?
    /// η₀; nil for 1/𝓛.
    public var learningRate: Double?
    /// nil: `constant` for full batches, `adaptive` for minibatches.
    public var schedule: Schedule?
    public var tolerance: Double
    /// Epochs without improvement before the fit stops (scikit-learn's `n_iter_no_change`).
    public var patience: Int
    public var maxEpochs: Int
    /// Seeds the shuffles (`Xoshiro256StarStar`) and the power iteration's start.
    public var seed: UInt64
    /// Where descent starts (a warm start, scikit-learn's partial_fit): coefficients and
    /// intercept; nil for zero.
    public var start: (coefficients: [Double], intercept: Double)?

    public init(loss: Loss = .squared, alpha: Double = 0, fitIntercept: Bool = true, batchSize: Int? = nil,
                learningRate: Double? = nil, schedule: Schedule? = nil, tolerance: Double = 1e-16, patience: Int = 5,
                maxEpochs: Int = 10_000, seed: UInt64 = 0) {
        self.loss = loss
        self.alpha = alpha
        self.fitIntercept = fitIntercept
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.schedule = schedule
        self.tolerance = tolerance
        self.patience = patience
        self.maxEpochs = maxEpochs
        self.seed = seed
    }

    /// Throws `.usage` for an option out of range or a learning rate so large the objective
    /// diverges (rises above its value at the start, or overflows), `.data` for empty or non-finite input (or, logistic, y not 0/1),
    /// `.interrupted` on Ctrl-C (checked every epoch).
    public func fit(_ x: Matrix, _ y: [Double]) throws -> GradientDescentFit {
        try checkOptions()
        try checkDesign(x, y)
        guard x.values.allSatisfy(\.isFinite), y.allSatisfy(\.isFinite) else { throw nonFiniteDataError }
        if loss == .logistic, let bad = y.first(where: { $0 != 0 && $0 != 1 }) {
            throw ModelshError.data("the logistic loss needs y coded 0 or 1, not \(bad)")
        }
        let n = x.rows, p = x.columns
        let problem = CentredProblem(x, y, loss: loss, alpha: alpha, centred: fitIntercept)
        let batch = min(batchSize ?? n, n)
        let schedule = self.schedule ?? (batch == n ? .constant : .adaptive)
        let initialRate = try learningRate ?? 1 / problem.expectedSmoothness(batchSize: batch, seed: seed)

        var w = [Double](repeating: 0, count: p), b = 0.0
        if let start, start.coefficients.count == p {
            // The centred problem's intercept is the model's plus μᵀw.
            w = start.coefficients
            b = fitIntercept ? start.intercept + FixedOrder.dot(problem.means, w) : 0
        }
        var current = problem.evaluate(w, b, gradient: batch == n)
        var objectives = [current.objective]
        var best = current.objective, stale = 0, updates = 0
        var rate = initialRate
        var converged = false
        var random = Xoshiro256StarStar(seed: seed)
        var shuffled = ShuffledRows(problem)

        func step(_ gradient: Gradient) {
            updates += 1
            let eta: Double
            if case .invscaling(let power) = schedule { eta = rate / pow(Double(updates), power) } else { eta = rate }
            FixedOrder.addScaled(-eta, gradient.coefficients, to: &w)
            if fitIntercept { b -= eta * gradient.intercept }
        }

        while objectives.count <= maxEpochs {
            try Interruption.check()
            if batch == n {
                step(current.gradient!)
                current = problem.evaluate(w, b, gradient: true)
            } else {
                shuffled.shuffle(problem, using: &random)
                for start in stride(from: 0, to: n, by: batch) {
                    step(shuffled.gradient(problem, rows: start ..< min(start + batch, n), w, b))
                }
                current = problem.evaluate(w, b, gradient: false)
            }
            let epoch = objectives.count
            // Worse than all-zero coefficients is divergence, not noise: the step is too long.
            guard current.objective <= objectives[0] else {
                throw ModelshError.usage("the objective diverged at epoch \(epoch): learning rate \(initialRate) is too large",
                                         argument: "learningRate")
            }
            objectives.append(current.objective)
            if current.objective < best - tolerance * abs(best) { stale = 0 } else { stale += 1 }
            best = min(best, current.objective)
            guard stale >= patience else { continue }
            if schedule == .adaptive && rate >= initialRate * 1e-6 {
                rate /= 2
                stale = 0
            } else {
                converged = true
                break
            }
        }
        let intercept = fitIntercept ? b - FixedOrder.dot(problem.means, w) : 0
        return GradientDescentFit(coefficients: w, intercept: intercept, epochs: objectives.count - 1,
                                  objective: current.objective, converged: converged, objectivePerEpoch: objectives,
                                  initialLearningRate: initialRate, finalLearningRate: rate)
    }

    private func checkOptions() throws {
        func require(_ condition: Bool, _ option: String, _ message: String) throws {
            guard condition else { throw ModelshError.usage("\(option) must be \(message)", argument: option) }
        }
        try require(alpha >= 0 && alpha.isFinite, "alpha", "a finite number ≥ 0, not \(alpha)")
        if let batchSize { try require(batchSize >= 1, "batchSize", "at least 1, not \(batchSize)") }
        if let learningRate {
            try require(learningRate > 0 && learningRate.isFinite, "learningRate", "a finite number > 0, not \(learningRate)")
        }
        if case .invscaling(let power) = schedule {
            try require(power >= 0 && power.isFinite, "power", "a finite number ≥ 0, not \(power)")
        }
        try require(tolerance >= 0 && tolerance.isFinite, "tolerance", "a finite number ≥ 0, not \(tolerance)")
        try require(patience >= 1, "patience", "at least 1, not \(patience)")
        try require(maxEpochs >= 1, "maxEpochs", "at least 1, not \(maxEpochs)")
    }
}

// MARK: - The objective on centred data

private struct Gradient {
    var coefficients: [Double]
    var intercept: Double
}

/// X centred (when the intercept is fitted) and y, with the loss and penalty: F and ∇F on any
/// block of rows.
private struct CentredProblem {
    let rows: Int
    let columns: Int
    let loss: GradientDescent.Loss
    let alpha: Double
    let centred: Bool
    /// Zero when not centred.
    let means: [Double]
    /// X − 1μᵀ, column-major n × p.
    let design: [Double]
    let y: [Double]

    init(_ x: Matrix, _ y: [Double], loss: GradientDescent.Loss, alpha: Double, centred: Bool) {
        let n = x.rows, p = x.columns
        rows = n
        columns = p
        self.loss = loss
        self.alpha = alpha
        self.centred = centred
        self.y = y
        means = centred ? columnMeans(x) : [Double](repeating: 0, count: p)
        design = subtractingColumnMeans(x, means)
    }

    /// F(w, b) over all rows, and ∇F when asked for.
    func evaluate(_ w: [Double], _ b: Double, gradient: Bool) -> (objective: Double, gradient: Gradient?) {
        design.withUnsafeBufferPointer { d in
            y.withUnsafeBufferPointer { t in
                lossAndGradient(d.baseAddress!, leading: rows, targets: t.baseAddress!, count: rows, w, b, gradient: gradient)
            }
        }
    }

    /// The mean loss over `count` rows starting at `block` (leading dimension `leading`) plus the
    /// penalty, and its gradient when asked for.
    func lossAndGradient(_ block: UnsafePointer<Double>, leading: Int, targets: UnsafePointer<Double>, count m: Int,
                         _ w: [Double], _ b: Double, gradient wanted: Bool) -> (objective: Double, gradient: Gradient?) {
        var derivatives = [Double](repeating: b, count: m)  // z, then dℓ/dz
        w.withUnsafeBufferPointer { w in
            FixedOrder.addProduct(block, rows: m, columns: columns, leading: leading, w.baseAddress!, to: &derivatives)
        }
        var total = 0.0
        for i in 0 ..< m {
            let z = derivatives[i], target = targets[i]
            switch loss {
            case .squared:
                total += 0.5 * (z - target) * (z - target)
                derivatives[i] = z - target
            case .logistic:
                // log(1 + eᶻ) and the sigmoid, without overflow for large |z|.
                let e = exp(-abs(z))
                total += max(z, 0) + log1p(e) - target * z
                derivatives[i] = (z >= 0 ? 1 / (1 + e) : e / (1 + e)) - target
            }
        }
        let penalty = 0.5 * alpha * FixedOrder.dot(w, w)
        let objective = total / Double(m) + penalty
        guard wanted else { return (objective, nil) }
        var coefficients = w
        FixedOrder.transposedProduct(1 / Double(m), block, rows: m, columns: columns, leading: leading, derivatives, alpha, &coefficients)
        let intercept = centred ? FixedOrder.sum(derivatives, count: m) / Double(m) : 0
        return (objective, Gradient(coefficients: coefficients, intercept: intercept))
    }

    /// 𝓛(B) for batch size B (see `GradientDescent`): between the full objective's curvature
    /// bound L (B = n) and a single sample's, L_max (B = 1).
    func expectedSmoothness(batchSize: Int, seed: UInt64) throws -> Double {
        let n = Double(rows), batch = Double(batchSize)
        let lossCurvature = loss == .squared ? 1.0 : 0.25
        let interceptCurvature = centred ? 1.0 : 0
        let full = lossCurvature * max(try largestGramEigenvalue(seed: seed) / n, interceptCurvature) + alpha
        guard batchSize < rows else { return full }
        var rowNorms = [Double](repeating: interceptCurvature, count: rows)
        for j in 0 ..< columns {
            for i in 0 ..< rows { rowNorms[i] += design[j * rows + i] * design[j * rows + i] }
        }
        let single = lossCurvature * rowNorms.max()! + alpha
        return n * (batch - 1) / (batch * (n - 1)) * full + (n - batch) / (batch * (n - 1)) * single
    }

    /// λmax(DᵀD) for the centred design D by power iteration from a seeded random start, to
    /// 10⁻³ relative (the step only needs to be below 2/L) or 100 iterations.
    private func largestGramEigenvalue(seed: UInt64) throws -> Double {
        var random = Xoshiro256StarStar(seed: seed)
        var v = (0 ..< columns).map { _ in random.uniform() - 0.5 }
        var image = [Double](repeating: 0, count: rows)
        var estimate = 0.0
        for _ in 0 ..< 100 {
            try Interruption.check()
            let norm = FixedOrder.dot(v, v).squareRoot()
            guard norm > 0 else { return 0 }
            v = v.map { $0 / norm }
            image.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            FixedOrder.addProduct(design, rows: rows, columns: columns, leading: rows, v, to: &image)
            FixedOrder.transposedProduct(1, design, rows: rows, columns: columns, leading: rows, image, 0, &v)
            let previous = estimate
            estimate = FixedOrder.dot(image, image)  // vᵀDᵀDv for unit v
            if abs(estimate - previous) <= 1e-3 * estimate { break }
        }
        return estimate
    }
}

/// The rows of the centred design in a new random order each epoch, so each minibatch is a
/// contiguous block.
private struct ShuffledRows {
    private var design: [Double]
    private var targets: [Double]

    init(_ problem: CentredProblem) {
        design = problem.design
        targets = problem.y
    }

    mutating func shuffle(_ problem: CentredProblem, using random: inout Xoshiro256StarStar) {
        let n = problem.rows
        let order = random.permutation(of: n)
        for j in 0 ..< problem.columns {
            for (position, row) in order.enumerated() { design[j * n + position] = problem.design[j * n + row] }
        }
        for (position, row) in order.enumerated() { targets[position] = problem.y[row] }
    }

    func gradient(_ problem: CentredProblem, rows: Range<Int>, _ w: [Double], _ b: Double) -> Gradient {
        design.withUnsafeBufferPointer { d in
            targets.withUnsafeBufferPointer { t in
                problem.lossAndGradient(d.baseAddress! + rows.lowerBound, leading: problem.rows,
                                        targets: t.baseAddress! + rows.lowerBound, count: rows.count, w, b, gradient: true)
                    .gradient!
            }
        }
    }
}
