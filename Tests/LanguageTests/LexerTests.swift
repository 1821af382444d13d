import Diagnostics
@testable import Language
import XCTest

final class LexerTests: XCTestCase {
    private func kinds(_ source: String) throws -> [Token.Kind] {
        guard case .tokens(let tokens) = try Lexer.tokenize(source) else {
            XCTFail("unexpectedly incomplete: \(source)")
            return []
        }
        return tokens.map(\.kind)
    }

    func testWordsMayContainDotsAndDigits() throws {
        XCTAssertEqual(try kinds("fit Sepal.Length x_2"), [.word("fit"), .word("Sepal.Length"), .word("x_2"), .end])
    }

    func testNumbersKeepTheirSpelling() throws {
        XCTAssertEqual(try kinds("0.2 42 1e-5 .5"), [
            .number(0.2, text: "0.2"), .number(42, text: "42"), .number(1e-5, text: "1e-5"), .number(0.5, text: ".5"), .end,
        ])
    }

    func testStringsTakeEitherQuoteAndEscapes() throws {
        XCTAssertEqual(try kinds(#""a \"b\" c" 'it''s'"#).first, .string("a \"b\" c"))
        XCTAssertEqual(try kinds(#""tab\tnew\nline""#), [.string("tab\tnew\nline"), .end])
    }

    func testCommentsEndAtTheLineAndNewlinesSeparateStatements() throws {
        XCTAssertEqual(try kinds("vars # list\nhistory"), [.word("vars"), .separator, .word("history"), .end])
        XCTAssertEqual(try kinds("vars; history"), [.word("vars"), .separator, .word("history"), .end])
    }

    func testNewlinesInsideBracketsAreLayout() throws {
        XCTAssertEqual(try kinds("[a,\n b]"), [.symbol("["), .word("a"), .symbol(","), .word("b"), .symbol("]"), .end])
    }

    func testBackslashContinuesTheLine() throws {
        XCTAssertEqual(try kinds("show \\\n iris"), [.word("show"), .word("iris"), .end])
    }

    func testUnfinishedInputIsIncompleteNotAnError() throws {
        XCTAssertEqual(try Lexer.tokenize("load \"data/ir"), .incomplete(reason: "unterminated string"))
        XCTAssertEqual(try Lexer.tokenize("show \\"), .incomplete(reason: "line ends with '\\'"))
    }

    func testTokensCarryLineColumnAndLength() throws {
        guard case .tokens(let tokens) = try Lexer.tokenize("vars\n  describe iris", file: "f.msh", firstLine: 7) else {
            return XCTFail("incomplete")
        }
        XCTAssertEqual(tokens[2].location, SourceLocation(file: "f.msh", line: 8, column: 3, length: 8))
        XCTAssertEqual(tokens[3].location, SourceLocation(file: "f.msh", line: 8, column: 12, length: 4))
    }

    func testBadCharactersAreErrorsAtTheirColumn() {
        XCTAssertThrowsError(try Lexer.tokenize("show iris $")) { error in
            XCTAssertEqual((error as? ModelshError)?.message, "unexpected character '$'")
            XCTAssertEqual((error as? ModelshError)?.location?.column, 11)
        }
        XCTAssertThrowsError(try Lexer.tokenize("show iris rows=1x")) { error in
            XCTAssertEqual((error as? ModelshError)?.message,
                           "'1x' is neither a number, a duration nor a name: 'x' is not a unit of time (500ms, 60s, 2m, 1h); names start with a letter or '_'")
            XCTAssertEqual((error as? ModelshError)?.location?.column, 16)
        }
        XCTAssertThrowsError(try Lexer.tokenize("show iris rows=2x3")) { error in
            XCTAssertEqual((error as? ModelshError)?.message,
                           "'2x3' is neither a number, a duration nor a name: it is not a number; names start with a letter or '_'")
        }
        XCTAssertThrowsError(try Lexer.tokenize("\"a\\q\"")) { error in
            XCTAssertEqual((error as? ModelshError)?.message, "unknown escape '\\q' in string")
        }
    }

    func testModelVersionsAreOneTokenWithANumberOrAnAlias() throws {
        XCTAssertEqual(try kinds("diff m@1 m.v2@production"), [.word("diff"), .versioned("m", selector: "1"),
                                                                .versioned("m.v2", selector: "production"), .end])
        guard case .tokens(let tokens) = try Lexer.tokenize("model m@12") else { return XCTFail("incomplete") }
        XCTAssertEqual(tokens[1].location.length, 4)
        for (source, message) in [("model m@", "expected a version number or an alias after 'm@' (m@2, m@production)"),
                                  ("model m@2x", "'m@2x': a version is a number (m@2) or an alias name (m@production)")] {
            XCTAssertThrowsError(try Lexer.tokenize(source)) { error in
                XCTAssertEqual((error as? ModelshError)?.message, message)
                XCTAssertEqual((error as? ModelshError)?.location?.column, 7)
            }
        }
    }

    /// A '-' between a name character and a letter, without spaces, joins one word (command
    /// names such as learning-curve); everywhere else it stays the symbol it was.
    func testHyphenatedWordsAndMinusSigns() throws {
        XCTAssertEqual(try kinds("learning-curve linear d"), [.word("learning-curve"), .word("linear"), .word("d"), .end])
        XCTAssertEqual(try kinds("plot learning-curve"), [.word("plot"), .word("learning-curve"), .end])
        XCTAssertEqual(try kinds("a-b-c x_1-y"), [.word("a-b-c"), .word("x_1-y"), .end])
        XCTAssertEqual(try kinds("x-1"), [.word("x"), .symbol("-"), .number(1, text: "1"), .end])
        XCTAssertEqual(try kinds("x - y"), [.word("x"), .symbol("-"), .word("y"), .end])
        XCTAssertEqual(try kinds("x -y"), [.word("x"), .symbol("-"), .word("y"), .end])
        XCTAssertEqual(try kinds("x- y"), [.word("x"), .symbol("-"), .word("y"), .end])
        XCTAssertEqual(try kinds("alpha=-1 l=1e-5"), [.word("alpha"), .symbol("="), .symbol("-"), .number(1, text: "1"),
                                                      .word("l"), .symbol("="), .number(1e-5, text: "1e-5"), .end])
        XCTAssertEqual(try kinds("x--y"), [.word("x"), .symbol("-"), .symbol("-"), .word("y"), .end])
        guard case .tokens(let tokens) = try Lexer.tokenize("help learning-curve") else { return XCTFail("incomplete") }
        XCTAssertEqual(tokens[1].location.length, 14)
    }

    /// A ':' between names, without spaces, joins one word: an interaction as R writes it
    /// (`features=wt:hp`); elsewhere it is no symbol of the language.
    func testColonJoinsNamesIntoAnInteraction() throws {
        XCTAssertEqual(try kinds("features=wt:hp,a:b:c"), [.word("features"), .symbol("="), .word("wt:hp"), .symbol(","), .word("a:b:c"), .end])
        XCTAssertEqual(try kinds("x*y:z"), [.word("x"), .symbol("*"), .word("y:z"), .end])
        XCTAssertThrowsError(try Lexer.tokenize("wt :hp")) { error in
            XCTAssertEqual((error as? ModelshError)?.message, "unexpected character ':'")
        }
        XCTAssertThrowsError(try Lexer.tokenize("wt:1"))
    }

    /// A number with a unit of time right after it is a duration, in seconds.
    func testDurations() throws {
        XCTAssertEqual(try kinds("time=500ms 60s 2m 1.5h 1e2s"), [
            .word("time"), .symbol("="), .duration(seconds: 0.5, text: "500ms"), .duration(seconds: 60, text: "60s"),
            .duration(seconds: 120, text: "2m"), .duration(seconds: 5400, text: "1.5h"), .duration(seconds: 100, text: "1e2s"), .end,
        ])
        XCTAssertEqual(try kinds("60 s"), [.number(60, text: "60"), .word("s"), .end])
        for bad in ["60sec", "5d", "3M"] {
            XCTAssertThrowsError(try Lexer.tokenize("auto d time=" + bad)) { error in
                XCTAssertTrue((error as? ModelshError)?.message.contains("is not a unit of time (500ms, 60s, 2m, 1h)") ?? false, bad)
                XCTAssertEqual((error as? ModelshError)?.location?.column, 13)
            }
        }
    }
}
