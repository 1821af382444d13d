/// What a command prints, as structure rather than text, so the shell can render it as an
/// aligned table now and as CSV, JSON or Markdown later without each command knowing how.
public struct Report: Sendable, Equatable {
    public enum Block: Sendable, Equatable {
        case text(String)
        case table(TextTable)
    }

    public var blocks: [Block]

    public init(_ blocks: [Block] = []) { self.blocks = blocks }

    public static func text(_ line: String) -> Report { Report([.text(line)]) }
    public static func table(_ table: TextTable) -> Report { Report([.table(table)]) }

    public mutating func add(_ line: String) { blocks.append(.text(line)) }
    public mutating func add(_ table: TextTable) { blocks.append(.table(table)) }
    public mutating func add(_ other: Report) { blocks.append(contentsOf: other.blocks) }
}

/// A table of already formatted cells. Numbers are right-aligned, text left-aligned.
public struct TextTable: Sendable, Equatable {
    public enum Alignment: Sendable, Equatable { case left, right }

    public var headers: [String]
    public var alignments: [Alignment]
    public var rows: [[String]]
    /// A line printed under the table, e.g. "(10 of 150 rows)" or R's significance codes.
    public var footer: String?

    public init(headers: [String], alignments: [Alignment]? = nil, rows: [[String]] = [], footer: String? = nil) {
        self.headers = headers
        self.alignments = alignments ?? headers.map { _ in .left }
        self.rows = rows
        self.footer = footer
    }

    public mutating func append(_ row: [String]) { rows.append(row) }

    /// The table as aligned plain text: header, a rule, rows; columns two spaces apart.
    public func rendered() -> String {
        let columnCount = headers.count
        var widths = headers.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < columnCount { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for i in 0..<columnCount {
                let cell = i < cells.count ? cells[i] : ""
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                parts.append(alignments[i] == .right ? pad + cell : cell + pad)
            }
            var text = parts.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
        var rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        while rule.hasSuffix(" ") { rule.removeLast() }
        var out = [line(headers), rule]
        out += rows.map(line)
        if let footer { out.append(footer) }
        return out.joined(separator: "\n")
    }
}
