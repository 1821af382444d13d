import Diagnostics
import Foundation
import Models
@testable import Store
import Tabular
import XCTest

final class WorkspaceTests: StoreTestCase {
    // MARK: - Fixtures

    /// Every column type, with missing values, NaN that is a value, -0.0, a NaN payload,
    /// empty text that is a value next to empty text that is missing, and non-ASCII text.
    static func everyColumnType() throws -> Dataset {
        let payloadNaN = Double(bitPattern: 0x7FF8_0000_0000_0BAD)
        var priceMissing = MissingMask(count: 6)
        priceMissing[1] = true
        var noteMissing = MissingMask(count: 6)
        noteMissing[1] = true
        return try Dataset(columns: [
            .numeric("rooms", [1, 2, .nan, -7, 0, 1e15], type: .integer),
            Column(name: "price", type: .numeric,
                   storage: .numbers([1.5, .nan, .nan, -0.0, .infinity, payloadNaN]), missing: priceMissing),
            .numeric("tiny", [.leastNonzeroMagnitude, -.greatestFiniteMagnitude, .leastNormalMagnitude, .pi, -.infinity, 0.1]),
            .numeric("sold", [1, 0, 1, .nan, 0, 1], type: .boolean),
            .categorical("city", ["Oslo", nil, "Zürich", "Oslo", "東京", nil]),
            Column(name: "note", type: .text,
                   storage: .strings(["", "", "naïve café 🚀", "line\nbreak", "tab\t\"quoted\"", "nul\u{0}inside"]),
                   missing: noteMissing),
        ])
    }

    /// 130 rows, so missing masks span three words and end mid-word.
    static func longDataset() throws -> Dataset {
        let values = (0..<130).map { row in [63, 64, 129].contains(row) ? Double.nan : Double(row) * 0.37 }
        let labels = (0..<130).map { row in row % 7 == 0 ? nil : "level \(row % 5)" }
        return try Dataset(columns: [.numeric("x", values), .categorical("label", labels)])
    }

    static func emptyDatasets() throws -> [NamedDataset] {
        let noRows = try Dataset(columns: [
            .numeric("n", []),
            .categorical("c", []),
            Column(name: "t", type: .text, storage: .strings([]), missing: MissingMask(count: 0)),
        ])
        return [NamedDataset(name: "no_rows", dataset: noRows),
                NamedDataset(name: "no_columns", dataset: try Dataset(columns: []))]
    }

    static func sampleContents() throws -> WorkspaceContents {
        WorkspaceContents(
            datasets: [NamedDataset(name: "houses", dataset: try everyColumnType()),
                       NamedDataset(name: "long", dataset: try longDataset())] + (try emptyDatasets()),
            cells: [CellRecord(number: 1, input: "load \"h.csv\" as houses", output: "houses: 6 rows", succeeded: true),
                    CellRecord(number: 2, input: "fit tree houses", output: "", succeeded: false),
                    CellRecord(number: 3, input: "describe houses # ünïcode", output: "a\nb\n", succeeded: true)],
            settings: ["timer": "off", "seed": "42", "tolerance": "1e-9"])
    }

    // MARK: - Round trip

    func testRoundTripKeepsEveryDatasetCellAndSettingExactly() throws {
        let path = scratchFile("w.msw")
        let saved = try Self.sampleContents()
        try Workspace.save(saved, to: path)
        let opened = try Workspace.open(path: path)

        XCTAssertEqual(opened.datasets.map(\.name), saved.datasets.map(\.name))
        for (actual, expected) in zip(opened.datasets, saved.datasets) {
            assertIdentical(actual.dataset, expected.dataset)
        }
        XCTAssertEqual(opened.cells, saved.cells)
        XCTAssertEqual(opened.settings, saved.settings)
        XCTAssertEqual(opened.models, [])
        XCTAssertEqual(try scratchContents(), ["w.msw"], "no temporary file is left behind")
    }

    func testDatasetsWithoutNaNCompareEqualAfterRoundTrip() throws {
        let path = scratchFile("w.msw")
        let dataset = try Dataset(columns: [.numeric("a", [1, 2.5, -0.0]), .categorical("b", ["x", nil, "y"])])
        try Workspace.save(WorkspaceContents(datasets: [NamedDataset(name: "d", dataset: dataset)]), to: path)
        XCTAssertEqual(try Workspace.open(path: path).datasets, [NamedDataset(name: "d", dataset: dataset)])
    }

    func testNaNValueAndMissingValueStayDistinct() throws {
        let path = scratchFile("w.msw")
        try Workspace.save(try Self.sampleContents(), to: path)
        let price = try XCTUnwrap(try Workspace.open(path: path).datasets[0].dataset.column(named: "price"))
        XCTAssertTrue(price.isMissing(1))
        XCTAssertFalse(price.isMissing(2), "a NaN that is not marked missing is a value")
        XCTAssertTrue(price.numbers![2].isNaN)
        let note = try XCTUnwrap(try Workspace.open(path: path).datasets[0].dataset.column(named: "note"))
        XCTAssertEqual(note.text(at: 0), "", "empty text is a value")
        XCTAssertNil(note.text(at: 1), "empty text marked missing is missing")
    }

    func testSavingOverAnExistingWorkspaceReplacesIt() throws {
        let path = scratchFile("w.msw")
        try Workspace.save(try Self.sampleContents(), to: path)
        try Workspace.save(WorkspaceContents(settings: ["only": "this"]), to: path)
        let opened = try Workspace.open(path: path)
        XCTAssertEqual(opened.datasets.count, 0)
        XCTAssertEqual(opened.settings, ["only": "this"])
    }

    // MARK: - Crash safety

    func testSaveFailingBeforeCommitLeavesTheOldFileByteIdentical() throws {
        let path = scratchFile("w.msw")
        try Workspace.save(try Self.sampleContents(), to: path)
        let before = try fileBytes(path)

        struct Interrupted: Error {}
        var changed = try Self.sampleContents()
        changed.settings["timer"] = "on"
        XCTAssertThrowsError(try WorkspaceWriter.save(changed, to: path, beforeCommit: { throw Interrupted() })) {
            XCTAssertTrue($0 is Interrupted)
        }
        XCTAssertEqual(try fileBytes(path), before)
        XCTAssertEqual(try scratchContents(), ["w.msw"])
    }

    func testDatasetThatCannotBeEncodedFailsTheSaveAndKeepsTheOldFile() throws {
        let path = scratchFile("w.msw")
        try Workspace.save(try Self.sampleContents(), to: path)
        let before = try fileBytes(path)

        let inconsistent = try Dataset(columns: [
            Column(name: "x", type: .text, storage: .numbers([1, 2]), missing: MissingMask(count: 2)),
        ])
        var changed = try Self.sampleContents()
        changed.datasets.append(NamedDataset(name: "bad", dataset: inconsistent))
        assertModelshError(.software, containing: ["w.msw", "dataset 'bad'", "column 'x'"]) {
            try Workspace.save(changed, to: path)
        }
        XCTAssertEqual(try fileBytes(path), before)
        XCTAssertEqual(try scratchContents(), ["w.msw"])
    }

    func testSavingIntoAMissingDirectoryIsAnIOError() throws {
        assertModelshError(.io, containing: ["nowhere/w.msw", "cannot write"]) {
            try Workspace.save(WorkspaceContents(), to: scratchFile("nowhere/w.msw"))
        }
    }

    // MARK: - Bad files

    func testMissingFileIsNoInput() throws {
        assertModelshError(.noInput, containing: ["absent.msw", "No such file"]) {
            try Workspace.open(path: scratchFile("absent.msw"))
        }
    }

    func testRandomBytesAreNotAWorkspace() throws {
        let path = scratchFile("w.msw")
        var generator = SystemRandomNumberGenerator()
        try Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }).write(to: URL(fileURLWithPath: path))
        assertModelshError(.data, containing: ["\(path): not a modelsh workspace (file is not a database)"]) {
            try Workspace.open(path: path)
        }
    }

    func testTruncatedFileIsAClearDataError() throws {
        let path = scratchFile("w.msw")
        let big = try Dataset(columns: [.numeric("x", (0..<20_000).map(Double.init))])
        try Workspace.save(WorkspaceContents(datasets: [NamedDataset(name: "big", dataset: big)]), to: path)
        let whole = try fileBytes(path)
        // Losing only the unused tail of the last page loses no data, so cut off whole pages.
        for keep in [50, 4096, whole.count / 2, whole.count - 8192] {
            try whole.prefix(keep).write(to: URL(fileURLWithPath: path))
            assertModelshError(.data, containing: ["\(path): damaged workspace (database disk image is malformed)"]) {
                try Workspace.open(path: path)
            }
        }
    }

    func testSQLiteFileWithoutOurTablesIsNotAWorkspace() throws {
        let path = scratchFile("other.db")
        try modify(path) { try $0.execute("CREATE TABLE people (name TEXT)") }
        assertModelshError(.data, containing: ["\(path): not a modelsh workspace (it has no modelsh meta table)"]) {
            try Workspace.open(path: path)
        }
    }

    func testOtherFormatInMetaIsNotAWorkspace() throws {
        try assertOpenFails(afterRunning: "UPDATE meta SET format = 'someone-else'", containing: ["not a modelsh workspace (format is 'someone-else'"])
    }

    func testNewerFormatVersionIsRefusedClearly() throws {
        try assertOpenFails(afterRunning: "UPDATE meta SET format_version = 7", containing: [" was written by a newer modelsh (format 7; this build reads up to 6)"])
    }

    func testFormatOneFromModelsh01IsRefusedWithAReason() throws {
        try assertOpenFails(afterRunning: "UPDATE meta SET format_version = 1; PRAGMA user_version = 1",
                            containing: [" was written by modelsh 0.1 (workspace format 1); this build reads formats 2 to 6"])
    }

    func testTamperedBlobLengthNamesDatasetAndColumn() throws {
        let path = try savedSample()
        try forge(path, "UPDATE columns SET data = substr(data, 1, length(data) - 3) WHERE name = 'price'")
        assertModelshError(.data, containing: [path, "dataset 'houses', column 'price'", "data block is 45 bytes, expected 48"]) {
            try Workspace.open(path: path)
        }
    }

    func testTruncatedTextBlockAndShortMaskAreCaught() throws {
        try assertOpenFails(afterRunning: "UPDATE columns SET data = substr(data, 1, 10) WHERE name = 'note'",
                            containing: ["column 'note'", "text values"])
        try assertOpenFails(afterRunning: "UPDATE columns SET missing = x'00' WHERE name = 'x'", containing: ["dataset 'long', column 'x'", "missing-value block is 1 bytes, expected 24"])
    }

    func testCodeOutsideTheLevelsIsCaught() throws {
        try assertOpenFails(afterRunning: "UPDATE columns SET levels = '[\"Oslo\"]' WHERE name = 'city'", containing: ["column 'city'", "code 1 in row 3 is not one of its 1 levels"])
    }

    func testChangedBytesOfTheRightLengthFailTheFingerprint() throws {
        try assertOpenFails(afterRunning: "UPDATE columns SET data = zeroblob(length(data)) WHERE name = 'tiny'", containing: ["dataset 'houses' does not match its fingerprint"])
    }

    func testViewInPlaceOfATableIsRefused() throws {
        let path = try savedSample()
        try modify(path) {
            try $0.execute("DROP TABLE settings; CREATE VIEW settings AS SELECT 'k' AS key, 'v' AS value")
        }
        assertModelshError(.data, containing: [path, "'settings' is a view, not a table"]) {
            try Workspace.open(path: path)
        }
    }

    func testVirtualTableInPlaceOfATableIsRefused() throws {
        try assertOpenFails(afterRunning: "DROP TABLE cells; CREATE VIRTUAL TABLE cells USING rtree(number, a, b)", containing: ["'cells' is a virtual table, not a table"])
    }

    func testValueOfTheWrongTypeIsCaughtNotConverted() throws {
        let path = try savedSample()
        // A hand-made non-STRICT copy of the datasets table, so SQLite accepts text there.
        try modify(path) {
            try $0.execute("""
                ALTER TABLE datasets RENAME TO old_datasets;
                CREATE TABLE datasets (name, position, row_count, fingerprint);
                INSERT INTO datasets SELECT name, position, 'many', fingerprint FROM old_datasets;
                """)
        }
        assertModelshError(.data, containing: ["table 'datasets', column 'row_count' holds text where an integer was expected"]) {
            try Workspace.open(path: path)
        }
    }

    // MARK: - Other tools

    func testTheSQLiteShellCanReadTheFile() throws {
        guard let sqlite3 = ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3"].first(where: FileManager.default.isExecutableFile) else {
            throw XCTSkip("the sqlite3 command-line shell is not installed")
        }
        let path = try savedSample()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sqlite3)
        process.arguments = ["-readonly", path, """
            PRAGMA integrity_check;
            SELECT format, format_version FROM meta;
            SELECT name, row_count FROM datasets ORDER BY position;
            SELECT count(*) FROM cells;
            """]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertEqual(text, "ok\nmodelsh-workspace|6\nhouses|6\nlong|130\nno_rows|0\nno_columns|0\n3\n")
    }
}

/// A model of every kind in the catalogue survives a workspace and a model file: the same value,
/// the same predictions bit for bit.
final class EveryKindRoundTripTests: XCTestCase {
    /// A model of every kind in the catalogue, named `m_KIND`, and the data they were fitted on.
    static func everyKind() throws -> (data: Dataset, models: [NamedModel]) {
        let rows = 60
        let data = try Dataset(columns: [
            Column.numeric("y", (0 ..< rows).map { Double($0 % 7) + 0.25 * Double($0 % 3) }),
            Column.numeric("x", (0 ..< rows).map { sin(Double($0)) }),
            Column.numeric("z", (0 ..< rows).map { Double($0 % 5) }),
            Column.categorical("g", (0 ..< rows).map { ["a", "b", "c"][$0 % 3] }),
            Column.categorical("label", (0 ..< rows).map { $0 % 4 == 0 || $0 % 7 == 1 ? "yes" : "no" }),
        ])
        var models: [NamedModel] = []
        for kind in ModelCatalogue.kinds {
            let target: String? = kind.tasks.allSatisfy { !$0.hasTarget } ? nil : kind.tasks.first == .classification || kind.name == "sgd" ? "label" : "y"
            var options: [String: String] = [:]
            if kind.name == "sgd" { options = ["task": "classification", "max_epochs": "30"] }
            if kind.name == "kmeans" { options = ["k": "3"] }
            let model = try ModelCatalogue.fit(kind: kind.name, data: data, datasetName: "d", target: target, features: ["x", "z", "g"], options: options)
            models.append(NamedModel(name: "m_\(kind.name)", model: model))
        }
        return (data, models)
    }

    func testEveryKindSurvivesAWorkspaceAndAModelFile() throws {
        let (data, models) = try Self.everyKind()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("every-kind-\(UUID().uuidString).msw").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Workspace.save(WorkspaceContents(datasets: [NamedDataset(name: "d", dataset: data)], models: models), to: path)
        let opened = try Workspace.open(path: path)
        XCTAssertEqual(opened.models.map(\.name), models.map(\.name))
        for (reopened, original) in zip(opened.models, models) {
            XCTAssertEqual(reopened.model, original.model, original.name)
            XCTAssertEqual(try reopened.model.predict(on: data).numbers.map(\.bitPattern), try original.model.predict(on: data).numbers.map(\.bitPattern), original.name)
            let (_, fromFile) = try ModelArchive.decode(try ModelArchive.encode(original.model, name: original.name), source: "m.json")
            XCTAssertEqual(fromFile, original.model, original.name)
        }
    }
}
