import CKernels

/// The reader's fast path for runs of records, the bulk of most data files: a C kernel
/// (`msh_csv_records`) classifies the bytes 64 at a time by vector compares, converts the fields
/// of number columns (their digits together) and of boolean ones, and delimits the others, which are then taken a
/// column at a time (one column's levels in cache at a time); a text column kept as codes has its
/// short fields looked up by the kernel too, in its level table while that is small, so only
/// new texts, missing ones and long ones are looked up here. It reads the same values as the
/// field-by-field path (`CSVTokenizer`, `ColumnBuilder.append`): numbers correctly rounded, as
/// `DecimalParser`, and every other field through the same `append`. It stops before any record
/// it does not take whole (a number column's field that is not a plain number of at most 15
/// digits or a decimal of at most 19 significant ones, perhaps quoted, or missing as empty or
/// `NA`; a field of more than 4,000 bytes; a lone CR ending a record; the last few kilobytes of
/// the bytes), which the field-by-field path then reads; where it keeps stopping early it rests,
/// so a file it does not suit costs it little. Quoted fields may hold line breaks: the kernel
/// counts the lines its records take, for the tokenizer's line and the lines of errors.
struct CSVRecordRuns {
    private let columns: Int
    /// Records per call: a batch's values and spans (column after column) stay in the core's cache.
    private let capacity: Int
    private var values: [Double]
    /// Each field's contents (offset, length) in a column that does not take numbers.
    private var spans: [Int]
    private var flags: [UInt8]
    private var numeric: [UInt8]
    /// The kernel's lookups in the level tables of text columns kept as codes (none in other
    /// columns), and the codes it found, column after column as the values.
    private var levelLookups: [MSHLevelLookup], levelCodes: [Int32] = []
    /// A column's fields with their doubled quotes read as one, one after another, and their spans.
    private var unquoted: [UInt8] = [], unquotedSpans: [Int] = []
    /// How the kernel reads number columns: which of an empty field and `NA` are missing.
    private let options: Int32
    /// Whether a record has held a quote where the kernel stopped: from then on its number
    /// fields may be quoted (which costs the classification of quotes in records of numbers alone).
    private var quotedNumbers = false
    private let missingMarkers: MissingMarkers
    /// Records to leave to the field-by-field path before trying again, and how long the last rest was.
    private var rest = 0, lastRest = 0

    /// Nil where the kernel cannot read the file (other number marks, numbers as missing
    /// markers, or a separator that could be part of a number, a quote or a line end) or is not to.
    init?(columns: Int, format: CSVFormat) {
        let separator = format.separator
        guard format.readsRecordRuns, columns > 0, format.numbersArePlain,
              !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(separator),
              ![UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "\""), UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains(separator) else { return nil }
        self.columns = columns
        capacity = min(1024, max(16, 32768 / columns))
        values = [Double](repeating: 0, count: columns * capacity)
        spans = [Int](repeating: 0, count: 2 * columns * capacity)
        flags = [UInt8](repeating: 0, count: columns)
        numeric = [UInt8](repeating: 0, count: columns)
        levelLookups = [MSHLevelLookup](repeating: MSHLevelLookup(), count: columns)
        missingMarkers = format.missingMarkers
        let na = Array("NA".utf8)
        options = (format.missingMarkers.matches(UnsafeBufferPointer(start: nil, count: 0)) ? Int32(MSH_CSV_EMPTY_IS_MISSING) : 0)
            | (na.withUnsafeBufferPointer { format.missingMarkers.matches($0) } ? Int32(MSH_CSV_NA_IS_MISSING) : 0)
    }

    /// The fields at `spans` (offset and length pairs into `bytes`) copied one after another into
    /// `contents`, with their spans there in `spans`: a field whose length the kernel gave as
    /// ~length with each of its doubled quotes read as one, as the tokenizer reads it.
    private static func readDoubledQuotes(_ fieldSpans: UnsafeBufferPointer<Int>, of bytes: UnsafeBufferPointer<UInt8>,
                                          into contents: inout [UInt8], spans: inout [Int]) {
        contents.removeAll(keepingCapacity: true)
        spans.removeAll(keepingCapacity: true)
        for field in 0 ..< fieldSpans.count / 2 {
            let (start, length) = (fieldSpans[2 * field], fieldSpans[2 * field + 1])
            spans.append(contents.count)
            if length >= 0 {
                contents.append(contentsOf: bytes[start ..< start + length])
            } else {
                CSVTokenizer.append(UnsafeBufferPointer(rebasing: bytes[start ..< start + ~length]), readingDoubledQuotes: &contents)
            }
            spans.append(contents.count - spans.last!)
        }
    }

    /// The most columns whose fields the kernel looks up in their levels in one call.
    private static let mostLevelLookups = 32

    /// Runs `body` with `lookups[c]` the kernel's lookup in the levels of each column c of
    /// `levelColumns` (`ColumnBuilder.withKernelLookup`), their tables borrowed for the call.
    private static func withLevelLookups<Result>(of builders: UnsafeMutableBufferPointer<ColumnBuilder>, _ levelColumns: ArraySlice<Int>,
                                                 in lookups: UnsafeMutableBufferPointer<MSHLevelLookup>, _ body: () -> Result) -> Result {
        guard let column = levelColumns.first else { return body() }
        return builders[column].withKernelLookup { lookup in
            lookups[column] = lookup
            return withLevelLookups(of: builders, levelColumns.dropFirst(), in: lookups, body)
        }
    }

    /// Whether the line from `start` holds a quote (looked for in its first kilobyte).
    private static func lineHoldsQuote(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        for byte in bytes[start ..< min(bytes.count, start + 1024)] {
            if byte == UInt8(ascii: "\"") { return true }
            if byte == UInt8(ascii: "\n") { return false }
        }
        return false
    }

    /// The line on which record `index` of a run read from `run` (a tokenizer at the run's first
    /// record) starts: `index` lines on where each record took one line, else where a tokenizer
    /// reading the records finds it (only for a message: quoted line breaks are rare).
    private static func line(ofRecord index: Int, from run: CSVTokenizer, oneLineEach: Bool) -> Int {
        guard !oneLineEach else { return run.recordLine + index }
        var tokenizer = run
        for _ in 0..<index {
            _ = try? tokenizer.skipRestOfRecord()
            _ = tokenizer.startRecord()
        }
        return tokenizer.recordLine
    }

    /// Reads records from the tokenizer's current record on (not past `limit`) into `builders`,
    /// leaving the tokenizer after them with no record started; returns how many it read. Throws
    /// what a field cannot be stored as (`UnstorableValue`) at its line.
    mutating func read(_ tokenizer: inout CSVTokenizer, into builders: UnsafeMutableBufferPointer<ColumnBuilder>,
                       limit: Int) throws(CSVProblem) -> Int {
        if rest > 0 {
            rest -= 1
            return 0
        }
        for column in 0..<columns {
            numeric[column] = UInt8(builders[column].kind == .boolean ? MSH_CSV_BOOLEAN_COLUMN
                                    : builders[column].takesNumbers ? MSH_CSV_NUMBER_COLUMN : 0)
        }
        // Each table is borrowed by a call of its own around the kernel's: a few dozen nest.
        let levelColumns = (0..<columns).filter { builders[$0].kind == .text }.prefix(Self.mostLevelLookups)
        if !levelColumns.isEmpty, levelCodes.isEmpty { levelCodes = [Int32](repeating: -1, count: columns * capacity) }
        var (rows, lines) = (0, 0)
        let bytes = tokenizer.bytes
        let (capacity, columns) = (capacity, columns)
        var end: Int
        while true {
            let callOptions = options | (quotedNumbers ? Int32(MSH_CSV_QUOTED_NUMBERS) : 0)
            end = values.withUnsafeMutableBufferPointer { values in
                spans.withUnsafeMutableBufferPointer { spans in
                    flags.withUnsafeMutableBufferPointer { flags in
                        levelLookups.withUnsafeMutableBufferPointer { lookups in
                            levelCodes.withUnsafeMutableBufferPointer { codes in
                                flags.update(repeating: 0)
                                lookups.update(repeating: MSHLevelLookup())
                                return Self.withLevelLookups(of: builders, levelColumns, in: lookups) {
                                    DecimalParser.withPowersOfFive { five in
                                        msh_csv_records(bytes.baseAddress, bytes.count, tokenizer.recordStart, limit, tokenizer.separator,
                                                        columns, numeric, callOptions, five, capacity, values.baseAddress,
                                                        spans.baseAddress, flags.baseAddress, levelColumns.isEmpty ? nil : lookups.baseAddress,
                                                        codes.baseAddress, &rows, &lines)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            // Stopped by a quote it did not look for: quoted numbers from here on (from this
            // record again when it read none).
            guard rows < capacity, !quotedNumbers, Self.lineHoldsQuote(bytes, from: end) else { break }
            quotedNumbers = true
            if rows > 0 { break }
        }
        // A run that stops within a few records is not worth the window's classification: rest
        // longer each time, up to 4096 records.
        if rows < 64 {
            lastRest = min(4096, max(1, 2 * lastRest))
            rest = lastRest
        } else {
            lastRest = 0
        }
        guard rows > 0 else { return 0 }
        // The run's columns are appended one after another, but a file's first bad field is the
        // one to name, as the field-by-field path names it: the earliest record's, the leftmost.
        var firstBad: (field: UnstorableField, column: Int)?
        values.withUnsafeBufferPointer { values in
            spans.withUnsafeBufferPointer { spans in
                for column in 0..<columns {
                    let first = column * capacity
                    if numeric[column] != 0 {
                        let met = Int(flags[column])
                        builders[column].appendNumbers(UnsafeBufferPointer(rebasing: values[first ..< first + rows]),
                                                       anyNumber: met & MSH_CSV_NUMBER != 0, anyHasPoint: met & MSH_CSV_POINT != 0,
                                                       anyMissing: met & MSH_CSV_MISSING != 0)
                        continue
                    }
                    do throws(UnstorableField) {
                        let columnSpans = UnsafeBufferPointer(rebasing: spans[2 * first ..< 2 * (first + rows)])
                        if flags[column] & UInt8(MSH_CSV_DOUBLED_QUOTES) != 0 {
                            Self.readDoubledQuotes(columnSpans, of: bytes, into: &unquoted, spans: &unquotedSpans)
                            try unquoted.withUnsafeBufferPointer { (unquoted) throws(UnstorableField) in
                                try unquotedSpans.withUnsafeBufferPointer { (spans) throws(UnstorableField) in
                                    try builders[column].appendFields(spans, of: unquoted, missingMarkers: missingMarkers)
                                }
                            }
                        } else if levelLookups[column].slot_count != 0 {
                            try levelCodes.withUnsafeBufferPointer { (codes) throws(UnstorableField) in
                                try builders[column].appendFields(columnSpans, of: bytes, kernelCodes: UnsafeBufferPointer(rebasing: codes[first ..< first + rows]),
                                                                  missingMarkers: missingMarkers)
                            }
                        } else {
                            try builders[column].appendFields(columnSpans, of: bytes, missingMarkers: missingMarkers)
                        }
                    } catch {
                        if firstBad.map({ error.index < $0.field.index }) ?? true { firstBad = (error, column) }
                    }
                }
            }
        }
        if let (field, column) = firstBad {
            throw .unstorable(field.problem, line: Self.line(ofRecord: field.index, from: tokenizer, oneLineEach: lines == rows), column: column)
        }
        tokenizer.skipRecords(to: end, lines: lines)
        return rows
    }
}
