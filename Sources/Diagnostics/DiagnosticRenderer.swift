/// Renders an error in the one format used everywhere:
///
///     tour.msh:3:12: error: unknown column 'bmi' in dataset 'diabetes'; did you mean 'BMI'?
///         fit linear diabetes target=bmi as m
///                                    ^~~
///
/// Interactive input has no file; then only `error: message` and the caret lines are printed.
public enum DiagnosticRenderer {
    public static func render(_ error: ModelshError, sourceLine: String?) -> String {
        var head = ""
        if let location = error.location, location.file != nil {
            head = "\(location): "
        }
        var lines = ["\(head)error: \(error.message)"]
        if let location = error.location, let sourceLine, !sourceLine.isEmpty {
            lines.append("    " + sourceLine)
            lines.append("    " + caretLine(for: location, in: sourceLine))
        }
        return lines.joined(separator: "\n")
    }

    /// Spaces up to the column (tabs kept, so the caret lines up), then `^` and `~` over the token.
    static func caretLine(for location: SourceLocation, in sourceLine: String) -> String {
        let characters = Array(sourceLine)
        let start = max(0, min(location.column - 1, characters.count))
        let padding = characters[..<start].map { $0 == "\t" ? "\t" : " " }.joined()
        let span = max(1, min(location.length, max(1, characters.count - start)))
        return padding + "^" + String(repeating: "~", count: span - 1)
    }
}
