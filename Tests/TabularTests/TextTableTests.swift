import Diagnostics
import Tabular
import XCTest

/// Tables print safely whatever the data holds: escaped control characters, cut cells, and
/// columns aligned by terminal width.
final class TextTableTests: XCTestCase {
    func testControlCharactersAreSpeltOut() {
        XCTAssertEqual(TerminalText.escaped("a\u{1B}[31mred\u{07}\n\t\r\u{7F}\u{0}"), #"a\x1b[31mred\x07\n\t\r\x7f\x00"#)
        XCTAssertEqual(TerminalText.escaped("\u{9B}2J\u{85}"), #"\u{9b}2J\u{85}"#, "C1 controls")
        XCTAssertEqual(TerminalText.escaped("\u{1B}]0;title\u{07}"), #"\x1b]0;title\x07"#, "an OSC sequence")
        XCTAssertEqual(TerminalText.escaped("abc\u{202E}fed\u{200B}\u{2066}\u{2069}\u{FEFF}"),
                       #"abc\u{202e}fed\u{200b}\u{2066}\u{2069}\u{feff}"#, "bidi and zero-width characters")
        XCTAssertEqual(TerminalText.escaped("\r\n"), #"\r\n"#, "CRLF, one Character in Swift")
        for plain in ["C:\\data\\x.csv", "café", "漢字", "😀", "e\u{301}", ""] {
            XCTAssertEqual(TerminalText.escaped(plain), plain)
        }
    }

    func testRenderedTablesHoldNoControlCharacters() {
        let table = TextTable(headers: ["na\u{1B}[2Jme", "note"], rows: [["a\nb", "\u{1B}]52;c;aGk=\u{07}"], ["x\ty", "\u{202E}txt"]])
        XCTAssertEqual(table.rendered(), #"""
            na\x1b[2Jme  note
            -----------  ------------------
            a\nb         \x1b]52;c;aGk=\x07
            x\ty         \u{202e}txt
            """#)
    }

    func testFooterLinesAreKeptAndEscaped() {
        let table = TextTable(headers: ["a"], rows: [], footer: "one\ntwo\u{1B}[0m")
        XCTAssertEqual(table.rendered(), "a\n-\none\ntwo\\x1b[0m")
    }

    func testLongCellsAreCutToTheTableWidth() {
        let long = String(repeating: "é", count: 5_000_000)
        var table = TextTable(headers: ["v"], rows: [[long]])
        XCTAssertEqual(table.rendered(), "v\n" + String(repeating: "-", count: 100) + "\n" + String(repeating: "é", count: 99) + "…")
        table.maximumCellWidth = 5
        table.headers = ["header"]
        XCTAssertEqual(table.rendered(), "head…\n-----\néééé…")
        table.rows = [["ab\u{1B}c"]]
        XCTAssertEqual(table.rendered(), "head…\n-----\nab\\x…", "escapes count at their printed width")
        table.rows = [["a" + String(repeating: "\u{301}", count: 1000)]]
        XCTAssertEqual(table.rendered().split(separator: "\n")[2].unicodeScalars.count, 25, "a run of combining marks is cut too")
        XCTAssertEqual(TextTable.defaultMaximumCellWidth, 100)
        XCTAssertEqual(TextTable.dataCellWidth, 40)
    }

    func testDisplayWidthCountsWideAndCombiningCharacters() {
        XCTAssertEqual(TerminalText.displayWidth("abc"), 3)
        XCTAssertEqual(TerminalText.displayWidth("漢字"), 4)
        XCTAssertEqual(TerminalText.displayWidth("한국어"), 6)
        XCTAssertEqual(TerminalText.displayWidth("ｆｕｌｌ"), 8)
        XCTAssertEqual(TerminalText.displayWidth("😀🤖"), 4)
        XCTAssertEqual(TerminalText.displayWidth("👍🏽"), 2, "an emoji with a skin tone modifier")
        XCTAssertEqual(TerminalText.displayWidth("e\u{301}"), 1)
        XCTAssertEqual(TerminalText.displayWidth("\u{301}"), 0)
        XCTAssertEqual(TerminalText.displayWidth("café"), 4)
    }

    func testWideCharactersAlign() {
        let table = TextTable(headers: ["名前", "n"], alignments: [.left, .right], rows: [["漢字テキスト", "1"], ["ab", "22"], ["cafe\u{301}", "3"]])
        XCTAssertEqual(table.rendered(), """
            名前           n
            ------------  --
            漢字テキスト   1
            ab            22
            cafe\u{301}           3
            """)
        var narrow = table
        narrow.maximumCellWidth = 5
        XCTAssertEqual(narrow.rendered().split(separator: "\n")[2], "漢字…   1", "a wide character is not split")
    }

    func testMissingAlignmentsDefaultToLeft() {
        let table = TextTable(headers: ["a", "b"], alignments: [.right], rows: [["1", "2"]])
        XCTAssertEqual(table.rendered(), "a  b\n-  -\n1  2")
    }
}
