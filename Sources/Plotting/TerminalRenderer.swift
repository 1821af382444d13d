import Diagnostics

/// How a figure is drawn in a terminal: Unicode (braille dots, block and box characters) or
/// plain ASCII (stable in transcripts and any font), with or without ANSI colour.
public struct TerminalStyle: Sendable, Equatable {
    public enum Characters: String, Sendable { case unicode, ascii }

    public var characters: Characters
    public var colour: Bool
    /// Columns for the whole figure, axis labels included.
    public var width: Int
    /// Rows of the plot area (the title, ticks, labels and legend come on top of it).
    public var height: Int

    public init(characters: Characters, colour: Bool = false, width: Int = 80, height: Int? = nil) {
        self.characters = characters
        self.colour = colour && characters == .unicode
        self.width = max(width, 30)
        self.height = height ?? min(max(self.width / 5, 8), 24)
    }
}

/// Draws a figure as lines of text sized to a `TerminalStyle`.
public struct TerminalRenderer {
    let figure: Figure
    let style: TerminalStyle
    let unicode: Bool
    /// Whether series are told apart by marker characters (ASCII, or several series without
    /// colour) rather than by colour over braille dots.
    let markers: Bool

    public static func render(_ figure: Figure, style: TerminalStyle) -> String {
        let renderer = TerminalRenderer(figure: figure, style: style)
        var lines = [renderer.centred(figure.title, in: style.width)]
        lines += figure.heatmap.map(renderer.heatmapLines) ?? renderer.plotLines()
        return lines.map { String($0.reversed().drop { $0 == " " }.reversed()) }.joined(separator: "\n")
    }

    init(figure: Figure, style: TerminalStyle) {
        self.figure = figure
        self.style = style
        unicode = style.characters == .unicode
        let dataSeries = figure.series.filter { $0.style == .data }.count
        markers = !unicode || (!style.colour && dataSeries > 1)
    }

    // MARK: - Plot area, axes and legend

    private func plotLines() -> [String] {
        let (xs, ys) = figure.extents
        let yScale = AxisScale(figure.y, values: ys, tickCount: max(2, style.height / 4))
        let yLabels = yScale.labels.map { label($0, width: min(24, style.width / 3)) }
        let margin = yLabels.map(\.width).max() ?? 0
        let columns = style.width - margin - 2
        let xScale = AxisScale(figure.x, values: xs, tickCount: max(2, columns / 12))
        // A row for every category on the y axis (bars, terms), at least as many as the style asks.
        let rows = max(style.height, figure.y.categories?.count ?? 0)
        var canvas = TerminalCanvas(columns: columns, rows: rows, braille: !markers)
        draw(on: &canvas, x: xScale, y: yScale)

        var lines: [String] = []
        if !figure.y.label.isEmpty { lines.append(label(figure.y.label, width: style.width).text) }
        let tickRows = Dictionary(yScale.ticks.indices.map { (Self.row(yScale.fraction(yScale.ticks[$0]), rows), $0) },
                                  uniquingKeysWith: { first, _ in first })
        for row in 0 ..< rows {
            let tick = tickRows[row]
            let text = tick.map { yLabels[$0] } ?? (text: "", width: 0)
            let axis = tick == nil ? (unicode ? "│" : "|") : (unicode ? "┤" : "+")
            lines.append(String(repeating: " ", count: margin - text.width) + text.text + " " + axis + canvas.text(row: row, colours: style.colour))
        }
        let tickColumns = Set(xScale.ticks.map { column(xScale.fraction($0), columns) })
        let rule = (0 ..< columns).map { tickColumns.contains($0) ? (unicode ? "┬" : "+") : (unicode ? "─" : "-") }.joined()
        lines.append(String(repeating: " ", count: margin + 1) + (unicode ? "└" : "+") + rule)
        lines.append(xTickLabels(xScale, columns: columns, offset: margin + 2))
        if !figure.x.label.isEmpty {
            lines.append(String(repeating: " ", count: margin + 2) + centred(figure.x.label, in: columns))
        }
        lines += legendLines()
        return lines
    }

    /// Tick labels centred under their ticks, skipping any that would touch the one before.
    private func xTickLabels(_ scale: AxisScale, columns: Int, offset: Int) -> String {
        let slot = figure.x.categories.map { max(3, columns / max($0.count, 1) - 1) } ?? 12
        var line = ""
        for (value, text) in zip(scale.ticks, scale.labels) {
            let shown = label(text, width: slot)
            // Centred under the tick, moved left to end at the figure's edge if need be.
            let start = max(0, min(offset + column(scale.fraction(value), columns) - shown.width / 2, style.width - shown.width))
            let used = TerminalText.displayWidth(line)
            guard start >= used + (used == 0 ? 0 : 1), start + shown.width <= style.width else { continue }
            line += String(repeating: " ", count: start - used) + shown.text
        }
        return line
    }

    private func legendLines() -> [String] {
        let entries = figure.legend
        guard !entries.isEmpty else { return [] }
        var lines: [String] = [], line = "", used = 0
        for (series, colour) in entries {
            let name = label(series.name, width: style.width - 4)
            let symbol = legendSymbol(series, colour: colour)
            let width = TerminalText.displayWidth(symbol) + 1 + name.width
            if used > 0, used + 3 + width > style.width {
                lines.append(line)
                (line, used) = ("", 0)
            }
            if used > 0 { line += "   "; used += 3 }
            line += paint(symbol, colour) + " " + name.text
            used += width
        }
        return lines + [line]
    }

    private func legendSymbol(_ series: Series, colour: Int) -> String {
        if series.style == .reference { return unicode ? "┄┄" : ".." }
        switch series.mark {
        case .bars: return outlinesBars ? String(repeating: mark(for: colour), count: 2) : unicode ? "██" : "##"
        case .boxes: return unicode ? "┤├" : "|=|"
        case .segments: return unicode ? "──" : "--"
        case .line: return markers ? String(repeating: mark(for: colour), count: 2) : "──"
        case .points: return markers ? String(mark(for: colour)) : "•"
        }
    }

    // MARK: - Drawing the series

    private func draw(on canvas: inout TerminalCanvas, x: AxisScale, y: AxisScale) {
        func dot(_ point: Point) -> (Int, Int) {
            (column(x.fraction(point.x), canvas.dotColumns), Self.row(y.fraction(point.y), canvas.dotRows))
        }
        for (series, colour) in figure.drawingOrder {
            let tone = style.colour ? colour : nil
            let mark = series.style == .reference ? (unicode ? "·" : ".") : mark(for: colour)
            switch series.mark {
            case .points(let points):
                for point in points where point.x.isFinite && point.y.isFinite {
                    let (px, py) = dot(point)
                    if markers { canvas.glyph(px, py, mark, colour: tone) } else { canvas.dot(px, py, colour: tone, mark: mark) }
                }
            case .line(let points):
                polyline(points.filter { $0.x.isFinite && $0.y.isFinite }.map(dot), on: &canvas, colour: tone, mark: mark,
                         dashed: series.style == .reference)
            case .segments(let segments):
                for segment in segments {
                    let from = dot(segment.from), to = dot(segment.to)
                    if markers, from.1 == to.1 {
                        for px in min(from.0, to.0) ... max(from.0, to.0) { canvas.glyph(px, from.1, unicode ? "─" : "-", colour: tone) }
                    } else {
                        canvas.line(from: from, to: to, colour: tone, mark: mark)
                    }
                }
            case .bars(let bars, let horizontal):
                if outlinesBars {
                    // Overlapping bars of several groups would hide each other: outlines instead.
                    polyline(Self.outline(bars).map(dot), on: &canvas, colour: tone, mark: mark, dashed: false)
                } else {
                    for bar in bars { fill(bar, horizontal: horizontal, on: &canvas, x: x, y: y, colour: tone) }
                }
            case .boxes(let boxes):
                for box in boxes { drawBox(box, on: &canvas, x: x, y: y, slots: figure.x.categories?.count ?? 1, colour: tone) }
            }
        }
    }

    private func polyline(_ points: [(Int, Int)], on canvas: inout TerminalCanvas, colour: Int?, mark: Character, dashed: Bool) {
        guard let first = points.first else { return }
        var previous = first
        canvas.dot(first.0, first.1, colour: colour, mark: mark)
        // Dashes are counted along the whole line, so they run on across its corners.
        var walked = 0
        for point in points.dropFirst() where point != previous {
            walked += canvas.line(from: previous, to: point, colour: colour, mark: mark, dashedFrom: dashed ? walked : nil)
            previous = point
        }
    }

    /// The top edge of a run of bars, down to the base at each end, as one line; empty bars
    /// at either end are left out, so a group's outline does not run along the others' base.
    static func outline(_ bars: [Bar]) -> [Point] {
        let sorted = Array(bars.sorted { $0.x0 < $1.x0 }.drop { $0.y1 == $0.y0 }.reversed().drop { $0.y1 == $0.y0 }.reversed())
        guard let first = sorted.first, let last = sorted.last else { return [] }
        return [Point(first.x0, first.y0)] + sorted.flatMap { [Point($0.x0, $0.y1), Point($0.x1, $0.y1)] } + [Point(last.x1, last.y0)]
    }

    private static let rising: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇"]
    private static let growing: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// A bar in whole cells, with eighths of a cell at its growing end (in ASCII, a cell is
    /// filled when the bar covers half of it).
    private func fill(_ bar: Bar, horizontal: Bool, on canvas: inout TerminalCanvas, x: AxisScale, y: AxisScale, colour: Int?) {
        let full: Character = unicode ? "█" : "#"
        let (left, right) = (x.fraction(bar.x0) * Double(canvas.columns), x.fraction(bar.x1) * Double(canvas.columns))
        let (top, bottom) = ((1 - y.fraction(bar.y1)) * Double(canvas.rows), (1 - y.fraction(bar.y0)) * Double(canvas.rows))
        // The cells across the bar's thickness: those whose middle it covers, at least one.
        func across(_ low: Double, _ high: Double, count: Int) -> [Int] {
            let covered = (0 ..< count).filter { Double($0) + 0.5 >= low && Double($0) + 0.5 < high }
            return covered.isEmpty ? [min(max(Int((low + high) / 2), 0), count - 1)] : covered
        }
        func glyph(_ covered: Double, _ partials: [Character]) -> Character? {
            if covered >= 15.0 / 16 { return full }
            if !unicode { return covered >= 0.5 ? full : nil }
            let eighths = Int((covered * 8).rounded())
            return eighths == 0 ? nil : eighths >= 8 ? full : partials[eighths - 1]
        }
        if horizontal {
            for row in across(top, bottom, count: canvas.rows) {
                for cell in 0 ..< canvas.columns {
                    let covered = min(Double(cell + 1), right) - max(Double(cell), left)
                    if covered > 0, let g = glyph(covered, Self.growing) { canvas.glyph(cell, row, g, colour: colour) }
                }
            }
        } else {
            var cells = across(left, right, count: canvas.columns)
            // A free column between bins three or more columns wide, so their edges show.
            if cells.count >= 3 { cells.removeLast() }
            for cell in cells {
                for row in 0 ..< canvas.rows {
                    let covered = min(Double(row + 1), bottom) - max(Double(row), top)
                    if covered > 0, let g = glyph(covered, Self.rising) { canvas.glyph(cell, row, g, colour: colour) }
                }
            }
        }
    }

    /// A vertical box: whiskers with caps, the box from quartile to quartile, the median across
    /// it, outliers as marks.
    private func drawBox(_ box: Box, on canvas: inout TerminalCanvas, x: AxisScale, y: AxisScale, slots: Int, colour: Int?) {
        let s = box.summary
        let centre = column(x.fraction(box.position), canvas.columns)
        let half = max(1, min(4, canvas.columns / max(slots, 1) / 5))
        func row(_ value: Double) -> Int { Self.row(y.fraction(value), canvas.rows) }
        let (high, q3, median, q1, low) = (row(s.upperWhisker), row(s.upperQuartile), row(s.median), row(s.lowerQuartile), row(s.lowerWhisker))
        let g: (vertical: Character, horizontal: Character, median: Character, corners: [Character], caps: [Character])
            = unicode ? ("│", "─", "━", ["┌", "┐", "└", "┘"], ["┬", "┴"]) : ("|", "-", "=", ["+", "+", "+", "+"], ["+", "+"])
        for r in high ..< q3 { canvas.glyph(centre, r, g.vertical, colour: colour) }
        for r in (q1 + 1) ..< max(q1 + 1, low + 1) { canvas.glyph(centre, r, g.vertical, colour: colour) }
        for c in (centre - half / 2) ... (centre + half / 2) {
            canvas.glyph(c, high, c == centre && high < q3 ? g.caps[0] : g.horizontal, colour: colour)
            canvas.glyph(c, low, c == centre && low > q1 ? g.caps[1] : g.horizontal, colour: colour)
        }
        for r in q3 ... q1 {
            for c in (centre - half) ... (centre + half) {
                let edge = c == centre - half || c == centre + half
                let glyph: Character = switch (r == q3, r == q1, edge) {
                case (true, _, true): c < centre ? g.corners[0] : g.corners[1]
                case (false, true, true): c < centre ? g.corners[2] : g.corners[3]
                case (_, _, true): g.vertical
                case (true, _, false), (_, true, false): g.horizontal
                default: " "
                }
                canvas.glyph(c, r, glyph, colour: colour)
            }
        }
        for c in (centre - half + 1) ... (centre + half - 1) { canvas.glyph(c, median, g.median, colour: colour) }
        for outlier in s.outliers { canvas.glyph(centre, row(outlier), unicode ? "•" : "o", colour: colour) }
    }

    // MARK: - A grid of values

    private func heatmapLines(_ heatmap: Heatmap) -> [String] {
        let corner = label("\(figure.y.label) \\ \(figure.x.label)", width: 30)
        let rowNames = heatmap.rows.map { label($0, width: 20) }
        let columnNames = heatmap.columns.map { label($0, width: 14) }
        let first = max(corner.width, rowNames.map(\.width).max() ?? 0)
        let textWidth = heatmap.text.joined().map(TerminalText.displayWidth).max() ?? 1
        let cellWidth = max(columnNames.map(\.width).max() ?? 0, textWidth + 3)
        let shades: [Character] = unicode ? [" ", "░", "▒", "▓", "█"] : [" ", ".", ":", "*", "#"]
        let maximum = heatmap.maximum
        func padded(_ text: (text: String, width: Int), to width: Int, right: Bool) -> String {
            let pad = String(repeating: " ", count: max(0, width - text.width))
            return right ? pad + text.text : text.text + pad
        }
        var lines = [padded(corner, to: first, right: false) + columnNames.map { "  " + padded($0, to: cellWidth, right: true) }.joined()]
        for (r, name) in rowNames.enumerated() {
            var line = padded(name, to: first, right: false)
            for c in heatmap.columns.indices {
                let value = heatmap.values[r][c]
                let level = value > 0 && maximum > 0 ? 1 + min(3, Int(value / maximum * 4)) : 0
                let shade = String(repeating: shades[level], count: 2)
                let text = heatmap.text[r][c]
                line += "  " + String(repeating: " ", count: cellWidth - 3 - TerminalText.displayWidth(text))
                    + paint(shade, style.colour && level > 0 ? 0 : nil) + " " + text
            }
            lines.append(line)
        }
        return lines
    }

    // MARK: - Helpers

    /// Whether bars are drawn as outlines: several groups' bars would hide each other.
    private var outlinesBars: Bool {
        figure.series.filter { if case .bars = $0.mark { true } else { false } }.count > 1
    }

    private func mark(for colour: Int) -> Character {
        let marks: [Character] = unicode ? ["●", "○", "◆", "◇", "▲", "△", "■", "□", "★", "☆"] : ["*", "o", "+", "x", "#", "@", "%", "&", "=", "$"]
        return colour < 0 ? (unicode ? "·" : ".") : marks[colour % marks.count]
    }

    private func paint(_ text: String, _ colour: Int?) -> String {
        guard style.colour, let colour else { return text }
        return Palette.ansi(colour) + text + Palette.reset
    }

    /// Text from data made safe for the terminal and cut to `width` columns.
    private func label(_ text: String, width: Int) -> (text: String, width: Int) {
        TerminalText.cell(text, maximumWidth: width)
    }

    func centred(_ text: String, in width: Int) -> String {
        let shown = label(text, width: width)
        return String(repeating: " ", count: max(0, (width - shown.width) / 2)) + shown.text
    }

    private func column(_ fraction: Double, _ count: Int) -> Int {
        Int((fraction * Double(count - 1)).rounded())
    }

    private static func row(_ fraction: Double, _ count: Int) -> Int {
        Int(((1 - fraction) * Double(count - 1)).rounded())
    }
}
