import CLapack
import Diagnostics
import Foundation

extension LogisticRegression {
    /// The result of `fitMultinomial`.
    public struct MultinomialFit: Sendable, Equatable {
        public let classCount: Int
        /// The class each coefficient column belongs to: 1 ..< K, each against class 0 (whose
        /// logit is 0), for the unpenalised fit; 0 ..< K (one vector per class) for the L2 fit.
        public let modelledClasses: [Int]
        /// Design columns × modelled classes; rows of aliased columns are NaN.
        public let coefficients: Matrix
        /// Design columns that are linear combinations of earlier ones (unpenalised fits only).
        public let aliased: [Bool]
        /// Same shape as the coefficients, from the inverse Hessian at the estimate; nil for
        /// penalised fits, NaN where aliased or where the Hessian is numerically singular.
        public let standardErrors: Matrix?
        public let zValues: Matrix?
        /// Two-sided, from the standard normal distribution.
        public let pValues: Matrix?
        /// −2 Σᵢ log P(yᵢ), the penalty excluded.
        public let deviance: Double
        /// Deviance + 2·(rank·(K − 1)), as nnet::multinom's; nil for penalised fits.
        public let aic: Double?
        public let iterations: Int
        public let converged: Bool
        /// Rows × K fitted class probabilities.
        public let probabilities: Matrix
        public let warnings: [Warning]
    }

    /// Softmax (multinomial logit) regression for K ≥ 2 classes by Newton's method on the full
    /// Hessian (p·(K−1) square, cheap for the designs a shell fits) with step halving.
    ///
    /// Unpenalised (`l2Penalty` nil): maximum likelihood with class 0 as the baseline, as R's
    /// nnet::multinom parametrises it, so the coefficients are identifiable and have standard
    /// errors. Design columns that are linear combinations of earlier ones (R's `lm` rank rule
    /// on X, tolerance 1e-7) are aliased and left out. Under (quasi-)complete separation the
    /// likelihood has no maximum: the separated part's steps shrink with its vanishing share of
    /// the deviance until the stopping rule below holds, or the Hessian turns singular
    /// (`.didNotConverge`); either way `.fittedProbabilitiesZeroOrOne` is reported (never for
    /// a penalised fit, whose estimates stay finite).
    ///
    /// With `l2Penalty: α`: minimises Σ −log P(yᵢ) + (α/2)·Σ over classes and non-intercept
    /// columns of the squared coefficients, one coefficient vector per class (the symmetric
    /// parametrisation, which the penalty makes identifiable): scikit-learn's multinomial
    /// `LogisticRegression(l1_ratio=0, C=1/α)`. The intercepts, unpenalised, are fixed to sum
    /// to zero.
    ///
    /// `classes` holds class indices in 0 ..< classCount; every class must occur (`.data`
    /// otherwise, as for non-finite values). Stops when the next step's predicted decrease is below
    /// ε·(|objective| + 0.1), after taking it (see `DampedNewton`).
    public static func fitMultinomial(_ x: Matrix, classes: [Int], classCount: Int, hasIntercept: Bool,
                                      l2Penalty: Double? = nil, epsilon: Double = 1e-10,
                                      maxIterations: Int = 100) throws -> MultinomialFit {
        precondition(classes.count == x.rows, "one class per row of X")
        precondition(classCount >= 2 && classes.allSatisfy { (0 ..< classCount).contains($0) }, "class indices must lie in 0 ..< classCount")
        guard x.rows > 0 else { throw ModelshError.data("logistic regression needs at least one row") }
        try validateFinite(x)
        var counts = [Int](repeating: 0, count: classCount)
        for c in classes { counts[c] += 1 }
        if let empty = counts.firstIndex(of: 0) { throw ModelshError.data("class \(empty) has no observations") }
        if let alpha = l2Penalty, !(alpha > 0 && alpha.isFinite) {
            throw ModelshError.usage("a penalty strength must be a positive number, not \(alpha)")
        }

        let aliased = l2Penalty == nil ? try QRLeastSquares.fit(x, [Double](repeating: 0, count: x.rows)).aliased
                                       : [Bool](repeating: false, count: x.columns)
        let kept = aliased.indices.filter { !aliased[$0] }
        let model = SoftmaxModel(design: Matrix(rows: x.rows, columns: kept.map { x.column($0) }), classes: classes,
                                 classCount: classCount, baseline: l2Penalty == nil, alpha: l2Penalty ?? 0,
                                 penalised: kept.map { !(hasIntercept && $0 == 0) })
        let result = try DampedNewton(epsilon: epsilon, maxIterations: maxIterations).minimize(
            from: [Double](repeating: 0, count: model.parameterCount), objective: { model.objective($0) }, step: model.newtonStep)

        let (probabilities, negativeLogLikelihood) = model.probabilities(result.parameters)
        let deviance = 2 * negativeLogLikelihood
        let columns = model.modelledClasses.count
        func expand(_ values: [Double]) -> Matrix {
            Matrix(rows: x.columns, columns: columns, values: (0 ..< columns).flatMap { c in
                spread(Array(values[c * kept.count ..< (c + 1) * kept.count]), over: aliased)
            })
        }
        var standardErrors: Matrix? = nil, zValues: Matrix? = nil, pValues: Matrix? = nil, aic: Double? = nil
        if l2Penalty == nil {
            let hessian = try model.hessian(probabilities)
            let roots = Cholesky(hessian).map { diagonalRoots($0.inverse()) } ?? [Double](repeating: .nan, count: model.parameterCount)
            let tests = waldTests(result.parameters, roots)
            (standardErrors, zValues, pValues) = (expand(roots), expand(tests.z), expand(tests.p))
            aic = deviance + 2 * Double(model.parameterCount)
        }
        let tolerance = 10 * Double.ulpOfOne
        var warnings: [Warning] = result.converged ? [] : [.didNotConverge]
        // Only maximum likelihood can run off under separation; a penalised fit stays finite
        // however sure it is (as the binary penalised fit, which never warns of it).
        if l2Penalty == nil, probabilities.values.contains(where: { $0 < tolerance || $0 > 1 - tolerance }) {
            warnings.append(.fittedProbabilitiesZeroOrOne)
        }
        return MultinomialFit(classCount: classCount, modelledClasses: model.modelledClasses, coefficients: expand(result.parameters),
                              aliased: aliased, standardErrors: standardErrors, zValues: zValues, pValues: pValues,
                              deviance: deviance, aic: aic, iterations: result.iterations, converged: result.converged,
                              probabilities: probabilities, warnings: warnings)
    }

    /// Rows × K class probabilities for a design X and coefficients with `classCount − 1`
    /// columns (classes 1 ..< K against class 0, as the unpenalised fit gives them) or
    /// `classCount` columns (one per class, as the penalised fit gives them). NaN coefficients
    /// (aliased) count as 0.
    public static func predictProbabilities(_ x: Matrix, multinomialCoefficients coefficients: Matrix, classCount: Int) -> Matrix {
        precondition(coefficients.rows == x.columns, "one coefficient row per design column")
        precondition(coefficients.columns == classCount - 1 || coefficients.columns == classCount, "coefficients for K − 1 or K classes")
        let cleaned = Matrix(rows: coefficients.rows, columns: coefficients.columns, values: coefficients.values.map { $0.isNaN ? 0 : $0 })
        return softmax(logits: x.multiplied(by: cleaned), classCount: classCount).probabilities
    }

    /// Row-wise softmax of logits with one column per class, or K − 1 columns for classes
    /// 1 ..< K (class 0's logit then 0), taken stably, and for each row log Σₖ exp(logit k), so
    /// that −log P(class k) = logSumExp − logit k.
    static func softmax(logits: Matrix, classCount: Int) -> (probabilities: Matrix, logSumExp: [Double]) {
        let n = logits.rows, offset = classCount - logits.columns
        var probabilities = Matrix(rows: n, columns: classCount)
        var logSumExp = [Double](repeating: 0, count: n)
        for i in 0 ..< n {
            var largest = offset == 1 ? 0.0 : -Double.infinity
            for c in 0 ..< logits.columns { largest = max(largest, logits[i, c]) }
            var sum = 0.0
            for k in 0 ..< classCount {
                let e = exp((k < offset ? 0 : logits[i, k - offset]) - largest)
                probabilities[i, k] = e
                sum += e
            }
            for k in 0 ..< classCount { probabilities[i, k] /= sum }
            logSumExp[i] = largest + log(sum)
        }
        return (probabilities, logSumExp)
    }
}

/// The multinomial negative log-likelihood (plus an L2 penalty) of a design, as a function of
/// the parameters θ: the p × C coefficient matrix, column-major (θ[c·p + j] is column j's
/// coefficient for modelled class c).
private struct SoftmaxModel {
    let design: Matrix
    let classes: [Int]
    let classCount: Int
    let modelledClasses: [Int]
    let alpha: Double
    /// Per design column: whether the penalty applies (not the intercept).
    let penalised: [Bool]

    init(design: Matrix, classes: [Int], classCount: Int, baseline: Bool, alpha: Double, penalised: [Bool]) {
        self.design = design
        self.classes = classes
        self.classCount = classCount
        modelledClasses = baseline ? Array(1 ..< classCount) : Array(0 ..< classCount)
        self.alpha = alpha
        self.penalised = penalised
    }

    var parameterCount: Int { design.columns * modelledClasses.count }

    func probabilities(_ theta: [Double]) -> (Matrix, negativeLogLikelihood: Double) {
        let p = design.columns, offset = classCount - modelledClasses.count
        let logits = design.multiplied(by: Matrix(rows: p, columns: modelledClasses.count, values: theta))
        let (probabilities, logSumExp) = LogisticRegression.softmax(logits: logits, classCount: classCount)
        var sum = 0.0
        for (i, k) in classes.enumerated() { sum += logSumExp[i] - (k < offset ? 0 : logits[i, k - offset]) }
        return (probabilities, sum)
    }

    func objective(_ theta: [Double]) -> Double {
        var penalty = 0.0
        if alpha > 0 {
            for (index, t) in theta.enumerated() where penalised[index % design.columns] { penalty += alpha / 2 * t * t }
        }
        return probabilities(theta).negativeLogLikelihood + penalty
    }

    /// −H⁻¹ g, or nil when the Hessian is not numerically positive definite.
    func newtonStep(_ theta: [Double]) throws -> DampedNewton.Step? {
        let p = design.columns, n = design.rows, count = modelledClasses.count
        let (probabilities, _) = probabilities(theta)
        var residuals = Matrix(rows: n, columns: count)
        for (c, k) in modelledClasses.enumerated() {
            for i in 0 ..< n { residuals[i, c] = probabilities[i, k] - (classes[i] == k ? 1 : 0) }
        }
        var gradient = Matrix(rows: p, columns: count)
        cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, Int32(p), Int32(count), Int32(n), 1, design.values, Int32(n),
                    residuals.values, Int32(n), 0, &gradient.values, Int32(p))
        var hessian = try self.hessian(probabilities)
        if alpha > 0 {
            for index in theta.indices where penalised[index % p] {
                gradient.values[index] += alpha * theta[index]
                hessian[index, index] += alpha
            }
        }
        if alpha > 0 { fixInterceptSum(&hessian) }
        return DampedNewton.Step.newton(gradient: gradient.values, hessian: hessian)
    }

    /// The Hessian of the negative log-likelihood: block (c, d) is Xᵀ diag(π_c (δ_cd − π_d)) X.
    /// Each block's weights have one sign, so each is a weighted Gram matrix (dsyrk).
    func hessian(_ probabilities: Matrix) throws -> Matrix {
        let p = design.columns, n = design.rows, count = modelledClasses.count, size = p * count
        var hessian = Matrix(rows: size, columns: size)
        for (c, k) in modelledClasses.enumerated() {
            for (d, l) in modelledClasses.enumerated() where d >= c {
                let weights = (0 ..< n).map { i in probabilities[i, k] * (k == l ? 1 - probabilities[i, k] : probabilities[i, l]) }
                let block = try weightedGram(design, weights: weights)
                let sign = k == l ? 1.0 : -1.0
                for j in 0 ..< p {
                    for m in 0 ..< p {
                        hessian[c * p + j, d * p + m] = sign * block[j, m]
                        hessian[d * p + m, c * p + j] = sign * block[j, m]
                    }
                }
            }
        }
        return hessian
    }

    /// With one coefficient vector per class, adding a constant to every intercept changes no
    /// probability, so the Hessian is singular along that direction e. The gradient has no
    /// component along e (Σ_k (π_k − y_k) = 0), so adding s·eeᵀ, s the mean intercept
    /// curvature, makes the system solvable and leaves the step orthogonal to e: intercepts
    /// that start at zero keep summing to zero.
    private func fixInterceptSum(_ hessian: inout Matrix) {
        let p = design.columns, count = modelledClasses.count
        guard let intercept = penalised.firstIndex(of: false) else { return }
        let indices = (0 ..< count).map { $0 * p + intercept }
        let s = indices.reduce(0) { $0 + hessian[$1, $1] } / Double(count)
        for a in indices { for b in indices { hessian[a, b] += s } }
    }
}
