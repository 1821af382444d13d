import CKernels
import Diagnostics
import Foundation

/// The population stability index between two distributions over the same bins:
/// PSI = Σ (aᵢ − eᵢ) ln(aᵢ / eᵢ), with eᵢ and aᵢ the expected (reference) and actual shares of
/// bin i. An empty bin's share is taken as `epsilon` on either side, so the index stays finite
/// (the usual convention; without it one empty bin makes the index infinite).
public enum PopulationStability {
    /// The share given to an empty bin: 10⁻⁴.
    public static let epsilon = 1e-4

    /// The index from bin counts; 0 when either side has no values.
    public static func index(expected: [Double], actual: [Double]) -> Double {
        precondition(expected.count == actual.count, "PSI needs the same bins on both sides")
        let expectedTotal = expected.reduce(0, +), actualTotal = actual.reduce(0, +)
        guard expectedTotal > 0, actualTotal > 0 else { return 0 }
        var sum = 0.0
        for (e, a) in zip(expected, actual) where e > 0 || a > 0 {
            let expectedShare = max(e / expectedTotal, epsilon), actualShare = max(a / actualTotal, epsilon)
            sum += (actualShare - expectedShare) * log(actualShare / expectedShare)
        }
        return sum
    }

    /// Bin i of `edges` (ascending) holds the values in (edges[i − 1], edges[i]]; the first bin
    /// everything up to edges[0], the last everything above the last edge. NaNs are in none.
    public static func counts(_ values: [Double], edges: [Double]) -> [Double] {
        // How many values exceed each edge, without branches (a binary search's unpredictable
        // ones cost several times as much; CKernels); a bin's count is then the difference
        // between its edges' counts.
        var exceeding = [Int](repeating: 0, count: edges.count), present = 0
        msh_count_above(values, values.count, edges, edges.count, &exceeding, &present)
        let bounds = [present] + exceeding + [0]
        return (0 ... edges.count).map { Double(bounds[$0] - bounds[$0 + 1]) }
    }
}

/// Squared Mahalanobis distances from a training profile: each numeric feature standardised
/// by the training mean and (population) standard deviation, then d² = zᵀ R⁻¹ z with R the
/// training correlation matrix. Under multivariate normality d² follows χ² with p degrees of
/// freedom, so rows beyond its upper quantile are far from the training data. A singular R
/// (collinear features) gets 10⁻⁶ added to its diagonal, as a ridge, so d² stays defined.
public struct MahalanobisDistance: Sendable {
    private let means: [Double]
    private let deviations: [Double]
    private let factor: Cholesky

    public init?(means: [Double], deviations: [Double], correlation: [Double]) {
        let p = means.count
        guard p > 0, deviations.count == p, correlation.count == p * p else { return nil }
        let matrix = Matrix(rows: p, columns: p, values: correlation)
        var ridged = matrix
        for i in 0 ..< p { ridged[i, i] += 1e-6 }
        guard let factor = Cholesky(matrix, minimumReciprocalCondition: 1e-12) ?? Cholesky(ridged) else { return nil }
        self.means = means
        self.deviations = deviations.map { $0 > 0 ? $0 : 1 }
        self.factor = factor
    }

    /// d² of one row's feature values (in the profile's order); NaN if one is missing.
    public func squaredDistance(_ values: [Double]) -> Double {
        let z = values.indices.map { (values[$0] - means[$0]) / deviations[$0] }
        guard z.allSatisfy(\.isFinite) else { return .nan }
        return zip(z, factor.solve(z)).reduce(0) { $0 + $1.0 * $1.1 }
    }
}

extension MahalanobisDistance {
    /// The means, population standard deviations and correlation matrix (p × p, column-major)
    /// of equal-length columns over the rows `selected` (ascending; every row when nil), none
    /// of them missing a value: what the distance needs, from one pass of centred
    /// cross-products over the columns where they lie (the last one in the place of the
    /// response, so nothing is copied). Nil when a column is constant or holds a non-finite
    /// value; throws only when interrupted.
    public static func moments(of columns: [[Double]], selected: [Int]? = nil) throws -> (means: [Double], deviations: [Double], correlation: [Double])? {
        guard let last = columns.last else { return nil }
        let n = selected?.count ?? last.count, p = columns.count
        guard n > 1 else { return nil }
        let leading = DesignColumns(rows: last.count, columns: Array(columns.dropLast()))
        let products: CentredCrossProducts
        do {
            products = try leading.withPointers { try CentredCrossProducts($0, last, centred: true, selected: selected) }
        } catch let error as ModelshError where error.category == .interrupted {
            throw error  // Ctrl-C stops the caller; only data without finite moments gives nil
        } catch {
            return nil
        }
        // The cross-products of every pair of columns, the last one's from X'y and y'y.
        let crossProduct = { (i: Int, j: Int) -> Double in
            switch (i < p - 1, j < p - 1) {
            case (true, true): products.gram[j * (p - 1) + i]
            case (true, false): products.xty[i]
            case (false, true): products.xty[j]
            case (false, false): products.yy
            }
        }
        let deviations = (0 ..< p).map { (crossProduct($0, $0) / Double(n)).squareRoot() }
        guard deviations.allSatisfy({ $0 > 0 && $0.isFinite }) else { return nil }
        var correlation = [Double](repeating: 0, count: p * p)
        for j in 0 ..< p {
            for i in 0 ..< p { correlation[j * p + i] = i == j ? 1 : crossProduct(i, j) / Double(n) / (deviations[i] * deviations[j]) }
        }
        return (products.xMeans + [products.yMean], deviations, correlation)
    }
}
