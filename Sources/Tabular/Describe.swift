import Numerics

/// What `describe NAME` prints: a line with the shape, then one table for the columns that hold
/// numbers (integer, numeric, boolean — a boolean's mean is its share of `true`) and one for the
/// columns that hold text (categorical and text). Figures have 7 significant digits, as R
/// prints them; a figure that is undefined (the sd of one value, anything of no values) is `NA`,
/// one that computes to NaN (the mean of `Inf` and `-Inf`) is `NaN`.
public enum Describe {
    /// How many of a categorical column's most frequent levels the `top` cell lists.
    public static let topLevelCount = 5

    public static func report(of dataset: Dataset) -> Report {
        var report = Report.text("\(dataset.rowCount) row\(dataset.rowCount == 1 ? "" : "s") × \(dataset.columnCount) column\(dataset.columnCount == 1 ? "" : "s")")
        let numberColumns = dataset.columns.filter(\.type.isNumeric)
        if !numberColumns.isEmpty { report.add(numbersTable(numberColumns)) }
        let textColumns = dataset.columns.filter { !$0.type.isNumeric }
        if !textColumns.isEmpty { report.add(textTable(textColumns)) }
        return report
    }

    static func numbersTable(_ columns: [Column]) -> TextTable {
        var table = TextTable(
            headers: ["column", "type", "count", "missing", "mean", "sd", "min", "25%", "50%", "75%", "max"],
            alignments: [.left, .left] + Array(repeating: .right, count: 9))
        // Each column's summary sorts its values: on every core.
        let summaries = try! concurrentMap(columns.count, threads: everyCore) { NumericSummary(columns[$0]) }
        for (column, summary) in zip(columns, summaries) {
            guard let summary else { continue }
            let figures = [summary.mean, summary.standardDeviation, summary.minimum, summary.firstQuartile,
                           summary.median, summary.thirdQuartile, summary.maximum]
            let defined = [summary.count > 0, summary.count > 1] + Array(repeating: summary.count > 0, count: 5)
            table.append([column.name, column.type.rawValue, String(summary.count), String(column.count - summary.count)]
                + zip(figures, defined).map { $1 ? figure($0, of: column) : "NA" })
        }
        return table
    }

    /// 7 significant digits, except that a whole number in an integer column prints in full:
    /// 1000000001 and 1000000003 must not both read 1e+09.
    static func figure(_ value: Double, of column: Column) -> String {
        if column.type == .integer, value == value.rounded(), abs(value) < 1e15 { return NumberFormat.shortest(value) }
        return NumberFormat.significant(value)
    }

    /// Categorical columns list their levels and the most frequent ones with counts (ties in level
    /// order); text columns only the number of distinct values, since their values rarely repeat.
    static func textTable(_ columns: [Column]) -> TextTable {
        var table = TextTable(
            headers: ["column", "type", "count", "missing", "distinct", "top"],
            alignments: [.left, .left, .right, .right, .right, .left])
        for column in columns {
            let count = column.count - column.missingCount
            var distinct = 0
            var top = ""
            switch column.storage {
            case .categories(let codes, let levels):
                var frequencies = [Int](repeating: 0, count: levels.count)
                for (row, code) in codes.enumerated() where !column.missing[row] { frequencies[Int(code)] += 1 }
                distinct = levels.count
                top = levels.indices
                    .sorted { frequencies[$0] != frequencies[$1] ? frequencies[$0] > frequencies[$1] : $0 < $1 }
                    .prefix(topLevelCount)
                    .map { "\(ColumnListing.shortened(levels[$0])) \(frequencies[$0])" }
                    .joined(separator: ", ")
            case .strings(let strings):
                // Told apart by their bytes, as `load` tells levels apart, without a string made
                // a row; a text no level may hold (a NUL, from a workspace) as a string.
                var seen = LevelTable(), refused = Set<String>()
                for row in strings.indices where !column.missing[row] {
                    strings.withUTF8(at: row) { text in
                        if (try? seen.code(for: text)) == nil { refused.insert(String(decoding: text, as: UTF8.self)) }
                    }
                }
                distinct = seen.count + refused.count
            case .numbers:
                continue
            }
            table.append([column.name, column.type.rawValue, String(count), String(column.missingCount), String(distinct), top])
        }
        return table
    }
}
