import Diagnostics
import Foundation
import Tabular
import XCTest

/// RFC 4180 syntax and the reader's error messages.
final class CSVReaderTests: XCTestCase {
    func testQuotedFieldsHoldSeparatorsEscapedQuotesAndLineBreaks() throws {
        let data = try readCSV("id,note\n1,\"a, b\"\n2,\"say \"\"hi\"\"\"\n3,\"two\nlines\"\n4,plain\n")
        XCTAssertEqual(data.rowCount, 4)
        XCTAssertEqual(data["note"].texts, ["a, b", "say \"hi\"", "two\nlines", "plain"])
        XCTAssertEqual(data["id"].type, .integer)
        // Doubled quotes anywhere in a field: first, last, together, and in a long one.
        let long = String(repeating: "a \"\"b\"\" c", count: 500)
        let quotes = try readCSV("q\n\"\"\"x\"\n\"x\"\"\"\n\"\"\"\"\"\"\"\"\n\"\"\n\"" + long + "\"\n")
        XCTAssertEqual(quotes["q"].texts, ["\"x", "x\"", "\"\"\"", nil, long.replacingOccurrences(of: "\"\"", with: "\"")])
    }

    func testCRLFAndLFGiveTheSameDataset() throws {
        let lf = try readCSV("a,b\n1,x\n2,y\n")
        let crlf = try readCSV("a,b\r\n1,x\r\n2,y\r\n")
        XCTAssertEqual(lf, crlf)
        XCTAssertEqual(crlf["b"].texts, ["x", "y"])
    }

    func testLoneCRIsALineEndAsInOldMacFiles() throws {
        let lf = try readCSV("a,b\n1,2\n3,4\n")
        XCTAssertEqual(try readCSV("a,b\r1,2\r3,4\r"), lf)
        XCTAssertEqual(try readCSV("a,b\r1,2\r3,4"), lf)
        XCTAssertEqual(try readCSV("a,b\r\n1,2\r3,4\n"), lf, "mixed line ends")
        XCTAssertEqual(try readCSV("a,b\r\r1,2\r\r\n3,4\r\r"), lf, "blank lines of CR and CRLF are skipped")
        XCTAssertEqual(try readCSV("a,\"b\"\r1,\"2\"\r3,4\r"), lf, "a CR ends a record after a closing quote")
        XCTAssertEqual(try readCSV("a,b\r1,\"x\ry\"\r")["b"].texts, ["x\ry"], "a quoted CR is data")
        assertError(try readCSV("\r\r\n\r"), .data, "t.csv: the file is empty")
    }

    func testLineNumbersCountCRAndCRLFOnce() {
        assertError(try readCSV("a,b\r1,2\r3\r"), .data, "t.csv:3: row has 1 field, expected 2 (header has 2 columns)")
        assertError(try readCSV("a,b\r1,\"x\ry\"\r\r2\r"), .data, "t.csv:5: row has 1 field, expected 2 (header has 2 columns)")
        assertError(try readCSV("a,b\r\n1,\"x\r\ny\"\r\n2\r\n"), .data, "t.csv:4: row has 1 field, expected 2 (header has 2 columns)")
        assertError(try readCSV("a,b\r1,2\r3,\"open\r4,5\r"), .data, "t.csv:3: a quoted field opens on this line and is never closed")
    }

    func testQuotedFieldKeepsCRLFInside() throws {
        let data = try readCSV("a,b\r\n1,\"x\r\ny\"\r\n")
        XCTAssertEqual(data["b"].texts, ["x\r\ny"])
    }

    func testByteOrderMarkIsSkipped() throws {
        let data = try CSVReader.read(bytes: [0xEF, 0xBB, 0xBF] + Array("x,y\n1,2\n".utf8), sourceName: "t.csv")
        XCTAssertEqual(data.columnNames, ["x", "y"])
    }

    func testMissingFinalNewlineAndBlankLinesAreFine() throws {
        let data = try readCSV("a,b\n1,2\n\n3,4")
        XCTAssertEqual(data["a"].texts, ["1", "3"])
        XCTAssertEqual(data["b"].texts, ["2", "4"])
        XCTAssertEqual(try readCSV("a\n1\n\n\n").rowCount, 1)
    }

    /// A line of nothing but spaces and tabs (a hand-edited file's last line, often) is blank,
    /// as in R, unless the separator is among them: then it is a record of empty fields.
    func testLinesOfOnlySpacesAreBlank() throws {
        let data = try readCSV("a,b\n1,2\n  \t \n3,4\n   \n \t")
        XCTAssertEqual(data["a"].texts, ["1", "3"])
        assertError(try readCSV("a,b\n1,2\n  \n3\n"), .data, "t.csv:4: row has 1 field, expected 2 (header has 2 columns)")
        let tabbed = try readCSV("a\tb\n1\t2\n  \n\t\n", options: CSVOptions(separator: UInt8(ascii: "\t")))
        XCTAssertEqual(tabbed["a"].texts, ["1", nil])
        let spaced = try readCSV("a b\n1 2\n\t\n \n", options: CSVOptions(separator: UInt8(ascii: " ")))
        XCTAssertEqual(spaced["a"].texts, ["1", nil])
    }

    /// Excel's "CSV" from some locales begins with `sep=;`: that line sets the separator, is no
    /// record, and counts in the line numbers; with a byte order mark before it or without a
    /// header after it alike.
    func testExcelSeparatorLineSetsTheSeparator() throws {
        let data = try readCSV("sep=;\r\na;b\r\n1,5;x\r\n")
        XCTAssertEqual(data.columnNames, ["a", "b"])
        XCTAssertEqual(data["a"].texts, ["1,5"])
        XCTAssertEqual(try CSVReader.read(bytes: [0xEF, 0xBB, 0xBF] + Array("sep=|\nx|y\n1|2\n".utf8), sourceName: "t.csv").columnNames, ["x", "y"])
        let headless = try readCSV("sep=;\n1;2\n3;4\n", options: CSVOptions(header: false))
        XCTAssertEqual(headless.columnNames, ["V1", "V2"])
        XCTAssertEqual(headless["V1"].texts, ["1", "3"])
        assertError(try readCSV("sep=;\na;b\n1;2\n3\n"), .data, "t.csv:4: row has 1 field, expected 2 (header has 2 columns)")
        // A separator the user names wins; the line is still no record.
        var given = CSVOptions(separator: UInt8(ascii: ","))
        given.separatorIsGiven = true
        let named = try readCSV("sep=;\na,b\n1;5,x\n", options: given)
        XCTAssertEqual(named.columnNames, ["a", "b"])
        XCTAssertEqual(named["a"].texts, ["1;5"])
        // Only a line of exactly that form: a column named "sep=;x" is a header.
        XCTAssertEqual(try readCSV("sep=;x,b\n1,2\n").columnNames, ["sep=;x", "b"])
    }

    func testTrailingSeparatorMakesAnEmptyLastField() throws {
        let data = try readCSV("a,b\n1,\n2,3\n")
        XCTAssertEqual(data["b"].texts, [nil, "3"])
    }

    func testQuoteInsideAnUnquotedFieldIsData() throws {
        let data = try readCSV("name,height\nAl,5'11\"\n")
        XCTAssertEqual(data["height"].texts, ["5'11\""])
    }

    func testOtherSeparator() throws {
        let data = try readCSV("a;b\n1,5;x\n", options: CSVOptions(separator: UInt8(ascii: ";")))
        XCTAssertEqual(data["a"].texts, ["1,5"])
    }

    func testWithoutHeaderColumnsAreNamedLikeR() throws {
        let data = try readCSV("1,x\n2,y\n", options: CSVOptions(header: false))
        XCTAssertEqual(data.columnNames, ["V1", "V2"])
        XCTAssertEqual(data.rowCount, 2)
    }

    func testEmptyAndRepeatedHeaderNamesAreMadeUnique() throws {
        let data = try readCSV("x,x,,x_2,x\n1,2,3,4,5\n")
        XCTAssertEqual(data.columnNames, ["x", "x_2", "V3", "x_2_2", "x_3"])
        // A name the header gives keeps it; the made-up name of an empty one steps aside.
        XCTAssertEqual(try readCSV(",V1,a\n1,2,3\n").columnNames, ["V1_2", "V1", "a"])
    }

    func testHeaderOnlyFileHasNoRows() throws {
        let data = try readCSV("a,b\n")
        XCTAssertEqual(data.rowCount, 0)
        XCTAssertEqual(data.columnNames, ["a", "b"])
        // No value shows a type, so the columns are text (as pandas' object), not numeric.
        XCTAssertEqual(data.columns.map(\.type), [.text, .text])
    }

    func testEmptyFileIsAnError() {
        assertError(try readCSV(""), .data, "t.csv: the file is empty")
        assertError(try readCSV("\n\r\n"), .data, "t.csv: the file is empty")
    }

    func testRaggedRowNamesItsLine() {
        assertError(try readCSV("a,b,c\n1,2,3\n4,5\n"), .data, "t.csv:3: row has 2 fields, expected 3 (header has 3 columns)")
        assertError(try readCSV("a,b\n1,2,3\n"), .data, "t.csv:2: row has 3 fields, expected 2 (header has 2 columns)")
        assertError(try readCSV("1,2\n3\n", options: CSVOptions(header: false)), .data,
                    "t.csv:2: row has 1 field, expected 2 (first row has 2 fields)")
    }

    func testRaggedRowLineCountsLineBreaksInsideQuotes() {
        assertError(try readCSV("a,b\n1,\"x\ny\"\n\n2\n"), .data, "t.csv:5: row has 1 field, expected 2 (header has 2 columns)")
    }

    func testUnterminatedQuoteNamesTheLineWhereItOpened() {
        assertError(try readCSV("a,b\n1,2\n3,\"open\n4,5\n6,7\n"), .data,
                    "t.csv:3: a quoted field opens on this line and is never closed")
    }

    func testTextAfterClosingQuoteIsAnError() {
        assertError(try readCSV("a,b\n1,\"x\"y\n"), .data,
                    "t.csv:2: unexpected 'y' after the closing quote of field 2 (a quote inside a quoted field is written \"\")")
    }

    func testInvalidUTF8NamesLineAndColumn() {
        let bytes = Array("name,n\nok,1\n".utf8) + [0x43, 0x61, 0x66, 0xE9] + Array(",2\n".utf8)
        assertError(try CSVReader.read(bytes: bytes, sourceName: "t.csv"), .data,
                    "t.csv:3: invalid UTF-8 in column 'name' (is the file in another encoding, such as Excel's Windows-1252? load … encoding=cp1252 reads it)")
    }

    func testInvalidUTF8IsFoundInRowsReadAgainAsText() {
        // Row 2 is read as a number-looking column first, then again when row 3 makes it text.
        let bytes = Array("v\n1\n".utf8) + [0xFF] + Array("\nx\n".utf8)
        assertError(try CSVReader.read(bytes: bytes, sourceName: "t.csv"), .data,
                    "t.csv:3: invalid UTF-8 in column 'v' (is the file in another encoding, such as Excel's Windows-1252? load … encoding=cp1252 reads it)")
    }

    func testInvalidUTF8InHeader() {
        assertError(try CSVReader.read(bytes: [0x61, 0x2C, 0xC3, 0x0A, 0x31, 0x2C, 0x32, 0x0A], sourceName: "t.csv"), .data,
                    "t.csv:1: invalid UTF-8 in the name of column 2 (is the file in another encoding, such as Excel's Windows-1252? load … encoding=cp1252 reads it)")
    }

    func testHeaderNamesWithControlCharactersAreRefused() {
        // Such a name could be neither typed nor saved in a workspace.
        assertError(try readCSV("a,\"b\nc\"\n1,2\n"), .data, "t.csv:1: the name of column 2, 'b\\nc', holds a control character")
    }

    func testMissingFileIsNoInput() {
        XCTAssertThrowsError(try CSVReader.read(path: "/nonexistent/x.csv")) { error in
            let error = error as? ModelshError
            XCTAssertEqual(error?.category, .noInput)
            XCTAssertEqual(error?.message, "/nonexistent/x.csv: cannot open (No such file or directory)")
        }
        assertError(try CSVReader.read(path: "/tmp"), .noInput, "/tmp: cannot open (it is a directory)")
    }

    func testOnlyRegularFilesAreRead() throws {
        // Before: /dev/zero and /dev/urandom aborted allocating 4 GB, and a FIFO waited forever.
        for device in ["/dev/zero", "/dev/urandom", "/dev/null"] {
            assertError(try CSVReader.read(path: device), .noInput, "\(device): cannot open (not a regular file)")
        }
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let fifo = folder + "/pipe.csv"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        // Should the reader block opening the FIFO, a writer that comes and goes ends the wait.
        DispatchQueue.global().asyncAfter(deadline: .now() + 5) {
            let writer = open(fifo, O_WRONLY | O_NONBLOCK)
            if writer >= 0 { close(writer) }
        }
        assertError(try CSVReader.read(path: fifo), .noInput, "\(fifo): cannot open (not a regular file)")

        let file = folder + "/data.csv"
        try Data("x\n1\n".utf8).write(to: URL(fileURLWithPath: file))
        try FileManager.default.createSymbolicLink(atPath: folder + "/link.csv", withDestinationPath: file)
        XCTAssertEqual(try CSVReader.read(path: folder + "/link.csv").rowCount, 1, "a symlink to a file is followed")
        try FileManager.default.createSymbolicLink(atPath: folder + "/zero.csv", withDestinationPath: "/dev/zero")
        assertError(try CSVReader.read(path: folder + "/zero.csv"), .noInput, "\(folder)/zero.csv: cannot open (not a regular file)")
        try FileManager.default.createSymbolicLink(atPath: folder + "/dir.csv", withDestinationPath: folder)
        assertError(try CSVReader.read(path: folder + "/dir.csv"), .noInput, "\(folder)/dir.csv: cannot open (it is a directory)")
    }

    func testReadsAFileFromDisk() throws {
        let data = try CSVReader.read(path: sampleDataPath("iris.csv"))
        XCTAssertEqual(data.rowCount, 150)
        XCTAssertEqual(data.columnCount, 6)
    }

    /// A file of several blocks, each read from disk in halves at once: every row comes back in
    /// its place, across block boundaries and the halves' seams.
    func testReadsAFileOfManyBlocksInOrder() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let rows = 500_000  // 8.7 MB: several blocks
        var text = "i,half,label\n"
        for i in 0..<rows { text += "\(i),\(Double(i) / 2),L\(i % 7)\n" }
        try text.write(toFile: folder + "/big.csv", atomically: true, encoding: .utf8)
        let data = try CSVReader.read(path: folder + "/big.csv")
        XCTAssertEqual(data.rowCount, rows)
        let index = try XCTUnwrap(data.column(named: "i")?.numbers), half = try XCTUnwrap(data.column(named: "half")?.numbers)
        XCTAssertEqual(index.indices.filter { index[$0] != Double($0) || half[$0] != Double($0) / 2 }.count, 0)
        XCTAssertEqual(data.column(named: "label")?.text(at: rows - 1), "L\((rows - 1) % 7)")
    }
}
