import Diagnostics
import Numerics
import Tabular

/// Ordinary least squares, R's `lm`: a QR fit with R's rank rule, aliased coefficients
/// reported as NA, and what `summary` needs for standard errors, t tests, R² and F.
public enum LinearRegression {
    static let kind = ModelKind(
        name: "linear",
        summary: "ordinary least squares (R's lm): coefficients, standard errors, t tests, R², F",
        options: [ModelOptionSpec(switch: "intercept", help: "fit an intercept term: true or false, yes or no, on or off (default true)")],
        fit: fit)

    /// What a linear fit learned. Every stored number is finite, so it encodes as plain JSON;
    /// aliased coefficients are stored as 0 with `aliased` set, and read back as NaN.
    /// Decoding checks every invariant the code relies on (ModelChecks.swift).
    public struct Learned: Codable, Sendable, Equatable {
        public let hasIntercept: Bool
        /// Coefficient names, "(Intercept)" first when fitted, then the encoded features.
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
        /// Min, first quartile, median, third quartile, max of the training residuals.
        public let residualQuantiles: [Double]

        /// The estimates with NaN (R's NA) for aliased terms.
        public var coefficients: [Double] {
            zip(estimates, aliased).map { $1 ? .nan : $0 }
        }

        public var residualDegreesOfFreedom: Int { observations - rank }

        /// Intercept plus the features times their coefficients; aliased terms count as zero,
        /// as R's predict.lm does (they are combinations of the other terms in training data).
        func predict(_ data: Dataset, schema: TrainingSchema) throws -> (values: [Double], usable: [Bool]) {
            let encoder = FeatureEncoder(schema: schema, hasIntercept: hasIntercept)
            return try encoder.linearPredictor(data, coefficients: zip(estimates, aliased).map { $1 ? 0 : $0 })
        }
    }

    static func fit(_ request: FitRequest) throws -> Model {
        let options = try kind.normalisedOptions(request.options)
        let hasIntercept = options["intercept"] != "false"
        let frame = try TrainingFrame(request, kind: kind.name)
        let encoder = FeatureEncoder(schema: frame.schema, hasIntercept: hasIntercept)
        guard encoder.designColumns > 0 else {
            throw ModelshError.usage("a linear model without an intercept needs at least one feature", argument: "intercept")
        }
        try DesignBudget.check(encoder, rows: frame.data.rowCount)
        let design = try encoder.design(frame.data).matrix
        let y = try frame.targetValues()
        let solution = try QRLeastSquares.fit(design, y)
        let sortedResiduals = solution.residuals.sorted()
        let learned = Learned(
            hasIntercept: hasIntercept,
            terms: (hasIntercept ? ["(Intercept)"] : []) + encoder.columnNames,
            estimates: solution.coefficients.map { $0.isNaN ? 0 : $0 },
            aliased: solution.aliased,
            unscaledCovariance: solution.unscaledCovariance.values,  // symmetric: row- and column-major agree
            residualSumOfSquares: solution.residuals.reduce(0) { $0 + $1 * $1 },
            modelSumOfSquares: modelSumOfSquares(solution.fitted, centred: hasIntercept),
            observations: y.count,
            rank: solution.rank,
            residualQuantiles: [0, 0.25, 0.5, 0.75, 1].map { Quantile.type7(sorted: sortedResiduals, $0) })
        do {
            try learned.check()
        } catch let problem as Inconsistency {
            throw ModelshError.data("the fit overflows (\(problem.message)); rescale the data")
        }
        let info = TrainingInfo(datasetName: request.datasetName, rowsUsed: y.count, rowsDropped: frame.rowsDropped,
                                fingerprint: frame.data.fingerprint, options: options)
        return Model(kind: kind.name, schema: frame.schema, state: .linear(learned), training: info)
    }

    private static func modelSumOfSquares(_ fitted: [Double], centred: Bool) -> Double {
        let mean = centred ? fitted.reduce(0, +) / Double(fitted.count) : 0
        return fitted.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
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
        try decoder.requireConsistent(check)
    }

    private enum CodingKeys: String, CodingKey {
        case hasIntercept, terms, estimates, aliased, unscaledCovariance, residualSumOfSquares, modelSumOfSquares
        case observations, rank, residualQuantiles
    }
}
