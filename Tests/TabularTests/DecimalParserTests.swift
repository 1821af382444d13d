import Foundation
import Numerics
@testable import Tabular
import XCTest

/// `DecimalParser` must read every number exactly as a correctly rounded parser does (Swift's
/// `Double(String)`, which is strtod's result): its fast paths (exact Clinger products and
/// Eisel-Lemire) are checked bit for bit against it on the inputs that are hardest for them.
final class DecimalParserTests: XCTestCase {
    private func parsed(_ text: String) -> Double? {
        Array(text.utf8).withUnsafeBufferPointer { DecimalParser.parse($0)?.value }
    }

    private func assertSameAsCorrectRounding(_ texts: [String], file: StaticString = #filePath, line: UInt = #line) {
        var wrong: [String] = []
        for text in texts {
            let expected = Double(text)!
            let got = parsed(text)
            if got?.bitPattern != expected.bitPattern, !(got?.isNaN == true && expected.isNaN) { wrong.append("\(text): \(String(describing: got)) ≠ \(expected)") }
        }
        XCTAssertTrue(wrong.isEmpty, "\(wrong.count) of \(texts.count) differ, e.g. \(wrong.prefix(5))", file: file, line: line)
    }

    /// What pandas' to_csv and Python's repr write: the shortest text that reads back to the
    /// same double, 15 to 17 significant digits, over the whole exponent range.
    func testShortestRoundTripTextsOfRandomDoubles() {
        var random = Xoshiro256StarStar(seed: 11)
        var texts: [String] = []
        for _ in 0..<300_000 {
            let value = Double(bitPattern: random.nextUInt64() & 0x7FEF_FFFF_FFFF_FFFF)
            texts.append(value.description)
            texts.append((-value / 3).description)
        }
        assertSameAsCorrectRounding(texts)
    }

    /// Random mantissas of 16 to 19 digits at every decimal exponent the table covers.
    func testLongMantissasAtEveryExponent() {
        var random = Xoshiro256StarStar(seed: 12)
        var texts: [String] = []
        for q in -360 ... 320 {
            for digits in 16 ... 19 {
                for _ in 0..<60 {
                    let low = digits == 19 ? UInt64(1_000_000_000_000_000_000) : UInt64(pow(10, Double(digits - 1)))
                    let mantissa = low + random.nextUInt64() % (low * 9)
                    texts.append("\(mantissa)e\(q)")
                }
            }
        }
        assertSameAsCorrectRounding(texts)
    }

    /// Integers exactly halfway between two doubles (an odd multiple of half an ulp, below
    /// 10^19), which must round to the even neighbour, and the integers beside them.
    func testExactHalfwayIntegersRoundToEven() {
        var random = Xoshiro256StarStar(seed: 13)
        var texts: [String] = []
        for _ in 0..<50_000 {
            let shift = UInt64(random.bounded(10))
            let odd = (UInt64(1) << 53 | random.nextUInt64() >> 11) << 1 | 1  // 2^54 ≤ odd < 2^55: halfway at ulp 2
            let halfway = odd << shift
            guard halfway < 10_000_000_000_000_000_000 else { continue }
            texts += ["\(halfway)", "\(halfway - 1)", "\(halfway + 1)", "\(halfway)e-1", "\(halfway)e1"]
        }
        assertSameAsCorrectRounding(texts)
    }

    func testBoundariesAndSpecialCases() {
        assertSameAsCorrectRounding([
            "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "2e308",
            "2.2250738585072014e-308", "2.2250738585072011e-308", "4.9e-324", "2.4703282292062327e-324",
            "1e-400", "9007199254740993", "9007199254740992.5", "18446744073709551615", "1844674407370955161.5",
            "0.1", "0.30000000000000004", "123456789012345678e-10", "7.2057594037927933e16", "1e23", "8.98846567431158e307",
            "9999999999999999999e-342", "1e-342", "1e-343", "1e308", "1e309", "0e999", "0.000000000000000000000000000001",
            "5e-324", "3e-324", "-0.0", "2.2250738585072012e-308", "4.4501477170144023e-308",
        ])
    }

    /// Digits are read eight at a time while eight bytes remain: a number must end exactly at the
    /// first byte that is not a digit, whatever its length, the point's place, leading zeros
    /// (more than 19 digits of which at most 19 count) and whatever digits follow in the buffer.
    func testNumbersOfEveryLengthEndWhereTheirDigitsEnd() {
        var random = Xoshiro256StarStar(seed: 14)
        var wrong: [String] = []
        for length in 1...26 {
            for _ in 0..<400 {
                var digits = (0..<length).map { _ in Character(String(random.bounded(10))) }
                if random.bounded(4) == 0 { for k in 0..<min(length, Int(random.bounded(12))) { digits[k] = "0" } }
                var text = String(digits)
                let point = Int(random.bounded(UInt64(length + 2)))
                if point <= length { text.insert(".", at: text.index(text.startIndex, offsetBy: point)) }
                if random.bounded(3) == 0 { text = "-" + text }
                for follower in [",", "\n", "x", "", ",12345678", ";9"] {
                    let bytes = Array((text + follower).utf8)
                    let outcome = bytes.withUnsafeBufferPointer { DecimalParser.prefix(of: $0, from: 0) }
                    let expectedEnd = text.utf8.count
                    guard case .number(let number, let end) = outcome, end == expectedEnd,
                          number.value.bitPattern == Double(text)!.bitPattern else {
                        wrong.append("\(text)\(follower): \(outcome)")
                        continue
                    }
                    XCTAssertEqual(number.isInteger, !text.contains(".") && abs(number.value) <= 0x1p53, text)
                }
            }
        }
        XCTAssertTrue(wrong.isEmpty, "\(wrong.count) wrong, e.g. \(wrong.prefix(5))")
    }

    /// The short path reads what `prefix` reads wherever it reads anything, and reads the
    /// common shapes (up to seven digits each side of the point, a minus sign) itself, so a data
    /// file's usual numbers do not fall through to the longer path.
    func testShortPathReadsTheCommonShapesAsTheLongPathDoes() {
        var random = Xoshiro256StarStar(seed: 15)
        var wrong: [String] = []
        var shortCount = 0
        let followers = [",", "\n", "\r\n", ";", "e5,", "E-3\n", ".5,", "x", "+1", " ", "\"", "\u{0E}"]
        for _ in 0..<60_000 {
            let integerDigits = Int(random.bounded(10)), fractionDigits = Int(random.bounded(10))
            var text = String((0..<integerDigits).map { _ in Character(String(random.bounded(10))) })
            if random.bounded(4) != 0 { text += "." + String((0..<fractionDigits).map { _ in Character(String(random.bounded(10))) }) }
            switch random.bounded(6) {
            case 0: text = "-" + text
            case 1: text = "+" + text
            default: break
            }
            let follower = followers[Int(random.bounded(UInt64(followers.count)))]
            let bytes = Array((text + follower + String(repeating: "9", count: 20)).utf8)
            bytes.withUnsafeBufferPointer { buffer in
                guard let short = DecimalParser.shortPrefix(of: buffer, from: 0) else { return }
                shortCount += 1
                guard case .number(let long, let end) = DecimalParser.prefix(of: buffer, from: 0), end == short.end,
                      long.value.bitPattern == short.number.value.bitPattern, long.isInteger == short.number.isInteger else {
                    wrong.append(text + follower)
                    return
                }
            }
        }
        XCTAssertTrue(wrong.isEmpty, "\(wrong.count) differ, e.g. \(wrong.prefix(5))")
        XCTAssertGreaterThan(shortCount, 10_000)
        for common in ["-12.345678,", "0.5\n", "7,", "123.4567\r\n", "-0,", ".25;", "5.,"] {
            let bytes = Array((common + String(repeating: "0", count: 20)).utf8)
            XCTAssertNotNil(bytes.withUnsafeBufferPointer { DecimalParser.shortPrefix(of: $0, from: 0) }, common)
        }
        for other in ["1e5,", "+1,", "12345678.5,", "1.12345678,", "-,", ".,", "1.2.3,"] {
            let bytes = Array((other + String(repeating: "0", count: 20)).utf8)
            XCTAssertNil(bytes.withUnsafeBufferPointer { DecimalParser.shortPrefix(of: $0, from: 0) }, other)
        }
        // Fewer than 17 bytes to read: the long path's.
        XCTAssertNil(Array("1.5,2".utf8).withUnsafeBufferPointer { DecimalParser.shortPrefix(of: $0, from: 0) })
    }

    /// A number whose digits run to the very end of the buffer, at every length.
    func testNumbersThatEndTheBuffer() {
        for length in 1...24 {
            let text = String(repeating: "7", count: length) + ".25"
            XCTAssertEqual(parsed(text), Double(text), text)
            XCTAssertEqual(parsed("0." + String(repeating: "0", count: length) + "31"), Double("0." + String(repeating: "0", count: length) + "31"))
        }
    }
}
