import CLapack
import Diagnostics

/// How many principal components to keep.
public enum PCAComponentCount: Codable, Sendable, Equatable {
    /// All min(n, p) of them.
    case all
    /// This many, in 1 ... min(n, p).
    case count(Int)
    /// The fewest whose cumulative explained variance ratio exceeds this share, in (0, 1); as
    /// scikit-learn, strictly exceeds, so a share met exactly takes one more component.
    case varianceRatio(Double)
}

/// Principal component analysis: the directions of greatest variance of the centred rows, by an
/// SVD of the centred data (never of their covariance, whose condition number is the square).
///
/// **Method.** X is centred on its column means and reduced, by the chunked Householder QR of
/// `TallSkinnyQR` (backward stable, concurrent over row segments, one pass), to its p × p
/// triangle R; R's SVD (LAPACK dgesdd) gives the singular values and right singular vectors of
/// the centred X, since Xc = QR. So the result is as accurate as an SVD of Xc itself (what
/// scikit-learn's `svd_solver="full"` computes) at the cost of a QR: 2 n p² flops, and memory for
/// one centred copy of X.
///
/// **Conventions** (scikit-learn 1.9.1's `PCA`): components are the rows of Vᵀ, largest singular
/// value first, each signed so that its entry of largest magnitude (the first such) is positive
/// (`svd_flip(u_based_decision=False)`); explained variance is s²/(n − 1) and its ratio is that
/// over the sum for all components.
public struct PCA: Codable, Sendable, Equatable {
    public let featureCount: Int
    /// The training rows' count, n.
    public let sampleCount: Int
    /// The training rows' column means, subtracted before projecting.
    public let means: [Double]
    /// componentCount × featureCount, column-major as `Matrix.values`: row c is component c
    /// (scikit-learn's `components_`).
    public let components: [Double]
    public let singularValues: [Double]
    /// s²/(n − 1) of each kept component.
    public let explainedVariance: [Double]
    /// Each kept component's share of the total variance.
    public let explainedVarianceRatio: [Double]

    public var componentCount: Int { singularValues.count }

    /// The components as a componentCount × featureCount matrix.
    public var componentMatrix: Matrix { Matrix(rows: componentCount, columns: featureCount, values: components) }

    /// Fits to the rows of `x` (n × p, finite, n ≥ 2). Throws `.usage` for a bad component count,
    /// `.data` for data it cannot use, `.interrupted` on Ctrl-C.
    public init(fitting x: Matrix, keeping choice: PCAComponentCount = .all) throws {
        let n = x.rows, p = x.columns
        guard n >= 2 else { throw ModelshError.data("principal components need at least 2 rows, got \(n)") }
        guard p >= 1 else { throw ModelshError.data("principal components need at least one feature") }
        try requireFinite(x, "the features")
        let means = columnMeans(x)
        let (singularValues, rightVectors) = try Self.centredSVD(x, means: means)
        let available = min(n, p)
        let variances = singularValues[0 ..< available].map { $0 * $0 / Double(n - 1) }
        let total = variances.reduce(0, +)
        guard total.isFinite else { throw ModelshError.data("feature values are too large: their variances overflow") }
        let ratios = variances.map { total > 0 ? $0 / total : 0 }
        let k = try Self.componentCount(choice, ratios: ratios)
        // Vᵀ's rows, signed so that each one's largest-magnitude entry is positive.
        var components = [Double](repeating: 0, count: k * p)
        for c in 0 ..< k {
            let row = (0 ..< p).map { rightVectors[$0 * p + c] }
            let largest = row.indices.max { (abs(row[$0]), $1) < (abs(row[$1]), $0) }!
            let sign: Double = row[largest] < 0 ? -1 : 1
            for f in 0 ..< p { components[f * k + c] = sign * row[f] }
        }
        featureCount = p
        sampleCount = n
        self.means = means
        self.components = components
        self.singularValues = Array(singularValues[0 ..< k])
        explainedVariance = Array(variances[0 ..< k])
        explainedVarianceRatio = Array(ratios[0 ..< k])
    }

    /// The p singular values (descending) and Vᵀ (p × p, column-major) of X − 1μᵀ.
    private static func centredSVD(_ x: Matrix, means: [Double]) throws -> ([Double], [Double]) {
        let n = x.rows, p = x.columns
        // TallSkinnyQR factors [X y]: the centred columns but the last are X, the last is y.
        var leading = Array(x.values[0 ..< (p - 1) * n]), last = Array(x.values[(p - 1) * n ..< p * n])
        for f in 0 ..< p - 1 { for i in f * n ..< (f + 1) * n { leading[i] -= means[f] } }
        for i in 0 ..< n { last[i] -= means[p - 1] }
        var r = try TallSkinnyQR.triangularFactor(Matrix(rows: n, columns: p - 1, values: leading), appending: last)
        for j in 0 ..< p { for i in j + 1 ..< p { r[j * p + i] = 0 } }
        var singularValues = [Double](repeating: 0, count: p)
        var u = [Double](repeating: 0, count: p * p), vt = [Double](repeating: 0, count: p * p)
        let status = LAPACKE_dgesdd(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "S")), Int32(p), Int32(p), &r, Int32(p),
                                    &singularValues, &u, Int32(p), &vt, Int32(p))
        guard status == 0 else {
            throw ModelshError.data(status > 0 ? "the SVD did not converge" : "the features are too large for an SVD")
        }
        return (singularValues, vt)
    }

    private static func componentCount(_ choice: PCAComponentCount, ratios: [Double]) throws -> Int {
        let available = ratios.count
        switch choice {
        case .all:
            return available
        case .count(let k):
            guard k >= 1, k <= available else {
                throw ModelshError.usage("the component count must be between 1 and \(available) (the fewer of rows and features), got \(k)",
                                         argument: "k")
            }
            return k
        case .varianceRatio(let share):
            guard share > 0, share < 1 else {
                throw ModelshError.usage("the variance share must be between 0 and 1 (exclusive), got \(share)", argument: "variance")
            }
            var cumulative = 0.0, k = 0
            while k < available, cumulative <= share {
                cumulative += ratios[k]
                k += 1
            }
            return k
        }
    }

    /// The scores: (X − 1μᵀ) Cᵀ, n × componentCount, for the rows of `x` (n × featureCount, finite).
    /// Rows are centred a block at a time, so a large mean costs no accuracy.
    public func transform(_ x: Matrix) throws -> Matrix {
        try requireInput(x, columns: featureCount, "data to transform")
        let n = x.rows, p = featureCount, k = componentCount, blockRows = rowsPerProductBlock(width: k, features: p)
        var scores = Matrix(rows: n, columns: k)
        var block = [Double](repeating: 0, count: blockRows * p)
        for start in stride(from: 0, to: n, by: blockRows) {
            try Interruption.check()
            let b = min(blockRows, n - start)
            copyCentredRows(x, start ..< start + b, means: means, into: &block)
            scores.values.withUnsafeMutableBufferPointer { scores in
                cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, Int32(b), Int32(k), Int32(p), 1,
                            block, Int32(b), components, Int32(k), 0, scores.baseAddress! + start, Int32(n))
            }
        }
        return scores
    }

    /// Back to the features: scores C + 1μᵀ, n × featureCount, for scores n × componentCount.
    /// With every component kept this undoes `transform` up to rounding.
    public func inverseTransform(_ scores: Matrix) throws -> Matrix {
        try requireInput(scores, columns: componentCount, "scores")
        let n = scores.rows, p = featureCount, k = componentCount
        var x = Matrix(rows: n, columns: p)
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(p), Int32(k), 1,
                    scores.values, Int32(n), components, Int32(k), 0, &x.values, Int32(n))
        for f in 0 ..< p { for i in f * n ..< (f + 1) * n { x.values[i] += means[f] } }
        return x
    }

    /// Checks everything `transform` and `inverseTransform` rely on, so a tampered model file is
    /// refused: shapes, finite values, singular values in descending order.
    public func validate(featureCount: Int) throws {
        guard featureCount == self.featureCount else {
            throw ModelshError.data("the PCA has \(self.featureCount) features, the data \(featureCount)")
        }
        let k = componentCount
        guard featureCount >= 1, k >= 1, k <= featureCount, sampleCount >= 2, means.count == featureCount,
              components.count == k * featureCount, explainedVariance.count == k, explainedVarianceRatio.count == k else {
            throw ModelshError.data("the PCA's arrays do not have the shape of \(k) components × \(featureCount) features")
        }
        guard (means + components + singularValues + explainedVariance + explainedVarianceRatio).allSatisfy(\.isFinite),
              singularValues.allSatisfy({ $0 >= 0 }), zip(singularValues, singularValues.dropFirst()).allSatisfy({ $0 >= $1 }) else {
            throw ModelshError.data("the PCA has a value that is not finite, or singular values out of order")
        }
    }
}
