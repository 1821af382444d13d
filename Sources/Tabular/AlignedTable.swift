import Diagnostics

/// The `table` output mode: aligned plain text, folded to fit a width.
extension TextTable {
    /// At most this many blocks when a wide table is folded; the columns that would need more
    /// are left out with a note, since a screenful of blocks reads worse than `set format csv`.
    public static let maximumFoldedBlocks = 4
    /// Folding never cuts a cell narrower than this many columns.
    static let narrowestFoldedCell = 8

    /// The table as aligned plain text: header, a rule, rows; columns two spaces apart.
    ///
    /// Safe to print whatever the cells hold: control characters are shown escaped
    /// (`TerminalText.escaped`), each cell is cut to `maximumCellWidth` columns, and columns are
    /// aligned by display width, so wide (CJK, emoji) characters line up.
    ///
    /// When the table is wider than `width` (a terminal's columns; nil is unlimited), it is
    /// folded: the columns are split into blocks that fit, one under the other, each repeating
    /// the first (key) column. A column too wide to fit beside the key even alone has its cells
    /// cut; beyond `maximumFoldedBlocks` blocks the remaining columns are counted in a note.
    public func rendered(width: Int? = nil) -> String {
        var grid = CellGrid(self, limits: headers.map { _ in maximumCellWidth })
        var blocks = [Array(headers.indices)]
        var note: String?
        if let width, headers.count > 0, grid.lineWidth(of: blocks[0]) > width {
            grid = CellGrid(self, limits: foldedLimits(width: width))
            blocks = grid.blocks(fitting: width)
            if blocks.count > Self.maximumFoldedBlocks {
                let hidden = blocks[Self.maximumFoldedBlocks...].reduce(0) { $0 + $1.count - 1 }
                blocks = Array(blocks.prefix(Self.maximumFoldedBlocks))
                note = "… \(hidden) more column\(hidden == 1 ? "" : "s") (set format csv to see all)"
            }
        }
        var out: [String] = []
        for (index, block) in blocks.enumerated() {
            if index > 0 { out.append("") }
            out += grid.lines(of: block)
        }
        if let note { out.append(note) }
        if let footer {
            // A footer may span lines on purpose; what each line holds is escaped.
            out += footer.split(separator: "\n", omittingEmptySubsequences: false).map { TerminalText.escaped(String($0)) }
        }
        return out.joined(separator: "\n")
    }

    /// Cell widths for folding to `width`: the key column takes at most a third, every other
    /// column at most what is left beside the key, so each block fits.
    private func foldedLimits(width: Int) -> [Int] {
        guard headers.count > 1 else { return [min(maximumCellWidth, max(Self.narrowestFoldedCell, width))] }
        let key = min(maximumCellWidth, max(Self.narrowestFoldedCell, width / 3))
        let keyUsed = min(key, CellGrid(self, limits: [key]).widths[0])
        let other = min(maximumCellWidth, max(Self.narrowestFoldedCell, width - keyUsed - 2))
        return [key] + Array(repeating: other, count: headers.count - 1)
    }
}

/// A table's cells escaped and cut to their column's limit, with each column's width.
private struct CellGrid {
    let headers: [(text: String, width: Int)]
    let rows: [[(text: String, width: Int)]]
    let alignments: [TextTable.Alignment]
    let widths: [Int]

    init(_ table: TextTable, limits: [Int]) {
        let columnCount = limits.count
        headers = table.headers.prefix(columnCount).enumerated().map { TerminalText.cell($1, maximumWidth: limits[$0]) }
        rows = table.rows.map { row in row.prefix(columnCount).enumerated().map { TerminalText.cell($1, maximumWidth: limits[$0]) } }
        alignments = table.alignments
        var widths = headers.map(\.width)
        for row in rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.width) }
        }
        self.widths = widths
    }

    func lineWidth(of columns: [Int]) -> Int {
        columns.reduce(0) { $0 + widths[$1] } + 2 * max(0, columns.count - 1)
    }

    /// The columns split into blocks no wider than `width` (but at least one column besides
    /// the key each), every block starting with column 0.
    func blocks(fitting width: Int) -> [[Int]] {
        guard widths.count > 1 else { return [[0]] }
        var blocks: [[Int]] = []
        var block = [0]
        for column in 1..<widths.count {
            if block.count > 1, lineWidth(of: block + [column]) > width {
                blocks.append(block)
                block = [0]
            }
            block.append(column)
        }
        blocks.append(block)
        return blocks
    }

    /// The header, a rule and the rows of `columns`, trailing spaces trimmed.
    func lines(of columns: [Int]) -> [String] {
        func line(_ cells: [(text: String, width: Int)]) -> String {
            var parts: [String] = []
            for i in columns {
                let cell = i < cells.count ? cells[i] : (text: "", width: 0)
                let pad = String(repeating: " ", count: widths[i] - cell.width)
                let alignment = i < alignments.count ? alignments[i] : .left
                parts.append(alignment == .right ? pad + cell.text : cell.text + pad)
            }
            return trimmed(parts.joined(separator: "  "))
        }
        let rule = trimmed(columns.map { String(repeating: "-", count: widths[$0]) }.joined(separator: "  "))
        return [line(headers), rule] + rows.map(line)
    }

    private func trimmed(_ text: String) -> String {
        var text = text
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}
