import CKernels
import Numerics
@testable import Tabular
import XCTest

/// A column's missing numbers are found as its pieces are appended (`msh_nan_bits`, into the
/// mask at any bit offset), not by reading the finished column again.
final class MissingBitsTests: XCTestCase {
    /// Every offset within a word and every length around a word's, against the bits set one by
    /// one: NaNs anywhere, other bits left alone, infinities told apart from NaNs.
    func testNaNBitsAtEveryOffset() {
        var generator = Xoshiro256StarStar(seed: 11)
        for offset in 0..<130 {
            for count in [0, 1, 2, 63, 64, 65, 127, 128, 129, 200] {
                let values: [Double] = (0..<count).map { _ in
                    switch generator.bounded(10) {
                    case 0: .nan
                    case 1: generator.bounded(3) == 0 ? -.infinity : .infinity
                    default: Double(generator.bounded(1000)) / 7
                    }
                }
                let wordCount = (offset + count + 63) / 64 + 1
                // Bits before the offset are kept; none are set past it.
                var words = [UInt64](repeating: 0, count: wordCount)
                if offset > 0 { words[0] = offset >= 64 ? ~0 : (1 << UInt64(offset)) - 1 }
                if offset >= 64 { words[1] = offset >= 128 ? ~0 : (1 << UInt64(offset - 64)) - 1 }
                var expected = words
                for (i, value) in values.enumerated() where value.isNaN { expected[(offset + i) / 64] |= 1 << UInt64((offset + i) % 64) }
                var infinite: Int32 = 0
                let found = values.withUnsafeBufferPointer { v in words.withUnsafeMutableBufferPointer { msh_nan_bits(v.baseAddress, count, $0.baseAddress, offset, &infinite) } }
                XCTAssertEqual(words, expected, "offset \(offset), \(count) values")
                XCTAssertEqual(found, values.filter(\.isNaN).count)
                XCTAssertEqual(infinite != 0, values.contains { $0.isInfinite }, "offset \(offset), \(count) values")
            }
        }
    }

    /// A column read in many small pieces has its missing rows, and says whether its numbers are
    /// all finite, as one read whole scanning its values does.
    func testMissingRowsOfColumnsReadInPieces() throws {
        var text = "a,b,c\n"
        var missingA: [Bool] = [], missingB: [Bool] = []
        for row in 0..<3000 {
            let a = row % 97 == 5 || (row > 1000 && row < 1070)
            let b = row == 2999
            missingA.append(a)
            missingB.append(b)
            text += "\(a ? "NA" : "\(Double(row) / 4)"),\(b ? "" : "\(row)"),\(row == 1500 ? "Inf" : "1.5")\n"
        }
        for plan in [CSVReadingPlan(blockSize: 256, pieces: 3, minimumPieceSize: 1), CSVReadingPlan(blockSize: 1 << 20, pieces: 1)] {
            let data = try CSVReader.read(bytes: Array(text.utf8), sourceName: "t.csv", options: CSVOptions(), plan: plan)
            XCTAssertEqual((0..<3000).map { data["a"].isMissing($0) }, missingA)
            XCTAssertEqual((0..<3000).map { data["b"].isMissing($0) }, missingB)
            XCTAssertEqual(data["c"].missingCount, 0)
            XCTAssertFalse(data.numbersAreFinite(data["a"]))
            XCTAssertFalse(data.numbersAreFinite(data["c"]), "an infinity")
        }
    }
}
