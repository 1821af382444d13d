/// A dataset as CSV or JSON text (`write DATA to "out.csv"`), written so that `load` reads back
/// the same columns, types and values wherever the format can say so:
/// - missing values are `NA` in CSV (an empty field would make a one-column row a blank line,
///   which readers skip) and `null` in JSON;
/// - integer columns are written as whole numbers, numeric columns always with a point or an
///   exponent (`2.0`, `1e-05`), in the shortest form that reads back as the same Double, so an
///   all-whole numeric column stays numeric; infinities are `Inf` and `-Inf` (strings in JSON);
/// - booleans are `TRUE`/`FALSE` in CSV (the one spelling R's read.csv, pandas and `load` all read
///   as logical: read.csv keeps `true` as text) and `true`/`false` in JSON; categorical and text values are the text itself, quoted where
///   CSV needs it (separator, quote, line break, space at either end).
///
/// What no CSV can say is lost in JSON too, since `load` reads both by the same rules: a text
/// value that reads as a number, a boolean or `NA` comes back as one, and categorical or text is
/// decided again by the number of distinct values.
public enum DataWriter {
    /// The two JSON shapes pandas calls `orient="records"` and `orient="list"`.
    public enum JSONLayout: String, Sendable, CaseIterable {
        /// `[{"x": 1, "g": "a"}, …]`: one object per row.
        case records
        /// `{"x": [1, …], "g": ["a", …]}`: one array per column.
        case columns
    }

    public static func csv(_ data: Dataset) -> String { String(decoding: csvBytes(data), as: UTF8.self) }

    /// The CSV's bytes, each field appended to one buffer as it is formatted (a string a line,
    /// then joined, took five times the file's size: 720 MB to write the 129 MB mixed file).
    public static func csvBytes(_ data: Dataset) -> [UInt8] {
        var bytes: [UInt8] = []
        func append(_ text: String) {
            var text = text
            text.withUTF8 { bytes.append(contentsOf: $0) }
        }
        func endLine(_ fields: some Sequence<String>) {
            for (index, field) in fields.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                append(field)
            }
            bytes.append(UInt8(ascii: "\n"))
        }
        endLine(data.columns.lazy.map { CSVText.field($0.name) })
        for row in 0..<data.rowCount {
            endLine(data.columns.lazy.map { column in
                guard let value = value(of: column, at: row) else { return "NA" }
                if column.type == .boolean, let logical = ["true": "TRUE", "false": "FALSE"][value.text] { return logical }
                return value.isText ? CSVText.field(value.text) : value.text
            })
        }
        return bytes
    }

    public static func json(_ data: Dataset, layout: JSONLayout = .records) -> String {
        let keys = data.columns.map { JSONText.string($0.name) }
        func json(_ column: Column, _ row: Int) -> String {
            guard let value = value(of: column, at: row) else { return "null" }
            return value.isText || !JSONText.isNumber(value.text) && column.type != .boolean ? JSONText.string(value.text) : value.text
        }
        switch layout {
        case .records:
            let records = (0..<data.rowCount).map { row in
                "  {" + zip(keys, data.columns).map { "\($0): \(json($1, row))" }.joined(separator: ", ") + "}"
            }
            return (records.isEmpty ? "[]" : "[\n" + records.joined(separator: ",\n") + "\n]") + "\n"
        case .columns:
            let arrays = zip(keys, data.columns).map { key, column in
                "  \(key): [" + (0..<data.rowCount).map { json(column, $0) }.joined(separator: ", ") + "]"
            }
            return (arrays.isEmpty ? "{}" : "{\n" + arrays.joined(separator: ",\n") + "\n}") + "\n"
        }
    }

    /// The value at `row` as written, and whether it is text (to quote), or nil if missing.
    private static func value(of column: Column, at row: Int) -> (text: String, isText: Bool)? {
        guard let text = column.text(at: row) else { return nil }
        switch column.type {
        case .categorical, .text: return (text, true)
        case .numeric:
            guard let value = column.numbers?[row] else { return (text, false) }
            if value.isInfinite { return (value < 0 ? "-Inf" : "Inf", false) }
            // Swift's description is the shortest round-trip form and keeps `.0` on whole numbers.
            return (value.description, false)
        case .integer, .boolean: return (text, false)
        }
    }
}
