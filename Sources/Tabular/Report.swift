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
}
