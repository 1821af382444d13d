import Diagnostics
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How to read a delimited text file.
public struct CSVOptions: Sendable, Equatable {
    /// The byte between fields: `,` by default; `;` and tab are common too.
    public var separator: UInt8
    /// Whether the first record names the columns; without one they are `V1`, `V2`, … as in R.
    public var header: Bool
    /// Field contents read as a missing value in any column type, compared after trimming spaces
    /// and tabs, quoted or not (a quoted `""` is missing too).
    public var missingMarkers: [String]

    public init(separator: UInt8 = UInt8(ascii: ","), header: Bool = true, missingMarkers: [String] = ["", "NA"]) {
        self.separator = separator
        self.header = header
        self.missingMarkers = missingMarkers
    }
}

/// Reads RFC 4180 CSV into a `Dataset`, inferring each column's type.
///
/// Syntax (see `CSVTokenizer`): quoted fields with `""` escapes, separators and line breaks;
/// LF, CRLF or CR line ends; an optional UTF-8 byte order mark; blank lines skipped (so a one-column
/// file writes a missing value as `NA` or `""`, not as an empty line). Every record
/// must have as many fields as the header. Text must be valid UTF-8.
///
/// Header: an empty name at field k becomes `Vk`; a repeated name gets `_2`, `_3`, … (the first
/// free suffix), so `x,x,` reads as `x`, `x_2`, `V3`.
///
/// Types, decided from all non-missing values (trimmed of spaces and tabs; quoting does not matter):
/// - `integer`: every value is digits with an optional sign, no point or exponent, |x| ≤ 2^53.
///   So `0`/`1` columns are integer, not boolean.
/// - `numeric`: every value is a decimal number (`DecimalParser`), including `Inf`; `NaN`
///   reads as a missing value, since a missing number is stored as NaN.
/// - `boolean`: every value is `true`/`false`, `True`/`False` or `TRUE`/`FALSE` (not yes/no or
///   T/F, which are categorical).
/// - `categorical`: any other text with at most max(20, n/20) distinct values among the n
///   non-missing ones; levels sorted by UTF-8 bytes (so the reference level is the first).
/// - `text`: the rest, kept verbatim.
/// - A column with no non-missing values (including a header-only file) is numeric.
public enum CSVReader {
    /// Reads the regular file at `path` (symlinks followed). Missing or unreadable files,
    /// directories, devices and FIFOs throw `.noInput`; bad content `.data`.
    public static func read(path: String, options: CSVOptions = CSVOptions()) throws -> Dataset {
        try read(bytes: contentsOfFile(path), sourceName: path, options: options)
    }

    /// Reads CSV from memory; `sourceName` is the file name used in error messages.
    public static func read(bytes: [UInt8], sourceName: String, options: CSVOptions = CSVOptions()) throws -> Dataset {
        try bytes.withUnsafeBufferPointer { buffer in
            var reading = CSVReading(bytes: buffer, sourceName: sourceName, options: options)
            return try reading.dataset()
        }
    }

    /// The bytes of a regular file (following symlinks). Anything else is refused before it is
    /// read: a device such as /dev/zero never ends, and opening a FIFO waits for a writer.
    static func contentsOfFile(_ path: String) throws -> [UInt8] {
        var status = stat()
        guard stat(path, &status) == 0 else { throw ModelshError.noInput("cannot open '\(path)': \(String(cString: strerror(errno)))") }
        try requireRegularFile(status, path: path)
        // Non-blocking, and checked again once open, in case the path changed in between.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ModelshError.noInput("cannot open '\(path)': \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        guard fstat(descriptor, &status) == 0 else { throw ModelshError.noInput("cannot read '\(path)': \(String(cString: strerror(errno)))") }
        try requireRegularFile(status, path: path)
        var bytes = [UInt8]()
        bytes.reserveCapacity(Int(status.st_size))
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { readBytes(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ModelshError.noInput("cannot read '\(path)': \(String(cString: strerror(errno)))")
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    private static func requireRegularFile(_ status: stat, path: String) throws {
        switch status.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFDIR: throw ModelshError.noInput("cannot read '\(path)': it is a directory")
        default: throw ModelshError.noInput("cannot read '\(path)': not a regular file")
        }
    }
}

/// POSIX `read`, which `CSVReader.read` would otherwise shadow.
private func readBytes(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.read(descriptor, buffer, count)
    #else
    Darwin.read(descriptor, buffer, count)
    #endif
}

/// One pass of reading a file (two when some column needs its early rows again as text).
private struct CSVReading {
    let bytes: UnsafeBufferPointer<UInt8>
    let sourceName: String
    let options: CSVOptions
    let missingMarkers: MissingMarkers
    private var scratch: [UInt8] = []

    init(bytes: UnsafeBufferPointer<UInt8>, sourceName: String, options: CSVOptions) {
        self.bytes = bytes
        self.sourceName = sourceName
        self.options = options
        self.missingMarkers = MissingMarkers(options.missingMarkers)
    }

    mutating func dataset() throws -> Dataset {
        var tokenizer = CSVTokenizer(bytes: bytes, separator: options.separator)
        var fields: [CSVField] = []
        guard try next(&tokenizer, into: &fields) else {
            throw ModelshError.data("\(sourceName): the file is empty")
        }
        let names = options.header ? try headerNames(fields, tokenizer) : (1...fields.count).map { "V\($0)" }
        let plural = names.count == 1 ? "" : "s"
        let expectation = options.header ? "header has \(names.count) column\(plural)" : "first row has \(names.count) field\(plural)"
        var builders = [ColumnBuilder](repeating: ColumnBuilder(), count: names.count)
        var hasRecord = !options.header
        if options.header { hasRecord = try next(&tokenizer, into: &fields) }
        while hasRecord {
            guard fields.count == names.count else {
                throw ModelshError.data("\(sourceName):\(tokenizer.recordLine): row has \(fields.count) field\(fields.count == 1 ? "" : "s"), expected \(names.count) (\(expectation))")
            }
            for (index, field) in fields.enumerated() {
                do {
                    try tokenizer.withContents(of: field, scratch: &scratch) { (contents) throws(UnstorableValue) in
                        try builders[index].append(contents, missingMarkers: missingMarkers)
                    }
                } catch {
                    throw unstorable(error, line: tokenizer.recordLine, column: names[index])
                }
            }
            hasRecord = try next(&tokenizer, into: &fields)
        }
        try backfill(&builders, names: names)
        // Names are unique and every column has one value per record, so this cannot fail.
        return try Dataset(columns: zip(builders, names).map { $0.column(named: $1) })
    }

    /// Reads again, up to the last row any column needs, the rows read before a column turned to text.
    private mutating func backfill(_ builders: inout [ColumnBuilder], names: [String]) throws {
        let rowsNeeded = builders.map(\.rowsToBackfill).max() ?? 0
        guard rowsNeeded > 0 else { return }
        var tokenizer = CSVTokenizer(bytes: bytes, separator: options.separator)
        var fields: [CSVField] = []
        if options.header { _ = try next(&tokenizer, into: &fields) }
        for row in 0..<rowsNeeded {
            _ = try next(&tokenizer, into: &fields)
            for index in builders.indices where row < builders[index].rowsToBackfill {
                do {
                    try tokenizer.withContents(of: fields[index], scratch: &scratch) { (contents) throws(UnstorableValue) in
                        try builders[index].backfill(contents, row: row, missingMarkers: missingMarkers)
                    }
                } catch {
                    throw unstorable(error, line: tokenizer.recordLine, column: names[index])
                }
            }
        }
    }

    /// Column names from the header record: empty ones become `Vk`, repeats get `_2`, `_3`, ….
    private mutating func headerNames(_ fields: [CSVField], _ tokenizer: CSVTokenizer) throws -> [String] {
        var names: [String] = []
        for (index, field) in fields.enumerated() {
            let decoded = tokenizer.withContents(of: field, scratch: &scratch) { String(validating: $0, as: UTF8.self) }
            guard let decoded else {
                throw ModelshError.data("\(sourceName):\(tokenizer.recordLine): invalid UTF-8 in the name of column \(index + 1)")
            }
            // A name with a control character (a quoted line break, say) could be neither typed
            // nor saved in a workspace: refuse it here, where the file and line are known.
            guard !TerminalText.containsControlCharacters(decoded) else {
                throw ModelshError.data("\(sourceName):\(tokenizer.recordLine): the name of column \(index + 1), '\(TerminalText.escaped(decoded))', holds a control character")
            }
            names.append(decoded)
        }
        return ColumnNames.unique(names)
    }

    private func next(_ tokenizer: inout CSVTokenizer, into fields: inout [CSVField]) throws -> Bool {
        // Every 4096 lines: cheap, and often enough for Ctrl-C to stop a large file at once.
        if tokenizer.recordLine & 0xFFF == 0 { try Interruption.check() }
        do {
            return try tokenizer.nextRecord(into: &fields)
        } catch {
            switch error {
            case .unterminatedQuote(let line):
                throw ModelshError.data("\(sourceName):\(line): a quoted field opens on this line and is never closed")
            case .characterAfterClosingQuote(let line, let field, let character):
                let shown = character >= 0x20 && character < 0x7F ? "'\(Character(Unicode.Scalar(character)))'" : "byte 0x\(String(character, radix: 16))"
                throw ModelshError.data("\(sourceName):\(line): unexpected \(shown) after the closing quote of field \(field) (a quote inside a quoted field is written \"\")")
            }
        }
    }

    private func unstorable(_ problem: UnstorableValue, line: Int, column: String) -> ModelshError {
        switch problem {
        case .invalidUTF8:
            .data("\(sourceName):\(line): invalid UTF-8 in column '\(column)' (is the file in another encoding, such as Latin-1?)")
        case .tooManyDistinctValues:
            .data("\(sourceName):\(line): column '\(column)' has more than \(Int32.max) distinct values")
        }
    }
}
