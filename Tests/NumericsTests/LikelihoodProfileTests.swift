@testable import Numerics
import XCTest

/// Profile-likelihood intervals against R 4.2 with MASS (R's confint(glm)):
///   x1 <- 1:10; x2 <- (1:10)^2 %% 7; b <- c(0,0,1,0,1,1,0,1,1,1)
///   confint(glm(b ~ x1 + x2, binomial))
///   w <- c(1, 2, 0, 1, 3, 1, 1, 2, 0.5, 1); confint(glm(b ~ x1, binomial, weights = w), level = 0.9)
/// and the spline and interpolation they read the ends from against R's spline and approx.
final class LikelihoodProfileTests: XCTestCase {
    private let x1 = (1 ... 10).map(Double.init)
    private let x2 = (1 ... 10).map { Double($0 * $0 % 7) }
    private let b: [Double] = [0, 0, 1, 0, 1, 1, 0, 1, 1, 1]

    private func intervals(_ columns: [[Double]], weights: [Double]? = nil, level: Double) throws -> [(lower: Double, upper: Double)] {
        let x = Matrix(rows: 10, columns: [[Double](repeating: 1, count: 10)] + columns)
        let fit = try LogisticRegression.fitBinary(DesignColumns(x), b, hasIntercept: true, priorWeights: weights)
        return try LikelihoodProfile.intervals(.binomial, x, b, priorWeights: weights, coefficients: fit.coefficients, standardErrors: fit.standardErrors,
                                             deviance: fit.deviance, level: level)
    }

    func testIntervalsAreRsConfintGlm() throws {
        let found = try intervals([x1, x2], level: 0.95)
        let lower = [-19.090593075969906, 0.050031265501893941, -0.48247955037307533]
        let upper = [0.24478200277426854, 2.7482760812356117, 3.5260904530278019]
        for k in 0 ..< 3 {
            XCTAssertEqual(found[k].lower, lower[k], accuracy: 1e-6 * abs(lower[k]))
            XCTAssertEqual(found[k].upper, upper[k], accuracy: 1e-6 * abs(upper[k]))
        }
    }

    func testWeightedIntervalsAtAnotherLevelAreRs() throws {
        let found = try intervals([x1], weights: [1, 2, 0, 1, 3, 1, 1, 2, 0.5, 1], level: 0.9)
        XCTAssertEqual(found[0].lower, -9.7004002533125568, accuracy: 1e-6 * 9.7)
        XCTAssertEqual(found[0].upper, -0.74541944923347414, accuracy: 1e-6)
        XCTAssertEqual(found[1].lower, 0.26113615572884791, accuracy: 1e-6)
        XCTAssertEqual(found[1].upper, 2.0115195599561533, accuracy: 1e-6 * 2)
    }

    /// An aliased coefficient has no interval.
    func testAnAliasedCoefficientHasNone() throws {
        let found = try intervals([x1, x1.map { 2 * $0 }], level: 0.95)
        XCTAssertFalse(found[1].lower.isNaN)
        XCTAssertTrue(found[2].lower.isNaN && found[2].upper.isNaN)
    }

    /// R: spline(c(0, 1, 2.5, 3, 4.5), c(1, 3, 2, 5, 4), n = 7); spline(c(0, 1, 2), c(1, 3, 2), n = 4)
    func testTheSplineIsRsFMMSpline() {
        let (grid, values) = FMMSpline(x: [0, 1, 2.5, 3, 4.5], y: [1, 3, 2, 5, 4]).evenlySpaced(count: 7)
        XCTAssertEqual(grid, [0, 0.75, 1.5, 2.25, 3, 3.75, 4.5])
        let expected = [1, 3.2384438775510205, 1.9135903250188964, 1.272808012093726, 5, 7.9490816326530611, 3.9999999999999996]
        for (found, wanted) in zip(values, expected) { XCTAssertEqual(found, wanted, accuracy: 1e-13) }
        let three = FMMSpline(x: [0, 1, 2], y: [1, 3, 2]).evenlySpaced(count: 4).y
        for (found, wanted) in zip(three, [1, 2.6666666666666665, 3, 2]) { XCTAssertEqual(found, wanted, accuracy: 1e-14) }
    }

    /// R: approx(c(3, 1, 2), c(30, 10, 20), xout = c(0.5, 1.5, 3)) is NA, 15, 30.
    func testInterpolationIsRsApprox() {
        let values = [0.5, 1.5, 3].map { LinearInterpolation.value(at: $0, x: [3, 1, 2], y: [30, 10, 20]) }
        XCTAssertTrue(values[0].isNaN)
        XCTAssertEqual(Array(values.dropFirst()), [15, 30])
    }
}
