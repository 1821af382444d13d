import Foundation

/// The χ² distribution with k degrees of freedom, through the regularized incomplete gamma
/// function: P(X ≤ x) = P(k/2, x/2).
public enum ChiSquare {
    /// P(X > x): the p-value of a χ² statistic.
    public static func upperTail(_ x: Double, degreesOfFreedom k: Double) -> Double {
        if x.isNaN || k.isNaN || k <= 0 { return .nan }
        if x <= 0 { return 1 }
        if x.isInfinite { return 0 }
        return IncompleteGamma.regularized(a: k / 2, x: x / 2).upper
    }

    /// P(X ≤ x).
    public static func cdf(_ x: Double, degreesOfFreedom k: Double) -> Double {
        if x.isNaN || k.isNaN || k <= 0 { return .nan }
        if x <= 0 { return 0 }
        if x.isInfinite { return 1 }
        return IncompleteGamma.regularized(a: k / 2, x: x / 2).lower
    }

    /// The p-quantile, by bisection on the cdf to the last bit (the cdf is monotone, so this
    /// cannot fail to converge); NaN outside [0, 1).
    public static func quantile(_ p: Double, degreesOfFreedom k: Double) -> Double {
        guard p >= 0, p < 1, k > 0 else { return p == 1 ? .infinity : .nan }
        if p == 0 { return 0 }
        var high = max(k, 1)
        while cdf(high, degreesOfFreedom: k) < p { high *= 2 }
        var low = 0.0
        while true {
            let middle = low + (high - low) / 2
            guard middle > low, middle < high else { return high }
            if cdf(middle, degreesOfFreedom: k) < p { low = middle } else { high = middle }
        }
    }
}

/// The regularized incomplete gamma functions P(a, x) and Q(a, x) = 1 − P(a, x), each
/// computed directly (no 1 − P cancellation): the series for x < a + 1, the continued
/// fraction (modified Lentz) beyond, as in Numerical Recipes §6.2; about 14 digits.
public enum IncompleteGamma {
    public static func regularized(a: Double, x: Double) -> (lower: Double, upper: Double) {
        precondition(a > 0 && x >= 0, "incomplete gamma needs a > 0 and x ≥ 0")
        if x == 0 { return (0, 1) }
        let logPrefix = a * log(x) - x - SpecialFunctions.logGamma(a)
        if x < a + 1 {
            var term = 1 / a, sum = term, denominator = a
            for _ in 0 ..< 10_000 {
                denominator += 1
                term *= x / denominator
                sum += term
                if abs(term) < abs(sum) * 1e-17 { break }
            }
            let lower = min(1, sum * exp(logPrefix))
            return (lower, 1 - lower)
        }
        let tiny = Double.leastNormalMagnitude / Double.ulpOfOne
        var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1 ..< 10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-17 { break }
        }
        let upper = min(1, exp(logPrefix) * h)
        return (1 - upper, upper)
    }
}

/// Pearson's χ² test of homogeneity on a table of counts, as scipy.stats.chi2_contingency
/// with its default correction: expected counts from the margins, Yates' continuity
/// correction when there is one degree of freedom. Columns empty in every row are left out
/// (their expected counts would be zero).
public struct ChiSquareTest: Sendable, Equatable {
    public let statistic: Double
    public let degreesOfFreedom: Int
    public let pValue: Double

    /// `table[row][column]`; rows are the samples, columns the categories.
    public init(counts table: [[Double]]) {
        let columns = (0 ..< (table.first?.count ?? 0)).filter { j in table.contains { $0[j] > 0 } }
        let rows = table.filter { row in columns.contains { row[$0] > 0 } }
        let rowTotals = rows.map { row in columns.reduce(0) { $0 + row[$1] } }
        let columnTotals = columns.map { j in rows.reduce(0) { $0 + $1[j] } }
        let total = rowTotals.reduce(0, +)
        let dof = max(rows.count - 1, 0) * max(columns.count - 1, 0)
        guard dof > 0 else {
            (statistic, degreesOfFreedom, pValue) = (0, 0, 1)
            return
        }
        var sum = 0.0
        for (i, row) in rows.enumerated() {
            for (c, j) in columns.enumerated() {
                let expected = rowTotals[i] * columnTotals[c] / total
                var observed = row[j]
                if dof == 1 {
                    let difference = expected - observed
                    observed += min(0.5, abs(difference)) * (difference > 0 ? 1 : difference < 0 ? -1 : 0)
                }
                sum += (observed - expected) * (observed - expected) / expected
            }
        }
        statistic = sum
        degreesOfFreedom = dof
        pValue = ChiSquare.upperTail(sum, degreesOfFreedom: Double(dof))
    }
}
