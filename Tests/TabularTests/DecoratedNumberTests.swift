import Tabular
import XCTest

/// `number(text)`'s reading of amounts, and `load`'s warning about columns of them.
final class DecoratedNumberTests: XCTestCase {
    func testAmountsPercentagesAndUnitsReadAsTheirNumbers() {
        let cases: [(String, Double)] = [
            ("$1,234.50", 1234.5), ("  12% ", 12), ("7.5 %", 7.5), ("EUR 5", 5), ("5 kg", 5), ("-$5", -5), ("$-5", -5),
            ("(42.00)", -42), ("($1,000)", -1000), ("-(3)", -3), (".5", 0.5), ("12.", 12), ("1e3 m", 1000), ("1,000,000", 1e6),
            ("−7", -7), ("abc 0.1", 0.1), ("3e", 3),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(DecoratedNumber.parse(text), expected, text)
        }
    }

    func testTextWithoutANumberOrWithMoreThanOneIsNone() {
        for text in ["", "n/a", "-", "$", ".", "1-2", "2024-01-01", "3 of 4", "1.234,5", "12.5.3", "(555) 123-4567", "1e999"] {
            XCTAssertNil(DecoratedNumber.parse(text), text)
        }
    }

    func testColumnsOfAmountsAreNamedWithTheDeriveThatReadsThem() throws {
        let data = try readCSV("""
        id,total,share,code,mixed,label
        1,"$1,250.00",10%,A1,$5,x
        2,$89.99,n/a,A2,yes,y
        3,"($45.00)",5.5%,A3,no,z
        4,$2.50,15%,A4,maybe,w
        """)
        XCTAssertEqual(DecoratedNumber.warnings(for: data, named: "orders"), [
            "column 'total' holds amounts or percentages written as text ('$1,250.00', '$2.50'): derive orders total = number(total) reads them as numbers",
            "column 'share' holds amounts or percentages written as text ('10%', '15%'): derive orders share = number(share) reads them as numbers, 'n/a' as missing",
        ], "codes like A1 are no amounts, and a column of mostly words is not one of amounts")
    }
}
