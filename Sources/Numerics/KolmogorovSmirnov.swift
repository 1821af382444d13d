import Foundation

/// The two-sample Kolmogorov–Smirnov test, two-sided, as scipy.stats.ks_2samp with
/// method='auto': the statistic is the largest distance between the two empirical
/// distribution functions; its p-value is exact when both samples have at most 10,000 values
/// (Hodges' lattice-path counts, scipy's `_compute_prob_outside_square` for equal sizes and
/// Viehmann's stable "inside" recursion otherwise), else asymptotic.
public struct KolmogorovSmirnovTest: Sendable, Equatable {
    public let statistic: Double
    public let pValue: Double
    /// Whether the p-value is exact.
    public let exact: Bool

    /// Samples up to this size get the exact p-value (scipy's MAX_AUTO_N).
    public static let exactLimit = 10_000

    /// Both samples sorted ascending, without NaN, neither empty.
    public init(sorted first: [Double], _ second: [Double]) {
        precondition(!first.isEmpty && !second.isEmpty, "a Kolmogorov–Smirnov test needs values in both samples")
        let n1 = first.count, n2 = second.count
        // Walk both samples in step; at each distinct value both ECDFs count every value ≤ it.
        var i = 0, j = 0, largest = 0.0
        while i < n1 || j < n2 {
            let value = j == n2 || (i < n1 && first[i] <= second[j]) ? first[i] : second[j]
            while i < n1 && first[i] <= value { i += 1 }
            while j < n2 && second[j] <= value { j += 1 }
            largest = max(largest, abs(Double(i) / Double(n1) - Double(j) / Double(n2)))
        }
        if max(n1, n2) <= Self.exactLimit {
            let g = Self.gcd(n1, n2)
            let lcm = Double(n1 / g) * Double(n2)
            let h = Int((largest * lcm).rounded(.toNearestOrEven))
            statistic = Double(h) / lcm
            if h == 0 {
                (pValue, exact) = (1, true)
                return
            }
            let p = n1 == n2 ? Self.probabilityOutsideSquare(n1, h) : Self.probabilityOutsideInside(n1, n2, g, h)
            if p.isFinite, (0 ... 1).contains(p) {
                (pValue, exact) = (p, true)
                return
            }
        } else {
            statistic = largest
        }
        let m = Double(max(n1, n2)), n = Double(min(n1, n2))
        pValue = Self.kolmogorovUpperTail((m * n / (m + n)).rounded(.toNearestOrEven).squareRoot() * statistic)
        exact = false
    }

    /// P(D ≥ h/n) for two samples of n: 2·Σ (−1)^(k+1) C(2n, n − kh) / C(2n, n), summed
    /// Horner-fashion from the innermost term so nothing cancels (scipy's form).
    static func probabilityOutsideSquare(_ n: Int, _ h: Int) -> Double {
        var p = 0.0
        var k = n / h
        while k >= 0 {
            var term = 1.0
            for j in 0 ..< h { term = Double(n - k * h - j) * term / Double(n + k * h + j + 1) }
            p = term * (1 - p)
            k -= 1
        }
        return 2 * p
    }

    /// The share of lattice paths from (0, 0) to (m, n) that leave |x/m − y/n| < h/lcm, by
    /// Viehmann's recursion for that share directly (scipy's `_compute_outer_prob_inside_method`).
    static func probabilityOutsideInside(_ first: Int, _ second: Int, _ g: Int, _ h: Int) -> Double {
        let m = max(first, second), n = min(first, second)
        let mg = m / g, ng = n / g
        var minj = 0, maxj = min(Int((Double(h) / Double(mg)).rounded(.up)), n + 1)
        var currentLength = maxj - minj
        let length = min(2 * maxj + 2, n + 1)
        var a = [Double](repeating: 1, count: length)
        for index in minj ..< maxj { a[index] = 0 }
        for i in 1 ... m {
            let lastMinj = minj, lastLength = currentLength
            minj = min(max(Int((Double(ng * i - h) / Double(mg)).rounded(.down)) + 1, 0), n)
            maxj = min(Int((Double(ng * i + h) / Double(mg)).rounded(.up)), n + 1)
            if maxj <= minj { return 1 }
            var value = minj == 0 ? 0.0 : 1.0
            for jj in 0 ..< (maxj - minj) {
                let j = jj + minj
                value = (a[jj + minj - lastMinj] * Double(i) + value * Double(j)) / Double(i + j)
                a[jj] = value
            }
            currentLength = maxj - minj
            if lastLength > currentLength {
                for index in (maxj - minj) ..< (maxj - minj + lastLength - currentLength) { a[index] = 1 }
            }
        }
        return a[maxj - minj - 1]
    }

    /// Kolmogorov's limit P(K > λ) = 2 Σ_{k≥1} (−1)^(k−1) e^(−2k²λ²), for samples too large
    /// for the exact count. scipy evaluates the finite-n distribution kstwo(round(en)) here;
    /// at these sizes the two differ by about 1/√en relative.
    static func kolmogorovUpperTail(_ lambda: Double) -> Double {
        guard lambda > 0 else { return 1 }
        if lambda < 0.2 { return 1 }
        var sum = 0.0
        for k in 1 ... 100 {
            let term = exp(-2 * Double(k * k) * lambda * lambda)
            sum += (k % 2 == 1 ? term : -term)
            if term < 1e-18 { break }
        }
        return min(1, max(0, 2 * sum))
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
}
