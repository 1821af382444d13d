import Diagnostics
@testable import Models
import Tabular
import XCTest

/// `weight=` on logistic fits against R 4.2's glm with prior weights, on R's Titanic table of
/// counts (with its levels in R's order, Male before Female): eight cells of count 0 are no
/// observations, and weights of a third are non-integer counts, which R warns about and whose
/// AIC rounds them.
///   d <- as.data.frame(Titanic)
///   glm(Survived ~ Class + Sex, binomial, d, weights = Freq); … weights = Freq / 3
final class WeightedLogisticRegressionTests: XCTestCase {
    private static let counts: [Double] = [0, 0, 35, 0, 0, 0, 17, 0, 118, 154, 387, 670, 4, 13, 89, 3,
                                           5, 11, 13, 0, 1, 13, 14, 0, 57, 14, 75, 192, 140, 80, 76, 20]

    /// The 32 cells, Class fastest, then Sex, Age and Survived, as R lays the table out.
    private func titanic(weights: [Double] = counts) throws -> Dataset {
        let cells = 0 ..< 32
        func factor(_ levels: [String], every: Int) -> [String?] { cells.map { levels[($0 / every) % levels.count] } }
        return try Dataset(columns: [
            .categorical("Class", factor(["1st", "2nd", "3rd", "Crew"], every: 1)),
            .categorical("Sex", factor(["Male", "Female"], every: 4)),
            .categorical("Age", factor(["Child", "Adult"], every: 8)),
            .categorical("Survived", factor(["No", "Yes"], every: 16)),
            .numeric("w", weights),
        ])
    }

    private func fit(_ data: Dataset, options: [String: String] = ["weight": "w"]) throws -> (Model, LogisticState) {
        let model = try ModelCatalogue.fit(kind: "logistic", data: data, datasetName: "titanic", target: "Survived", features: ["Class", "Sex"], options: options)
        return (model, try XCTUnwrap(model.state as? LogisticState))
    }

    private func assertR(_ state: LogisticState, coefficients: [Double], errors: [Double], deviance: Double, null: Double, aic: Double,
                         file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(state.terms, ["(Intercept)", "Class2nd", "Class3rd", "ClassCrew", "SexFemale"], file: file, line: line)
        for (found, wanted) in zip(state.coefficients[0], coefficients) { XCTAssertEqual(found, wanted, accuracy: 1e-9, file: file, line: line) }
        for (found, wanted) in zip(try XCTUnwrap(state.standardErrors)[0], errors) { XCTAssertEqual(found, wanted, accuracy: 1e-9, file: file, line: line) }
        XCTAssertEqual(state.deviance, deviance, accuracy: 1e-9, file: file, line: line)
        XCTAssertEqual(try XCTUnwrap(state.nullDeviance), null, accuracy: 1e-9, file: file, line: line)
        XCTAssertEqual(try XCTUnwrap(state.aic), aic, accuracy: 1e-9, file: file, line: line)
        XCTAssertEqual(state.residualDegreesOfFreedom, 19, file: file, line: line)
        XCTAssertEqual(state.nullDegreesOfFreedom, 23, file: file, line: line)
        XCTAssertEqual(state.observations, 24, "the 8 empty cells are no observations", file: file, line: line)
        XCTAssertEqual(state.iterations, 5, file: file, line: line)
    }

    func testCountsAsWeightsAreRsGlm() throws {
        let (model, state) = try fit(try titanic())
        try assertR(state, coefficients: [-0.35312003876656239, -0.95259723114490036, -1.6582356473790898, -0.8808128251177767, 2.4213284689472885],
                    errors: [0.13570956491956662, 0.19428775406508708, 0.167793225827889, 0.15697142976076051, 0.13909180905924282],
                    deviance: 2228.9128201944072, null: 2769.4567288595513, aic: 2238.9128201944072)
        XCTAssertEqual(state.fitWarnings, [])
        XCTAssertEqual(model.schema.features.map(\.name), ["Class", "Sex"])
        XCTAssertNil(state.information, "a weighted model is not updated, so it keeps no information matrix")
    }

    func testNonIntegerWeightsWarnAsRAndTheirAICRoundsThem() throws {
        let (_, state) = try fit(try titanic(weights: Self.counts.map { $0 / 3 }))
        try assertR(state, coefficients: [-0.3531200387023874, -0.95259723138668206, -1.6582356482024152, -0.8808128251919688, 2.4213284696480719],
                    errors: [0.23505639170100392, 0.33651760330777752, 0.29062844742090288, 0.27188303769743011, 0.24091588550387369],
                    deviance: 742.97094006480256, null: 923.15224295318365, aic: 752.60783966196971)
        XCTAssertEqual(state.fitWarnings, ["non-integer #successes in a binomial glm!"])
    }

    /// A count per cell is the same fit as one row per person: the coefficients and deviance of
    /// the 2201 rows, with the degrees of freedom of the 24 cells that hold anyone.
    func testWeightsEqualRepeatedRows() throws {
        let table = try titanic()
        let rows = (0 ..< 32).flatMap { cell in Array(repeating: cell, count: Int(Self.counts[cell])) }
        let (_, weighted) = try fit(table)
        let (_, repeated) = try fit(table.selecting(rows: rows), options: [:])
        for (a, b) in zip(weighted.coefficients[0], repeated.coefficients[0]) { XCTAssertEqual(a, b, accuracy: 1e-9) }
        XCTAssertEqual(weighted.deviance, repeated.deviance, accuracy: 1e-8)
        XCTAssertEqual(repeated.residualDegreesOfFreedom, 2201 - 5)
    }

    func testOnlyUnpenalisedBinaryFitsTakeWeights() throws {
        XCTAssertThrowsError(try fit(try titanic(), options: ["weight": "w", "penalty": "l2"])) { error in
            XCTAssertTrue("\(error)".contains("weight= is for unpenalised binary logistic fits"), "\(error)")
            XCTAssertEqual((error as? ModelshError)?.argument, "weight")
        }
        XCTAssertThrowsError(try ModelCatalogue.fit(kind: "logistic", data: try titanic(), datasetName: "titanic", target: "Class",
                                                    features: ["Sex"], options: ["weight": "w"])) { error in
            XCTAssertTrue("\(error)".contains("not 4 classes"), "\(error)")
        }
    }
}
