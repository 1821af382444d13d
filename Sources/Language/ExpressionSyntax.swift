import Diagnostics

/// An expression over a dataset's columns (`age > 30 and city == "Oslo"`, `rooms / households`),
/// as written: every node keeps its location and text, so a type error can point at the
/// sub-expression at fault. What the names mean is decided when it is bound to a dataset.
public struct ExpressionSyntax: Sendable, Equatable {
    public indirect enum Kind: Sendable, Equatable {
        case number(Double)
        case string(String)
        case boolean(Bool)
        /// A column: a name, or any text in backquotes (`` `my col` ``).
        case name(String)
        case negate(ExpressionSyntax)
        case not(ExpressionSyntax)
        case binary(BinaryOperator, ExpressionSyntax, ExpressionSyntax)
        /// `x in [1, 2]`, `x not in ["a", "b"]`: the items are literals.
        case membership(ExpressionSyntax, [ExpressionSyntax], negated: Bool)
        /// `x is missing`, `x is not missing`.
        case missingTest(ExpressionSyntax, negated: Bool)
        case call(String, [ExpressionSyntax])
    }

    public let kind: Kind
    public let location: SourceLocation
    /// The expression as written (for messages).
    public let text: String

    public init(_ kind: Kind, at location: SourceLocation, text: String) {
        self.kind = kind
        self.location = location
        self.text = text
    }

    /// A plain value where an expression is expected: a name is a column (or `true`/`false`),
    /// a number or a string a literal. A list, a range or a model version is no expression.
    public init(_ value: LocatedValue) throws {
        switch value.value {
        case .expression(let expression): self = expression
        case .word("true"): self.init(.boolean(true), at: value.location, text: "true")
        case .word("false"): self.init(.boolean(false), at: value.location, text: "false")
        case .word(let name): self.init(.name(name), at: value.location, text: name)
        case .number(let number, let text): self.init(.number(number), at: value.location, text: text)
        case .string(let text): self.init(.string(text), at: value.location, text: value.value.display)
        case .list, .range, .versioned, .duration:
            throw ModelshError.usage("expected an expression, found \(value.value.kindName) '\(value.value.display)'", at: value.location)
        }
    }
}

/// The binary operators, loosest first: `or`, `and`, comparisons, `+ -`, `* / %`, `^`.
public enum BinaryOperator: String, Sendable, CaseIterable {
    case or, and
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%", power = "^"

    /// How tightly the operator binds; `not` sits between `and` (2) and comparisons (4),
    /// unary minus between `* / %` (6) and `^` (8).
    public var precedence: Int {
        switch self {
        case .or: return 1
        case .and: return 2
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: return 4
        case .add, .subtract: return 5
        case .multiply, .divide, .remainder: return 6
        case .power: return 8
        }
    }

    public var isComparison: Bool { precedence == 4 }
}
