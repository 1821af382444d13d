import Models
import Plotting
@testable import Shell
import XCTest

/// The curves `plot roc` and `plot pr` draw, against scikit-learn's roc_curve (its default
/// drop_intermediate=True) and precision_recall_curve: `python3 Tests/References/plots.py`.
final class PlotFigureTests: XCTestCase {
    static let binaryActual = [0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1]
    static let binaryP1 = [0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.0, 1.0, 0.65, 0.7, 0.2, 0.5]
    static let multiActual = [0, 0, 1, 2, 1, 2, 0, 1, 2, 2, 1, 0, 2, 1]
    static let multiP: [[Double]] = [
        [0.7, 0.2, 0.1], [0.5, 0.3, 0.2], [0.2, 0.5, 0.3], [0.1, 0.6, 0.3], [0.3, 0.3, 0.4], [0.2, 0.2, 0.6],
        [0.3, 0.4, 0.3], [0.0, 1.0, 0.0], [0.25, 0.25, 0.5], [0.4, 0.35, 0.25], [0.1, 0.8, 0.1], [0.6, 0.1, 0.3],
        [0.2, 0.45, 0.35], [0.5, 0.25, 0.25],
    ]

    static var binary: ScoredRows {
        .classes(actual: binaryActual, probabilities: [binaryP1.map { 1 - $0 }, binaryP1], labels: ["no", "yes"])
    }

    /// Any classifier will do: the figures read only the model's task and name.
    func figures() throws -> ModelFigures {
        let session = Session(sink: CapturingSink())
        let iris = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("sessions/data/iris.csv").path
        XCTAssertEqual(session.execute("load \"\(iris)\" as iris; fit logistic iris target=Species as m"), .ok)
        guard let model = session.state.variables.model("m") else { throw XCTSkip("no model") }
        return ModelFigures(model: model, modelName: "m")
    }

    func lines(_ figure: Figure) -> [(name: String, points: [Point])] {
        figure.series.compactMap { series in
            guard series.style == .data, case .line(let points) = series.mark else { return nil }
            return (series.name, points)
        }
    }

    func testBinaryROCIsScikitLearnsRocCurve() throws {
        let figure = try figures().roc(Self.binary, on: "test")
        let curves = lines(figure)
        XCTAssertEqual(curves.map(\.name), ["yes (AUC 0.806)"])
        XCTAssertEqual(curves[0].points.map(\.x), [0.0, 0.0, 0.0, 0.16666666666666666, 0.16666666666666666, 0.5, 0.5, 1.0])
        XCTAssertEqual(curves[0].points.map(\.y), [0.0, 0.16666666666666666, 0.3333333333333333, 0.3333333333333333,
                                                   0.6666666666666666, 0.8333333333333334, 1.0, 1.0])
        XCTAssertEqual(figure.series.first?.style, .reference, "the chance diagonal")
    }

    func testMulticlassROCIsOneVersusRest() throws {
        let scored = ScoredRows.classes(actual: Self.multiActual, probabilities: (0 ..< 3).map { k in Self.multiP.map { $0[k] } },
                                        labels: ["a", "b", "c"])
        let curves = lines(try figures().roc(scored, on: "test"))
        XCTAssertEqual(curves.map(\.name), ["a (AUC 0.925)", "b (AUC 0.756)", "c (AUC 0.822)"])
        XCTAssertEqual(curves[0].points.map(\.x), [0.0, 0.0, 0.0, 0.1, 0.2, 0.3, 0.4, 0.7, 0.9, 1.0])
        XCTAssertEqual(curves[0].points.map(\.y), [0.0, 0.25, 0.5, 0.75, 0.75, 1.0, 1.0, 1.0, 1.0, 1.0])
        XCTAssertEqual(curves[1].points.map(\.x), [0.0, 0.0, 0.0, 0.1111111111111111, 0.1111111111111111, 0.4444444444444444,
                                                   0.6666666666666666, 0.8888888888888888, 1.0])
        XCTAssertEqual(curves[1].points.map(\.y), [0.0, 0.2, 0.4, 0.4, 0.6, 0.6, 1.0, 1.0, 1.0])
        XCTAssertEqual(curves[2].points.map(\.x), [0.0, 0.0, 0.0, 0.1111111111111111, 0.1111111111111111, 0.4444444444444444,
                                                   0.5555555555555556, 0.6666666666666666, 0.8888888888888888, 1.0])
        XCTAssertEqual(curves[2].points.map(\.y), [0.0, 0.2, 0.4, 0.4, 0.6, 0.8, 1.0, 1.0, 1.0, 1.0])
    }

    func testPrecisionRecallStepsThroughScikitLearnsPoints() throws {
        let figure = try figures().precisionRecall(Self.binary, on: "test")
        let curve = lines(figure)[0].points
        // Every other point is one of precision_recall_curve's (in its order, recall falling);
        // those between are the corners of the steps after each.
        let corners = stride(from: 0, to: curve.count, by: 2).map { curve[$0] }
        XCTAssertEqual(corners.map(\.y), [0.5, 0.5454545454545454, 0.6, 0.6666666666666666, 0.625, 0.8, 0.75,
                                          0.6666666666666666, 1.0, 1.0, 1.0])
        XCTAssertEqual(corners.map(\.x), [1.0, 1.0, 1.0, 1.0, 0.8333333333333334, 0.6666666666666666, 0.5, 0.3333333333333333,
                                          0.3333333333333333, 0.16666666666666666, 0.0])
        for index in stride(from: 1, to: curve.count, by: 2) {
            XCTAssertEqual(curve[index], Point(curve[index + 1].x, curve[index - 1].y))
        }
        XCTAssertEqual(figure.series.first?.name, "share of positives (0.500)")
    }
}
