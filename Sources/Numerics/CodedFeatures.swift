import Diagnostics

/// The unsigned integer types a feature's codes are stored in: the narrowest that holds every code.
typealias TreeCode = FixedWidthInteger & UnsignedInteger & Sendable

/// The features as small integer codes, the form the tree builder splits on. A numeric feature's
/// code is its bin: with `maximumBins` nil every distinct training value is its own bin (exact
/// CART: every split between two adjacent values is a candidate), otherwise at most that many
/// bins of about equal row counts (the candidates are the bin edges, which is what makes a forest
/// on a million rows fast). A categorical feature's code is its level. The code `codeCounts[f]`
/// marks a missing value.
///
/// The codes are stored row by row: a node's histograms for its few drawn features are built
/// in one pass over its rows, reading each row's codes side by side. Coding costs one sort per
/// numeric feature, O(n log n), features in parallel.
struct CodedFeatures<Code: TreeCode>: Sendable {
    /// `codes[row * featureCount + f]`.
    let codes: [Code]
    let featureCount: Int
    /// Feature f's codes are 0 ..< codeCounts[f]; codeCounts[f] itself means missing.
    let codeCounts: [Int]
    let isCategorical: [Bool]
    /// Numeric features: the smallest and the largest training value of each bin, the ends a
    /// threshold lies between (empty for categorical features).
    let lowest: [[Double]]
    let highest: [[Double]]

    /// The widest a code can get for these features: a numeric feature has at most one bin per
    /// row or `maximumBins`, a categorical one a code per level; the missing code comes on top.
    static func largestCode(of features: [FeatureColumn], rows: Int, maximumBins: Int?) -> Int {
        features.map { column in
            switch column {
            case .numbers: min(rows, maximumBins ?? rows)
            case .levels(_, let count): count
            }
        }.max() ?? 0
    }

    init(_ features: [FeatureColumn], maximumBins: Int?, threads: Int) throws {
        let coded = try concurrentMap(features.count, threads: threads) { f in
            if Interruption.isRequested { throw interrupted }
            switch features[f] {
            case .numbers(let values): return try Self.numeric(values, maximumBins: maximumBins)
            case .levels(let levels, let count):
                return (levels.map { $0 < 0 ? Code(count) : Code($0) }, count, true, [Double](), [Double]())
            }
        }
        let n = coded.first?.0.count ?? 0, p = coded.count
        var codes = [Code](repeating: 0, count: n * p)
        for (f, column) in coded.enumerated() {
            for row in 0 ..< n { codes[row * p + f] = column.0[row] }
        }
        self.codes = codes
        featureCount = p
        codeCounts = coded.map(\.1)
        isCategorical = coded.map(\.2)
        lowest = coded.map(\.3)
        highest = coded.map(\.4)
    }

    /// A numeric feature's bins and each row's bin (binary search over the bins' largest values).
    private static func numeric(_ values: [Double], maximumBins: Int?) throws
        -> (codes: [Code], count: Int, categorical: Bool, lowest: [Double], highest: [Double]) {
        let (lowest, highest) = try bins(values, maximumBins: maximumBins)
        let missing = Code(highest.count)
        let codes = values.map { value -> Code in
            guard !value.isNaN else { return missing }
            var low = 0, high = highest.count - 1
            while low < high {
                let middle = (low + high) / 2
                if highest[middle] < value { low = middle + 1 } else { high = middle }
            }
            return Code(low)
        }
        return (codes, highest.count, false, lowest, highest)
    }

    /// The bins of a numeric feature as (smallest, largest) value of each: every distinct value
    /// when there are at most `maximumBins` of them (or no maximum); otherwise bin b closes at
    /// the first distinct value where the count of values so far reaches b · n / maximumBins, so
    /// bins hold about n / maximumBins values each and a value is never split across two.
    static func bins(_ values: [Double], maximumBins: Int?) throws -> (lowest: [Double], highest: [Double]) {
        let sorted = try interruptiblySorted(values.filter { !$0.isNaN })
        // Reserved to the exact count: grown by appending, an exact forest's distinct values
        // (kept for the whole fit) would take up to twice their size.
        var distinctCount = sorted.isEmpty ? 0 : 1
        for i in sorted.indices.dropFirst() where sorted[i] != sorted[i - 1] { distinctCount += 1 }
        var distinct: [Double] = [], counts: [Int] = []
        distinct.reserveCapacity(distinctCount)
        counts.reserveCapacity(distinctCount)
        for value in sorted {
            if value == distinct.last { counts[counts.count - 1] += 1 } else { distinct.append(value); counts.append(1) }
        }
        guard let maximumBins, distinct.count > maximumBins else { return (distinct, distinct) }
        var lowest: [Double] = [], highest: [Double] = []
        var cumulative = 0, binStart = 0, quantile = 1
        for j in distinct.indices {
            cumulative += counts[j]
            guard cumulative * maximumBins >= quantile * sorted.count || j == distinct.count - 1 else { continue }
            lowest.append(distinct[binStart])
            highest.append(distinct[j])
            binStart = j + 1
            while quantile * sorted.count <= cumulative * maximumBins { quantile += 1 }
        }
        return (lowest, highest)
    }

    /// `values` (no NaN) in ascending order, sorted in runs of 2^16 and merged pairwise, with
    /// Ctrl-C checked between runs and merges: one sort of millions of values would otherwise
    /// keep a forest from answering it for a quarter of a second or more.
    static func interruptiblySorted(_ values: [Double]) throws -> [Double] {
        let run = 1 << 16, n = values.count
        var source = values
        for start in stride(from: 0, to: n, by: run) {
            if Interruption.isRequested { throw interrupted }
            source[start ..< min(start + run, n)].sort()
        }
        guard n > run else { return source }
        var target = [Double](repeating: 0, count: n)
        var width = run
        while width < n {
            for start in stride(from: 0, to: n, by: 2 * width) {
                if Interruption.isRequested { throw interrupted }
                let middle = min(start + width, n), end = min(start + 2 * width, n)
                var (i, j, k) = (start, middle, start)
                while i < middle && j < end {
                    if source[j] < source[i] { target[k] = source[j]; j += 1 } else { target[k] = source[i]; i += 1 }
                    k += 1
                }
                while i < middle { target[k] = source[i]; i += 1; k += 1 }
                while j < end { target[k] = source[j]; j += 1; k += 1 }
            }
            swap(&source, &target)
            width *= 2
        }
        return source
    }

    /// The threshold of a split between numeric bins `left` and `right` (right > left, with no
    /// training value of the node in between): the midpoint of the largest value of the one
    /// and the smallest of the other, as scikit-learn places it, or the largest value itself
    /// when the two are adjacent doubles and the midpoint rounds up to the other.
    func threshold(feature f: Int, between left: Int, and right: Int) -> Double {
        let below = highest[f][left], above = lowest[f][right]
        let midpoint = below / 2 + above / 2
        return midpoint < above ? midpoint : below
    }
}
