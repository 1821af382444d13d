import Diagnostics
import Foundation
import Numerics
import Tabular

/// Ordinary least squares, R's `lm`: a QR fit with R's rank rule, aliased coefficients
/// reported as NA, and what `summary` needs for standard errors, t tests, R² and F. With case
/// weights (`weight=`) it is R's weighted lm: least squares on the rows scaled by √w, so the
/// sums of squares, residuals and standard errors are R's weighted ones, and rows of weight 0
/// count in no degree of freedom. With an offset (`offset=`) it is R's lm with offset(): least
/// squares of y − offset; predictions add the offset back, and R² and F take the fitted values
/// with it, as R 4.2's summary.lm does.
public enum LinearRegression: Learner {
    public static let name = "linear"
    public static let summary = "ordinary least squares (R's lm): coefficients, standard errors, t tests, R², F"
    public static let tasks: [ModelTask] = [.regression]
    public static let preprocessing: [CommonOption] = [.intercept, .impute, .scale, .poly, .weight, .offset]

    /// Least squares has no hyper-parameters of its own.
    public struct Parameters: ModelParameters {}

    public static func parameters(_ options: [String: String]) throws -> Parameters { Parameters() }

    public static func wantsOnesColumn(_ parameters: Parameters) -> Bool { true }
    /// poly= terms enter the QR as formed exactly (see `QRLeastSquares`).
    public static var usesDesignLowParts: Bool { true }

    /// What a linear fit learned. Every stored number is finite, so it encodes as plain JSON;
    /// aliased coefficients are stored as 0 with `aliased` set, and read back as NaN.
    /// Decoding checks every invariant the code relies on (ModelChecks.swift).
    public struct Learned: LearnedState {
        public let hasIntercept: Bool
        /// Coefficient names, "(Intercept)" first when fitted, then the design's terms.
        public let terms: [String]
        public let estimates: [Double]
        public let aliased: [Bool]
        /// (XᵀX)⁻¹ over the non-aliased terms in term order, row-major (rank × rank).
        public let unscaledCovariance: [Double]
        public let residualSumOfSquares: Double
        /// Σ(ŷ − mean ŷ)² with an intercept, Σŷ² without, as R's summary.lm computes it.
        public let modelSumOfSquares: Double
        public let observations: Int
        public let rank: Int
        /// Min, first quartile, median, third quartile, max of the training residuals; empty
        /// after `update`, which does not see the old rows' residuals.
        public let residualQuantiles: [Double]
        /// The factor of [X y] that `update` folds new rows into (nil in files written before it).
        public let factor: ScatterFactor?
        /// With case weights, Σ log w over the rows of weight > 0, which R's logLik adds
        /// (logLik.lm); nil for an unweighted fit.
        public var logWeightSum: Double? = nil

        /// The estimates with NaN (R's NA) for aliased terms.
        public var coefficients: [Double] {
            zip(estimates, aliased).map { $1 ? .nan : $0 }
        }

        public var residualDegreesOfFreedom: Int { observations - rank }

        /// Intercept plus the design times its coefficients; aliased terms count as zero, as
        /// R's predict.lm does (they are combinations of the other terms in training data).
        public func predict(_ inputs: ModelInputs) throws -> RawPrediction {
            let slopes = zip(estimates, aliased).map { $1 ? 0 : $0 }
            let values = LinearPredictor.apply(inputs.designColumns, intercept: hasIntercept ? slopes[0] : 0,
                                               slopes: Array(slopes.dropFirst(hasIntercept ? 1 : 0)))
            return .values(inputs.offset.map { zip(values, $0).map { $0 + $1 } } ?? values)
        }

        public func summary(of model: Model, options: SummaryOptions) -> Report {
            LinearSummary(learned: self, robust: options.robust).report()
        }
    }

    public static func fit(_ problem: TrainingProblem, _ parameters: Parameters) throws -> Learned {
        let hasIntercept = problem.hasIntercept
        guard problem.designColumns.count > 0 else {
            throw ModelshError.usage("a linear model without an intercept needs at least one feature", argument: "intercept")
        }
        // The offset's part of y is known: the least squares are of the rest.
        let y = problem.offset.map { zip(problem.target, $0).map { $0 - $1 } } ?? problem.target
        if let weights = problem.weights { return try weightedFit(problem, y, weights) }
        let solution = try QRLeastSquares.fit(problem.designColumns, y, lowParts: problem.designLowParts)
        // A tall design's fit formed the factor of [X y] on its way; a small one's costs little.
        let factor = try solution.scatterTriangle.map { ScatterFactor(count: y.count, uncentredTriangle: $0) }
            ?? ScatterFactor(problem.design, y, centred: false)
        return Learned(
            hasIntercept: hasIntercept,
            terms: (hasIntercept ? ["(Intercept)"] : []) + problem.terms,
            estimates: solution.coefficients.map { $0.isNaN ? 0 : $0 },
            aliased: solution.aliased,
            unscaledCovariance: solution.unscaledCovariance.values,  // symmetric: row- and column-major agree
            residualSumOfSquares: solution.residuals.reduce(0) { $0 + $1 * $1 },
            modelSumOfSquares: modelSumOfSquares(withOffset(solution.fitted, problem.offset), centred: hasIntercept),
            observations: y.count,
            rank: solution.rank,
            residualQuantiles: Quantile.type7(unsorted: solution.residuals, [0, 0.25, 0.5, 0.75, 1]),
            factor: factor)
    }

    /// R's lm with weights: least squares on √w X and √w y. The residuals it keeps are R's
    /// weighted residuals √w (y − ŷ) (0 for a row of weight 0, as summary.lm shows them); only
    /// the rows of weight > 0 count as observations; the model sum of squares is Σ w (ŷ − ȳ_w)²
    /// about the weighted mean of the fitted values (Σ w ŷ² without an intercept), as
    /// summary.lm computes it. poly='s exact products are not used: scaling them by √w rounds
    /// them anyway.
    /// The fitted values with the offset added back, as lm's `fitted.values` are.
    private static func withOffset(_ fitted: [Double], _ offset: [Double]?) -> [Double] {
        offset.map { zip(fitted, $0).map { $0 + $1 } } ?? fitted
    }

    private static func weightedFit(_ problem: TrainingProblem, _ y: [Double], _ weights: [Double]) throws -> Learned {
        let roots = weights.map { $0.squareRoot() }
        let design = problem.designColumns
        let scaled = DesignColumns(rows: design.rows, columns: design.columns.map { zip($0, roots).map { $0 * $1 } }, knownFinite: design.knownFinite)
        let solution = try QRLeastSquares.fit(scaled, zip(y, roots).map { $0 * $1 })
        let counted = weights.indices.filter { weights[$0] > 0 }
        let fitted = counted.map { solution.fitted[$0] / roots[$0] + (problem.offset?[$0] ?? 0) }
        let counts = counted.map { weights[$0] }
        let mean = problem.hasIntercept ? zip(counts, fitted).reduce(0) { $0 + $1.0 * $1.1 } / counts.reduce(0, +) : 0
        let residuals = solution.residuals
        return Learned(
            hasIntercept: problem.hasIntercept,
            terms: (problem.hasIntercept ? ["(Intercept)"] : []) + problem.terms,
            estimates: solution.coefficients.map { $0.isNaN ? 0 : $0 },
            aliased: solution.aliased,
            unscaledCovariance: solution.unscaledCovariance.values,
            residualSumOfSquares: residuals.reduce(0) { $0 + $1 * $1 },
            modelSumOfSquares: zip(counts, fitted).reduce(0) { $0 + $1.0 * ($1.1 - mean) * ($1.1 - mean) },
            observations: counted.count,
            rank: solution.rank,
            residualQuantiles: Quantile.type7(unsorted: residuals, [0, 0.25, 0.5, 0.75, 1]),
            factor: nil,
            logWeightSum: counts.reduce(0) { $0 + log($1) })
    }

    /// The fit of every row `factor` holds, from the factor alone (`update`): least squares on its
    /// (p+1) rows, whose solution, (XᵀX)⁻¹ and residual sum of squares are those of all the rows.
    /// The model sum of squares is ‖T_X b‖² less, with an intercept, its first entry: that entry
    /// is √n times the mean fitted value (T's first row is 1ᵀ[X y]/√n), so what remains is
    /// Σ(ŷ − mean ŷ)² without the cancellation of subtracting n·mean².
    static func learned(from factor: ScatterFactor, hasIntercept: Bool, terms: [String]) throws -> Learned {
        let solution = try QRLeastSquares.fit(factor.design, factor.target)
        let fitted = solution.fitted
        return Learned(
            hasIntercept: hasIntercept, terms: terms,
            estimates: solution.coefficients.map { $0.isNaN ? 0 : $0 },
            aliased: solution.aliased,
            unscaledCovariance: solution.unscaledCovariance.values,
            residualSumOfSquares: solution.residuals.reduce(0) { $0 + $1 * $1 },
            modelSumOfSquares: fitted.dropFirst(hasIntercept ? 1 : 0).reduce(0) { $0 + $1 * $1 },
            observations: factor.count,
            rank: solution.rank,
            residualQuantiles: [],
            factor: factor)
    }

    private static func modelSumOfSquares(_ fitted: [Double], centred: Bool) -> Double {
        let mean = centred ? fitted.reduce(0, +) / Double(fitted.count) : 0
        return fitted.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    }
}

/// The linear predictor b + Xw that every linear kind predicts with (or passes through a link),
/// reading the design's columns where they lie.
enum LinearPredictor {
    static func apply(_ design: DesignColumns, intercept: Double, slopes: [Double]) -> [Double] {
        design.product(slopes, plus: intercept)
    }
}

// Decoding in an extension keeps the memberwise initialiser the fit uses.
extension LinearRegression.Learned {
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        hasIntercept = try container.decode(Bool.self, forKey: .hasIntercept)
        terms = try container.decode([String].self, forKey: .terms)
        aliased = try container.decode([Bool].self, forKey: .aliased)
        // An aliased term's estimate is never used; a hand-written archive may spell it NaN.
        let estimates = try container.decode([Double].self, forKey: .estimates)
        self.estimates = estimates.count == aliased.count ? zip(estimates, aliased).map { $1 ? 0 : $0 } : estimates
        unscaledCovariance = try container.decode([Double].self, forKey: .unscaledCovariance)
        residualSumOfSquares = try container.decode(Double.self, forKey: .residualSumOfSquares)
        modelSumOfSquares = try container.decode(Double.self, forKey: .modelSumOfSquares)
        observations = try container.decode(Int.self, forKey: .observations)
        rank = try container.decode(Int.self, forKey: .rank)
        residualQuantiles = try container.decode([Double].self, forKey: .residualQuantiles)
        factor = try container.decodeIfPresent(ScatterFactor.self, forKey: .factor)
        logWeightSum = try container.decodeIfPresent(Double.self, forKey: .logWeightSum)
        try decoder.requireConsistent(check)
    }

    private enum CodingKeys: String, CodingKey {
        case hasIntercept, terms, estimates, aliased, unscaledCovariance, residualSumOfSquares, modelSumOfSquares
        case observations, rank, residualQuantiles, factor, logWeightSum
    }
}
