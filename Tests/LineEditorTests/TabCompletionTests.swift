import XCTest
@testable import LineEditor

final class TabCompletionTests: XCTestCase {
    private func tab(_ before: String, replacing: Int, _ candidates: [String]) -> TabCompletion {
        TabCompletion(textBeforeCursor: before, result: CompletionResult(replacing: replacing, candidates: candidates))
    }

    func testNoCandidateBeeps() {
        XCTAssertEqual(tab("describe zz", replacing: 2, []), .beep)
    }

    func testOneCandidateIsCompletedAndFollowedByASpace() {
        XCTAssertEqual(tab("describe ir", replacing: 2, ["iris"]), .replace(scalarCount: 2, with: "iris "))
    }

    func testOneCandidateEndingInSlashOrEqualsIsLeftOpen() {
        XCTAssertEqual(tab(#"load "da"#, replacing: 3, [#""data/"#]), .replace(scalarCount: 3, with: #""data/"#))
        XCTAssertEqual(tab("fit linear iris tar", replacing: 3, ["target="]), .replace(scalarCount: 3, with: "target="))
    }

    func testACandidateMayCloseTheQuote() {
        XCTAssertEqual(tab(#"load "data/ir"#, replacing: 8, [#""data/iris.csv""#]),
                       .replace(scalarCount: 8, with: #""data/iris.csv" "#))
    }

    func testSeveralCandidatesInsertTheirCommonPrefix() {
        XCTAssertEqual(tab("target=Sep", replacing: 3, ["Sepal.Length", "Sepal.Width"]),
                       .replace(scalarCount: 3, with: "Sepal."))
    }

    func testSeveralCandidatesAreListedWhenNothingMoreCanBeInserted() {
        XCTAssertEqual(tab("target=Sepal.", replacing: 6, ["Sepal.Length", "Sepal.Width"]),
                       .list(["Sepal.Length", "Sepal.Width"]))
        XCTAssertEqual(tab("describe ", replacing: 0, ["iris", "wine", "iris"]), .list(["iris", "wine"]))
    }

    func testListingsLeaveOutTheSharedFolderOrOptionNameAndClosingQuotes() {
        XCTAssertEqual(tab("fit linear iris target=Sepal.", replacing: 13, ["target=Sepal.Length", "target=Sepal.Width"]),
                       .list(["Sepal.Length", "Sepal.Width"]))
        XCTAssertEqual(tab(#"load "data/"#, replacing: 5, ["data/", #"data/iris.csv""#, "data/old/"]),
                       .list(["data/", "iris.csv", "old/"]))
    }

    func testCandidatesOfADifferentCaseReplaceTheTypedWord() {
        XCTAssertEqual(tab("target=sep", replacing: 3, ["Sepal.Length", "Sepal.Width"]),
                       .replace(scalarCount: 3, with: "Sepal."))
    }

    func testReplacedTextIsCountedInUnicodeScalars() {
        // "é" typed as e + combining acute is one Character but two scalars for libedit.
        XCTAssertEqual(tab("show cafe\u{301}", replacing: 4, ["cafe\u{301}s"]),
                       .replace(scalarCount: 5, with: "cafe\u{301}s "))
    }

    func testColumnsAreFilledTopToBottomWithinTheWidth() {
        let names = ["a", "bb", "ccc", "dddd", "e"]
        XCTAssertEqual(columnLayout(names, width: 14), ["a     dddd", "bb    e", "ccc"])
        XCTAssertEqual(columnLayout(names, width: 3), names)
        XCTAssertEqual(columnLayout(["Sepal.Length", "Sepal.Width"], width: 79), ["Sepal.Length  Sepal.Width"])
    }
}
