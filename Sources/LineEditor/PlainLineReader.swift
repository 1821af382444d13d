import Diagnostics

/// Reads lines from a pipe or file: no prompt is written and history is not kept.
public final class PlainLineReader: LineReading {
    public init() {}

    /// A line; or, when reading stopped at Ctrl-C (the read interrupted, where the handler is
    /// installed), `.interrupted`, the request left for the caller to see.
    public func readLine(prompt: String) -> LineEvent {
        guard let line = Swift.readLine(strippingNewline: true) else { return Interruption.isRequested ? .interrupted : .endOfInput }
        return .line(line)
    }

    public func addToHistory(_ entry: String) {}
}
