/// A grid of terminal cells to draw on. With braille, each cell holds 2 × 4 dots, so lines and
/// points are drawn at twice the columns and four times the rows; glyphs (bars, boxes,
/// markers) fill whole cells and hide any dots under them.
struct TerminalCanvas {
    struct Cell {
        var dots: UInt8 = 0
        var glyph: Character?
        /// Palette index; -1 is the grey of reference lines; nil for no colour.
        var colour: Int?
    }

    let columns: Int
    let rows: Int
    /// Dots per cell across and down: 2 × 4 with braille, 1 × 1 without.
    let dotsAcross: Int
    let dotsDown: Int
    private(set) var cells: [[Cell]]

    init(columns: Int, rows: Int, braille: Bool) {
        self.columns = columns
        self.rows = rows
        (dotsAcross, dotsDown) = braille ? (2, 4) : (1, 1)
        cells = Array(repeating: Array(repeating: Cell(), count: columns), count: rows)
    }

    var dotColumns: Int { columns * dotsAcross }
    var dotRows: Int { rows * dotsDown }

    /// Braille dot bits by (column, row) within a cell, in Unicode's numbering.
    private static let dotBits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

    /// Sets one dot; `mark` is the character a dot shows without braille.
    mutating func dot(_ x: Int, _ y: Int, colour: Int?, mark: Character) {
        guard x >= 0, y >= 0, x < dotColumns, y < dotRows else { return }
        let (column, row) = (x / dotsAcross, y / dotsDown)
        if dotsAcross == 1 {
            cells[row][column].glyph = mark
        } else {
            cells[row][column].dots |= Self.dotBits[x % 2][y % 4]
        }
        cells[row][column].colour = colour
    }

    /// The dots of a straight line (Bresenham), ends included; how many dots it walked.
    /// `dashedFrom`: draw dashes of three dots and gaps of two, the first `dashedFrom` dots
    /// of the pattern having been used by the line before this piece.
    @discardableResult
    mutating func line(from a: (Int, Int), to b: (Int, Int), colour: Int?, mark: Character, dashedFrom: Int? = nil) -> Int {
        var (x, y) = a
        let dx = abs(b.0 - x), dy = -abs(b.1 - y)
        let sx = x < b.0 ? 1 : -1, sy = y < b.1 ? 1 : -1
        var error = dx + dy
        // Bounded, in case a far-off end would make the walk long.
        for step in 0 ... (dx - dy) {
            if dashedFrom.map({ ($0 + step) % 5 < 3 }) ?? true { dot(x, y, colour: colour, mark: mark) }
            if x == b.0 && y == b.1 { return step }
            let twice = 2 * error
            if twice >= dy { error += dy; x += sx }
            if twice <= dx { error += dx; y += sy }
        }
        return dx - dy
    }

    mutating func glyph(_ column: Int, _ row: Int, _ glyph: Character, colour: Int?) {
        guard column >= 0, row >= 0, column < columns, row < rows else { return }
        cells[row][column] = Cell(dots: 0, glyph: glyph, colour: colour)
    }

    /// One row as text, each coloured run wrapped in ANSI codes when `colours` is on.
    func text(row: Int, colours: Bool) -> String {
        var line = ""
        var current: Int?
        for cell in cells[row] {
            let character: Character = cell.glyph ?? (cell.dots == 0 ? " " : Character(Unicode.Scalar(0x2800 + UInt32(cell.dots))!))
            let colour = character == " " ? nil : cell.colour
            if colours, colour != current {
                line += colour.map(Palette.ansi) ?? Palette.reset
                current = colour
            }
            line.append(character)
        }
        if colours, current != nil { line += Palette.reset }
        return line
    }
}

/// The series colours: the Tableau 10 palette for SVG, the nearest ANSI colours for terminals.
enum Palette {
    static let hex = ["#4e79a7", "#f28e2b", "#e15759", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#9c755f", "#ff9da7", "#bab0ac"]
    static let referenceHex = "#888888"
    /// Blue, yellow (orange's nearest), red, green, magenta, cyan, then the bright ones.
    private static let ansiCodes = [34, 33, 31, 32, 35, 36, 93, 91, 95, 96]

    static func svg(_ index: Int) -> String { index < 0 ? referenceHex : hex[index % hex.count] }

    static func ansi(_ index: Int) -> String { "\u{1B}[\(index < 0 ? 90 : ansiCodes[index % ansiCodes.count])m" }

    static let reset = "\u{1B}[0m"
}
