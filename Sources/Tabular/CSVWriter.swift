/// Writes a `Dataset` as RFC 4180 CSV that `CSVReader` reads back to the same values: a header
/// of column names, numbers in the shortest form that reads back to the same double, booleans as
/// true/false, a missing value as an empty field (as `NA` in a one-column file, whose empty line
/// would be skipped). A field is quoted when it holds the separator, a quote, a line break,
/// leading or trailing blanks, or is empty text.
public enum CSVWriter {
    public static func text(_ dataset: Dataset) -> String {
        let missing = dataset.columnCount == 1 ? "NA" : ""
        var text = dataset.columnNames.map(field).joined(separator: ",") + "\r\n"
        for row in 0 ..< dataset.rowCount {
            text += dataset.columns.map { column in column.text(at: row).map(field) ?? missing }.joined(separator: ",") + "\r\n"
        }
        return text
    }

    private static func field(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            || value.first == " " || value.first == "\t" || value.last == " " || value.last == "\t"
        return needsQuotes ? "\"" + value.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\"" : value
    }
}
