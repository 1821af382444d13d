/// What `show NAME rows=N` prints: the first rows as a table, numbers right-aligned, missing
/// values as `NA`, and a footer saying how many rows (and columns) were left out.
public enum Preview {
    /// At most this many columns are shown; a footer counts the rest and points to `columns`.
    public static let maximumColumns = 20

    /// `name` is the dataset's name, used in the footer that points to `columns NAME`.
    public static func table(of dataset: Dataset, rows requested: Int, named name: String? = nil) -> TextTable {
        let shown = min(max(0, requested), dataset.rowCount)
        let columns = dataset.columns.prefix(maximumColumns)
        var table = TextTable(
            headers: columns.map(\.name),
            alignments: columns.map { $0.type.isNumeric ? .right : .left },
            maximumCellWidth: TextTable.dataCellWidth)
        for row in 0..<shown {
            table.append(columns.map { $0.displayText(at: row) ?? "NA" })
        }
        var footers: [String] = []
        if shown < dataset.rowCount { footers.append("(\(shown) of \(dataset.rowCount) rows)") }
        let hidden = dataset.columnCount - columns.count
        if hidden > 0 {
            let listing = name.map { ": see `columns \($0)`" } ?? ": `columns` lists them"
            footers.append("(… \(hidden) more column\(hidden == 1 ? "" : "s")\(listing))")
        }
        if !footers.isEmpty { table.footer = footers.joined(separator: "\n") }
        return table
    }

    public static func report(of dataset: Dataset, rows: Int, named name: String? = nil) -> Report {
        .table(table(of: dataset, rows: rows, named: name))
    }
}
