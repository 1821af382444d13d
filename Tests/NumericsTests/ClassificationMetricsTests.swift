import Numerics
import XCTest

/// Reference values from scikit-learn 1.9, printed by `python3 Tests/References/classify.py metrics`
/// (the cases are defined there, and copied here).
final class ClassificationMetricsTests: XCTestCase {
    static let binaryActual = [0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1]
    /// Tied scores across the classes (0.4 twice negative, once positive), and the extremes 0 and 1.
    static let binaryP1 = [0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.0, 1.0, 0.65, 0.7, 0.2, 0.5]
    static let multiActual = [0, 0, 1, 2, 1, 2, 0, 1, 2, 2, 1, 0, 2, 1]
    static let multiP: [[Double]] = [
        [0.7, 0.2, 0.1], [0.5, 0.3, 0.2], [0.2, 0.5, 0.3], [0.1, 0.6, 0.3], [0.3, 0.3, 0.4], [0.2, 0.2, 0.6],
        [0.3, 0.4, 0.3], [0.0, 1.0, 0.0], [0.25, 0.25, 0.5], [0.4, 0.35, 0.25], [0.1, 0.8, 0.1], [0.6, 0.1, 0.3],
        [0.2, 0.45, 0.35], [0.5, 0.25, 0.25],
    ]

    static func matrix(_ rows: [[Double]]) -> Matrix {
        Matrix(rows: rows.count, columns: rows[0].indices.map { j in rows.map { $0[j] } })
    }

    func assertScores(_ scores: LabelScores, accuracy: Double, balanced: Double, precision: [Double], recall: [Double],
                      f1: [Double], support: [Int], macro: [Double], weighted: [Double], confusion: [[Int]],
                      file: StaticString = #filePath, line: UInt = #line) {
        assertRelative(scores.accuracy, accuracy, 1e-15, "accuracy", file: file, line: line)
        assertRelative(scores.balancedAccuracy, balanced, 1e-15, "balanced accuracy", file: file, line: line)
        for (c, expected) in zip(0..., zip(zip(precision, recall), zip(f1, support))) {
            let actual = scores.perClass[c]
            assertRelative(actual.precision, expected.0.0, 1e-15, "precision \(c)", file: file, line: line)
            assertRelative(actual.recall, expected.0.1, 1e-15, "recall \(c)", file: file, line: line)
            assertRelative(actual.f1, expected.1.0, 1e-15, "f1 \(c)", file: file, line: line)
            XCTAssertEqual(actual.support, expected.1.1, "support \(c)", file: file, line: line)
        }
        for (average, expected) in [(scores.macroAverage, macro), (scores.weightedAverage, weighted)] {
            assertRelative(average.precision, expected[0], 1e-15, "average precision", file: file, line: line)
            assertRelative(average.recall, expected[1], 1e-15, "average recall", file: file, line: line)
            assertRelative(average.f1, expected[2], 1e-15, "average f1", file: file, line: line)
        }
        XCTAssertEqual(scores.confusion, confusion, file: file, line: line)
    }

    func testBinaryScoresMatchScikitLearn() throws {
        let predicted = try ClassificationMetrics.classes(positiveProbabilities: Self.binaryP1, threshold: 0.5)
        XCTAssertEqual(predicted, Self.binaryP1.map { $0 >= 0.5 ? 1 : 0 })
        let probabilities = Self.matrix(Self.binaryP1.map { [1 - $0, $0] })
        let scores = try ClassificationMetrics.evaluate(actual: Self.binaryActual, predicted: predicted,
                                                        probabilities: probabilities, classCount: 2)
        assertScores(scores.labels, accuracy: 0.75, balanced: 0.75, precision: [0.7142857142857143, 0.8],
                     recall: [0.8333333333333334, 0.6666666666666666], f1: [0.7692307692307693, 0.7272727272727273],
                     support: [6, 6], macro: [0.7571428571428571, 0.75, 0.7482517482517483],
                     weighted: [0.7571428571428571, 0.75, 0.7482517482517483], confusion: [[5, 1], [2, 4]])
        let p = scores.probabilities
        assertRelative(try XCTUnwrap(p.rocAUC), 0.8055555555555556, 1e-15)
        XCTAssertEqual(p.weightedROCAUC, p.rocAUC)
        assertRelative(p.logLoss, 0.4889428852641163, 1e-14)
        assertRelative(p.brierScore, 0.17125, 1e-14)
    }

    func testCurvesMatchScikitLearn() throws {
        let positive = Self.binaryActual.map { $0 == 1 }
        let roc = try ClassificationMetrics.rocCurve(positive: positive, scores: Self.binaryP1)
        XCTAssertEqual(roc.map(\.threshold), [.infinity, 1.0, 0.8, 0.7, 0.65, 0.5, 0.4, 0.35, 0.2, 0.1, 0.0])
        XCTAssertEqual(roc.map(\.falsePositiveRate), [0.0, 0.0, 0.0, 0.16666666666666666, 0.16666666666666666, 0.16666666666666666,
                                                      0.5, 0.5, 0.6666666666666666, 0.8333333333333334, 1.0])
        XCTAssertEqual(roc.map(\.truePositiveRate), [0.0, 0.16666666666666666, 0.3333333333333333, 0.3333333333333333, 0.5,
                                                     0.6666666666666666, 0.8333333333333334, 1.0, 1.0, 1.0, 1.0])
        // scikit-learn lists the precision–recall curve from the lowest threshold up; reversed here.
        let pr = try ClassificationMetrics.precisionRecallCurve(positive: positive, scores: Self.binaryP1)
        XCTAssertEqual(pr.map(\.threshold), [.infinity] + [0.0, 0.1, 0.2, 0.35, 0.4, 0.5, 0.65, 0.7, 0.8, 1.0].reversed())
        XCTAssertEqual(pr.map(\.precision), [0.5, 0.5454545454545454, 0.6, 0.6666666666666666, 0.625, 0.8, 0.75,
                                             0.6666666666666666, 1.0, 1.0, 1.0].reversed())
        XCTAssertEqual(pr.map(\.recall), [1.0, 1.0, 1.0, 1.0, 0.8333333333333334, 0.6666666666666666, 0.5, 0.3333333333333333,
                                          0.3333333333333333, 0.16666666666666666, 0.0].reversed())
    }

    func testMulticlassScoresMatchScikitLearn() throws {
        let probabilities = Self.matrix(Self.multiP)
        let predicted = ClassificationMetrics.mostProbableClasses(probabilities)
        // Row 5 (0.3, 0.3, 0.4) has no tie at the top; row 9's (0.25, 0.25, 0.5) neither: the
        // argmax agrees with numpy's.
        XCTAssertEqual(predicted, [0, 0, 1, 1, 2, 2, 1, 1, 2, 0, 1, 0, 1, 0])
        let scores = try ClassificationMetrics.evaluate(actual: Self.multiActual, predicted: predicted,
                                                        probabilities: probabilities, classCount: 3)
        assertScores(scores.labels, accuracy: 0.5714285714285714, balanced: 0.5833333333333334,
                     precision: [0.6, 0.5, 0.6666666666666666], recall: [0.75, 0.6, 0.4],
                     f1: [0.6666666666666666, 0.5454545454545454, 0.5], support: [4, 5, 5],
                     macro: [0.5888888888888889, 0.5833333333333334, 0.5707070707070706],
                     weighted: [0.5880952380952381, 0.5714285714285714, 0.5638528138528138],
                     confusion: [[3, 1, 0], [1, 3, 1], [1, 2, 2]])
        let p = scores.probabilities
        assertRelative(try XCTUnwrap(p.rocAUC), 0.8342592592592591, 1e-14)
        assertRelative(try XCTUnwrap(p.weightedROCAUC), 0.8277777777777777, 1e-14)
        assertRelative(p.logLoss, 0.7939457531557876, 1e-14)
        assertRelative(p.brierScore, 0.46857142857142847, 1e-14)
    }

    /// Four classes in the model: 3 neither occurs nor is predicted (left out of the macro
    /// average, as scikit-learn's default label set leaves it out), 2 is predicted but never
    /// occurs (recall 0 by the zero-division rule), 1 is never predicted (precision 0).
    func testAbsentClassesFollowTheZeroDivisionRule() throws {
        let scores = try ClassificationMetrics.labelScores(actual: [0, 0, 1, 1, 0, 1], predicted: [0, 2, 0, 0, 0, 2], classCount: 4)
        assertScores(scores, accuracy: 0.3333333333333333, balanced: 0.3333333333333333, precision: [0.5, 0.0, 0.0, 0],
                     recall: [0.6666666666666666, 0.0, 0.0, 0], f1: [0.5714285714285714, 0.0, 0.0, 0], support: [3, 3, 0, 0],
                     macro: [0.16666666666666666, 0.2222222222222222, 0.19047619047619047],
                     weighted: [0.25, 0.3333333333333333, 0.2857142857142857],
                     confusion: [[2, 0, 1, 0], [2, 0, 1, 0], [0, 0, 0, 0], [0, 0, 0, 0]])
    }

    /// A certain, wrong prediction costs −log ε, not infinity: log_loss([0, 1, 1], …) = 12.2456….
    func testLogLossClipsAtMachineEpsilon() throws {
        let probabilities = Self.matrix([[1, 0], [1, 0], [0.5, 0.5]])
        let scores = try ClassificationMetrics.probabilityScores(actual: [0, 1, 1], probabilities: probabilities)
        assertRelative(scores.logLoss, 12.245600189892366, 1e-14)
    }

    /// ROC AUC is undefined (nil) when a class has no actual rows; the other scores are not.
    func testROCAUCIsUndefinedWithoutBothClasses() throws {
        let binary = try ClassificationMetrics.probabilityScores(actual: [1, 1], probabilities: Self.matrix([[0.2, 0.8], [0.6, 0.4]]))
        XCTAssertNil(binary.rocAUC)
        XCTAssertNil(binary.weightedROCAUC)
        let multi = try ClassificationMetrics.probabilityScores(actual: [0, 1, 1], probabilities: Self.matrix(Array(Self.multiP.prefix(3))))
        XCTAssertNil(multi.rocAUC)
        XCTAssertEqual(try ClassificationMetrics.rocAUC(positive: [true, false], scores: [0.5, 0.5]), 0.5)
        XCTAssertNil(try ClassificationMetrics.rocAUC(positive: [false, false], scores: [0.5, 0.7]))
        assertThrows(.data, containing: ["both classes", "every row is positive"]) {
            try ClassificationMetrics.rocCurve(positive: [true, true], scores: [0.1, 0.2])
        }
    }

    /// Exactly at the threshold is class 1; argmax ties go to the lower class.
    func testThresholdAndArgmaxTies() throws {
        XCTAssertEqual(try ClassificationMetrics.classes(positiveProbabilities: [0.3, 0.5, 0.7], threshold: 0.5), [0, 1, 1])
        XCTAssertEqual(try ClassificationMetrics.classes(positiveProbabilities: [0.3, 0.5, 0.7], threshold: 0.3), [1, 1, 1])
        XCTAssertEqual(ClassificationMetrics.mostProbableClasses(Self.matrix([[0.5, 0.5], [0.2, 0.8], [0.4, 0.4]])), [0, 1, 0])
    }

    func testBadInputIsRefusedWithTheValueNamed() {
        assertThrows(.usage, containing: ["threshold", "[0, 1]", "got 1.5"]) {
            try ClassificationMetrics.classes(positiveProbabilities: [0.2], threshold: 1.5)
        }
        assertThrows(.usage, containing: ["got nan"]) { try ClassificationMetrics.classes(positiveProbabilities: [0.2], threshold: .nan) }
        assertThrows(.data, containing: ["no actual classes"]) {
            try ClassificationMetrics.labelScores(actual: [], predicted: [], classCount: 2)
        }
        assertThrows(.data, containing: ["predicted classes has class index 2 at row 2, outside 0..<2"]) {
            try ClassificationMetrics.labelScores(actual: [0, 1], predicted: [0, 2], classCount: 2)
        }
        assertThrows(.data, containing: ["at least 2 classes, got 1"]) {
            try ClassificationMetrics.probabilityScores(actual: [0], probabilities: Self.matrix([[1]]))
        }
        assertThrows(.data, containing: ["class index 0 at row 2 is -0.5, outside [0, 1]"]) {
            try ClassificationMetrics.probabilityScores(actual: [0, 1], probabilities: Self.matrix([[1, 0], [-0.5, 1.5]]))
        }
        assertThrows(.data, containing: ["scores has a non-finite value (nan) at row 2"]) {
            try ClassificationMetrics.rocAUC(positive: [true, false], scores: [0.5, .nan])
        }
        assertThrows(.software, containing: ["2 probability columns for 3 classes"]) {
            try ClassificationMetrics.evaluate(actual: [0], predicted: [0], probabilities: Self.matrix([[1, 0]]), classCount: 3)
        }
        assertThrows(.data, containing: ["class index 0 at row 1 is nan"]) {
            try ClassificationMetrics.probabilityScores(actual: [0], probabilities: Self.matrix([[.nan, 0]]))
        }
    }
}
