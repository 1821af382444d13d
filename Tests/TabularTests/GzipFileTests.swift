import CZlib
import Diagnostics
import Foundation
@testable import Tabular
import XCTest

/// Files compressed with gzip read as their decompressed bytes, by the loader and the stream,
/// in blocks smaller than the file; damaged and cut files fail with one line.
final class GzipFileTests: FileTestCase {
    /// `bytes` as one gzip member, by zlib.
    private func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        XCTAssertEqual(deflateInit2_(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size)), Z_OK)
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 64)
        var input = bytes
        let written = input.withUnsafeMutableBufferPointer { input in
            output.withUnsafeMutableBufferPointer { output in
                stream.next_in = input.baseAddress
                stream.avail_in = UInt32(input.count)
                stream.next_out = output.baseAddress
                stream.avail_out = UInt32(output.count)
                XCTAssertEqual(deflate(&stream, Z_FINISH), Z_STREAM_END)
                return output.count - Int(stream.avail_out)
            }
        }
        return Array(output.prefix(written))
    }

    private func file(_ name: String, _ bytes: [UInt8]) -> String {
        let path = directory.appendingPathComponent(name).path
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        return path
    }

    /// Rows of numbers, a category and quoted text with commas and line breaks, about 300 KB.
    private let text: String = "id,x,g,note\n" + (0 ..< 6000).map { "\($0),\(Double($0) / 7),g\($0 % 5),\"n, \($0)\($0 % 50 == 0 ? "\nsecond line" : "")\"" }.joined(separator: "\n") + "\n"

    func testACompressedFileReadsAsItsTextInBlocksAndPieces() throws {
        let plain = try CSVReader.read(bytes: Array(text.utf8), sourceName: "t.csv")
        let path = file("t.csv.gz", try gzip(Array(text.utf8)))
        for blockSize in [4096, 65536, 2 << 20] {
            let read = try CSVReader.read(path: path, options: CSVOptions(), plan: CSVReadingPlan(blockSize: blockSize, pieces: 2, minimumPieceSize: 1024))
            XCTAssertEqual(read, plain, "blocks of \(blockSize) bytes")
        }
        // Named anything: it is known by its first bytes.
        XCTAssertEqual(try CSVReader.read(path: file("plain-name.csv", try gzip(Array(text.utf8)))), plain)
    }

    func testMembersOneAfterAnotherReadAsOneFile() throws {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let first = lines[..<3000].joined(separator: "\n") + "\n", rest = lines[3000...].joined(separator: "\n")
        let path = file("two.csv.gz", try gzip(Array(first.utf8)) + gzip(Array(rest.utf8)))
        XCTAssertEqual(try CSVReader.read(path: path), try CSVReader.read(bytes: Array(text.utf8), sourceName: "t.csv"))
    }

    func testTheStreamReadsACompressedFileAgainAfterRewinding() throws {
        let path = file("s.csv.gz", try gzip(Array(text.utf8)))
        let stream = try CSVStream(path: path, blockSize: 16384)
        var rows = 0
        while let chunk = try stream.next() { rows += chunk.data.rowCount }
        XCTAssertEqual(rows, 6000)
        try stream.rewind()
        rows = 0
        while let chunk = try stream.next() { rows += chunk.data.rowCount }
        XCTAssertEqual(rows, 6000, "a second pass, as a streamed logistic fit makes")
    }

    func testDamagedAndCutFilesFailWithOneLine() throws {
        let compressed = try gzip(Array(text.utf8))
        let cut = file("cut.csv.gz", Array(compressed.prefix(compressed.count / 2)))
        assertError(try CSVReader.read(path: cut), .noInput, "\(cut): cannot read (the gzip data ends early: is the file cut short?)")
        var damaged = compressed
        for offset in 40 ..< 60 { damaged[offset] ^= 0xFF }
        let bad = file("bad.csv.gz", damaged)
        XCTAssertThrowsError(try CSVReader.read(path: bad)) { error in
            XCTAssertTrue((error as? ModelshError)?.message.hasPrefix("\(bad): cannot read (the gzip data is damaged: ") == true, "\(error)")
        }
    }
}
