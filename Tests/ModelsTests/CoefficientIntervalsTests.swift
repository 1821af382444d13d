@testable import Models
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
}
