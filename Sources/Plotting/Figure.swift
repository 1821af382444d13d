/// A plot as data: what to draw, in data coordinates, with its title, axes and series. The
/// terminal and SVG renderers draw the same value, so a session can keep a figure and export
/// it later without recomputing anything.
public struct Figure: Sendable, Equatable {
    /// What the figure shows; renderers and exporters may name files or sections by it.
    public enum Kind: String, Sendable, CaseIterable {
        case histogram, scatter, box, residuals, qq, predicted, roc, precisionRecall, confusion, importance, coefficients, learningCurve, monitoringHistory
    }

    public var kind: Kind
    public var title: String
    public var x: Axis
    public var y: Axis
    /// Drawn in order, later over earlier; reference lines are drawn first whatever their place.
    public var series: [Series]
    /// A grid of values (a confusion matrix) drawn instead of series, rows down the y axis.
    public var heatmap: Heatmap?

    public init(kind: Kind, title: String, x: Axis, y: Axis, series: [Series] = [], heatmap: Heatmap? = nil) {
        self.kind = kind
        self.title = title
        self.x = x
        self.y = y
        self.series = series
        self.heatmap = heatmap
    }

    /// The series named in the legend, with the colour each is drawn in.
    public var legend: [(series: Series, colour: Int)] {
        colouredSeries.filter { !$0.series.name.isEmpty }
    }

    /// The order series are drawn in: reference lines under everything, points over everything.
    var drawingOrder: [(series: Series, colour: Int)] {
        let coloured = colouredSeries
        func isPoints(_ series: Series) -> Bool { if case .points = series.mark { true } else { false } }
        return coloured.filter { $0.series.style == .reference }
            + coloured.filter { $0.series.style == .data && !isPoints($0.series) }
            + coloured.filter { $0.series.style == .data && isPoints($0.series) }
    }

    /// Every series with its palette index: its own, else its place among the non-reference series.
    var colouredSeries: [(series: Series, colour: Int)] {
        var next = 0
        return series.map { series in
            if series.style == .reference { return (series, -1) }
            defer { next += 1 }
            return (series, series.colour ?? next)
        }
    }
}

/// One axis: its label, and either numbers or categories.
public struct Axis: Sendable, Equatable {
    public var label: String
    /// Category names at positions 0, 1, 2, …; nil for a numeric axis.
    public var categories: [String]?
    /// A fixed range (a rate's 0…1); nil to fit the data.
    public var range: ClosedRange<Double>?
    /// Whether a fitted range reaches 0 (bar lengths and counts start there).
    public var includesZero: Bool
    /// The share of the data's span left free at each end of a fitted range (none for a
    /// histogram's edges, which are the data's own bounds).
    public var margin: Double

    public init(_ label: String, categories: [String]? = nil, range: ClosedRange<Double>? = nil,
                includesZero: Bool = false, margin: Double = 0.04) {
        self.label = label
        self.categories = categories
        self.range = range
        self.includesZero = includesZero
        self.margin = margin
    }
}

public struct Point: Sendable, Equatable {
    public var x: Double
    public var y: Double

    public init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }
}

/// A rectangle in data coordinates: a histogram bin or an importance bar.
public struct Bar: Sendable, Equatable {
    public var x0, x1, y0, y1: Double

    public init(x0: Double, x1: Double, y0: Double, y1: Double) {
        (self.x0, self.x1, self.y0, self.y1) = (x0, x1, y0, y1)
    }
}

/// A straight piece from one point to another (an interval around an estimate).
public struct Segment: Sendable, Equatable {
    public var from: Point
    public var to: Point

    public init(from: Point, to: Point) {
        self.from = from
        self.to = to
    }
}

/// A vertical box at a category's position on the x axis.
public struct Box: Sendable, Equatable {
    public var position: Double
    public var summary: BoxSummary

    public init(position: Double, summary: BoxSummary) {
        self.position = position
        self.summary = summary
    }
}

/// How a series is drawn.
public enum Mark: Sendable, Equatable {
    case points([Point])
    /// A polyline through the points in order.
    case line([Point])
    /// Filled rectangles; `horizontal` bars grow from the left (from the bottom otherwise).
    case bars([Bar], horizontal: Bool)
    case boxes([Box])
    case segments([Segment])
}

public struct Series: Sendable, Equatable {
    public enum Style: Sendable, Equatable {
        case data
        /// A guide drawn thin, dashed and grey under the data: a diagonal, a zero line.
        case reference
    }

    /// The legend's label; an empty name keeps the series out of the legend.
    public var name: String
    public var mark: Mark
    public var style: Style
    /// A palette index shared with another series (an estimate and its interval); nil for the
    /// next colour.
    public var colour: Int?

    public init(_ name: String, _ mark: Mark, style: Style = .data, colour: Int? = nil) {
        self.name = name
        self.mark = mark
        self.style = style
        self.colour = colour
    }
}

/// A grid of numbers with row and column names; `text` is what each cell shows.
public struct Heatmap: Sendable, Equatable {
    public var rows: [String]
    public var columns: [String]
    public var values: [[Double]]
    public var text: [[String]]

    public init(rows: [String], columns: [String], values: [[Double]], text: [[String]]) {
        self.rows = rows
        self.columns = columns
        self.values = values
        self.text = text
    }

    public var maximum: Double { values.joined().filter(\.isFinite).max() ?? 0 }
}
