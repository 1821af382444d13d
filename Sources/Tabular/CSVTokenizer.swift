/// Where one field of a record lies in the file's bytes. A quoted field's range excludes the
/// quotes; `hasEscapedQuotes` says it still holds `""` pairs to collapse.
struct CSVField {
    var start: Int
    var end: Int
    var hasEscapedQuotes: Bool
}

/// Why the tokenizer stopped; the reader turns it into a message naming the file.
enum CSVSyntaxError: Error {
    case unterminatedQuote(openedOnLine: Int)
    case characterAfterClosingQuote(line: Int, field: Int, character: UInt8)
}

/// Splits RFC 4180 text into records of fields, byte by byte, without copying.
///
/// Records end at LF, CRLF or a lone CR (old Mac files; R's `read.csv` and pandas accept them
/// too), outside quotes; CRLF is one line end. A field that starts with `"` is quoted: it runs to
/// the next lone `"`, may hold separators and line breaks, and writes a quote as `""`. A quote
/// inside an unquoted field is kept as data (`5'11"` is common in the wild); anything but a
/// separator or line end after a closing quote is an error. Blank lines are skipped, as R's
/// `read.csv` and pandas do, so a trailing newline (or several) adds no record.
struct CSVTokenizer {
    let bytes: UnsafeBufferPointer<UInt8>
    let separator: UInt8
    private var position: Int
    /// The 1-based line at `position`; counts line breaks (LF, CRLF or CR) inside quoted fields too.
    private(set) var line = 1
    /// The line on which the most recently read record starts.
    private(set) var recordLine = 1

    private static let quote = UInt8(ascii: "\""), lineFeed = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")

    init(bytes: UnsafeBufferPointer<UInt8>, separator: UInt8) {
        self.bytes = bytes
        self.separator = separator
        let hasByteOrderMark = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        position = hasByteOrderMark ? 3 : 0
    }

    /// Reads the next record into `fields` (cleared first); false at the end of the input.
    mutating func nextRecord(into fields: inout [CSVField]) throws(CSVSyntaxError) -> Bool {
        fields.removeAll(keepingCapacity: true)
        skipBlankLines()
        guard position < bytes.count else { return false }
        recordLine = line
        while true {
            let field = bytes[position] == Self.quote ? try quotedField() : unquotedField()
            fields.append(field)
            guard position < bytes.count else { return true }
            let byte = bytes[position]
            if byte == separator {
                position += 1
                continue
            }
            // Only a quoted field can stop anywhere but a separator or line end.
            if let length = lineEndLength(at: position) {
                position += length
                line += 1
                return true
            }
            throw .characterAfterClosingQuote(line: line, field: fields.count, character: byte)
        }
    }

    /// The field's bytes with `""` collapsed, in `scratch` when collapsing was needed.
    func withContents<R, E: Error>(of field: CSVField, scratch: inout [UInt8], _ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
        guard field.hasEscapedQuotes else {
            return try body(UnsafeBufferPointer(rebasing: bytes[field.start..<field.end]))
        }
        scratch.removeAll(keepingCapacity: true)
        var i = field.start
        while i < field.end {
            scratch.append(bytes[i])
            i += bytes[i] == Self.quote ? 2 : 1
        }
        // withUnsafeBufferPointer rethrows untyped errors; a Result carries the typed one through.
        let result: Result<R, E> = scratch.withUnsafeBufferPointer { buffer in Result { () throws(E) in try body(buffer) } }
        return try result.get()
    }

    /// How many bytes the line end at `index` takes (2 for CRLF, 1 for LF or a lone CR); nil if
    /// there is none there.
    private func lineEndLength(at index: Int) -> Int? {
        switch bytes[index] {
        case Self.lineFeed: return 1
        case Self.carriageReturn: return index + 1 < bytes.count && bytes[index + 1] == Self.lineFeed ? 2 : 1
        default: return nil
        }
    }

    private mutating func skipBlankLines() {
        while position < bytes.count, let length = lineEndLength(at: position) {
            position += length
            line += 1
        }
    }

    /// Scans to the next separator or line end, which `nextRecord` then consumes.
    private mutating func unquotedField() -> CSVField {
        let start = position
        var i = position
        let count = bytes.count
        while i < count {
            let byte = bytes[i]
            if byte == separator || byte == Self.lineFeed || byte == Self.carriageReturn { break }
            i += 1
        }
        position = i
        return CSVField(start: start, end: i, hasEscapedQuotes: false)
    }

    private mutating func quotedField() throws(CSVSyntaxError) -> CSVField {
        let openedOnLine = line
        position += 1
        let start = position
        var hasEscapedQuotes = false
        while position < bytes.count {
            let byte = bytes[position]
            if byte == Self.quote {
                if position + 1 < bytes.count, bytes[position + 1] == Self.quote {
                    hasEscapedQuotes = true
                    position += 2
                    continue
                }
                position += 1
                return CSVField(start: start, end: position - 1, hasEscapedQuotes: hasEscapedQuotes)
            }
            // A CR counts as a line only when no LF follows it, so CRLF counts once.
            if byte == Self.lineFeed || byte == Self.carriageReturn && lineEndLength(at: position) == 1 { line += 1 }
            position += 1
        }
        throw .unterminatedQuote(openedOnLine: openedOnLine)
    }
}
