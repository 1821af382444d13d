import Diagnostics

/// Reads a dataset from JSON in either shape `DataWriter` writes (and pandas' `to_json` with
/// `orient="records"` or `orient="list"`):
/// - records, `[{"x": 1, "g": "a"}, …]`: columns in the order their keys first appear; a key a
///   record lacks is a missing value there;
/// - columns, `{"x": [1, …], "g": ["a", …]}`: every array as long as the first; or, as pandas'
///   default `to_json()` writes them, `{"x": {"0": 1, …}, …}`: the row labels are not kept, and
///   must be the same, in the same order, for every column.
///
/// Each value is read as a CSV field would be (`CSVReader`'s type rules, after the same
/// missing-value markers): a number as its digits, so `2.0` makes a column numeric and `2`
/// integer; `true`/`false` as booleans; a string as its text; `null` as missing. Nested arrays
/// and objects are not data and are refused, so the reader never recurses.
public enum JSONDataReader {
    public static func read(path: String, missingMarkers: [String] = CSVOptions().missingMarkers) throws -> Dataset {
        try read(bytes: FileByteSource.contents(of: path), sourceName: path, missingMarkers: missingMarkers)
    }

    public static func read(bytes: [UInt8], sourceName: String, missingMarkers: [String] = CSVOptions().missingMarkers) throws -> Dataset {
        var parser = JSONDataParser(bytes: bytes, sourceName: sourceName)
        let columns = try parser.columns()
        let markers = MissingMarkers(missingMarkers)
        var built: [(column: Column, numbersAreFinite: Bool)] = []
        for (name, values) in zip(ColumnNames.unique(columns.map(\.name)), columns.map(\.values)) {
            var builder = ColumnBuilder()
            do {
                for value in values { try append(value, to: &builder, markers: markers) }
                if builder.rowsToBackfill > 0 {
                    // The rows read as numbers before the column turned to text, read again as text.
                    var reread = ColumnBuilder(kind: .text)
                    for value in values.prefix(builder.rowsToBackfill) { try append(value, to: &reread, markers: markers) }
                    try builder.backfill(from: reread)
                }
            } catch {
                throw ModelshError.data("\(sourceName): column '\(TerminalText.escaped(name))' has more distinct values than a column can hold")
            }
            built.append(builder.column(named: name))
        }
        return try Dataset.read(built)
    }

    private static func append(_ value: String?, to builder: inout ColumnBuilder, markers: MissingMarkers) throws(UnstorableValue) {
        // nil (null) is the empty field, which is always missing.
        try Array((value ?? "").utf8).withUnsafeBufferPointer { (field) throws(UnstorableValue) in try builder.append(field, missingMarkers: markers) }
    }
}

/// The JSON text of a dataset, parsed to each column's name and values (nil for null), with
/// errors that name the file and line.
private struct JSONDataParser {
    let bytes: [UInt8]
    let sourceName: String
    private var index = 0
    private var line = 1

    init(bytes: [UInt8], sourceName: String) {
        self.bytes = bytes
        self.sourceName = sourceName
        // A UTF-8 byte order mark, as some editors write.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    mutating func columns() throws -> [(name: String, values: [String?])] {
        skipSpace()
        let columns: [(name: String, values: [String?])]
        switch peek() {
        case UInt8(ascii: "["): columns = try records()
        case UInt8(ascii: "{"): columns = try arrays()
        case nil: throw failure("the file is empty")
        default: throw expected("a JSON array of records or an object of columns")
        }
        skipSpace()
        guard peek() == nil else { throw failure("unexpected text after the data") }
        guard !columns.isEmpty else { throw failure("no columns") }
        return columns
    }

    // MARK: - The two shapes

    private mutating func records() throws -> [(name: String, values: [String?])] {
        var columns: [(name: String, values: [String?])] = []
        var position: [String: Int] = [:]
        var rowCount = 0
        try list(closing: "]") {
            guard $0.peek() == UInt8(ascii: "{") else { throw $0.expected("a record ({…}) in the array") }
            var seen = Set<String>()
            try $0.list(closing: "}") { parser in
                let key = try parser.key()
                guard seen.insert(key).inserted else { throw parser.failure("key \"\(TerminalText.escaped(key))\" appears twice in one record") }
                let value = try parser.scalar(in: key)
                if position[key] == nil {
                    position[key] = columns.count
                    columns.append((key, Array(repeating: nil, count: rowCount)))
                }
                columns[position[key]!].values.append(value)
            }
            rowCount += 1
            // Records that each bring new keys would make rows × columns grow with the square
            // of the file; a table that sparse is refused before it is allocated.
            guard rowCount * columns.count <= max(1 << 20, 8 * $0.bytes.count) else {
                throw $0.failure("\(rowCount) records with \(columns.count) different keys are too sparse to be one table")
            }
            // A key this record lacks is a missing value in it.
            for index in columns.indices where columns[index].values.count < rowCount { columns[index].values.append(nil) }
        }
        return columns
    }

    private mutating func arrays() throws -> [(name: String, values: [String?])] {
        var columns: [(name: String, values: [String?])] = []
        var seen = Set<String>()
        var rowLabels: [String]?
        try list(closing: "}") { parser in
            let key = try parser.key()
            guard seen.insert(key).inserted else { throw parser.failure("column \"\(TerminalText.escaped(key))\" appears twice") }
            guard parser.peek() == UInt8(ascii: "[") || parser.peek() == UInt8(ascii: "{") else {
                // A model file's first key is its checksum, or its format when it has none.
                let hint = key == "checksum" || key == "format" ? " (a model file is read with `load model`)"
                    : " (this object is one record: a file of one record per line, JSON Lines, is not read; write the records as an array, [{…}, {…}])"
                throw parser.failure("column \"\(TerminalText.escaped(key))\" must be an array of values\(hint)")
            }
            var values: [String?] = []
            if parser.peek() == UInt8(ascii: "{") {
                // pandas' default `to_json()` (orient="columns"): each column an object from row
                // label to value, every column with the same labels in the same order.
                var labels: [String] = []
                try parser.list(closing: "}") { parser in
                    labels.append(try parser.key())
                    values.append(try parser.scalar(in: key))
                }
                if let first = columns.first, let expected = rowLabels, labels != expected {
                    throw parser.failure("column \"\(TerminalText.escaped(key))\" has other row labels than \"\(TerminalText.escaped(first.name))\"")
                }
                rowLabels = labels
            } else {
                try parser.list(closing: "]") { values.append(try $0.scalar(in: key)) }
            }
            if let first = columns.first, first.values.count != values.count {
                let split = Set([key, first.name]).isSubset(of: ["columns", "index", "data"])
                    ? " (pandas' orient=\"split\" is not read: write orient=\"records\" or \"list\")" : ""
                throw parser.failure("column \"\(TerminalText.escaped(key))\" has \(values.count) values, expected \(first.values.count) (as \"\(TerminalText.escaped(first.name))\")\(split)")
            }
            columns.append((key, values))
        }
        return columns
    }

    /// `[a, b, …]` or `{a, b, …}` from the opening bracket: `element` reads each item.
    private mutating func list(closing: Unicode.Scalar, _ element: (inout JSONDataParser) throws -> Void) throws {
        index += 1
        skipSpace()
        if peek() == UInt8(ascii: closing) { index += 1; return }
        while true {
            try Interruption.check()
            try element(&self)
            skipSpace()
            switch peek() {
            case UInt8(ascii: ","): index += 1; skipSpace()
            case UInt8(ascii: closing): index += 1; return
            default: throw expected("',' or '\(closing)'")
            }
        }
    }

    /// `"name":`, a column's name (no control characters, as in a CSV header).
    private mutating func key() throws -> String {
        guard peek() == UInt8(ascii: "\"") else { throw expected("a quoted column name") }
        let key = try string()
        guard !TerminalText.containsControlCharacters(key) else {
            throw failure("the column name \"\(TerminalText.escaped(key))\" holds a control character")
        }
        skipSpace()
        guard peek() == UInt8(ascii: ":") else { throw expected("':' after \"\(TerminalText.escaped(key))\"") }
        index += 1
        skipSpace()
        return key
    }

    // MARK: - Values

    /// A number (as written), string, `true`, `false`, or nil for `null`.
    private mutating func scalar(in column: String) throws -> String? {
        switch peek() {
        case UInt8(ascii: "\""): return try string()
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            throw failure("column \"\(TerminalText.escaped(column))\" holds a nested array or object; values must be numbers, strings, true, false or null")
        default:
            let start = index
            while let byte = peek(), byte != UInt8(ascii: ","), byte != UInt8(ascii: "}"), byte != UInt8(ascii: "]"), !Self.isSpace(byte) { index += 1 }
            let word = String(decoding: bytes[start..<index], as: UTF8.self)
            if word == "null" { return nil }
            guard word == "true" || word == "false" || JSONText.isNumber(word) else {
                throw failure("'\(TerminalText.escaped(word))' is not a JSON value")
            }
            return word
        }
    }

    /// A quoted string from its opening quote, escapes applied.
    private mutating func string() throws -> String {
        index += 1
        var scalars = String.UnicodeScalarView()
        var run = index
        func flush(_ parser: JSONDataParser) throws {
            guard let text = String(validating: parser.bytes[run..<parser.index], as: UTF8.self) else { throw parser.failure("invalid UTF-8 in a string") }
            scalars.append(contentsOf: text.unicodeScalars)
        }
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: "\""):
                try flush(self)
                index += 1
                return String(scalars)
            case UInt8(ascii: "\\"):
                try flush(self)
                index += 1
                scalars.append(try escape())
                run = index
            case 0..<0x20:
                throw failure("a string holds a raw control character (JSON writes it as an escape such as \\n)")
            default:
                index += 1
            }
        }
        throw failure("a string is never closed")
    }

    /// The character an escape after `\` stands for; a surrogate pair is one character.
    private mutating func escape() throws -> Unicode.Scalar {
        guard let byte = peek() else { throw failure("a string is never closed") }
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return Unicode.Scalar(byte)
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let unit = try hexUnit()
            if (0xD800..<0xDC00).contains(unit), peek() == UInt8(ascii: "\\"), peek(at: 1) == UInt8(ascii: "u") {
                index += 2
                let low = try hexUnit()
                if (0xDC00..<0xE000).contains(low), let scalar = Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)) { return scalar }
            }
            guard let scalar = Unicode.Scalar(unit) else { throw failure("\\u\(String(unit, radix: 16)) is half of a surrogate pair") }
            return scalar
        default:
            throw failure("unknown escape '\\\(Character(Unicode.Scalar(byte)))' in a string")
        }
    }

    private mutating func hexUnit() throws -> UInt32 {
        guard index + 4 <= bytes.count, let unit = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16) else {
            throw failure("\\u must be followed by four hexadecimal digits")
        }
        index += 4
        return unit
    }

    // MARK: - Position

    private func peek(at offset: Int = 0) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private mutating func skipSpace() {
        while let byte = peek(), Self.isSpace(byte) {
            if byte == 0x0A { line += 1 }
            index += 1
        }
    }

    func failure(_ message: String) -> ModelshError {
        .data("\(sourceName):\(line): \(message)")
    }

    /// "expected WHAT"; at the end of the input it says so, since a file cut short is the
    /// likeliest reason for something expected and missing.
    func expected(_ what: String) -> ModelshError {
        failure("expected \(what)\(index >= bytes.count ? ", but the file ends here" : "")")
    }
}
