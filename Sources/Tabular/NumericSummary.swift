import Numerics

/// Count, mean, standard deviation and quartiles (R's default type 7) of a numeric column's
/// non-missing values, as R's `summary`, `sd` and `quantile` compute them.
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

    /// Summarises the numbers of `column`; nil for categorical and text columns.
    public init?(_ column: Column) {
        guard let numbers = column.numbers else { return nil }
        var values: [Double] = []
        values.reserveCapacity(column.count - column.missingCount)
        for (row, value) in numbers.enumerated() where !column.missing[row] { values.append(value) }
        self.init(values: values)
    }

    /// Summarises `values`, which must not contain NaN.
    public init(values: [Double]) {
        let sorted = values.sorted()
        let n = sorted.count
        count = n
        guard n > 0 else {
            mean = .nan; standardDeviation = .nan
            minimum = .nan; firstQuartile = .nan; median = .nan; thirdQuartile = .nan; maximum = .nan
            return
        }
        var mean = values.reduce(0, +) / Double(n)
        if mean.isFinite { mean += values.reduce(0) { $0 + ($1 - mean) } / Double(n) }
        self.mean = mean
        standardDeviation = n < 2 ? .nan : (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)).squareRoot()
        minimum = sorted[0]
        firstQuartile = Quantile.type7(sorted: sorted, 0.25)
        median = Quantile.type7(sorted: sorted, 0.5)
        thirdQuartile = Quantile.type7(sorted: sorted, 0.75)
        maximum = sorted[n - 1]
    }

}
