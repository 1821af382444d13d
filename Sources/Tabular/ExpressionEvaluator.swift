import Foundation

/// A column computed from an expression, and how many of its missing values came from
/// arithmetic with no finite result (division by zero, log of 0, overflow) rather than from
/// missing inputs.
public struct ExpressionResult: Sendable {
    public let column: Column
    public let undefinedCount: Int
    /// Rows whose text `number()` found no number in (missing in the result).
    public let noNumberCount: Int
}

/// The rows a condition keeps, and why the others went.
public struct FilterResult: Sendable {
    public let data: Dataset
    public let falseCount: Int
    public let missingCount: Int
}

extension ColumnExpression {
    /// The expression's value in every row of `data`, as a column called `name`. Missing
    /// values follow SQL and dplyr: arithmetic and comparisons with a missing value are
    /// missing; `false and missing` is false, `true or missing` is true. A result that is not
    /// a finite number (x/0, 0/0, log(0), sqrt(-1), overflow) is missing too, and counted.
    public func evaluate(on data: Dataset, name: String) -> ExpressionResult {
        var evaluator = ExpressionEvaluator(data: data)
        let values = evaluator.values(of: self)
        let column: Column
        switch values {
        case .numbers(let numbers):
            var type = ColumnType.numeric
            switch self.type {
            case .boolean: type = .boolean
            case .integer where numbers.allSatisfy { $0.isNaN || Swift.abs($0) <= 0x1p53 }: type = .integer
            default: break
            }
            column = .numeric(name, numbers, type: type)
        case .labels(let codes, let levels):
            // Levels in UTF-8 byte order, as `load` orders a categorical's: the first is R's
            // reference level (as R's factor() of ifelse()), and the column written and loaded
            // back has the same levels in the same order, so a model fits alike on both.
            let order = levels.indices.sorted { levels[$0].utf8.lexicographicallyPrecedes(levels[$1].utf8) }
            var position = [Int32](repeating: -1, count: levels.count)
            for (index, level) in order.enumerated() { position[level] = Int32(index) }
            var mask = MissingMask(count: codes.count)
            for (i, code) in codes.enumerated() where code < 0 { mask[i] = true }
            let sortedCodes = codes.map { $0 < 0 ? -1 : position[Int($0)] }
            column = Column(name: name, type: .categorical, storage: .categories(codes: sortedCodes, levels: order.map { levels[$0] }), missing: mask)
        }
        var undefined = 0
        if let flags = evaluator.undefined {
            for i in 0..<column.count where flags[i] && column.isMissing(i) { undefined += 1 }
        }
        return ExpressionResult(column: column, undefinedCount: undefined, noNumberCount: evaluator.noNumberCount)
    }
}

extension Dataset {
    /// The rows where `condition` (a boolean expression) is true, in order.
    public func filtered(by condition: ColumnExpression) -> FilterResult {
        var evaluator = ExpressionEvaluator(data: self)
        guard case .numbers(let truth) = evaluator.values(of: condition) else { preconditionFailure("a condition is boolean") }
        var rows: [Int] = []
        rows.reserveCapacity(truth.count)
        var missing = 0
        for (i, value) in truth.enumerated() {
            if value == 1 { rows.append(i) } else if value.isNaN { missing += 1 }
        }
        return FilterResult(data: selecting(rows: rows), falseCount: truth.count - rows.count - missing, missingCount: missing)
    }
}

/// Evaluates a ColumnExpression a whole column at a time. Numbers, booleans (0/1) and
/// missing values (NaN) share one `[Double]`, so arithmetic is one tight loop per operator;
/// text is level codes (-1 missing), so comparing with a string is one lookup per level.
struct ExpressionEvaluator {
    enum Values {
        case numbers([Double])
        case labels(codes: [Int32], levels: [String])
    }

    let data: Dataset
    /// Rows where some arithmetic had finite inputs but no finite result; nil until one does.
    private(set) var undefined: MissingMask?
    /// Rows of text in which `number()` found no number.
    private(set) var noNumberCount = 0

    init(data: Dataset) {
        self.data = data
    }

    private var rowCount: Int { data.rowCount }

    mutating func values(of expression: ColumnExpression) -> Values {
        switch expression {
        case .column(let name, _):
            guard let column = data.column(named: name) else { preconditionFailure("column '\(name)' was bound") }
            return values(of: column)
        case .number(let value):
            return .numbers([Double](repeating: value, count: rowCount))
        case .boolean(let value):
            return .numbers([Double](repeating: value ? 1 : 0, count: rowCount))
        case .text(let text):
            return .labels(codes: [Int32](repeating: 0, count: rowCount), levels: [text])
        case .arithmetic(let op, let left, let right):
            return .numbers(arithmetic(op, numbers(left), numbers(right)))
        case .negate(let operand):
            return .numbers(numbers(operand).map { -$0 })
        case .comparison(let op, let left, let right):
            return .numbers(comparison(op, values(of: left), values(of: right)))
        case .and(let left, let right):
            return .numbers(Self.zip(numbers(left), numbers(right)) { a, b in
                a == 0 || b == 0 ? 0 : (a.isNaN || b.isNaN ? .nan : 1)
            })
        case .or(let left, let right):
            return .numbers(Self.zip(numbers(left), numbers(right)) { a, b in
                a == 1 || b == 1 ? 1 : (a.isNaN || b.isNaN ? .nan : 0)
            })
        case .not(let operand):
            return .numbers(numbers(operand).map { 1 - $0 })
        case .isMissing(let operand):
            switch values(of: operand) {
            case .numbers(let numbers): return .numbers(numbers.map { $0.isNaN ? 1 : 0 })
            case .labels(let codes, _): return .numbers(codes.map { $0 < 0 ? 1 : 0 })
            }
        case .numberIn(let operand, let items):
            let set = Set(items)
            return .numbers(numbers(operand).map { $0.isNaN ? .nan : (set.contains($0) ? 1 : 0) })
        case .textIn(let operand, let items):
            let (codes, levels) = labels(operand)
            let set = Set(items)
            let member = levels.map { set.contains($0) ? 1.0 : 0.0 }
            return .numbers(codes.map { $0 < 0 ? .nan : member[Int($0)] })
        case .function(let function, let arguments):
            return .numbers(call(function, arguments.map { numbers($0) }))
        case .choose(let condition, let yes, let no):
            return choose(numbers(condition), values(of: yes), values(of: no))
        case .letterCase(let upper, let operand):
            let (codes, levels) = labels(operand)
            return Self.relabel(codes, levels.map { upper ? $0.uppercased() : $0.lowercased() })
        case .readNumber(let operand):
            // A level at a time: each text is read once.
            let (codes, levels) = labels(operand)
            let read = levels.map { DecoratedNumber.parse($0) ?? .nan }
            return .numbers(codes.map { code in
                guard code >= 0 else { return .nan }
                if read[Int(code)].isNaN { noNumberCount += 1 }
                return read[Int(code)]
            })
        }
    }

    private func values(of column: Column) -> Values {
        switch column.storage {
        case .numbers(var numbers):
            // The mask is the authority on missingness; a stored slot need not hold NaN.
            if column.missingCount > 0 { for i in numbers.indices where column.isMissing(i) { numbers[i] = .nan } }
            return .numbers(numbers)
        case .categories(let codes, let levels):
            return .labels(codes: codes, levels: levels)
        case .strings(let strings):
            return Self.relabel([Int32](0..<Int32(strings.count)), Array(strings), missing: column.missing)
        }
    }

    private mutating func numbers(_ expression: ColumnExpression) -> [Double] {
        guard case .numbers(let numbers) = values(of: expression) else { preconditionFailure("bound as numbers") }
        return numbers
    }

    private mutating func labels(_ expression: ColumnExpression) -> (codes: [Int32], levels: [String]) {
        guard case .labels(let codes, let levels) = values(of: expression) else { preconditionFailure("bound as text") }
        return (codes, levels)
    }

    // MARK: - Numbers

    private mutating func arithmetic(_ op: ArithmeticOperator, _ left: [Double], _ right: [Double]) -> [Double] {
        var result: [Double]
        switch op {
        case .add: result = Self.zip(left, right, +)
        case .subtract: result = Self.zip(left, right, -)
        case .multiply: result = Self.zip(left, right, *)
        case .divide: result = Self.zip(left, right, /)
        // Floored, as R's %% and Python's %: the result has the divisor's sign.
        case .remainder: result = Self.zip(left, right) { a, b in a - (a / b).rounded(.down) * b }
        case .power: result = Self.zip(left, right, Foundation.pow)
        }
        markUndefined(&result, inputs: [left, right])
        return result
    }

    private mutating func call(_ function: NumericFunction, _ arguments: [[Double]]) -> [Double] {
        let x = arguments[0]
        var result: [Double]
        switch function {
        case .log: result = x.map { Foundation.log($0) }
        case .log2: result = x.map { Foundation.log2($0) }
        case .log10: result = x.map { Foundation.log10($0) }
        case .exp: result = x.map { Foundation.exp($0) }
        case .sqrt: result = x.map { $0.squareRoot() }
        case .abs: result = x.map { Swift.abs($0) }
        case .floor: result = x.map { $0.rounded(.down) }
        case .ceil: result = x.map { $0.rounded(.up) }
        case .round where arguments.count == 1: result = x.map { $0.rounded(.toNearestOrEven) }
        // R rounds halves to even (round(2.5) is 2), at any number of digits.
        case .round: result = Self.zip(x, arguments[1]) { value, digits in
            let scale = Foundation.pow(10, digits.rounded())
            return (value * scale).rounded(.toNearestOrEven) / scale
        }
        case .min: result = Self.zip(x, arguments[1]) { a, b in a.isNaN || b.isNaN ? .nan : Swift.min(a, b) }
        case .max: result = Self.zip(x, arguments[1]) { a, b in a.isNaN || b.isNaN ? .nan : Swift.max(a, b) }
        }
        markUndefined(&result, inputs: arguments)
        return result
    }

    /// Makes every non-finite result missing, remembering the rows whose inputs were all present.
    private mutating func markUndefined(_ result: inout [Double], inputs: [[Double]]) {
        for i in result.indices where !result[i].isFinite {
            if inputs.allSatisfy({ !$0[i].isNaN }) {
                if undefined == nil { undefined = MissingMask(count: rowCount) }
                undefined![i] = true
            }
            result[i] = .nan
        }
    }

    @inline(__always)
    private static func zip(_ left: [Double], _ right: [Double], _ combine: (Double, Double) -> Double) -> [Double] {
        [Double](unsafeUninitializedCapacity: left.count) { buffer, count in
            left.withUnsafeBufferPointer { a in
                right.withUnsafeBufferPointer { b in
                    for i in 0..<a.count { buffer[i] = combine(a[i], b[i]) }
                }
            }
            count = left.count
        }
    }

    // MARK: - Comparisons and choices

    private func comparison(_ op: ComparisonOperator, _ left: Values, _ right: Values) -> [Double] {
        switch (left, right) {
        case (.numbers(let a), .numbers(let b)):
            let test: (Double, Double) -> Bool
            switch op {
            case .equal: test = (==)
            case .notEqual: test = (!=)
            case .less: test = (<)
            case .lessOrEqual: test = (<=)
            case .greater: test = (>)
            case .greaterOrEqual: test = (>=)
            }
            return Self.zip(a, b) { x, y in x.isNaN || y.isNaN ? .nan : (test(x, y) ? 1 : 0) }
        case (.labels(let codesA, let levelsA), .labels(let codesB, let levelsB)) where !op.isEquality:
            return dateComparison(op, codesA, levelsA, codesB, levelsB)
        case (.labels(let codesA, let levelsA), .labels(let codesB, let levelsB)):
            // Right-hand levels as left-hand codes (-2 where the left has no such level).
            let index = Dictionary(levelsA.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { first, _ in first })
            let mapped = levelsB.map { index[$0] ?? -2 }
            let equal: Double = op == .equal ? 1 : 0
            return (0..<codesA.count).map { i in
                let a = codesA[i], b = codesB[i]
                return a < 0 || b < 0 ? .nan : (a == mapped[Int(b)] ? equal : 1 - equal)
            }
        default:
            preconditionFailure("comparisons are bound between like kinds")
        }
    }

    /// Text ordered as ISO 8601 dates and times (`ISODateTime`): each level's rank among both
    /// sides' moments, so a row is one numeric test; a value that is not a date is missing.
    private func dateComparison(_ op: ComparisonOperator, _ codesA: [Int32], _ levelsA: [String],
                                _ codesB: [Int32], _ levelsB: [String]) -> [Double] {
        let keysA = levelsA.map(ISODateTime.sortKey), keysB = levelsB.map(ISODateTime.sortKey)
        let moments = Set((keysA + keysB).compactMap { $0 }).sorted()
        let rank = Dictionary(uniqueKeysWithValues: moments.enumerated().map { ($1, Double($0)) })
        let ranksA = keysA.map { $0.map { rank[$0]! } ?? .nan }, ranksB = keysB.map { $0.map { rank[$0]! } ?? .nan }
        let numbersA = codesA.map { $0 < 0 ? .nan : ranksA[Int($0)] }, numbersB = codesB.map { $0 < 0 ? .nan : ranksB[Int($0)] }
        return comparison(op, .numbers(numbersA), .numbers(numbersB))
    }

    private func choose(_ condition: [Double], _ yes: Values, _ no: Values) -> Values {
        switch (yes, no) {
        case (.numbers(let a), .numbers(let b)):
            return .numbers((0..<condition.count).map { i in condition[i].isNaN ? .nan : (condition[i] == 1 ? a[i] : b[i]) })
        case (.labels(let codesA, let levelsA), .labels(let codesB, let levelsB)):
            // One level list: the yes levels, then the no levels not among them.
            var levels = levelsA
            var index = Dictionary(levelsA.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { first, _ in first })
            let mapped = levelsB.map { level -> Int32 in
                if let code = index[level] { return code }
                levels.append(level)
                index[level] = Int32(levels.count - 1)
                return Int32(levels.count - 1)
            }
            let codes = (0..<condition.count).map { i -> Int32 in
                if condition[i].isNaN { return -1 }
                if condition[i] == 1 { return codesA[i] }
                return codesB[i] < 0 ? -1 : mapped[Int(codesB[i])]
            }
            return .labels(codes: codes, levels: levels)
        default:
            preconditionFailure("if() is bound with branches of one kind")
        }
    }

    /// Codes into `texts` as codes into its distinct texts, in first-seen order.
    private static func relabel(_ codes: [Int32], _ texts: [String], missing: MissingMask? = nil) -> Values {
        var levels: [String] = []
        var index: [String: Int32] = [:]
        let mapped = texts.map { text -> Int32 in
            if let code = index[text] { return code }
            levels.append(text)
            index[text] = Int32(levels.count - 1)
            return Int32(levels.count - 1)
        }
        var newCodes = codes.map { $0 < 0 ? -1 : mapped[Int($0)] }
        if let missing { for i in newCodes.indices where missing[i] { newCodes[i] = -1 } }
        return .labels(codes: newCodes, levels: levels)
    }
}
