/// How one feature maps to the byte-sized bins histogram boosting works on, learned once from
/// the training rows (as scikit-learn's `_BinMapper`, so the bins equal its bins on the same
/// values). Bin 255 is always the missing bin: NaN, a missing level, and at prediction a level
/// that training never saw, so that a split sends them wherever it learned to send missing values.
public enum FeatureBins: Codable, Sendable, Equatable {
    /// A value x falls in bin i when `thresholds[i − 1] < x ≤ thresholds[i]`: the thresholds are
    /// increasing, at most 254 of them, so there are `thresholds.count + 1` bins of values.
    case numeric(thresholds: [Double])
    /// Level `levels[i]` falls in bin i: the levels training saw, increasing, at most 255.
    case categorical(levels: [Int])

    /// The bin of missing values (and of unseen levels), the same for every feature.
    static let missingBin = 255
    /// Values are sampled down to this many rows before their quantiles are taken (as scikit-learn).
    static let quantileSampleSize = 200_000

    /// The number of bins that values (not missing) fall in.
    var valueBinCount: Int {
        switch self {
        case .numeric(let thresholds): thresholds.count + 1
        case .categorical(let levels): levels.count
        }
    }

    var isCategorical: Bool {
        if case .categorical = self { true } else { false }
    }

    /// Learns the bins of `column` from the values at `rows`, at most `maxBins` bins of numbers:
    /// with at most `maxBins` distinct values, the midpoints between consecutive ones; otherwise
    /// the `maxBins − 1` inner quantiles at equal steps, by numpy's "averaged_inverted_cdf" rule,
    /// duplicates removed. Levels: those that occur (the caller refuses more than `maxBins`).
    static func learn(_ column: FeatureColumn, rows: [Int], maxBins: Int) -> FeatureBins {
        switch column {
        case .numbers(let values):
            let present = rows.map { values[$0] }.filter { !$0.isNaN }.sorted()
            return .numeric(thresholds: numericThresholds(sorted: present, maxBins: maxBins))
        case .levels(let codes, let count):
            var seen = [Bool](repeating: false, count: count)
            for row in rows where codes[row] >= 0 { seen[codes[row]] = true }
            return .categorical(levels: seen.indices.filter { seen[$0] })
        }
    }

    /// The thresholds of sorted values without NaN (scikit-learn's `_find_binning_thresholds`).
    static func numericThresholds(sorted values: [Double], maxBins: Int) -> [Double] {
        var distinct: [Double] = []
        for value in values where distinct.last != value { distinct.append(value) }
        guard distinct.count > 1 else { return [] }
        let thresholds: [Double]
        if distinct.count <= maxBins {
            thresholds = (1 ..< distinct.count).map { (distinct[$0 - 1] + distinct[$0]) / 2 }
        } else {
            // numpy.linspace(0, 100, maxBins + 1)[1 ..< maxBins] / 100, computed as numpy does.
            let step = 100 / Double(maxBins)
            thresholds = (1 ..< maxBins).map { averagedInvertedCDF(values, Double($0) * step / 100) }
        }
        // Duplicates removed (as scikit-learn), after an average of two huge values that
        // overflowed is brought back to the largest finite number, to keep the state storable.
        var unique: [Double] = []
        let finite = thresholds.map { min(max($0, -.greatestFiniteMagnitude), .greatestFiniteMagnitude) }
        for threshold in finite.sorted() where unique.last != threshold {
            unique.append(threshold)
        }
        return unique
    }

    /// numpy.quantile(sorted, q, method: "averaged_inverted_cdf"): the order statistic at n·q,
    /// or the average of two when n·q is a whole number, with numpy's interpolation arithmetic
    /// (b − (b − a)·½), except that the order statistic is taken as it is rather than as
    /// b − (b − a)·0, which is the same unless b − a overflows.
    static func averagedInvertedCDF(_ sorted: [Double], _ q: Double) -> Double {
        let n = sorted.count
        let position = Double(n) * q - 1
        let below = position.rounded(.down)
        let (a, b): (Double, Double)
        if position >= Double(n - 1) {
            (a, b) = (sorted[n - 1], sorted[n - 1])
        } else if position < 0 {
            (a, b) = (sorted[0], sorted[0])
        } else {
            (a, b) = (sorted[Int(below)], sorted[Int(below) + 1])
        }
        return position - below == 0 ? b - (b - a) * 0.5 : b
    }

    /// The bin of every value of `column` at `rows` (all rows when nil), written to `codes`.
    func code(_ column: FeatureColumn, rows: [Int]?, into codes: UnsafeMutablePointer<UInt8>) {
        let missing = UInt8(Self.missingBin)
        switch (self, column) {
        case (.numeric(let thresholds), .numbers(let values)):
            let search = ThresholdSearch(thresholds)
            values.withUnsafeBufferPointer { x in
                let count = rows?.count ?? x.count
                for i in 0 ..< count {
                    let value = x[rows?[i] ?? i]
                    codes[i] = value.isNaN ? missing : UInt8(search.bin(of: value))
                }
            }
        case (.categorical(let levels), .levels(let values, let levelCount)):
            var binOfLevel = [UInt8](repeating: missing, count: max(levelCount, (levels.last ?? -1) + 1))
            for (bin, level) in levels.enumerated() { binOfLevel[level] = UInt8(bin) }
            let count = rows?.count ?? values.count
            for i in 0 ..< count {
                let level = values[rows?[i] ?? i]
                codes[i] = level >= 0 && level < binOfLevel.count ? binOfLevel[level] : missing
            }
        default:
            preconditionFailure("a feature's column kind is checked against its bins before coding")
        }
    }
}

/// The bin of a value among increasing thresholds: the first i with value ≤ thresholds[i], or
/// the number of thresholds (scikit-learn's binary search gives the same). A binary search over
/// all thresholds mispredicts a branch at most of its steps on random values; here the value's
/// bucket among 1024 equal slices of the thresholds' range narrows the search first, usually to
/// no more than a threshold or two. Buckets come from one monotone formula applied to values
/// and thresholds alike, so a threshold in a lower bucket is below the value and one in a
/// higher bucket above it, whatever the rounding: the answer is always within the bucket's range.
private struct ThresholdSearch {
    private static let buckets = 1024
    private let thresholds: [Double]
    private let lowest: Double
    private let scale: Double
    /// `firstOfBucket[b]`: the number of thresholds in buckets below b; one entry more at the end.
    private let firstOfBucket: [Int]

    init(_ thresholds: [Double]) {
        self.thresholds = thresholds
        lowest = thresholds.first ?? 0
        let range = (thresholds.last ?? 0) - lowest
        scale = range > 0 && range.isFinite ? Double(Self.buckets) / range : 0
        var firstOfBucket = [Int](repeating: 0, count: Self.buckets + 1)
        for threshold in thresholds { firstOfBucket[Self.bucket(of: threshold, lowest: lowest, scale: scale) + 1] += 1 }
        for b in 0 ..< Self.buckets { firstOfBucket[b + 1] += firstOfBucket[b] }
        self.firstOfBucket = firstOfBucket
    }

    /// Non-decreasing in the value; 0 when the scale is 0 (all thresholds in one bucket), even
    /// for an infinite value, whose position is then NaN.
    @inline(__always)
    private static func bucket(of value: Double, lowest: Double, scale: Double) -> Int {
        let position = (value - lowest) * scale
        return position > 0 ? Int(min(position, Double(buckets - 1))) : 0
    }

    @inline(__always)
    func bin(of value: Double) -> Int {
        let b = Self.bucket(of: value, lowest: lowest, scale: scale)
        var low = firstOfBucket[b], high = firstOfBucket[b + 1]
        while low < high {
            let middle = low + (high - low - 1) / 2
            if value <= thresholds[middle] { high = middle } else { low = middle + 1 }
        }
        return low
    }
}

/// Features coded to bins: `rows × featureCount` bytes, column-major, so that a split reads
/// one feature of a node's rows from one column (histograms read `HistogramBuilder`'s records).
struct BinnedRows: Sendable {
    let rows: Int
    let featureCount: Int
    let codes: [UInt8]

    /// Codes `columns` at `rows` (all rows when nil) by their bins, one feature per work unit.
    init(_ columns: [FeatureColumn], bins: [FeatureBins], rows: [Int]?, rowCount: Int, threads: Int) {
        self.rows = rowCount
        featureCount = columns.count
        var codes = [UInt8](repeating: 0, count: rowCount * columns.count)
        codes.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let base = buffer.baseAddress!
            ConcurrentWork.run(columns.count, threads: threads) { f in
                bins[f].code(columns[f], rows: rows, into: base + f * rowCount)
            }
        }
        self.codes = codes
    }
}
