import Diagnostics

/// Turns source text into tokens. Knows nothing of commands: only the shape of words,
/// numbers, strings and symbols, comments (`#` to end of line) and continuation (`\` before
/// a newline). Input that stops inside a string or after a `\` is reported as incomplete, so
/// the REPL can ask for another line instead of failing.
public struct Lexer {
    public enum Outcome: Sendable, Equatable {
        case tokens([Token])
        /// More input is needed; `reason` says why (for the continuation prompt's benefit).
        case incomplete(reason: String)
    }

    private let characters: [Character]
    private let file: String?
    private var index = 0
    private var line: Int
    private var column = 1
    /// Open `[` and `(`: a newline inside brackets is layout, not the end of a statement.
    private var bracketDepth = 0

    public init(_ source: String, file: String? = nil, firstLine: Int = 1) {
        self.characters = Array(source)
        self.file = file
        self.line = firstLine
    }

    public static func tokenize(_ source: String, file: String? = nil, firstLine: Int = 1) throws -> Outcome {
        var lexer = Lexer(source, file: file, firstLine: firstLine)
        return try lexer.run()
    }

    private mutating func run() throws -> Outcome {
        var tokens: [Token] = []
        while let c = peek() {
            let start = location(length: 1)
            let startIndex = index
            func token(_ kind: Token.Kind, at location: SourceLocation) -> Token {
                Token(kind, at: location, range: startIndex..<index)
            }
            switch c {
            case " ", "\t", "\r":
                advance()
            // Swift reads CRLF as one Character, so it is a newline of its own here.
            case "\n" where bracketDepth > 0, "\r\n" where bracketDepth > 0:
                advance()
            case "\n", "\r\n", ";":
                advance()
                tokens.append(token(.separator, at: start))
            case "#":
                while let next = peek(), next != "\n", next != "\r\n" { advance() }
            case "\\":
                advance()
                guard let next = peek() else { return .incomplete(reason: "line ends with '\\'") }
                guard next == "\n" || next == "\r\n" else {
                    throw ModelshError.usage("'\\' continues a command only at the end of a line", at: start)
                }
                advance()
            case "\"", "'", "`":
                guard let location = try lexString(quote: c, start: start) else {
                    return .incomplete(reason: "unterminated string")
                }
                tokens.append(token(location.kind, at: location.location))
            case "." where peek(at: 1) == ".":
                // `..` between two numbers writes a range of cells (`rerun 2..5`).
                advance(); advance()
                tokens.append(token(.symbol(".."), at: SourceLocation(file: file, line: start.line, column: start.column, length: 2)))
            case _ where c.isNumber && c.isASCII, ".":
                if c == ".", !(peek(at: 1)?.isASCIIDigit ?? false) {
                    throw ModelshError.usage("unexpected character '.'", at: start)
                }
                let (kind, location) = try lexNumber(start: start)
                tokens.append(token(kind, at: location))
            case _ where Identifier.starts(c):
                let (kind, location) = try lexWord(start: start)
                tokens.append(token(kind, at: location))
            default:
                let (kind, location) = try lexSymbol(start: start)
                if kind == .symbol("[") || kind == .symbol("(") { bracketDepth += 1 }
                if kind == .symbol("]") || kind == .symbol(")") { bracketDepth = max(0, bracketDepth - 1) }
                tokens.append(token(kind, at: location))
            }
        }
        tokens.append(Token(.end, at: location(length: 1), range: index..<index))
        return .tokens(tokens)
    }

    // MARK: - Token kinds

    private typealias Lexeme = (kind: Token.Kind, location: SourceLocation)

    private mutating func lexWord(start: SourceLocation) throws -> Lexeme {
        var text = ""
        while let c = peek(), Identifier.continues(c) {
            text.append(c)
            advance()
            // `learning-curve`: a '-' between letters, without spaces, joins one word (command
            // names are written so). `x-1`, `x - y` and `alpha=-1` keep their '-' as a symbol.
            if peek() == "-", peek(at: 1)?.isLetter ?? false {
                text.append("-")
                advance()
            }
            // `wt:hp`: a ':' between names, without spaces, joins one word, an interaction of
            // columns as R's formulas write it (features= reads it).
            if peek() == ":", let next = peek(at: 1), Identifier.starts(next) {
                text.append(":")
                advance()
            }
        }
        guard peek() == "@" else { return (.word(text), spanning(start, text.count)) }
        // `m@2` or `m@production`: a version number or an alias, right after the '@'.
        advance()
        var selector = ""
        while let c = peek(), Identifier.continues(c) {
            selector.append(c)
            advance()
        }
        let length = text.count + 1 + selector.count
        guard let first = selector.first else {
            throw ModelshError.usage("expected a version number or an alias after '\(text)@' (m@2, m@production)", at: spanning(start, length))
        }
        guard first.isASCIIDigit ? selector.allSatisfy(\.isASCIIDigit) : Identifier.starts(first) else {
            throw ModelshError.usage("'\(text)@\(selector)': a version is a number (m@2) or an alias name (m@production)",
                                     at: spanning(start, length))
        }
        return (.versioned(text, selector: selector), spanning(start, length))
    }

    private static let sizeUnits: Set<String> = ["KB", "KIB", "MB", "MIB", "GB", "GIB", "TB", "TIB"]

    private mutating func lexNumber(start: SourceLocation) throws -> Lexeme {
        var text = ""
        func digits() { while let c = peek(), c.isASCIIDigit { text.append(c); advance() } }
        digits()
        // `2..5` is a range, not the number `2.` followed by `.5`.
        if peek() == ".", peek(at: 1) != "." { text.append("."); advance(); digits() }
        if let e = peek(), e == "e" || e == "E",
           let next = peek(at: 1), next.isASCIIDigit || ((next == "+" || next == "-") && (peek(at: 2)?.isASCIIDigit ?? false)) {
            text.append(e); advance()
            if let sign = peek(), sign == "+" || sign == "-" { text.append(sign); advance() }
            digits()
        }
        let number = text
        if let c = peek(), Identifier.starts(c) {
            // Digits run into letters: a duration (`60s`), a size (`4GB`, for `set memory`, a
            // word), else most likely a name that starts with a digit.
            while let c = peek(), Identifier.continues(c) { text.append(c); advance() }
            let unit = String(text.dropFirst(number.count))
            if let value = Double(number), let seconds = Self.secondsPerUnit[unit] {
                return (.duration(seconds: value * seconds, text: text), spanning(start, text.count))
            }
            if Self.sizeUnits.contains(unit.uppercased()) { return (.word(text), spanning(start, text.count)) }
            let reason = unit.allSatisfy(\.isLetter) ? "'\(unit)' is not a unit of time (\(Self.timeUnits))" : "it is not a number"
            throw ModelshError.usage("'\(text)' is neither a number, a duration nor a name: \(reason); names start with a letter or '_'",
                                     at: spanning(start, text.count))
        }
        guard let value = Double(text) else {
            throw ModelshError.usage("malformed number '\(text)'", at: spanning(start, text.count))
        }
        return (.number(value, text: text), spanning(start, text.count))
    }

    /// The units a duration may be written in.
    private static let secondsPerUnit: [String: Double] = ["ms": 0.001, "s": 1, "m": 60, "h": 3600]
    private static let timeUnits = "500ms, 60s, 2m, 1h"

    /// Returns nil when the input ends before the closing quote.
    private mutating func lexString(quote: Character, start: SourceLocation) throws -> Lexeme? {
        advance()
        var text = ""
        var width = 1
        while let c = peek() {
            advance()
            width += 1
            if c == quote {
                return (quote == "`" ? .quotedName(text) : .string(text), spanning(start, start.line == line ? width : 1))
            }
            if c == "\\" {
                guard let escaped = peek() else { return nil }
                advance()
                width += 1
                switch escaped {
                case "n": text.append("\n")
                case "t": text.append("\t")
                case "\\", "\"", "'": text.append(escaped)
                default:
                    throw ModelshError.usage("unknown escape '\\\(escaped)' in string", at: location(length: 2, back: 2))
                }
            } else {
                text.append(c)
            }
        }
        return nil
    }

    private static let twoCharacterSymbols: Set<String> = ["==", "!=", "<=", ">="]
    private static let oneCharacterSymbols: Set<Character> = ["=", "<", ">", ",", "[", "]", "(", ")", "+", "-", "*", "/", "%", "^"]

    private mutating func lexSymbol(start: SourceLocation) throws -> Lexeme {
        let c = peek()!
        if let next = peek(at: 1), Self.twoCharacterSymbols.contains(String([c, next])) {
            advance(); advance()
            return (.symbol(String([c, next])), spanning(start, 2))
        }
        guard Self.oneCharacterSymbols.contains(c) else {
            throw ModelshError.usage("unexpected character '\(c)'", at: start)
        }
        advance()
        return (.symbol(String(c)), start)
    }

    // MARK: - Position

    private func peek(at offset: Int = 0) -> Character? {
        index + offset < characters.count ? characters[index + offset] : nil
    }

    private mutating func advance() {
        if characters[index] == "\n" || characters[index] == "\r\n" { line += 1; column = 1 } else { column += 1 }
        index += 1
    }

    private func location(length: Int, back: Int = 0) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column - back, length: length)
    }

    private func spanning(_ start: SourceLocation, _ length: Int) -> SourceLocation {
        SourceLocation(file: start.file, line: start.line, column: start.column, length: length)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
