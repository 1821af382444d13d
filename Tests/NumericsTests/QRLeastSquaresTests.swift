import Numerics
import XCTest

final class QRLeastSquaresTests: XCTestCase {
    /// NIST StRD Longley (https://www.itl.nist.gov/div898/strd/lls/data/Longley.shtml):
    /// y = total employment; x1…x6 = GNP deflator, GNP, unemployed, armed forces, population, year.
    static let longley: [[Double]] = [
        [60323, 83.0, 234289, 2356, 1590, 107608, 1947], [61122, 88.5, 259426, 2325, 1456, 108632, 1948],
        [60171, 88.2, 258054, 3682, 1616, 109773, 1949], [61187, 89.5, 284599, 3351, 1650, 110929, 1950],
        [63221, 96.2, 328975, 2099, 3099, 112075, 1951], [63639, 98.1, 346999, 1932, 3594, 113270, 1952],
        [64989, 99.0, 365385, 1870, 3547, 115094, 1953], [63761, 100.0, 363112, 3578, 3350, 116219, 1954],
        [66019, 101.2, 397469, 2904, 3048, 117388, 1955], [67857, 104.6, 419180, 2822, 2857, 118734, 1956],
        [68169, 108.4, 442769, 2936, 2798, 120445, 1957], [66513, 110.8, 444546, 4681, 2637, 121950, 1958],
        [68655, 112.6, 482704, 3813, 2552, 123366, 1959], [69564, 114.2, 502601, 3931, 2514, 125368, 1960],
        [69331, 115.7, 518173, 4806, 2572, 127852, 1961], [70551, 116.9, 554894, 4007, 2827, 130081, 1962],
    ]

    /// The certified values, recomputed exactly (Tests/References/nist.py: rationals, square roots
    /// by mpmath), which agree with NIST's 15-digit certificate. Measured agreement of this QR: 3e-16.
    static let certifiedCoefficients = [
        -3482258.634595818325, 15.06187227137329497, -0.03581917929259101662, -2.020229803816825086,
        -1.033226867173591975, -0.05110410565358071447, 1829.151464613551845,
    ]
    static let certifiedStandardErrors = [
        890420.3836073725472, 84.91492577476694525, 0.03349100777224318892, 0.4883996816516994626,
        0.2142741631616752639, 0.2260732000693703592, 455.4784991422119927,
    ]
    static let certifiedResidualSD = 304.8540735619648021
    static let certifiedRSquared = 0.9954790045772956009

    static func longleyDesign() -> (x: Matrix, y: [Double]) {
        let y = longley.map { $0[0] }
        let columns = [[Double](repeating: 1, count: longley.count)] + (1 ... 6).map { j in longley.map { $0[j] } }
        return (Matrix(rows: longley.count, columns: columns), y)
    }

    func testLongleyMatchesCertifiedValues() throws {
        let (x, y) = Self.longleyDesign()
        let fit = try QRLeastSquares.fit(x, y)
        XCTAssertEqual(fit.rank, 7)
        XCTAssertEqual(fit.aliased, Array(repeating: false, count: 7))
        assertSummary(InferenceSummary(fit, y), coefficients: Self.certifiedCoefficients, standardErrors: Self.certifiedStandardErrors,
                      residualSD: Self.certifiedResidualSD, rSquared: Self.certifiedRSquared, tolerance: 1e-13)
        for i in y.indices { XCTAssertEqual(fit.fitted[i] + fit.residuals[i], y[i], accuracy: 1e-9) }
    }

    /// Of columns that are linearly dependent, the one that comes last is aliased, as in R, and
    /// the rest of the fit equals the fit without it.
    func testCollinearColumnIsAliasedAndTheRestEqualsTheReducedFit() throws {
        let (x, y) = Self.longleyDesign()
        let (one, x1, x2, x3) = (x.column(0), x.column(1), x.column(2), x.column(3))
        let combination = zip(x1, x3).map { 2 * $0 - $1 }
        for (columns, aliasedIndex) in [([one, x1, x2, x3, combination], 4), ([one, x1, combination, x2, x3], 4),
                                        ([one, combination, x1, x3, x2], 3)] {
            let fit = try QRLeastSquares.fit(Matrix(rows: x.rows, columns: columns), y)
            var kept = columns
            kept.remove(at: aliasedIndex)
            let reduced = try QRLeastSquares.fit(Matrix(rows: x.rows, columns: kept), y)
            XCTAssertEqual(fit.rank, 4)
            XCTAssertEqual(fit.aliased, (0 ..< 5).map { $0 == aliasedIndex })
            XCTAssertTrue(fit.coefficients[aliasedIndex].isNaN)
            var keptCoefficients = fit.coefficients
            keptCoefficients.remove(at: aliasedIndex)
            for j in 0 ..< 4 { assertRelative(keptCoefficients[j], reduced.coefficients[j], 1e-8, "b\(j)") }
            for i in 0 ..< 4 {
                for j in 0 ..< 4 { assertRelative(fit.unscaledCovariance[i, j], reduced.unscaledCovariance[i, j], 1e-8) }
            }
            for i in y.indices { XCTAssertEqual(fit.fitted[i], reduced.fitted[i], accuracy: 1e-7) }
        }
    }

    func testZeroAndDuplicateColumnsAreAliased() throws {
        let y = [1.0, 3, 2, 5, 4]
        let x1 = [1.0, 2, 3, 4, 5]
        let x = Matrix(rows: 5, columns: [[1, 1, 1, 1, 1], [0, 0, 0, 0, 0], x1, x1])
        let fit = try QRLeastSquares.fit(x, y)
        XCTAssertEqual(fit.rank, 2)
        XCTAssertEqual(fit.aliased, [false, true, false, true])
        // Simple regression of y on x1: slope 0.8, intercept 0.6 (by hand: Sxy = 8, Sxx = 10).
        XCTAssertEqual(fit.coefficients[0], 0.6, accuracy: 1e-14)
        XCTAssertEqual(fit.coefficients[2], 0.8, accuracy: 1e-14)
        XCTAssertEqual(fit.unscaledCovariance.rows, 2)
        XCTAssertEqual(fit.unscaledCovariance[1, 1], 0.1, accuracy: 1e-14)  // 1 / Sxx
    }

    /// (1 + 2⁻³⁰)² = 1 + 2⁻²⁹ + 2⁻⁶⁰ and (1 + 2⁻³⁰)³ = 1 + 3·2⁻³⁰ + 3·2⁻⁶⁰ + 2⁻⁹⁰ need 61 and 91 bits;
    /// their double-double products are exact. Integers multiply exactly in double (lo zero); a
    /// product whose double-double form overflows falls back to double.
    func testColumnProductsAreExactAsNearestDoublePlusRemainder() {
        let x = 1 + 0x1p-30
        let (hi, lo) = ColumnProduct.of([[x, 3, 0x1p1000, 0x1p1000], [x, -7, 0x1p1000, 0x1p-1000]])
        XCTAssertEqual(hi, [1 + 0x1p-29, -21, .infinity, 1])
        XCTAssertEqual(lo, [0x1p-60, 0, 0, 0])
        let cube = ColumnProduct.of([[x], [x], [x]])
        XCTAssertEqual(cube.hi, [1 + 3 * 0x1p-30])
        XCTAssertEqual(cube.lo, [3 * 0x1p-60 + 0x1p-90])
    }

    func testMoreColumnsThanRowsKeepsTheFirstIndependentOnes() throws {
        let x = Matrix(rows: 2, columns: [[1, 1], [1, 2], [3, 7]])
        let fit = try QRLeastSquares.fit(x, [2, 3])
        XCTAssertEqual(fit.rank, 2)
        XCTAssertEqual(fit.aliased, [false, false, true])
        XCTAssertEqual(fit.coefficients[0], 1, accuracy: 1e-14)
        XCTAssertEqual(fit.coefficients[1], 1, accuracy: 1e-14)
        for r in fit.residuals { XCTAssertEqual(r, 0, accuracy: 1e-14) }
    }
}
