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

    /// Type-7 quantiles of unsorted values at each probability, without sorting them all.
    /// Equal to `type7(sorted: values.sorted(), p)` for each p.
    ///
    /// The order statistics needed come from `bracketedOrderStatistics` when there are many
    /// values and few of them are asked for (a model summary's five residual quantiles of a
    /// million rows: one pass instead of several partitions), else by selection (quickselect,
    /// falling back to a sort of the remaining range if partitioning goes badly), the middle
    /// one first and then those on either side within their part, so m quantiles of n values
    /// cost about n·log2(m) steps rather than a sort's n·log2(n) (or m passes of n).
    public static func type7(unsorted values: [Double], _ probabilities: [Double]) -> [Double] {
        guard !values.isEmpty else { return probabilities.map { _ in .nan } }
        let n = values.count
        let needed = Set(probabilities.flatMap { p -> [Int] in
            let below = Int((Double(n - 1) * p).rounded(.down))
            return [below, min(below + 1, n - 1)]
        }).sorted()
        let orderStatistic: (Int) -> Double
        if n >= bracketingFromCount, needed.count <= 16, let found = bracketedOrderStatistics(values, needed) {
            orderStatistic = { found[$0]! }
        } else {
            var work = values
            select(&work, needed[...], in: 0 ... n - 1)
            orderStatistic = { work[$0] }
        }
        return probabilities.map { p in
            let h = Double(n - 1) * p
            let below = Int(h.rounded(.down)), above = min(below + 1, n - 1)
            let fraction = h - Double(below)
            let (low, high) = (orderStatistic(below), orderStatistic(above))
            if fraction == 0 || low == high { return low }
            return low + fraction * (high - low)
        }
    }

    /// Below this many values, selection on a copy is as quick as bracketing.
    static let bracketingFromCount = 1 << 15

    /// The k-th smallest value for each k in `ranks` (ascending), by bracketing: sorted evenly
    /// spaced values give, for each rank, two values almost surely either side of it; a pass
    /// over all values per bracket counts those below it and gathers those within it, and a
    /// selection among the few gathered finds the rank. Nil when a bracket turns out not to
    /// hold its rank or to hold too many values (values in an order that fools the spacing),
    /// or a value is NaN: the caller selects instead.
    static func bracketedOrderStatistics(_ values: [Double], _ ranks: [Int]) -> [Int: Double]? {
        let n = values.count, sampleCount = 8192
        var (smallest, largest, hasNaN) = (values[0], values[0], false)
        for value in values {
            smallest = value < smallest ? value : smallest
            largest = value > largest ? value : largest
            hasNaN = hasNaN || value.isNaN
        }
        guard !hasNaN else { return nil }
        var found: [Int: Double] = [:]
        if ranks.first == 0 { found[0] = smallest }
        if ranks.last == n - 1 { found[n - 1] = largest }
        let sample = (0 ..< sampleCount).map { values[$0 * (n / sampleCount)] }.sorted()
        // A rank's place among the sample's sorted values wanders by about √(m p (1 − p)) ≤ 45
        // places; ±160 holds it but for a chance of about 1 in 2,000 for data in random order,
        // and a bracket then holds about 2 · 160 / 8192 of the values (4 %).
        let margin = 160
        var brackets: [(low: Double, high: Double, ranks: [Int])] = []
        for rank in ranks where found[rank] == nil {
            let place = rank * (sampleCount - 1) / (n - 1)
            let low = place - margin < 0 ? -Double.infinity : sample[place - margin]
            let high = place + margin >= sampleCount ? Double.infinity : sample[place + margin]
            if let last = brackets.last, low <= last.high {
                brackets[brackets.count - 1] = (last.low, max(last.high, high), last.ranks + [rank])
            } else {
                brackets.append((low, high, [rank]))
            }
        }
        for (low, high, ranks) in brackets {
            // Four times a bracket's expected share, and no more than every value; one more
            // slot, since every value is written (branch-free) and kept only when within.
            let capacity = min(n, 4 * (2 * margin + 1) * (n / sampleCount + 1)), block = 1024
            var gathered = [Double](repeating: 0, count: capacity + 1)
            var (count, below) = (0, 0)
            let complete = values.withUnsafeBufferPointer { values in
                gathered.withUnsafeMutableBufferPointer { gathered in
                    for start in stride(from: 0, to: n, by: block) {
                        guard count + block <= capacity || capacity == n else { return false }
                        for value in values[start ..< min(n, start + block)] {
                            below += value < low ? 1 : 0
                            gathered[count] = value
                            count += value >= low && value <= high ? 1 : 0
                        }
                    }
                    return true
                }
            }
            let local = ranks.map { $0 - below }
            guard complete, local[0] >= 0, local[local.count - 1] < count else { return nil }
            gathered.removeSubrange(count...)
            select(&gathered, local[...], in: 0 ... count - 1)
            for (rank, place) in zip(ranks, local) { found[rank] = gathered[place] }
        }
        return found
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
