import Tabular
import XCTest

final class ColumnDisplayTests: XCTestCase {
    func testTablesShowNumbersToSevenSignificantDigits() throws {
        let column = Column.numeric("y", [164.2494585099924, 4.8598, 0.000123456789, .nan])
        XCTAssertEqual((0..<4).map { column.displayText(at: $0) }, ["164.2495", "4.8598", "0.0001234568", nil])
        XCTAssertEqual(column.text(at: 0), "164.2494585099924", "text(at:) keeps every digit, for writing")
        let integers = Column.numeric("n", [12345678901, 2], type: .integer)
        XCTAssertEqual(integers.displayText(at: 0), "12345678901", "integers are never rounded")
    }

    func testPreviewUsesDisplayText() throws {
        let data = try Dataset(columns: [Column.numeric("y", [1.0 / 3.0, 2])])
        XCTAssertEqual(Preview.table(of: data, rows: 5).rows, [["0.3333333"], ["2"]])
    }

    /// A hand-edited workspace can hold numbers that do not fit the column's type; they used to
    /// trap `show` converting NaN or 1e300 to Int64.
    func testValuesThatDoNotFitTheirTypePrintAsNumbers() throws {
        let integers = Column(name: "i", type: .integer, storage: .numbers([1.5, .nan, 1e300, -.infinity, 3, -0.0]),
                              missing: MissingMask(count: 6))
        XCTAssertEqual((0..<6).map { integers.text(at: $0) }, ["1.5", "NaN", "1e+300", "-Inf", "3", "0"])
        let booleans = Column(name: "b", type: .boolean, storage: .numbers([0, 1, 2, .nan]), missing: MissingMask(count: 4))
        XCTAssertEqual((0..<4).map { booleans.text(at: $0) }, ["false", "true", "2", "NaN"])
        let data = try Dataset(columns: [integers])
        XCTAssertEqual(Preview.table(of: data, rows: 6).rows.map(\.[0]), ["1.5", "NaN", "1e+300", "-Inf", "3", "0"])
        guard case .table(let numbers) = Describe.report(of: data).blocks[1] else { return XCTFail("no numbers table") }
        XCTAssertEqual(numbers.rows[0][2...3], ["5", "1"], "an unmarked NaN counts as missing")
        assertError(try Split.trainTest(data, testFraction: 0.5, seed: 1, stratify: "i"), .data,
                    "cannot stratify on column 'i': it has 1 missing value (first in row 2)")
    }
}
