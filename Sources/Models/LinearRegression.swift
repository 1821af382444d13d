import Diagnostics
import Numerics
import Tabular

/// Ordinary least squares, R's `lm`: a QR fit with R's rank rule, aliased coefficients
/// reported as NA, and what `summary` needs for standard errors, t tests, R² and F.
public enum LinearRegression {
    static let kind = ModelKind(
        name: "linear",
        summary: "ordinary least squares (R's lm): coefficients, standard errors, t tests, R², F",
        options: [ModelOptionSpec(name: "intercept", help: "fit an intercept term (default true)", values: ["true", "false"])],
        fit: fit)

    /// What a linear fit learned. Every stored number is finite, so it encodes as plain JSON;
    /// aliased coefficients are stored as 0 with `aliased` set, and read back as NaN.
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
        func predict(_ features: EncodedFeatures) -> [Double] {
            let slopes = hasIntercept ? Array(estimates.dropFirst()) : estimates
            var result = [Double](repeating: hasIntercept ? estimates[0] : 0, count: features.matrix.rows)
            for (j, slope) in slopes.enumerated() where slope != 0 {
                let column = features.matrix.column(j)
                for i in result.indices { result[i] += slope * column[i] }
            }
            for i in result.indices where !features.usable[i] { result[i] = .nan }
            return result
        }
    }

    static func fit(_ request: FitRequest) throws -> Model {
        let hasIntercept = request.options["intercept"].map { $0 == "true" } ?? true
        let frame = try TrainingFrame(request, kind: kind.name)
        let encoder = FeatureEncoder(schema: frame.schema, hasIntercept: hasIntercept)
        guard hasIntercept || !encoder.columnNames.isEmpty else {
            throw ModelshError.usage("a linear model without an intercept needs at least one feature")
        }
        let features = try encoder.encode(frame.data)
        let y = frame.targetValues
        var design = features.matrix
        if hasIntercept {
            design = Matrix(rows: design.rows, columns: design.columns + 1,
                            values: [Double](repeating: 1, count: design.rows) + design.values)
        }
        let solution = QRLeastSquares.fit(design, y)
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
        let info = TrainingInfo(datasetName: request.datasetName, rowsUsed: y.count, rowsDropped: frame.rowsDropped,
                                fingerprint: frame.data.fingerprint, options: request.options)
        return Model(kind: kind.name, schema: frame.schema, state: .linear(learned), training: info)
    }

    private static func modelSumOfSquares(_ fitted: [Double], centred: Bool) -> Double {
        let mean = centred ? fitted.reduce(0, +) / Double(fitted.count) : 0
        return fitted.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    }
}
