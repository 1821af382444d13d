@testable import Numerics
import XCTest

/// The forest's binning sorts in runs it can be interrupted between; the order must be the
/// standard library's, whatever the length against the run size.
final class InterruptibleSortTests: XCTestCase {
    func testEqualsTheStandardSortAroundTheRunSize() throws {
        var generator = Xoshiro256StarStar(seed: 11)
        for count in [0, 1, 2, 65_535, 65_536, 65_537, 200_001] {
            // Few distinct values among them, so ties cross the runs' boundaries too.
            let values = (0 ..< count).map { _ in Double(generator.bounded(5000)) / 8 - 300 }
            XCTAssertEqual(try CodedFeatures<UInt8>.interruptiblySorted(values), values.sorted(), "\(count) values")
        }
    }
}
