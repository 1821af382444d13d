/// Where a piece of input came from: a file (or none, for interactive input), a 1-based line
/// and column, and how many characters the offending token spans (for the caret line).
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String?
    public var line: Int
    public var column: Int
    public var length: Int

    public init(file: String? = nil, line: Int = 1, column: Int = 1, length: Int = 1) {
        self.file = file
        self.line = line
        self.column = column
        self.length = max(1, length)
    }

    /// `FILE:LINE:COL` as compilers print it; `LINE:COL` when there is no file.
    public var description: String {
        if let file { return "\(file):\(line):\(column)" }
        return "\(line):\(column)"
    }
}
