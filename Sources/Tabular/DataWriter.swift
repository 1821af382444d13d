import Numerics

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
///
/// The text is handed to a sink a block of rows at a time, each block formatted on a core of its
/// own, so a file is never held whole (a buffer of the whole file took 340 MB beside the 1M-row
/// mixed dataset, whose CSV is 129 MB) and large files are written on every core.
public enum DataWriter {
    /// The two JSON shapes pandas calls `orient="records"` and `orient="list"`.
    public enum JSONLayout: String, Sendable, CaseIterable {
        /// `[{"x": 1, "g": "a"}, …]`: one object per row.
        case records
        /// `{"x": [1, …], "g": ["a", …]}`: one array per column.
        case columns
    }

    /// Where the text goes, in order: each call's bytes follow the last call's.
    public typealias Sink = (UnsafeBufferPointer<UInt8>) throws -> Void

    /// Rows formatted together, by one core: a block of the mixed file's rows is about 2 MB.
    static let rowsPerBlock = 16_384

    /// Writes `data` as CSV to `sink`, its fields separated by `separator` (a tab for TSV).
    public static func csv(_ data: Dataset, separator: UInt8 = UInt8(ascii: ","), to sink: Sink) throws {
        let formats = data.columns.map { ValueFormat($0, as: .csv(separator: separator)) }
        var header: [UInt8] = []
        for (index, column) in data.columns.enumerated() {
            if index > 0 { header.append(separator) }
            header.appendUTF8(CSVText.field(column.name, separator: separator))
        }
        header.append(UInt8(ascii: "\n"))
        try header.withUnsafeBufferPointer(sink)
        try inBlocks(data.rowCount, to: sink) { rows, bytes in
            appendRecords(rows, of: formats, to: &bytes, startingRow: { _, _ in },
                          beforeValue: { index, bytes in if index > 0 { bytes.append(separator) } },
                          endingRow: { $0.append(UInt8(ascii: "\n")) })
        }
    }

    /// Writes `data` as JSON in `layout` to `sink`.
    public static func json(_ data: Dataset, layout: JSONLayout = .records, to sink: Sink) throws {
        let keys = data.columns.map { JSONText.string($0.name) }
        let formats = data.columns.map { ValueFormat($0, as: .json) }
        // Each key as a record writes it: `"x": ` first, `, "y": ` after.
        var recordKeys = ByteStrings()
        for (index, key) in keys.enumerated() { recordKeys.add { $0.appendUTF8((index == 0 ? "" : ", ") + key + ": ") } }
        func emit(_ text: String) throws {
            var text = text
            try text.withUTF8(sink)
        }
        switch layout {
        case .records:
            guard data.rowCount > 0 else { return try emit("[]\n") }
            try emit("[\n")
            try inBlocks(data.rowCount, to: sink) { [recordKeys] rows, bytes in
                appendRecords(rows, of: formats, to: &bytes, startingRow: { row, bytes in bytes.appendUTF8(row == 0 ? "  {" : ",\n  {") },
                              beforeValue: { index, bytes in recordKeys.append(index, to: &bytes) },
                              endingRow: { $0.append(UInt8(ascii: "}")) })
            }
            try emit("\n]\n")
        case .columns:
            guard !keys.isEmpty else { return try emit("{}\n") }
            try emit("{\n")
            for (index, (key, format)) in zip(keys, formats).enumerated() {
                try emit((index == 0 ? "  " : ",\n  ") + key + ": [")
                try inBlocks(data.rowCount, to: sink) { rows, bytes in
                    appendRecords(rows, of: [format], to: &bytes, startingRow: { row, bytes in if row > 0 { bytes.appendUTF8(", ") } },
                                  beforeValue: { _, _ in }, endingRow: { _ in })
                }
                try emit("]")
            }
            try emit("\n}\n")
        }
    }

    /// The CSV file's bytes whole (for a small dataset; `write` streams them).
    public static func csv(_ data: Dataset) -> [UInt8] {
        var bytes: [UInt8] = []
        try! csv(data) { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// Appends `rows` of the columns `formats` write, row after row, each row's values between
    /// what `startingRow` (given the row), `beforeValue` (given the column's index) and
    /// `endingRow` append. The values are formatted a column at a time into one buffer, then
    /// copied row by row from it: formatted a row at a time, every value's column was retained
    /// and released, on both cores at once (a third of the time of a write, in contention).
    private static func appendRecords(_ rows: Range<Int>, of formats: [ValueFormat], to bytes: inout [UInt8],
                                      startingRow: (Int, inout [UInt8]) -> Void, beforeValue: (Int, inout [UInt8]) -> Void,
                                      endingRow: (inout [UInt8]) -> Void) {
        // Column c's value of the k-th row ends at ends[c * rows.count + k] of values.
        var values: [UInt8] = [], ends: [Int] = []
        ends.reserveCapacity(rows.count * formats.count)
        for format in formats { format.appendValues(rows, to: &values, ends: &ends) }
        values.withUnsafeBufferPointer { values in
            ends.withUnsafeBufferPointer { ends in
                for (k, row) in rows.enumerated() {
                    startingRow(row, &bytes)
                    for column in formats.indices {
                        let index = column * rows.count + k
                        beforeValue(column, &bytes)
                        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: values[(index == 0 ? 0 : ends[index - 1]) ..< ends[index]]))
                    }
                    endingRow(&bytes)
                }
            }
        }
    }

    /// Rows 0 ..< count in blocks of `rowsPerBlock`, as many formatted at once as there are
    /// cores, each block's bytes handed to `sink` in row order.
    private static func inBlocks(_ count: Int, to sink: Sink, _ format: @Sendable (Range<Int>, inout [UInt8]) -> Void) throws {
        let cores = everyCore
        var start = 0
        while start < count {
            let blocks = (0..<cores).map { min(count, start + $0 * rowsPerBlock) ..< min(count, start + ($0 + 1) * rowsPerBlock) }
                .filter { !$0.isEmpty }
            let texts = try concurrentMap(blocks.count, threads: blocks.count) { index in
                var bytes: [UInt8] = []
                format(blocks[index], &bytes)
                return bytes
            }
            for text in texts { try text.withUnsafeBufferPointer(sink) }
            start = blocks.last!.upperBound
        }
    }
}

/// How one column's values are written in a format, row by row into a buffer: a categorical
/// column's levels formatted once, a text column's bytes quoted only where they need it, numbers
/// without a string made for the column's own text first. The column's arrays are held apart,
/// so a value is read without matching the column's storage.
private struct ValueFormat: Sendable {
    enum Format: Equatable { case csv(separator: UInt8), json }

    private let format: Format
    private let type: ColumnType
    private let missing: MissingMask
    private let values: Values
    /// The values as one of these holds them: codes (with every level as written); texts; numbers.
    private let codes: [Int32], levels: ByteStrings, texts: TextColumn, numbers: [Double]

    private enum Values { case codes, texts, numbers }

    init(_ column: Column, as format: Format) {
        self.format = format
        type = column.type
        missing = column.missing
        var (codes, levels, texts, numbers): ([Int32], ByteStrings, TextColumn, [Double]) = ([], ByteStrings(), TextColumn(), [])
        switch column.storage {
        case .categories(let rowCodes, let levelTexts):
            values = .codes
            codes = rowCodes
            for level in levelTexts {
                levels.add { bytes in Array(level.utf8).withUnsafeBufferPointer { Self.appendText($0, as: format, to: &bytes) } }
            }
        case .strings(let rowTexts):
            values = .texts
            texts = rowTexts
        case .numbers(let rowNumbers):
            values = .numbers
            numbers = rowNumbers
        }
        (self.codes, self.levels, self.texts, self.numbers) = (codes, levels, texts, numbers)
    }

    /// Appends the values of `rows` one after another to `bytes`, and where each ends to `ends`.
    func appendValues(_ rows: Range<Int>, to bytes: inout [UInt8], ends: inout [Int]) {
        for row in rows {
            append(row, to: &bytes)
            ends.append(bytes.count)
        }
    }

    @inline(__always)
    private func append(_ row: Int, to bytes: inout [UInt8]) {
        guard !missing[row] else { return bytes.appendUTF8(format == .json ? "null" : "NA") }
        switch values {
        case .codes:
            levels.append(Int(codes[row]), to: &bytes)
        case .texts:
            texts.withUTF8(at: row) { Self.appendText($0, as: format, to: &bytes) }
        case .numbers:
            appendNumber(numbers[row], to: &bytes)
        }
    }

    private func appendNumber(_ value: Double, to bytes: inout [UInt8]) {
        if type == .boolean, value == 0 || value == 1 {
            return bytes.appendUTF8(format == .json ? (value == 1 ? "true" : "false") : (value == 1 ? "TRUE" : "FALSE"))
        }
        // In JSON a number that is not one in its grammar (an infinity) is written as a string.
        let text: String, isJSONNumber: Bool
        if type == .numeric {
            // Swift's description is the shortest round-trip form and keeps `.0` on whole numbers;
            // a finite double's is always a JSON number (a test checks it), so it is not parsed.
            text = value.isInfinite ? (value < 0 ? "-Inf" : "Inf") : value.description
            isJSONNumber = value.isFinite
        } else if type == .integer, let integer = Int64(exactly: value) {
            (text, isJSONNumber) = (String(integer), true)
        } else {
            // Values from a hand-edited workspace need not fit the type; they print as numbers.
            text = NumberFormat.shortest(value)
            isJSONNumber = type == .boolean || JSONText.isNumber(text)
        }
        bytes.appendUTF8(format == .json && !isJSONNumber ? JSONText.string(text) : text)
    }

    /// A text value: quoted in CSV where it needs it (`CSVText`), a JSON string in JSON.
    private static func appendText(_ text: UnsafeBufferPointer<UInt8>, as format: Format, to bytes: inout [UInt8]) {
        switch format {
        case .csv(let separator): CSVText.append(text, separator: separator, to: &bytes)
        case .json: JSONText.append(text, to: &bytes)
        }
    }
}

/// Byte strings held one after another in one array: string i ends at ends[i]. (An array of
/// arrays retained and released each element read from it.)
private struct ByteStrings: Sendable {
    private var bytes: [UInt8] = [], ends: [Int] = []

    /// Adds the string that `write` appends.
    mutating func add(_ write: (inout [UInt8]) -> Void) {
        write(&bytes)
        ends.append(bytes.count)
    }

    /// Appends string `index` to `out`.
    @inline(__always)
    func append(_ index: Int, to out: inout [UInt8]) {
        let start = index == 0 ? 0 : ends[index - 1]
        bytes.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[start ..< ends[index]])) }
    }
}

extension [UInt8] {
    /// Appends `text`'s UTF-8 bytes.
    mutating func appendUTF8(_ text: String) {
        var text = text
        text.withUTF8 { append(contentsOf: $0) }
    }
}
