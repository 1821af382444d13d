@testable import Tabular
import XCTest

/// The `sep=` that `load` suggests when a file's first line has none of the separator it is
/// read with.
final class SeparatorGuessTests: XCTestCase {
    private func hint(_ text: String, _ separator: Character = ",") -> String? {
        SeparatorGuess.hint(firstBytes: Array(text.utf8), separator: separator.asciiValue!)
    }

    func testTheCommonestOtherSeparatorOfTheFirstLineIsSuggested() {
        XCTAssertEqual(hint("a\tb\tc\n1,5\t2\t3\n"), "the file's first line has no commas but 2 tabs: sep=\"\\t\" reads it")
        XCTAssertEqual(hint("a;b\r\n1;2\n"), "the file's first line has no commas but 1 semicolon: sep=\";\" reads it")
        XCTAssertEqual(hint("a,b,c|d\n", ";"), "the file's first line has no semicolons but 2 commas: sep=\",\" reads it")
        // Excel's sep= line is no record: the header after it is looked at.
        XCTAssertEqual(hint("sep=;\r\na;b;c\r\n1,5;2;3\r\n"), "the file's first line has no commas but 2 semicolons: sep=\";\" reads it")
    }

    func testNoHintWhenTheSeparatorIsThereOrNoOtherIs() {
        XCTAssertNil(hint("a,b;c;d\n"))
        XCTAssertNil(hint("single\n1;2\n"))
        // Quoted text is not looked at: a quoted name may hold a semicolon.
        XCTAssertNil(hint("\"a;b\"\n1\n"))
        XCTAssertNil(hint(""))
    }

    func testOnlyRegularFilesAreRead() {
        XCTAssertNil(SeparatorGuess.hint(path: "/dev/null", separator: UInt8(ascii: ",")))
        XCTAssertNil(SeparatorGuess.hint(path: "/nonexistent/file.csv", separator: UInt8(ascii: ",")))
    }
}
