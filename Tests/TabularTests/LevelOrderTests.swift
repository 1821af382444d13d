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
        assertError(try Column.numeric("breaks", [26, 30]).reorderingLevels(first: ["26"]), .usage,
                    "column 'breaks' is numeric; only a categorical column has levels to order")
    }
}
