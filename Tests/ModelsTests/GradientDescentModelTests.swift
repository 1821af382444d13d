import Diagnostics
import Models
import Tabular
import XCTest

/// sgd minimises the same objectives as the exact kinds, so on the same prepared data it must
/// land on their solutions: ridge at n·α for squared loss, logistic penalty=l2 at n·α.
final class GradientDescentModelTests: XCTestCase {
    func fit(_ kind: String, _ data: Dataset, _ target: String, features: [String]? = nil, _ options: [String: String]) throws -> Model {
        try ModelCatalogue.fit(kind: kind, data: data, datasetName: "d", target: target, features: features, options: options)
    }

    func testSquaredLossReachesRidgesSolution() throws {
        let diabetes = try TestData.csv("diabetes.csv")
        let sgd = try XCTUnwrap(try fit("sgd", diabetes, "Y", ["alpha": "0.01"]).state as? GradientDescentState)
        let n = Double(diabetes.rowCount)
        let ridge = try XCTUnwrap(try fit("ridge", diabetes, "Y", ["alpha": "\(0.01 * n)", "scale": "standard"]).state as? PenalisedLinearState)
        XCTAssertTrue(sgd.converged)
        assertRelative(sgd.intercept, ridge.intercept, 1e-9)
        for (a, b) in zip(sgd.coefficients, ridge.coefficients) { assertRelative(a, b, 1e-5) }
    }

    func testLogisticLossReachesThePenalisedLogisticSolution() throws {
        let cancer = try TestData.csv("breast_cancer.csv")
        let features = ["mean_radius", "mean_texture", "mean_smoothness"]
        let sgd = try XCTUnwrap(try fit("sgd", cancer, "diagnosis", features: features, ["alpha": "0.001"]).state as? GradientDescentState)
        let n = Double(cancer.rowCount)
        let exact = try XCTUnwrap(try fit("logistic", cancer, "diagnosis", features: features,
                                          ["penalty": "l2", "alpha": "\(0.001 * n)", "scale": "standard"]).state as? LogisticState)
        XCTAssertTrue(sgd.lossIsLogistic)
        for (a, b) in zip([sgd.intercept] + sgd.coefficients, exact.coefficients[0]) { assertRelative(a, b, 1e-5) }
    }

    func testMoreThanTwoClassesAreRefusedWithTheAlternative() throws {
        assertThrows(.usage, containing: ["sgd classifies two classes", "need logistic"], argument: "target") {
            try fit("sgd", TestData.iris(), "Species", [:])
        }
    }

    func testMinibatchesAreReproducibleFromTheirSeed() throws {
        let diabetes = try TestData.csv("diabetes.csv")
        let options = ["batch": "32", "seed": "7", "max_epochs": "50"]
        XCTAssertEqual(try fit("sgd", diabetes, "Y", options), try fit("sgd", diabetes, "Y", options))
        XCTAssertNotEqual(try fit("sgd", diabetes, "Y", options), try fit("sgd", diabetes, "Y", options.merging(["seed": "8"]) { $1 }))
    }
}
