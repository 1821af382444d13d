@testable import Numerics
import XCTest

final class LargeBuffersTests: XCTestCase {
    /// A long buffer is checked in pieces on several threads: a non-finite value is found
    /// wherever it falls (first piece, a piece boundary, the ragged tail), and a short buffer
    /// (one pass) likewise.
    func testAllFiniteFindsEveryNonFiniteValueWhereverItFalls() {
        for count in [0, 1, 7, 8, 9, 1000, (1 << 20) - 3, (1 << 20) + 5, 3 << 19] {
            var values = (0 ..< count).map { Double($0 % 97) - 48.5 }
            XCTAssertTrue(LargeBuffers.allFinite(values[...]), "all finite, count \(count)")
            let positions = Set([0, count / 2, (1 << 18) - 1, 1 << 18, count - 1].filter { $0 >= 0 && $0 < count })
            for position in positions {
                for bad in [Double.nan, .infinity, -.infinity] {
                    let kept = values[position]
                    values[position] = bad
                    XCTAssertFalse(LargeBuffers.allFinite(values[...]), "\(bad) at \(position) of \(count)")
                    values[position] = kept
                }
            }
        }
        XCTAssertTrue(LargeBuffers.allFinite([Double.greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude][...]))
    }
}
