import Diagnostics

/// Parses statements of the command language from text. A statement is `VERB ARGUMENT…
/// [as NAME[, NAME…]]`; statements end at a newline (outside brackets) or `;`. Input that
/// stops in the middle of a statement (open quote, open bracket, trailing `\` or `,`) is
/// reported as incomplete rather than as an error, so the REPL can read a continuation line.
public struct Parser {
    public enum Outcome: Sendable, Equatable {
        case statements([CommandSyntax])
        case incomplete(reason: String)
    }

    let tokens: [Token]
    let source: [Character]
    var position = 0

    private init(tokens: [Token], source: String) {
        self.tokens = tokens
        self.source = Array(source)
    }

    /// Parses every statement in `source`. Throws the first syntax error, with its location.
    public static func parse(_ source: String, file: String? = nil, firstLine: Int = 1) throws -> Outcome {
        switch try Lexer.tokenize(source, file: file, firstLine: firstLine) {
        case .incomplete(let reason):
            return .incomplete(reason: reason)
        case .tokens(let tokens):
            var parser = Parser(tokens: tokens, source: source)
            return try parser.parseStatements()
        }
    }

    /// Whether `source` needs more lines before it can be parsed (syntax errors count as
    /// complete: the user should see them now, not after typing more).
    public static func needsMoreInput(_ source: String) -> Bool {
        if case .incomplete? = try? parse(source) { return true }
        return false
    }

    // MARK: - Statements

    private mutating func parseStatements() throws -> Outcome {
        var statements: [CommandSyntax] = []
        while true {
            while current.kind == .separator { position += 1 }
            if current.kind == .end { return .statements(statements) }
            guard let statement = try parseStatement() else {
                return .incomplete(reason: "open bracket")
            }
            statements.append(statement)
        }
    }

    /// Returns nil when the input ends inside the statement.
    private mutating func parseStatement() throws -> CommandSyntax? {
        let verbToken = current
        guard case .word(let verb) = verbToken.kind else {
            throw ModelshError.usage("expected a command name, found '\(verbToken.display)'", at: verbToken.location)
        }
        position += 1
        var arguments: [Argument] = []
        var outputs: [LocatedValue] = []
        var outputsWithoutCommas: SourceLocation?
        while !isAtStatementEnd {
            if current.isWord("as") {
                let asToken = current
                position += 1
                guard !isAtStatementEnd else {
                    throw ModelshError.usage("expected a name after 'as'", at: asToken.location)
                }
                guard let names = try parseValueOrList() else { return nil }
                outputs = try outputNames(names, after: asToken)
                // `split d as train test`: more names without their commas, kept for the binder,
                // which knows whether the command makes that many.
                while case .word(let name) = current.kind, !next.isSymbol("=") {
                    outputsWithoutCommas = outputsWithoutCommas ?? current.location
                    outputs.append(LocatedValue(.word(name), at: current.location))
                    position += 1
                }
                guard isAtStatementEnd else {
                    // `predict m on t as p probabilities=yes`: an option written last, as in pandas' keyword arguments.
                    if case .word(let key) = current.kind, next.isSymbol("=") {
                        throw ModelshError.usage("option \(key)= after the names following 'as': options go before 'as'", at: current.location)
                    }
                    throw ModelshError.usage("unexpected '\(current.display)' after the names following 'as'", at: current.location)
                }
                break
            }
            if case .word(let key) = current.kind, next.isSymbol("=") {
                let keyLocation = current.location
                position += 2
                guard !isAtStatementEnd else {
                    throw ModelshError.usage("missing value after '\(key)='", at: keyLocation)
                }
                guard let value = try parseValueOrList() else { return nil }
                arguments.append(.option(key: key, keyLocation: keyLocation, value: value))
            } else {
                guard let value = try parseValueOrList() else { return nil }
                arguments.append(.positional(value))
            }
        }
        let lastToken = tokens[max(position - 1, 0)]
        let text = String(source[verbToken.range.lowerBound..<lastToken.range.upperBound])
        return CommandSyntax(verb: verb, verbLocation: verbToken.location, arguments: arguments,
                             outputs: outputs, outputsWithoutCommas: outputsWithoutCommas, source: text)
    }

    private func outputNames(_ names: LocatedValue, after asToken: Token) throws -> [LocatedValue] {
        let items: [LocatedValue]
        if case .list(let list) = names.value { items = list } else { items = [names] }
        for item in items {
            if case .versioned(let name, _) = item.value {
                throw ModelshError.usage("'as' takes a name, not a version: 'as \(name)' adds the next version of \(name)", at: item.location)
            }
            guard case .word = item.value else {
                throw ModelshError.usage("expected a name after 'as', found \(item.value.kindName)", at: item.location)
            }
        }
        return items
    }

    // MARK: - Values

    /// A value, or several separated by commas (`a, b, c` is a list, as is `[a, b, c]`).
    private mutating func parseValueOrList() throws -> LocatedValue? {
        guard let first = try parseValue() else { return nil }
        guard current.isSymbol(",") else { return first }
        var items = [first]
        while current.isSymbol(",") {
            position += 1
            // `derive d a = x, b = y`: options (and derivations) follow one another with spaces.
            if case .word(let key) = current.kind, next.isSymbol("=") {
                throw ModelshError.usage("options are separated by spaces, not commas: drop the comma before '\(key)='",
                                         at: current.location)
            }
            guard let item = try parseValue() else { return nil }
            items.append(item)
        }
        return LocatedValue(.list(items), at: first.location)
    }

    /// A plain value, or an expression when the value starts or continues like one
    /// (`(`, `not`, `log(`, or an operator after the first value).
    mutating func parseValue() throws -> LocatedValue? {
        let start = position
        if !startsExpression {
            guard let plain = try parsePlainValue() else { return nil }
            guard continuesExpression else { return plain }
            position = start
        }
        return try parseExpressionValue()
    }

    private mutating func parsePlainValue() throws -> LocatedValue? {
        let token = current
        switch token.kind {
        case .word(let text):
            position += 1
            return LocatedValue(.word(text), at: token.location)
        case .versioned(let name, let selector):
            position += 1
            return LocatedValue(.versioned(name, selector: selector), at: token.location)
        case .number(let value, let text):
            position += 1
            guard current.isSymbol("..") else { return LocatedValue(.number(value, text: text), at: token.location) }
            guard case .number(let last, let lastText) = next.kind else {
                throw ModelshError.usage("expected a number after '..'", at: next.location)
            }
            position += 2
            var location = token.location
            location.length = text.count + 2 + lastText.count
            return LocatedValue(.range(value, last, text: "\(text)..\(lastText)"), at: location)
        case .duration(let seconds, let text):
            position += 1
            return LocatedValue(.duration(seconds: seconds, text: text), at: token.location)
        case .string(let text):
            position += 1
            return LocatedValue(.string(text), at: token.location)
        case .symbol("-"):
            guard case .number(let value, let text) = next.kind else {
                throw ModelshError.usage("expected a number after '-'", at: next.location)
            }
            position += 2
            var location = token.location
            location.length = text.count + 1
            return LocatedValue(.number(-value, text: "-" + text), at: location)
        case .symbol("["):
            return try parseBracketList()
        case .end, .separator:
            // Only an open quote, `[` or a trailing `\` continues a statement on the next line;
            // a line that stops after `as` or `,` is an error now, not a silent continuation.
            throw ModelshError.usage("expected a value, found end of line", at: token.location)
        case .symbol("/"):
            throw ModelshError.usage("unexpected '/' (file paths are quoted: \"data/file.csv\")", at: token.location)
        default:
            throw ModelshError.usage("unexpected '\(token.display)'", at: token.location)
        }
    }

    private mutating func parseBracketList() throws -> LocatedValue? {
        let open = current
        position += 1
        var items: [LocatedValue] = []
        while true {
            if current.kind == .end { return nil }
            if current.isSymbol("]") { position += 1; break }
            // Refused before descending, so no input can nest the parser deeply.
            if current.isSymbol("[") { throw ModelshError.usage("lists cannot be nested", at: current.location) }
            guard let item = try parseValue() else { return nil }
            items.append(item)
            if current.isSymbol(",") { position += 1; continue }
            if current.isSymbol("]") { position += 1; break }
            if current.kind == .end { return nil }
            throw ModelshError.usage("expected ',' or ']' in list, found '\(current.display)'", at: current.location)
        }
        return LocatedValue(.list(items), at: open.location)
    }

    // MARK: - Cursor

    var current: Token { tokens[position] }
    var next: Token { tokens[min(position + 1, tokens.count - 1)] }
    private var isAtStatementEnd: Bool { current.kind == .separator || current.kind == .end }
}
