import Diagnostics
import Language
import XCTest

final class ParserTests: XCTestCase {
    private func statements(_ source: String) throws -> [CommandSyntax] {
        guard case .statements(let statements) = try Parser.parse(source) else {
            XCTFail("unexpectedly incomplete: \(source)")
            return []
        }
        return statements
    }

    func testVerbPositionalsOptionsAndOutputs() throws {
        let command = try XCTUnwrap(statements("split iris test=0.2 seed=42 as train, test").first)
        XCTAssertEqual(command.verb, "split")
        XCTAssertEqual(command.arguments.count, 3)
        guard case .positional(let data) = command.arguments[0] else { return XCTFail("expected a positional") }
        XCTAssertEqual(data.value, .word("iris"))
        guard case .option(let key, _, let value) = command.arguments[2] else { return XCTFail("expected an option") }
        XCTAssertEqual(key, "seed")
        XCTAssertEqual(value.value, .number(42, text: "42"))
        XCTAssertEqual(command.outputs.map(\.value), [.word("train"), .word("test")])
        XCTAssertEqual(command.source, "split iris test=0.2 seed=42 as train, test")
    }

    func testBareAndBracketedListsAreTheSame() throws {
        let bare = try statements("fit linear d target=y features=a,b,c as m")[0]
        let bracketed = try statements("fit linear d target=y features=[a, b,\n c] as m")[0]
        guard case .option(_, _, let a) = bare.arguments[3], case .option(_, _, let b) = bracketed.arguments[3] else {
            return XCTFail("expected options")
        }
        XCTAssertEqual(a.value.display, "a,b,c")
        XCTAssertEqual(b.value.display, "a,b,c")
    }

    func testHyphenatedVerbsAndDurationValues() throws {
        let command = try XCTUnwrap(statements("learning-curve linear d target=Y time=2m x-1").first)
        XCTAssertEqual(command.verb, "learning-curve")
        guard case .option(_, _, let time) = command.arguments[3] else { return XCTFail("expected an option") }
        XCTAssertEqual(time.value, .duration(seconds: 120, text: "2m"))
        XCTAssertEqual(time.value.kindName, "a duration")
        // `x-1` is not a hyphenated word (a digit follows the '-'): it is the expression x - 1.
        guard case .positional(let difference) = try XCTUnwrap(command.arguments.last),
              case .expression(let expression) = difference.value,
              case .binary(.subtract, let left, let right) = expression.kind else { return XCTFail("expected x - 1") }
        XCTAssertEqual(left.kind, .name("x"))
        XCTAssertEqual(right.kind, .number(1))
        XCTAssertEqual(parseError("auto d time=-5s")?.message, "a duration ('5s') cannot be negated or part of an expression")
    }

    func testNegativeNumbers() throws {
        guard case .option(_, _, let value) = try statements("set x=-0.5")[0].arguments[0] else { return XCTFail() }
        XCTAssertEqual(value.value, .number(-0.5, text: "-0.5"))
    }

    func testSemicolonsAndNewlinesSeparateStatementsWithTheirOwnSource() throws {
        let parsed = try statements("vars; history\n\nhelp load")
        XCTAssertEqual(parsed.map(\.verb), ["vars", "history", "help"])
        XCTAssertEqual(parsed.map(\.source), ["vars", "history", "help load"])
    }

    func testIncompleteInputAsksForMore() {
        XCTAssertTrue(Parser.needsMoreInput("load \"data/iris"))
        XCTAssertTrue(Parser.needsMoreInput("fit linear d features=[a, b"))
        XCTAssertFalse(Parser.needsMoreInput("drop a,"), "a trailing comma is an error, not a continuation")
        XCTAssertFalse(Parser.needsMoreInput("load \"x\" as"))
        XCTAssertTrue(Parser.needsMoreInput("show iris \\"))
        XCTAssertFalse(Parser.needsMoreInput("show iris"))
        XCTAssertFalse(Parser.needsMoreInput("show iris rows="), "a missing value is an error now, not a continuation")
        XCTAssertFalse(Parser.needsMoreInput("show $"), "syntax errors are shown at once")
    }

    func testNamesAfterAsWithoutCommasAreKeptForTheBinder() throws {
        let command = try XCTUnwrap(statements("split iris as train test").first)
        XCTAssertEqual(command.outputs.map(\.value), [.word("train"), .word("test")])
        XCTAssertEqual(command.outputsWithoutCommas?.column, 21)
        XCTAssertNil(try XCTUnwrap(statements("split iris as train, test").first).outputsWithoutCommas)
    }

    func testErrorsPointAtTheOffendingToken() {
        XCTAssertEqual(parseError("= iris")?.message, "expected a command name, found '='")
        let missing = parseError("show iris rows=")
        XCTAssertEqual(missing?.message, "missing value after 'rows='")
        XCTAssertEqual(missing?.location?.column, 11)
        XCTAssertEqual(parseError("load \"x\" as 3")?.message, "expected a name after 'as', found a number")
        XCTAssertEqual(parseError("load \"x\" as a 3")?.message, "unexpected '3' after the names following 'as'")
        let comma = parseError("derive d a = x + 1, b = y as e")
        XCTAssertEqual(comma?.message, "options are separated by spaces, not commas: drop the comma before 'b='")
        XCTAssertEqual(comma?.location?.column, 21)
        XCTAssertNil(parseError("fit linear d target=y features=a, b scale=standard as m"), "a list's items may follow its commas after spaces")
        XCTAssertEqual(parseError("predict m on t as p probabilities=yes")?.message,
                       "option probabilities= after the names following 'as': options go before 'as'")
        // An unquoted path reads as a division; the binder says a path is quoted (TransformCommandTests).
        XCTAssertNil(parseError("load data/iris.csv as d"))
        XCTAssertEqual(parseError("x a=[b, [c]]")?.message, "lists cannot be nested")
        XCTAssertEqual(parseError("x a=[b c]")?.message, "expected ',' or ']' in list, found 'c'")
        XCTAssertEqual(parseError("load \"x\" as")?.message, "expected a name after 'as'")
        XCTAssertEqual(parseError("drop a,\nvars")?.message, "expected a value, found end of line")
    }

    func testDeeplyNestedBracketsAreRefusedWithoutRecursion() {
        let nested = "vars " + String(repeating: "[", count: 100_000)
        XCTAssertEqual(parseError(nested)?.message, "lists cannot be nested")
    }

    func testLocationsCountFromTheGivenFirstLine() throws {
        let command = try XCTUnwrap(Parser.parse("\n  show iris", file: "s.msh", firstLine: 10)).statementsOrNil?.first
        XCTAssertEqual(command?.verbLocation, SourceLocation(file: "s.msh", line: 11, column: 3, length: 4))
    }

    func testModelVersionsAreValuesListsIncludedButNotNamesAfterAs() throws {
        let command = try XCTUnwrap(statements("compare m@1, m@production, other on test").first)
        guard case .positional(let list) = command.arguments[0], case .list(let items) = list.value else { return XCTFail("expected a list") }
        XCTAssertEqual(items.map(\.value), [.versioned("m", selector: "1"), .versioned("m", selector: "production"), .word("other")])
        XCTAssertEqual(parseError("fit linear d target=y as m@2")?.message, "'as' takes a name, not a version: 'as m' adds the next version of m")
    }
}

private extension Parser.Outcome {
    var statementsOrNil: [CommandSyntax]? {
        if case .statements(let statements) = self { return statements }
        return nil
    }
}
