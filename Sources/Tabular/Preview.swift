/// What `show NAME rows=N` prints: the first rows as a table, numbers right-aligned, missing
/// values as `NA`, and a footer saying how many rows were left out.
public enum Preview {
    public static func table(of dataset: Dataset, rows requested: Int) -> TextTable {
        let shown = min(max(0, requested), dataset.rowCount)
        var table = TextTable(
            headers: dataset.columnNames,
            alignments: dataset.columns.map { $0.type.isNumeric ? .right : .left })
        for row in 0..<shown {
            table.append(dataset.columns.map { $0.displayText(at: row) ?? "NA" })
        }
        if shown < dataset.rowCount { table.footer = "(\(shown) of \(dataset.rowCount) rows)" }
        return table
    }

    public static func report(of dataset: Dataset, rows: Int) -> Report {
        .table(table(of: dataset, rows: rows))
    }
}
