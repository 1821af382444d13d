import Foundation
import Numerics
import Tabular
import XCTest

/// The rules that decide a column's type on load, and the sample data's types.
final class TypeInferenceTests: XCTestCase {
    func testIntegersNumbersAndBooleans() throws {
        let data = try readCSV("""
            i,n,b,z,e
            1,1.5,true,0,1e3
            -2,2,FALSE,1,2
            +3,.5,True,1,3
            """)
        XCTAssertEqual(data.columns.map(\.type), [.integer, .numeric, .boolean, .integer, .numeric])
        XCTAssertEqual(data["i"].numbers, [1, -2, 3])
        XCTAssertEqual(data["n"].numbers, [1.5, 2, 0.5])
        XCTAssertEqual(data["b"].numbers, [1, 0, 1])
        XCTAssertEqual(data["b"].texts, ["true", "false", "true"])
        XCTAssertEqual(data["e"].numbers, [1000, 2, 3])
    }

    /// Booleans are spelled as R's read.csv and pandas read them: true, True, TRUE and false,
    /// False, FALSE (blanks around them trimmed); any other casing, yes/no or T/F is a category.
    func testBooleanSpellingsAreExactlyTheThreeOfEach() throws {
        let data = try readCSV("a,b,c,d,e,f,g,h\ntrue,True,TRUE, false ,tRUE,truE,yes,T\nFALSE,False,false,TRUE,false,false,no,F\n")
        XCTAssertEqual(data.columns.map(\.type), [.boolean, .boolean, .boolean, .boolean, .categorical, .categorical, .categorical, .categorical])
        XCTAssertEqual(data.columns[3].numbers, [0, 1])
        XCTAssertEqual(data.columns[0].numbers, [1, 0])
    }

    /// The missing mask is made 64 rows at a time: rows missing at either end of a word, in the
    /// first and last words, and in a column's partial last word are each marked, and no other.
    func testMissingRowsAtEveryPlaceOfTheMaskWordsAreMarked() throws {
        let missingRows: Set<Int> = [3, 63, 64, 127, 128, 1000, 1023, 1024, 1150, 1152, 1160]
        let lines = (0..<1161).map { row in missingRows.contains(row) ? ",NA" : "\(row).5,\(["a", "b"][row % 2])" }
        let data = try readCSV("x,t\n" + lines.joined(separator: "\n") + "\n")
        for name in ["x", "t"] {
            let column = try XCTUnwrap(data.column(named: name))
            XCTAssertEqual(Set((0..<column.count).filter { column.missing[$0] }), missingRows, name)
        }
    }

    func testAPointMakesANumberNumeric() throws {
        XCTAssertEqual(try readCSV("x\n1\n2.0\n")["x"].type, .numeric)
        XCTAssertEqual(try readCSV("x\n5.\n")["x"].numbers, [5])
    }

    func testIntegersBeyondTwoToThe53AreNumeric() throws {
        let data = try readCSV("x\n9007199254740992\n")
        XCTAssertEqual(data["x"].type, .integer)
        XCTAssertEqual(try readCSV("x\n9007199254740993\n")["x"].type, .numeric)
    }

    func testMissingMarkersInEveryType() throws {
        let data = try readCSV("""
            i,n,b,c
            1,NA,true,a
            NA,2.5,,
            ,3.5,NA,NA
            4,"",false,b
            """)
        XCTAssertEqual(data.columns.map(\.type), [.integer, .numeric, .boolean, .categorical])
        XCTAssertEqual(data.columns.map(\.missingCount), [2, 2, 2, 2])
        XCTAssertEqual(data["i"].texts, ["1", nil, nil, "4"])
        XCTAssertEqual(data["c"].texts, ["a", nil, nil, "b"])
    }

    func testCustomMissingMarkersAndBlanksAroundNumbers() throws {
        let data = try readCSV("x,y\n 1 ,-\n2,? \n", options: CSVOptions(missingMarkers: ["-", "?"]))
        XCTAssertEqual(data["x"].numbers, [1, 2])
        XCTAssertEqual(data["x"].type, .integer)
        XCTAssertEqual(data["y"].missingCount, 2)
    }

    func testInfinityIsNumericAndNaNIsMissing() throws {
        let data = try readCSV("x\n1\nInf\n-inf\nNaN\n")
        XCTAssertEqual(data["x"].type, .numeric)
        XCTAssertEqual(data["x"].texts, ["1", "Inf", "-Inf", nil])
    }

    func testAColumnWithNoValuesIsNumeric() throws {
        let data = try readCSV("x,y\nNA,1\n,2\n")
        XCTAssertEqual(data["x"].type, .numeric)
        XCTAssertEqual(data["x"].missingCount, 2)
    }

    func testLateTextTurnsAColumnToTextKeepingEarlierValuesVerbatim() throws {
        let data = try readCSV("v\n1.50\nNA\ntrue\nNaN\nb\n")
        XCTAssertEqual(data["v"].type, .categorical)
        XCTAssertEqual(data["v"].levels, ["1.50", "NaN", "b", "true"])
        XCTAssertEqual(data["v"].texts, ["1.50", nil, "true", "NaN", "b"])
        XCTAssertEqual(try readCSV("v\ntrue\n1\n")["v"].type, .categorical)
    }

    func testQuotedNumbersAreNumbers() throws {
        XCTAssertEqual(try readCSV("x\n\"1.5\"\n\"2\"\n")["x"].numbers, [1.5, 2])
    }

    func testNumbersAreCorrectlyRounded() throws {
        let texts = ["0.1", "2.2250738585072014e-308", "1.7976931348623157e308", "123456789012345678901234567890",
                     "0.30000000000000004", "9007199254740993", "4.9e-324", "1e-400", "-0", "3.14159265358979323846"]
        let data = try readCSV("x\n" + texts.joined(separator: "\n"))
        XCTAssertEqual(data["x"].numbers, texts.map { Double($0)! })
        XCTAssertEqual(data["x"].numbers?[8].sign, .minus)
    }

    /// Random doubles written with 1 to 17 significant digits, as `%g` and `%e` would, read back
    /// exactly as Swift's correctly rounded `Double(String)` reads them.
    func testRandomNumbersAreCorrectlyRounded() throws {
        var generator = Xoshiro256StarStar(seed: 2024)
        var texts: [String] = []
        for _ in 0..<20_000 {
            let value = Double(bitPattern: generator.nextUInt64() >> 2)  // positive, any exponent
            let scaled = generator.bounded(2) == 0 ? value : (generator.uniform() - 0.5) * pow(10, Double(generator.bounded(30)) - 10)
            let digits = 1 + Int(generator.bounded(17))
            texts.append(String(format: generator.bounded(2) == 0 ? "%.\(digits)g" : "%.\(digits - 1)e", scaled))
        }
        let column = try readCSV("x\n" + texts.joined(separator: "\n"))["x"]
        XCTAssertEqual(column.type, .numeric)
        for (text, value) in zip(texts, column.numbers!) where value != Double(text)! {
            XCTFail("\(text) read as \(value), expected \(Double(text)!)")
        }
    }

    func testLevelLimitGrowsWithRows() throws {
        let fifty = (0..<1000).map { "level\($0 % 50)" }
        XCTAssertEqual(try readCSV("c\n" + fifty.joined(separator: "\n"))["c"].type, .categorical)
        let fiftyOne = (0..<1000).map { "level\($0 % 51)" }
        XCTAssertEqual(try readCSV("c\n" + fiftyOne.joined(separator: "\n"))["c"].type, .text)
    }

    func testCategoricalLevelsAreSortedByBytes() throws {
        let data = try readCSV("c\nb\na\nB\nb\n")
        XCTAssertEqual(data["c"].type, .categorical)
        XCTAssertEqual(data["c"].levels, ["B", "a", "b"])
        XCTAssertEqual(data["c"].texts, ["b", "a", "B", "b"])
    }

    func testManyDistinctValuesAreText() throws {
        // 21 distinct values among 21 rows: more than max(20, 21/20) levels.
        let names = (1...21).map { "name\($0)" }
        let data = try readCSV("n\n" + names.joined(separator: "\n"))
        XCTAssertEqual(data["n"].type, .text)
        XCTAssertEqual(data["n"].texts, names)
        let twenty = try readCSV("n\n" + names.prefix(20).joined(separator: "\n"))
        XCTAssertEqual(twenty["n"].type, .categorical)
    }

    func testIrisTypes() throws {
        let iris = try CSVReader.read(path: sampleDataPath("iris.csv"))
        XCTAssertEqual(iris.columnNames, ["rownames", "Sepal.Length", "Sepal.Width", "Petal.Length", "Petal.Width", "Species"])
        XCTAssertEqual(iris.columns.map(\.type), [.integer, .numeric, .numeric, .numeric, .numeric, .categorical])
        XCTAssertEqual(iris["Species"].levels, ["setosa", "versicolor", "virginica"])
        XCTAssertEqual(iris.columns.map(\.missingCount), [0, 0, 0, 0, 0, 0])
        XCTAssertEqual(iris["Sepal.Length"].numbers?.prefix(3), [5.1, 4.9, 4.7])
    }

    func testDiabetesShapeAndTypes() throws {
        let diabetes = try CSVReader.read(path: sampleDataPath("diabetes.csv"))
        XCTAssertEqual(diabetes.rowCount, 442)
        XCTAssertEqual(diabetes.columnCount, 11)
        // BP and S3 are written with a ".0" (e.g. 101.0), so they are numeric; AGE, SEX, S1, S6, Y are integers.
        XCTAssertEqual(diabetes.columns.map(\.type), [.integer, .integer, .numeric, .numeric, .integer, .numeric,
                                                      .numeric, .numeric, .numeric, .integer, .integer])
    }

    func testWineShapeAndTypes() throws {
        let wine = try CSVReader.read(path: sampleDataPath("wine.csv"))
        XCTAssertEqual(wine.rowCount, 178)
        XCTAssertEqual(wine.columnCount, 14)
        XCTAssertEqual(wine["class"].type, .integer)
        XCTAssertEqual(wine["magnesium"].type, .integer)
        XCTAssertEqual(wine["alcohol"].type, .numeric)
    }

    /// A text column's strings are made a stretch of 65,536 rows at a time, its codes given back
    /// to the system behind them: every row must still get its own text, past the first stretch too.
    func testLongTextColumnKeepsEveryValue() throws {
        let rows = 70_000
        let values: [String?] = (0..<rows).map { $0 % 1000 == 999 ? nil : "row \($0)" }
        let data = try readCSV("t,k\n" + values.enumerated().map { "\($1 ?? "NA"),\($0 % 3)\n" }.joined())
        XCTAssertEqual(data["t"].type, .text)
        XCTAssertEqual(data["t"].texts, values)
        XCTAssertEqual(data["t"].missingCount, rows / 1000)
        // A column with no missing value has an empty mask of the right length.
        XCTAssertEqual(data["k"].missing, MissingMask(count: rows))
        XCTAssertEqual(data["k"].numbers?.prefix(4), [0, 1, 2, 0])
    }
}
