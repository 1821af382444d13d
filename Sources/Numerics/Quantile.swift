/// Sample quantiles.
public enum Quantile {
    /// The p-quantile of already sorted values by R's default rule (type 7: linear
    /// interpolation between order statistics at (n − 1)p). NaN for no values.
    public static func type7(sorted values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let h = Double(values.count - 1) * p
        let below = Int(h.rounded(.down))
        let above = min(below + 1, values.count - 1)
        let fraction = h - Double(below)
        // On an order statistic, or between equal ones, no interpolation: 0 × Inf would be NaN.
        if fraction == 0 || values[below] == values[above] { return values[below] }
        return values[below] + fraction * (values[above] - values[below])
    }

    /// Type-7 quantiles of unsorted values at each probability, without sorting them all:
    /// the order statistics needed are found by selection (quickselect, falling back to a
    /// sort of the remaining range if partitioning goes badly), the middle one first and then
    /// those on either side within their part, so m quantiles of n values cost about
    /// n·log2(m) steps rather than a sort's n·log2(n) (or m passes of n). Equal to
    /// `type7(sorted: values.sorted(), p)` for each p.
    public static func type7(unsorted values: [Double], _ probabilities: [Double]) -> [Double] {
        guard !values.isEmpty else { return probabilities.map { _ in .nan } }
        var work = values
        let n = work.count
        let needed = Set(probabilities.flatMap { p -> [Int] in
            let below = Int((Double(n - 1) * p).rounded(.down))
            return [below, min(below + 1, n - 1)]
        }).sorted()
        select(&work, needed[...], in: 0 ... n - 1)
        return probabilities.map { p in
            let h = Double(n - 1) * p
            let below = Int(h.rounded(.down)), above = min(below + 1, n - 1)
            let fraction = h - Double(below)
            if fraction == 0 || work[below] == work[above] { return work[below] }
            return work[below] + fraction * (work[above] - work[below])
        }
    }

    /// Puts the k-th smallest value at index k for every k in `ks` (ascending, all in `range`),
    /// where `range` holds just the values that belong there in sorted order.
    private static func select(_ values: inout [Double], _ ks: ArraySlice<Int>, in range: ClosedRange<Int>) {
        guard !ks.isEmpty else { return }
        let middle = ks.startIndex + ks.count / 2
        let k = ks[middle]
        select(&values, k, in: range)
        if k > range.lowerBound { select(&values, ks[..<middle], in: range.lowerBound ... k - 1) }
        if k < range.upperBound { select(&values, ks[(middle + 1)...], in: k + 1 ... range.upperBound) }
    }

    /// Puts the k-th smallest of `values[range]` at index k, smaller ones before it and larger
    /// ones after (within the range).
    private static func select(_ values: inout [Double], _ k: Int, in range: ClosedRange<Int>) {
        var (lo, hi) = (range.lowerBound, range.upperBound)
        var budget = 2 * (Int.bitWidth - range.count.leadingZeroBitCount) + 8
        while hi > lo {
            budget -= 1
            if budget == 0 {
                values[lo ... hi].sort()
                return
            }
            // Median of three as the pivot, then a three-way partition (many equal values are common).
            let mid = lo + (hi - lo) / 2
            let pivot = max(min(values[lo], values[mid]), min(max(values[lo], values[mid]), values[hi]))
            var (less, i, greater) = (lo, lo, hi)
            while i <= greater {
                if values[i] < pivot {
                    values.swapAt(i, less)
                    less += 1
                    i += 1
                } else if values[i] > pivot {
                    values.swapAt(i, greater)
                    greater -= 1
                } else {
                    i += 1
                }
            }
            if k < less { hi = less - 1 } else if k > greater { lo = greater + 1 } else { return }
        }
    }
}
