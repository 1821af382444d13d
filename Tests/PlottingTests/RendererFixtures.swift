import Plotting

/// Small figures of each mark, shared by the renderer tests.
enum RendererFixtures {
    static let lines = Figure(kind: .roc, title: "ROC", x: Axis("fpr", range: 0 ... 1), y: Axis("tpr", range: 0 ... 1), series: [
        Series("chance", .line([Point(0, 0), Point(1, 1)]), style: .reference),
        Series("a <b> & \"c\"", .line([Point(0, 0), Point(0, 0.5), Point(0.5, 1), Point(1, 1)])),
    ])

    static let scatter = Figure(kind: .scatter, title: "y against x", x: Axis("x"), y: Axis("y"), series: [
        Series("one", .points([Point(1, 1), Point(2, 4), Point(3, 9)])),
        Series("two", .points([Point(1, 8), Point(2, 5), Point(3, 2)])),
    ])

    static let bars = Figure(kind: .histogram, title: "Histogram", x: Axis("v", margin: 0), y: Axis("count", includesZero: true), series: [
        Series("", .bars([Bar(x0: 0, x1: 1, y0: 0, y1: 3), Bar(x0: 1, x1: 2, y0: 0, y1: 5), Bar(x0: 2, x1: 3, y0: 0, y1: 1)], horizontal: false)),
    ])

    static let horizontalBars = Figure(kind: .importance, title: "Importance", x: Axis("gain", includesZero: true),
                                       y: Axis("", categories: ["small", "large"]), series: [
        Series("", .bars([Bar(x0: 0, x1: 0.25, y0: -0.35, y1: 0.35), Bar(x0: 0, x1: 0.75, y0: 0.65, y1: 1.35)], horizontal: true)),
    ])

    static let boxes = Figure(kind: .box, title: "Boxes", x: Axis("g", categories: ["a", "b"]), y: Axis("v"), series: [
        Series("", .boxes([Box(position: 0, summary: BoxSummary([1, 2, 3, 4, 5, 6, 7, 8, 30])!),
                           Box(position: 1, summary: BoxSummary([4, 5, 6, 7, 8, 9])!)])),
    ])

    static let heatmap = Figure(kind: .confusion, title: "Confusion", x: Axis("predicted"), y: Axis("actual"),
                                heatmap: Heatmap(rows: ["no", "yes"], columns: ["no", "yes"], values: [[8, 2], [1, 9]], text: [["8", "2"], ["1", "9"]]))

    static let all = [lines, scatter, bars, horizontalBars, boxes, heatmap]
}
