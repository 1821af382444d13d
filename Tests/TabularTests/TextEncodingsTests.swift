import Numerics
@testable import Tabular
import XCTest

/// How `write` spells values: CSV fields quoted only where a reader needs it, JSON strings
/// escaped, and numbers left unquoted in JSON where its grammar takes them.
final class TextEncodingsTests: XCTestCase {
    private func csvField(_ text: String) -> String {
        var bytes: [UInt8] = []
        Array(text.utf8).withUnsafeBufferPointer { CSVText.append($0, to: &bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    private func jsonString(_ text: String) -> String {
        var bytes: [UInt8] = []
        Array(text.utf8).withUnsafeBufferPointer { JSONText.append($0, to: &bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    func testCSVFieldsAreQuotedWhereAReaderNeedsIt() {
        let fields: [(String, String)] = [
            ("plain", "plain"), ("", ""), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""), ("two\nlines", "\"two\nlines\""),
            ("cr\r", "\"cr\r\""), (" lead", "\" lead\""), ("trail\t", "\"trail\t\""), ("in side", "in side"), ("é 漢", "é 漢"),
        ]
        for (text, field) in fields {
            XCTAssertEqual(csvField(text), field, text.debugDescription)
            XCTAssertEqual(CSVText.field(text), field, text.debugDescription)
        }
    }

    func testJSONStringsFromBytesAreTheStringsOfText() {
        let texts = ["plain", "", "say \"hi\"", "back\\slash", "two\nlines", "tab\t", "é 漢 😀", "\u{1B}[31m", "del\u{7F}", "\u{202E}bidi", "~ !"]
        for text in texts { XCTAssertEqual(jsonString(text), JSONText.string(text), text.debugDescription) }
        XCTAssertEqual(jsonString("say \"hi\"\n"), "\"say \\\"hi\\\"\\n\"")
        XCTAssertEqual(jsonString("\u{1B}"), "\"\\u001b\"")
    }

    /// The JSON writer leaves a finite double's description unparsed as a number: it must always
    /// be one in JSON's grammar, whatever its exponent, sign or digits.
    func testEveryFiniteDoublesDescriptionIsAJSONNumber() {
        var random = Xoshiro256StarStar(seed: 2026)
        var values: [Double] = [0, -0.0, 1, -1, 0.1, 1e-5, 1e-4, 1e15, 1e16, 1e17, 123456789012345680, .leastNonzeroMagnitude,
                                .leastNormalMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .ulpOfOne, 2.5e-308]
        while values.count < 200_000 {
            let value = Double(bitPattern: random.nextUInt64())
            if value.isFinite { values.append(value) }
        }
        let refused = values.filter { !JSONText.isNumber($0.description) }
        XCTAssertEqual(refused, [], "descriptions \(refused.prefix(5).map(\.description))")
        XCTAssertFalse(JSONText.isNumber(Double.nan.description))
        XCTAssertFalse(JSONText.isNumber(Double.infinity.description))
    }
}
