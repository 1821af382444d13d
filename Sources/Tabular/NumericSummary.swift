import Numerics

/// Count, mean, standard deviation and quartiles (R's default type 7) of a numeric column's
/// non-missing values, as R's `summary`, `sd` and `quantile` compute them.
///
/// Finite values give finite figures wherever the true figure is representable: data too large
/// or too small for the sums of squares (largest |x| outside [2^-400, 2^400]) is first scaled by
/// a power of two, which is exact, so ordinary data gets bit for bit R's figures and 1e308,
/// 1e308 gets mean 1e308 and sd 0 rather than Inf.
public struct NumericSummary: Sendable, Equatable {
    public let count: Int
    /// Two-pass mean (sum/n, then corrected by the mean residual, as R's `mean` does); NaN if empty.
    public let mean: Double
    /// Sample standard deviation, with n − 1 in the denominator; NaN for fewer than two values.
    public let standardDeviation: Double
    public let minimum: Double
    public let firstQuartile: Double
    public let median: Double
    public let thirdQuartile: Double
    public let maximum: Double

    /// Summarises the numbers of `column`; nil for categorical and text columns. A NaN not marked
    /// missing (only a hand-made workspace holds one) counts as missing too.
    public init?(_ column: Column) {
        guard let numbers = column.numbers else { return nil }
        var values: [Double] = []
        values.reserveCapacity(column.count - column.missingCount)
        for (row, value) in numbers.enumerated() where !column.missing[row] && !value.isNaN { values.append(value) }
        self.init(values: values)
    }

    /// Summarises `values`, which must not contain NaN.
    public init(values: [Double]) {
        count = values.count
        guard !values.isEmpty else {
            mean = .nan; standardDeviation = .nan
            minimum = .nan; firstQuartile = .nan; median = .nan; thirdQuartile = .nan; maximum = .nan
            return
        }
        (mean, standardDeviation) = Self.moments(values)
        // Selection finds the five order statistics without sorting every value.
        let probabilities = [0, 0.25, 0.5, 0.75, 1]
        var quantiles = Quantile.type7(unsorted: values, probabilities)
        // Interpolating between order statistics whose difference overflows (-1e308 and 1e308)
        // gives ±Inf; between their halves it does not.
        if quantiles[0].isFinite, quantiles[4].isFinite, quantiles.contains(where: { !$0.isFinite }) {
            let halved = Quantile.type7(unsorted: values.map { $0 / 2 }, probabilities)
            quantiles = quantiles.indices.map { quantiles[$0].isFinite ? quantiles[$0] : 2 * halved[$0] }
        }
        (minimum, firstQuartile, median, thirdQuartile, maximum) = (quantiles[0], quantiles[1], quantiles[2], quantiles[3], quantiles[4])
    }

    /// Magnitudes whose sums, residuals and squared residuals neither overflow nor underflow.
    private static let ordinaryMagnitudes = 0x1p-400...0x1p400

    /// Mean and standard deviation, computed on values scaled into [1, 2) when the largest
    /// magnitude is outside `ordinaryMagnitudes`. Scaling by a power of two commutes with every
    /// operation used, so the figures are those of exact arithmetic's rounding in range.
    private static func moments(_ values: [Double]) -> (mean: Double, standardDeviation: Double) {
        let largest = values.reduce(0) { max($0, abs($1)) }
        guard largest.isFinite, largest != 0, !ordinaryMagnitudes.contains(largest) else { return unscaledMoments(values) }
        let exponent = largest.exponent
        let scaled = unscaledMoments(values.map { Double(sign: .plus, exponent: -exponent, significand: $0) })
        return (Double(sign: .plus, exponent: exponent, significand: scaled.mean),
                Double(sign: .plus, exponent: exponent, significand: scaled.standardDeviation))
    }

    private static func unscaledMoments(_ values: [Double]) -> (mean: Double, standardDeviation: Double) {
        let n = Double(values.count)
        var mean = values.reduce(0, +) / n
        if mean.isFinite { mean += values.reduce(0) { $0 + ($1 - mean) } / n }
        let standardDeviation = values.count < 2 ? .nan : (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)).squareRoot()
        return (mean, standardDeviation)
    }
}
