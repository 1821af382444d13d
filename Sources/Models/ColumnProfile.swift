import Numerics
import Tabular

/// What a column looked like: enough to check new data against it and to measure drift
/// without the rows themselves. Numbers get a range, moments, decile bins and a sorted
/// sample; categories (and booleans, as false/true) their level counts.
public struct ColumnProfile: Codable, Sendable, Equatable {
    public let name: String
    public let type: ColumnType
    /// Every row, and the rows where the value is missing.
    public let rows: Int
    public let missing: Int
    public let numbers: NumberProfile?
    public let categories: CategoryProfile?

    /// The share of rows with a missing value (0 for no rows).
    public var missingRate: Double { rows == 0 ? 0 : Double(missing) / Double(rows) }

    /// Profiles `column`; `sampleLimit` caps the sorted sample kept of a numeric one (nil:
    /// keep every value). A text column with more than `CategoryProfile.levelLimit` distinct
    /// values gets no distribution.
    public init(_ column: Column, sampleLimit: Int? = NumberProfile.sampleLimit) {
        name = column.name
        type = column.type
        rows = column.count
        missing = column.missingCount
        let present = { (0 ..< column.count).filter { !column.isMissing($0) } }
        switch column.type {
        case .integer, .numeric:
            // Most columns miss nothing: then their values are the present ones, shared, not copied.
            let values = column.numbers.map { numbers in column.missingCount == 0 ? numbers : present().map { numbers[$0] } } ?? []
            numbers = values.isEmpty ? nil : NumberProfile(values, sampleLimit: sampleLimit)
            categories = nil
        case .boolean, .categorical, .text:
            numbers = nil
            categories = CategoryProfile(column)
        }
    }
}

/// A numeric column's present values, summarised.
public struct NumberProfile: Codable, Sendable, Equatable {
    public let minimum: Double
    public let maximum: Double
    public let mean: Double
    /// Population standard deviation.
    public let deviation: Double
    /// The distinct type-7 deciles (10 %, …, 90 %), ascending: the inner edges of the bins
    /// PSI is measured on (bin i holds (edges[i−1], edges[i]]); of `quantileRowLimit` evenly
    /// spaced values when there are more.
    public let edges: [Double]
    /// How many values fell in each bin (edges.count + 1 bins).
    public let binCounts: [Double]
    /// Every value, sorted, when there are at most the sample limit; else that many
    /// evenly spaced type-7 quantiles (at k/(limit−1); of `quantileRowLimit` evenly spaced
    /// values when there are more), which the KS test uses in their place.
    public let sample: [Double]
    /// How many values there were.
    public let count: Int

    /// A profile keeps at most this many values of a column (so a model file stays small).
    public static let sampleLimit = 1000
    /// Deciles and the sample of a longer column come from this many evenly spaced values.
    public static let quantileRowLimit = 100_000

    /// Rows ⌊k · count / limit⌋ for k = 0 ..< limit (limit ≤ count), stepped by the whole part
    /// of count / limit and its remainder rather than a division per row.
    static func evenlySpacedRows(_ limit: Int, of count: Int) -> [Int] {
        let (step, remainder) = count.quotientAndRemainder(dividingBy: limit)
        var rows = [Int](repeating: 0, count: limit)
        var row = 0, carried = 0
        for k in rows.indices {
            rows[k] = row
            row += step
            carried += remainder
            if carried >= limit { row += 1; carried -= limit }
        }
        return rows
    }

    init(_ values: [Double], sampleLimit: Int?) {
        count = values.count
        let moments = ValueMoments(values)
        (minimum, maximum, mean, deviation) = (moments.minimum, moments.maximum, moments.mean, moments.deviation)
        // Quantiles of a large column from evenly spaced values: as good for drift, at a
        // fraction of the cost of selecting among millions.
        let spaced = values.count <= Self.quantileRowLimit ? values
            : Self.evenlySpacedRows(Self.quantileRowLimit, of: values.count).map { values[$0] }
        // One sort of the spaced values serves the deciles and the whole sample (a selection
        // per quantile cost several times as much for a thousand of them).
        let sorted = RadixSort.sorted(spaced)
        var distinct: [Double] = []
        for decile in 1 ... 9 {
            let edge = Quantile.type7(sorted: sorted, Double(decile) / 10)
            if distinct.last != edge { distinct.append(edge) }
        }
        edges = distinct
        binCounts = PopulationStability.counts(values, edges: distinct)
        if let limit = sampleLimit, values.count > limit {
            sample = (0 ..< limit).map { Quantile.type7(sorted: sorted, Double($0) / Double(limit - 1)) }
        } else {
            // Every value: the spaced ones are all of them only up to quantileRowLimit.
            sample = spaced.count == values.count ? sorted : RadixSort.sorted(values)
        }
    }

    /// Whether `sample` holds every value.
    public var sampleIsComplete: Bool { sample.count == count }
}

/// A categorical column's levels (those present, sorted by UTF-8 bytes) and how often each occurs.
public struct CategoryProfile: Codable, Sendable, Equatable {
    public let levels: [String]
    public let counts: [Double]

    /// Text columns with more distinct values than this are names or notes, not categories.
    public static let levelLimit = 100

    /// The present values' counts; a categorical column's by its level codes (a string per row
    /// cost most of a million-row fit).
    init?(_ column: Column) {
        var counts: [String: Double] = [:]
        if case .categories(let codes, let levels) = column.storage {
            var byCode = [Double](repeating: 0, count: levels.count)
            for (row, code) in codes.enumerated() where levels.indices.contains(Int(code)) && !column.isMissing(row) { byCode[Int(code)] += 1 }
            for (level, count) in zip(levels, byCode) where count > 0 { counts[level, default: 0] += count }
        } else if column.type == .boolean, case .numbers(let values) = column.storage {
            var falses = 0.0, trues = 0.0
            for (row, value) in values.enumerated() where !column.isMissing(row) {
                if value == 0 { falses += 1 } else if value == 1 { trues += 1 } else if let text = column.text(at: row) { counts[text, default: 0] += 1 }
            }
            if falses > 0 { counts["false", default: 0] += falses }
            if trues > 0 { counts["true", default: 0] += trues }
        } else {
            for row in 0 ..< column.count where !column.isMissing(row) {
                if let text = column.text(at: row) { counts[text, default: 0] += 1 }
            }
        }
        guard counts.count <= Self.levelLimit else { return nil }
        levels = counts.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        self.counts = levels.map { counts[$0]! }
    }

    public var total: Double { counts.reduce(0, +) }
}
