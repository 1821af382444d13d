import Diagnostics
import Foundation
@testable import Numerics
import XCTest

/// Least squares on designs too tall for the double-double factorisation, which go through the
/// chunked QR and refinement. Stacking k copies of a data set leaves the solution unchanged and
/// divides (XᵀX)⁻¹ by k, so the small problems' references serve (NIST Filip from
/// NISTLeastSquaresTests, Longley from QRLeastSquaresTests).
final class TallLeastSquaresTests: XCTestCase {
    /// k copies of the rows of x and y, checked to be past the double-double budget.
    static func stacked(_ x: Matrix, _ y: [Double], copies: Int) -> (x: Matrix, y: [Double]) {
        let columns = (0 ..< x.columns).map { j in Array([[Double]](repeating: x.column(j), count: copies).joined()) }
        let tall = Matrix(rows: x.rows * copies, columns: columns)
        precondition(!QRLeastSquares.affordsExtended(rows: tall.rows, columns: tall.columns), "too small for the tall path")
        return (tall, Array([[Double]](repeating: y, count: copies).joined()))
    }

    static func stackedFilip() -> (x: Matrix, y: [Double]) {
        stacked(NISTLeastSquaresTests.polynomialDesign(NISTLeastSquaresTests.filipX, degree: 10), NISTLeastSquaresTests.filipY, copies: 1000)
    }

    /// Filip's condition number (~1e8 with unit columns) is past what the a-priori bound trusts
    /// refinement with; the measured contraction takes it on to the exact solution. (XᵀX)⁻¹ keeps
    /// double QR's accuracy, here 1e-9.
    func testStackedFilipKeepsAllTermsAndReachesTheExactSolution() throws {
        let (x, y) = Self.stackedFilip()
        let fit = try QRLeastSquares.fit(x, y)
        XCTAssertEqual(fit.rank, 11)
        let k = 1000.0, sigma = NISTLeastSquaresTests.filipResidualSD
        for j in 0 ..< 11 {
            assertRelative(fit.coefficients[j], NISTLeastSquaresTests.filipCoefficients[j], 1e-12, "b\(j)")
            let variance = (NISTLeastSquaresTests.filipStandardErrors[j] / sigma) * (NISTLeastSquaresTests.filipStandardErrors[j] / sigma)
            assertRelative(k * fit.unscaledCovariance[j, j], variance, 1e-8, "variance \(j)")
        }
        let rss = fit.residuals.reduce(0) { $0 + $1 * $1 }
        assertRelative(rss, k * sigma * sigma * (82 - 11), 1e-12, "residual sum of squares")
        for i in [0, 81, 82, x.rows - 1] { assertRelative(fit.fitted[i] + fit.residuals[i], y[i], 1e-15) }
    }

    /// Filip with its powers in double-double (as NISTLeastSquaresTests), a thousand times over: the
    /// refinement's residuals and gradients take the low parts, so the coefficients and residuals
    /// reach the certificate, as in the small fit. (XᵀX)⁻¹, from the double QR of x corrected for
    /// the low parts, keeps that QR's accuracy (1e-9; uncorrected, 5e-8).
    func testStackedFilipWithPowersInDoubleDoubleReachesItsCertificate() throws {
        let (small, smallLowParts) = NISTLeastSquaresTests.filipDesignInDoubleDouble()
        let (x, y) = Self.stacked(small, NISTLeastSquaresTests.filipY, copies: 1000)
        let lowParts = Self.stacked(smallLowParts, NISTLeastSquaresTests.filipY, copies: 1000).x
        let fit = try QRLeastSquares.fit(x, y, lowParts: lowParts)
        XCTAssertEqual(fit.rank, 11)
        let k = 1000.0, sigma = NISTLeastSquaresTests.filipExactPowersResidualSD
        for j in 0 ..< 11 {
            assertRelative(fit.coefficients[j], NISTLeastSquaresTests.filipCertifiedCoefficients[j], 1e-13, "b\(j)")
            assertRelative(fit.coefficients[j], NISTLeastSquaresTests.filipExactPowersCoefficients[j], 1e-13, "b\(j)")
            let variance = NISTLeastSquaresTests.filipExactPowersStandardErrors[j] / sigma
            assertRelative(k * fit.unscaledCovariance[j, j], variance * variance, 1e-8, "variance \(j)")
        }
        let rss = fit.residuals.reduce(0) { $0 + $1 * $1 }
        assertRelative(rss, k * sigma * sigma * (82 - 11), 1e-12, "residual sum of squares")
        for i in [0, 81, 82, x.rows - 1] { assertRelative(fit.fitted[i] + fit.residuals[i], y[i], 1e-15) }
    }

    /// Longley with a duplicate and a combination of columns, 15 000 times over: the same
    /// columns are aliased as in the small fit, the rest keep the certified coefficients.
    func testCollinearColumnsAreAliasedAsInTheSmallFit() throws {
        let (small, y) = QRLeastSquaresTests.longleyDesign()
        let (one, x1, x2, x3) = (small.column(0), small.column(1), small.column(2), small.column(3))
        let combination = zip(x1, x3).map { 2 * $0 - $1 }
        let columns = [one, x1, combination, x2, x1, x3]
        let expected = try QRLeastSquares.fit(Matrix(rows: y.count, columns: columns), y)
        XCTAssertEqual(expected.aliased, [false, false, false, false, true, true])
        let (x, tallY) = Self.stacked(Matrix(rows: y.count, columns: columns), y, copies: 15_000)
        let fit = try QRLeastSquares.fit(x, tallY)
        XCTAssertEqual(fit.aliased, expected.aliased)
        for j in 0 ..< 4 { assertRelative(fit.coefficients[j], expected.coefficients[j], 1e-12, "b\(j)") }
        for i in 0 ..< 4 {
            for j in 0 ..< 4 { assertRelative(15_000 * fit.unscaledCovariance[i, j], expected.unscaledCovariance[i, j], 1e-9) }
        }
    }

    /// 300 × 180 is too large for double-double and too square to reduce, so it is factored in
    /// double and refined; stacked twice it takes the tall path. y = X β holds exactly (small
    /// integers), so both must return β and zero residuals. The same with low parts in every
    /// fifth column (multiples of 2⁻³⁸, whose products with β are still exact in y): only the
    /// refinement sees them, and it must reach β of the design x + lowParts (ignoring them would
    /// leave coefficients 6e-12 off and residuals of 3e-10).
    func testLargeDesignsFactoredInDoubleReachAnExactSolution() throws {
        var random = Xoshiro256StarStar(seed: 7)
        let (n, p) = (300, 180)
        let x = Matrix(rows: n, columns: p, values: (0 ..< n * p).map { _ in Double(random.bounded(19)) - 9 })
        let beta = (0 ..< p).map { _ in Double(random.bounded(11)) - 5 }
        let lowParts = Matrix(rows: n, columns: p, values: (0 ..< n * p).map { index in
            index / n % 5 == 0 ? 0x1p-38 * (Double(random.bounded(7)) - 3) : 0
        })
        XCTAssertFalse(QRLeastSquares.affordsExtended(rows: n, columns: p))
        for low in [nil, lowParts] {
            let y = (0 ..< n).map { i in (0 ..< p).reduce(0.0) { $0 + (x[i, $1] + (low?[i, $1] ?? 0)) * beta[$1] } }
            let stacked = Self.stacked(x, y, copies: 2)
            for (design, response, designLow) in [(x, y, low), (stacked.x, stacked.y, low.map { Self.stacked($0, y, copies: 2).x })] {
                let fit = try QRLeastSquares.fit(design, response, lowParts: designLow)
                XCTAssertEqual(fit.rank, p)
                for j in 0 ..< p { XCTAssertEqual(fit.coefficients[j], beta[j], accuracy: 1e-13, "b\(j)") }
                XCTAssertLessThan(fit.residuals.reduce(0) { max($0, abs($1)) }, 1e-12)
            }
        }
    }

    func testCtrlCStopsATallFit() throws {
        let (x, y) = Self.stackedFilip()
        Interruption.installHandler()
        raise(SIGINT)
        XCTAssertThrowsError(try QRLeastSquares.fit(x, y)) { error in
            XCTAssertEqual((error as? ModelshError)?.category, .interrupted)
        }
        XCTAssertFalse(Interruption.isRequested)
    }

    /// Prints the times of a 1 000 000 × 21 fit (intercept and 20 uniform features: the tall path)
    /// and a 19 000 × 21 one (the largest the double-double factorisation takes), each also with
    /// low parts in the last 10 columns (as products of features would have); runs only with
    /// MODELSH_BENCH=1, best in release:
    /// `MODELSH_BENCH=1 swift test -c release --disable-swift-testing --filter TallLeastSquaresTests`.
    func testBenchmarkMillionRowsTwentyFeatures() throws {
        try XCTSkipUnless(getenv("MODELSH_BENCH").map { String(cString: $0) } == "1", "set MODELSH_BENCH=1 to time")
        for (n, lowColumns) in [(1_000_000, 0), (1_000_000, 10), (19_000, 0), (19_000, 10)] {
            let features = 20
            var random = Xoshiro256StarStar(seed: 20_240_601)
            var values = [Double](repeating: 1, count: n * (features + 1))
            for i in n ..< values.count { values[i] = random.uniform() }
            let x = Matrix(rows: n, columns: features + 1, values: values)
            let y = (0 ..< n).map { i in (0 ... features).reduce(0.0) { $0 + Double($1) * x[i, $1] } + random.uniform() - 0.5 }
            let lowParts = lowColumns == 0 ? nil : Matrix(rows: n, columns: features + 1, values: (0 ..< values.count).map { i in
                i < n * (features + 1 - lowColumns) ? 0 : 0x1p-54 * (random.uniform() - 0.5)
            })
            var wall: [Double] = [], processor: [Double] = []
            var fit: LeastSquaresFit?
            for _ in 0 ..< 5 {
                let (start, startClock) = (Date(), clock())
                fit = try QRLeastSquares.fit(x, y, lowParts: lowParts)
                wall.append(Date().timeIntervalSince(start))
                processor.append(Double(clock() - startClock) / Double(CLOCKS_PER_SEC))
            }
            let walls = wall.map { String(format: "%.3f", $0) }.joined(separator: " ")
            print(String(format: "QRLeastSquares.fit %d × 21, low parts in %d columns: best %.3f s wall, %.3f s CPU (all threads); walls %@",
                         n, lowColumns, wall.min()!, processor.min()!, walls))
            XCTAssertEqual(fit!.coefficients[features], Double(features), accuracy: 0.1)
        }
    }
}
