@testable import Numerics
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

final class NumberFormatTests: XCTestCase {
    func testByteCounts() {
        XCTAssertEqual(NumberFormat.bytes(0), "0 B")
        XCTAssertEqual(NumberFormat.bytes(1023), "1023 B")
        XCTAssertEqual(NumberFormat.bytes(1536), "1.5 KiB")
        XCTAssertEqual(NumberFormat.bytes(5 * 1024 * 1024), "5.0 MiB")
    }

    func testFixedSignificantAndPValues() {
        XCTAssertEqual(NumberFormat.significant(0.59611780001), "0.5961178")
        XCTAssertEqual(NumberFormat.significant(1234567890), "1.234568e+09")
        XCTAssertEqual(NumberFormat.fixed(-0.0001, decimals: 2), "0.00")
        XCTAssertEqual(NumberFormat.pValue(1e-20), "< 2.2e-16")
        XCTAssertEqual(NumberFormat.pValue(0.012345678), "0.01235")
        XCTAssertEqual(NumberFormat.shortest(101.0), "101")
        XCTAssertEqual(NumberFormat.shortest(32.1), "32.1")
        XCTAssertEqual(NumberFormat.shortest(.infinity), "Inf")
    }
}

/// Selection gives exactly the sorted-array quantiles, on data with many ties and without.
final class QuantileSelectionTests: XCTestCase {
    func testSelectionEqualsSorting() {
        var generator = Xoshiro256StarStar(seed: 9)
        let probabilities = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1]
        for (n, distinct) in [(1, 1), (2, 2), (7, 3), (1000, 1_000_000), (1001, 5), (20_000, 20_000)] {
            let values = (0 ..< n).map { _ in Double(generator.bounded(UInt64(distinct))) - Double(distinct / 2) }
            let sorted = values.sorted()
            XCTAssertEqual(Quantile.type7(unsorted: values, probabilities), probabilities.map { Quantile.type7(sorted: sorted, $0) }, "n = \(n)")
        }
        // Many quantiles at once (a training profile's 1000-point sample): each found within its part.
        let many = (0 ..< 1000).map { Double($0) / 999 }
        for (n, distinct) in [(999, 1_000_000), (5000, 7), (50_000, 1_000_000)] {
            let values = (0 ..< n).map { _ in Double(generator.bounded(UInt64(distinct))) }
            let sorted = values.sorted()
            XCTAssertEqual(Quantile.type7(unsorted: values, many), many.map { Quantile.type7(sorted: sorted, $0) }, "n = \(n), 1000 quantiles")
        }
        XCTAssertEqual(Quantile.type7(unsorted: [Double](repeating: 2, count: 100_000), [0.5]), [2], "all equal")
        XCTAssertTrue(Quantile.type7(unsorted: [], [0.5])[0].isNaN)
    }

    /// Many values and few quantiles (a summary's residual quartiles) go by brackets: equal to
    /// sorting whatever the order of the values, including orders that fool the evenly spaced
    /// values the brackets come from (then selection takes over), ties, infinities; a NaN
    /// leaves it to selection.
    func testBracketingEqualsSortingInAnyOrder() {
        var generator = Xoshiro256StarStar(seed: 11)
        let quartiles = [0, 0.25, 0.5, 0.75, 1], n = 3 * Quantile.bracketingFromCount + 17
        let random = (0 ..< n).map { _ in Double(generator.bounded(1 << 40)) / Double(1 << 20) - 5e5 }
        let stride = n / 8192
        let orders: [(String, [Double])] = [
            ("random", random), ("ascending", random.sorted()), ("descending", random.sorted(by: >)),
            // Every value the spacing picks is the smallest: the brackets miss, selection answers.
            ("fooling", (0 ..< n).map { $0 % stride == 0 ? -1e9 + Double($0) : random[$0] }),
            ("few distinct", (0 ..< n).map { _ in Double(generator.bounded(3)) }),
            ("infinities", random.enumerated().map { $0 % 1000 == 7 ? .infinity : $0 % 1000 == 8 ? -.infinity : $1 }),
        ]
        for (name, values) in orders {
            let sorted = values.sorted()
            XCTAssertEqual(Quantile.type7(unsorted: values, quartiles), quartiles.map { Quantile.type7(sorted: sorted, $0) }, name)
        }
        let ranks = [0, n / 4, n / 4 + 1, n / 2, n - 1]
        let found = Quantile.bracketedOrderStatistics(random, ranks)
        XCTAssertEqual(ranks.map { found?[$0] }, ranks.map { random.sorted()[$0] }, "random order is bracketed, not selected")
        XCTAssertNil(Quantile.bracketedOrderStatistics(orders[3].1, ranks), "a fooling order falls back to selection")
        var withNaN = random
        withNaN[n / 3] = .nan
        XCTAssertNil(Quantile.bracketedOrderStatistics(withNaN, ranks))
    }
}
