import Diagnostics
import Foundation
import Language

/// A session script (`*.msh`): statements, each followed by its recorded output as `#>` lines,
/// with comments and blank lines kept so `record` can rewrite the file around them.
public struct Script: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        /// Comment and blank lines before the statement, written back verbatim.
        public var leading: [String]
        /// The statement, possibly spanning continuation lines.
        public var source: String
        /// The 1-based line where the statement starts.
        public var line: Int
        /// The recorded output, without the `#> ` prefix.
        public var expected: [String]
    }

    public var entries: [Entry]
    /// Comment and blank lines after the last statement.
    public var trailing: [String]

    static let outputPrefix = "#>"

    /// Reads a script file; a missing or unreadable file is a `noInput` error naming it.
    public static func read(path: String) throws -> Script {
        try ReadableFile.size(of: path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ModelshError.cannotOpen(path, reason: "it could not be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ModelshError.data("'\(path)' is not UTF-8 text")
        }
        return parse(text)
    }

    /// Splits text into entries. A statement continues over lines while it is incomplete
    /// (open quote or bracket, trailing `\`), exactly as the interactive prompt does.
    public static func parse(_ text: String) -> Script {
        // Swift reads CRLF as one Character, so splitting on "\n" alone would not split it.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map(String.init)
        if lines.last == "" { lines.removeLast() }

        var entries: [Entry] = []
        var pending: [String] = []
        var statement: (lines: [String], start: Int)?
        for (index, line) in lines.enumerated() {
            if let open = statement, line.hasPrefix(outputPrefix) {
                // Recorded output ends a statement left open (a string never closed): its lines
                // are the output's, not more of the statement.
                entries.append(Entry(leading: pending, source: open.lines.joined(separator: "\n"), line: open.start, expected: []))
                pending = []
                statement = nil
            }
            if var open = statement {
                open.lines.append(line)
                statement = open
                if !Parser.needsMoreInput(open.lines.joined(separator: "\n")) {
                    entries.append(Entry(leading: pending, source: open.lines.joined(separator: "\n"), line: open.start, expected: []))
                    pending = []
                    statement = nil
                }
                continue
            }
            if line.hasPrefix(outputPrefix) {
                let recorded = line.dropFirst(outputPrefix.count)
                let text = recorded.hasPrefix(" ") ? String(recorded.dropFirst()) : String(recorded)
                if !entries.isEmpty, pending.isEmpty { entries[entries.count - 1].expected.append(text) }
                continue
            }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") {
                pending.append(line)
                continue
            }
            if Parser.needsMoreInput(line) {
                statement = ([line], index + 1)
            } else {
                entries.append(Entry(leading: pending, source: line, line: index + 1, expected: []))
                pending = []
            }
        }
        if let open = statement {
            // Left for the parser to report as incomplete, at the line it starts on.
            entries.append(Entry(leading: pending, source: open.lines.joined(separator: "\n"), line: open.start, expected: []))
            pending = []
        }
        return Script(entries: entries, trailing: pending)
    }

    /// The script as text with each entry's output replaced by `outputs[i]` (nil: none).
    public func rendered(outputs: [[String]?]) -> String {
        var lines: [String] = []
        for (index, entry) in entries.enumerated() {
            lines += entry.leading
            lines.append(entry.source)
            for line in outputs[index] ?? [] {
                // Without trailing white space, which editors strip (check ignores it too).
                let text = String(line.reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
                lines.append(text.isEmpty ? Script.outputPrefix : "\(Script.outputPrefix) \(text)")
            }
        }
        lines += trailing
        return lines.joined(separator: "\n") + "\n"
    }
}
