import Diagnostics
@testable import Models
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

    /// An exact fit leaves no residual variance: no F, no p-value (R's NA), not a false 0.
    func testNoTestAgainstAnExactFit() throws {
        let three = try Dataset(columns: [.numeric("x", [1, 2, 3]), .numeric("z", [2, 1, 5]), .numeric("y", [3, 5, 4])])
        let small = try ModelCatalogue.fit(kind: "linear", data: three, datasetName: "t", target: "y", features: ["x"], options: [:])
        let exact = try ModelCatalogue.fit(kind: "linear", data: three, datasetName: "t", target: "y", features: ["x", "z"], options: [:])
        let test = try NestedModelTest(small, named: "s", exact, named: "e")
        XCTAssertEqual(test.larger.residualDegreesOfFreedom, 0)
        XCTAssertTrue(test.statistic.isNaN && test.pValue.isNaN)
        let anova = try SequentialAnova(exact, named: "e")
        XCTAssertTrue(anova.residualMeanSquare.isNaN)
        XCTAssertTrue(anova.rows.allSatisfy { $0.fValue.isNaN && $0.pValue.isNaN })
    }

    func testOnlyNestedFitsOfOneKindAndTargetCompare() throws {
        let wrong: [(Model, Model, String)] = [
            (try fit("linear", "y", ["x1"]), try fit("linear", "y", ["x2", "b"]), "not within"),
            (try fit("linear", "y", ["x1"]), try fit("logistic", "b", ["x1", "x2"]), "of one kind"),
            (try fit("linear", "y", ["x1"]), try fit("linear", "x2", ["x1", "b"]), "one target"),
            (try fit("linear", "y", ["x1"]), try fit("linear", "y", ["x1"]), "as many residual degrees of freedom"),
            (try fit("tree", "y", ["x1"]), try fit("linear", "y", ["x1"]), "two linear models"),
            (try fit("logistic", "x2", ["x1"]), try fit("logistic", "x2", ["x1", "y"]), "is a penalised or multinomial logistic model"),
            (try fit("poisson", "b", ["x1"]), try fit("logistic", "b", ["x1", "x2"]), "of one kind"),
        ]
        for (first, second, reason) in wrong {
            XCTAssertThrowsError(try NestedModelTest(first, named: "a", second, named: "b")) { error in
                XCTAssertTrue((error as? ModelshError)?.message.contains(reason) == true, "\(error)")
            }
        }
    }
}

/// anova of one linear model against R 4.2: anova(lm(mpg ~ wt + hp + am, mtcars)), and
/// Species' two indicators as one row (anova(lm(Sepal.Length ~ Species + Petal.Width, iris))).
final class SequentialAnovaTests: XCTestCase {
    private func fit(_ file: String, _ target: String, _ features: [String], _ options: [String: String] = [:]) throws -> Model {
        let data = try CSVReader.read(path: TestData.directory.appendingPathComponent(file).path)
        return try ModelCatalogue.fit(kind: "linear", data: data, datasetName: "d", target: target, features: features, options: options)
    }

    func testSequentialSumsOfSquaresAreRsAnovaLm() throws {
        let anova = try SequentialAnova(try fit("mtcars.csv", "mpg", ["wt", "hp", "am"]), named: "m")
        XCTAssertEqual(anova.rows.map(\.term), ["wt", "hp", "am"])
        XCTAssertEqual(anova.rows.map(\.degreesOfFreedom), [1, 1, 1])
        for (row, (ss, f, p)) in zip(anova.rows, [(847.725249956656057, 131.6554767739827980, 4.2556492136841627e-12),
                                                  (83.274182801877117, 12.9328485146637924, 1.2263301437190545e-03),
                                                  (14.756683071616681, 2.2917780796261407, 1.4126823673653241e-01)]) {
            XCTAssertEqual(row.sumOfSquares, ss, accuracy: ss * 1e-10, row.term)
            XCTAssertEqual(row.fValue, f, accuracy: f * 1e-10, row.term)
            XCTAssertEqual(row.pValue, p, accuracy: p * 1e-8, row.term)
        }
        XCTAssertEqual(anova.residualDegreesOfFreedom, 28)
        XCTAssertEqual(anova.residualSumOfSquares, 180.291071669849714, accuracy: 1e-9)
    }

    func testACategoricalFeatureIsOneRowAndPolynomialTermsAreRowsOfTheirOwn() throws {
        let species = try SequentialAnova(try fit("iris.csv", "Sepal.Length", ["Species", "Petal.Width"]), named: "m")
        XCTAssertEqual(species.rows.map(\.term), ["Species", "Petal.Width"])
        XCTAssertEqual(species.rows.map(\.degreesOfFreedom), [2, 1])
        XCTAssertEqual(species.rows[0].sumOfSquares, 63.21213, accuracy: 1e-5)
        // The rows add up to the model sum of squares whatever the terms.
        let model = try fit("mtcars.csv", "mpg", ["wt", "hp"], ["poly": "2"])
        let poly = try SequentialAnova(model, named: "p")
        XCTAssertEqual(poly.rows.map(\.term), ["wt", "hp", "wt^2", "wt:hp", "hp^2"])
        let learned = try XCTUnwrap(model.state as? LinearRegression.Learned)
        XCTAssertEqual(poly.rows.map(\.sumOfSquares).reduce(0, +), learned.modelSumOfSquares, accuracy: learned.modelSumOfSquares * 1e-10)
        // So they do for a cubic in hp (up to 335³ ≈ 3.8e7, unscaled): R's anova(lm(mpg ~ hp + I(hp^2) + I(hp^3))).
        let cubic = try SequentialAnova(try fit("mtcars.csv", "mpg", ["hp"], ["poly": "3"]), named: "c")
        for (row, ss) in zip(cubic.rows, [678.3728739553976084, 173.0426520703546771, 5.0260860418986093]) {
            XCTAssertEqual(row.sumOfSquares, ss, accuracy: max(ss * 1e-8, 1e-9), row.term)
        }
    }

    func testOnlyLinearModelsHaveOne() throws {
        let data = try CSVReader.read(path: TestData.directory.appendingPathComponent("mtcars.csv").path)
        let logistic = try ModelCatalogue.fit(kind: "logistic", data: data, datasetName: "d", target: "am", features: ["wt"], options: [:])
        XCTAssertThrowsError(try SequentialAnova(logistic, named: "g"))
    }
}
