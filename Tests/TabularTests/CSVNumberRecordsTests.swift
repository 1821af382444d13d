import CKernels
import Numerics
@testable import Tabular
import XCTest

/// The reader's vector kernel for runs of plain-number records (`msh_csv_number_records`, driven
/// by `CSVNumberRecords`) must take exactly the records it documents, read each number as a
/// correctly rounded parse does, and leave the rest to the field-by-field path so that a file
/// reads the same with it as without it — in its vector variant and in its word variant.
final class CSVNumberRecordsTests: XCTestCase {
    override func tearDown() {
        msh_kernels_prefer_baseline(0)
    }

    /// Runs `body` once with the kernel's best variant for this CPU and once with its word variant.
    private func inEveryVariant(_ body: (String) throws -> Void) rethrows {
        for baseline in [false, true] {
            msh_kernels_prefer_baseline(baseline ? 1 : 0)
            try body(baseline ? "word variant" : "best variant")
        }
    }

    /// The kernel on one record of two fields followed by enough plain records for a window:
    /// the record's values and which columns had a point, or nil when it stops before it.
    private func firstRecord(_ record: String) -> (values: [Double], hasPoint: [Bool])? {
        let bytes = Array((record + String(repeating: "7,8\n", count: 2000)).utf8)
        var values = [Double](repeating: .nan, count: 2)
        var hasPoint = [UInt8](repeating: 0, count: 2)
        var rows = 0
        let end = msh_csv_number_records(bytes, bytes.count, 0, bytes.count, UInt8(ascii: ","), 2, 1, &values, &hasPoint, &rows)
        if rows == 0 {
            XCTAssertEqual(end, 0, "a stop leaves the position at the record: \(record.debugDescription)")
            return nil
        }
        XCTAssertEqual(rows, 1)
        XCTAssertEqual(end, record.utf8.count, "the position after \(record.debugDescription)")
        return (values, hasPoint.map { $0 != 0 })
    }

    func testTakesPlainNumbersExactlyAsWritten() {
        inEveryVariant { variant in
            let cases: [(String, [Double], [Bool])] = [
                ("1,2\n", [1, 2], [false, false]),
                ("-1,2.5\n", [-1, 2.5], [false, true]),
                ("0.1,.5\n", [0.1, 0.5], [true, true]),
                ("5.,-0.25\n", [5, -0.25], [true, true]),
                ("123456789012345,1\n", [123_456_789_012_345, 1], [false, false]),
                ("1.23456789012345,-99999.9999999999\n", [1.23456789012345, -99999.9999999999], [true, true]),
                ("-0.00000000000001,007\n", [-0.00000000000001, 7], [true, false]),
                ("3.14159,2.71828\r\n", [3.14159, 2.71828], [true, true]),
            ]
            for (record, values, hasPoint) in cases {
                guard let read = firstRecord(record) else {
                    XCTFail("\(variant): stopped before \(record.debugDescription)")
                    continue
                }
                XCTAssertEqual(read.values.map(\.bitPattern), values.map(\.bitPattern), "\(variant): \(record.debugDescription)")
                XCTAssertEqual(read.hasPoint, hasPoint, "\(variant): \(record.debugDescription)")
            }
            // The sign of zero is kept, as a parse keeps it.
            XCTAssertEqual(firstRecord("-0,0\n")?.values.map(\.sign), [.minus, .plus], variant)
        }
    }

    func testStopsBeforeWhatItDoesNotTake() {
        inEveryVariant { variant in
            let refused = [
                "1e5,1\n", "+1,2\n", " 1,2\n", "1,2 \n", "1234567890123456,1\n", "0.0000000000000001,1\n", "-,1\n", ".,1\n",
                "-.,1\n", "1.2.3,1\n", "1-2,1\n", "--1,2\n", "\"1\",2\n", ",2\n", "1,\n", "1,2\r7,8\n", "1,2,3\n", "1\n", "NaN,1\n",
                "1,2x\n", "inf,1\n", "\n1,2\n", "1;2\n", "12345678901234567890123456,1\n",
            ]
            for record in refused {
                XCTAssertNil(firstRecord(record), "\(variant): \(record.debugDescription)")
            }
        }
    }

    /// Records within a window's reach of the end of the bytes are left to the field-by-field
    /// path, and none past `limit` is started.
    func testKeepsWithinItsBytesAndLimit() {
        let bytes = Array(String(repeating: "1.5,2\n", count: 1000).utf8)  // 6000 bytes
        var values = [Double](repeating: 0, count: 2 * 2000)
        var hasPoint = [UInt8](repeating: 0, count: 2)
        var rows = 0
        var end = msh_csv_number_records(bytes, bytes.count, 0, bytes.count, UInt8(ascii: ","), 2, 2000, &values, &hasPoint, &rows)
        XCTAssertGreaterThan(rows, 500)
        XCTAssertLessThan(end, bytes.count, "leaves the last records, within a window of the end")
        XCTAssertEqual(end, rows * 6)
        end = msh_csv_number_records(bytes, bytes.count, 0, 601, UInt8(ascii: ","), 2, 2000, &values, &hasPoint, &rows)
        XCTAssertEqual(rows, 101, "records starting at 0, 6, …, 600")
        XCTAssertEqual(end, 606)
    }

    /// The driver reads a run through the kernel and leaves the tokenizer at the next record.
    func testDriverReadsARunAndMovesTheTokenizer() throws {
        let text = "x,y\n" + String(repeating: "1,2.5\n", count: 3000) + "oops,3\n"
        let bytes = Array(text.utf8)
        let format = CSVFormat(separator: UInt8(ascii: ","), missingMarkers: MissingMarkers(["", "NA"]), numberMarks: NumberMarks(),
                               atFileStart: true)
        var records = try XCTUnwrap(CSVNumberRecords(columns: 2, format: format))
        var builders = [ColumnBuilder(), ColumnBuilder()]
        bytes.withUnsafeBufferPointer { bytes in
            var tokenizer = CSVTokenizer(bytes: bytes, separator: UInt8(ascii: ","), start: 4, line: 2)
            XCTAssertTrue(tokenizer.startRecord())
            let read = builders.withUnsafeMutableBufferPointer { records.read(&tokenizer, into: $0, limit: bytes.count) }
            XCTAssertGreaterThan(read, 1000)
            XCTAssertEqual(tokenizer.position, 4 + read * 6)
            XCTAssertEqual(tokenizer.line, 2 + read)
            XCTAssertEqual(builders.map(\.rowCount), [read, read])
            XCTAssertEqual(builders.map(\.kind), [.integer, .numeric])
        }
        let without = CSVFormat(separator: UInt8(ascii: ","), missingMarkers: MissingMarkers(["-99"]), numberMarks: NumberMarks(),
                                atFileStart: true)
        XCTAssertNil(CSVNumberRecords(columns: 2, format: without), "a number as a missing marker is for the field-by-field path")
    }

    /// A generated file of every shape of number, with exponents, long mantissas, missing values,
    /// blank lines, CRLF and a column that turns to text late, reads the same with the kernel as
    /// without it, and every number equals Swift's correctly rounded `Double(String)`.
    func testFilesReadTheSameWithAndWithoutTheKernel() throws {
        var random = Xoshiro256StarStar(seed: 2026)
        func number(_ column: Int, _ row: Int) -> String {
            // Long runs of what the kernel takes (up to 15 digits), then bursts of what it leaves.
            let burst = row % 1000 >= 900
            let digits = Int(random.nextUInt64() % (burst ? 16 : 15)) + 1
            var text = String((0..<digits).map { _ in Character(String(random.nextUInt64() % 10)) })
            let shape = burst ? random.nextUInt64() % 100 : 10 + random.nextUInt64() % 90
            if column == 1 { return String(row * 7 - 30_000) }  // integers throughout
            if column == 2, row < 15_000 { return String(row % 1000) }  // integers until a late decimal
            if shape < 2 { return "NA" }
            if shape < 4 { text += "e-\(random.nextUInt64() % 30)" }
            if shape < 6 { text = "12345678901234567\(text)" }
            if shape >= 10 { text.insert(".", at: text.index(text.startIndex, offsetBy: Int(random.nextUInt64() % UInt64(digits + 1)))) }
            if shape % 3 == 0 { text = "-" + text }
            return text
        }
        var lines = ["a,b,c,d,e"]
        var fields: [[String]] = []
        for row in 0..<20_000 {
            var record = (0..<5).map { number($0, row) }
            if row == 19_000 { record[3] = "late text" }
            fields.append(record)
            lines.append(record.joined(separator: ",") + (row % 97 == 0 ? "\r" : ""))
            if row % 4999 == 0 { lines.append("") }
        }
        let bytes = Array((lines.joined(separator: "\n") + "\n").utf8)
        let plain = CSVReadingPlan(readsNumberRuns: false)
        let reference = try CSVReader.read(bytes: bytes, sourceName: "t.csv", options: CSVOptions(), plan: plain)
        try inEveryVariant { variant in
            let data = try CSVReader.read(bytes: bytes, sourceName: "t.csv", options: CSVOptions(), plan: CSVReadingPlan())
            for name in reference.columnNames {
                let got = try XCTUnwrap(data.column(named: name)), expected = try XCTUnwrap(reference.column(named: name))
                XCTAssertEqual(got.type, expected.type, "\(variant): \(name)")
                XCTAssertEqual(got.missing, expected.missing, "\(variant): \(name)")
                XCTAssertEqual(got.numbers?.map(\.bitPattern), expected.numbers?.map(\.bitPattern), "\(variant): \(name)")
                XCTAssertEqual(got.levels, expected.levels, "\(variant): \(name)")
            }
        }
        XCTAssertEqual(reference.column(named: "b")?.type, .integer)
        XCTAssertEqual(reference.column(named: "c")?.type, .numeric)
        XCTAssertEqual(reference.column(named: "d")?.type, .text)
        XCTAssertEqual(reference.column(named: "d")?.text(at: 19_000), "late text")
        XCTAssertEqual(reference.column(named: "d")?.text(at: 7), fields[7][3], "a backfilled number keeps its text")
        var wrong = 0
        for (row, record) in fields.enumerated() {
            for (index, name) in ["a", "c", "e"].enumerated() {
                let text = record[[0, 2, 4][index]]
                let value = reference.column(named: name)!.numbers![row]
                if text == "NA" ? !value.isNaN : value.bitPattern != Double(text)!.bitPattern { wrong += 1 }
            }
        }
        XCTAssertEqual(wrong, 0)
    }
}
