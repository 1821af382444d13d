@testable import Numerics
import XCTest

/// The fixed-order sums against sums done one value at a time: exact on integers, and the
/// documented order (four interleaved partial sums) on values whose sum rounds.
final class FixedOrderTests: XCTestCase {
    func testDotAndSumAreExactOnIntegersAtEveryLength() {
        for count in 0 ... 13 {
            let a = (0 ..< count).map { Double($0 * 3 - 7) }, b = (0 ..< count).map { Double(11 - $0 * 2) }
            XCTAssertEqual(FixedOrder.dot(a, b), zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }, "length \(count)")
            XCTAssertEqual(FixedOrder.sum(a, count: count), a.reduce(0, +), "length \(count)")
        }
    }

    func testSumsRunInFourInterleavedPartialSums() {
        // 1 + 2⁻⁵³ rounds to 1 when added to a running 1, but the partial sums keep the small
        // terms of lanes 1–3 together: the order is the documented one, not left to right.
        let tiny = 0x1p-53
        let values = [1, tiny, tiny, tiny, 0, tiny, tiny, tiny]
        XCTAssertEqual(FixedOrder.sum(values, count: values.count), 1 + 3 * 0x1p-52)
        XCTAssertEqual(FixedOrder.dot(values, [Double](repeating: 1, count: values.count)), 1 + 3 * 0x1p-52)
        XCTAssertEqual(values.reduce(0, +), 1)
    }

    func testMatrixProductsMatchTheirDefinitions() {
        // A 5 × 3 block inside a column-major array of leading dimension 7.
        let rows = 5, columns = 3, leading = 7
        let a = (0 ..< leading * columns).map { Double($0 % 11) - 4 }
        let w = [2.0, 0, -3], r = [1.0, -2, 3, 0, 5]
        var z = [1.0, 1, 1, 1, 1]
        FixedOrder.addProduct(a, rows: rows, columns: columns, leading: leading, w, to: &z)
        for i in 0 ..< rows {
            XCTAssertEqual(z[i], 1 + (0 ..< columns).reduce(0) { $0 + a[$1 * leading + i] * w[$1] }, "row \(i)")
        }
        var g = [1.0, 2, 3]
        FixedOrder.transposedProduct(0.5, a, rows: rows, columns: columns, leading: leading, r, 2, &g)
        for j in 0 ..< columns {
            let product = (0 ..< rows).reduce(0) { $0 + a[j * leading + $1] * r[$1] }
            XCTAssertEqual(g[j], 0.5 * product + 2 * Double(j + 1), "column \(j)")
        }
        var y = [1.0, 2, 3]
        FixedOrder.addScaled(-2, [1, 1, 1], to: &y)
        XCTAssertEqual(y, [-1, 0, 1])
    }
}
