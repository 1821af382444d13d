@testable import Tabular
import XCTest

final class CSVWriterTests: XCTestCase {
    /// Every value written reads back the same: doubles bit for bit, text that needs quoting,
    /// missing values in each column type.
    func testWrittenCSVReadsBackToTheSameValues() throws {
        var missing = MissingMask(count: 4)
        missing[2] = true
        let numbers: [Double] = [0.1 + 0.2, -1e-300, 0, 12345.678901234567]
        let original = try Dataset(columns: [
            Column(name: "x", type: .numeric, storage: .numbers(numbers), missing: missing),
            .numeric("n", [1, -2, 3, 40], type: .integer),
            .categorical("note", ["plain", "with, comma", nil, "say \"hi\"\r\nbye"]),
            .categorical("pad", [" lead", "trail ", "ok", "a"]),
        ])
        let text = CSVWriter.text(original)
        XCTAssertTrue(text.hasPrefix("x,n,note,pad\r\n0.30000000000000004,1,plain,\" lead\"\r\n"), text)
        let back = try CSVReader.read(bytes: Array(text.utf8), sourceName: "t.csv")
        XCTAssertEqual(back.columnNames, original.columnNames)
        XCTAssertEqual(back.rowCount, 4)
        let x = try XCTUnwrap(back.column(named: "x"))
        XCTAssertEqual([0, 1, 3].map { x.numbers![$0].bitPattern }, [0, 1, 3].map { numbers[$0].bitPattern })
        XCTAssertTrue(x.isMissing(2))
        XCTAssertEqual(back.column(named: "n")?.type, .integer)
        XCTAssertEqual((0 ..< 4).map { back.column(named: "note")!.text(at: $0) }, ["plain", "with, comma", nil, "say \"hi\"\r\nbye"])
        XCTAssertEqual((0 ..< 4).map { back.column(named: "pad")!.text(at: $0) }, [" lead", "trail ", "ok", "a"])
    }

    func testAOneColumnFileWritesMissingAsNA() throws {
        let data = try Dataset(columns: [.categorical("c", ["a", nil])])
        XCTAssertEqual(CSVWriter.text(data), "c\r\na\r\nNA\r\n")
    }
}
