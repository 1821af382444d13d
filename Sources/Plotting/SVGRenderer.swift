import Diagnostics
import Numerics

/// Draws a figure as a standalone SVG document: white background, title, axes with ticks and
/// grid lines, one `<g class="series">` per series, and a legend on the right. Coordinates are
/// written with two decimals, so the same figure always gives the same bytes.
public struct SVGRenderer {
    public static let width = 640.0
    public static let height = 420.0

    private static let font = "DejaVu Sans, Helvetica, Arial, sans-serif"
    /// Average glyph width as a share of the font size, for laying out labels without a font.
    private static let glyphWidth = 0.6

    let figure: Figure
    private var body: [String] = []

    public static func render(_ figure: Figure) -> String {
        var renderer = SVGRenderer(figure: figure)
        return renderer.document()
    }

    private init(figure: Figure) { self.figure = figure }

    private mutating func document() -> String {
        let legend = figure.legend
        let legendWidth = legend.isEmpty ? 0 : 36 + Self.textWidth(legend.map { Self.shown($0.series.name, 34) }.max { $0.count < $1.count } ?? "", 12)
        let (xs, ys) = figure.extents
        let heat = figure.heatmap
        let yScale = AxisScale(figure.y, values: ys, tickCount: 6)
        let yLabels = heat?.rows ?? yScale.labels
        let left = 28 + (yLabels.map { Self.textWidth(Self.shown($0, 24), 11) }.max() ?? 0) + 10
        let bottom = heat == nil ? 52.0 : 58.0
        let area = (x: left, y: 44.0, width: Self.width - left - 18 - legendWidth, height: Self.height - 44 - bottom)
        let xScale = AxisScale(figure.x, values: xs, tickCount: max(3, Int(area.width / 70)))

        body.append(##"<rect width="100%" height="100%" fill="white"/>"##)
        text(figure.title, x: Self.width / 2, y: 24, size: 15, anchor: "middle", attributes: ##" font-weight="bold" class="title""##, limit: 80)
        if let heat {
            drawHeatmap(heat, area: area)
        } else {
            drawGrid(x: xScale, y: yScale, area: area)
            drawSeries(x: xScale, y: yScale, area: area)
            drawAxes(x: xScale, y: yScale, area: area)
        }
        // Under the grid's middle for a heatmap (its cells are square, so it may not fill the area).
        let xMiddle = heat.map { area.x + Double($0.columns.count) * Self.cellSize($0, area) / 2 } ?? area.x + area.width / 2
        text(figure.x.label, x: xMiddle, y: Self.height - 12, size: 13, anchor: "middle", attributes: ##" class="x-label""##, limit: 70)
        let middle = Self.number(area.y + area.height / 2)
        text(figure.y.label, x: 16, y: area.y + area.height / 2, size: 13, anchor: "middle",
             attributes: ##" class="y-label" transform="rotate(-90 16 \##(middle))""##, limit: 50)
        if !legend.isEmpty { drawLegend(legend, x: area.x + area.width + 14, y: area.y + 4) }

        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Self.number(Self.width))" height="\(Self.number(Self.height))" \
        viewBox="0 0 \(Self.number(Self.width)) \(Self.number(Self.height))" font-family="\(Self.font)">
        \(body.joined(separator: "\n"))
        </svg>

        """
    }

    private typealias Area = (x: Double, y: Double, width: Double, height: Double)

    // MARK: - Axes

    private mutating func drawGrid(x: AxisScale, y: AxisScale, area: Area) {
        var path = ""
        for tick in x.ticks where figure.x.categories == nil {
            let px = area.x + x.fraction(tick) * area.width
            path += "M\(Self.number(px)) \(Self.number(area.y))V\(Self.number(area.y + area.height))"
        }
        for tick in y.ticks where figure.y.categories == nil {
            let py = area.y + (1 - y.fraction(tick)) * area.height
            path += "M\(Self.number(area.x)) \(Self.number(py))H\(Self.number(area.x + area.width))"
        }
        if !path.isEmpty { body.append(##"<path class="grid" d="\##(path)" stroke="#e6e6e6" stroke-width="1" fill="none"/>"##) }
    }

    private mutating func drawAxes(x: AxisScale, y: AxisScale, area: Area) {
        let (left, bottom) = (Self.number(area.x), Self.number(area.y + area.height))
        var ticks = ""
        body.append(##"<g class="axes" font-size="11" fill="#333">"##)
        let slot = figure.x.categories.map { area.width / Double(max($0.count, 1)) } ?? 90
        for (tick, label) in zip(x.ticks, x.labels) {
            let px = area.x + x.fraction(tick) * area.width
            ticks += "M\(Self.number(px)) \(bottom)v5"
            text(label, x: px, y: area.y + area.height + 18, size: 11, anchor: "middle", limit: max(3, Int(slot / 6.6)))
        }
        for (tick, label) in zip(y.ticks, y.labels) {
            let py = area.y + (1 - y.fraction(tick)) * area.height
            ticks += "M\(left) \(Self.number(py))h-5"
            text(label, x: area.x - 8, y: py + 4, size: 11, anchor: "end", limit: 24)
        }
        body.append(##"<path d="M\##(left) \##(Self.number(area.y))V\##(bottom)H\##(Self.number(area.x + area.width))\##(ticks)" stroke="#333" stroke-width="1" fill="none"/>"##)
        body.append("</g>")
    }

    // MARK: - Series

    private mutating func drawSeries(x: AxisScale, y: AxisScale, area: Area) {
        func px(_ value: Double) -> Double { area.x + x.fraction(value) * area.width }
        func py(_ value: Double) -> Double { area.y + (1 - y.fraction(value)) * area.height }
        let barSeries = figure.series.filter { if case .bars = $0.mark { true } else { false } }.count
        for (series, colour) in figure.drawingOrder {
            let paint = Palette.svg(colour)
            body.append(##"<g class="series" data-name="\##(Self.escaped(Self.shown(series.name, 80)))">"##)
            switch series.mark {
            case .points(let points):
                let opacity = points.count > 500 ? "0.45" : "0.8"
                for point in points where point.x.isFinite && point.y.isFinite {
                    body.append(##"<circle cx="\##(Self.number(px(point.x)))" cy="\##(Self.number(py(point.y)))" r="2.6" fill="\##(paint)" fill-opacity="\##(opacity)"/>"##)
                }
            case .line(let points):
                let path = Self.path(points.filter { $0.x.isFinite && $0.y.isFinite }.map { (px($0.x), py($0.y)) })
                let stroke = series.style == .reference ? ##"stroke-width="1.2" stroke-dasharray="5 4""## : ##"stroke-width="2""##
                body.append(##"<path d="\##(path)" fill="none" stroke="\##(paint)" \##(stroke) stroke-linejoin="round"/>"##)
            case .segments(let segments):
                for segment in segments {
                    body.append(##"<line x1="\##(Self.number(px(segment.from.x)))" y1="\##(Self.number(py(segment.from.y)))" x2="\##(Self.number(px(segment.to.x)))" y2="\##(Self.number(py(segment.to.y)))" stroke="\##(paint)" stroke-width="2"/>"##)
                }
            case .bars(let bars, _):
                let opacity = barSeries > 1 ? "0.45" : "0.85"
                for bar in bars {
                    let (x0, x1) = (px(min(bar.x0, bar.x1)), px(max(bar.x0, bar.x1)))
                    let (y0, y1) = (py(max(bar.y0, bar.y1)), py(min(bar.y0, bar.y1)))
                    body.append(##"<rect x="\##(Self.number(x0))" y="\##(Self.number(y0))" width="\##(Self.number(x1 - x0))" height="\##(Self.number(y1 - y0))" fill="\##(paint)" fill-opacity="\##(opacity)" stroke="white" stroke-width="0.6"/>"##)
                }
            case .boxes(let boxes):
                let half = min(40, area.width / Double(max(figure.x.categories?.count ?? 1, 1)) * 0.3)
                for box in boxes { drawBox(box, centre: px(box.position), half: half, y: py, paint: paint) }
            }
            body.append("</g>")
        }
    }

    private mutating func drawBox(_ box: Box, centre: Double, half: Double, y: (Double) -> Double, paint: String) {
        let s = box.summary
        let (c, h) = (Self.number(centre), half)
        let whiskers = "M\(c) \(Self.number(y(s.upperWhisker)))V\(Self.number(y(s.upperQuartile)))M\(c) \(Self.number(y(s.lowerQuartile)))V\(Self.number(y(s.lowerWhisker)))"
            + "M\(Self.number(centre - h / 2)) \(Self.number(y(s.upperWhisker)))h\(Self.number(h))M\(Self.number(centre - h / 2)) \(Self.number(y(s.lowerWhisker)))h\(Self.number(h))"
        body.append(##"<path d="\##(whiskers)" stroke="#333" stroke-width="1.2" fill="none"/>"##)
        body.append(##"<rect x="\##(Self.number(centre - h))" y="\##(Self.number(y(s.upperQuartile)))" width="\##(Self.number(2 * h))" height="\##(Self.number(y(s.lowerQuartile) - y(s.upperQuartile)))" fill="\##(paint)" fill-opacity="0.75" stroke="#333" stroke-width="1.2"/>"##)
        body.append(##"<path d="M\##(Self.number(centre - h)) \##(Self.number(y(s.median)))h\##(Self.number(2 * h))" stroke="#111" stroke-width="2.2"/>"##)
        for outlier in s.outliers {
            body.append(##"<circle cx="\##(c)" cy="\##(Self.number(y(outlier)))" r="2.8" fill="none" stroke="#333"/>"##)
        }
    }

    // MARK: - Heatmap and legend

    private mutating func drawHeatmap(_ heat: Heatmap, area: Area) {
        let rows = Double(heat.rows.count)
        let size = Self.cellSize(heat, area)
        let maximum = heat.maximum
        body.append(##"<g class="series" data-name="cells">"##)
        for (r, row) in heat.values.enumerated() {
            for (c, value) in row.enumerated() {
                let share = maximum > 0 ? max(0, value) / maximum : 0
                let (x, y) = (area.x + Double(c) * size, area.y + Double(r) * size)
                body.append(##"<rect x="\##(Self.number(x))" y="\##(Self.number(y))" width="\##(Self.number(size))" height="\##(Self.number(size))" fill="\##(Self.blend(share))" stroke="white" stroke-width="1"/>"##)
                text(heat.text[r][c], x: x + size / 2, y: y + size / 2 + 5, size: 14, anchor: "middle",
                     attributes: share > 0.55 ? ##" fill="white""## : ##" fill="#222""##, limit: 12)
            }
        }
        body.append("</g>")
        body.append(##"<g class="axes" font-size="11" fill="#333">"##)
        for (r, name) in heat.rows.enumerated() {
            text(name, x: area.x - 8, y: area.y + (Double(r) + 0.5) * size + 4, size: 11, anchor: "end", limit: 24)
        }
        for (c, name) in heat.columns.enumerated() {
            text(name, x: area.x + (Double(c) + 0.5) * size, y: area.y + rows * size + 16, size: 11, anchor: "middle", limit: max(3, Int(size / 6.6)))
        }
        body.append("</g>")
    }

    private static func cellSize(_ heat: Heatmap, _ area: Area) -> Double {
        min(area.width / Double(max(heat.columns.count, 1)), area.height / Double(max(heat.rows.count, 1)))
    }

    private mutating func drawLegend(_ entries: [(series: Series, colour: Int)], x: Double, y: Double) {
        body.append(##"<g class="legend" font-size="12" fill="#222">"##)
        for (index, entry) in entries.enumerated() {
            let top = y + Double(index) * 20
            let paint = Palette.svg(entry.colour)
            switch entry.series.mark {
            case .points:
                body.append(##"<circle cx="\##(Self.number(x + 8))" cy="\##(Self.number(top + 6))" r="4" fill="\##(paint)"/>"##)
            case .bars, .boxes:
                body.append(##"<rect x="\##(Self.number(x))" y="\##(Self.number(top))" width="16" height="12" fill="\##(paint)" fill-opacity="0.85"/>"##)
            case .line, .segments:
                let dash = entry.series.style == .reference ? ##" stroke-dasharray="4 3""## : ""
                body.append(##"<path d="M\##(Self.number(x)) \##(Self.number(top + 6))h16" stroke="\##(paint)" stroke-width="2"\##(dash)/>"##)
            }
            text(entry.series.name, x: x + 22, y: top + 10, size: 12, anchor: "start", limit: 34)
        }
        body.append("</g>")
    }

    // MARK: - Text and numbers

    private mutating func text(_ content: String, x: Double, y: Double, size: Double, anchor: String, attributes: String = "", limit: Int) {
        guard !content.isEmpty else { return }
        body.append(##"<text x="\##(Self.number(x))" y="\##(Self.number(y))" font-size="\##(Self.number(size))" text-anchor="\##(anchor)"\##(attributes)>\##(Self.escaped(Self.shown(content, limit)))</text>"##)
    }

    /// Data text with control characters spelt out (they are not allowed in XML) and cut to
    /// `limit` characters.
    static func shown(_ text: String, _ limit: Int) -> String {
        let safe = TerminalText.escaped(text)
        return safe.count <= limit ? safe : String(safe.prefix(max(1, limit - 1))) + "…"
    }

    /// Text as XML (or HTML) character data or an attribute value.
    public static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            default: result.append(character)
            }
        }
        return result
    }

    private static func textWidth(_ text: String, _ size: Double) -> Double {
        Double(TerminalText.displayWidth(text)) * size * glyphWidth
    }

    static func number(_ value: Double) -> String { NumberFormat.fixed(value, decimals: 2) }

    /// A path through the points, leaving out any that land within a tenth of a pixel of the
    /// last one kept (a curve of 100,000 thresholds draws the same with far fewer).
    static func path(_ points: [(Double, Double)]) -> String {
        var d = "", last: (Double, Double)?
        for (index, point) in points.enumerated() {
            if let last, index < points.count - 1, abs(point.0 - last.0) < 0.1, abs(point.1 - last.1) < 0.1 { continue }
            d += (last == nil ? "M" : "L") + "\(number(point.0)) \(number(point.1))"
            last = point
        }
        return d
    }

    /// White to the first palette colour.
    private static func blend(_ share: Double) -> String {
        let target = (0x4e, 0x79, 0xa7)
        func channel(_ end: Int) -> Int { Int((255 + (Double(end) - 255) * share).rounded()) }
        let hex = [channel(target.0), channel(target.1), channel(target.2)].map { String($0, radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }
        return "#" + hex.joined()
    }
}
