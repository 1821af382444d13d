import Tabular
import XCTest

/// `load`'s warning about columns that are text only because of a few stray values.
final class NumberLikeColumnsTests: XCTestCase {
    private func numbers(_ count: Int) -> String { (1 ... count).map { "\(Double($0) + 0.5)" }.joined(separator: "\n") }

    func testOneStrayTextIsNamedWithItsRowAndTheMarkerThatReadsItAsMissing() throws {
        let data = try readCSV("x\n" + numbers(30) + "\n ? \n")
        XCTAssertEqual(data["x"].type, .text)
        XCTAssertEqual(NumberLikeColumns.warnings(for: data),
                       ["column 'x' is text, though 30 of its 31 values are numbers: not ' ? ' (row 31); na=\" ? \" reads it as missing"])
    }

    func testSeveralStrayTextsAreListedWithoutAMarker() throws {
        let data = try readCSV("my x\nn/a\n" + numbers(30) + "\n-\nn/a\n")
        XCTAssertEqual(NumberLikeColumns.warnings(for: data),
                       ["column \"my x\" is text, though 30 of its 33 values are numbers: not 'n/a' (row 1), '-' (row 32)"])
    }

    /// Few distinct values make a categorical column, looked at level by level: the strays
    /// are listed in the order of their first rows, not of the levels.
    func testCategoricalColumnIsLookedAtByLevel() throws {
        let values = ["3", "n/a"] + (0 ..< 40).map { "\($0 % 3 + 1)" } + ["?", "n/a"]
        let data = try readCSV("x\n" + values.joined(separator: "\n") + "\n")
        XCTAssertEqual(data["x"].type, .categorical)
        XCTAssertEqual(NumberLikeColumns.warnings(for: data),
                       ["column 'x' is categorical, though 41 of its 44 values are numbers: not 'n/a' (row 2), '?' (row 43)"])
    }

    func testTextColumnsAndNumberColumnsAreLeftAlone() throws {
        // Too many stray texts (more than a tenth of the values, or more than three kinds) make
        // a text column that holds some numbers; missing values do not count.
        let data = try readCSV("""
            a,b,c,d
            1,1,x,1
            2,2,y,a
            3,3,z,b
            4,4,1,c
            5,5,2,d
            6,NA,3,6
            7,,4,7
            8,8,5,8
            9,9,6,9
            y,10,7,10
            x,11,8,11
            """)
        XCTAssertEqual(NumberLikeColumns.warnings(for: data), [])
    }

    func testTextInRowOneOfSeveralColumnsIsOneWarningAboutAHeader() throws {
        let data = try readCSV("a,b,c\n" + "kg,cm,x\n" + (1 ... 20).map { "\($0),\($0 + 1),\($0 % 2 == 0 ? "x" : "y")" }.joined(separator: "\n"))
        XCTAssertEqual(NumberLikeColumns.warnings(for: data),
                       ["row 1 holds text in 'a', 'b', whose other values are all numbers, so they were read as categories or text: "
                        + "is row 1 a header line (header=no reads the first line as data)?"])
    }
}
