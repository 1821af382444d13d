import Diagnostics

/// Texts that pandas' `read_csv` reads as missing by default and `load` (as R's `read.csv`)
/// reads as text: `nan` and `None` are what pandas writes for a missing value of a column made
/// strings (`astype(str)`), `NULL` and `null` what databases export. A name may be `None`, so
/// `load` keeps them, but a user comparing `describe` with pandas' would see a level where
/// pandas sees a gap: `load` names them with the `na=` that reads them as missing. (`NaN` among
/// numbers is missing already; a few stray texts among numbers get `NumberLikeColumns`' warning.)
public enum PandasMissingTexts {
    static let texts: Set<String> = ["nan", "NaN", "-nan", "-NaN", "None", "NULL", "null", "<NA>"]
    /// The longest of `texts` in bytes: a longer value is none of them, found without hashing
    /// it (a text column's million values cost a serial 50 ms when each was hashed).
    private static let longest = texts.map(\.utf8.count).max()!

    /// One warning per categorical or text column holding any of `texts` among values that are
    /// not all numbers.
    public static func warnings(for data: Dataset) -> [String] {
        data.columns.compactMap { column in
            // The texts among the values, then (only where there are some, which is rare) whether
            // any value is not a number: a column of strings is a million values, each looked at
            // by its length alone in the first pass.
            var found = Set<String>()
            let hasText: Bool
            switch column.storage {
            case .categories(_, let levels):
                for level in levels where level.utf8.count <= longest && texts.contains(level) { found.insert(level) }
                hasText = !found.isEmpty && levels.contains { !texts.contains($0) && !NumberLikeColumns.isNumber($0) }
            case .strings(let values):
                for row in values.indices where values.byteCount(at: row) <= longest && !column.isMissing(row) && texts.contains(values[row]) {
                    found.insert(values[row])
                }
                hasText = !found.isEmpty && values.indices.contains { row in
                    !column.isMissing(row) && !texts.contains(values[row]) && !NumberLikeColumns.isNumber(values[row])
                }
            case .numbers: return nil
            }
            guard !found.isEmpty, hasText else { return nil }
            let sorted = found.sorted()
            return "column \(Identifier.quoted(column.name)) holds \(sorted.map { "'\($0)'" }.joined(separator: ", ")), which pandas reads as missing "
                + "and load as \(column.type == .text ? "text" : "a level"): na=\(sorted.map { "\"\($0)\"" }.joined(separator: ",")) "
                + "reads \(sorted.count == 1 ? "it" : "them") as missing"
        }
    }
}
