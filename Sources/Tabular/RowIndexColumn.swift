/// A first column with no name that numbers the rows 0, 1, 2, … (or 1, 2, 3, …): the index
/// pandas' `to_csv` writes unless told `index=False`, and R's `write.csv` its row names. Read
/// back as data (pandas names it `Unnamed: 0`, R `X`, `load` `V1`), it becomes one more feature
/// of every fit that takes all the other columns: one that follows the file's row order, which
/// is often sorted by the target. `load` says so.
public enum RowIndexColumn {
    /// The warning for `data`, read with a header line, whose first column is such an index.
    public static func warning(for data: Dataset) -> String? {
        guard data.rowCount >= 2, let first = data.columns.first, first.name == "V1", first.type == .integer,
              first.missingCount == 0, let values = first.numbers, values[0] == 0 || values[0] == 1,
              values.indices.allSatisfy({ values[$0] == values[0] + Double($0) }) else { return nil }
        return "column 'V1' has no name and numbers the rows \(Int(values[0])) to \(Int(values[values.count - 1])): a row index "
            + "(as pandas' to_csv writes without index=False), which fits would take for a feature: name the others in features="
    }
}
