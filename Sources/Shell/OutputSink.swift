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
    /// How many columns a line may take before the output wraps it: a terminal's width, nil
    /// for output that does not wrap (a file, a pipe, a transcript). Wide tables fold to it.
    var width: Int? { get }
}

extension OutputSink {
    public var width: Int? { nil }
    public func progress(_ what: String, done: Int, of total: Int) {}
    public func progressEnded() {}
}

/// Collects output in order, errors included, as a transcript shows it.
public final class CapturingSink: OutputSink {
    public private(set) var lines: [String] = []

    public init() {}

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
