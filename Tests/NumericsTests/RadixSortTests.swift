@testable import Numerics
import XCTest

/// Profiles sort their values by radix; the order must be the standard library's.
final class RadixSortTests: XCTestCase {
    func testEqualsTheStandardSort() {
        var generator = Xoshiro256StarStar(seed: 5)
        // Magnitudes from 1e-300 to 1e300 and both signs; then few distinct values (ties);
        // then values sharing their exponent, so most passes are skipped.
        let spread = (0 ..< 10_000).map { _ in
            (generator.uniform() - 0.5) * Double(sign: .plus, exponent: Int(generator.bounded(2000)) - 1000, significand: 1)
        }
        let ties = (0 ..< 3000).map { _ in Double(generator.bounded(7)) - 3 }
        let narrow = (0 ..< 5000).map { _ in 1 + generator.uniform() }
        for values in [spread, ties, narrow, [Double](repeating: 2.5, count: 1000), Array(spread.prefix(100))] {
            XCTAssertEqual(RadixSort.sorted(values), values.sorted(), "\(values.count) values")
        }
    }

    func testZerosInfinitiesAndNaNs() {
        let values = (0 ..< 300).flatMap { index in [-0.0, 0.0, Double(index), -.infinity, .infinity, -Double.nan, .nan] }
        let sorted = RadixSort.sorted(values)
        let numbers = values.filter { !$0.isNaN }.map { $0 == 0 ? 0 : $0 }.sorted()
        XCTAssertEqual(Array(sorted.prefix(numbers.count)), numbers)
        XCTAssertTrue(sorted.prefix(numbers.count).allSatisfy { $0 != 0 || $0.sign == .plus }, "−0 comes back as +0")
        XCTAssertTrue(sorted.dropFirst(numbers.count).allSatisfy(\.isNaN), "NaNs go last")
    }
}

final class ValueMomentsTests: XCTestCase {
    /// 10⁹ + k for k = 0 … n − 1: the mean is 10⁹ + (n − 1)/2 and the population variance
    /// (n² − 1)/12, both exact in doubles; a one-pass sum of squares loses every digit here.
    func testLargeOffsetAgainstExactMoments() {
        for n in [1, 7, 8, 9, 1001] {
            let moments = ValueMoments((0 ..< n).map { 1e9 + Double($0) })
            XCTAssertEqual(moments.minimum, 1e9)
            XCTAssertEqual(moments.maximum, 1e9 + Double(n - 1))
            XCTAssertEqual(moments.mean, 1e9 + Double(n - 1) / 2)
            XCTAssertEqual(moments.deviation, (Double(n * n - 1) / 12).squareRoot(), accuracy: 1e-12 * Double(n))
        }
    }

    /// The lanes' minimum and maximum are the values' wherever they fall (any lane, chunk or the tail).
    func testRangeWhereverTheExtremesFall() {
        var generator = Xoshiro256StarStar(seed: 21)
        for count in [1, 8, 9, 63, 64, 1000] {
            for _ in 0 ..< 20 {
                let values = (0 ..< count).map { _ in Double(generator.bounded(2001)) - 1000 }
                let moments = ValueMoments(values)
                XCTAssertEqual(moments.minimum, values.min())
                XCTAssertEqual(moments.maximum, values.max())
            }
        }
    }

    func testRangeOfMixedSigns() {
        let moments = ValueMoments([3, -7.5, 2, 11, 0, 4, 4, 4, -1, 6])
        XCTAssertEqual(moments.minimum, -7.5)
        XCTAssertEqual(moments.maximum, 11)
        XCTAssertEqual(moments.mean, 2.55, accuracy: 1e-15)
    }
}

/// `sort` orders rows by radix passes; the order must be a stable sort's.
final class RadixOrderTests: XCTestCase {
    func testStableOrderEqualsAStableComparisonSort() {
        var generator = Xoshiro256StarStar(seed: 9)
        for count in [0, 1, 300, 5000] {
            // Few distinct keys, so ties are many and their order is tested.
            let keys = (0 ..< count).map { _ in generator.bounded(40) << (generator.bounded(2) == 0 ? 3 : 52) }
            let expected = keys.indices.sorted { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : $0 < $1 }
            XCTAssertEqual(RadixSort.stableOrder(of: keys), expected, "\(count) keys")
        }
    }

    func testKeysOrderLikeTheNumbers() {
        let values: [Double] = [-.infinity, -1e300, -2, -0.5, -0.0, 0, 1e-310, 0.5, 3, 1e300, .infinity]
        let keys = values.map(RadixSort.key)
        XCTAssertEqual(keys, keys.sorted())
        XCTAssertEqual(RadixSort.key(-0.0), RadixSort.key(0))
        XCTAssertGreaterThan(RadixSort.key(.nan), RadixSort.key(.infinity))
    }
}
