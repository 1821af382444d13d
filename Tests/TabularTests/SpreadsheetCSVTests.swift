import Tabular
import XCTest

/// CSV as spreadsheets and pandas write it: decimal commas and grouped digits (`NumberMarks`,
/// `load … decimal=","`, `thousands=","`),
/// a row index column (`RowIndexColumn`) and pandas' texts for a missing value (`PandasMissingTexts`).
final class SpreadsheetCSVTests: XCTestCase {
    private let semicolons = CSVOptions(separator: UInt8(ascii: ";"), missingMarkers: ["", "NA", "-"])

    /// A column of decimal commas (with a plain integer, a sign, an exponent, spaces and a
    /// missing mark among them) reads as numbers, exactly as the same numbers written with points;
    /// text and a point with a comma (grouped digits) stay text. Read with the default marks,
    /// the column is named as one a decimal comma would read.
    func testDecimalCommaColumnsBecomeNumbers() throws {
        let text = "a;b;c;d\n1,5;x;1.234,5;7\n-0,25e1;y;2,5;8\n 3 ;x;1,5;9\n-;y;-;10\n"
        let decimalComma = NumberMarks(decimal: UInt8(ascii: ","))
        XCTAssertEqual(decimalComma.columns(in: try readCSV(text, options: semicolons)), ["a"])
        var options = semicolons
        options.numberMarks = decimalComma
        let converted = try readCSV(text, options: options)
        XCTAssertEqual(converted["a"].type, .numeric)
        XCTAssertEqual(converted["a"].numbers!.prefix(3), [1.5, -2.5, 3])
        XCTAssertTrue(converted["a"].isMissing(3))
        let pointed = try readCSV("a\n1.5\n-0.25e1\n3\nNA\n")
        XCTAssertEqual(converted["a"].type, pointed["a"].type)
        XCTAssertEqual(converted["a"].texts, pointed["a"].texts)
        XCTAssertEqual(converted["b"].texts, ["x", "y", "x", "y"])
        XCTAssertEqual(converted["c"].texts, ["1.234,5", "2,5", "1,5", nil])
        XCTAssertEqual(converted["d"].type, .integer)
    }

    /// Digits grouped by threes read as numbers with thousands= (pandas' `thousands`): integers
    /// stay integers; a point with a decimal comma, a space, an
    /// apostrophe. Groups that are not of three, a separator in the fraction, or a second
    /// decimal mark leave the column text.
    func testGroupedDigitsBecomeNumbers() throws {
        let text = "a,b,c,d,e\n\"1,234.5\",\"12,000\",\"1,23,456\",\"1.234,5\",\"1,000\"\n\"-12\",\"7\",\"1,234\",\"2,5\",\"2,000.0,1\"\n\"999,999,999.25e1\",NA,x,\"-0,5\",\"3\"\n"
        let thousands = NumberMarks(thousands: UInt8(ascii: ","))
        XCTAssertEqual(thousands.columns(in: try readCSV(text)), ["a", "b"])
        let grouped = try readCSV(text, options: CSVOptions(numberMarks: thousands))
        XCTAssertEqual(grouped["a"].type, .numeric)
        XCTAssertEqual(grouped["a"].numbers!, [1234.5, -12, 9_999_999_992.5])
        XCTAssertEqual(grouped["b"].type, .integer)
        XCTAssertEqual(grouped["b"].numbers!.prefix(2), [12000, 7])
        XCTAssertTrue(grouped["b"].isMissing(2))
        XCTAssertEqual(grouped["c"].type, .categorical)
        XCTAssertEqual(grouped["e"].type, .categorical)
        let european = try readCSV(text, options: CSVOptions(numberMarks: NumberMarks(decimal: UInt8(ascii: ","), thousands: UInt8(ascii: "."))))
        XCTAssertEqual(european["d"].numbers!, [1234.5, 2.5, -0.5])
        XCTAssertEqual(try readCSV("n\n1.200\n850\n", options: CSVOptions(numberMarks: NumberMarks(decimal: UInt8(ascii: ","), thousands: UInt8(ascii: "."))))["n"].numbers!,
                       [1200, 850], "a point that groups digits is no decimal point")
        for (mark, text) in [(" ", "12 345 678"), ("'", "12'345'678"), ("_", "12_345_678")] {
            let column = try readCSV("n\n\"\(text)\"\n\"1\"\n", options: CSVOptions(numberMarks: NumberMarks(thousands: Array(mark.utf8)[0])))["n"]
            XCTAssertEqual(column.numbers, [12_345_678, 1], mark)
        }
        for text in ["1,2345", ",123", "1,,234", "12,34,567"] {
            XCTAssertEqual(thousands.columns(in: try readCSV("n\n\"\(text)\"\n\"1,000\"\n")), [], text)
        }
    }

    func testTextsPandasReadsAsMissingAreNamedWithTheirMarker() throws {
        let data = try readCSV("name,code,x\nNone,1,nan\nann,null,2\nnull,3,3\nbob,4,4\n")
        XCTAssertEqual(data["x"].missingCount, 1, "nan among numbers is missing already")
        XCTAssertEqual(PandasMissingTexts.warnings(for: data),
                       ["column 'name' holds 'None', 'null', which pandas reads as missing and load as a level: na=\"None\",\"null\" reads them as missing"])
        XCTAssertEqual(PandasMissingTexts.warnings(for: try readCSV("name\nann\nbob\n")), [])
        // A text column (more distinct values than a categorical keeps), with a missing value.
        let text = try readCSV("name\n" + ((1...30).map { "person number \($0)" } + ["NULL", "NA"]).joined(separator: "\n") + "\n")
        XCTAssertEqual(text["name"].type, .text)
        XCTAssertEqual(PandasMissingTexts.warnings(for: text),
                       ["column 'name' holds 'NULL', which pandas reads as missing and load as text: na=\"NULL\" reads it as missing"])
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
