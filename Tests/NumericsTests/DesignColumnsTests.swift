@testable import Numerics
import XCTest

/// A design held as columns fits exactly as the same design in one matrix, bit for bit, on every
/// route the solvers take (the tall Gram route and IRLS's normal equations read the columns in
/// place; the others make the matrix); the matrix is made once and holds the columns.
final class DesignColumnsTests: XCTestCase {
    private func columns(of x: Matrix) -> DesignColumns { DesignColumns(x) }

    func testMatrixHoldsTheColumnsAndIsMadeOnce() {
        let columns = DesignColumns(rows: 3, columns: [[1, 2, 3], [4, 5, 6]])
        XCTAssertEqual(columns.matrix, Matrix(rows: 3, columns: [[1, 2, 3], [4, 5, 6]]))
        let copy = columns
        let first = columns.matrix.values.withUnsafeBufferPointer { $0.baseAddress }
        XCTAssertEqual(copy.matrix.values.withUnsafeBufferPointer { $0.baseAddress }, first, "a copy of the value shares the one matrix")
        XCTAssertEqual(DesignColumns(rows: 0, columns: [[], []]).matrix, Matrix(rows: 0, columns: 2))
    }

    func testLeastSquaresOnColumnsEqualsTheMatrixFitOnEveryRoute() throws {
        let (tall, tallY) = GramLeastSquaresTests.modularDesign()  // Gram route
        var collinear = tall  // ill-conditioned Gram: the tall QR route, from the matrix
        for i in 0 ..< collinear.rows { collinear[i, 2] = collinear[i, 1] + 1e-5 * Double(i % 7 - 3) }
        let small = Matrix(rows: 5, columns: [[1, 1, 1, 1, 1], [1, 2, 3, 4, 5.5]])  // double-double QR
        for (x, y) in [(tall, tallY), (collinear, tallY), (small, [1, 3, 2, 5, 4])] {
            XCTAssertEqual(try QRLeastSquares.fit(columns(of: x), y), try QRLeastSquares.fit(x, y), "\(x.rows) × \(x.columns)")
        }
    }

    func testLogisticOnColumnsEqualsTheMatrixFit() throws {
        var generator = Xoshiro256StarStar(seed: 11)
        let n = 20_000, p = 4
        var x = Matrix(rows: n, columns: p, values: [Double](repeating: 1, count: n * p))
        var y = [Double](repeating: 0, count: n)
        for i in 0 ..< n {
            for j in 1 ..< p { x[i, j] = Double(generator.bounded(2001)) / 1000 - 1 }
            let eta = 0.3 + x[i, 1] - 0.5 * x[i, 2] + 0.25 * x[i, 3]
            y[i] = Double(generator.bounded(1 << 20)) / Double(1 << 20) < 1 / (1 + exp(-eta)) ? 1 : 0
        }
        for work in [0, LogisticRegression.normalEquationsWork] {  // normal equations, then R's QR
            let onColumns = try columns(of: x).withPointers {
                try LogisticRegression.fitBinary($0, y, hasIntercept: true, epsilon: 1e-8, maxIterations: 25,
                                                 normalEquationsFromWork: work, wantsInformation: true)
            }
            let inMatrix = try LogisticRegression.fitBinary(x, y, hasIntercept: true, epsilon: 1e-8, maxIterations: 25,
                                                            normalEquationsFromWork: work, wantsInformation: true)
            XCTAssertEqual(onColumns, inMatrix)
            XCTAssertEqual(onColumns.information != nil, work == 0, "the route taken")
        }
        XCTAssertEqual(try LogisticRegression.fitBinary(columns(of: x), y, hasIntercept: true), try LogisticRegression.fitBinary(x, y, hasIntercept: true))
        // A column that is not finite is refused as in the matrix.
        var holed = columns(of: x).columns
        holed[2][7] = .infinity
        XCTAssertThrowsError(try LogisticRegression.fitBinary(DesignColumns(rows: n, columns: holed), y, hasIntercept: true))
    }

    func testProductOfColumnsIsTheMatrixProduct() {
        var generator = Xoshiro256StarStar(seed: 3)
        let x = Matrix(rows: 70_001, columns: 3, values: (0 ..< 210_003).map { _ in Double(generator.bounded(1000)) / 8 })
        let b = [0.5, -2, 0.25]  // exact in binary: every sum is exact, whatever the order
        let expected = (0 ..< x.rows).map { i in (0 ..< 3).reduce(0.0) { $0 + x[i, $1] * b[$1] } }
        XCTAssertEqual(x.withColumnPointers { $0.product(b) }, expected)
    }
}
