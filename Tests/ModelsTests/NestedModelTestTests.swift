import Diagnostics
import Models
import Tabular
import XCTest

/// anova's nested-model tests against R 4.2:
///   x1 <- 1:10; x2 <- (1:10)^2 %% 7; y <- c(3.1, 4.5, 4.9, 7.2, 8.8, 9.1, 11.5, 12.2, 14.9, 15.1)
///   anova(lm(y ~ x1), lm(y ~ x1 + x2))
///   b <- c(0,0,1,0,1,1,0,1,1,1); anova(glm(b ~ x1, binomial), glm(b ~ x1 + x2, binomial), test = "Chisq")
final class NestedModelTestTests: XCTestCase {
    private let data = try! Dataset(columns: [
        .numeric("x1", (1...10).map(Double.init)),
        .numeric("x2", (1...10).map { Double($0 * $0 % 7) }),
        .numeric("y", [3.1, 4.5, 4.9, 7.2, 8.8, 9.1, 11.5, 12.2, 14.9, 15.1]),
        .numeric("b", [0, 0, 1, 0, 1, 1, 0, 1, 1, 1], type: .integer),
    ])

    private func fit(_ kind: String, _ target: String, _ features: [String]) throws -> Model {
        try ModelCatalogue.fit(kind: kind, data: data, datasetName: "d", target: target, features: features, options: [:])
    }

    func testLinearFTestIsRsAnovaLm() throws {
        let small = try fit("linear", "y", ["x1"]), large = try fit("linear", "y", ["x1", "x2"])
        for test in [try NestedModelTest(small, named: "small", large, named: "large"), try NestedModelTest(large, named: "large", small, named: "small")] {
            XCTAssertTrue(test.isLinear)
            XCTAssertEqual(test.smaller.residualDegreesOfFreedom, 8)
            XCTAssertEqual(test.larger.residualDegreesOfFreedom, 7)
            XCTAssertEqual(test.smaller.residual, 2.5002424242424266, accuracy: 1e-12)
            XCTAssertEqual(test.larger.residual, 1.8996394075981975, accuracy: 1e-12)
            XCTAssertEqual(test.statistic, 2.2131679831938191, accuracy: 1e-11)
            XCTAssertEqual(test.pValue, 0.18043662074521996, accuracy: 1e-12)
        }
    }

    func testLogisticChiSquareTestIsRsAnovaGlm() throws {
        let test = try NestedModelTest(try fit("logistic", "b", ["x1"]), named: "g1", try fit("logistic", "b", ["x1", "x2"]), named: "g2")
        XCTAssertFalse(test.isLinear)
        XCTAssertEqual(test.smaller.residual, 9.8027313535501683, accuracy: 1e-7)
        XCTAssertEqual(test.larger.residual, 8.4192703069882011, accuracy: 1e-7)
        XCTAssertEqual(test.reduction, 1.3834610465619672, accuracy: 1e-7)
        XCTAssertEqual(test.pValue, 0.23951248387353813, accuracy: 1e-7)
    }

    func testOnlyNestedFitsOfOneKindAndTargetCompare() throws {
        let wrong: [(Model, Model, String)] = [
            (try fit("linear", "y", ["x1"]), try fit("linear", "y", ["x2", "b"]), "not within"),
            (try fit("linear", "y", ["x1"]), try fit("logistic", "b", ["x1", "x2"]), "of one kind"),
            (try fit("linear", "y", ["x1"]), try fit("linear", "x2", ["x1", "b"]), "one target"),
            (try fit("linear", "y", ["x1"]), try fit("linear", "y", ["x1"]), "as many residual degrees of freedom"),
            (try fit("tree", "y", ["x1"]), try fit("linear", "y", ["x1"]), "two linear models"),
        ]
        for (first, second, reason) in wrong {
            XCTAssertThrowsError(try NestedModelTest(first, named: "a", second, named: "b")) { error in
                XCTAssertTrue((error as? ModelshError)?.message.contains(reason) == true, "\(error)")
            }
        }
    }
}
