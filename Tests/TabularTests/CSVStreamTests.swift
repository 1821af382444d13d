import Diagnostics
import Foundation
@testable import Tabular
import XCTest

/// `CSVStream`: block after block, the same rows and values as reading the file whole, with a
/// quoted field that spans lines and a column whose text turns up only in a later part of a block.
final class CSVStreamTests: XCTestCase {
    func withFile(_ text: String, _ body: (String) throws -> Void) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("stream-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try body(path)
    }

    func testBlocksTogetherHoldTheFileAndRewindReadsItAgain() throws {
        var lines = ["n,x,label,flag"]
        for row in 0 ..< 500 {
            let label = row == 123 ? "\"two\nlines\"" : (row % 3 == 0 ? "a" : "\"b, c\"")
            lines.append("\(row),\(row % 11 == 0 ? "NA" : String(Double(row) / 8)),\(label),\(row % 2 == 0)")
        }
        try withFile(lines.joined(separator: "\n") + "\n") { path in
            let whole = try CSVReader.read(path: path)
            for readsAhead in [false, true] {
                let stream = try CSVStream(path: path, blockSize: 512, readsAhead: readsAhead)
                XCTAssertEqual(stream.names, ["n", "x", "label", "flag"])
                for _ in 0 ..< 2 {
                    var n: [Double] = [], x: [Double] = [], labels: [String?] = [], flags: [Double] = [], blocks = 0
                    while let chunk = try stream.next() {
                        XCTAssertEqual(chunk.firstRow, n.count)
                        n += chunk.data.columns[0].numbers!
                        x += chunk.data.columns[1].numbers!
                        labels += (0 ..< chunk.data.rowCount).map { chunk.data.columns[2].text(at: $0) }
                        XCTAssertEqual(chunk.data.columns[3].type, .boolean)
                        flags += chunk.data.columns[3].numbers!
                        blocks += 1
                    }
                    XCTAssertGreaterThan(blocks, 10)
                    XCTAssertEqual(n, whole.columns[0].numbers!)
                    XCTAssertEqual(x.map(\.bitPattern), whole.columns[1].numbers!.map(\.bitPattern))
                    XCTAssertEqual(labels, (0 ..< whole.rowCount).map { whole.columns[2].text(at: $0) })
                    XCTAssertEqual(flags, whole.columns[3].numbers!)
                    XCTAssertEqual(stream.rowsRead, whole.rowCount)
                    try stream.rewind()
                }
                // A rewind in the middle of a pass (with a block read ahead) starts from the first row.
                _ = try stream.next()
                try stream.rewind()
                XCTAssertEqual(try stream.next()?.firstRow, 0)
                XCTAssertEqual(stream.passes, 4)
            }
        }
    }

    func testTheLoadedSizeIsEstimatedFromTheFirstBlock() throws {
        let lines = ["a,b"] + (0 ..< 100_000).map { "\($0),\($0 % 5 == 0 ? "x" : "y")" }
        try withFile(lines.joined(separator: "\n") + "\n") { path in
            let estimate = try CSVStream.estimatedLoadedSize(path: path)
            XCTAssertEqual(estimate.columns, 2)
            XCTAssertEqual(Double(estimate.rows), 100_000, accuracy: 10_000)
            let actual = try CSVReader.read(path: path).approximateByteCount
            XCTAssertEqual(Double(estimate.bytes), Double(actual), accuracy: 0.15 * Double(actual))
        }
    }
}
