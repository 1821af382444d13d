import Numerics
@testable import Tabular
import XCTest

/// `sort` on more rows than the radix order's small-input path: the same rows as a stable
/// comparison sort by the same rules (first key first, missing last either way, ties in order).
final class SortingTests: XCTestCase {
    func testRadixOrderIsTheStableComparisonOrder() throws {
        var generator = Xoshiro256StarStar(seed: 4)
        let n = 3000
        // Few groups (many ties), numbers with negative zeros and missing values.
        let groups = (0 ..< n).map { _ -> String? in generator.bounded(10) == 0 ? nil : ["b", "a", "c"][Int(generator.bounded(3))] }
        let xs = (0 ..< n).map { _ -> Double in
            generator.bounded(8) == 0 ? .nan : generator.bounded(5) == 0 ? -0.0 : Double(generator.bounded(50)) - 25
        }
        let data = try Dataset(columns: [Column.categorical("group", groups), Column.numeric("x", xs), Column.numeric("row", (0 ..< n).map(Double.init))])
        for descending in [false, true] {
            let sorted = try data.sorted(by: ["group", "x"], descending: descending)
            let rows = (0 ..< n).map { Int(sorted.column(named: "row")!.numbers![$0]) }
            // The rule, by comparisons: group by its text, then x, missing last, ties by row.
            let groupRank: (String?) -> Double = { $0.map { ["a": 0, "b": 1, "c": 2][$0]! } ?? .nan }
            let expected = (0 ..< n).sorted { a, b in
                for (x, y) in [(groupRank(groups[a]), groupRank(groups[b])), (xs[a], xs[b])] {
                    if x == y || (x.isNaN && y.isNaN) { continue }
                    if x.isNaN || y.isNaN { return y.isNaN }
                    return descending ? x > y : x < y
                }
                return a < b
            }
            XCTAssertEqual(rows, expected, descending ? "descending" : "ascending")
        }
    }
}
