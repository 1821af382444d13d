import CKernels
import CLapack
import Diagnostics

/// R's iteratively reweighted least squares for the binomial family (glm.fit), as a state that
/// two kinds of iteration advance: R's own, each step a pivoted QR of √W X, and, for large
/// designs, one by normal equations that the QR takes over from when XᵀWX is ill-conditioned.
/// With prior (case) weights, R's weighted glm: its start, each row's IRLS weight and deviance
/// times its prior weight. With an offset (η = X b + offset) and a start for η, R's glm.fit
/// with `offset =` and `etastart =`, as profiling the likelihood calls it. Fits with any of
/// these iterate by QR only.
struct BinaryIRLS {
    /// One weighted least-squares solution.
    struct WeightedStep {
        /// 0 where aliased, so that X · coefficients is the new linear predictor.
        let coefficients: [Double]
        let aliased: [Bool]
        let rank: Int
        let unscaledCovariance: Matrix
    }

    /// The design's columns, read where they lie.
    let x: ColumnPointers
    let y: [Double]
    /// Each row's prior weight (≥ 0), or nil for 1 each.
    let priorWeights: [Double]?
    /// Added to X b in each row's linear predictor; nil for none.
    let offset: [Double]?
    let epsilon: Double
    let maxIterations: Int
    /// R's start, μ = (y + ½)/2, at each of the two values of y: every row's η, μ and μ′ are
    /// one of these until the first step, so they are made row by row only when an iteration
    /// by QR needs them (the normal equations' first pass needs only the two).
    private let start: [(eta: Double, mu: Double, derivative: Double)]
    /// η, μ and dμ/dη per row, once made (at the start or after a step).
    private var rowValues: (eta: [Double], mu: [Double], derivative: [Double])?
    /// At η; R's `devold` between iterations.
    private(set) var deviance: Double
    /// The last weighted fit: eta = X · its coefficients.
    private(set) var step: WeightedStep?
    private(set) var iterations = 0
    private(set) var converged = false
    /// XᵀWX at the final coefficients, when the last step was by normal equations: its pass
    /// computes it beside the deviance, where a separate pass would read X again.
    private(set) var finalInformation: Matrix?

    /// Whether the last pass by normal equations keeps XᵀWX (`finalInformation`).
    let wantsFinalInformation: Bool

    /// R's start for 0/1 responses: μ = (y + ½)/2, η = logit μ; with prior weights w,
    /// μ = (w·y + ½)/(w + 1) (binomial()$initialize); or η = `etaStart` when given.
    init(_ x: ColumnPointers, _ y: [Double], priorWeights: [Double]? = nil, offset: [Double]? = nil, etaStart: [Double]? = nil,
         epsilon: Double, maxIterations: Int, wantsFinalInformation: Bool = false) {
        self.x = x
        self.y = y
        self.priorWeights = priorWeights
        self.offset = offset
        self.epsilon = epsilon
        self.maxIterations = maxIterations
        self.wantsFinalInformation = wantsFinalInformation
        // y is 0 or 1, so the start takes two values: each computed once, not once per row.
        start = [0.0, 1.0].map { y in
            let eta = Binomial.link((y + 0.5) / 2), (mu, derivative) = Binomial.fittedValue(eta)
            return (eta: eta, mu: mu, derivative: derivative)
        }
        if etaStart != nil || priorWeights != nil {
            // The start depends on each row: made row by row.
            let eta = etaStart ?? zip(y, priorWeights!).map { y, w in Binomial.link((w * y + 0.5) / (w + 1)) }
            let (mu, derivative) = Binomial.fittedValues(eta)
            rowValues = (eta, mu, derivative)
            deviance = Binomial.deviance(y, mu, priorWeights: priorWeights)
        } else {
            deviance = Binomial.constantDeviance(y, atZero: start[0].mu, atOne: start[1].mu)
        }
    }

    /// μ per row.
    var mu: [Double] { rowValues?.mu ?? y.map { $0 == 1 ? start[1].mu : start[0].mu } }

    /// Makes the start's rows when no step has made rows yet.
    private mutating func makeRowValues() -> (eta: [Double], mu: [Double], derivative: [Double]) {
        if let rowValues { return rowValues }
        let (zero, one) = (start[0], start[1])
        let made = (eta: y.map { $0 == 1 ? one.eta : zero.eta }, mu: mu, derivative: y.map { $0 == 1 ? one.derivative : zero.derivative })
        rowValues = made
        return made
    }

    var isFinished: Bool { converged || iterations == maxIterations }

    /// R's iterations: regress z = η + r (r = (y − μ)/μ′) on X with weights W = μ′²/V(μ) by
    /// pivoted QR (tolerance min(1e-7, ε/1000)) until the deviance settles or the limit.
    mutating func iterateByQR() throws {
        let n = x.rows
        // Made only when a step remains: after the normal equations, none usually does.
        guard !isFinished else { return }
        var roots = [Double](repeating: 0, count: n), response = roots
        while !isFinished {
            try Interruption.check()
            let (eta, mu, derivative) = makeRowValues()
            for i in 0 ..< n {
                let (weight, residual) = Binomial.working(y[i], mu[i], derivative[i])
                roots[i] = (weight * (priorWeights?[i] ?? 1)).squareRoot()
                response[i] = (eta[i] - (offset?[i] ?? 0) + residual) * roots[i]
            }
            var scaled = [Double](repeating: 0, count: n * x.count)
            for j in 0 ..< x.count {
                let column = x[j, from: 0]
                for i in 0 ..< n { scaled[j * n + i] = column[i] * roots[i] }
            }
            let fit = try QRLeastSquares.fit(Matrix(rows: n, columns: x.count, values: scaled), response,
                                             tolerance: min(1e-7, epsilon / 1000))
            let step = WeightedStep(coefficients: fit.coefficients.map { $0.isNaN ? 0 : $0 }, aliased: fit.aliased,
                                    rank: fit.rank, unscaledCovariance: fit.unscaledCovariance)
            var next = x.product(step.coefficients)
            if let offset { for i in 0 ..< n { next[i] += offset[i] } }
            let (nextMu, nextDerivative) = Binomial.fittedValues(next)
            advance(to: step, eta: next, mu: nextMu, derivative: nextDerivative, deviance: Binomial.deviance(y, nextMu, priorWeights: priorWeights))
        }
    }

    /// Iterations by the normal equations XᵀWX b = XᵀWz, in increment form XᵀWX δ = XᵀW r once
    /// η = X b, so the Cholesky factorisation's rounding shrinks with the step. Each pass over
    /// X computes, for the new coefficients, η, μ and the deviance and, for the step after, the
    /// Gram matrix of [√W X | √W r] (the right-hand side is its last column): one pass per
    /// iteration instead of two. The pass leaves the Gram matrix out when the step's predicted
    /// deviance decrease δᵀXᵀWr is below a tenth of the stopping threshold, since convergence
    /// is then all but certain (if not, a separate pass computes it). Returns unfinished,
    /// leaving the state as it was, when the equilibrated XᵀWX has a reciprocal condition
    /// number below 1e-8 (the QR goes on from there).
    mutating func iterateByNormalEquations() throws {
        // Its passes (CKernels) weigh rows by the working weights alone, without an offset.
        precondition(priorWeights == nil && offset == nil, "prior weights and offsets iterate by QR")
        let p = x.count
        var gram = try gramAtCurrentState()
        while !isFinished {
            try Interruption.check()
            guard let factor = Cholesky(Self.information(in: gram), minimumReciprocalCondition: 1e-8) else { return }
            let rightHandSide = (0 ..< p).map { gram[$0, p] }
            let solution = factor.solve(rightHandSide)
            let predictedDecrease = zip(solution, rightHandSide).reduce(0) { $0 + $1.0 * $1.1 }
            let likelyLast = step != nil && predictedDecrease < 0.1 * epsilon * (abs(deviance) + 0.1)
            let coefficients = step.map { zip($0.coefficients, solution).map { $0 + $1 } } ?? solution
            // The pass writes the new rows over the current ones, which the step makes dead:
            // fresh arrays would cost a first touch of every page at each iteration, more than
            // the pass's arithmetic. (A pass throws only when interrupted, and the fit then ends.)
            var rows = rowValues ?? Self.unfilledRows(x.rows)
            rowValues = nil
            let pass = try passAt(coefficients, withGram: !likelyLast || wantsFinalInformation, into: &rows)
            advance(to: WeightedStep(coefficients: coefficients, aliased: [Bool](repeating: false, count: p), rank: p,
                                     unscaledCovariance: factor.inverse()),
                    eta: rows.eta, mu: rows.mu, derivative: rows.derivative, deviance: pass.deviance)
            if !isFinished { gram = try pass.gram ?? gramAtCurrentState() }
            finalInformation = isFinished ? pass.gram.map(Self.information) : nil
        }
    }

    /// XᵀWX: the leading block of the Gram matrix of [√W X | √W r], without its last row and column.
    private static func information(in gram: Matrix) -> Matrix {
        let p = gram.columns - 1
        return Matrix(rows: p, columns: p, values: (0 ..< p).flatMap { j in gram.values[j * gram.rows ..< j * gram.rows + p] })
    }

    /// The Gram matrix of [√W X | √W z] at the current state, z the working response (the
    /// working residual once η = X b).
    private func gramAtCurrentState() throws -> Matrix {
        guard let (eta, mu, derivative) = rowValues else { return try gramAtStart() }
        var accumulator = WeightedGramAccumulator(columns: x.count, extraColumn: true)
        _ = try accumulator.addRows(of: x) { block, weights, response in
            for (k, i) in block.enumerated() {
                let (weight, residual) = Binomial.working(y[i], mu[i], derivative[i])
                weights[k] = weight
                response![k] = step == nil ? eta[i] + residual : residual
            }
        }
        return accumulator.result
    }

    /// `gramAtCurrentState` at R's start, where the weight μ′²/V(μ) is 3/16 whether y is 0 or 1
    /// (μ = ¼ or ¾, and μ′ = V(μ) = μ(1 − μ) for the logit link): the Gram matrix is then
    /// (3/16) [X z]ᵀ[X z], a dsyrk over X in place, without weighing and copying every row.
    /// (Row by row, the two weights come out an ulp apart; that difference in the first step
    /// is far below what the iterations that follow settle to.)
    private func gramAtStart() throws -> Matrix {
        let response = start.enumerated().map { y, value in value.eta + Binomial.working(Double(y), value.mu, value.derivative).residual }
        let gram = try GramFactor.augmentedGram(x, y.map { $0 == 1 ? response[1] : response[0] })
        return Matrix(rows: x.count + 1, columns: x.count + 1, values: gram.map { $0 * (3.0 / 16) })
    }

    /// Takes a step and applies glm's stopping rule |dev − dev_old| / (|dev| + 0.1) < ε.
    private mutating func advance(to step: WeightedStep, eta: [Double], mu: [Double], derivative: [Double], deviance: Double) {
        iterations += 1
        converged = abs(deviance - self.deviance) / (abs(deviance) + 0.1) < epsilon
        self.step = step
        rowValues = (eta, mu, derivative)
        self.deviance = deviance
    }

    /// Room for n rows' η, μ and μ′, every one of them written by the pass that fills it.
    private static func unfilledRows(_ n: Int) -> (eta: [Double], mu: [Double], derivative: [Double]) {
        let unfilled = { [Double](unsafeUninitializedCapacity: n) { _, count in count = n } }
        return (unfilled(), unfilled(), unfilled())
    }

    /// One pass over X at coefficients b, by blocks of rows on all cores: η = X b, μ, μ′ (into
    /// `rows`), the deviance, and (`withGram`) the Gram matrix of [√W X | √W r] at those
    /// weights and working residuals.
    private func passAt(_ b: [Double], withGram: Bool, into rows: inout (eta: [Double], mu: [Double], derivative: [Double])) throws
        -> (deviance: Double, gram: Matrix?) {
        let n = x.rows, p = x.count, blockRows = WeightedGramAccumulator.blockRows
        var accumulator = withGram ? WeightedGramAccumulator(columns: p, extraColumn: true) : nil
        let deviances = try y.withUnsafeBufferPointer { ys in
            try rows.eta.withUnsafeMutableBufferPointer { etaOut in
                try rows.mu.withUnsafeMutableBufferPointer { muOut in
                    try rows.derivative.withUnsafeMutableBufferPointer { derivativeOut in
                        let (ys, etaOut, muOut, derivativeOut) = (ys.baseAddress!, etaOut.baseAddress!, muOut.baseAddress!, derivativeOut.baseAddress!)
                        // Fills the block's rows of η, μ, μ′ and, given buffers, W and r; returns its deviance.
                        let evaluate = { (block: Range<Int>, weights: UnsafeMutablePointer<Double>?, residuals: UnsafeMutablePointer<Double>?) -> Double in
                            // η for the block, then μ, μ′, the deviance and the working values (CKernels).
                            let first = block.lowerBound
                            (etaOut + first).update(repeating: 0, count: block.count)
                            msh_add_products((0 ..< p).map { Optional(x[$0, from: first]) }, b, p, block.count, etaOut + first)
                            return msh_binomial_rows(etaOut + first, ys + first, muOut + first, derivativeOut + first, weights, residuals,
                                                     block.count)
                        }
                        if accumulator != nil { return try accumulator!.addRows(of: x, weigh: evaluate) }
                        try Interruption.check()
                        return mapConcurrently(count: (n + blockRows - 1) / blockRows) { index in
                            evaluate(index * blockRows ..< min(n, (index + 1) * blockRows), nil, nil)
                        }
                    }
                }
            }
        }
        return (deviances.reduce(0, +), accumulator?.result)
    }
}
