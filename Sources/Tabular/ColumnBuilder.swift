/// Why a field cannot be stored; the reader adds the file, line and column.
enum UnstorableValue: Error {
    /// The field's bytes are not valid UTF-8.
    case invalidUTF8
    /// The column already holds as many distinct texts as an Int32 code can number.
    case tooManyDistinctValues
}

/// The missing-value markers as bytes, matched against a field with spaces and tabs trimmed.
struct MissingMarkers {
    private let markers: [[UInt8]]

    init(_ markers: [String]) { self.markers = markers.map { Array($0.utf8) } }

    @inline(__always)
    func matches(_ trimmed: UnsafeBufferPointer<UInt8>) -> Bool {
        for marker in markers where marker.count == trimmed.count && marker.elementsEqual(trimmed) { return true }
        return false
    }
}

/// Collects one column's values while the file is read, and decides its type (the rules are
/// listed on `CSVReader`).
///
/// While every value reads as a number (or every value as a boolean) they go straight into a
/// `[Double]`. At the first value that does not, the column becomes text from that row on, and
/// the rows before it are left for the reader to `backfill` in a second, partial pass — so the
/// common all-numeric column never keeps its text.
struct ColumnBuilder {
    enum Kind { case undetermined, integer, numeric, boolean, text }

    private(set) var kind = Kind.undetermined
    /// One slot per row until the column turns to text; NaN marks a missing value.
    private var numbers: [Double] = []
    /// Text rows as codes into `levels` (first-seen order); -1 is missing.
    private var codes: [Int32] = []
    private var levels: [String] = []
    private var levelCodes: [String: Int32] = [:]
    /// The rows before this one were read before the column turned to text and must be read again.
    private(set) var rowsToBackfill = 0

    private static let trueSpellings: [[UInt8]] = ["true", "True", "TRUE"].map { Array($0.utf8) }
    private static let falseSpellings: [[UInt8]] = ["false", "False", "FALSE"].map { Array($0.utf8) }

    mutating func append(_ field: UnsafeBufferPointer<UInt8>, missingMarkers: MissingMarkers) throws(UnstorableValue) {
        let trimmed = Self.trimmingBlanks(field)
        if missingMarkers.matches(trimmed) {
            if kind == .text { codes.append(-1) } else { numbers.append(.nan) }
            return
        }
        switch kind {
        case .undetermined, .integer, .numeric:
            if let number = DecimalParser.parse(trimmed) {
                numbers.append(number.value)
                if number.value.isNaN { return }
                if kind == .undetermined {
                    kind = number.isInteger ? .integer : .numeric
                } else if kind == .integer, !number.isInteger {
                    kind = .numeric
                }
                return
            }
            if kind == .undetermined, let truth = Self.boolean(trimmed) {
                kind = .boolean
                numbers.append(truth ? 1 : 0)
                return
            }
        case .boolean:
            if let truth = Self.boolean(trimmed) {
                numbers.append(truth ? 1 : 0)
                return
            }
        case .text:
            codes.append(try code(for: field))
            return
        }
        turnToText()
        codes.append(try code(for: field))
    }

    /// Reads `row` again as text, for a row read before the column turned to text.
    mutating func backfill(_ field: UnsafeBufferPointer<UInt8>, row: Int, missingMarkers: MissingMarkers) throws(UnstorableValue) {
        codes[row] = missingMarkers.matches(Self.trimmingBlanks(field)) ? -1 : try code(for: field)
    }

    /// The finished column. Text with few distinct values becomes categorical, with its levels
    /// sorted by their UTF-8 bytes; a column with no values at all is numeric (all missing).
    func column(named name: String) -> Column {
        guard kind == .text else {
            let type: ColumnType = switch kind {
            case .integer: .integer
            case .boolean: .boolean
            default: .numeric
            }
            return Column.numeric(name, numbers, type: type)
        }
        var mask = MissingMask(count: codes.count)
        for (row, code) in codes.enumerated() where code < 0 { mask[row] = true }
        let valueCount = codes.count - mask.setCount
        guard levels.count <= Self.maximumLevelCount(valueCount: valueCount) else {
            let strings = codes.map { $0 < 0 ? "" : levels[Int($0)] }
            return Column(name: name, type: .text, storage: .strings(strings), missing: mask)
        }
        let sortedCodes = levels.indices.sorted { levels[$0].utf8.lexicographicallyPrecedes(levels[$1].utf8) }
        var newCode = [Int32](repeating: 0, count: levels.count)
        for (position, oldCode) in sortedCodes.enumerated() { newCode[oldCode] = Int32(position) }
        let storage = ColumnStorage.categories(
            codes: codes.map { $0 < 0 ? -1 : newCode[Int($0)] },
            levels: sortedCodes.map { levels[$0] })
        return Column(name: name, type: .categorical, storage: storage, missing: mask)
    }

    /// Text with at most this many distinct values is categorical: 20, or one level per 20
    /// values in larger columns (so 1,000,000 rows allow 50,000 levels).
    static func maximumLevelCount(valueCount: Int) -> Int { max(20, valueCount / 20) }

    private mutating func turnToText() {
        rowsToBackfill = numbers.count
        codes = [Int32](repeating: -1, count: numbers.count)
        numbers = []
        kind = .text
    }

    private mutating func code(for field: UnsafeBufferPointer<UInt8>) throws(UnstorableValue) -> Int32 {
        guard let text = String(validating: field, as: UTF8.self) else { throw .invalidUTF8 }
        if let code = levelCodes[text] { return code }
        guard let code = Int32(exactly: levels.count) else { throw .tooManyDistinctValues }
        levels.append(text)
        levelCodes[text] = code
        return code
    }

    private static func boolean(_ trimmed: UnsafeBufferPointer<UInt8>) -> Bool? {
        if trueSpellings.contains(where: { $0.elementsEqual(trimmed) }) { return true }
        if falseSpellings.contains(where: { $0.elementsEqual(trimmed) }) { return false }
        return nil
    }

    @inline(__always)
    private static func trimmingBlanks(_ field: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0, end = field.count
        while start < end, field[start] == 0x20 || field[start] == 0x09 { start += 1 }
        while end > start, field[end - 1] == 0x20 || field[end - 1] == 0x09 { end -= 1 }
        return UnsafeBufferPointer(rebasing: field[start..<end])
    }
}
