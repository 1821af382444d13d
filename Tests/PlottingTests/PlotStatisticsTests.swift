import Numerics
import Plotting
import XCTest

/// Reference values from `python3 Tests/References/plots.py` (numpy, scipy).
final class PlotStatisticsTests: XCTestCase {
    static let values = [4.3, 5.1, 5.8, 6.1, 6.3, 7.9, 5.0, 5.0, 4.9, 6.7, 5.5]

    func testEqualBinsCountAsNumpy() {
        let histogram = Histogram(Self.values, bins: 4)
        XCTAssertEqual(histogram.edges.count, 5)
        for (edge, expected) in zip(histogram.edges, [4.3, 5.2, 6.1, 7.0, 7.9]) { XCTAssertEqual(edge, expected, accuracy: 1e-12) }
        XCTAssertEqual(histogram.counts, [5, 2, 3, 1])
    }

    func testBinsLeaveOutInfinitiesAndSurviveSpansBeyondADouble() {
        // An infinite value made the round edges endless (a hang); it is left out.
        XCTAssertEqual(Histogram.edges([1, -.infinity, 2, .nan], bins: nil), Histogram.edges([1, 2], bins: nil))
        XCTAssertEqual(Histogram([1, .infinity, 2]).counts.reduce(0, +), 2)
        // -1e308 to 1e308 and subnormal spans get equal bins, every edge finite and rising.
        for values in [[-1e308, 0, 1e308], [5e-324, 1e-323, 2e-323], [-1.7e308, 1.7e308]] {
            let edges = Histogram.edges(values, bins: nil)
            XCTAssertTrue(edges.allSatisfy(\.isFinite) && zip(edges, edges.dropFirst()).allSatisfy { $0 < $1 }, "\(values): \(edges)")
            XCTAssertEqual(Histogram(values, edges: edges).counts.reduce(0, +), values.count)
        }
        XCTAssertEqual(Histogram.edges([-1e308, 1e308], bins: 4), [-1e308, -5e307, 0, 5e307, 1e308])
    }

    func testTicksAndAxesSpanningMoreThanADoubleOrLessThanANormalOne() {
        // The span -1e308…1e308 overflowed to Inf: a step of 1 from -1e308 (a hang), and NaN
        // positions (a crash converting them to cells).
        let ticks = Ticks.values(from: -1e308, to: 1e308, count: 5)
        XCTAssertEqual(ticks.count, 5)
        XCTAssertEqual(ticks[2], 0)
        XCTAssertTrue(ticks.allSatisfy { $0.isFinite && abs($0) <= 1e308 } && zip(ticks, ticks.dropFirst()).allSatisfy { $0 < $1 })
        XCTAssertEqual(Ticks.values(from: 5e-324, to: 2e-323, count: 5), [5e-324, 2e-323])
        let points = [Point(-1e308, -1e308), Point(0, 0), Point(1e308, 1e308)]
        let figure = Figure(kind: .scatter, title: "wide", x: Axis("x"), y: Axis("y"), series: [Series("", .points(points))])
        XCTAssertEqual(TerminalRenderer.render(figure, style: TerminalStyle(characters: .ascii, width: 40, height: 8))
            .filter { $0 == "*" }.count, 3)
        let histogram = Histogram([-1e308, 0, 1e308])
        let bars = histogram.counts.indices.map { Bar(x0: histogram.edges[$0], x1: histogram.edges[$0 + 1], y0: 0, y1: Double(histogram.counts[$0])) }
        let bins = Figure(kind: .histogram, title: "bins", x: Axis("x", margin: 0), y: Axis("count", includesZero: true),
                          series: [Series("", .bars(bars, horizontal: false))])
        XCTAssertTrue(TerminalRenderer.render(bins, style: TerminalStyle(characters: .ascii, width: 40, height: 8)).contains("#"))
    }

    func testDefaultBinsAreSturgesOnRoundEdges() {
        // 11 values: ceil(log2 11) + 1 = 5 bins over 3.6 → a step of 1 (3.6 / 5 = 0.72 rounds to 1).
        let histogram = Histogram(Self.values)
        XCTAssertEqual(histogram.edges, [4, 5, 6, 7, 8])
        XCTAssertEqual(histogram.counts, [2, 5, 3, 1])
        XCTAssertEqual(histogram.counts.reduce(0, +), Self.values.count)
    }

    func testBoxUsesType7QuartilesAndTukeyWhiskers() throws {
        let box = try XCTUnwrap(BoxSummary(Self.values + [20, .nan]))
        XCTAssertEqual(box.count, 12)
        XCTAssertEqual(box.median, 5.65, accuracy: 1e-12)
        XCTAssertEqual(box.outliers, [20])
        XCTAssertEqual(box.lowerWhisker, 4.3)
        XCTAssertEqual(box.upperWhisker, 7.9)
        let plain = try XCTUnwrap(BoxSummary(Self.values))
        XCTAssertEqual([plain.lowerQuartile, plain.median, plain.upperQuartile], [5.0, 5.5, 6.199999999999999])
        XCTAssertNil(BoxSummary([.nan]))
    }

    func testAWhiskerStopsAtTheBoxWhenTheQuartileIsPulledPastEveryValueInside() throws {
        // Q3 = 3 + 0.25 · 97 = 27.25, and 3 is the last value within the fence: the whisker
        // stops at Q3 (a whisker below the box crashed the terminal renderer).
        let box = try XCTUnwrap(BoxSummary([1, 2, 3, 100]))
        XCTAssertEqual([box.lowerWhisker, box.lowerQuartile, box.median, box.upperQuartile, box.upperWhisker], [1, 1.75, 2.5, 27.25, 27.25])
        XCTAssertEqual(box.outliers, [100])
        let mirrored = try XCTUnwrap(BoxSummary([-100, -3, -2, -1]))
        XCTAssertEqual([mirrored.lowerWhisker, mirrored.lowerQuartile], [-27.25, -27.25])
        XCTAssertEqual(mirrored.outliers, [-100])
        let figure = Figure(kind: .box, title: "Box", x: Axis("g", categories: ["a"]), y: Axis("v"),
                            series: [Series("", .boxes([Box(position: 0, summary: box)]))])
        XCTAssertTrue(TerminalRenderer.render(figure, style: TerminalStyle(characters: .ascii, width: 40, height: 8)).contains("Box"))
    }

    func testNormalQuantileMatchesScipy() {
        let p = [1e-300, 1e-10, 0.001, 0.025, 0.25, 0.5, 0.75, 0.975, 0.999, 1 - 1e-10]
        let expected = [-37.0470962993612, -6.361340902404056, -3.090232306167813, -1.9599639845400545, -0.6744897501960817,
                        0.0, 0.6744897501960817, 1.959963984540054, 3.090232306167813, 6.361340889697422]
        for (p, expected) in zip(p, expected) {
            XCTAssertEqual(Normal.quantile(p), expected, accuracy: 1e-14 * max(1, abs(expected)), "p = \(p)")
        }
        XCTAssertEqual(Normal.quantile(0), -.infinity)
        XCTAssertTrue(Normal.quantile(1.5).isNaN)
    }

    func testLeastSquaresLineAndQQLine() throws {
        let line = try XCTUnwrap(LeastSquaresLine([Point(0, 1), Point(1, 3), Point(2, 5)]))
        XCTAssertEqual(line.intercept, 1, accuracy: 1e-15)
        XCTAssertEqual(line.slope, 2, accuracy: 1e-15)
        XCTAssertNil(LeastSquaresLine([Point(1, 1), Point(1, 2)]))
        // R: qqnorm(x) uses ppoints(11) = (1:11 - 0.5) / 11 (n > 10); qqline passes through the quartiles.
        let qq = NormalQuantiles(Self.values)
        XCTAssertEqual(qq.points.first!.x, Normal.quantile(0.5 / 11), accuracy: 1e-15)
        XCTAssertEqual(qq.points.map(\.y), Self.values.sorted())
        XCTAssertEqual(qq.lineIntercept + qq.lineSlope * Normal.quantile(0.25), 5.0, accuracy: 1e-12)
        XCTAssertEqual(qq.lineIntercept + qq.lineSlope * Normal.quantile(0.75), 6.2, accuracy: 1e-12)
    }
}
