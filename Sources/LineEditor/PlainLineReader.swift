/// Reads lines from a pipe or file: no prompt is written and history is not kept.
public final class PlainLineReader: LineReading {
    public init() {}

    public func readLine(prompt: String) -> LineEvent {
        guard let line = Swift.readLine(strippingNewline: true) else { return .endOfInput }
        return .line(line)
    }

    public func addToHistory(_ entry: String) {}
}
