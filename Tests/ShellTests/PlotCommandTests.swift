import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Plotting
@testable import Shell
import XCTest

final class PlotCommandTests: ShellTestCase {
    override func setUp() {
        super.setUp()
        run("load \"data/iris.csv\" as iris")
    }

    func testEveryKindDrawsAndTheCellKeepsItsFigure() {
        run("load \"data/diabetes.csv\" as diabetes; fit linear diabetes target=Y as m; fit tree iris target=Species max_depth=2 as t")
        let commands = ["plot hist iris Sepal.Length", "plot hist iris Petal.Length by=Species bins=12", "plot scatter iris Sepal.Length Petal.Length line=yes",
                        "plot box iris Sepal.Width by=Species", "plot residuals m on diabetes", "plot qq m on diabetes", "plot pred m on diabetes",
                        "plot coef m", "plot roc t on iris", "plot pr t on iris", "plot confusion t on iris", "plot importance t"]
        for command in commands {
            let output = run(command)
            XCTAssertGreaterThan(output.split(separator: "\n").count, 4, command)
            XCTAssertTrue(output.unicodeScalars.allSatisfy(\.isASCII), "ASCII when the sink is not a terminal: \(command)")
            XCTAssertEqual(session.figures[session.cells.last!.number]?.count, 1, command)
        }
        let kinds = session.figures.sorted { $0.key < $1.key }.map { $0.value[0].kind }
        XCTAssertEqual(kinds, [.histogram, .histogram, .scatter, .box, .residuals, .qq, .predicted, .coefficients, .roc, .precisionRecall, .confusion, .importance])
    }

    func testToWritesAWellFormedSVGInstead() throws {
        let path = temporaryPath("hist.svg")
        XCTAssertEqual(run("plot hist iris Sepal.Length to \"\(path)\""), "wrote \"\(path)\": Histogram of Sepal.Length (iris, 150 rows)")
        let parser = XMLParser(data: try Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertTrue(parser.parse())
        XCTAssertEqual(session.figures.count, 1)
    }

    func testATerminalGetsUnicodeAndSetPlotChooses() {
        sink = CapturingSink(terminal: TerminalDisplay(width: 60, colour: false))
        session = Session(sink: sink)
        run("load \"data/iris.csv\" as iris")
        let unicode = run("plot hist iris Sepal.Width")
        XCTAssertTrue(unicode.contains("█"))
        XCTAssertLessThanOrEqual(unicode.split(separator: "\n").map(\.count).max()!, 60, "the terminal's width")
        run("set plot ascii")
        XCTAssertFalse(run("plot hist iris Sepal.Width").contains("█"))
        XCTAssertEqual(run("set plot"), "plot ascii")
        XCTAssertEqual(fail("set plot braile").error?.message, "plot is one of auto, unicode, ascii, found 'braile'")
    }

    func testFormsAndRefusals() {
        XCTAssertEqual(fail("plot histogram iris Sepal.Length").error?.message, "unknown plot kind 'histogram' (kinds: hist, scatter, box, residuals, qq, pred, roc, pr, confusion, importance, coef, learning-curve, monitor)")
        XCTAssertEqual(fail("plot hst iris Sepal.Length").error?.message, "unknown plot kind 'hst'; did you mean 'hist'? (kinds: hist, scatter, box, residuals, qq, pred, roc, pr, confusion, importance, coef, learning-curve, monitor)")
        XCTAssertEqual(fail("plot").error?.message, "plot needs one of hist, scatter, box, residuals, qq, pred, roc, pr, confusion, importance, coef, learning-curve, monitor")
        XCTAssertEqual(fail("plot hist iris Species").error?.message, "'Species' is categorical; this plot needs a numeric column")
        XCTAssertEqual(fail("plot hist iris Sepal.Length to").error?.message, "plot needs PATH; usage: plot hist DATA COLUMN [to PATH] [bins=…] [by=…]")
        XCTAssertEqual(fail("plot roc iris on iris").error?.message, "'iris' is a dataset, not a model")
        XCTAssertEqual(fail("plot hist iris Sepal.Length \"x.svg\"").error?.message, "plot is written 'plot hist DATA COLUMN [to PATH] [bins=…] [by=…]'")
        run("fit linear iris target=Sepal.Length as lm")
        XCTAssertEqual(fail("plot roc lm on iris").error?.message, "plot roc needs a classifier; 'lm' is a regression model (try residuals, qq or pred)")
        XCTAssertEqual(fail("plot importance lm").error?.message, "a linear model has no importances of its own (explain MODEL on DATA measures them by permutation)")
        XCTAssertEqual(fail("plot scatter iris Sepal.Length Petal.Length by=Sepal.Width").error?.message, "'Sepal.Width' has 23 different values; by= draws at most 10 groups")
        XCTAssertTrue(session.figures.isEmpty, "failed plots keep no figure")
    }

    func testLearningCurveAndMonitoringHistory() throws {
        run("load \"data/diabetes.csv\" as d; split d test=0.3 seed=3 as train, test")
        XCTAssertTrue(run("plot learning-curve linear train target=Y sizes=0.5,1").contains("Learning curve of linear on train (r2)"))
        let curve = try XCTUnwrap(session.figures.values.first?.first)
        XCTAssertEqual(curve.kind, .learningCurve)
        XCTAssertEqual(curve.series.map(\.name), ["train", "train ± 1 sd", "validation", "validation ± 1 sd"])
        XCTAssertEqual(run("plot learning_curve linear train target=Y sizes=0.5,1"), run("plot learning-curve linear train target=Y sizes=0.5,1"),
                       "the old spelling is an alias")
        run("fit linear train target=Y as m; monitor m on test")
        XCTAssertEqual(fail("plot monitor m").error?.message, "no monitoring entry of m@1 measured r2 (record one with labels: monitor m on NEW label=COLUMN)")
        run("monitor m on test label=Y; monitor m on train label=Y")
        XCTAssertTrue(run("plot monitor m").contains("Monitoring history of m@1 (r2)"))
        let history = try XCTUnwrap(session.figures[session.figures.keys.max()!]?.first)
        guard case .line(let points) = history.series[0].mark else { return XCTFail("the metric is a line") }
        XCTAssertEqual(points.map(\.x), [2, 3], "entries with labels, numbered as monitor history numbers them")
        XCTAssertEqual(run("plot history m"), run("plot monitor m"), "the old name is an alias")
        XCTAssertEqual(fail("plot monitor m drop=x").error?.message, "drop must be a number, found a name 'x'")
    }

    /// Both curve plots write well-formed SVG with their title, axis labels and every series.
    func testCurvePlotsWriteSVG() throws {
        run("load \"data/diabetes.csv\" as d; split d test=0.3 seed=3 as train, test; fit linear train target=Y as m")
        run("monitor m on test label=Y; monitor m on train label=Y")
        for (command, title, texts) in [
            ("plot learning-curve linear train target=Y sizes=0.25,0.5,1", "Learning curve of linear on train (r2)",
             ["training rows", "validation ± 1 sd"]),
            ("plot monitor m", "Monitoring history of m@1 (r2)", ["training", "entry"]),
        ] {
            let path = temporaryPath("curve.svg")
            XCTAssertEqual(run("\(command) to \"\(path)\""), "wrote \"\(path)\": \(title)")
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            XCTAssertTrue(XMLParser(data: data).parse(), command)
            let svg = String(decoding: data, as: UTF8.self)
            for text in [title] + texts { XCTAssertTrue(svg.contains(text), "\(command): \(text)") }
        }
    }

    func testADatasetMayBeCalledLikeAPlotKind() {
        run("load \"data/iris.csv\" as hist")
        XCTAssertTrue(run("plot hist hist Sepal.Length").contains("Histogram of Sepal.Length (hist, 150 rows)"))
    }
}
