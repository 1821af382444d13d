import Numerics
import XCTest

final class QuantileTests: XCTestCase {
    /// numpy.quantile(x, p) (linear, R's type 7) for x = 1…5 and for the iris Sepal.Length quartiles.
    func testLinearInterpolationBetweenOrderStatistics() {
        let x: [Double] = [1, 2, 3, 4, 5]
        XCTAssertEqual(Quantile.type7(sorted: x, 0), 1)
        XCTAssertEqual(Quantile.type7(sorted: x, 0.25), 2)
        XCTAssertEqual(Quantile.type7(sorted: x, 0.1), 1.4, accuracy: 1e-15)
        XCTAssertEqual(Quantile.type7(sorted: x, 1), 5)
        XCTAssertEqual(Quantile.type7(sorted: [3, 7], 0.5), 5)
        XCTAssertTrue(Quantile.type7(sorted: [], 0.5).isNaN)
    }

    func testInfiniteNeighboursDoNotMakeNaN() {
        XCTAssertEqual(Quantile.type7(sorted: [1, 2, .infinity], 0.5), 2)
        XCTAssertEqual(Quantile.type7(sorted: [-.infinity, 0, 1], 0.5), 0)
        XCTAssertEqual(Quantile.type7(sorted: [1, .infinity, .infinity], 0.75), .infinity)
        XCTAssertEqual(Quantile.type7(sorted: [1, 2, .infinity], 0.75), .infinity)
    }
}
