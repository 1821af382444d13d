/// What an expression's values are: numbers (whole or not), true/false, or text.
public enum ExpressionType: String, Sendable {
    case integer, numeric, boolean, text

    /// Integers, numbers and booleans (as 0/1, as in R) take part in arithmetic.
    public var isNumber: Bool { self != .text }

    init(_ type: ColumnType) {
        switch type {
        case .integer: self = .integer
        case .numeric: self = .numeric
        case .boolean: self = .boolean
        case .categorical, .text: self = .text
        }
    }
}

public enum ArithmeticOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%", power = "^"

    /// Whole numbers stay whole under `+ - * %` (unless they overflow 2^53); `/` and `^` make numbers.
    var keepsIntegers: Bool { self != .divide && self != .power }
}

public enum ComparisonOperator: String, Sendable {
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="

    var isEquality: Bool { self == .equal || self == .notEqual }
}

/// Functions of numbers; `arity` arguments each.
public enum NumericFunction: String, Sendable, CaseIterable {
    case log, log2, log10, exp, sqrt, abs, floor, ceil, round, min, max

    /// The number of arguments; `round` takes 1 or 2 (digits, default 0).
    public var arity: ClosedRange<Int> {
        switch self {
        case .min, .max: return 2...2
        case .round: return 1...2
        default: return 1...1
        }
    }

    /// `abs`, `min` and `max` of whole numbers are whole; the others make numbers (as R).
    var keepsIntegers: Bool { self == .abs || self == .min || self == .max }
}

/// Why an expression's operand has the wrong type: operand number `operand` (0 for the first)
/// fails `requirement` ("> needs numbers"); `other` is the operand it was compared with, if any.
public struct ExpressionTypeError: Error, Sendable {
    public let operand: Int
    public let requirement: String
    public let other: Int?
}

/// An expression bound to a dataset's columns and type-checked: built only through the
/// throwing constructors below, so evaluation never meets a type error. Evaluated whole
/// columns at a time (ExpressionEvaluator).
public indirect enum ColumnExpression: Sendable {
    case column(String, ColumnType)
    case number(Double)
    case text(String)
    case boolean(Bool)
    case arithmetic(ArithmeticOperator, ColumnExpression, ColumnExpression)
    case negate(ColumnExpression)
    case comparison(ComparisonOperator, ColumnExpression, ColumnExpression)
    case and(ColumnExpression, ColumnExpression)
    case or(ColumnExpression, ColumnExpression)
    case not(ColumnExpression)
    case isMissing(ColumnExpression)
    case numberIn(ColumnExpression, [Double])
    case textIn(ColumnExpression, [String])
    case function(NumericFunction, [ColumnExpression])
    case choose(ColumnExpression, ColumnExpression, ColumnExpression)
    case letterCase(upper: Bool, ColumnExpression)
    /// `number(x)`: the number each text holds (`DecoratedNumber`).
    case readNumber(ColumnExpression)

    public var type: ExpressionType {
        switch self {
        case .column(_, let type): return ExpressionType(type)
        case .number(let value): return value == value.rounded() && Swift.abs(value) <= 0x1p53 ? .integer : .numeric
        case .text, .letterCase: return .text
        case .boolean, .comparison, .and, .or, .not, .isMissing, .numberIn, .textIn: return .boolean
        case .readNumber: return .numeric
        case .arithmetic(let op, let left, let right):
            return op.keepsIntegers && left.type.isWhole && right.type.isWhole ? .integer : .numeric
        case .negate(let operand): return operand.type.isWhole ? .integer : .numeric
        case .function(let function, let arguments):
            return function.keepsIntegers && arguments.allSatisfy(\.type.isWhole) ? .integer : .numeric
        case .choose(_, let yes, let no):
            if yes.type == no.type { return yes.type }
            if yes.type == .text { return .text }
            return yes.type.isWhole && no.type.isWhole ? .integer : .numeric
        }
    }

    /// The operand's type as a message names it: a column's own type (categorical, not text).
    public var typeName: String {
        if case .column(_, let type) = self { return type.rawValue }
        return type.rawValue
    }

    // MARK: - Type-checked construction

    public static func combining(_ op: ArithmeticOperator, _ left: Self, _ right: Self) throws(ExpressionTypeError) -> Self {
        try require([left, right], \.isNumber, "\(op.rawValue) needs numbers")
        return .arithmetic(op, left, right)
    }

    public static func negating(_ operand: Self) throws(ExpressionTypeError) -> Self {
        try require([operand], \.isNumber, "- needs a number")
        return .negate(operand)
    }

    /// `==` and `!=` compare numbers with numbers and text with text; `< <= > >=` compare
    /// numbers, or text as ISO 8601 dates and times (`ISODateTime`): a text literal must be one,
    /// and a column's value that is not one is missing in the comparison.
    public static func comparing(_ op: ComparisonOperator, _ left: Self, _ right: Self) throws(ExpressionTypeError) -> Self {
        guard left.type.isNumber == right.type.isNumber else {
            let requirement = op.isEquality ? "compares text with text and numbers with numbers" : "compares numbers with numbers, or dates with dates"
            throw ExpressionTypeError(operand: 1, requirement: "\(op.rawValue) \(requirement)", other: 0)
        }
        if !op.isEquality, let index = [left, right].firstIndex(where: { !$0.type.isNumber && !$0.mayBeDate }) {
            throw ExpressionTypeError(operand: index, requirement: "\(op.rawValue) compares numbers, or text that is a date written as ISO 8601 (\"2024-03-01\", \"2024-03-01 14:30\")",
                                      other: nil)
        }
        return .comparison(op, left, right)
    }

    /// Text that may be a date: a column (its values are checked row by row), or a literal that is one.
    private var mayBeDate: Bool {
        guard case .text(let text) = self else { return type == .text }
        return ISODateTime.sortKey(text) != nil
    }

    public static func logical(and isAnd: Bool, _ left: Self, _ right: Self) throws(ExpressionTypeError) -> Self {
        try require([left, right], { $0 == .boolean }, "\(isAnd ? "and" : "or") needs true/false values (a comparison, like x > 0)")
        return isAnd ? .and(left, right) : .or(left, right)
    }

    public static func negation(_ operand: Self) throws(ExpressionTypeError) -> Self {
        try require([operand], { $0 == .boolean }, "not needs true/false values (a comparison, like x > 0)")
        return .not(operand)
    }

    /// `operand in [numbers]`; booleans are numbers here (true is 1).
    public static func membership(_ operand: Self, numbers: [Double]) throws(ExpressionTypeError) -> Self {
        try require([operand], \.isNumber, "in [numbers] needs a number")
        return .numberIn(operand, numbers)
    }

    public static func membership(_ operand: Self, texts: [String]) throws(ExpressionTypeError) -> Self {
        try require([operand], { $0 == .text }, "in [\"…\"] needs text")
        return .textIn(operand, texts)
    }

    public static func call(_ function: NumericFunction, _ arguments: [Self]) throws(ExpressionTypeError) -> Self {
        try require(arguments, \.isNumber, "\(function.rawValue)() needs numbers")
        return .function(function, arguments)
    }

    /// `if(condition, yes, no)`: both branches numbers, or both text.
    public static func choice(_ condition: Self, _ yes: Self, _ no: Self) throws(ExpressionTypeError) -> Self {
        try require([condition], { $0 == .boolean }, "if() needs true/false values as its condition")
        guard yes.type.isNumber == no.type.isNumber else {
            throw ExpressionTypeError(operand: 2, requirement: "if() needs both branches numbers or both text", other: 1)
        }
        return .choose(condition, yes, no)
    }

    public static func changingCase(upper: Bool, _ operand: Self) throws(ExpressionTypeError) -> Self {
        try require([operand], { $0 == .text }, "\(upper ? "upper" : "lower")() needs text")
        return .letterCase(upper: upper, operand)
    }

    public static func readingNumber(_ operand: Self) throws(ExpressionTypeError) -> Self {
        try require([operand], { $0 == .text }, "number() reads numbers from text")
        return .readNumber(operand)
    }

    private static func require(_ operands: [Self], _ accepts: (ExpressionType) -> Bool, _ requirement: String) throws(ExpressionTypeError) {
        if let index = operands.firstIndex(where: { !accepts($0.type) }) {
            throw ExpressionTypeError(operand: index, requirement: requirement, other: nil)
        }
    }
}

extension ExpressionType {
    /// Integers and booleans (0/1) stay whole under `+ - * %`.
    var isWhole: Bool { self == .integer || self == .boolean }
}
