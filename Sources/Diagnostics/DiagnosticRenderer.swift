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
        // Messages quote names and values from files, which must not act on the terminal.
        var lines = ["\(head)error: \(TerminalText.escaped(error.message))"]
        if var location = error.location, let sourceLine, !sourceLine.isEmpty {
            let shown = window(of: printable(sourceLine), around: &location)
            lines.append("    " + shown)
            lines.append("    " + caretLine(for: location, in: shown))
        }
        return lines.joined(separator: "\n")
    }

    /// The source line with each character a terminal would act on (tabs aside, which the caret
    /// line copies) as one U+FFFD, so columns still line up with the caret.
    static func printable(_ line: String) -> String {
        String(line.map { c -> Character in
            c != "\t" && c.unicodeScalars.contains(where: TerminalText.actsOnTerminal) ? "\u{FFFD}" : c
        })
    }

    /// At most this many characters of the source line are shown.
    static let maximumShownWidth = 100

    /// The source line, or for a long one the part around the error with `…` where it was cut;
    /// `location.column` is moved to match.
    static func window(of line: String, around location: inout SourceLocation) -> String {
        let characters = Array(line)
        guard characters.count > maximumShownWidth else { return line }
        let half = maximumShownWidth / 2
        let start = max(0, min(location.column - 1 - half, characters.count - maximumShownWidth))
        let end = min(characters.count, start + maximumShownWidth)
        location.column -= start - (start > 0 ? 1 : 0)
        return (start > 0 ? "…" : "") + String(characters[start..<end]) + (end < characters.count ? "…" : "")
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
