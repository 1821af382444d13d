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

    /// The CSV file's bytes, each field appended to one buffer as it is formatted (a string a
    /// line, then joined, took five times the file's size: 720 MB to write the 129 MB mixed file).
    public static func csv(_ data: Dataset) -> [UInt8] {
        var bytes: [UInt8] = []
        func endLine(_ fields: some Sequence<String>) {
            for (index, field) in fields.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                bytes.appendUTF8(field)
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

    /// The JSON file's bytes, appended to one buffer as they are formatted (as `csv`: a string a
    /// record, then joined, took 930 MB and 7 s for the 1M-row mixed dataset).
    public static func json(_ data: Dataset, layout: JSONLayout = .records) -> [UInt8] {
        let keys = data.columns.map { JSONText.string($0.name) }
        var bytes: [UInt8] = []
        func appendValue(_ column: Column, _ row: Int) {
            guard let value = value(of: column, at: row) else { return bytes.appendUTF8("null") }
            bytes.appendUTF8(value.isText || !JSONText.isNumber(value.text) && column.type != .boolean ? JSONText.string(value.text) : value.text)
        }
        switch layout {
        case .records:
            guard data.rowCount > 0 else {
                bytes.appendUTF8("[]\n")
                return bytes
            }
            bytes.appendUTF8("[\n")
            for row in 0..<data.rowCount {
                bytes.appendUTF8(row == 0 ? "  {" : ",\n  {")
                for (index, (key, column)) in zip(keys, data.columns).enumerated() {
                    bytes.appendUTF8(index == 0 ? key + ": " : ", " + key + ": ")
                    appendValue(column, row)
                }
                bytes.appendUTF8("}")
            }
            bytes.appendUTF8("\n]\n")
        case .columns:
            guard !keys.isEmpty else {
                bytes.appendUTF8("{}\n")
                return bytes
            }
            bytes.appendUTF8("{\n")
            for (index, (key, column)) in zip(keys, data.columns).enumerated() {
                bytes.appendUTF8((index == 0 ? "  " : ",\n  ") + key + ": [")
                for row in 0..<data.rowCount {
                    if row > 0 { bytes.appendUTF8(", ") }
                    appendValue(column, row)
                }
                bytes.appendUTF8("]")
            }
            bytes.appendUTF8("\n}\n")
        }
        return bytes
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

extension [UInt8] {
    /// Appends `text`'s UTF-8 bytes.
    mutating func appendUTF8(_ text: String) {
        var text = text
        text.withUTF8 { append(contentsOf: $0) }
    }
}
