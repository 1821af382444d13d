import Diagnostics
import Language
import XCTest

final class ExpressionParserTests: XCTestCase {
    /// The value of `filter d where SOURCE` (the third positional).
    private func value(_ source: String) throws -> LocatedValue {
        guard case .statements(let statements) = try Parser.parse("filter d where " + source),
              case .positional(let value) = statements[0].arguments[2] else {
            XCTFail("no value in: \(source)")
            throw ModelshError.usage("no value")
        }
        return value
    }

    /// The expression written back fully parenthesised, to check grouping.
    private func grouped(_ source: String) throws -> String {
        guard case .expression(let expression) = try value(source).value else { return "plain" }
        return Self.grouped(expression)
    }

    private static func grouped(_ expression: ExpressionSyntax) -> String {
        switch expression.kind {
        case .number(let value): return value == value.rounded() ? String(Int(value)) : String(value)
        case .string(let text): return "\"\(text)\""
        case .boolean(let value): return String(value)
        case .name(let name): return name
        case .negate(let operand): return "(-\(grouped(operand)))"
        case .not(let operand): return "(not \(grouped(operand)))"
        case .binary(let op, let left, let right): return "(\(grouped(left)) \(op.rawValue) \(grouped(right)))"
        case .membership(let operand, let items, let negated):
            return "(\(grouped(operand)) \(negated ? "not in" : "in") [\(items.map(grouped).joined(separator: ", "))])"
        case .missingTest(let operand, let negated): return "(\(grouped(operand)) is \(negated ? "not " : "")missing)"
        case .call(let name, let arguments): return "\(name)(\(arguments.map(grouped).joined(separator: ", ")))"
        }
    }

    func testPrecedenceFollowsR() throws {
        XCTAssertEqual(try grouped("a + b * c - d"), "((a + (b * c)) - d)")
        XCTAssertEqual(try grouped("-2^2"), "(-(2 ^ 2))")
        XCTAssertEqual(try grouped("2^3^2"), "(2 ^ (3 ^ 2))")
        XCTAssertEqual(try grouped("2^-1"), "(2 ^ -1)")
        XCTAssertEqual(try grouped("a / b % c"), "((a / b) % c)")
        XCTAssertEqual(try grouped("a > 1 and b < 2 or c == 3"), "(((a > 1) and (b < 2)) or (c == 3))")
        XCTAssertEqual(try grouped("a or b and c"), "(a or (b and c))")
        XCTAssertEqual(try grouped("not a == 1 and b"), "((not (a == 1)) and b)")
        XCTAssertEqual(try grouped("(a + b) * c"), "((a + b) * c)")
        XCTAssertEqual(try grouped("-x * y"), "((-x) * y)")
    }

    func testMembershipMissingTestsAndCalls() throws {
        XCTAssertEqual(try grouped("city in [\"Oslo\", \"Bergen\"] and age >= 30"), "((city in [\"Oslo\", \"Bergen\"]) and (age >= 30))")
        XCTAssertEqual(try grouped("x not in [1, -2]"), "(x not in [1, -2])")
        XCTAssertEqual(try grouped("x is missing or y is not missing"), "((x is missing) or (y is not missing))")
        XCTAssertEqual(try grouped("round(log(x) + 1, 2)"), "round((log(x) + 1), 2)")
        XCTAssertEqual(try grouped("if(x > 0, \"pos\", \"neg\")"), "if((x > 0), \"pos\", \"neg\")")
        XCTAssertEqual(try grouped("`my col` * 2"), "(my col * 2)")
        XCTAssertEqual(try grouped("x == true"), "(x == true)")
    }

    func testLocationsAndTextCoverTheSubExpression() throws {
        let located = try value("age > 30 and city == \"Oslo\"")
        guard case .expression(let expression) = located.value, case .binary(.and, let left, let right) = expression.kind else {
            return XCTFail("expected an 'and'")
        }
        XCTAssertEqual(expression.text, "age > 30 and city == \"Oslo\"")
        XCTAssertEqual(expression.location.column, 16)
        XCTAssertEqual(expression.location.length, 27)
        XCTAssertEqual(left.text, "age > 30")
        XCTAssertEqual(right.text, "city == \"Oslo\"")
        XCTAssertEqual(right.location.column, 29)
        XCTAssertEqual(right.location.length, 14)
    }

    func testPlainValuesParseAsBefore() throws {
        guard case .statements(let statements) = try Parser.parse("fit linear d target=y alpha=-1 features=a,b as m; rerun 2..5; show d rows=3") else {
            return XCTFail("incomplete")
        }
        guard case .option(_, _, let alpha) = statements[0].arguments[3], case .option(_, _, let features) = statements[0].arguments[4] else {
            return XCTFail("expected options")
        }
        XCTAssertEqual(alpha.value, .number(-1, text: "-1"))
        XCTAssertEqual(features.value.display, "a,b")
        guard case .positional(let cells) = statements[1].arguments[0] else { return XCTFail("expected a range") }
        XCTAssertEqual(cells.value, .range(2, 5, text: "2..5"))
        XCTAssertEqual(try value("flag").value, .word("flag"))
        XCTAssertEqual(try value("\"text\"").value, .string("text"))
    }

    func testDeriveDefinitionsAreOptionsWithExpressionValues() throws {
        guard case .statements(let statements) = try Parser.parse("derive houses ratio = rooms / households big = ratio > 3 as h2") else {
            return XCTFail("incomplete")
        }
        let command = statements[0]
        guard case .option("ratio", _, let ratio) = command.arguments[1], case .option("big", _, let big) = command.arguments[2] else {
            return XCTFail("expected two definitions")
        }
        XCTAssertEqual(ratio.value.display, "rooms / households")
        XCTAssertEqual(big.value.display, "ratio > 3")
        XCTAssertEqual(command.outputs.map(\.value), [.word("h2")])
    }

    func testErrorsPointAtTheMistake() {
        let chained = parseError("filter d where a < b < c")
        XCTAssertEqual(chained?.message, "comparisons do not chain: write 'a < b and b < c'")
        XCTAssertEqual(chained?.location?.column, 22)
        XCTAssertEqual(parseError("filter d where x in 3")?.message, "expected a list after 'in', like [1, 2] or [\"a\", \"b\"]")
        XCTAssertEqual(parseError("filter d where x in [y]")?.message, "the list after 'in' holds numbers, quoted strings, true or false, found 'y'")
        XCTAssertEqual(parseError("filter d where x is nothing")?.message, "expected 'missing' after 'is' (x is missing, x is not missing)")
        XCTAssertEqual(parseError("filter d where x > and y")?.message, "expected a value, found 'and'")
        XCTAssertEqual(parseError("filter d where x > ")?.message, "expected a value, found end of line")
        XCTAssertEqual(parseError("filter d where m@2 > 1")?.message, "a model version cannot be part of an expression")
        XCTAssertEqual(parseError("filter d where (x > 1]")?.message, "expected ')' to close the '(' at column 16, found ']'")
        let deep = "filter d where " + String(repeating: "(", count: 200) + "x" + String(repeating: ")", count: 200)
        XCTAssertEqual(parseError(deep)?.message, "expression nested too deeply (at most 64 levels)")
    }

    func testAnOpenParenthesisAsksForMoreInput() throws {
        XCTAssertTrue(Parser.needsMoreInput("filter d where (x > 1"))
        XCTAssertTrue(Parser.needsMoreInput("derive d y = log(x"))
        XCTAssertFalse(Parser.needsMoreInput("filter d where (x > 1)"))
    }
}
