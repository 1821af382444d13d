/// Numbers written with a decimal comma (`1,5`), as a spreadsheet in a European locale saves
/// CSV (fields separated by `;`): the reader takes such a column for categories or text, as R's
/// `read.csv` (not `read.csv2`) and pandas without `decimal=','` would. `load … decimal=","`
/// reads them as numbers (by converting those columns after reading, so the reader's fast
/// number path stays as it is); without it, `load` names them with that fix.
public enum DecimalComma {
    /// `data` with each column `columns(in:)` names made numeric.
    public static func converted(_ data: Dataset) throws -> Dataset {
        try Dataset(columns: data.columns.map { column in
            // Missing rows hold NaN, so they stay missing; a `nan` text becomes missing, as in a numeric column.
            numbers(of: column).map { Column.numeric(column.name, $0) } ?? column
        })
    }

    /// The categorical and text columns of `data` whose values are all numbers once a comma
    /// is read as the decimal point.
    public static func columns(in data: Dataset) -> [String] {
        data.columns.filter { numbers(of: $0) != nil }.map(\.name)
    }

    /// A column's values read with a decimal comma (NaN where missing), or nil unless it is
    /// categorical or text, has a value, and every value reads so.
    static func numbers(of column: Column) -> [Double]? {
        guard column.count > column.missingCount else { return nil }
        switch column.storage {
        case .categories(let codes, let levels):
            var values = [Double?](repeating: nil, count: levels.count)
            for (level, text) in levels.enumerated() { values[level] = number(text) }
            var result = [Double](repeating: .nan, count: column.count)
            for (row, code) in codes.enumerated() where !column.isMissing(row) {
                guard let value = values[Int(code)] else { return nil }
                result[row] = value
            }
            return result
        case .strings(let texts):
            var result = [Double](repeating: .nan, count: column.count)
            for (row, text) in texts.enumerated() where !column.isMissing(row) {
                guard let value = number(text) else { return nil }
                result[row] = value
            }
            return result
        case .numbers:
            return nil
        }
    }

    /// `text` (trimmed of spaces and tabs, as `load` trims a field) as a number with at most one
    /// comma for its decimal point and no point: `1,5` and `-0,25e3` and `7`, not `1.5` or
    /// `1.234,5` (a point there is a thousands separator, which this does not read).
    static func number(_ text: String) -> Double? {
        var bytes = Array(text.utf8)
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes.removeFirst() }
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
        guard !bytes.contains(UInt8(ascii: ".")), bytes.count(where: { $0 == UInt8(ascii: ",") }) <= 1 else { return nil }
        for i in bytes.indices where bytes[i] == UInt8(ascii: ",") { bytes[i] = UInt8(ascii: ".") }
        return bytes.withUnsafeBufferPointer { DecimalParser.parse($0)?.value }
    }
}
