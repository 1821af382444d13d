@testable import Tabular
import XCTest

/// `LevelTable` numbers a column's distinct texts by their bytes; its byte comparison, reached
/// only when two hashes are equal, must tell apart texts that differ anywhere.
final class LevelTableTests: XCTestCase {
    func testSameBytesTellsApartTextsDifferingInAnyOneByte() {
        for count in 0...48 {
            let text = (0..<count).map { UInt8(truncatingIfNeeded: 97 + $0 % 26) }
            for position in 0..<count {
                var other = text
                other[position] ^= 0x01
                let same = text.withUnsafeBytes { a in other.withUnsafeBytes { b in LevelTable.sameBytes(a.baseAddress!, b.baseAddress!, count: count) } }
                XCTAssertFalse(same, "length \(count), byte \(position)")
            }
            guard count > 0 else { continue }
            let copy = Array(text)
            XCTAssertTrue(text.withUnsafeBytes { a in copy.withUnsafeBytes { b in LevelTable.sameBytes(a.baseAddress!, b.baseAddress!, count: count) } },
                          "length \(count)")
        }
    }

    func testCodesAreFirstSeenOrderAndRepeatsFindTheirCode() throws {
        var table = LevelTable()
        let texts = ["Oslo", "New York, NY", "", "Oslo", "a much longer level than thirty-two bytes, compared by memcmp", "New York, NY",
                     "a much longer level than thirty-two bytes, compared by memcmP"]
        let codes = try texts.map { text in try Array(text.utf8).withUnsafeBufferPointer { try table.code(for: $0) } }
        XCTAssertEqual(codes, [0, 1, 2, 0, 3, 1, 4])
        XCTAssertEqual(table.strings(), ["Oslo", "New York, NY", "", "a much longer level than thirty-two bytes, compared by memcmp",
                                         "a much longer level than thirty-two bytes, compared by memcmP"])
    }
}
