import Tabular
import XCTest

/// `levels DATA COLUMN order=…`: R's relevel and factor(levels =) on a loaded column, whose
/// levels load sorted by bytes (warpbreaks' tension reads H, L, M; R's dataset has L, M, H).
final class LevelOrderTests: XCTestCase {
    func testGivenLevelsComeFirstAndEveryRowKeepsItsValue() throws {
        let tension = Column.categorical("tension", ["L", "M", nil, "H", "L"])
        let sorted = try readCSV("tension\nL\nM\nNA\nH\nL\n").columns[0]
        XCTAssertEqual(sorted.levels, ["H", "L", "M"])
        let relevelled = try sorted.reorderingLevels(first: ["L"])
        XCTAssertEqual(relevelled.levels, ["L", "H", "M"], "relevel(ref = 'L'): the others keep their order")
        let all = try sorted.reorderingLevels(first: ["L", "M", "H"])
        XCTAssertEqual(all.levels, ["L", "M", "H"])
        for column in [relevelled, all] {
            XCTAssertEqual(column.texts, tension.texts)
            XCTAssertEqual(column.missingCount, 1)
        }
    }

    func testAnUnknownOrRepeatedLevelOrAColumnWithoutLevelsIsRefused() throws {
        let tension = Column.categorical("tension", ["H", "L", "M"])
        assertError(try tension.reorderingLevels(first: ["l"]), .usage, "column 'tension' has no level 'l'; did you mean 'L'? (levels: H, L, M)")
        assertError(try tension.reorderingLevels(first: ["M", "M"]), .usage, "level 'M' is given twice")
        // Many levels (a column of numbers, a level per value) are listed ten and a count.
        let lengths = Column.numeric("length", (0 ..< 35).map { 4 + Double($0) / 10 })
        assertError(try lengths.reorderingLevels(first: ["none"]), .usage,
                    "column 'length' has no level 'none' (levels: 4, 4.1, 4.2, 4.3, 4.4, 4.5, 4.6, 4.7, 4.8, 4.9, … (35 in all))")
        let text = Column(name: "note", type: .text, storage: .strings(["a", "b"]), missing: MissingMask(count: 2))
        assertError(try text.reorderingLevels(first: ["a"]), .usage,
                    "column 'note' is text; only a categorical column or one of numbers has levels to order")
    }

    /// A column of numbers becomes categorical, its levels in numeric order (R's factor(cyl):
    /// 4, 6, 8, 10 rather than the bytes' 10, 4, 6, 8), missing values kept.
    func testNumbersBecomeCategoriesInNumericOrder() throws {
        let cylinders = Column.numeric("cyl", [6, 4, 10, .nan, 8, 4], type: .integer)
        let factor = try cylinders.reorderingLevels(first: [])
        XCTAssertEqual(factor.type, .categorical)
        XCTAssertEqual(factor.levels, ["4", "6", "8", "10"])
        XCTAssertEqual(factor.texts, ["6", "4", "10", nil, "8", "4"])
        XCTAssertEqual(try Column.numeric("dose", [0.5, 1, 2, 0.5]).reorderingLevels(first: ["2"]).levels, ["2", "0.5", "1"])
    }
}
