import Numerics

/// The type of a column, as inferred on load and recorded in a model's training schema.
public enum ColumnType: String, Codable, Sendable, CaseIterable {
    case integer, numeric, boolean, categorical, text

    /// Integer, numeric and boolean columns hold numbers (booleans as 0/1).
    public var isNumeric: Bool { self == .integer || self == .numeric || self == .boolean }
}

/// The values of one column. Numbers live in one contiguous `[Double]` so they go to BLAS
/// without copying; categories are codes into a level list, as R's factors.
public enum ColumnStorage: Sendable, Equatable {
    /// Integer, numeric and boolean (0/1) values; a missing slot holds NaN.
    case numbers([Double])
    /// Codes into `levels` (in first-seen order unless sorted); a missing slot holds -1.
    case categories(codes: [Int32], levels: [String])
    /// Free text; a missing slot holds "".
    case strings(TextColumn)
}

/// One named, typed column with a missing-value mask that is the authority on missingness.
public struct Column: Sendable, Equatable {
    public var name: String
    public let type: ColumnType
    public let storage: ColumnStorage
    public let missing: MissingMask

    public init(name: String, type: ColumnType, storage: ColumnStorage, missing: MissingMask) {
        self.name = name
        self.type = type
        self.storage = storage
        self.missing = missing
        precondition(missing.count == Column.count(of: storage), "missing mask length must match values")
    }

    /// A numeric column; NaN values are marked missing.
    public static func numeric(_ name: String, _ values: [Double], type: ColumnType = .numeric) -> Column {
        var mask = MissingMask(count: values.count)
        for (i, v) in values.enumerated() where v.isNaN { mask[i] = true }
        return Column(name: name, type: type, storage: .numbers(values), missing: mask)
    }

    /// A categorical column from values (nil is missing); levels in first-seen order.
    public static func categorical(_ name: String, _ values: [String?]) -> Column {
        var levels: [String] = []
        var index: [String: Int32] = [:]
        var codes = [Int32](repeating: -1, count: values.count)
        var mask = MissingMask(count: values.count)
        for (i, value) in values.enumerated() {
            guard let value else { mask[i] = true; continue }
            if let code = index[value] {
                codes[i] = code
            } else {
                let code = Int32(levels.count)
                index[value] = code
                levels.append(value)
                codes[i] = code
            }
        }
        return Column(name: name, type: .categorical, storage: .categories(codes: codes, levels: levels), missing: mask)
    }

    /// A categorical column from level indices (-1 is missing) into `levels`, kept in that order.
    public static func categorical(_ name: String, codes: [Int], levels: [String]) -> Column {
        var mask = MissingMask(count: codes.count)
        for (i, code) in codes.enumerated() where code < 0 { mask[i] = true }
        return Column(name: name, type: .categorical, storage: .categories(codes: codes.map { Int32($0) }, levels: levels), missing: mask)
    }

    static func count(of storage: ColumnStorage) -> Int {
        switch storage {
        case .numbers(let values): return values.count
        case .categories(let codes, _): return codes.count
        case .strings(let values): return values.count
        }
    }

    /// Whether `other` holds its values in the same buffers as this column (a copy of it, not a
    /// column of equal values made apart), so keeping both costs the memory of one. No value is
    /// read: telling two equal loads of a million rows apart by their values took longer than
    /// loading them.
    public func sharesStorage(with other: Column) -> Bool {
        switch (storage, other.storage) {
        case let (.numbers(first), .numbers(second)): return first.sharesBuffer(with: second)
        case let (.categories(firstCodes, firstLevels), .categories(secondCodes, secondLevels)):
            return firstCodes.sharesBuffer(with: secondCodes) && firstLevels.sharesBuffer(with: secondLevels)
        case let (.strings(first), .strings(second)): return first.sharesStorage(with: second)
        default: return false
        }
    }

    public var count: Int { missing.count }
    public var missingCount: Int { missing.setCount }

    /// The numbers of an integer, numeric or boolean column; nil for other types.
    public var numbers: [Double]? {
        if case .numbers(let values) = storage { return values }
        return nil
    }

    /// The levels of a categorical column; nil for other types.
    public var levels: [String]? {
        if case .categories(_, let levels) = storage { return levels }
        return nil
    }

    public func isMissing(_ row: Int) -> Bool { missing[row] }

    /// The value at `row` as text, as `show` prints it and `write` would save it; nil if missing.
    /// A boolean that is not 0 or 1, or an integer that is not a whole number within Int64,
    /// prints as a number.
    public func text(at row: Int) -> String? {
        if missing[row] { return nil }
        switch storage {
        case .numbers(let values):
            // Values from a hand-edited workspace need not fit the type; they print as numbers.
            let value = values[row]
            switch type {
            case .boolean where value == 0 || value == 1: return value == 1 ? "true" : "false"
            case .integer: if let integer = Int64(exactly: value) { return String(integer) }
            default: break
            }
            return NumberFormat.shortest(value)
        case .categories(let codes, let levels):
            return levels[Int(codes[row])]
        case .strings(let values):
            return values[row]
        }
    }

    /// The value at `row` as a table shows it: like `text(at:)`, but a numeric value to `digits`
    /// significant digits (R prints data frames with 7; `set digits` changes it), so computed
    /// columns stay readable.
    public func displayText(at row: Int, digits: Int = NumberFormat.defaultDigits) -> String? {
        guard type == .numeric, case .numbers(let values) = storage, !missing[row] else { return text(at: row) }
        return NumberFormat.significant(values[row], digits: digits)
    }

    /// The rows at `rows`, in that order (repeats allowed); categorical levels are kept whole,
    /// so a model's one-hot columns do not depend on which rows a split happened to pick.
    public func selecting(rows: [Int]) -> Column {
        var mask = MissingMask(count: rows.count)
        // Most columns have no missing values: skip the per-row test then.
        if missing.words.contains(where: { $0 != 0 }) {
            for (i, row) in rows.enumerated() where missing[row] { mask[i] = true }
        }
        switch storage {
        case .numbers(let values):
            return Column(name: name, type: type, storage: .numbers(rows.map { values[$0] }), missing: mask)
        case .categories(let codes, let levels):
            return Column(name: name, type: type, storage: .categories(codes: rows.map { codes[$0] }, levels: levels), missing: mask)
        case .strings(let values):
            return Column(name: name, type: type, storage: .strings(values.selecting(rows: rows)), missing: mask)
        }
    }

    /// The rows where `inSecond` is false, and those where it is true (`secondCount` of them),
    /// each part in row order: `selecting` of both row lists, in one pass over the values.
    func partitioned(by inSecond: [Bool], secondCount: Int) -> (Column, Column) {
        precondition(inSecond.count == count, "one flag per row")
        let counts = (count - secondCount, secondCount)
        var masks = (MissingMask(count: counts.0), MissingMask(count: counts.1))
        if missing.words.contains(where: { $0 != 0 }) {
            var (first, second) = (0, 0)
            for (row, flag) in inSecond.enumerated() {
                if flag { masks.1[second] = missing[row]; second += 1 } else { masks.0[first] = missing[row]; first += 1 }
            }
        }
        let storages: (ColumnStorage, ColumnStorage)
        switch storage {
        case .numbers(let values):
            let parts = Self.partition(values, by: inSecond, counts: counts)
            storages = (.numbers(parts.0), .numbers(parts.1))
        case .categories(let codes, let levels):
            let parts = Self.partition(codes, by: inSecond, counts: counts)
            storages = (.categories(codes: parts.0, levels: levels), .categories(codes: parts.1, levels: levels))
        case .strings(let values):
            let parts = values.partitioned(by: inSecond, secondCount: secondCount)
            storages = (.strings(parts.0), .strings(parts.1))
        }
        return (Column(name: name, type: type, storage: storages.0, missing: masks.0),
                Column(name: name, type: type, storage: storages.1, missing: masks.1))
    }

    /// Each value written to both parts and the part's position advanced by the flag: no
    /// branch to mispredict on a random split.
    private static func partition<Value: BitwiseCopyable>(_ values: [Value], by inSecond: [Bool], counts: (Int, Int)) -> ([Value], [Value]) {
        guard let filler = values.first else { return ([], []) }
        // One slot of slack in each: the last value written to a part may land one past its end.
        var first = [Value](repeating: filler, count: counts.0 + 1), second = [Value](repeating: filler, count: counts.1 + 1)
        first.withUnsafeMutableBufferPointer { first in
            second.withUnsafeMutableBufferPointer { second in
                values.withUnsafeBufferPointer { values in
                    inSecond.withUnsafeBufferPointer { flags in
                        var (a, b) = (0, 0)
                        for i in 0 ..< values.count {
                            let value = values[i], flag = flags[i] ? 1 : 0
                            first[a] = value
                            second[b] = value
                            a += 1 - flag
                            b += flag
                        }
                    }
                }
            }
        }
        first.removeLast()
        second.removeLast()
        return (first, second)
    }

    public func renamed(_ newName: String) -> Column {
        var copy = self
        copy.name = newName
        return copy
    }
}

extension Column {
    /// Whether every present value of a number column is a whole number, and there is one:
    /// class codes written `1.0`, `2.0`, as pandas writes integers once a column held a missing
    /// value.
    public var holdsWholeNumbers: Bool {
        guard case .numbers(let values) = storage, missingCount < count else { return false }
        return (0 ..< count).allSatisfy { isMissing($0) || Self.isWholeNumber(values[$0]) }
    }

    /// Whether `value` is finite and whole, by a conversion to Int64 and back (`rounded()` is a
    /// library call per row); every double of magnitude 2^53 or more is whole.
    public static func isWholeNumber(_ value: Double) -> Bool {
        abs(value) < 0x1p53 ? Double(Int64(value)) == value : value.isFinite
    }
}

extension Array {
    /// Whether both arrays are the same buffer (one a copy of the other), found without
    /// reading an element.
    func sharesBuffer(with other: [Element]) -> Bool {
        withUnsafeBufferPointer { a in other.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress && a.count == b.count } }
    }
}
