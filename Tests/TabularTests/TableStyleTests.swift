import Diagnostics
import Tabular
import XCTest

/// `set format`, `set digits` and folding: one renderer, every mode.
final class TableStyleTests: XCTestCase {
    private let metrics = TextTable(headers: ["metric", "value"], alignments: [.left, .right],
                                    rows: [["n", "89"], ["rmse", "47.93722"], ["note, \"quoted\"", "NA"], ["p", "< 2.2e-16"]],
                                    footer: "(a footer)")

    func testCSVQuotesWhatItMustAndKeepsTheFooterAfter() {
        XCTAssertEqual(TableStyle(format: .csv).render(metrics), """
            metric,value
            n,89
            rmse,47.93722
            "note, ""quoted\"\"\",NA
            p,< 2.2e-16
            (a footer)
            """)
    }

    func testJSONWritesNumbersAsNumbersMissingAsNullAndUniqueKeys() {
        XCTAssertEqual(TableStyle(format: .json).render(metrics), #"""
            [
              {"metric": "n", "value": 89},
              {"metric": "rmse", "value": 47.93722},
              {"metric": "note, \"quoted\"", "value": null},
              {"metric": "p", "value": "< 2.2e-16"}
            ]
            (a footer)
            """#)
        let unnamed = TextTable(headers: ["", "x", "x"], alignments: [.left, .right, .left], rows: [["a\u{1B}", "1e-05", "2"]])
        XCTAssertEqual(TableStyle(format: .json).render(unnamed), #"""
            [
              {"V1": "a\u001b", "x": 1e-05, "x_2": "2"}
            ]
            """#, "left-aligned cells stay strings; control characters are JSON escapes")
        XCTAssertEqual(TableStyle(format: .json).render(TextTable(headers: ["a"])), "[]")
    }

    func testMarkdownAlignsNumbersRightAndEscapesPipes() {
        let table = TextTable(headers: ["term", "Pr(>|t|)"], alignments: [.left, .right], rows: [["x\ny", "0.01"]], footer: "codes")
        XCTAssertEqual(TableStyle(format: .markdown).render(table), #"""
            | term | Pr(>\|t\|) |
            | --- | ---: |
            | x\ny | 0.01 |

            codes
            """#)
    }

    func testDigitsRoundDecimalNumbersInRightAlignedColumnsOnly() {
        let table = TextTable(headers: ["name", "value"], alignments: [.left, .right],
                              rows: [["3.14159", "3.14159"], ["count", "123456789"], ["big", "2297.977"], ["p", "< 2.2e-16"], ["tiny", "1.23456e-10"]])
        XCTAssertEqual(TableStyle(digits: 3).render(table), """
            name         value
            -------  ---------
            3.14159       3.14
            count    123456789
            big        2.3e+03
            p        < 2.2e-16
            tiny      1.23e-10
            """)
        XCTAssertEqual(TableStyle(format: .csv, digits: 2).render(table).split(separator: "\n")[1], "3.14159,3.1", "every format")
        XCTAssertEqual(TableStyle().render(table), table.rendered(), "7 digits leave these cells as they are")
    }

    // MARK: - Folding

    /// A key column and `count` value columns named c1, c2, … each 6 wide.
    private func wide(_ count: Int) -> TextTable {
        TextTable(headers: ["key"] + (1...count).map { "col\($0)__" },
                  alignments: [.left] + Array(repeating: .right, count: count),
                  rows: [["a"] + (1...count).map { String(repeating: "\($0 % 10)", count: 6) }], footer: "(1 row)")
    }

    func testATableThatFitsIsNotFolded() {
        XCTAssertEqual(wide(3).rendered(width: 100), wide(3).rendered())
        XCTAssertEqual(wide(3).rendered(width: nil).split(separator: "\n").count, 4)
    }

    func testWideTablesFoldIntoBlocksThatRepeatTheKey() {
        let folded = wide(5).rendered(width: 30)
        XCTAssertEqual(folded, """
            key  col1__  col2__  col3__
            ---  ------  ------  ------
            a    111111  222222  333333

            key  col4__  col5__
            ---  ------  ------
            a    444444  555555
            (1 row)
            """)
        XCTAssertTrue(folded.split(separator: "\n").allSatisfy { $0.count <= 30 })
    }

    func testBeyondFourBlocksTheRestAreCountedInANote() {
        let lines = wide(12).rendered(width: 20).split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.filter { $0.hasPrefix("key") }.count, TextTable.maximumFoldedBlocks)
        XCTAssertEqual(lines.suffix(2), ["… 4 more columns (set format csv to see all)", "(1 row)"])
        XCTAssertTrue(lines.dropLast(2).allSatisfy { $0.count <= 20 }, "the blocks fit; the note is a sentence")
    }

    func testAColumnTooWideEvenAloneIsCutNotWrapped() {
        let table = TextTable(headers: ["setting", "meaning"], rows: [["digits", String(repeating: "long words ", count: 10)]])
        let lines = table.rendered(width: 40).split(separator: "\n")
        XCTAssertEqual(lines.count, 3)
        XCTAssertTrue(lines.allSatisfy { TerminalText.displayWidth(String($0)) <= 40 }, lines.joined(separator: "\n"))
        XCTAssertTrue(lines[2].hasSuffix("…"))
    }

    func testMachineFormatsNeverFoldOrCut() {
        let long = String(repeating: "x", count: 300)
        let table = TextTable(headers: ["a", "b"], rows: [["1", long]])
        XCTAssertEqual(TableStyle(format: .csv, width: 20).render(table), "a,b\n1,\(long)")
    }
}
