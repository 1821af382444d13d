import Numerics
import XCTest

/// References computed outside Swift with mpmath at 50 digits (`mp.betainc(..., regularized=True)`,
/// `mp.log(mp.beta(a, b))`, `mp.ncdf`) and agreeing with scipy.stats (t.sf, t.cdf, f.sf, t.ppf,
/// norm.ppf) to ~1e-15, printed to 17 significant digits.
final class DistributionsTests: XCTestCase {
    func testTwoSidedTPValuesMatchMpmath() {
        // (t, df, 2 · P(T > |t|)) — 2*scipy.stats.t.sf(abs(t), df)
        let cases: [(Double, Double, Double)] = [
            (2.0, 5, 0.10193947882985836),
            (0.5, 1, 0.70483276469913345),
            (-3.0, 10, 0.013343655022569577),
            (10.0, 30, 4.5752514082296132e-11),
            (40.0, 431, 3.5837519995163093e-147),
            (1e-3, 3, 0.99926489496946094),
            (2.5, 1000.5, 0.012578488029448216),
            (0.2, 2.5, 0.85660968402902548),
        ]
        for (t, df, expected) in cases {
            assertRelative(StudentT.twoSidedPValue(t, degreesOfFreedom: df), expected, 1e-13, "t=\(t) df=\(df)")
        }
        // The documented loss of accuracy for huge degrees of freedom stays bounded.
        assertRelative(StudentT.twoSidedPValue(5, degreesOfFreedom: 1e6), 5.7339978708907416e-7, 1e-10)
    }

    /// R's qt(1 − α/2, ν) (R 4.2, printed to 17 digits), the half-width of confint's intervals in
    /// standard errors.
    func testTwoSidedCriticalValuesMatchR() {
        let cases: [(alpha: Double, df: Double, t: Double)] = [
            (0.05, 1, 12.706204736174694), (0.05, 2.5, 3.5746548420036919), (0.05, 5, 2.5705818356363137),
            (0.05, 30, 2.0422724563012378), (0.05, 144, 1.9765750658304366), (0.05, 1e6, 1.9599663568141066),
            (0.01, 1, 63.656741162871526), (0.01, 5, 4.0321429835552287), (0.01, 144, 2.6104021496066894),
            (0.1, 2.5, 2.5582186141359453), (0.1, 30, 1.6972608865939569), (0.5, 1, 1), (0.5, 144, 0.67619729657932748),
        ]
        for (alpha, df, expected) in cases {
            // The p-value's documented loss of accuracy at a million degrees of freedom carries over.
            assertRelative(StudentT.twoSidedCriticalValue(alpha, degreesOfFreedom: df), expected, df > 1e5 ? 1e-10 : 1e-12, "alpha=\(alpha) df=\(df)")
        }
        XCTAssertEqual(StudentT.twoSidedCriticalValue(1, degreesOfFreedom: 4), 0)
        for (alpha, df) in [(0.0, 5.0), (1.5, 5), (-0.1, 5), (0.05, 0), (.nan, 5)] {
            XCTAssertTrue(StudentT.twoSidedCriticalValue(alpha, degreesOfFreedom: df).isNaN, "alpha=\(alpha) df=\(df)")
        }
    }

    func testTCumulativeDistribution() {
        assertRelative(StudentT.cdf(-2.0, degreesOfFreedom: 5), 0.050969739414929178, 1e-14)
        assertRelative(StudentT.cdf(1.5, degreesOfFreedom: 7), 0.91135075650501498, 1e-14)
        assertRelative(StudentT.cdf(-30.0, degreesOfFreedom: 4), 3.6764280488306611e-6, 1e-13)
        XCTAssertEqual(StudentT.cdf(0, degreesOfFreedom: 3), 0.5)
        XCTAssertEqual(StudentT.cdf(.infinity, degreesOfFreedom: 3), 1)
        XCTAssertTrue(StudentT.cdf(.nan, degreesOfFreedom: 3).isNaN)
        XCTAssertTrue(StudentT.cdf(1, degreesOfFreedom: 0).isNaN)
    }

    func testFUpperTailMatchesMpmath() {
        // (f, d1, d2, P(F > f))
        let cases: [(Double, Double, Double, Double)] = [
            (3.5, 2, 20, 0.049735022076097138),
            (46.272439585243209, 10, 431, 3.8286490381854185e-62),
            (0.5, 1, 1, 0.60817344796939273),
            (100.0, 3, 146, 3.1474980636937086e-35),
            (1.0, 50, 50, 0.5),
            (0.01, 4, 9, 0.99976020511441207),
        ]
        for (f, d1, d2, expected) in cases {
            assertRelative(FDistribution.upperTail(f, numerator: d1, denominator: d2), expected, 1e-13, "F=\(f) on \(d1), \(d2)")
        }
        XCTAssertEqual(FDistribution.upperTail(0, numerator: 3, denominator: 4), 1)
        XCTAssertEqual(FDistribution.upperTail(.infinity, numerator: 3, denominator: 4), 0)
    }

    func testIncompleteBetaAgainstMpmathAndItsComplement() {
        // (x, a, b, I_x(a, b), 1 − I_x(a, b))
        let cases: [(Double, Double, Double, Double, Double)] = [
            (1e-10, 2, 3, 5.9999999992000004e-20, 1.0),
            (0.3, 0.5, 0.5, 0.36901011956554538, 0.63098988043445462),
            (0.999, 200, 3, 0.99883343684688342, 0.0011665631531165786),
            (0.49, 1000, 1001, 0.19153110439545383, 0.80846889560454617),
            (0.2, 0.001, 5, 0.99978344564642766, 0.00021655435357234193),
        ]
        for (x, a, b, lower, upper) in cases {
            let result = SpecialFunctions.incompleteBeta(a: a, b: b, x: x, y: 1 - x)
            assertRelative(result.lower, lower, 1e-13, "I_\(x)(\(a), \(b))")
            assertRelative(result.upper, upper, 1e-12, "1 − I_\(x)(\(a), \(b))")
        }
    }

    func testIncompleteBetaEdgesAndClosedForms() {
        XCTAssertEqual(SpecialFunctions.regularizedIncompleteBeta(0, a: 2, b: 3), 0)
        XCTAssertEqual(SpecialFunctions.regularizedIncompleteBeta(1, a: 2, b: 3), 1)
        XCTAssertTrue(SpecialFunctions.regularizedIncompleteBeta(0.5, a: 0, b: 3).isNaN)
        XCTAssertTrue(SpecialFunctions.regularizedIncompleteBeta(.nan, a: 1, b: 3).isNaN)
        for x in [1e-300, 1e-8, 0.1, 0.37, 0.5, 0.9, 0.999_999] {
            assertRelative(SpecialFunctions.regularizedIncompleteBeta(x, a: 1, b: 1), x, 1e-13)        // uniform
            assertRelative(SpecialFunctions.regularizedIncompleteBeta(x, a: 3.5, b: 1), pow(x, 3.5), 1e-13)
            assertRelative(SpecialFunctions.regularizedIncompleteBeta(x, a: 1, b: 4), -expm1(4 * log1p(-x)), 1e-13)
        }
        for a in [0.5, 3.0, 250.0, 1000.0] {
            assertRelative(SpecialFunctions.regularizedIncompleteBeta(0.5, a: a, b: a), 0.5, 1e-13, "symmetry at a=\(a)")
        }
    }

    func testLogBetaIncludingLargeArguments() {
        // mp.log(mp.beta(a, b))
        let cases: [(Double, Double, Double)] = [
            (0.5, 0.5, 1.1447298858494002),
            (3, 7, -5.5294290875114233),
            (1e5, 0.5, -5.1840965395604141),
            (1e6, 1e6 + 0.5, -1386300.3499365739),
            (15.5, 12.25, -19.077534054683859),
        ]
        for (a, b, expected) in cases {
            assertRelative(SpecialFunctions.logBeta(a, b), expected, 1e-14, "logB(\(a), \(b))")
        }
    }

    /// digamma and trigamma against R 4.2 (print(digamma(x), digits = 17)), below 12 (the
    /// recurrence) and above (the series alone).
    func testDigammaAndTrigammaAreRs() {
        let cases: [(x: Double, digamma: Double, trigamma: Double)] = [
            (0.1, -10.423754940411076, 101.43329915079275), (1, -0.57721566490153231, 1.6449340668482264),
            (3.7, 1.1671535393615113, 0.31003785767003833), (50.25, 3.9070272970062794, 0.020099825840728044),
            (1e6, 13.815510057964190, 1.0000005000001672e-06),
        ]
        for (x, digamma, trigamma) in cases {
            XCTAssertEqual(SpecialFunctions.digamma(x), digamma, accuracy: 2e-15 * abs(digamma), "ψ(\(x))")
            XCTAssertEqual(SpecialFunctions.trigamma(x), trigamma, accuracy: 2e-15 * abs(trigamma), "ψ′(\(x))")
        }
        XCTAssertTrue(SpecialFunctions.digamma(0).isNaN)
        XCTAssertTrue(SpecialFunctions.trigamma(-1).isNaN)
    }
}
