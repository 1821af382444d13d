import Diagnostics
/// What `columns NAME` prints: one line per column with its type, missing count and a glimpse
/// of its values — the levels of a categorical column, the first few values of any other.
public enum ColumnListing {
    /// How many levels or example values a `values` cell shows before `…`.
    public static let levelsShown = 5
    public static let examplesShown = 3

    public static func report(of dataset: Dataset) -> Report {
        var table = TextTable(
            headers: ["column", "type", "missing", "values"],
            alignments: [.left, .left, .right, .left])
        for column in dataset.columns {
            table.append([column.name, column.type.rawValue, String(column.missingCount), glimpse(of: column)])
        }
        return .table(table)
    }

    /// "3 levels: setosa, versicolor, virginica" or "5.1, 4.9, 4.7, …"; each value is cut to
    /// `TextTable.dataCellWidth` columns, so one long value leaves room for the others.
    static func glimpse(of column: Column) -> String {
        if let levels = column.levels {
            let listed = levels.prefix(levelsShown).map(shortened).joined(separator: ", ") + (levels.count > levelsShown ? ", …" : "")
            return "\(levels.count) level\(levels.count == 1 ? "" : "s")" + (levels.isEmpty ? "" : ": " + listed)
        }
        var examples: [String] = []
        var row = 0
        while row < column.count, examples.count <= examplesShown {
            if let text = column.displayText(at: row) { examples.append(shortened(text)) }
            row += 1
        }
        if examples.count > examplesShown { examples[examplesShown] = "…" }
        return examples.joined(separator: ", ")
    }

    static func shortened(_ value: String) -> String {
        TerminalText.cell(value, maximumWidth: TextTable.dataCellWidth).text
    }
}
