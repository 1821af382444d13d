extension Dataset {
    /// The rows ordered by the columns `keys`, the first deciding first. Numbers by value, text
    /// (categorical or not) by its characters' code points; ties keep their order (a stable
    /// sort), and missing values come last in either direction, as dplyr's arrange puts NA.
    public func sorted(by keys: [String], descending: Bool = false) throws -> Dataset {
        let ranks = try keys.map { try Self.ranks(of: requireColumn($0)) }
        let order = (0..<rowCount).sorted { a, b in
            for rank in ranks {
                let x = rank[a], y = rank[b]
                if x == y || (x.isNaN && y.isNaN) { continue }
                if x.isNaN || y.isNaN { return y.isNaN }
                return descending ? x > y : x < y
            }
            return a < b
        }
        return selecting(rows: order)
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
            let rank = textRanks(texts)
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
