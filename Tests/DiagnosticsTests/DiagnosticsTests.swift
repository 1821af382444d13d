import Glibc
import Diagnostics
import XCTest

final class DiagnosticsTests: XCTestCase {
    func testEditDistanceCountsTranspositionAsOneEdit() {
        XCTAssertEqual(EditDistance.distance("load", "lod"), 1)
        XCTAssertEqual(EditDistance.distance("split", "spilt"), 1)
        XCTAssertEqual(EditDistance.distance("kitten", "sitting"), 3)
        XCTAssertEqual(EditDistance.distance("", "abc"), 3)
    }

    func testSuggestionIgnoresCaseAndRejectsFarNames() {
        XCTAssertEqual(EditDistance.suggestion(for: "bmi", among: ["AGE", "BMI", "BP"]), "BMI")
        XCTAssertNil(EditDistance.suggestion(for: "zzzzzz", among: ["load", "show"]))
        // A CSV header " a , b ,y" keeps its spaces (as pandas does): 'a' means ' a ', not 'y'.
        XCTAssertEqual(EditDistance.suggestion(for: "a", among: [" a ", " b ", "y"]), " a ")
        XCTAssertEqual(EditDistance.didYouMean("shwo", among: ["show", "split"]), "; did you mean 'show'?")
        XCTAssertEqual(EditDistance.didYouMean("q", among: ["load"]), "")
        // A candidate sharing no character with the name is a guess, offered only when it is
        // the one as close.
        XCTAssertNil(EditDistance.suggestion(for: "z", among: ["x", "y"]))
        XCTAssertNil(EditDistance.suggestion(for: "9", among: ["4", "5", "4.1"]))
        XCTAssertEqual(EditDistance.suggestion(for: "n", among: ["m", "train"]), "m")
        XCTAssertEqual(EditDistance.suggestion(for: "Y", among: ["x", "y"]), "y")
        XCTAssertEqual(EditDistance.suggestion(for: "ag", among: ["age", "sex"]), "age")
    }

    func testScriptErrorsNameFileLineAndColumnWithACaret() {
        let error = ModelshError.usage("unknown dataset 'irs'", at: SourceLocation(file: "t.msh", line: 3, column: 10, length: 3))
        XCTAssertEqual(DiagnosticRenderer.render(error, sourceLine: "describe irs"), """
        t.msh:3:10: error: unknown dataset 'irs'
            describe irs
                     ^~~
        """)
    }

    func testInteractiveErrorsHaveNoFileButKeepTheCaret() {
        let error = ModelshError.usage("bad", at: SourceLocation(line: 1, column: 1, length: 4))
        XCTAssertEqual(DiagnosticRenderer.render(error, sourceLine: "show"), "error: bad\n    show\n    ^~~~")
    }

    func testCaretFollowsTabsAndStaysInsideTheLine() {
        let error = ModelshError.usage("x", at: SourceLocation(line: 1, column: 3, length: 40))
        XCTAssertEqual(DiagnosticRenderer.render(error, sourceLine: "\tab"), "error: x\n    \tab\n    \t ^")
    }

    func testLongSourceLinesAreCutAroundTheError() {
        let line = String(repeating: "a", count: 300) + "BAD" + String(repeating: "b", count: 300)
        let error = ModelshError.usage("x", at: SourceLocation(line: 1, column: 301, length: 3))
        let lines = DiagnosticRenderer.render(error, sourceLine: line).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[1].count, 4 + 1 + 100 + 1)
        XCTAssertTrue(lines[1].hasPrefix("    …") && lines[1].hasSuffix("…"))
        let caret = lines[2].firstIndex(of: "^")!
        let bad = lines[1].range(of: "BAD")!.lowerBound
        XCTAssertEqual(lines[2].distance(from: lines[2].startIndex, to: caret), lines[1].distance(from: lines[1].startIndex, to: bad))
        XCTAssertTrue(lines[2].hasSuffix("^~~"))
    }

    func testControlCharactersCannotReachTheTerminal() {
        let error = ModelshError.usage("unknown dataset '\u{1B}[31mred'", at: SourceLocation(line: 1, column: 10, length: 8))
        let text = DiagnosticRenderer.render(error, sourceLine: "describe \u{1B}[31mred")
        XCTAssertFalse(text.unicodeScalars.contains { $0.value == 0x1B }, text)
        XCTAssertTrue(text.hasPrefix("error: unknown dataset '\\x1b[31mred'"), text)
        XCTAssertTrue(text.hasSuffix("    describe \u{FFFD}[31mred\n             ^~~~~~~~"), text)
    }

    func testCtrlCBecomesAnInterruptedErrorAtTheNextCheck() throws {
        Interruption.installHandler()
        try Interruption.check()
        raise(SIGINT)
        XCTAssertTrue(Interruption.isRequested)
        XCTAssertThrowsError(try Interruption.check()) { error in
            XCTAssertEqual(error as? ModelshError, ModelshError(.interrupted, "interrupted"))
        }
        XCTAssertFalse(Interruption.isRequested, "checking clears the request")
        XCTAssertEqual(ModelshError.Category.interrupted.exitCode, 130)
    }

    func testExitCodesFollowSysexits() {
        XCTAssertEqual(ModelshError.Category.usage.exitCode, 64)
        XCTAssertEqual(ModelshError.Category.data.exitCode, 65)
        XCTAssertEqual(ModelshError.Category.noInput.exitCode, 66)
        XCTAssertEqual(ModelshError.Category.software.exitCode, 70)
        XCTAssertEqual(ModelshError.Category.io.exitCode, 74)
    }

    func testLocatedKeepsAnExistingLocation() {
        let first = SourceLocation(line: 1, column: 2)
        let error = ModelshError.data("x", at: first).located(at: SourceLocation(line: 9, column: 9))
        XCTAssertEqual(error.location, first)
        XCTAssertEqual(ModelshError.data("x").located(at: first).location, first)
    }

    /// Hyphenated words are typed bare (the lexer joins them) but name no dataset or model.
    func testBareWordsAndNames() {
        for word in ["learning-curve", "y-val", "a-b-c", "x_1-y.z"] {
            XCTAssertTrue(Identifier.isBareWord(word), word)
            XCTAssertFalse(Identifier.isValid(word), word)
            XCTAssertEqual(Identifier.written(word), word)
        }
        for word in ["x-1", "x-", "-x", "x--y", "my x", "2nd", ""] {
            XCTAssertFalse(Identifier.isBareWord(word), word)
        }
        XCTAssertEqual(Identifier.quoted("y-val"), "'y-val'")
        XCTAssertEqual(Identifier.quoted("x-1"), "\"x-1\"")
    }
}

/// Errors from a subset of rows (a cross-validation fold) renumbered to the user's rows.
final class RowRenumberingTests: XCTestCase {
    func testEveryRowNamedIsRenumberedAndTheRestKept() {
        let error = ModelshError.data("column 'g' has level 'x' in row 3, not seen in training; first in row 12.", argument: "DATA")
        let renumbered = error.renumberingRows { [10, 20, 30][safe: $0].map { $0 + 100 } }
        XCTAssertEqual(renumbered.message, "column 'g' has level 'x' in row 131, not seen in training; first in row 12.")
        XCTAssertEqual(renumbered.category, .data)
        XCTAssertEqual(renumbered.argument, "DATA")
    }

    func testOnlyTheWordsInRowFollowedByANumberCount() {
        let error = ModelshError.data("row 2 in row 1 (in row x, in rows 5, in row ")
        XCTAssertEqual(error.renumberingRows { $0 + 40 }.message, "row 2 in row 41 (in row x, in rows 5, in row ")
    }
}

private extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
