import Numerics

extension Dataset {
    /// The rows ordered by the columns `keys`, the first deciding first. Numbers by value, text
    /// (categorical or not) by its characters' code points; ties keep their order (a stable
    /// sort), and missing values come last in either direction, as dplyr's arrange puts NA.
    public func sorted(by keys: [String], descending: Bool = false) throws -> Dataset {
        let ranks = try keys.map { try Self.ranks(of: requireColumn($0)) }
        // Stably by the last key, then by each earlier one: the first decides first, and rows
        // equal on every key keep their order. Radix passes, not comparisons: a million rows in
        // a few hundredths of a second.
        var order = Array(0 ..< rowCount)
        for rank in ranks.reversed() {
            order = RadixSort.stableOrder(of: order.map { Self.sortKey(rank[$0], descending: descending) }).map { order[$0] }
        }
        return selecting(rows: order)
    }

    /// The row's key for an ascending radix order: a missing value (NaN) last in either direction.
    private static func sortKey(_ rank: Double, descending: Bool) -> UInt64 {
        guard !rank.isNaN else { return .max }
        let key = RadixSort.key(rank)
        // No number's key is 0 or the largest, so neither inverted key reaches a missing one.
        return descending ? ~key : key
    }

    /// A number per row that orders it: the value itself, or the rank of its text; NaN if missing.
    private static func ranks(of column: Column) -> [Double] {
        switch column.storage {
        case .numbers(let values):
            return (0..<column.count).map { column.isMissing($0) ? .nan : values[$0] }
        case .categories(let codes, let levels):
            let rankOfLevel = textRanks(levels)
            return (0..<column.count).map { column.isMissing($0) ? .nan : rankOfLevel[Int(codes[$0])] }
        case .strings(let texts):
            let rank = textRanks(Array(texts))
            return (0..<column.count).map { column.isMissing($0) ? .nan : rank[$0] }
        }
    }

    /// The place of each text among them all, sorted by code points (equal texts share one).
    private static func textRanks(_ texts: [String]) -> [Double] {
        let distinct = Array(Set(texts)).sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
        let place = Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($1, Double($0)) })
        return texts.map { place[$0]! }
    }
}
