import Diagnostics
import Numerics
import Tabular

/// What a penalised linear fit learned, shared by ridge, lasso and elastic net: an
/// unpenalised intercept, one coefficient per design column, how the solver ended, and the
/// training fit figures `summary` shows.
public struct PenalisedLinearState: LearnedState {
    public let intercept: Double
    public let coefficients: [Double]
    public let residualSumOfSquares: Double
    /// Σ(y − ȳ)² over the training rows, for the training R².
    public let totalSumOfSquares: Double
    public let observations: Int
    /// Ridge: the trace of the hat matrix (intercept not counted). Coordinate descent: nil.
    public let effectiveDegreesOfFreedom: Double?
    /// Coordinate descent: sweeps run, the final duality gap and the gap it had to reach.
    public let iterations: Int?
    public let dualityGap: Double?
    public let gapTolerance: Double?
    public let converged: Bool
    /// Ridge: the centred factor of [X y] that `update` folds new rows into; nil for the
    /// coordinate-descent kinds (and ridge files written before update).
    public var factor: ScatterFactor? = nil

    public func predict(_ inputs: ModelInputs) throws -> RawPrediction {
        .values(LinearPredictor.apply(inputs.designColumns, intercept: intercept, slopes: coefficients))
    }

    public func summary(of model: Model, options: SummaryOptions) -> Report {
        var report = Report()
        report.add("Penalty: \(PenalisedRegression.penaltyDescription(model))")
        var table = TextTable(headers: ["", "Estimate"], alignments: [.left, .right])
        if model.preprocessing.settings.hasIntercept { table.append(["(Intercept)", NumberFormat.significant(intercept)]) }
        // Zeros are shown as "." as glmnet's coef() prints them: the term left the model.
        for (term, value) in zip(model.terms, coefficients) { table.append([term, value == 0 ? "." : NumberFormat.significant(value)]) }
        report.add("Coefficients:")
        report.add(table)
        let nonzero = coefficients.filter { $0 != 0 }.count
        var fit = "Nonzero coefficients: \(nonzero) of \(coefficients.count)"
        if let df = effectiveDegreesOfFreedom { fit = "Effective degrees of freedom: \(NumberFormat.significant(df)) of \(coefficients.count)" }
        report.add(fit)
        let r2 = totalSumOfSquares > 0 ? 1 - residualSumOfSquares / totalSumOfSquares : Double.nan
        report.add("Training fit: residual sum of squares \(NumberFormat.significant(residualSumOfSquares)), R-squared \(NumberFormat.significant(r2))")
        if let iterations, let gap = dualityGap, let tolerance = gapTolerance {
            let ending = converged ? "converged" : "did NOT converge (raise max_iter= or tol=)"
            // The gap is a difference of sums of squares the size of ‖y − ȳ‖²: below a few
            // rounding units of that, its value (and sign) is the BLAS kernel's rounding.
            let roundingLevel = 64 * Double.ulpOfOne * totalSumOfSquares / Double(max(observations, 1))
            let shownGap = abs(gap) <= roundingLevel
                ? "below rounding error (≤ \(NumberFormat.significant(roundingLevel, digits: 2)))" : NumberFormat.significant(gap, digits: 3)
            report.add("Coordinate descent: \(ending) after \(iterations) sweeps; duality gap \(shownGap) (tolerance \(NumberFormat.significant(tolerance, digits: 3)))")
        }
        return report
    }

    /// Coordinate descent that ran out of sweeps warns, as scikit-learn's ConvergenceWarning.
    public var warnings: [String] {
        guard !converged, let iterations else { return [] }
        let gap = dualityGap.map { "; duality gap \(NumberFormat.significant($0, digits: 3))" } ?? ""
        let tolerance = gapTolerance.map { " (tolerance \(NumberFormat.significant($0, digits: 3)))" } ?? ""
        return ["coordinate descent stopped after \(iterations) sweep\(iterations == 1 ? "" : "s") without converging\(gap)\(tolerance): raise max_iter= or tol="]
    }

    public func check(in model: Model) throws {
        try require(model.task == .regression, "a penalised linear model does regression")
        try require(coefficients.count == model.preprocessing.terms.count, "\(coefficients.count) coefficients for \(model.preprocessing.terms.count) design columns")
        try require(intercept.isFinite && coefficients.allSatisfy(\.isFinite), "a coefficient is not finite")
        try require(model.preprocessing.settings.hasIntercept || intercept == 0, "an intercept in a model fitted without one")
        try require(observations == model.training.rowsUsed, "\(observations) observations but training used \(model.training.rowsUsed) rows")
        try require(factor.map { $0.isConsistent && $0.centred == model.preprocessing.settings.hasIntercept && $0.columns == coefficients.count
                        && $0.count == observations } ?? true, "the state's factor does not match its coefficients and observations")
        try require(residualSumOfSquares.isFinite && residualSumOfSquares >= 0 && totalSumOfSquares.isFinite && totalSumOfSquares >= 0,
                    "a sum of squares is negative or not finite")
    }
}

/// The options and solvers shared by the penalised linear kinds.
enum PenalisedRegression {
    static let commonOptions: [CommonOption] = [.intercept, .impute, .scale, .poly]

    static let alphaHelp = "penalty strength α ≥ 0 (default 1)"
    static let toleranceOptions = [
        ModelOptionSpec(name: "tol", help: "stop when the duality gap is below tol·‖y − ȳ‖²/n (default 1e-4, as scikit-learn)"),
        ModelOptionSpec(name: "max_iter", help: "most coordinate-descent sweeps (default 1000)"),
    ]

    static func alpha(_ options: OptionValues) throws -> Double {
        try options.number("alpha", default: 1, in: 0 ... Double.greatestFiniteMagnitude, "a number ≥ 0")
    }

    static func descent(_ options: OptionValues) throws -> (tolerance: Double, maxIterations: Int) {
        (try options.number("tol", default: 1e-4, in: Double.leastNonzeroMagnitude ... 1, "a number in (0, 1]"),
         try options.integer("max_iter", default: 1000, in: 1 ... 1_000_000, "a whole number from 1 to 1000000"))
    }

    static func coordinateDescent(_ problem: TrainingProblem, _ parameters: ElasticNetParameters) throws -> PenalisedLinearState {
        var solver = parameters.solver
        solver.fitIntercept = problem.hasIntercept
        return state(try solver.fit(problem.design, problem.target), problem)
    }

    /// The state from a coordinate-descent fit on `problem`.
    static func state(_ fit: ElasticNetFit, _ problem: TrainingProblem) -> PenalisedLinearState {
        let fitted = LinearPredictor.apply(problem.designColumns, intercept: fit.intercept, slopes: fit.coefficients)
        return PenalisedLinearState(intercept: fit.intercept, coefficients: fit.coefficients,
                                    residualSumOfSquares: zip(problem.target, fitted).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) },
                                    totalSumOfSquares: totalSumOfSquares(problem), observations: problem.target.count,
                                    effectiveDegreesOfFreedom: nil, iterations: fit.iterations, dualityGap: fit.dualityGap,
                                    gapTolerance: fit.gapTolerance, converged: fit.converged)
    }

    static func totalSumOfSquares(_ problem: TrainingProblem) -> Double {
        let y = problem.target
        let mean = problem.hasIntercept ? y.reduce(0, +) / Double(y.count) : 0
        return y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    }

    static func penaltyDescription(_ model: Model) -> String {
        switch model.parameters {
        case let ridge as RidgeRegression.Parameters:
            return "ridge, alpha = \(NumberFormat.shortest(ridge.alpha)) (minimises ‖y − Xw − b‖² + α‖w‖², as scikit-learn's Ridge)"
        case let net as ElasticNetParameters where net.l1Ratio == 1:
            return "lasso, alpha = \(NumberFormat.shortest(net.alpha)) (minimises ‖y − Xw − b‖²/(2n) + α‖w‖₁, as scikit-learn's Lasso)"
        case let net as ElasticNetParameters:
            return "elastic net, alpha = \(NumberFormat.shortest(net.alpha)), l1_ratio = \(NumberFormat.shortest(net.l1Ratio)) (minimises ‖y − Xw − b‖²/(2n) + α·l1_ratio·‖w‖₁ + ½α(1 − l1_ratio)‖w‖², as scikit-learn's ElasticNet)"
        default:
            return "unknown"
        }
    }
}

/// Ridge regression, exact (scikit-learn's Ridge objective; see `Ridge`).
public enum RidgeRegression: Learner {
    public static let name = "ridge"
    public static let summary = "ridge regression: least squares with an L2 penalty alpha= (exact solve)"
    public static let tasks: [ModelTask] = [.regression]
    public static let preprocessing = PenalisedRegression.commonOptions
    public static let options = [ModelOptionSpec(name: "alpha", help: PenalisedRegression.alphaHelp)]

    public struct Parameters: ModelParameters {
        public let alpha: Double
    }

    public static func parameters(_ options: [String: String]) throws -> Parameters {
        Parameters(alpha: try PenalisedRegression.alpha(OptionValues(options)))
    }

    /// A penalised fit is identifiable with every level's indicator, and the penalty should
    /// not depend on which level happens to be first.
    public static func encoding(_ parameters: Parameters) -> CategoricalEncoding { .indicators }

    public static func fit(_ problem: TrainingProblem, _ parameters: Parameters) throws -> PenalisedLinearState {
        let fit = try Ridge(alpha: parameters.alpha, fitIntercept: problem.hasIntercept).fit(problem.designColumns, problem.target)
        // The solver's cross-products give the factor when well-conditioned; else a QR of the rows.
        let factor = try fit.factor ?? ScatterFactor(problem.design, problem.target, centred: problem.hasIntercept)
        return PenalisedLinearState(intercept: fit.intercept, coefficients: fit.coefficients, residualSumOfSquares: fit.residualSumOfSquares,
                                    totalSumOfSquares: fit.totalSumOfSquares, observations: problem.target.count,
                                    effectiveDegreesOfFreedom: fit.effectiveDegreesOfFreedom, iterations: nil, dualityGap: nil,
                                    gapTolerance: nil, converged: true,
                                    factor: factor)
    }

    /// The ridge fit of every row `factor` holds, from the factor alone (`update`): ridge without
    /// intercept on its (p+1) rows, T_X and T_y, gives the slopes of the centred problem (same
    /// ‖Xc w − yc‖², same singular values), and the intercept is ȳ − μᵀw.
    static func state(from factor: ScatterFactor, alpha: Double) throws -> PenalisedLinearState {
        let fit = try Ridge(alpha: alpha, fitIntercept: false).fit(factor.design, factor.target)
        let means = factor.means, slopes = fit.coefficients
        let intercept = factor.centred ? means[factor.columns] - zip(means, slopes).reduce(0) { $0 + $1.0 * $1.1 } : 0
        return PenalisedLinearState(intercept: intercept, coefficients: slopes, residualSumOfSquares: fit.residualSumOfSquares,
                                    totalSumOfSquares: factor.target.reduce(0) { $0 + $1 * $1 }, observations: factor.count,
                                    effectiveDegreesOfFreedom: fit.effectiveDegreesOfFreedom, iterations: nil, dualityGap: nil,
                                    gapTolerance: nil, converged: true, factor: factor)
    }
}

/// The hyper-parameters of lasso and elastic net.
public struct ElasticNetParameters: ModelParameters {
    public let alpha: Double
    public let l1Ratio: Double
    public let tolerance: Double
    public let maxIterations: Int

    var solver: ElasticNet {
        ElasticNet(alpha: alpha, l1Ratio: l1Ratio, tolerance: tolerance, maxIterations: maxIterations)
    }
}

/// The lasso by coordinate descent (scikit-learn's Lasso objective).
public enum LassoRegression: Learner {
    public static let name = "lasso"
    public static let summary = "lasso: least squares with an L1 penalty alpha= (coordinate descent; see `path`)"
    public static let tasks: [ModelTask] = [.regression]
    public static let preprocessing = PenalisedRegression.commonOptions
    public static let options = [ModelOptionSpec(name: "alpha", help: PenalisedRegression.alphaHelp)] + PenalisedRegression.toleranceOptions

    public static func parameters(_ options: [String: String]) throws -> ElasticNetParameters {
        let values = OptionValues(options)
        let descent = try PenalisedRegression.descent(values)
        return ElasticNetParameters(alpha: try PenalisedRegression.alpha(values), l1Ratio: 1, tolerance: descent.tolerance, maxIterations: descent.maxIterations)
    }

    public static func encoding(_ parameters: ElasticNetParameters) -> CategoricalEncoding { .indicators }

    public static func fit(_ problem: TrainingProblem, _ parameters: ElasticNetParameters) throws -> PenalisedLinearState {
        try PenalisedRegression.coordinateDescent(problem, parameters)
    }
}

/// Elastic net by coordinate descent (scikit-learn's ElasticNet objective).
public enum ElasticNetRegression: Learner {
    public static let name = "elasticnet"
    public static let summary = "elastic net: L1 and L2 penalties, alpha= and l1_ratio= (coordinate descent; see `path`)"
    public static let tasks: [ModelTask] = [.regression]
    public static let preprocessing = PenalisedRegression.commonOptions
    public static let options = [
        ModelOptionSpec(name: "alpha", help: PenalisedRegression.alphaHelp),
        ModelOptionSpec(name: "l1_ratio", help: "the L1 share of the penalty, 0 to 1 (default 0.5; 1 is the lasso)"),
    ] + PenalisedRegression.toleranceOptions

    public static func parameters(_ options: [String: String]) throws -> ElasticNetParameters {
        let values = OptionValues(options)
        let descent = try PenalisedRegression.descent(values)
        return ElasticNetParameters(alpha: try PenalisedRegression.alpha(values),
                                    l1Ratio: try values.number("l1_ratio", default: 0.5, in: 0 ... 1, "a number from 0 to 1"),
                                    tolerance: descent.tolerance, maxIterations: descent.maxIterations)
    }

    public static func encoding(_ parameters: ElasticNetParameters) -> CategoricalEncoding { .indicators }

    public static func fit(_ problem: TrainingProblem, _ parameters: ElasticNetParameters) throws -> PenalisedLinearState {
        try PenalisedRegression.coordinateDescent(problem, parameters)
    }
}

/// Coefficients along a decreasing sequence of alphas, each fit warm-started from the one
/// before (scikit-learn's enet_path), for `path`.
public struct RegularisationPath: Sendable {
    public struct Step: Sendable {
        public let alpha: Double
        public let intercept: Double
        public let coefficients: [Double]
        /// On the training rows.
        public let rSquared: Double
        public let iterations: Int
        public let converged: Bool
        public var nonzero: Int { coefficients.filter { $0 != 0 }.count }
    }

    public let terms: [String]
    public let steps: [Step]

    /// The kinds that have a path.
    public static let kinds = [LassoRegression.name, ElasticNetRegression.name]

    /// The path of a lasso or elastic-net `kind` on `request`'s data and options, at `alphas`
    /// (sorted decreasing) or else at `count` alphas from the smallest that zeroes every
    /// coefficient down to a thousandth of it.
    public init(kind: ModelKind, request: FitRequest, alphas: [Double]?, count: Int) throws {
        guard Self.kinds.contains(kind.name) else {
            throw ModelshError.usage("path follows lasso or elasticnet fits, not '\(kind.name)'")
        }
        let prepared = try kind.prepare(request)
        guard let parameters = prepared.parameters as? ElasticNetParameters else {
            throw ModelshError(.software, "'\(kind.name)' has no elastic-net parameters")
        }
        let problem = prepared.problem
        var solver = parameters.solver
        solver.fitIntercept = problem.hasIntercept
        if alphas == nil, parameters.l1Ratio == 0 {
            throw ModelshError.usage("with l1_ratio=0 no alpha zeroes every coefficient, so the path needs alphas=", argument: "l1_ratio")
        }
        let grid = try alphas ?? ElasticNet.pathAlphas(from: solver.alphaMax(problem.design, problem.target), count: count)
        let total = PenalisedRegression.totalSumOfSquares(problem)
        terms = problem.terms
        steps = try solver.path(problem.design, problem.target, alphas: grid).map { fit in
            let state = PenalisedRegression.state(fit, problem)
            return Step(alpha: fit.alpha, intercept: fit.intercept, coefficients: fit.coefficients,
                        rSquared: total > 0 ? 1 - state.residualSumOfSquares / total : .nan,
                        iterations: fit.iterations, converged: fit.converged)
        }
    }
}
