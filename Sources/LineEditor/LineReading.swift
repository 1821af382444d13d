@preconcurrency import Glibc

/// What one prompt produced.
public enum LineEvent: Sendable, Equatable {
    /// A line the user entered, without its newline (a recalled multi-line entry keeps its inner newlines).
    case line(String)
    /// Ctrl-C: the line being edited was discarded.
    case interrupted
    /// Ctrl-D on an empty line, or the end of piped input.
    case endOfInput
}

/// Reads the statements of an interactive session, one prompt at a time.
public protocol LineReading: AnyObject {
    func readLine(prompt: String) -> LineEvent
    /// Records a whole statement (all its continuation lines) as one history entry.
    func addToHistory(_ entry: String)
}

/// Candidates for the word before the cursor, from the program's completer.
public struct CompletionResult: Sendable, Equatable {
    /// How many characters before the cursor each candidate replaces.
    public var replacing: Int
    /// Full replacements for those characters. A candidate that should close a quote includes the
    /// closing quote; a unique candidate gets a space after it unless it ends in `/` or `=`.
    public var candidates: [String]

    public init(replacing: Int, candidates: [String]) {
        self.replacing = replacing
        self.candidates = candidates
    }

    public static let none = CompletionResult(replacing: 0, candidates: [])
}

public enum StandardInput {
    /// Whether standard input is a terminal, i.e. whether to edit lines rather than read them plainly.
    public static var isTerminal: Bool { isatty(STDIN_FILENO) == 1 }
}
