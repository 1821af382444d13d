#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where one field of a record lies in the tokenizer's bytes. A quoted field's range excludes the
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
///
/// Records can be read whole (`nextRecord`) or field by field (`startRecord`, then `field` or
/// `plainNumber`, then `endField`), which lets the reader parse a plain number in the same pass
/// that finds its end.
struct CSVTokenizer {
    let bytes: UnsafeBufferPointer<UInt8>
    let separator: UInt8
    private(set) var position: Int
    /// The line at `position`, counting from the line the tokenizer started on; counts line
    /// breaks (LF, CRLF or CR) inside quoted fields too.
    private(set) var line: Int
    /// The line on which the most recently started record starts.
    private(set) var recordLine: Int
    /// Where the most recently started record starts.
    private(set) var recordStart: Int
    /// Fields of the current record so far, for the message about a stray closing quote.
    private var fieldsInRecord = 0

    private static let quote = UInt8(ascii: "\""), lineFeed = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")
    private static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")

    /// A tokenizer over `bytes` from `start` (a record boundary), whose first line is `line`.
    /// With `skipsByteOrderMark` (the start of a file), a UTF-8 byte order mark there is skipped.
    init(bytes: UnsafeBufferPointer<UInt8>, separator: UInt8, start: Int = 0, line: Int = 1, skipsByteOrderMark: Bool = true) {
        self.bytes = bytes
        self.separator = separator
        let hasByteOrderMark = skipsByteOrderMark && start == 0 && bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        position = hasByteOrderMark ? 3 : start
        self.line = line
        recordLine = line
        recordStart = position
    }

    /// Reads the next record into `fields` (cleared first); false at the end of the input.
    mutating func nextRecord(into fields: inout [CSVField]) throws(CSVSyntaxError) -> Bool {
        fields.removeAll(keepingCapacity: true)
        guard startRecord() else { return false }
        repeat {
            fields.append(try field())
        } while try endField()
        return true
    }

    /// Skips blank lines to the start of the next record; false at the end of the input.
    mutating func startRecord() -> Bool {
        skipBlankLines()
        recordLine = line
        recordStart = position
        fieldsInRecord = 0
        return position < bytes.count
    }

    /// Moves past records read elsewhere (by `CSVRecordRuns`) that end at `end` and take `lines`
    /// lines; a record is to be started next.
    mutating func skipRecords(to end: Int, lines: Int) {
        position = end
        line += lines
    }

    /// Reads one field, quoted or not, leaving `position` at what follows it.
    @inline(__always)
    mutating func field() throws(CSVSyntaxError) -> CSVField {
        fieldsInRecord += 1
        return position < bytes.count && bytes[position] == Self.quote ? try quotedField() : unquotedField()
    }

    /// Reads an unquoted field that is a plain decimal number (digits, an optional sign, point and
    /// exponent: what `DecimalParser` reads fast and exactly) in one pass. Returns nil and leaves
    /// `position` where it was for anything else (quotes, blanks, `NA`, `Inf`, text), which the
    /// caller then reads with `field`.
    @inline(__always)
    mutating func plainNumber() -> DecimalParser.Number? {
        guard let (number, end) = DecimalParser.shortPrefix(of: bytes, from: position) ?? Self.longNumber(in: bytes, from: position) else {
            return nil
        }
        if end < bytes.count {
            let next = bytes[end]
            guard next == separator || next == Self.lineFeed || next == Self.carriageReturn else { return nil }
        }
        position = end
        fieldsInRecord += 1
        return number
    }

    /// The number `DecimalParser.prefix` reads at `start`, out of line so that the short path
    /// stays small enough to be inlined into the reader's loop.
    @inline(never)
    private static func longNumber(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> (DecimalParser.Number, Int)? {
        guard case .number(let number, let end) = DecimalParser.prefix(of: bytes, from: start) else { return nil }
        return (number, end)
    }

    /// Consumes what ends a field: true after a separator (another field follows), false after a
    /// line end or at the end of the input (the record is complete).
    @inline(__always)
    mutating func endField() throws(CSVSyntaxError) -> Bool {
        guard position < bytes.count else { return false }
        let byte = bytes[position]
        if byte == separator {
            position += 1
            return true
        }
        // Only a quoted field can stop anywhere but a separator or line end.
        if let length = lineEndLength(at: position) {
            position += length
            line += 1
            return false
        }
        throw .characterAfterClosingQuote(line: line, field: fieldsInRecord, character: byte)
    }

    /// Reads the rest of the current record's fields, returning how many there were.
    mutating func skipRestOfRecord() throws(CSVSyntaxError) -> Int {
        var count = 0
        repeat {
            _ = try field()
            count += 1
        } while try endField()
        return count
    }

    /// The field's bytes with `""` collapsed, in `scratch` when collapsing was needed.
    func withContents<R, E: Error>(of field: CSVField, scratch: inout [UInt8], _ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
        guard field.hasEscapedQuotes else {
            return try body(UnsafeBufferPointer(rebasing: bytes[field.start..<field.end]))
        }
        scratch.removeAll(keepingCapacity: true)
        Self.append(UnsafeBufferPointer(rebasing: bytes[field.start..<field.end]), readingDoubledQuotes: &scratch)
        // withUnsafeBufferPointer rethrows untyped errors; a Result carries the typed one through.
        let result: Result<R, E> = scratch.withUnsafeBufferPointer { buffer in Result { () throws(E) in try body(buffer) } }
        return try result.get()
    }

    /// Appends a quoted field's `contents` to `text`, each doubled quote as one: the bytes up to
    /// and with each quote at once (memchr finds it), the quote after it skipped (byte by byte,
    /// a column of reviews with quotes in them spent a tenth of its load here).
    static func append(_ contents: UnsafeBufferPointer<UInt8>, readingDoubledQuotes text: inout [UInt8]) {
        guard let base = contents.baseAddress else { return }
        var start = 0
        while start < contents.count {
            guard let found = memchr(base + start, Int32(quote), contents.count - start) else {
                text.append(contentsOf: UnsafeBufferPointer(rebasing: contents[start...]))
                return
            }
            let quoteAt = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
            text.append(contentsOf: UnsafeBufferPointer(rebasing: contents[start ... quoteAt]))
            start = quoteAt + 2
        }
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

    /// Where the first line end at or after `index` ends (so a record could start there), or nil if
    /// there is none. The line end may lie inside a quoted field: only reading from a known record
    /// boundary can tell.
    static func positionAfterLineEnd(in bytes: UnsafeBufferPointer<UInt8>, from index: Int) -> Int? {
        var i = index
        while i < bytes.count {
            let byte = bytes[i]
            if byte == lineFeed { return i + 1 }
            if byte == carriageReturn { return i + 1 < bytes.count && bytes[i + 1] == lineFeed ? i + 2 : i + 1 }
            i += 1
        }
        return nil
    }

    /// Where the first line end at or after `index` ends, when the few records read from there
    /// are whole records of `fields` fields; else where the next such line end ends (a few are
    /// tried), or where the first one ends. A line end inside a quoted field (a comment with a
    /// line break) starts no record: a piece of a block started there is read again, on one
    /// core, from where the piece before it ended.
    static func likelyRecordStart(in bytes: UnsafeBufferPointer<UInt8>, from index: Int, fields: Int, separator: UInt8) -> Int? {
        guard let first = positionAfterLineEnd(in: bytes, from: index) else { return nil }
        var candidate = first
        for _ in 0..<8 {
            if startsWholeRecords(in: bytes, at: candidate, fields: fields, separator: separator) { return candidate }
            guard let next = positionAfterLineEnd(in: bytes, from: candidate) else { break }
            candidate = next
        }
        return first
    }

    /// Whether the records read from `start` (up to three, at least one) are whole records of
    /// `fields` fields.
    private static func startsWholeRecords(in bytes: UnsafeBufferPointer<UInt8>, at start: Int, fields: Int, separator: UInt8) -> Bool {
        var tokenizer = CSVTokenizer(bytes: bytes, separator: separator, start: start, skipsByteOrderMark: false)
        var record: [CSVField] = []
        for read in 0..<3 {
            guard let more = try? tokenizer.nextRecord(into: &record) else { return false }
            guard more else { return read > 0 }
            guard record.count == fields else { return false }
        }
        return true
    }

    /// Where the last complete line end in `bytes` ends, or nil if there is none. A CR as the
    /// very last byte does not count: the LF of a CRLF may follow in the bytes not read yet.
    static func positionAfterLastLineEnd(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = bytes.count - 1
        while i >= 0 {
            if bytes[i] == lineFeed || bytes[i] == carriageReturn && i < bytes.count - 1 { return i + 1 }
            i -= 1
        }
        return nil
    }

    /// Skips empty lines and lines of nothing but spaces and tabs (unless that one separates
    /// the fields: then such a line is a record of empty fields): a hand-edited file often ends
    /// with one, which is no record.
    private mutating func skipBlankLines() {
        while position < bytes.count {
            var i = position
            while i < bytes.count, bytes[i] != separator, bytes[i] == Self.space || bytes[i] == Self.tab { i += 1 }
            if i == bytes.count, i > position {
                position = i
                return
            }
            guard i < bytes.count, let length = lineEndLength(at: i) else { return }
            position = i + length
            line += 1
        }
    }

    /// Scans to the next separator or line end, which `endField` then consumes.
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
