import Tabular
import XCTest

final class ExpressionEvaluationTests: XCTestCase {
    /// x: 1, 2, NA, 4, 0 (integer); y: 0.5, 0, 2, NA, -1; city: Oslo, Bergen, NA, Oslo, Tromsø;
    /// flag: true, false, NA, true, false.
    private let data = try! Dataset(columns: [
        .numeric("x", [1, 2, .nan, 4, 0], type: .integer),
        .numeric("y", [0.5, 0, 2, .nan, -1]),
        .categorical("city", ["Oslo", "Bergen", nil, "Oslo", "Tromsø"]),
        .numeric("flag", [1, 0, .nan, 1, 0], type: .boolean),
    ])

    private let x = ColumnExpression.column("x", .integer)
    private let y = ColumnExpression.column("y", .numeric)
    private let city = ColumnExpression.column("city", .categorical)
    private let flag = ColumnExpression.column("flag", .boolean)

    /// The values of `expression`, missing as nil.
    private func values(_ expression: ColumnExpression) -> [Double?] {
        let column = expression.evaluate(on: data, name: "r").column
        return (0..<column.count).map { column.isMissing($0) ? nil : column.numbers![$0] }
    }

    private func texts(_ expression: ColumnExpression) -> [String?] {
        let column = expression.evaluate(on: data, name: "r").column
        return (0..<column.count).map { column.text(at: $0) }
    }

    func testArithmeticPropagatesMissingAndKeepsIntegers() throws {
        let sum = try ColumnExpression.combining(.add, x, .number(1))
        XCTAssertEqual(values(sum), [2, 3, nil, 5, 1])
        XCTAssertEqual(sum.evaluate(on: data, name: "r").column.type, .integer)
        let ratio = try ColumnExpression.combining(.divide, x, .number(2))
        XCTAssertEqual(values(ratio), [0.5, 1, nil, 2, 0])
        XCTAssertEqual(ratio.evaluate(on: data, name: "r").column.type, .numeric)
        XCTAssertEqual(values(try .combining(.multiply, x, y)), [0.5, 0, nil, nil, -0.0])
        XCTAssertEqual(values(try .negating(x)), [-1, -2, nil, -4, 0])
        // Floored remainder, as R's %%: the sign of the divisor.
        XCTAssertEqual(values(try .combining(.remainder, .number(-7), .number(3))), Array(repeating: 2, count: 5))
        XCTAssertEqual(values(try .combining(.power, x, .number(2))), [1, 4, nil, 16, 0])
        // Booleans count as 0/1, as in R.
        XCTAssertEqual(values(try .combining(.add, flag, flag)), [2, 0, nil, 2, 0])
    }

    func testUndefinedArithmeticIsMissingAndCounted() throws {
        // x / y: 1/0.5 = 2, 2/0 (undefined), NA/2, 4/NA, 0/-1 = -0.
        let result = try ColumnExpression.combining(.divide, x, y).evaluate(on: data, name: "r")
        XCTAssertEqual(result.column.missingCount, 3)
        XCTAssertEqual(result.undefinedCount, 1)
        let logs = try ColumnExpression.call(.log, [x]).evaluate(on: data, name: "r")
        XCTAssertEqual(logs.undefinedCount, 1)  // log(0)
        XCTAssertEqual(try ColumnExpression.call(.sqrt, [y]).evaluate(on: data, name: "r").undefinedCount, 1)
        // A branch not chosen does not count: if(y == 0, 0, 1 / y).
        let guarded = try ColumnExpression.choice(try .comparing(.equal, y, .number(0)), .number(0), try .combining(.divide, .number(1), y))
        let chosen = guarded.evaluate(on: data, name: "r")
        XCTAssertEqual(chosen.undefinedCount, 0)
        XCTAssertEqual(values(guarded), [2, 0, 0.5, nil, -1])
    }

    func testComparisonsAndThreeValuedLogic() throws {
        let big = try ColumnExpression.comparing(.greater, x, .number(1))
        XCTAssertEqual(values(big), [0, 1, nil, 1, 0])
        let oslo = try ColumnExpression.comparing(.equal, city, .text("Oslo"))
        XCTAssertEqual(values(oslo), [1, 0, nil, 1, 0])
        XCTAssertEqual(values(try .comparing(.notEqual, city, .text("Nowhere"))), [1, 1, nil, 1, 1])
        // false and NA is false; true or NA is true; true and NA is NA.
        XCTAssertEqual(values(try .logical(and: true, big, flag)), [0, 0, nil, 1, 0])
        XCTAssertEqual(values(try .logical(and: false, oslo, flag)), [1, 0, nil, 1, 0])
        XCTAssertEqual(values(try .logical(and: true, .boolean(false), flag)), [0, 0, 0, 0, 0])
        XCTAssertEqual(values(try .logical(and: false, .boolean(true), flag)), [1, 1, 1, 1, 1])
        XCTAssertEqual(values(try .negation(flag)), [0, 1, nil, 0, 1])
        XCTAssertEqual(values(.isMissing(city)), [0, 0, 1, 0, 0])
    }

    func testMembershipFunctionsAndChoices() throws {
        XCTAssertEqual(values(try .membership(city, texts: ["Oslo", "Tromsø"])), [1, 0, nil, 1, 1])
        XCTAssertEqual(values(try .membership(x, numbers: [2, 4])), [0, 1, nil, 1, 0])
        XCTAssertEqual(values(try .call(.round, [.number(2.5)])), Array(repeating: 2, count: 5))
        XCTAssertEqual(values(try .call(.round, [.number(3.14159), .number(2)])), Array(repeating: 3.14, count: 5))
        XCTAssertEqual(values(try .call(.max, [x, .number(2)])), [2, 2, nil, 4, 2])
        XCTAssertEqual(values(try .call(.abs, [y])), [0.5, 0, 2, nil, 1])
        XCTAssertEqual(values(try .call(.floor, [y])), [0, 0, 2, nil, -1])
        let label = try ColumnExpression.choice(flag, city, .text("other"))
        XCTAssertEqual(texts(label), ["Oslo", "other", nil, "Oslo", "other"])
        XCTAssertEqual(label.evaluate(on: data, name: "r").column.type, .categorical)
        XCTAssertEqual(texts(try .changingCase(upper: true, city)), ["OSLO", "BERGEN", nil, "OSLO", "TROMSØ"])
    }

    func testTypeRulesNameTheOperandAtFault() {
        XCTAssertThrowsError(try ColumnExpression.comparing(.greater, city, .number(3))) { error in
            let typeError = error as! ExpressionTypeError
            XCTAssertEqual(typeError.operand, 1)
            XCTAssertEqual(typeError.other, 0)
            XCTAssertEqual(typeError.requirement, "> compares numbers with numbers, or dates with dates")
        }
        XCTAssertThrowsError(try ColumnExpression.comparing(.less, city, .text("Oslo"))) { error in
            XCTAssertEqual((error as! ExpressionTypeError).operand, 1)
        }
        XCTAssertThrowsError(try ColumnExpression.comparing(.equal, x, .text("a"))) { error in
            XCTAssertEqual((error as! ExpressionTypeError).other, 0)
        }
        XCTAssertThrowsError(try ColumnExpression.logical(and: true, flag, x)) { error in
            XCTAssertEqual((error as! ExpressionTypeError).operand, 1)
        }
        XCTAssertThrowsError(try ColumnExpression.choice(flag, x, .text("a")))
        XCTAssertThrowsError(try ColumnExpression.combining(.add, city, x))
    }

    /// `< <= > >=` order text as ISO 8601 moments: a date alone is midnight, T or a space
    /// before the time, fractions without trailing zeros; anything else is missing.
    func testTextOrdersAsISODatesAndOtherTextIsMissing() throws {
        let when = ["2024-03-01", "2024-02-29 23:59", "2024-03-01T00:00:00.000", "03/01/2024", "", "2024-03-01 00:00:01Z"]
        var mask = MissingMask(count: when.count)
        mask[4] = true
        let dates = try Dataset(columns: [Column(name: "when", type: .text, storage: .strings(TextColumn(when)), missing: mask),
                                          .categorical("day", ["2024-01-02", nil, "2023-12-31", "2024-01-01", "soon", "2024-01-01"])])
        func truth(_ op: ComparisonOperator, _ left: ColumnExpression, _ right: ColumnExpression) throws -> [Double?] {
            let column = try ColumnExpression.comparing(op, left, right).evaluate(on: dates, name: "r").column
            return (0..<column.count).map { column.isMissing($0) ? nil : column.numbers![$0] }
        }
        let whenColumn = ColumnExpression.column("when", .text), day = ColumnExpression.column("day", .categorical)
        XCTAssertEqual(try truth(.less, whenColumn, .text("2024-03-01")), [0, 1, 0, nil, nil, 0])
        XCTAssertEqual(try truth(.lessOrEqual, whenColumn, .text("2024-03-01")), [1, 1, 1, nil, nil, 0])
        XCTAssertEqual(try truth(.greater, day, .text("2024-01-01")), [1, nil, 0, 0, nil, 0])
        XCTAssertEqual(try truth(.greaterOrEqual, .text("2024-01-01T12:00"), day), [0, nil, 1, 1, nil, 1])
        XCTAssertEqual(try truth(.less, day, whenColumn), [1, nil, 1, nil, nil, 1])

        XCTAssertEqual(ISODateTime.sortKey("2024-03-01"), "2024-03-01T00:00:00")
        XCTAssertEqual(ISODateTime.sortKey("2024-03-01 14:30"), "2024-03-01T14:30:00")
        XCTAssertEqual(ISODateTime.sortKey("2024-03-01T14:30:05.250Z"), "2024-03-01T14:30:05.25")
        for text in ["2024-3-1", "2024-13-01", "2024-02-00", "2024-03-01T25:00", "2024-03-01T14:3", "2024-03-01+01:00",
                     "03/01/2024", "soon", "2024-03-01Z", "2024-03-01T14:30:05.", "2024-03-01  14:30", "2023-02-29", "2024-04-31",
                     "2024-03-01T14:30+1:00", "2024-03-01T14:30+24:00", "2024-03-01T14:30+01:60", "2024-03-01T14:30Z+01:00",
                     "2024-03-01T14:30+01:", "0000-01-01T00:30+01:00"] {
            XCTAssertNil(ISODateTime.sortKey(text), text)
        }
        XCTAssertEqual(ISODateTime.sortKey("2024-02-29"), "2024-02-29T00:00:00", "a leap day")
        // An offset east of UTC is subtracted, west added, across days, months and years.
        XCTAssertEqual(ISODateTime.sortKey("2024-03-01T10:00+01:00"), "2024-03-01T09:00:00")
        XCTAssertEqual(ISODateTime.sortKey("2024-03-01T00:30:15.5+0100"), "2024-02-29T23:30:15.5")
        XCTAssertEqual(ISODateTime.sortKey("2023-12-31 22:00:00-05"), "2024-01-01T03:00:00")
        XCTAssertEqual(ISODateTime.sortKey("2024-03-01T14:30:05-05:30"), "2024-03-01T20:00:05")
        XCTAssertEqual(ISODateTime.sortKey("2100-03-01T00:00+00:01"), "2100-02-28T23:59:00", "2100 is no leap year")
        XCTAssertEqual(ISODateTime.sortKey("2024-03-01T09:00Z"), ISODateTime.sortKey("2024-03-01T10:00+01:00"))
    }

    func testFilterCountsFalseAndMissingRows() throws {
        let result = data.filtered(by: try .comparing(.greater, x, .number(1)))
        XCTAssertEqual(result.data.rowCount, 2)
        XCTAssertEqual(result.falseCount, 2)
        XCTAssertEqual(result.missingCount, 1)
        XCTAssertEqual(result.data.column(named: "x")?.numbers, [2, 4])
        XCTAssertEqual(result.data.column(named: "city")?.levels, ["Oslo", "Bergen", "Tromsø"])
    }
}
