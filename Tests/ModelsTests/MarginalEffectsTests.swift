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

    /// By default the effects average over the rows the model was fitted on (Stata's e(sample),
    /// R's model frame): airquality's rows without Ozone have every feature but do not count.
    func testTheEstimationSampleLeavesOutRowsTheFitDidNotUse() throws {
        let data = try sample("airquality.csv")
        let model = try ModelCatalogue.fit(kind: "linear", data: data, datasetName: "aq", target: "Ozone", features: ["Solar.R*Wind", "Temp"], options: [:])
        let fitted = try MarginalEffects.estimationSample(of: model, in: data, dataName: "aq")
        XCTAssertEqual(fitted.rowCount, 111)
        let effects = try MarginalEffects(model, named: "m", data: fitted)
        // lm(Ozone ~ Solar.R*Wind + Temp, airquality): b_Solar.R + b_Solar.R:Wind · mean(model.frame(m)$Wind)
        assertRelative(try XCTUnwrap(effects.effects.first).estimate, 0.0819691317168, 1e-7)
        assertRelative(try XCTUnwrap(effects.effects.first).standardError, 0.0231542128425, 1e-7)
        XCTAssertEqual(try MarginalEffects(model, named: "m", data: data).rows, 146)
    }

    func testOtherKindsAreRefused() throws {
        assertThrows(.usage, containing: ["is a ridge model"]) { try self.margins("ridge", "mtcars.csv", "mpg", ["wt"]) }
    }
}
