import Numerics
import XCTest

/// Reference values from scikit-learn 1.9, printed by `python3 Tests/References/classify.py regression`.
final class RegressionScoresTests: XCTestCase {
    /// One actual value is 0, so MAPE divides by ε there.
    static let actual = [3.0, -0.5, 2.0, 7.0, 0.0, 4.5, 1.25, -2.0]
    static let predicted = [2.5, 0.0, 2.0, 8.0, 0.25, 4.0, 1.0, -1.5]

    func testScoresMatchScikitLearn() throws {
        let (a, p) = (Self.actual, Self.predicted)
        assertRelative(try RegressionScores.meanSquaredError(actual: a, predicted: p), 0.265625, 1e-15)
        assertRelative(try RegressionScores.rootMeanSquaredError(actual: a, predicted: p), 0.5153882032022076, 1e-15)
        assertRelative(try RegressionScores.meanAbsoluteError(actual: a, predicted: p), 0.4375, 1e-15)
        assertRelative(try RegressionScores.meanAbsolutePercentageError(actual: a, predicted: p), 140737488355328.22, 1e-14)
        let nonZero = a.indices.filter { a[$0] != 0 }
        assertRelative(try RegressionScores.meanAbsolutePercentageError(actual: nonZero.map { a[$0] }, predicted: nonZero.map { p[$0] }),
                       0.2672335600907029, 1e-14)
        assertRelative(try XCTUnwrap(RegressionScores.rSquared(actual: a, predicted: p)), 0.9639782810223811, 1e-14)
        assertRelative(try XCTUnwrap(RegressionScores.adjustedRSquared(actual: a, predicted: p, predictorCount: 3)), 0.936961991789167, 1e-14)
        assertRelative(try XCTUnwrap(RegressionScores.explainedVariance(actual: a, predicted: p)), 0.9660972056681234, 1e-14)
    }

    /// Constant actual values leave nothing to explain; too many predictors leave no degrees of freedom.
    func testUndefinedScoresAreNil() throws {
        XCTAssertNil(try RegressionScores.rSquared(actual: [2, 2, 2], predicted: [1, 2, 3]))
        XCTAssertNil(try RegressionScores.explainedVariance(actual: [2, 2, 2], predicted: [2, 2, 2]))
        XCTAssertNil(try RegressionScores.adjustedRSquared(actual: [1, 2, 4], predicted: [1, 2, 3], predictorCount: 2))
        XCTAssertNotNil(try RegressionScores.adjustedRSquared(actual: [1, 2, 4], predicted: [1, 2, 3], predictorCount: 1))
    }

    func testBadInputIsRefusedWithTheValueNamed() {
        assertThrows(.data, containing: ["no actual values"]) { try RegressionScores.meanSquaredError(actual: [], predicted: []) }
        assertThrows(.data, containing: ["the predictions", "nan", "row 2"]) {
            try RegressionScores.meanAbsoluteError(actual: [1, 2], predicted: [1, .nan])
        }
        assertThrows(.software, containing: ["1 predictions for 2 actual values"]) {
            try RegressionScores.rSquared(actual: [1, 2], predicted: [1])
        }
        assertThrows(.usage, containing: ["predictors", "got -1"]) {
            try RegressionScores.adjustedRSquared(actual: [1, 2, 3], predicted: [1, 2, 3], predictorCount: -1)
        }
    }
}
