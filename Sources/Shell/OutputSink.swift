/// Where the shell's output goes. The shell never prints directly, so tests, `record` and
/// `check` capture exactly what a user would see.
public protocol OutputSink: AnyObject {
    /// Normal output (a command's report), one or more lines, without a trailing newline.
    func output(_ text: String)
    /// A rendered error or warning, one or more lines, without a trailing newline.
    func error(_ text: String)
    /// How far a long task has got (`done` of `total` units), possibly from another thread. A
    /// terminal shows it on stderr and clears it at `progressEnded`; every other sink ignores
    /// it, so progress never reaches a transcript.
    func progress(_ what: String, done: Int, of total: Int)
    func progressEnded()
    /// The terminal that normal output goes to; nil when it goes elsewhere (a file, a pipe, a
    /// transcript), which makes plots plain ASCII at a fixed width and tables unfolded, the same
    /// on every machine.
    var terminal: TerminalDisplay? { get }
}

extension OutputSink {
    /// How many columns a line may take before the output wraps it: a terminal's width, nil
    /// for output that does not wrap (a file, a pipe, a transcript). Wide tables fold to it.
    public var width: Int? { terminal?.width }
    public func progress(_ what: String, done: Int, of total: Int) {}
    public func progressEnded() {}
    public var terminal: TerminalDisplay? { nil }
}

/// What plots need to know about the terminal they are drawn on.
public struct TerminalDisplay: Sendable, Equatable {
    /// Columns.
    public var width: Int
    /// Whether ANSI colour may be used (a terminal, not `TERM=dumb`, NO_COLOR unset).
    public var colour: Bool

    public init(width: Int, colour: Bool) {
        self.width = width
        self.colour = colour
    }

    /// The width plots take when output is not a terminal.
    public static let defaultWidth = 80
}

/// Collects output in order, errors included, as a transcript shows it.
public final class CapturingSink: OutputSink {
    public private(set) var lines: [String] = []
    /// A terminal to pretend to be, for tests of what a terminal shows.
    public let terminal: TerminalDisplay?

    public init(terminal: TerminalDisplay? = nil) {
        self.terminal = terminal
    }

    public func output(_ text: String) { append(text) }
    public func error(_ text: String) { append(text) }

    public func take() -> [String] {
        defer { lines = [] }
        return lines
    }

    private func append(_ text: String) {
        lines += text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}
