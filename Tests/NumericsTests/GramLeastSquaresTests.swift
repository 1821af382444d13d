@testable import Numerics
import XCTest

/// The Gram route of `QRLeastSquares` (`GramFactor`) on tall, well-conditioned designs, and the
/// QR route it falls back to on ill-conditioned ones; the factors of [X y] that the fits hand
/// to `ScatterFactor`.
final class GramLeastSquaresTests: XCTestCase {
    /// 40 000 × 21: an intercept and 20 features (k·i + j²) mod pⱼ − ⌊pⱼ/2⌋ over 8 for distinct
    /// primes pⱼ (κ ≈ 1.01 with unit columns), y = Σ (j+1) xⱼ plus a sawtooth, over 32: every
    /// value exact in double, so Python's Fractions give the exact least-squares solution
    /// (numpy's lstsq is 6e-13 from it): `exactCoefficients`, `exactInverseDiagonal` (of
    /// (XᵀX)⁻¹, numpy's inverse of the exact integer Gram) and `exactResidualSumOfSquares`.
    static func modularDesign() -> (x: Matrix, y: [Double]) {
        let n = 40_000
        let primes = [23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107]
        func feature(_ i: Int, _ j: Int) -> Int { (i * (j + 3) + j * j) % primes[j] - primes[j] / 2 }
        var x = Matrix(rows: n, columns: 21, values: [Double](repeating: 1, count: n * 21))
        var y = [Double](repeating: 0, count: n)
        for i in 0 ..< n {
            var numerator = ((i * 17) % 113 - 56) * 2
            for j in 0 ..< 20 {
                x[i, j + 1] = Double(feature(i, j)) / 8
                numerator += (j + 1) * feature(i, j)
            }
            y[i] = Double(numerator) / 32
        }
        precondition(!QRLeastSquares.affordsExtended(rows: n, columns: 21), "too small for the tall path")
        return (x, y)
    }

    static let exactCoefficients = [
        -9.850058488403662e-05, 0.2498147874407247, 0.5001175047257246, 0.7489339501727359, 0.9999695723501751,
        1.2492004056539971, 1.4992180903560612, 1.749598514708661, 1.999967746133224, 2.249948832886703,
        2.5003795577102785, 2.750231653202137, 2.999796102123211, 3.251545089216475, 3.500596151096146,
        3.7498683681394236, 4.000150512485515, 4.2497416007853115, 4.500088882680059, 4.749733658540438, 5.000106456116174,
    ]
    static let exactInverseDiagonal = [
        2.5000001509729788e-05, 3.6362046548394244e-05, 2.285618337241287e-05, 2.000107375804249e-05, 1.4035992500426525e-05,
        1.1429030094945189e-05, 1.0389857128651197e-05, 8.695319792193164e-06, 6.8375251652214075e-06, 5.5175274753162685e-06,
        5.161796178414624e-06, 4.278233215297625e-06, 3.8099361255719812e-06, 3.603975745468314e-06, 3.0768938869102968e-06,
        2.7875857379197927e-06, 2.424241695082449e-06, 2.040838264398817e-06, 1.8823785147130664e-06, 1.8099835349288204e-06,
        1.6774108973954884e-06,
    ]
    static let exactResidualSumOfSquares = 166248.8770749969

    /// TᵀT for a (p+1) × (p+1) column-major triangle T.
    static func crossProduct(_ triangle: [Double]) -> Matrix {
        let width = Int(Double(triangle.count).squareRoot())
        var product = Matrix(rows: width, columns: width)
        for i in 0 ..< width {
            for j in 0 ..< width { product[i, j] = (0 ..< width).reduce(0) { $0 + triangle[i * width + $1] * triangle[j * width + $1] } }
        }
        return product
    }

    static func gramFactor(_ x: Matrix, _ y: [Double]) throws -> GramFactor? {
        try x.withColumnPointers { try GramFactor($0, y) }
    }

    func testWellConditionedTallDesignTakesTheGramRouteToTheExactSolution() throws {
        let (x, y) = Self.modularDesign()
        XCTAssertNotNil(try Self.gramFactor(x, y))
        let fit = try QRLeastSquares.fit(x, y)
        XCTAssertEqual(fit.rank, 21)
        XCTAssertEqual(fit.aliased, [Bool](repeating: false, count: 21))
        for j in 0 ..< 21 {
            // Relative to the largest coefficient: the intercept is 2e-5 of it.
            XCTAssertEqual(fit.coefficients[j], Self.exactCoefficients[j], accuracy: 5e-15 * 5, "b\(j)")
            assertRelative(fit.unscaledCovariance[j, j], Self.exactInverseDiagonal[j], 1e-13, "(XᵀX)⁻¹ \(j)")
        }
        assertRelative(fit.residuals.reduce(0) { $0 + $1 * $1 }, Self.exactResidualSumOfSquares, 1e-13)
        for i in [0, 1, x.rows - 1] { XCTAssertEqual(fit.fitted[i] + fit.residuals[i], y[i], accuracy: 1e-13) }
    }

    /// A tolerance above `GramFactor.largestTolerance` takes the QR route on the same design:
    /// both routes agree to the last digits, and their factors of [X y] have the same TᵀT.
    func testGramAndQRRoutesAgree() throws {
        let (x, y) = Self.modularDesign()
        let gram = try QRLeastSquares.fit(x, y), qr = try QRLeastSquares.fit(x, y, tolerance: 1e-4)
        for j in 0 ..< 21 {
            XCTAssertEqual(gram.coefficients[j], qr.coefficients[j], accuracy: 1e-14 * 5, "b\(j)")
            for i in 0 ..< 21 { XCTAssertEqual(gram.unscaledCovariance[i, j], qr.unscaledCovariance[i, j], accuracy: 1e-12 * 4e-5) }
        }
        let (a, b) = (Self.crossProduct(try XCTUnwrap(gram.scatterTriangle)), Self.crossProduct(try XCTUnwrap(qr.scatterTriangle)))
        for i in 0 ..< 22 {
            for j in 0 ..< 22 { XCTAssertEqual(a[i, j], b[i, j], accuracy: 1e-12 * max(a[i, i], a[j, j]), "TᵀT[\(i), \(j)]") }
        }
    }

    /// Ill-conditioned designs are refused by the Gram factor and fitted by the QR route with its
    /// accuracy: stacked NIST Filip (κ ≈ 1e8 scaled: TallLeastSquaresTests checks the certificate
    /// through this fallback), nearly collinear columns, and exactly collinear ones (aliased).
    func testIllConditionedTallDesignsFallBackToTheQRRoute() throws {
        let (filip, filipY) = TallLeastSquaresTests.stackedFilip()
        XCTAssertNil(try Self.gramFactor(filip, filipY))

        var (x, y) = Self.modularDesign()
        // Column 2 becomes column 1 plus 1e-5 of a sawtooth: the Gram's condition number is about 1e11.
        for i in 0 ..< x.rows { x[i, 2] = x[i, 1] + 1e-5 * Double(i % 7 - 3) }
        XCTAssertNil(try Self.gramFactor(x, y))
        let fit = try QRLeastSquares.fit(x, y)
        XCTAssertEqual(fit.rank, 21)
        // The residuals are orthogonal to every column, as the exact solution's are.
        let residualNorm = fit.residuals.reduce(0) { $0 + $1 * $1 }.squareRoot()
        for j in 0 ..< 21 {
            let column = x.column(j)
            let dot = zip(column, fit.residuals).reduce(0) { $0 + $1.0 * $1.1 }
            XCTAssertLessThan(abs(dot), 1e-13 * residualNorm * column.reduce(0) { $0 + $1 * $1 }.squareRoot(), "x\(j)ᵀr")
        }

        for i in 0 ..< x.rows { x[i, 2] = 2 * x[i, 1] }
        XCTAssertNil(try Self.gramFactor(x, y))
        XCTAssertEqual(try QRLeastSquares.fit(x, y).aliased, [false, false, true] + [Bool](repeating: false, count: 18))
    }

    /// Ridge's cross-products give the factor of [X y] when well-conditioned (the same TᵀT as the
    /// QR's), and none when y is fitted almost exactly, whose residual norm they would lose.
    func testScatterFactorFromCrossProducts() throws {
        let (full, y) = Self.modularDesign()
        let x = Matrix(rows: full.rows, columns: 20, values: Array(full.values[full.rows...]))
        for centred in [true, false] {
            let products = try CentredCrossProducts(x, y, centred: centred)
            let fromProducts = try XCTUnwrap(ScatterFactor(products, centred: centred)), byQR = try ScatterFactor(x, y, centred: centred)
            XCTAssertEqual(fromProducts.count, byQR.count)
            for (a, b) in zip(fromProducts.means, byQR.means) { XCTAssertEqual(a, b, accuracy: 1e-15) }
            let (a, b) = (Self.crossProduct(fromProducts.triangle), Self.crossProduct(byQR.triangle))
            for i in 0 ..< 21 {
                for j in 0 ..< 21 { XCTAssertEqual(a[i, j], b[i, j], accuracy: 1e-12 * max(a[i, i], a[j, j]), "centred \(centred) [\(i), \(j)]") }
            }
            let ridge = try Ridge(alpha: 1, fitIntercept: centred).fit(x, y)
            XCTAssertEqual(ridge.factor, fromProducts)
        }
        let exact = (0 ..< x.rows).map { i in (0 ..< 20).reduce(0.0) { $0 + Double($1 + 1) * x[i, $1] } + 1e-9 * Double(i % 3) }
        XCTAssertNil(ScatterFactor(try CentredCrossProducts(x, exact, centred: true), centred: true))
        XCTAssertNil(try Ridge(alpha: 1).fit(x, exact).factor)
    }

    /// Cross-products over selected rows, gathered a block at a time, are those of the selected
    /// rows copied out first, bit for bit, centred or not.
    func testCrossProductsOverSelectedRowsAreThoseOfTheRowsCopied() throws {
        let (full, y) = Self.modularDesign()
        let selected = (0 ..< full.rows).filter { $0 % 3 != 1 }
        let copied = Matrix(rows: selected.count, columns: full.columns, values: (0 ..< full.columns).flatMap { j in selected.map { full[$0, j] } })
        for centred in [true, false] {
            let gathered = try full.withColumnPointers { try CentredCrossProducts($0, y, centred: centred, selected: selected) }
            let reference = try CentredCrossProducts(copied, selected.map { y[$0] }, centred: centred)
            XCTAssertEqual(gathered.rows, reference.rows)
            XCTAssertEqual(gathered.gram, reference.gram, "centred \(centred)")
            XCTAssertEqual(gathered.xty, reference.xty, "centred \(centred)")
            XCTAssertEqual(gathered.yy, reference.yy, "centred \(centred)")
            XCTAssertEqual(gathered.xMeans, reference.xMeans, "centred \(centred)")
        }
    }
}
