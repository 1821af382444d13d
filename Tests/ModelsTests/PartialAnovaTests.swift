import Diagnostics
import Foundation
@testable import Models
import Tabular
import XCTest

/// Type II tests against R 4.2 with car 3.1 (Debian's r-cran-car): car::Anova(fit, type = 2).
final class PartialAnovaTests: XCTestCase {
    private func sample(_ name: String) throws -> Dataset {
        try CSVReader.read(path: TestData.directory.appendingPathComponent(name).path)
    }

    private func anova(_ kind: String, _ data: Dataset, _ target: String, _ features: [String], options: [String: String] = [:]) throws -> PartialAnova {
        let model = try ModelCatalogue.fit(kind: kind, data: data, datasetName: "d", target: target, features: features, options: options)
        return try PartialAnova(model, named: "m", trainingData: data, dataName: "d")
    }

    func testLinearTypeTwoIsCarsAnova() throws {
        // Anova(lm(mpg ~ wt*hp + am, mtcars), type = 2): am's and wt's sums of squares leave
        // out wt:hp, which holds wt.
        let result = try anova("linear", try sample("mtcars.csv"), "mpg", ["wt*hp", "am"])
        XCTAssertEqual(result.rows.map(\.term), ["wt", "hp", "am", "wt:hp"])
        XCTAssertEqual(result.rows.map(\.degreesOfFreedom), [1, 1, 1, 1])
        // am's is a difference of two sums of squares near 130, so it keeps fewer digits.
        for (found, wanted) in zip(result.rows.map(\.statistic), [65.14821650765290428, 98.02862555259036981, 0.04229238510006894, 50.57186604463126400]) {
            assertRelative(found, wanted, 1e-9)
        }
        for (found, wanted) in zip(result.rows.map(\.fValue), [13.560072598568732261, 20.403862921940259412, 0.008802816762546281, 10.526123534475228638]) {
            assertRelative(found, wanted, 1e-9)
        }
        XCTAssertEqual(result.rows[0].pValue, 0.00101890, accuracy: 5e-9)
        XCTAssertEqual(result.residualDegreesOfFreedom, 27)
        assertRelative(try XCTUnwrap(result.residualSumOfSquares), 129.71920562521850684, 1e-12)
    }

    func testGlmTypeTwoIsCarsLikelihoodRatio() throws {
        let warpbreaks = try sample("warpbreaks.csv")
        // Anova(glm(breaks ~ wool*tension, poisson, w), type = 2)
        let poisson = try anova("poisson", warpbreaks, "breaks", ["wool*tension"])
        XCTAssertNil(poisson.residualDegreesOfFreedom)
        XCTAssertEqual(poisson.rows.map(\.degreesOfFreedom), [1, 2, 2])
        for (found, wanted) in zip(poisson.rows.map(\.statistic), [16.03875253, 70.94157051, 28.08675748]) { assertRelative(found, wanted, 1e-8) }
        XCTAssertEqual(poisson.rows[1].pValue, 3.9376e-16, accuracy: 5e-20)
        // quasipoisson: the χ² over the dispersion; glm.nb: θ held, as car's Anova holds it.
        let quasi = try anova("poisson", warpbreaks, "breaks", ["wool", "tension"], options: ["family": "quasipoisson"])
        for (found, wanted) in zip(quasi.rows.map(\.statistic), [3.763607384, 16.646944208]) { assertRelative(found, wanted, 1e-8) }
        let negativeBinomial = try anova("poisson", warpbreaks, "breaks", ["wool", "tension"], options: ["family": "negbin"])
        for (found, wanted) in zip(negativeBinomial.rows.map(\.statistic), [3.3665, 17.5449]) { XCTAssertEqual(found, wanted, accuracy: 5e-5) }
        XCTAssertEqual(negativeBinomial.warnings, ["tests made without re-estimating 'theta'"])
    }

    func testRefusals() throws {
        let cars = try sample("mtcars.csv")
        let ridge = try ModelCatalogue.fit(kind: "ridge", data: cars, datasetName: "d", target: "mpg", features: ["wt"], options: [:])
        assertThrows(.usage, containing: ["'r' is a ridge model"]) { try PartialAnova(ridge, named: "r", trainingData: cars, dataName: "d") }
        let poly = try ModelCatalogue.fit(kind: "linear", data: cars, datasetName: "d", target: "mpg", features: ["wt", "hp"], options: ["poly": "2"])
        assertThrows(.usage, containing: ["was fitted with poly="]) { try PartialAnova(poly, named: "p", trainingData: cars, dataName: "d") }
        let model = try ModelCatalogue.fit(kind: "linear", data: cars, datasetName: "d", target: "mpg", features: ["wt", "hp"], options: [:])
        assertThrows(.data, containing: ["no longer holds the rows"]) {
            try PartialAnova(model, named: "m", trainingData: cars.selecting(rows: Array(0 ..< 20)), dataName: "d")
        }
    }
}
