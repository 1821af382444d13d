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
}
