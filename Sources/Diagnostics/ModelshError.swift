/// The one user-facing error type. Every layer throws it; the shell attaches the location of
/// the command token responsible when the thrower did not know it, and renders it in one format.
public struct ModelshError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What went wrong, as far as a caller deciding an exit status cares (sysexits.h values).
    public enum Category: Int32, Sendable {
        case usage = 64      // EX_USAGE: the command was written wrongly
        case data = 65       // EX_DATAERR: the input data was wrong
        case noInput = 66    // EX_NOINPUT: a file to read does not exist or cannot be opened
        case software = 70   // EX_SOFTWARE: an internal error
        case io = 74         // EX_IOERR: reading or writing failed
        case interrupted = 130  // stopped by Ctrl-C (128 + SIGINT, as shells report it)

        public var exitCode: Int32 { rawValue }
    }

    public var category: Category
    public var message: String
    public var location: SourceLocation?
    /// The command argument at fault, by name (an option key such as "stratify" or "intercept"),
    /// when the thrower knows it but not where it was written: the shell then points the caret
    /// at that argument instead of at the command.
    public var argument: String?

    public init(_ category: Category, _ message: String, at location: SourceLocation? = nil, argument: String? = nil) {
        self.category = category
        self.message = message
        self.location = location
        self.argument = argument
    }

    public static func usage(_ message: String, at location: SourceLocation? = nil, argument: String? = nil) -> ModelshError {
        ModelshError(.usage, message, at: location, argument: argument)
    }

    public static func data(_ message: String, at location: SourceLocation? = nil, argument: String? = nil) -> ModelshError {
        ModelshError(.data, message, at: location, argument: argument)
    }

    public static func noInput(_ message: String, at location: SourceLocation? = nil) -> ModelshError {
        ModelshError(.noInput, message, at: location)
    }

    public static func io(_ message: String, at location: SourceLocation? = nil) -> ModelshError {
        ModelshError(.io, message, at: location)
    }

    /// The same error pointing at `location`, unless it already points somewhere.
    public func located(at location: SourceLocation?) -> ModelshError {
        guard self.location == nil, let location else { return self }
        var copy = self
        copy.location = location
        return copy
    }

    public var description: String { message }
}

extension ModelshError {
    /// The same error with every row it names renumbered by `row`, which maps a 0-based row of
    /// the data the thrower was given to a 0-based row of the data the user named. Errors about
    /// a row of data say "in row N" (1-based) by convention, so an error from a subset of rows
    /// (a cross-validation fold) can point at the user's row without each thrower knowing where
    /// its rows came from. A number `row` does not map is left as it was.
    public func renumberingRows(_ row: (Int) -> Int?) -> ModelshError {
        let marker = "in row "
        var text = Substring(message), renumbered = ""
        while let found = text.firstRange(of: marker) {
            renumbered += text[..<found.upperBound]
            text = text[found.upperBound...]
            let digits = text.prefix(while: \.isASCII).prefix(while: \.isNumber)
            if let number = Int(digits), number >= 1, let mapped = row(number - 1) {
                renumbered += String(mapped + 1)
                text = text.dropFirst(digits.count)
            }
        }
        var copy = self
        copy.message = renumbered + text
        return copy
    }
}
