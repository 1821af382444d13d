import Diagnostics
import Foundation
@testable import Tabular
import XCTest

/// The reader splits a file into blocks and each block into pieces read in parallel from guessed
/// record boundaries. Whatever the sizes, the dataset (or the error) must be the one a single
/// piece reading the whole file gives: these tests put block and piece boundaries at every byte.
final class CSVBlockReadingTests: XCTestCase {
    /// Reads `text` whole in one piece, then with blocks of every size from 1 byte up and 1 to 3
    /// pieces per block, from memory (blocks copied) and from a file (blocks as windows on its
    /// mapping), and checks each reading gives the same dataset or the same message.
    private func assertSameWhateverTheBoundaries(_ text: [UInt8], options: CSVOptions = CSVOptions(),
                                                 file: StaticString = #filePath, line: UInt = #line) {
        let path = NSTemporaryDirectory() + "blocks-\(UUID().uuidString).csv"
        XCTAssertNoThrow(try Data(text).write(to: URL(fileURLWithPath: path)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let whole = CSVReadingPlan(blockSize: text.count + 1, pieces: 1, minimumPieceSize: 1)
        // Messages name their source: the same path for both.
        let expected = Result { try CSVReader.read(bytes: text, sourceName: path, options: options, plan: whole) }
        for blockSize in [1, 2, 3, 5, 8, 13, 21, 34, 55, 89, text.count / 2, text.count] where blockSize >= 1 {
            for pieces in 1...3 {
                let plan = CSVReadingPlan(blockSize: blockSize, pieces: pieces, minimumPieceSize: 1)
                for (source, result) in [("memory", Result { try CSVReader.read(bytes: text, sourceName: path, options: options, plan: plan) }),
                                         ("mapped file", Result { try CSVReader.read(path: path, options: options, plan: plan) })] {
                    let context = "\(source), block \(blockSize), \(pieces) pieces"
                    switch (expected, result) {
                    case (.success(let a), .success(let b)):
                        // Described, since a missing number is NaN, which equals nothing.
                        XCTAssertEqual("\(a)", "\(b)", context, file: file, line: line)
                    case (.failure(let a), .failure(let b)):
                        XCTAssertEqual("\(a)", "\(b)", context, file: file, line: line)
                    default:
                        XCTFail("\(context): \(result) instead of \(expected)", file: file, line: line)
                    }
                }
            }
        }
    }

    func testQuotedLineBreaksAcrossBoundaries() {
        assertSameWhateverTheBoundaries(Array("id,note,x\n1,\"a\nb\",2.5\n2,\"\"\"q\"\"\r\nz\",3\n\n3,plain,NA\r4,\"x,y\",-1e3\r\n".utf8))
    }

    /// A piece's start is guessed at a line end that the next records read from as whole records:
    /// one inside a quoted field (a comment with a line break) is passed over, so the piece need
    /// not be read again on one core; where no line end looks so, the first is taken.
    func testPieceStartsSkipLineBreaksInsideQuotes() {
        let text = Array("a,b\n1,\"x\ny\"\n2,z\n3,w\n4,v\n".utf8)
        text.withUnsafeBufferPointer { bytes in
            let comma = UInt8(ascii: ",")
            XCTAssertEqual(CSVTokenizer.likelyRecordStart(in: bytes, from: 7, fields: 2, separator: comma), 12, "after the quoted line break, at 2,z")
            XCTAssertEqual(CSVTokenizer.likelyRecordStart(in: bytes, from: 1, fields: 2, separator: comma), 4, "a record boundary is kept")
            XCTAssertEqual(CSVTokenizer.likelyRecordStart(in: bytes, from: 7, fields: 3, separator: comma), 9, "no line end looks so: the first")
            XCTAssertNil(CSVTokenizer.likelyRecordStart(in: bytes, from: bytes.count, fields: 2, separator: comma))
        }
    }

    /// Excel's separator line and lines of only spaces read the same at every boundary.
    func testSeparatorLineAndBlankLinesAcrossBoundaries() {
        assertSameWhateverTheBoundaries(Array("sep=;\r\na;b\r\n1;2\r\n   \r\n3;x\r\n \t\n4;5\n  ".utf8))
        assertSameWhateverTheBoundaries(Array("sep=;\n1;2\n  \n3;4\n5\n".utf8), options: CSVOptions(header: false))
    }

    func testColumnsThatTurnToTextLateAreReadAgain() {
        var text = "a,b,c\n"
        for i in 0..<40 { text += "\(i),\(i % 2 == 0 ? "true" : "false"),\(i)\n" }
        text += "x,1,y\n7,TRUE,8\n"
        assertSameWhateverTheBoundaries(Array(text.utf8))
    }

    /// Missing values before a column's first text are missing as text too: they are not read
    /// again (which cost a whole block's reading for one empty first value), at every boundary,
    /// in columns of codes and of strings; a number or a boolean before the text still is, and
    /// `NaN`, a number, keeps its text.
    func testMissingValuesBeforeTheFirstTextAreNotReadAgain() throws {
        var text = "id,note,name\n" + (0..<6).map { "\($0),\($0 % 2 == 0 ? "" : "NA"),\($0 % 3 == 0 ? "" : " NA ")\n" }.joined()
        text += (6..<70).map { "\($0),\(["ok", "", "fine"][$0 % 3]),\"n\($0), J.\"\n" }.joined()
        assertSameWhateverTheBoundaries(Array(text.utf8))
        let data = try CSVReader.read(bytes: Array(text.utf8), sourceName: "t.csv", options: CSVOptions(), plan: CSVReadingPlan(blockSize: 30, pieces: 2, minimumPieceSize: 1))
        XCTAssertEqual((0..<8).map { data["note"].text(at: $0) }, [nil, nil, nil, nil, nil, nil, "ok", nil])
        XCTAssertEqual(data["name"].missingCount, 6)
        assertSameWhateverTheBoundaries(Array("a,b\n,1\nNaN,2\n,3\nx,4\n".utf8))
        assertSameWhateverTheBoundaries(Array("a,b\n,1\ntrue,2\n,3\nx,4\n".utf8))

        func rowsToBackfill(_ fields: [String]) throws -> Int {
            var builder = ColumnBuilder()
            for field in fields { try Array(field.utf8).withUnsafeBufferPointer { try builder.append($0, missingMarkers: MissingMarkers(["", "NA"])) } }
            return builder.rowsToBackfill
        }
        XCTAssertEqual(try rowsToBackfill(["", "NA", "x"]), 0)
        XCTAssertEqual(try rowsToBackfill(["", "1", "", "x"]), 3)
        XCTAssertEqual(try rowsToBackfill(["NaN", "x"]), 1)
        XCTAssertEqual(try rowsToBackfill(["", "true", "x"]), 2)
        // A piece of missing values appended to a column of text, of codes or of strings.
        for kind in [ColumnBuilder.Kind.text, .strings] {
            var column = ColumnBuilder(kind: kind), piece = ColumnBuilder()
            try Array("x".utf8).withUnsafeBufferPointer { try column.append($0, missingMarkers: MissingMarkers([""])) }
            try [UInt8]().withUnsafeBufferPointer { try piece.append($0, missingMarkers: MissingMarkers([""])) }
            try column.append(contentsOf: piece)
            XCTAssertEqual(column.rowsToBackfill, 0, "\(kind)")
            XCTAssertEqual(column.column(named: "c").column.missingCount, 1, "\(kind)")
        }
    }

    /// A column of more distinct texts than a categorical column may have turns to strings after
    /// the first block (read whole, it stays codes of levels to the end): the same values and
    /// missing rows either way, and the same first problem.
    func testColumnsOfManyDistinctTextsTurnToStrings() {
        var text = "id,name,x\n"
        for i in 0..<60 { text += "\(i),\(i % 9 == 0 ? " NA " : i % 11 == 0 ? "" : "\"n\(i), J.\""),\(i % 3)\n" }
        assertSameWhateverTheBoundaries(Array(text.utf8))
        // Numbers at first: the rows before the column turned to text are read again.
        text = "id,name\n" + (0..<30).map { "\($0),\($0 * 7)\n" }.joined() + (30..<70).map { "\($0),n\($0)\n" }.joined()
        assertSameWhateverTheBoundaries(Array(text.utf8))
        assertSameWhateverTheBoundaries(Array((text + "70,").utf8) + [0xC3, 0x28] + Array("\n71,x\n".utf8))
    }

    /// Rows that get shorter after the first block make the reader expect too few rows: the
    /// column turns to strings early, and is categorical again when its levels are few enough for
    /// all its rows.
    func testColumnsTurnedToStringsOnAShortEstimateEndCategorical() throws {
        let long = (0..<30).map { "\($0),long name number \($0) \(String(repeating: "x", count: 60))\n" }.joined()
        let short = (0..<1000).map { "\($0),s\($0 % 5)\n" }.joined()
        let text = Array(("id,name\n" + long + short).utf8)
        let data = try CSVReader.read(bytes: text, sourceName: "t.csv", options: CSVOptions(), plan: CSVReadingPlan(blockSize: 200, pieces: 2, minimumPieceSize: 1))
        XCTAssertEqual(data["name"].type, .categorical)
        XCTAssertEqual(data["name"].levels?.count, 35)
        XCTAssertEqual(data["name"].text(at: 29), "long name number 29 \(String(repeating: "x", count: 60))")
        XCTAssertEqual(data["name"].text(at: 1029), "s4")
        assertSameWhateverTheBoundaries(text)
    }

    /// Which text columns are kept as strings: more levels than a categorical column of the
    /// expected rows may have, and texts short enough to sit inside a string (so strings cost no
    /// more than codes) or mostly distinct (so codes would share few of them).
    func testTextColumnsKeptAsStringsAreShortOrMostlyDistinct() throws {
        func kind(of texts: [String]) throws -> ColumnBuilder.Kind {
            var piece = ColumnBuilder(kind: .text), column = ColumnBuilder()
            for text in texts { try Array(text.utf8).withUnsafeBufferPointer { try piece.append($0, missingMarkers: MissingMarkers(["NA"])) } }
            column.expectRows(1000)  // a categorical column of 1,000 rows has at most 50 levels
            try column.append(contentsOf: piece)
            return column.kind
        }
        let long = "https://example.com/products/item-"
        XCTAssertEqual(try kind(of: (0..<200).map { "n\($0)" }), .strings)
        XCTAssertEqual(try kind(of: (0..<300).map { "\(long)\($0 % 120)" }), .text, "long texts, each repeated")
        XCTAssertEqual(try kind(of: (0..<200).map { "\(long)\($0 % 180)" }), .strings, "long texts, mostly distinct")
        XCTAssertEqual(try kind(of: (0..<200).map { "n\($0 % 40)" }), .text, "few levels")
    }

    func testErrorsAreTheFirstInTheFile() {
        assertSameWhateverTheBoundaries(Array("a,b\n1,2\n3,\"open\n4,5\n6,7\n".utf8))
        assertSameWhateverTheBoundaries(Array("a,b\n1,2\n\n\n3\n4,5,6\n".utf8))
        assertSameWhateverTheBoundaries(Array("a,b\n1,\"x\"y\n2,3\n".utf8))
        assertSameWhateverTheBoundaries(Array("v\n1\n2\n".utf8) + [0xFF] + Array("\nx\n".utf8))
    }

    func testByteOrderMarkAndNoHeader() {
        assertSameWhateverTheBoundaries([0xEF, 0xBB, 0xBF] + Array("1,2\n3,4\r\n5,6".utf8), options: CSVOptions(header: false))
        assertSameWhateverTheBoundaries([0xEF, 0xBB, 0xBF] + Array("x,y\n1,2\n".utf8))
    }

    func testNumericMissingMarkerIsMissing() {
        assertSameWhateverTheBoundaries(Array("a,b\n-999,1\n2,-999\n3.5,4\n".utf8),
                                        options: CSVOptions(missingMarkers: ["", "NA", "-999"]))
    }

    /// Each piece numbers its texts in the order it meets them, and the pieces' levels are merged
    /// into the column's: many levels, levels first met in a late piece, and missing values on
    /// either side of a boundary must come out as when the file is read in one piece, with the
    /// categorical levels in byte order and the text column's values in place.
    func testLevelsMergedAcrossPieces() throws {
        var text = "g,name,n\n"
        var expectedGroups: [String?] = [], expectedNames: [String?] = []
        for row in 0..<240 {
            // 12 levels, four of them first met after row 180; a run of missing values every 25 rows.
            let group: String? = row % 25 < 2 ? nil : row >= 180 && row % 3 == 0 ? "late\(row % 4)" : "g\((row * 7) % 8)"
            // Distinct per row, so the column is text; missing every 9th row.
            let name: String? = row % 9 == 4 ? nil : "\"n\(row), x\""
            text += "\(group ?? (row % 2 == 0 ? "NA" : "")),\(name ?? ""),\(row)\n"
            expectedGroups.append(group)
            expectedNames.append(name.map { String($0.dropFirst().dropLast()) })
        }
        assertSameWhateverTheBoundaries(Array(text.utf8))
        let plan = CSVReadingPlan(blockSize: 97, pieces: 3, minimumPieceSize: 1)
        let data = try CSVReader.read(bytes: Array(text.utf8), sourceName: "t.csv", options: CSVOptions(), plan: plan)
        XCTAssertEqual(data["g"].type, .categorical)
        XCTAssertEqual(data["g"].levels, Set(expectedGroups.compactMap { $0 }).sorted())
        XCTAssertEqual(data["g"].texts, expectedGroups)
        XCTAssertEqual(data["name"].type, .text)
        XCTAssertEqual(data["name"].texts, expectedNames)
        XCTAssertEqual(data["n"].texts, (0..<240).map { String($0) })
        XCTAssertEqual(data.columns.map(\.missingCount), [expectedGroups.filter { $0 == nil }.count, expectedNames.filter { $0 == nil }.count, 0])
    }

    /// A file is read through a mapping of its pages. Cut shorter while it is read (another
    /// program rewriting it), its pages past the new end would end the process with SIGBUS: the
    /// reading fails instead, naming the file, whether the zeros read there parse or not, and a
    /// reading after it is whole again.
    func testAFileCutShorterWhileReadFailsWithoutEndingTheProcess() throws {
        let path = NSTemporaryDirectory() + "cut-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var text = "id,x,name\n"
        for row in 0..<40_000 { text += "\(row),\(Double(row) / 8),\"n\(row % 300)\"\n" }
        let bytes = Array(text.utf8)
        let plan = CSVReadingPlan(blockSize: 64 << 10, pieces: 2, minimumPieceSize: 1 << 10)
        // The last: within the file's last page, whose bytes past the new end read as zeros with no fault.
        for cutTo in [0, 4096, bytes.count / 2 + 11, bytes.count - 3] {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            var cut = false
            XCTAssertThrowsError(try CSVReader.read(path: path, options: CSVOptions(), plan: plan) { done, _ in
                guard !cut, done > 100_000 else { return }
                cut = true
                XCTAssertEqual(truncate(path, off_t(cutTo)), 0)
            }, "cut to \(cutTo) bytes") { error in
                XCTAssertEqual((error as? ModelshError)?.message, "\(path): cannot read (part of it was lost while loading: the file was cut shorter, or a disk read failed)")
            }
            XCTAssertTrue(cut)
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(try CSVReader.read(path: path, options: CSVOptions(), plan: plan).rowCount, 40_000)

        // A stream of blocks too (a fit on a file larger than memory).
        let stream = try CSVStream(path: path, blockSize: 64 << 10)
        XCTAssertNotNil(try stream.next())
        XCTAssertEqual(truncate(path, 1000), 0)
        XCTAssertThrowsError(try { while try stream.next() != nil {} }()) { error in
            XCTAssertEqual((error as? ModelshError)?.message, "\(path): cannot read (part of it was lost while loading: the file was cut shorter, or a disk read failed)")
        }
    }

    /// Random files with every kind of column, quoting, line end and blank line.
    func testRandomFiles() {
        var generator = SplitMix(seed: 7)
        for _ in 0..<12 {
            assertSameWhateverTheBoundaries(Array(Self.randomCSV(&generator, rows: 30).utf8))
        }
    }

    private static func randomCSV(_ random: inout SplitMix, rows: Int) -> String {
        let lineEnds = ["\n", "\r\n", "\r", "\n\n"]
        var text = "int,real,flag,note,late"
        text += lineEnds[random.next(4)]
        let turnsToText = random.next(rows)
        for row in 0..<rows {
            var fields: [String] = []
            fields.append(random.next(10) == 0 ? "NA" : "\(random.next(1000) - 500)")
            fields.append(random.next(10) == 0 ? "" : ["1.5", " 2.25 ", "-3e-2", "4.", ".5", "Inf", "1e400"][random.next(7)])
            fields.append(["true", "FALSE", "NA", "True"][random.next(4)])
            fields.append(["plain", "\"with, comma\"", "\"two\nlines\"", "\"say \"\"hi\"\"\"", "\"\r\n\"", "5'11\""][random.next(6)])
            fields.append(row == turnsToText ? "text" : "\(row)")
            text += fields.joined(separator: ",") + lineEnds[random.next(4)]
        }
        return text
    }
}

/// A small seeded generator for test data (SplitMix64).
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
