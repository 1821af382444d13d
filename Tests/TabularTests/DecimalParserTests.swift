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
}
