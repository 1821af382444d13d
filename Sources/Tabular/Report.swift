import Diagnostics
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

    /// The widest a cell prints unless a table says otherwise, in terminal columns.
    public static let defaultMaximumCellWidth = 100
    /// The widest a cell of data values (`show`, `describe`, `columns`) prints.
    public static let dataCellWidth = 40

    public var headers: [String]
    public var alignments: [Alignment]
    public var rows: [[String]]
    /// A line printed under the table, e.g. "(10 of 150 rows)" or R's significance codes.
    public var footer: String?
    /// Cells (headers too) wider than this many terminal columns are cut to it, ending in `…`.
    public var maximumCellWidth: Int

    public init(headers: [String], alignments: [Alignment]? = nil, rows: [[String]] = [], footer: String? = nil,
                maximumCellWidth: Int = TextTable.defaultMaximumCellWidth) {
        self.headers = headers
        self.alignments = alignments ?? headers.map { _ in .left }
        self.rows = rows
        self.footer = footer
        self.maximumCellWidth = maximumCellWidth
    }

    public mutating func append(_ row: [String]) { rows.append(row) }

    /// The table as aligned plain text: header, a rule, rows; columns two spaces apart.
    ///
    /// Safe to print whatever the cells hold: control characters are shown escaped
    /// (`TerminalText.escaped`), each cell is cut to `maximumCellWidth` columns, and columns are
    /// aligned by display width, so wide (CJK, emoji) characters line up.
    public func rendered() -> String {
        let columnCount = headers.count
        let limit = maximumCellWidth
        let headerCells = headers.map { TerminalText.cell($0, maximumWidth: limit) }
        let rowCells = rows.map { row in row.prefix(columnCount).map { TerminalText.cell($0, maximumWidth: limit) } }
        var widths = headerCells.map(\.width)
        for row in rowCells {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.width) }
        }
        func line(_ cells: [(text: String, width: Int)]) -> String {
            var parts: [String] = []
            for i in 0..<columnCount {
                let cell = i < cells.count ? cells[i] : (text: "", width: 0)
                let pad = String(repeating: " ", count: widths[i] - cell.width)
                let alignment = i < alignments.count ? alignments[i] : .left
                parts.append(alignment == .right ? pad + cell.text : cell.text + pad)
            }
            var text = parts.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
        var rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        while rule.hasSuffix(" ") { rule.removeLast() }
        var out = [line(headerCells), rule]
        out += rowCells.map(line)
        if let footer {
            // A footer may span lines on purpose; what each line holds is escaped.
            out += footer.split(separator: "\n", omittingEmptySubsequences: false).map { TerminalText.escaped(String($0)) }
        }
        return out.joined(separator: "\n")
    }
}
