@testable import Tabular
import XCTest

/// `LevelTable` numbers a column's distinct texts by their bytes; its byte comparison, reached
/// only when two hashes are equal, must tell apart texts that differ anywhere.
final class LevelTableTests: XCTestCase {
    /// Texts of up to `shortLength` bytes are compared by their `ShortKey`s, longer ones by
    /// `sameBytes`: either must tell apart texts that differ in any one byte, or in length only
    /// (a text and the same with a NUL after it); and a key read with 16 bytes at hand (those
    /// after the text masked) must be the key read without them.
    func testTextsDifferingInAnyOneByteOrInLengthAreToldApart() {
        func same(_ a: [UInt8], _ b: [UInt8]) -> Bool {
            guard a.count > LevelTable.shortLength || b.count > LevelTable.shortLength else {
                return a.withUnsafeBufferPointer { LevelTable.shortKey($0) } == b.withUnsafeBufferPointer { LevelTable.shortKey($0) }
            }
            return a.count == b.count
                && a.withUnsafeBytes { a in b.withUnsafeBytes { b in LevelTable.sameBytes(a.baseAddress!, b.baseAddress!, count: a.count) } }
        }
        for count in 0...48 {
            let text = (0..<count).map { UInt8(truncatingIfNeeded: 97 + $0 % 26) }
            for position in 0..<count {
                var other = text
                other[position] ^= 0x01
                XCTAssertFalse(same(text, other), "length \(count), byte \(position)")
            }
            XCTAssertTrue(same(text, Array(text)), "length \(count)")
            XCTAssertFalse(same(text, text + [0]), "length \(count) and a NUL")
            guard count <= LevelTable.shortLength else { continue }
            let padded = text + [UInt8](repeating: 0xEE, count: 16)
            XCTAssertEqual(padded.withUnsafeBytes { LevelTable.shortKey(readingSixteen: $0.baseAddress!, count: count) },
                           text.withUnsafeBufferPointer { LevelTable.shortKey($0) }, "length \(count)")
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

    /// A new level is checked eight bytes at a time for bytes above 0x7F and NUL: either, at any
    /// place in texts of any length, must still be found (and told apart).
    func testNewLevelsMustBeUTF8WithoutNUL() {
        for count in 1...20 {
            for position in 0..<count {
                var table = LevelTable()
                var text = [UInt8](repeating: UInt8(ascii: "a"), count: count)
                text[position] = 0
                XCTAssertThrowsError(try text.withUnsafeBufferPointer { try table.code(for: $0) }, "NUL at \(position) of \(count)") {
                    XCTAssertEqual("\($0)", "\(UnstorableValue.nulByte)")
                }
                text[position] = 0xFF
                XCTAssertThrowsError(try text.withUnsafeBufferPointer { try table.code(for: $0) }, "0xFF at \(position) of \(count)") {
                    XCTAssertEqual("\($0)", "\(UnstorableValue.invalidUTF8)")
                }
                text[position] = 0x7F
                XCTAssertEqual(try text.withUnsafeBufferPointer { try table.code(for: $0) }, 0)
            }
        }
        var table = LevelTable()
        XCTAssertEqual(try Array("Zürich, 東京".utf8).withUnsafeBufferPointer { try table.code(for: $0) }, 0)
    }

    /// Codes stay first-seen as the table grows, and a second table's levels map onto them
    /// (the merge of a piece's levels, looked up a batch at a time).
    func testManyLevelsKeepTheirCodesAndMapFromAnotherTable() throws {
        var table = LevelTable(), piece = LevelTable()
        func code(_ text: String, in table: inout LevelTable) throws -> Int32 {
            try Array(text.utf8).withUnsafeBufferPointer { try table.code(for: $0) }
        }
        for number in 0..<100_000 { XCTAssertEqual(try code("name \(number)", in: &table), Int32(number)) }
        for number in stride(from: 99_999, through: 0, by: -7) { XCTAssertEqual(try code("name \(number)", in: &table), Int32(number)) }
        let pieceTexts = (0..<5_000).map { "name \($0 * 37 % 120_000)" }
        for (index, text) in pieceTexts.enumerated() { XCTAssertEqual(try code(text, in: &piece), Int32(index)) }
        let mapped = try table.codes(ofLevelsOf: piece)
        var next: Int32 = 100_000
        for (index, text) in pieceTexts.enumerated() {
            let number = Int(text.dropFirst(5))!
            if number < 100_000 {
                XCTAssertEqual(mapped[index], Int32(number), text)
            } else {
                XCTAssertEqual(mapped[index], next, text)
                next += 1
            }
        }
        XCTAssertEqual(table.count, Int(next))
    }
}
