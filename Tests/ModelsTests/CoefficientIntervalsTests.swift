@testable import Models
import Tabular
import XCTest

/// confint's intervals: estimate ± t(ν) standard errors on a least-squares fit's residual degrees
/// of freedom (R's confint.lm), ± z where the estimates are taken as normal (confint.default).
/// Half-widths from R: qt(0.975, 10) = 2.2281388519862739, qnorm(0.995) = 2.5758293035488999.
final class CoefficientIntervalsTests: XCTestCase {
    func testIntervalsAreEstimatesPlusOrMinusTOrZStandardErrors() throws {
        let linear = CoefficientEstimates(group: nil, terms: ["(Intercept)", "x", "aliased"], estimates: [1, -2, .nan],
                                          standardErrors: [0.5, 0.25, .nan], residualDegreesOfFreedom: 10)
        let t = try XCTUnwrap(linear.intervals(level: 0.95))
        XCTAssertEqual(t[0].lower, 1 - 2.2281388519862739 * 0.5, accuracy: 1e-12)
        XCTAssertEqual(t[0].upper, 1 + 2.2281388519862739 * 0.5, accuracy: 1e-12)
        XCTAssertEqual(t[1].lower, -2 - 2.2281388519862739 * 0.25, accuracy: 1e-12)
        XCTAssertTrue(t[2].lower.isNaN && t[2].upper.isNaN, "an aliased term's interval is NA")

        let wald = CoefficientEstimates(group: nil, terms: ["x"], estimates: [3], standardErrors: [2])
        let z = try XCTUnwrap(wald.intervals(level: 0.99))
        XCTAssertEqual(z[0].lower, 3 - 2.5758293035488999 * 2, accuracy: 1e-12)
        XCTAssertEqual(z[0].upper, 3 + 2.5758293035488999 * 2, accuracy: 1e-12)

        XCTAssertNil(CoefficientEstimates(group: nil, terms: ["x"], estimates: [3], standardErrors: nil).intervals(level: 0.95))
    }

    /// A logistic model's profile intervals come from its design made again on its data (R:
    /// confint(glm(b ~ x1 + x2, binomial)) as in LogisticProfileTests), and data without the
    /// model's rows, or a model without a likelihood to profile, are refused.
    func testProfileIntervalsComeFromTheModelsRowsOnly() throws {
        let data = try Dataset(columns: [
            .numeric("x1", (1 ... 10).map(Double.init)), .numeric("x2", (1 ... 10).map { Double($0 * $0 % 7) }),
            .numeric("b", [0, 0, 1, 0, 1, 1, 0, 1, 1, 1], type: .integer),
        ])
        let fit = { (options: [String: String]) in
            try ModelCatalogue.fit(kind: "logistic", data: data, datasetName: "d", target: "b", features: ["x1", "x2"], options: options)
        }
        let profile = try ProfileIntervals(try fit([:]), named: "m", trainingData: data, dataName: "d", level: 0.95)
        XCTAssertEqual(profile.terms, ["(Intercept)", "x1", "x2"])
        XCTAssertEqual(profile.intervals[1].lower, 0.050031265501893941, accuracy: 1e-7)
        XCTAssertEqual(profile.intervals[2].upper, 3.5260904530278019, accuracy: 1e-6)
        XCTAssertThrowsError(try ProfileIntervals(try fit([:]), named: "m", trainingData: data.selecting(rows: Array(0 ..< 9)), dataName: "d", level: 0.95)) {
            XCTAssertTrue("\($0)".contains("no longer holds the rows 'm' was fitted on"), "\($0)")
        }
        XCTAssertThrowsError(try ProfileIntervals(try fit(["penalty": "l2"]), named: "m", trainingData: data, dataName: "d", level: 0.95)) {
            XCTAssertTrue("\($0)".contains("for unpenalised binary logistic and Poisson models"), "\($0)")
        }
    }
}
