import Diagnostics
import Foundation
@testable import Models
import Numerics
import Tabular
import XCTest

/// Robust standard errors against R 4.2 with sandwich 3.0-2 and lmtest 0.9-40
/// (Debian's r-cran-sandwich, r-cran-lmtest), m <- lm(mpg ~ wt + hp + am, mtcars).
final class RobustCovarianceTests: XCTestCase {
    private func mtcars() throws -> Dataset {
        try CSVReader.read(path: TestData.directory.appendingPathComponent("mtcars.csv").path)
    }

    private func standardErrors(_ features: [String], options: [String: String] = [:], _ estimator: SandwichCovariance.Estimator,
                                cluster: String? = nil) throws -> (LinearInference, RobustCovariance) {
        let data = try mtcars()
        let model = try ModelCatalogue.fit(kind: "linear", data: data, datasetName: "mtcars", target: "mpg", features: features, options: options)
        let robust = try RobustCovariance(model, named: "m", trainingData: data, dataName: "mtcars", estimator: estimator, cluster: cluster)
        let fit = try XCTUnwrap(model.state as? LinearRegression.Learned)
        return (fit.inference(robust: robust), robust)
    }

    private func assertErrors(_ inference: LinearInference, _ wanted: [Double], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(inference.coefficients.count, wanted.count, file: file, line: line)
        for (found, value) in zip(inference.coefficients.map(\.standardError), wanted) { assertRelative(found, value, 1e-12, file: file, line: line) }
    }

    func testHeteroskedasticityConsistentErrorsAreSandwichs() throws {
        let features = ["wt", "hp", "am"]
        // sqrt(diag(vcovHC(m, type = "HC0"))), … "HC3"
        assertErrors(try standardErrors(features, .hc0).0, [2.428943867198618545, 0.834179316342234634, 0.007361665053769195, 1.260833673133696653])
        let (hc1, robust) = try standardErrors(features, .hc1)
        XCTAssertEqual(robust.label, "HC1")
        assertErrors(hc1, [2.59665021793229300, 0.89177520025314083, 0.00786995097925469, 1.34788789330686498])
        assertErrors(try standardErrors(features, .hc2).0, [2.696946706420251694, 0.931112795628584733, 0.008292528808866041, 1.357602747687423728])
        assertErrors(try standardErrors(features, .hc3).0, [3.002982094115794531, 1.042024423723727722, 0.009486957902163312, 1.466726676032498622])
        // waldtest(m, vcov = vcovHC(m, type = "HC1"), test = "F"): F 36.55518, p 8.0875e-10.
        let f = try XCTUnwrap(hc1.fTest)
        XCTAssertEqual(f.statistic, 36.55518, accuracy: 5e-5)
        XCTAssertEqual(f.pValue, 8.0875e-10, accuracy: 5e-14)
        // The t tests stay on the residual degrees of freedom, as coeftest's.
        XCTAssertEqual(hc1.residualDegreesOfFreedom, 28)
    }

    func testClusteredErrorsAreVcovCLs() throws {
        let features = ["wt", "hp", "am"]
        // sqrt(diag(vcovCL(m, cluster = ~vs, type = "HC1"))), and ~cyl with HC0 and HC1.
        let (byVs, robust) = try standardErrors(features, .hc1, cluster: "vs")
        XCTAssertEqual(robust.label, "clustered by vs (2 clusters), HC1")
        assertErrors(byVs, [2.90623573233357924, 0.63884477201097145, 0.00425626827565986, 0.46924674112418541])
        assertErrors(try standardErrors(features, .hc0, cluster: "cyl").0, [3.466146408811705548, 0.979954383321147260, 0.006310787773823139, 1.412007525573174549])
        let (byCylinders, _) = try standardErrors(features, .hc1, cluster: "cyl")
        assertErrors(byCylinders, [3.647108927174203874, 1.031116392125897452, 0.006640264926172787, 1.485726407477573341])
        // Three clusters leave the covariance of three slopes singular: no Wald test.
        XCTAssertTrue(try XCTUnwrap(byCylinders.fTest).statistic.isNaN)
        assertThrows(.usage, containing: ["take vcov=hc1"], argument: "vcov") { try self.standardErrors(features, .hc3, cluster: "cyl") }
        assertThrows(.usage, containing: ["unknown column 'nope'"], argument: "cluster") { try self.standardErrors(features, .hc1, cluster: "nope") }
    }

    func testWeightedFitsAndConfidenceIntervals() throws {
        // w <- lm(mpg ~ wt + hp, mtcars, weights = cyl); sqrt(diag(vcovHC(w, type = "HC2")))
        assertErrors(try standardErrors(["wt", "hp"], options: ["weight": "cyl"], .hc2).0, [2.125920757985589216, 0.691751182689022359, 0.007742164718306838])
        // coefci(m, vcov = vcovHC(m, type = "HC0"))
        let data = try mtcars()
        let model = try ModelCatalogue.fit(kind: "linear", data: data, datasetName: "mtcars", target: "mpg", features: ["wt", "hp", "am"], options: [:])
        let robust = try RobustCovariance(model, named: "m", trainingData: data, dataName: "mtcars", estimator: .hc0, cluster: nil)
        let intervals = try XCTUnwrap(model.state.coefficientEstimates(in: model)[0].withStandardErrors(of: robust, leastSquares: true).intervals(level: 0.95))
        let wanted: [(Double, Double)] = [(29.02740915832465873, 38.97834108750348037), (-4.58731428294049515, -1.16983654467387899),
                                          (-0.05255841322502737, -0.02239903868173679), (-0.49899057033970484, 4.66641083098628506)]
        for (found, value) in zip(intervals, wanted) {
            assertRelative(found.lower, value.0, 1e-12)
            assertRelative(found.upper, value.1, 1e-12)
        }
    }

    /// glms: the sandwich at the estimates, as sandwich's for a converged fit (R's figures from
    /// glm.control(epsilon = 1e-15), which moves them by 2e-8 at most), z tests as coeftest's.
    func testGlmSandwichesAreSandwichs() throws {
        func errors(_ kind: String, _ data: Dataset, _ target: String, _ features: [String], _ estimator: SandwichCovariance.Estimator,
                    options: [String: String] = [:], cluster: String? = nil) throws -> [Double] {
            let model = try ModelCatalogue.fit(kind: kind, data: data, datasetName: "d", target: target, features: features, options: options)
            return try RobustCovariance(model, named: "g", trainingData: data, dataName: "d", estimator: estimator, cluster: cluster)
                .standardErrors(aliased: model.state.coefficientEstimates(in: model)[0].estimates.map(\.isNaN))
        }
        func assertClose(_ found: [Double], _ wanted: [Double], file: StaticString = #filePath, line: UInt = #line) {
            XCTAssertEqual(found.count, wanted.count, file: file, line: line)
            for (a, b) in zip(found, wanted) { assertRelative(a, b, 1e-7, file: file, line: line) }
        }
        let cars = try mtcars()
        // l <- glm(am ~ wt + hp, binomial, mtcars); vcovHC(l, type = "HC0"); vcovCL(l, cluster = ~cyl, type = "HC1")
        assertClose(try errors("logistic", cars, "am", ["wt", "hp"], .hc0), [8.2429180731, 2.7674874840, 0.0083212477])
        assertClose(try errors("logistic", cars, "am", ["wt", "hp"], .hc1, cluster: "cyl"), [8.664554019380, 3.131919817183, 0.009735704931])
        let warpbreaks = try CSVReader.read(path: TestData.directory.appendingPathComponent("warpbreaks.csv").path)
        // glm(breaks ~ wool + tension, poisson | quasipoisson, w): HC1 and HC0; MASS's glm.nb: HC0.
        assertClose(try errors("poisson", warpbreaks, "breaks", ["wool", "tension"], .hc1), [0.1076112800, 0.1084139366, 0.1298252409, 0.1262054556])
        assertClose(try errors("poisson", warpbreaks, "breaks", ["wool", "tension"], .hc0, options: ["family": "quasipoisson"]),
                    [0.1035490024, 0.1043213592, 0.1249243963, 0.1214412562])
        assertClose(try errors("poisson", warpbreaks, "breaks", ["wool", "tension"], .hc0, options: ["family": "negbin"]),
                    [0.1043634227, 0.1008502825, 0.1227753269, 0.1190243229])
        // coefci(l, vcov = vcovHC(l, type = "HC3")): z intervals.
        let logistic = try ModelCatalogue.fit(kind: "logistic", data: cars, datasetName: "d", target: "am", features: ["wt", "hp"], options: [:])
        let robust = try RobustCovariance(logistic, named: "l", trainingData: cars, dataName: "d", estimator: .hc3, cluster: nil)
        let estimates = logistic.state.coefficientEstimates(in: logistic)[0].withStandardErrors(of: robust, leastSquares: false)
        XCTAssertNil(estimates.residualDegreesOfFreedom)
        let wanted: [(Double, Double)] = [(-0.27292037746, 38.00551781187), (-14.54008045363, -1.62686991126), (0.01308478953, 0.05942640263)]
        for (found, value) in zip(try XCTUnwrap(estimates.intervals(level: 0.95)), wanted) {
            XCTAssertEqual(found.lower, value.0, accuracy: 1e-6 * max(1, abs(value.0)))
            XCTAssertEqual(found.upper, value.1, accuracy: 1e-6 * max(1, abs(value.1)))
        }
    }

    func testOtherKindsAndChangedDataAreRefused() throws {
        let data = try mtcars()
        let penalised = try ModelCatalogue.fit(kind: "logistic", data: data, datasetName: "mtcars", target: "am", features: ["wt"], options: ["penalty": "l2"])
        assertThrows(.usage, containing: ["a penalised or multinomial logistic model"]) {
            try RobustCovariance(penalised, named: "l", trainingData: data, dataName: "mtcars", estimator: .hc1, cluster: nil)
        }
        let tree = try ModelCatalogue.fit(kind: "tree", data: data, datasetName: "mtcars", target: "mpg", features: ["wt"], options: [:])
        assertThrows(.usage, containing: ["is a tree model"]) {
            try RobustCovariance(tree, named: "t", trainingData: data, dataName: "mtcars", estimator: .hc1, cluster: nil)
        }
        let model = try ModelCatalogue.fit(kind: "linear", data: data, datasetName: "mtcars", target: "mpg", features: ["wt"], options: [:])
        let fewer = data.selecting(rows: Array(0 ..< 20))
        assertThrows(.data, containing: ["no longer holds the rows"]) {
            try RobustCovariance(model, named: "m", trainingData: fewer, dataName: "mtcars", estimator: .hc1, cluster: nil)
        }
    }
}
