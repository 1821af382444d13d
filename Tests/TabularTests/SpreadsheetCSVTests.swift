import Tabular
import XCTest

/// CSV as spreadsheets and pandas write it: decimal commas (`DecimalComma`, `load … decimal=","`),
/// a row index column (`RowIndexColumn`) and pandas' texts for a missing value (`PandasMissingTexts`).
final class SpreadsheetCSVTests: XCTestCase {
    private let semicolons = CSVOptions(separator: UInt8(ascii: ";"), missingMarkers: ["", "NA", "-"])

    /// A column of decimal commas (with a plain integer, a sign, an exponent, spaces and a
    /// missing mark among them) becomes numeric, exactly as the same numbers written with points;
    /// text and a point with a comma (a thousands separator) are left as they are.
    func testDecimalCommaColumnsBecomeNumbers() throws {
        let data = try readCSV("a;b;c;d\n1,5;x;1.234,5;7\n-0,25e1;y;2,5;8\n 3 ;x;1,5;9\n-;y;-;10\n", options: semicolons)
        XCTAssertEqual(DecimalComma.columns(in: data), ["a"])
        let converted = try DecimalComma.converted(data)
        XCTAssertEqual(converted["a"].type, .numeric)
        XCTAssertEqual(converted["a"].numbers!.prefix(3), [1.5, -2.5, 3])
        XCTAssertTrue(converted["a"].isMissing(3))
        let pointed = try readCSV("a\n1.5\n-0.25e1\n3\nNA\n")
        XCTAssertEqual(converted["a"].type, pointed["a"].type)
        XCTAssertEqual(converted["a"].texts, pointed["a"].texts)
        XCTAssertEqual(converted["b"], data["b"])
        XCTAssertEqual(converted["c"], data["c"])
        XCTAssertEqual(converted["d"], data["d"])
    }

    func testTextsPandasReadsAsMissingAreNamedWithTheirMarker() throws {
        let data = try readCSV("name,code,x\nNone,1,nan\nann,null,2\nnull,3,3\nbob,4,4\n")
        XCTAssertEqual(data["x"].missingCount, 1, "nan among numbers is missing already")
        XCTAssertEqual(PandasMissingTexts.warnings(for: data),
                       ["column 'name' holds 'None', 'null', which pandas reads as missing and load as a level: na=\"None\",\"null\" reads them as missing"])
        XCTAssertEqual(PandasMissingTexts.warnings(for: try readCSV("name\nann\nbob\n")), [])
    }

    /// Excel's "CSV" on Windows: Windows-1252, whose 0x80–0x9F are € and typographic quotes
    /// (pandas' encoding="cp1252"), where Latin-1 has C1 controls.
    func testSingleByteEncodingsAreReadAsUTF8() throws {
        let bytes: [UInt8] = Array("name;Gr".utf8) + [0xF6, 0xDF] + Array("e\n".utf8) + [0x93, 0x41, 0x94, 0x3B, 0x80, 0x0A]
        let data = try CSVReader.read(bytes: SingleByteEncoding.cp1252.utf8(bytes), sourceName: "t.csv", options: CSVOptions(separator: UInt8(ascii: ";")))
        XCTAssertEqual(data.columnNames, ["name", "Größe"])
        XCTAssertEqual(data["name"].texts, ["\u{201C}A\u{201D}"])
        XCTAssertEqual(data["Größe"].texts, ["€"])
        XCTAssertEqual(String(decoding: SingleByteEncoding.latin1.utf8([0x80, 0xE9, 0x41]), as: UTF8.self), "\u{80}éA")
        XCTAssertEqual(String(decoding: SingleByteEncoding.cp1252.utf8([0x81, 0x9F]), as: UTF8.self), "\u{81}Ÿ", "undefined bytes stay C1 controls")
    }

    func testRowIndexWithoutANameIsNamed() throws {
        XCTAssertEqual(RowIndexColumn.warning(for: try readCSV(",x\n0,5\n1,6\n2,7\n")),
                       "column 'V1' has no name and numbers the rows 0 to 2: a row index (as pandas' to_csv writes without index=False), "
                           + "which fits would take for a feature: name the others in features=")
        XCTAssertNotNil(RowIndexColumn.warning(for: try readCSV("\"\",x\n\"1\",5\n\"2\",6\n")), "R's write.csv row names")
        XCTAssertNil(RowIndexColumn.warning(for: try readCSV(",x\n0,5\n2,6\n3,7\n")), "not consecutive")
        XCTAssertNil(RowIndexColumn.warning(for: try readCSV("id,x\n0,5\n1,6\n")), "named")
        XCTAssertNil(RowIndexColumn.warning(for: try readCSV(",x\n0,5\n")), "one row")
    }
}
