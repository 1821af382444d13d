import Diagnostics

/// A value written in a command: a bare word, a number, a quoted string or a list.
public indirect enum Value: Sendable, Equatable {
    case word(String)
    /// `NAME@N` or `NAME@ALIAS`: a version of a model (the binder resolves it).
    case versioned(String, selector: String)
    case number(Double, text: String)
    /// A length of time written with its unit (`60s`), in seconds.
    case duration(seconds: Double, text: String)
    case string(String)
    case list([LocatedValue])
    /// `FIRST..LAST`, two numbers (`rerun 2..5`).
    case range(Double, Double, text: String)
    /// Anything with an operator, a call or parentheses (`age > 30`, `log(x)`); the command
    /// table says where an expression is allowed.
    case expression(ExpressionSyntax)

    /// How the value was written, for messages.
    public var display: String {
        switch self {
        case .word(let text): return text
        case .versioned(let name, let selector): return "\(name)@\(selector)"
        case .number(_, let text), .duration(_, let text): return text
        case .string(let text): return "\"\(text)\""
        case .list(let items): return items.map(\.value.display).joined(separator: ",")
        case .range(_, _, let text): return text
        case .expression(let expression): return expression.text
        }
    }

    /// The kind of value, for "expected a number, found a string" messages.
    public var kindName: String {
        switch self {
        case .word: return "a name"
        case .versioned: return "a model version"
        case .number: return "a number"
        case .duration: return "a duration"
        case .string: return "a quoted string"
        case .list: return "a list"
        case .range: return "a range"
        case .expression: return "an expression"
        }
    }
}

public struct LocatedValue: Sendable, Equatable {
    public let value: Value
    public let location: SourceLocation

    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

/// One argument after the verb: a positional value or a `key=value` option.
public enum Argument: Sendable, Equatable {
    case positional(LocatedValue)
    case option(key: String, keyLocation: SourceLocation, value: LocatedValue)

    public var location: SourceLocation {
        switch self {
        case .positional(let value): return value.location
        case .option(_, let keyLocation, _): return keyLocation
        }
    }
}

/// A parsed command: `VERB ARGUMENT… [as NAME[, NAME…]]`. What the arguments mean is decided
/// later, against the command table, so the parser stays the same when commands are added.
public struct CommandSyntax: Sendable, Equatable {
    public let verb: String
    public let verbLocation: SourceLocation
    public let arguments: [Argument]
    /// The names after `as`, in order.
    public let outputs: [LocatedValue]
    /// Where a name after `as` followed the one before without a comma (`as train test`), if one did.
    public let outputsWithoutCommas: SourceLocation?
    /// The statement's source text, for caret lines and the cell log.
    public let source: String

    public init(verb: String, verbLocation: SourceLocation, arguments: [Argument], outputs: [LocatedValue],
                outputsWithoutCommas: SourceLocation? = nil, source: String) {
        self.verb = verb
        self.verbLocation = verbLocation
        self.arguments = arguments
        self.outputs = outputs
        self.outputsWithoutCommas = outputsWithoutCommas
        self.source = source
    }
}
