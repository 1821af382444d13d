import Diagnostics

/// One lexical unit of the command language, with where it starts and how long it is.
public struct Token: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A name: a letter or `_`, then letters, digits, `_` or `.` (R-style `Sepal.Length`);
        /// a `-` right between a name character and a letter joins too (`learning-curve`).
        case word(String)
        /// A model version: `m@2` (a version number) or `m@production` (an alias), written
        /// without spaces so it reads as one name.
        case versioned(String, selector: String)
        /// A decimal number as written; `text` keeps the spelling for messages.
        case number(Double, text: String)
        /// A number with a unit of time right after it (`500ms`, `60s`, `2m`, `1h`), in seconds.
        case duration(seconds: Double, text: String)
        /// A quoted string, escapes already applied.
        case string(String)
        /// A name in backquotes (`` `my col` ``), for a column whose name is no identifier.
        case quotedName(String)
        /// Punctuation and operators: `= == != < <= > >= , [ ] ( ) + - * / % ^ ..`.
        case symbol(String)
        /// The end of a statement: a newline outside brackets, or `;`.
        case separator
        case end
    }

    public let kind: Kind
    public let location: SourceLocation
    /// Character offsets of the token in the lexed source, `start..<end`.
    public let range: Range<Int>

    public init(_ kind: Kind, at location: SourceLocation, range: Range<Int>) {
        self.kind = kind
        self.location = location
        self.range = range
    }

    /// The token as the user would recognise it in a message.
    public var display: String {
        switch kind {
        case .word(let text): return text
        case .versioned(let name, let selector): return "\(name)@\(selector)"
        case .number(_, let text), .duration(_, let text): return text
        case .string(let text): return "\"\(text)\""
        case .quotedName(let text): return "`\(text)`"
        case .symbol(let text): return text
        case .separator: return "end of statement"
        case .end: return "end of input"
        }
    }

    public func isSymbol(_ text: String) -> Bool { kind == .symbol(text) }
    public func isWord(_ text: String) -> Bool { kind == .word(text) }
}
