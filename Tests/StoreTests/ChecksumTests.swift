@testable import Store
import XCTest

/// `Checksum` is XXH64 with seed 0: the published check values (xxHash's own tests, and
/// `python3 -c "import xxhash; print(xxhash.xxh64(b'abc').hexdigest())"`), however the bytes
/// are split across `add` calls.
final class ChecksumTests: XCTestCase {
    private func hex(_ bytes: [UInt8], splitAt cuts: [Int] = []) -> String {
        var checksum = Checksum()
        var start = 0
        for cut in cuts + [bytes.count] {
            bytes[start ..< cut].withUnsafeBytes { checksum.add($0) }
            start = cut
        }
        return checksum.hex
    }

    func testPublishedCheckValues() {
        XCTAssertEqual(hex([]), "ef46db3751d8e999")
        XCTAssertEqual(hex(Array("a".utf8)), "d24ec4f1a98c6e5b")
        XCTAssertEqual(hex(Array("abc".utf8)), "44bc2cf5ad770999")
        XCTAssertEqual(hex(Array("123456789".utf8)), "8cb841db40e6ae83")
    }

    /// 771 bytes: many whole 32-byte stripes, then an 8-, a 4- and a 1-byte tail.
    func testLongInputInAnySplitMatchesTheReference() {
        let bytes = Array((0 ..< 3).flatMap { _ in (0 ... 255).map(UInt8.init) }) + Array("xyz".utf8)
        let expected = "e921a1b45bd779f8"
        XCTAssertEqual(hex(bytes), expected)
        for cuts in [[1], [31], [32], [33], [5, 6, 100], [64, 96, 700, 770], Array(stride(from: 7, to: 771, by: 7))] {
            XCTAssertEqual(hex(bytes, splitAt: cuts), expected, "split at \(cuts)")
        }
    }

    func testTextsAreJoinedWithANulByte() {
        XCTAssertEqual(Checksum.hex(joining: "a", "bc"), hex([0x61, 0, 0x62, 0x63]))
        XCTAssertNotEqual(Checksum.hex(joining: "ab", "c"), Checksum.hex(joining: "a", "bc"))
        XCTAssertEqual(Checksum.hex(joining: "abc"), "44bc2cf5ad770999")
    }
}
