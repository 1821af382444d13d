import Diagnostics
import Foundation
@testable import Models
import Tabular
import XCTest

/// Average marginal effects against R 4.2, computed there from the definitions (margins is not
/// packaged for Debian): for glm(am ~ wt + hp, binomial) the AME of x is mean(b_x p(1 − p)) and
/// its gradient mean(b_x p(1 − p)(1 − 2p) X) + mean(p(1 − p)) at x; for a linear model with
/// wt:hp, b_wt + b_wt:hp · mean(hp); for a factor, mean(μ(level) − μ(reference)); standard
/// errors √(J V Jᵀ) with vcov(fit) or sandwich's vcovHC.
final class MarginalEffectsTests: XCTestCase {
    private func sample(_ name: String) throws -> Dataset {
        try CSVReader.read(path: TestData.directory.appendingPathComponent(name).path)
    }

    private func margins(_ kind: String, _ file: String, _ target: String, _ features: [String], robust: Bool = false) throws -> MarginalEffects {
        let data = try sample(file)
        let model = try ModelCatalogue.fit(kind: kind, data: data, datasetName: "d", target: target, features: features, options: [:])
        let covariance = robust ? try RobustCovariance(model, named: "m", trainingData: data, dataName: "d", estimator: .hc0, cluster: nil) : nil
        return try MarginalEffects(model, named: "m", data: data, robust: covariance)
    }

    private func assertEffects(_ margins: MarginalEffects, _ wanted: [(String, Double, Double)], tolerance: Double = 1e-7,
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(margins.effects.map { $0.level.map { "\($0)" } ?? $0.feature }, wanted.map(\.0), file: file, line: line)
        for (effect, (_, estimate, error)) in zip(margins.effects, wanted) {
            assertRelative(effect.estimate, estimate, tolerance, file: file, line: line)
            assertRelative(effect.standardError, error, tolerance, file: file, line: line)
        }
    }

    func testLogisticEffectsAreOnTheProbability() throws {
        let result = try margins("logistic", "mtcars.csv", "am", ["wt", "hp"])
        XCTAssertEqual(result.response, "P(am = '1')")
        XCTAssertNil(result.residualDegreesOfFreedom)
        assertEffects(result, [("wt", -0.35959620306, 0.057146462479), ("hp", 0.00161284279306, 0.000572314404221)])
    }

    func testLinearEffectsAverageOverAnInteraction() throws {
        let result = try margins("linear", "mtcars.csv", "mpg", ["wt*hp", "am"])
        XCTAssertEqual(result.residualDegreesOfFreedom, 27)
        assertEffects(result, [("wt", -4.06837314537, 0.863457808642), ("hp", -0.0308665652742, 0.00854377760422),
                               ("am", 0.125106930022, 1.333430965436)], tolerance: 1e-6)
    }

    func testFactorLevelsAreDiscreteChangesWithRobustErrors() throws {
        let plain = try margins("poisson", "warpbreaks.csv", "breaks", ["wool*tension"])
        XCTAssertEqual(plain.effects.first?.feature, "wool")
        assertRelative(try XCTUnwrap(plain.effects.first).estimate, -5.77777777795, 1e-9)
        assertRelative(try XCTUnwrap(plain.effects.first).standardError, 1.44396804399, 1e-9)
        let robust = try margins("poisson", "warpbreaks.csv", "breaks", ["wool*tension"], robust: true)
        assertRelative(try XCTUnwrap(robust.effects.first).standardError, 2.80727819284, 1e-8)
    }

    func testOtherKindsAreRefused() throws {
        assertThrows(.usage, containing: ["is a ridge model"]) { try self.margins("ridge", "mtcars.csv", "mpg", ["wt"]) }
    }
}
