import Diagnostics
import Foundation
import Models
@testable import Store
import Tabular
import XCTest

/// Files that were crafted or damaged: each must give one clear error naming the file, never
/// contents the shell would trip over later.
final class WorkspaceValidationTests: StoreTestCase {
    // MARK: - Cell numbers

    func testCellNumbersOutsideOneTo2To31AreRefused() throws {
        for number in ["9223372036854775807", "2147483648", "0", "-5"] {
            try assertOpenFails(afterRunning: "UPDATE cells SET number = \(number) WHERE number = 3",
                                containing: [": damaged workspace (cell numbers", "found \(number)"])
        }
        // The largest is accepted (with the cell log's checksum made again, as a forger could).
        var cells = try WorkspaceTests.sampleContents().cells
        cells[cells.count - 1].number = 2_147_483_647
        let path = try savedSample()
        try modify(path) {
            try $0.execute("UPDATE cells SET number = 2147483647 WHERE number = 3; UPDATE meta SET cells_checksum = '\(Workspace.cellLogChecksum(cells))'")
        }
        XCTAssertEqual(try Workspace.open(path: path).cells.last?.number, 2_147_483_647)
    }

    /// Each cell's checksum covers its text only: the cell log's checksum in meta catches a
    /// cell deleted (the last one too, which no numbering gap shows), renumbered or added.
    func testCellsDeletedRenumberedOrAddedAreCaught() throws {
        let sample = try WorkspaceTests.sampleContents().cells
        XCTAssertEqual(sample.map(\.number), [1, 2, 3])
        let added = "INSERT INTO cells VALUES (4, 'x', '', 1, '\(Checksum.hex(joining: "x", ""))')"
        for edit in ["DELETE FROM cells WHERE number = 2", "DELETE FROM cells WHERE number = 3", "UPDATE cells SET number = 5 WHERE number = 3",
                     "UPDATE cells SET succeeded = 1 - succeeded WHERE number = 1", added] {
            try assertOpenFails(afterRunning: edit, containing: [": damaged workspace (the cell log does not match its checksum: a cell was deleted, added or renumbered)"])
        }
        // A format-5 file has no such checksum, and still opens.
        let path = try savedSample()
        try modify(path) { try $0.execute("UPDATE meta SET format_version = 5; PRAGMA user_version = 5; DELETE FROM cells WHERE number = 2") }
        XCTAssertEqual(try Workspace.open(path: path).cells.map(\.number), [1, 3])
    }

    func testCellNumbersMustIncreaseInFileOrder() throws {
        try assertOpenFails(
            afterRunning: """
                DROP TABLE cells;
                CREATE TABLE cells (number, input, output, succeeded, checksum);
                INSERT INTO cells VALUES (2, 'a', '', 1, ''), (1, 'b', '', 1, '');
                """,
            containing: [": damaged workspace (cell numbers must increase; cell 1 follows cell 2)"])
    }

    // MARK: - Values against the column type

    /// A forged column saved with a correct fingerprint, as anyone can compute it.
    private func savedForgery(_ column: Column) throws -> String {
        let path = scratchFile(UUID().uuidString + ".msw")
        let dataset = try Dataset(columns: [column])
        try Workspace.save(WorkspaceContents(datasets: [NamedDataset(name: "d", dataset: dataset)]), to: path)
        return path
    }

    private func present(_ name: String, _ values: [Double], _ type: ColumnType) -> Column {
        Column(name: name, type: type, storage: .numbers(values), missing: MissingMask(count: values.count))
    }

    func testIntegerValuesMustBeIntegersOfAtMost2To53() throws {
        for bad in [1e300, .nan, .infinity, -.infinity, 2.5, 9_007_199_254_740_994] {
            let path = try savedForgery(present("n", [1, bad], .integer))
            assertModelshError(.data, containing: ["\(path): damaged workspace (dataset 'd', column 'n': value", "in row 2 is not an integer"]) {
                try Workspace.open(path: path)
            }
        }
        let limits = present("n", [9_007_199_254_740_992, -9_007_199_254_740_992, -0.0], .integer)
        XCTAssertEqual(try Workspace.open(path: try savedForgery(limits)).datasets[0].dataset.columns, [limits])
    }

    func testBooleanValuesMustBeZeroOrOne() throws {
        for bad in [2, 0.5, -1, .nan] {
            let path = try savedForgery(present("b", [0, 1, bad], .boolean))
            assertModelshError(.data, containing: ["dataset 'd', column 'b': value", "in row 3 is not 0 or 1"]) {
                try Workspace.open(path: path)
            }
        }
    }

    func testNumericValuesMayBeAnyDouble() throws {
        let values: [Double] = [1e300, .nan, .infinity, -.infinity, 2.5]
        let opened = try Workspace.open(path: try savedForgery(present("x", values, .numeric)))
        XCTAssertEqual(opened.datasets[0].dataset.columns[0].numbers?.map(\.bitPattern), values.map(\.bitPattern))
    }

    func testMissingSlotsGetTheInMemoryPlaceholder() throws {
        var mask = MissingMask(count: 2)
        mask[0] = true
        let forged = try Dataset(columns: [
            Column(name: "i", type: .integer, storage: .numbers([1e300, 1]), missing: mask),
            Column(name: "c", type: .categorical, storage: .categories(codes: [1, 0], levels: ["a", "b"]), missing: mask),
            Column(name: "t", type: .text, storage: .strings(["ghost", "x"]), missing: mask),
        ])
        let path = scratchFile("w.msw")
        try Workspace.save(WorkspaceContents(datasets: [NamedDataset(name: "d", dataset: forged)]), to: path)
        let columns = try Workspace.open(path: path).datasets[0].dataset.columns
        XCTAssertTrue(try XCTUnwrap(columns[0].numbers?[0]).isNaN)
        XCTAssertEqual(columns[1].storage, .categories(codes: [-1, 0], levels: ["a", "b"]))
        XCTAssertEqual(columns[2].storage, .strings(["", "x"]))
        XCTAssertEqual(columns.map { $0.text(at: 0) }, [nil, nil, nil])
    }

    // MARK: - Names

    func testDatasetAndModelNamesMustBeIdentifiers() throws {
        for bad in ["1st", "two words", "", "a-b", "é\u{301}\n", "as", "workspace"] {
            let path = try savedSample()
            try modify(path) { database in
                for sql in ["UPDATE datasets SET name = ?1 WHERE name = 'long'",
                            "UPDATE columns SET dataset = ?1 WHERE dataset = 'long'"] {
                    let update = try database.prepare(sql)
                    try update.bind(bad, at: 1)
                    try update.step()
                }
            }
            assertModelshError(.data, containing: ["\(path): damaged workspace (dataset name: "]) {
                try Workspace.open(path: path)
            }
        }
        try assertOpenFails(afterRunning: "UPDATE models SET name = 'm n'", on: try savedWithModel(), containing: [
            "damaged workspace (model name: 'm n' is not a name (a letter or _, then letters, digits, _ or .))",
        ])
    }

    func testUnicodeIdentifiersAreNames() throws {
        let path = scratchFile("w.msw")
        let names = ["_x", "Sepal.Length", "été2", "東京"]
        let dataset = try Dataset(columns: [.numeric("v", [1])])
        try Workspace.save(WorkspaceContents(datasets: names.map { NamedDataset(name: $0, dataset: dataset) }), to: path)
        XCTAssertEqual(try Workspace.open(path: path).datasets.map(\.name), names)
    }

    func testColumnNamesMustBeNonEmptyWithoutControlCharacters() throws {
        for (bad, shown) in [("", "a column name is empty"), ("a\nb", "column name 'a\\nb' holds a control character"),
                             ("tab\there", "column name 'tab\\there' holds a control character")] {
            let path = try savedSample()
            // With the fingerprint recomputed, as a forger would.
            let renamed = try Dataset(columns: try WorkspaceTests.everyColumnType().columns.map {
                $0.name == "price" ? $0.renamed(bad) : $0
            })
            try modify(path) { database in
                let update = try database.prepare("UPDATE columns SET name = ?1 WHERE name = 'price'")
                try update.bind(bad, at: 1)
                try update.step()
                let refingerprint = try database.prepare("UPDATE datasets SET fingerprint = ?1 WHERE name = 'houses'")
                try refingerprint.bind(renamed.fingerprint, at: 1)
                try refingerprint.step()
            }
            assertModelshError(.data, containing: ["\(path): damaged workspace (dataset 'houses': \(shown))"]) {
                try Workspace.open(path: path)
            }
        }
    }

    func testSavingAColumnNameThatCannotBeOpenedFailsBeforeWriting() throws {
        let path = scratchFile("w.msw")
        let dataset = try Dataset(columns: [.numeric("line\nbreak", [1])])
        assertModelshError(.data, containing: ["\(path): cannot save dataset 'd' (column name 'line\\nbreak' holds a control character)"]) {
            try Workspace.save(WorkspaceContents(datasets: [NamedDataset(name: "d", dataset: dataset)]), to: path)
        }
        XCTAssertEqual(try scratchContents(), [])
    }

    /// A workspace holding dataset "d" and model "m".
    private func savedWithModel() throws -> String {
        let path = scratchFile(UUID().uuidString + ".msw")
        try Workspace.save(WorkspaceContents(datasets: [NamedDataset(name: "d", dataset: try ModelArchiveTests.trainingData())],
                                             models: [NamedModel(name: "m", model: try ModelArchiveTests.fittedModel())]), to: path)
        return path
    }

    func testDatasetsAndModelsShareOneNamespace() throws {
        try assertOpenFails(afterRunning: #"UPDATE models SET name = 'd'; UPDATE versions SET model = 'd', archive = replace(archive, '"name" : "m"', '"name" : "d"')"#,
                            on: try savedWithModel(), containing: [": damaged workspace (the name 'd' is used twice"])
    }

    func testModelRowAndArchiveMustAgreeOnTheName() throws {
        try assertOpenFails(afterRunning: "UPDATE models SET name = 'other'; UPDATE versions SET model = 'other'", on: try savedWithModel(),
                            containing: ["damaged workspace (model 'other' holds the archive of a model named 'm')"])
    }

    // MARK: - Header and tables

    func testEmptyFileSaysSo() throws {
        let path = scratchFile("w.msw")
        try Data().write(to: URL(fileURLWithPath: path))
        assertModelshError(.data, containing: ["\(path): not a modelsh workspace (the file is empty)"]) {
            try Workspace.open(path: path)
        }
    }

    func testApplicationIDAndUserVersionAreChecked() throws {
        try assertOpenFails(afterRunning: "PRAGMA application_id = 1",
                            containing: [": not a modelsh workspace (application_id is 0x1, expected 0x4D534857)"])
        try assertOpenFails(afterRunning: "PRAGMA user_version = 7",
                            containing: [": damaged workspace (user_version is 7 but meta says format version 6)"])
    }

    func testColumnsOfADatasetThatIsNotListedAreAnError() throws {
        try assertOpenFails(
            afterRunning: "INSERT INTO columns SELECT 'ghost', position, name, type, levels, data, missing, checksum FROM columns WHERE dataset = 'long'",
            containing: [": damaged workspace (a column belongs to dataset 'ghost', which is not in table 'datasets')"])
    }

    func testSettingsMustBeTextAndUnique() throws {
        let handMade = "DROP TABLE settings; CREATE TABLE settings (key, value); INSERT INTO settings VALUES "
        try assertOpenFails(afterRunning: handMade + "('timer', 1)",
                            containing: ["damaged workspace (table 'settings', column 'value' holds an integer where text was expected)"])
        try assertOpenFails(afterRunning: handMade + "('timer', 'on'), ('timer', 'off')",
                            containing: ["damaged workspace (setting 'timer' appears twice)"])
    }

    func testTextThatIsNotUTF8IsRefusedNotReplaced() throws {
        try assertOpenFails(afterRunning: "UPDATE cells SET input = CAST(x'6C6FFF' AS TEXT) WHERE number = 1",
                            containing: ["damaged workspace (table 'cells', column 'input' holds text that is not valid UTF-8)"])
    }

    func testValueOfTheWrongTypeInMetaNamesTableAndColumn() throws {
        try assertOpenFails(
            afterRunning: """
                ALTER TABLE meta RENAME TO old_meta;
                CREATE TABLE meta (format, format_version, created_by);
                INSERT INTO meta SELECT format, '1', created_by FROM old_meta;
                """,
            containing: ["damaged workspace (table 'meta', column 'format_version' holds text where an integer was expected)"])
    }
}
