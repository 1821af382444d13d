import CKernels

/// Why a field cannot be stored; the reader adds the file, line and column.
enum UnstorableValue: Error {
    /// The field's bytes are not valid UTF-8.
    case invalidUTF8
    /// The field holds a NUL byte (a binary file, or text in UTF-16), which no name or level may hold.
    case nulByte
    /// The column already holds as many distinct texts as an Int32 code can number.
    case tooManyDistinctValues
}

/// The missing-value markers as bytes, matched against a field with spaces and tabs trimmed.
struct MissingMarkers {
    private let markers: [[UInt8]]
    /// Whether a marker reads as a number (`-999`, say), so a field that parses as a number may
    /// still be missing and every field must be compared with the markers.
    let includeNumbers: Bool
    /// Bit n set when a marker is n bytes long (bit 63: 63 or more), so most fields are seen not
    /// to be one by their length alone.
    private let lengths: UInt64

    init(_ markers: [String]) {
        self.markers = markers.map { Array($0.utf8) }
        includeNumbers = self.markers.contains { marker in
            marker.withUnsafeBufferPointer { DecimalParser.parse($0).map { !$0.value.isNaN } ?? false }
        }
        lengths = self.markers.reduce(0) { $0 | 1 << min($1.count, 63) }
    }

    @inline(__always)
    func matches(_ trimmed: UnsafeBufferPointer<UInt8>) -> Bool {
        guard lengths & 1 << min(trimmed.count, 63) != 0 else { return false }
        for marker in markers where marker.count == trimmed.count && marker.elementsEqual(trimmed) { return true }
        return false
    }

    /// Whether `field` is a marker once its blanks are trimmed; quick for a field of a length no
    /// marker has and no blank at either end.
    @inline(__always)
    func matchesTrimmed(_ field: UnsafeBufferPointer<UInt8>) -> Bool {
        if lengths & 1 << min(field.count, 63) == 0, let first = field.first, let last = field.last,
           first != 0x20, first != 0x09, last != 0x20, last != 0x09 { return false }
        return matches(ColumnBuilder.trimmingBlanks(field))
    }
}

/// A field that cannot be stored, and its place among the fields appended together.
struct UnstorableField: Error {
    let problem: UnstorableValue
    let index: Int
}

/// Collects one column's values while the file is read, and decides its type (the rules are
/// listed on `CSVReader`).
///
/// While every value reads as a number (or every value as a boolean) they go straight into a
/// `[Double]`. At the first value that does not, the column becomes text from that row on, and
/// the rows before it are left for the reader to read again as text (`rowsToBackfill`) — so the
/// common all-numeric column never keeps its text. Text is kept as codes of levels, or, once a
/// column has more distinct texts than a categorical column of its expected rows may have, as
/// the strings themselves (`Kind.strings`). The reader fills one builder per piece of the file,
/// in parallel, and appends them in file order.
struct ColumnBuilder {
    enum Kind {
        case undetermined, integer, numeric, boolean, text
        /// Text kept row by row (`TextColumn`) rather than as codes of levels: a column with more
        /// distinct texts than a categorical column of the rows expected may have (a name or an
        /// identifier), whose lookups would find few repeats to share; its pieces copy their
        /// texts on every core, and the rows are not looked up twice (in a piece, then in the
        /// column). Only short texts, or texts mostly distinct: a text of more than 15 bytes is
        /// held once a row, where the codes share one a level.
        case strings
        /// Takes no values: a column the reader does not need in this pass.
        case ignored
    }

    private(set) var kind: Kind
    /// One slot per row until the column turns to text; NaN marks a missing value.
    private var numbers: [Double] = []
    /// Whether a value that is not finite (NaN, a missing value, or an infinity) may be among
    /// `numbers`: without one, the finished column need not scan them for missing values.
    private var mayHoldNonFinite = false
    /// The missing values among `numbers`, found as pieces are appended to the column.
    private var appendedMissing = AppendedMissingBits()
    /// Whether `numbers` hold any value but a missing one: rows that were all missing are missing
    /// as text too, so a column that turns to text after them need not read them again (an empty
    /// first value in a column of text cost a 300,000-row load a tenth of its time so).
    private var holdsValues = false
    /// Text rows as codes into `levels` (first-seen order); -1 is missing.
    private var codes: [Int32] = []
    private var levels = LevelTable()
    /// `.strings` rows, missing ones empty, and which rows are missing, ascending.
    private var strings = TextColumn()
    private var missingRows: [Int] = []
    /// How many distinct texts the `.strings` rows hold at least: those of the column when it
    /// turned to strings. More than a categorical column may have, unless the column turned on
    /// a short estimate of its rows.
    private var distinctTextsAtLeast = 0
    /// The rows the reader expects the column to have (`expectRows`), 0 when unknown: a
    /// text column may turn to strings once it has more levels than a categorical column of that
    /// many rows may have (`isBetterKeptAsStrings`).
    private var expectedRows = 0
    /// The rows before this one were read before the column turned to text and must be read again.
    private(set) var rowsToBackfill = 0

    /// A builder that infers its column's type; `.text` makes one that keeps every value as text
    /// (for reading rows again), `.ignored` one that keeps nothing.
    init(kind: Kind = .undetermined) {
        self.kind = kind
    }

    /// Empties the builder for reading another piece, keeping its memory.
    mutating func reset(to kind: Kind) {
        self.kind = kind
        numbers.removeAll(keepingCapacity: true)
        mayHoldNonFinite = false
        appendedMissing = AppendedMissingBits()
        holdsValues = false
        codes.removeAll(keepingCapacity: true)
        levels.removeAll()
        strings.removeAll(keepingCapacity: true)
        missingRows.removeAll(keepingCapacity: true)
        distinctTextsAtLeast = 0
        expectedRows = 0
        rowsToBackfill = 0
    }

    var rowCount: Int {
        switch kind {
        case .text: codes.count
        case .strings: strings.count
        default: numbers.count
        }
    }

    /// Whether the column is text, as codes of levels or as strings.
    var isText: Bool { kind == .text || kind == .strings }

    /// Whether a plain number (`CSVTokenizer.plainNumber`) can go straight to `appendNumber`.
    var takesNumbers: Bool { kind == .undetermined || kind == .integer || kind == .numeric }

    /// Expects `rows` rows (`expectedRows`), which may turn a text column to strings at once, and
    /// makes room for them in the storage of the builder's kind, so the column is not copied as
    /// it grows (each copy left the old buffer in the allocator's memory).
    mutating func expectRows(_ rows: Int) {
        expectedRows = rows
        if kind == .text, isBetterKeptAsStrings { turnToStrings() }
        switch kind {
        case .text: codes.reserveCapacity(rows)
        case .strings: strings.reserveCapacity(rows)
        case .ignored: break
        default: numbers.reserveCapacity(rows)
        }
    }

    mutating func append(_ field: UnsafeBufferPointer<UInt8>, missingMarkers: MissingMarkers,
                         numberMarks: NumberMarks = NumberMarks()) throws(UnstorableValue) {
        let trimmed = Self.trimmingBlanks(field)
        if missingMarkers.matches(trimmed) {
            switch kind {
            case .text: codes.append(-1)
            case .strings: appendMissingString()
            case .ignored: break
            default:
                numbers.append(.nan)
                mayHoldNonFinite = true
            }
            return
        }
        switch kind {
        case .undetermined, .integer, .numeric:
            if let number = numberMarks.number(trimmed) {
                appendNumber(number)
                return
            }
            if kind == .undetermined, let truth = Self.boolean(trimmed) {
                kind = .boolean
                numbers.append(truth ? 1 : 0)
                holdsValues = true
                return
            }
        case .boolean:
            if let truth = Self.boolean(trimmed) {
                numbers.append(truth ? 1 : 0)
                holdsValues = true
                return
            }
        case .text:
            codes.append(try levels.code(for: field))
            return
        case .strings:
            try appendString(field)
            return
        case .ignored:
            return
        }
        turnToText()
        codes.append(try levels.code(for: field))
    }

    /// Calls `body` with the lookup the CSV kernel may do of this column's fields: in its levels
    /// while it is a column of codes (`LevelTable.withKernelLookup`), else none.
    func withKernelLookup<Result>(_ body: (MSHLevelLookup) -> Result) -> Result {
        kind == .text ? levels.withKernelLookup(body) : body(MSHLevelLookup())
    }

    /// Appends the fields at `spans`, (offset, count) pairs into `bytes`, each as `append` would.
    /// `kernelCodes`, where the kernel looked the fields up in this column's levels
    /// (`withKernelLookup`), hold each field's code, or -1 for one to look up here. Text is
    /// looked up in batches: the hashes of a few fields ahead are computed and their slots asked
    /// for, so a column of many distinct texts waits for its table once a batch.
    mutating func appendFields(_ spans: UnsafeBufferPointer<Int>, of bytes: UnsafeBufferPointer<UInt8>,
                               kernelCodes: UnsafeBufferPointer<Int32>? = nil, missingMarkers: MissingMarkers) throws(UnstorableField) {
        let count = spans.count / 2
        @inline(__always) func field(_ index: Int) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: bytes[spans[2 * index] ..< spans[2 * index] + spans[2 * index + 1]])
        }
        if let kernelCodes, kind == .text {
            // The codes as the kernel found them, then those it did not find (new texts, missing
            // ones, long ones) looked up one by one, in row order so new levels keep their order.
            let first = codes.count
            codes.append(contentsOf: kernelCodes)
            for index in 0..<count where kernelCodes[index] < 0 {
                let text = field(index)
                if missingMarkers.matchesTrimmed(text) { continue }
                do throws(UnstorableValue) {
                    codes[first + index] = try levels.code(for: text)
                } catch {
                    throw UnstorableField(problem: error, index: index)
                }
            }
            return
        }
        /// A short field's key (nil for a longer one), from two loads where 16 bytes may be read.
        @inline(__always) func shortKey(_ index: Int, _ text: UnsafeBufferPointer<UInt8>) -> LevelTable.ShortKey? {
            guard text.count <= LevelTable.shortLength else { return nil }
            guard let base = text.baseAddress, spans[2 * index] + 16 <= bytes.count else { return LevelTable.shortKey(text) }
            return LevelTable.shortKey(readingSixteen: base, count: text.count)
        }
        if kind == .strings {
            // Each field's bytes copied into the column, a short one's as its key.
            for index in 0..<count {
                let text = field(index)
                if missingMarkers.matchesTrimmed(text) {
                    appendMissingString()
                    continue
                }
                do throws(UnstorableValue) {
                    try LevelTable.checkStorable(text)
                } catch {
                    throw UnstorableField(problem: error, index: index)
                }
                if let key = shortKey(index, text) { strings.append(key) } else { strings.append(text) }
            }
            return
        }
        var index = 0
        // Field by field until the column is codes of levels (most often none: its kind is known
        // from the first block).
        while index < count, kind != .text {
            do throws(UnstorableValue) {
                try append(field(index), missingMarkers: missingMarkers)
            } catch {
                throw UnstorableField(problem: error, index: index)
            }
            index += 1
        }
        guard index < count else { return }
        // Field i is hashed (and its slot asked for) at step i, looked up at step i + lookAhead;
        // its hash and key are kept in lookups[i % lookAhead] in between, nil where it is missing.
        let lookAhead = LevelTable.lookAhead
        let lookups = UnsafeMutablePointer<(hash: UInt64, key: LevelTable.ShortKey?)?>.allocate(capacity: lookAhead)
        defer { lookups.deallocate() }
        let first = index
        for step in first ..< count + lookAhead {
            let looked = step - lookAhead
            if looked >= first {
                if let (hash, key) = lookups[looked % lookAhead] {
                    do throws(UnstorableValue) {
                        codes.append(try levels.code(for: field(looked), hash: hash, key: key))
                    } catch {
                        throw UnstorableField(problem: error, index: looked)
                    }
                } else {
                    codes.append(-1)
                }
            }
            if step < count {
                let text = field(step)
                if missingMarkers.matchesTrimmed(text) {
                    lookups[step % lookAhead] = nil
                } else {
                    let key = shortKey(step, text)
                    let hash = levels.hash(text, key: key)
                    levels.prefetchSlot(of: hash)
                    lookups[step % lookAhead] = (hash, key)
                }
            }
        }
    }

    @inline(__always)
    private mutating func appendString(_ text: UnsafeBufferPointer<UInt8>) throws(UnstorableValue) {
        try LevelTable.checkStorable(text)
        strings.append(text)
    }

    @inline(__always)
    private mutating func appendMissingString() {
        missingRows.append(strings.count)
        strings.appendEmpty()
    }

    /// Appends a number to a column that `takesNumbers`.
    @inline(__always)
    mutating func appendNumber(_ number: DecimalParser.Number) {
        numbers.append(number.value)
        holdsValues = true
        if !number.value.isFinite {
            mayHoldNonFinite = true
            if number.value.isNaN { return }
        }
        if kind == .undetermined {
            kind = number.isInteger ? .integer : .numeric
        } else if kind == .integer, !number.isInteger {
            kind = .numeric
        }
    }

    /// Appends numbers (NaN for a missing value) to a column that `takesNumbers`, or booleans as
    /// 1 and 0 to a boolean one: `anyNumber` when one of them is not missing, `anyHasPoint` when
    /// one was written with a point (so the column is not one of integers), `anyMissing` when
    /// one is missing.
    mutating func appendNumbers(_ values: UnsafeBufferPointer<Double>, anyNumber: Bool, anyHasPoint: Bool, anyMissing: Bool) {
        numbers.append(contentsOf: values)
        if anyMissing { mayHoldNonFinite = true }
        guard anyNumber else { return }
        holdsValues = true
        if kind == .undetermined || anyHasPoint { kind = anyHasPoint ? .numeric : .integer }
    }

    /// Appends the rows of `piece`, the builder of the rows that follow in the file, with the
    /// type both together would have had: a column that was numbers in one and text (or
    /// booleans) in the other becomes text, and its rows stored as numbers are to be read again.
    mutating func append(contentsOf piece: ColumnBuilder) throws(UnstorableValue) {
        if kind == .ignored || piece.kind == .ignored { return }
        let rowsBefore = rowCount
        if let both = Self.numberKind(kind, piece.kind) {
            kind = both
            numbers.populatePages(forNext: piece.numbers.count)
            if appendedMissing.rows == numbers.count { appendedMissing.append(piece.numbers, mayHoldNonFinite: piece.mayHoldNonFinite) }
            numbers.append(contentsOf: piece.numbers)
            mayHoldNonFinite = mayHoldNonFinite || piece.mayHoldNonFinite
            holdsValues = holdsValues || piece.holdsValues
            return
        }
        if !isText { turnToText() }
        guard piece.isText else {
            // Rows to read again, their text yet unknown; or missing, where the piece held nothing else.
            if kind == .strings {
                if !piece.holdsValues { missingRows.append(contentsOf: rowsBefore ..< rowsBefore + piece.rowCount) }
                strings.appendEmpty(count: piece.rowCount)
            } else {
                codes.append(contentsOf: repeatElement(-1, count: piece.rowCount))
            }
            if piece.holdsValues { rowsToBackfill = rowsBefore + piece.rowCount }
            return
        }
        if piece.kind == .strings, kind == .text { turnToStrings() }
        if kind == .strings {
            if piece.kind == .strings {
                strings.append(contentsOf: piece.strings)
                missingRows.append(contentsOf: piece.missingRows.lazy.map { $0 + rowsBefore })
            } else {
                appendStrings(codes: piece.codes, levels: piece.levels)
            }
        } else {
            let pieceCodes = try levels.codes(ofLevelsOf: piece.levels)
            codes.populatePages(forNext: piece.codes.count)
            codes.append(contentsOf: piece.codes.lazy.map { $0 < 0 ? -1 : pieceCodes[Int($0)] })
            if isBetterKeptAsStrings { turnToStrings() }
        }
        if piece.rowsToBackfill > 0 { rowsToBackfill = rowsBefore + piece.rowsToBackfill }
    }

    /// Whether a text column is better kept as strings: it has more levels than a categorical
    /// column of the rows expected may have, and either its levels are short enough for a string
    /// to hold them inline (15 bytes of UTF-8 on average: no allocation of their own) or most of
    /// its rows so far are distinct (the strings the codes would make share one allocation per
    /// level: 60,000 addresses of 46 bytes in 1,000,000 rows took 56 MB so, and 148 MB as
    /// strings of their own).
    private var isBetterKeptAsStrings: Bool {
        expectedRows > 0 && levels.count > Self.maximumLevelCount(valueCount: max(expectedRows, codes.count))
            && (levels.byteCount <= 15 * levels.count || 2 * levels.count > codes.count)
    }

    /// Keeps the column's text as strings from here on (`Kind.strings`).
    private mutating func turnToStrings() {
        do {
            var (oldCodes, oldLevels) = ([Int32](), LevelTable())
            swap(&oldCodes, &codes)
            swap(&oldLevels, &levels)
            kind = .strings
            distinctTextsAtLeast = oldLevels.count
            strings.reserveCapacity(max(expectedRows, oldCodes.count))
            appendStrings(codes: oldCodes, levels: oldLevels)
        }
        // The codes and levels, freed, go back to the system: the strings are the column's whole
        // size while the load goes on, and would otherwise stay resident beside them at its peak
        // (the mixed 1M-row file's peak 157 → 151 MB).
        FreedMemory.returnToSystem()
    }

    /// Appends the rows of `codes` (-1 missing) of `levels` as strings.
    private mutating func appendStrings(codes: [Int32], levels: LevelTable) {
        let rowsBefore = strings.count
        missingRows.append(contentsOf: codes.indices.lazy.filter { codes[$0] < 0 }.map { $0 + rowsBefore })
        strings.append(codes: codes, of: levels.texts())
    }

    /// The kind of a column whose rows are of kind `first` then `second`, when that column can
    /// still keep numbers; nil when it must become text.
    private static func numberKind(_ first: Kind, _ second: Kind) -> Kind? {
        switch (first, second) {
        case (.text, _), (_, .text), (.strings, _), (_, .strings), (.ignored, _), (_, .ignored): return nil
        case (.undetermined, _): return second
        case (_, .undetermined): return first
        case (.boolean, .boolean): return .boolean
        case (.boolean, _), (_, .boolean): return nil
        case (.integer, .integer): return .integer
        default: return .numeric
        }
    }

    /// Takes the text of the first `rowsToBackfill` rows from `reread`, a text builder that read
    /// at least those rows again.
    mutating func backfill(from reread: ColumnBuilder) throws(UnstorableValue) {
        if kind == .strings {
            var rows = ColumnBuilder(kind: .strings)
            try rows.append(contentsOf: reread)
            var backfilled = TextColumn()
            backfilled.reserveCapacity(strings.count)
            backfilled.append(rows: 0 ..< rowsToBackfill, of: rows.strings)
            backfilled.append(rows: rowsToBackfill ..< strings.count, of: strings)
            strings = backfilled
            missingRows = rows.missingRows.prefix { $0 < rowsToBackfill } + missingRows.drop { $0 < rowsToBackfill }
            rowsToBackfill = 0
            return
        }
        let rereadCodes = try levels.codes(ofLevelsOf: reread.levels)
        for row in 0..<rowsToBackfill {
            let code = reread.codes[row]
            codes[row] = code < 0 ? -1 : rereadCodes[Int(code)]
        }
        rowsToBackfill = 0
    }

    /// The finished column. Text with few distinct values becomes categorical, with its levels
    /// sorted by their UTF-8 bytes; a column with no values at all is numeric (all missing),
    /// unless it has no rows either: then nothing shows a type, and it is text (as pandas'
    /// object and DuckDB's VARCHAR), which claims nothing about values it has not seen.
    /// Consumes the builder, so its memory is the column's (numbers, and a categorical's codes
    /// renumbered in place) or is freed as soon as it is no longer needed. `noneMissing`, a mask
    /// with no row set, is the column's mask when it has no missing value (the columns of a
    /// dataset share it, so it takes memory once). `numbersAreFinite`: a number column whose
    /// every value is finite (so none is missing), which the scan for missing values sees.
    consuming func column(named name: String, noneMissing: MissingMask? = nil) -> (column: Column, numbersAreFinite: Bool) {
        if kind == .undetermined, numbers.isEmpty {
            return (Column(name: name, type: .text, storage: .strings(TextColumn()), missing: MissingMask(count: 0)), false)
        }
        if kind == .strings, !turnStringsToCodesIfFew() {
            var mask = MissingMask(count: strings.count)
            for row in missingRows { mask[row] = true }
            return (Column(name: name, type: .text, storage: .strings(strings), missing: missingRows.isEmpty ? noneMissing ?? mask : mask), false)
        }
        guard kind == .text else {
            let type: ColumnType = switch kind {
            case .integer: .integer
            case .boolean: .boolean
            default: .numeric
            }
            let noneMissing = noneMissing ?? MissingMask(count: numbers.count)
            if mayHoldNonFinite, appendedMissing.rows == numbers.count {
                let finite = appendedMissing.missingCount == 0 && !appendedMissing.holdsInfinity
                return (Column(name: name, type: type, storage: .numbers(numbers), missing: appendedMissing.missingCount == 0 ? noneMissing : appendedMissing.mask), finite)
            }
            // NaN is missing; a scan for any value that is not finite finds it as soon, and
            // when there is none, a fit need not look for infinities again.
            guard mayHoldNonFinite, let first = numbers.firstIndex(where: { !$0.isFinite }) else {
                return (Column(name: name, type: type, storage: .numbers(numbers), missing: noneMissing), true)
            }
            let mask = Self.missingMask(numbers, from: first, noneMissing: noneMissing) { $0.isNaN }
            return (Column(name: name, type: type, storage: .numbers(numbers), missing: mask), false)
        }
        let mask = Self.missingMask(codes, from: 0, noneMissing: noneMissing) { $0 < 0 }
        let valueCount = codes.count - mask.setCount
        var codes: [Int32] = []
        swap(&codes, &self.codes)
        guard levels.count <= Self.maximumLevelCount(valueCount: valueCount) else {
            let texts = levels.texts()
            levels = LevelTable()
            return (Column(name: name, type: .text, storage: .strings(Self.strings(consuming: &codes, texts: texts)), missing: mask), false)
        }
        let sortedCodes = levels.codesInByteOrder()
        let texts = levels.strings()
        levels = LevelTable()
        var newCode = [Int32](repeating: 0, count: texts.count)
        for (position, oldCode) in sortedCodes.enumerated() { newCode[oldCode] = Int32(position) }
        codes.withUnsafeMutableBufferPointer { codes in
            for row in codes.indices where codes[row] >= 0 { codes[row] = newCode[Int(codes[row])] }
        }
        let storage = ColumnStorage.categories(codes: codes, levels: sortedCodes.map { texts[$0] })
        return (Column(name: name, type: .categorical, storage: storage, missing: mask), false)
    }

    /// Turns `.strings` rows back to codes of levels when they are few enough for a categorical
    /// column (the column turned to strings on a short estimate of its rows); says whether it did.
    private mutating func turnStringsToCodesIfFew() -> Bool {
        let most = Self.maximumLevelCount(valueCount: strings.count - missingRows.count)
        guard distinctTextsAtLeast <= most else { return false }
        var table = LevelTable()
        var rowCodes = [Int32](repeating: -1, count: strings.count)
        var missing = missingRows[...]
        for row in strings.indices {
            if missing.first == row {
                missing.removeFirst()
                continue
            }
            // The texts were checked as they were read: a lookup can fail only past `most`.
            guard let code = strings.withUTF8(at: row, { try? table.code(for: $0) }), table.count <= most else { return false }
            rowCodes[row] = code
        }
        (codes, levels, strings, missingRows, kind) = (rowCodes, table, TextColumn(), [], .text)
        return true
    }

    /// The rows of `values` where `isMissing` holds, none before `start`; `noneMissing` (when
    /// given) if there are none.
    private static func missingMask<Value>(_ values: [Value], from start: Int, noneMissing: MissingMask?, isMissing: (Value) -> Bool) -> MissingMask {
        guard let first = values[start...].firstIndex(where: isMissing) else { return noneMissing ?? MissingMask(count: values.count) }
        var mask = MissingMask(count: values.count)
        for row in first..<values.count where isMissing(values[row]) { mask[row] = true }
        return mask
    }

    /// The text of every row (missing ones empty). The strings are four times the codes' size, and
    /// allocated when the column's memory peaks: the codes' pages go back to the system as soon as
    /// they are read, and so does the memory freed before.
    private static func strings(consuming codes: inout [Int32], texts: TextColumn) -> TextColumn {
        FreedMemory.returnToSystem()
        var strings = TextColumn()
        strings.reserveCapacity(codes.count)
        let levelSlots = strings.adoptingTexts(of: texts)
        codes.withUnsafeMutableBufferPointer { codes in
            let stretch = 1 << 16
            for start in stride(from: 0, to: codes.count, by: stretch) {
                let end = min(start + stretch, codes.count)
                strings.append(codes: codes[start..<end], levelSlots: levelSlots)
                // From the previous stretch's first row, so that a page split between the two goes
                // back too (each call covers two stretches, not every row read so far).
                let from = max(0, start - stretch)
                FreedMemory.discard(UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: codes[from..<end])))
            }
        }
        codes = []
        return strings
    }

    /// Text with at most this many distinct values is categorical: 20, or one level per 20
    /// values in larger columns (so 1,000,000 rows allow 50,000 levels).
    static func maximumLevelCount(valueCount: Int) -> Int { max(20, valueCount / 20) }

    private mutating func turnToText() {
        rowsToBackfill = holdsValues ? numbers.count : 0
        codes = [Int32](repeating: -1, count: numbers.count)
        numbers = []
        appendedMissing = AppendedMissingBits()
        kind = .text
    }

    /// true, True, TRUE, false, False or FALSE: the first four bytes compared as one word with
    /// each spelling's (comparing with arrays of the spellings cost a twentieth of loading a file
    /// of text columns).
    @inline(__always)
    private static func boolean(_ trimmed: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard trimmed.count == 4 || trimmed.count == 5, let base = trimmed.baseAddress else { return nil }
        let first = UInt32(littleEndian: UnsafeRawPointer(base).loadUnaligned(as: UInt32.self))
        // "true", "True", "TRUE"; "fals", "Fals", "FALS" (little-endian)
        if trimmed.count == 4 { return first == 0x6575_7274 || first == 0x6575_7254 || first == 0x4555_5254 ? true : nil }
        let last = base[4]
        if (first == 0x736C_6166 || first == 0x736C_6146) && last == UInt8(ascii: "e") { return false }
        return first == 0x534C_4146 && last == UInt8(ascii: "E") ? false : nil
    }

    @inline(__always)
    static func trimmingBlanks(_ field: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0, end = field.count
        while start < end, field[start] == 0x20 || field[start] == 0x09 { start += 1 }
        while end > start, field[end - 1] == 0x20 || field[end - 1] == 0x09 { end -= 1 }
        return UnsafeBufferPointer(rebasing: field[start..<end])
    }
}

/// The missing values (NaN) among a column's numbers, a bit a row, found as each piece is
/// appended, its values still in the cache, by a vector compare (`msh_nan_bits`): finishing the
/// column read every column of numbers with a missing value whole again (its own twentieth of a
/// load of the mixed file). Covers the column only while every row came from a piece
/// (`rows == numbers.count`); the finished column scans its values otherwise.
struct AppendedMissingBits {
    /// The mask's words so far; fewer than the rows need while the rows after them hold no
    /// missing value.
    private var words: [UInt64] = []
    /// The rows the bits are of.
    private(set) var rows = 0
    private(set) var missingCount = 0
    private(set) var holdsInfinity = false

    /// The bits of `values`, the next rows; `mayHoldNonFinite` false says there are none to find.
    mutating func append(_ values: [Double], mayHoldNonFinite: Bool) {
        defer { rows += values.count }
        guard mayHoldNonFinite, !values.isEmpty else { return }
        let wordsNeeded = (rows + values.count + 63) / 64
        if words.count < wordsNeeded { words.append(contentsOf: repeatElement(0, count: wordsNeeded - words.count)) }
        var infinite: Int32 = 0
        let first = rows
        missingCount += values.withUnsafeBufferPointer { values in
            words.withUnsafeMutableBufferPointer { msh_nan_bits(values.baseAddress, values.count, $0.baseAddress, first, &infinite) }
        }
        if infinite != 0 { holdsInfinity = true }
    }

    /// The mask of the rows so far.
    var mask: MissingMask {
        var all = words
        all.append(contentsOf: repeatElement(0, count: (rows + 63) / 64 - words.count))
        return MissingMask(count: rows, words: all)
    }
}
