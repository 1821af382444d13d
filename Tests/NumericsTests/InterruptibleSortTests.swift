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

    /// Without a maximum every distinct value is a bin, held for the whole fit: its arrays take
    /// the values' size, not the next power of two an appended array grows to (150,001 distinct
    /// values would take 262,144 slots).
    func testExactBinsHoldTheDistinctValuesWithoutSlack() throws {
        var generator = Xoshiro256StarStar(seed: 3)
        let values = (0 ..< 160_000).map { _ in Double(generator.bounded(150_000)) } + [.nan, 7, 7]
        let (lowest, highest) = try CodedFeatures<UInt32>.bins(values, maximumBins: nil)
        XCTAssertEqual(highest, Array(Set(values.filter { !$0.isNaN })).sorted())
        XCTAssertEqual(lowest, highest)
        XCTAssertLessThan(highest.capacity, highest.count + 1024)
        XCTAssertEqual(try CodedFeatures<UInt32>.bins([], maximumBins: nil).highest, [])
        XCTAssertEqual(try CodedFeatures<UInt32>.bins([.nan, 2, 2], maximumBins: nil).highest, [2])
    }
}
