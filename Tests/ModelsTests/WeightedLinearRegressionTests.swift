import Diagnostics
import Foundation
@testable import Models
import Tabular
import XCTest

/// `weight=` on linear fits against R 4.2's weighted lm, with a row missing its weight (dropped,
/// as na.omit does) and two rows of weight 0 (in no degree of freedom):
///   x <- 1:12; z <- c(2.5, 1.0, 4.2, 3.3, 0.7, 5.1, 2.2, 6.0, 3.9, 1.8, 4.4, 2.9)
///   y <- c(3.1, 4.5, 4.9, 7.2, 8.8, 9.1, 11.5, 12.2, 14.9, 15.1, 17.3, 18.0)
///   w <- c(1, 2, 0.5, 3, 0, 1.5, 2, 1, NA, 2.5, 0, 1)
///   m <- lm(y ~ x + z, weights = w); summary(m); logLik(m); AIC(m); BIC(m)
final class WeightedLinearRegressionTests: XCTestCase {
    private let data = try! Dataset(columns: [
        .numeric("x", (1 ... 12).map(Double.init)),
        .numeric("z", [2.5, 1.0, 4.2, 3.3, 0.7, 5.1, 2.2, 6.0, 3.9, 1.8, 4.4, 2.9]),
        .numeric("y", [3.1, 4.5, 4.9, 7.2, 8.8, 9.1, 11.5, 12.2, 14.9, 15.1, 17.3, 18.0]),
        .numeric("w", [1, 2, 0.5, 3, 0, 1.5, 2, 1, .nan, 2.5, 0, 1]),
    ])

    private func fit(_ options: [String: String], features: [String]? = nil, data: Dataset? = nil) throws -> Model {
        try ModelCatalogue.fit(kind: "linear", data: data ?? self.data, datasetName: "d", target: "y", features: features, options: options)
    }

    func testTheFitIsRsWeightedLm() throws {
        let model = try fit(["weight": "w"])
        XCTAssertEqual(model.schema.features.map(\.name), ["x", "z"], "the weight column is no feature")
        XCTAssertEqual(model.training.rowsUsed, 11)
        XCTAssertEqual(model.training.rowsDropped, 1)
        let learned = try XCTUnwrap(model.state as? LinearRegression.Learned)
        let inference = learned.inference
        let expected = [(2.0640687214279376, 0.27767577983925973), (1.3517285823260097, 0.030580731836445836), (-0.14549508538509984, 0.070112422204244712)]
        for (coefficient, (estimate, error)) in zip(inference.coefficients, expected) {
            XCTAssertEqual(coefficient.estimate, estimate, accuracy: 1e-12)
            XCTAssertEqual(coefficient.standardError, error, accuracy: 1e-12)
        }
        XCTAssertEqual(inference.residualDegreesOfFreedom, 6)
        XCTAssertEqual(inference.residualStandardError, 0.37948366899958208, accuracy: 1e-13)
        XCTAssertEqual(learned.residualSumOfSquares, 0.86404713022430624, accuracy: 1e-13)
        XCTAssertEqual(try XCTUnwrap(inference.rSquared), 0.99694649879461705, accuracy: 1e-13)
        XCTAssertEqual(try XCTUnwrap(inference.fTest).statistic, 979.47873448072983, accuracy: 1e-9)
        XCTAssertEqual(inference.logLikelihood, -0.6686027136459638, accuracy: 1e-12)
        XCTAssertEqual(inference.aic, 9.3372054272919272, accuracy: 1e-12)
        XCTAssertEqual(inference.bic, 10.126103736636805, accuracy: 1e-12)
        // R's weighted residuals √w (y − ŷ), the rows of weight 0 as 0.
        let quantiles = [-0.43004474428035461, -0.25978985132691396, 0, 0.16609858527565852, 0.41566620199003973]
        for (found, wanted) in zip(learned.residualQuantiles, quantiles) { XCTAssertEqual(found, wanted, accuracy: 1e-12) }
        XCTAssertTrue(model.summary().blocks.description.contains("Call: linear(y ~ x + z, data = d, weights = w)"))
    }

    /// Weights of 1 are no weights, and the figures are the unweighted fit's; but the model
    /// says it was weighted, and its fingerprint covers the weights, so fits with other
    /// weights on the same rows are told apart.
    func testUnitWeightsGiveTheUnweightedFitAndTheFingerprintCoversTheWeights() throws {
        let ones = try Dataset(columns: data.columns.dropLast() + [.numeric("w", [Double](repeating: 1, count: 12)), .numeric("v", [Double](repeating: 2, count: 12))])
        let plain = try fit([:], features: ["x", "z"], data: ones), unit = try fit(["weight": "w"], features: ["x", "z"], data: ones)
        let (a, b) = (try XCTUnwrap(plain.state as? LinearRegression.Learned), try XCTUnwrap(unit.state as? LinearRegression.Learned))
        for (p, q) in zip(a.estimates, b.estimates) { XCTAssertEqual(p, q, accuracy: 1e-12) }
        XCTAssertEqual(a.inference.aic, b.inference.aic, accuracy: 1e-10)
        let doubled = try fit(["weight": "v"], features: ["x", "z"], data: ones)
        XCTAssertEqual(Set([plain.training.fingerprint, unit.training.fingerprint, doubled.training.fingerprint]).count, 3)
    }

    func testBadWeightsAreRefusedNamingTheRow() throws {
        let cases: [(Dataset, [String]?, String)] = [
            (try Dataset(columns: data.columns.dropLast() + [.numeric("w", [1, 2, -0.5, 3, 0, 1.5, 2, 1, 1, 2.5, 0, 1])]), nil,
             "column 'w' has weight -0.5 in row 3; case weights are finite and ≥ 0"),
            (try Dataset(columns: data.columns.dropLast() + [.numeric("w", [1, 2, 1, 3, 0, 1.5, .infinity, 1, 1, 2.5, 0, 1])]), nil,
             "column 'w' has weight Inf in row 7"),
            (try Dataset(columns: data.columns.dropLast() + [.numeric("w", [Double](repeating: 0, count: 12))]), nil, "every weight in column 'w' is 0"),
            (try Dataset(columns: data.columns.dropLast() + [.categorical("w", (0 ..< 12).map { _ in "a" as String? })]), nil, "case weights are numbers"),
            (data, ["x", "w"], "column 'w' is the weight; it cannot also be a feature"),
        ]
        for (data, features, message) in cases {
            XCTAssertThrowsError(try fit(["weight": "w"], features: features, data: data)) { error in
                XCTAssertTrue("\(error)".contains(message), "\(error)")
                XCTAssertEqual((error as? ModelshError)?.argument, features == nil ? "weight" : "features")
            }
        }
        XCTAssertThrowsError(try fit(["weight": "y"])) { XCTAssertTrue("\($0)".contains("column 'y' is the target; it cannot also be the weight"), "\($0)") }
        XCTAssertThrowsError(try ModelCatalogue.fit(kind: "tree", data: data, datasetName: "d", target: "y", features: nil, options: ["weight": "w"]))
    }

    /// Kept in a model file and a compressed model, and refused where it is not handled yet.
    func testTheWeightsSurviveTheFileAndAreRefusedByUpdateAndAnovaAgainstOthers() throws {
        let model = try fit(["weight": "w"])
        let decoded = try ModelFileTests.decode(try ModelFileTests.object(model))
        XCTAssertEqual(decoded, model)
        let logWeightSum = try XCTUnwrap((model.state as? LinearRegression.Learned)?.logWeightSum)
        XCTAssertEqual(logWeightSum, [1, 2, 0.5, 3, 1.5, 2, 1, 2.5, 1].reduce(0) { $0 + log($1) }, accuracy: 1e-14)
        XCTAssertEqual((try model.compressed(Compression(precision: .int8)).state as? LinearRegression.Learned)?.logWeightSum, logWeightSum)
        // A weighted state must say so, and an unweighted one must not.
        var object = try ModelFileTests.object(model)
        var state = try XCTUnwrap(object["state"] as? [String: Any])
        state["logWeightSum"] = nil
        object["state"] = state
        XCTAssertThrowsError(try ModelFileTests.decode(object)) { XCTAssertTrue("\($0)".contains("lacks its weights' log sum"), "\($0)") }
        XCTAssertThrowsError(try model.updated(with: data, datasetName: "d")) { XCTAssertTrue("\($0)".contains("cannot be updated yet"), "\($0)") }
        XCTAssertThrowsError(try NestedModelTest(try fit(["weight": "w"], features: ["x"]), named: "a", try fit([:]), named: "b")) {
            XCTAssertTrue("\($0)".contains("anova compares fits with the same case weights"), "\($0)")
        }
    }
}
