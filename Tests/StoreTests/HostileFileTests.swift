import Diagnostics
import Foundation
import Models
@testable import Store
import Tabular
import XCTest

/// Files crafted to harm (README "Threat model"): each gives one clear error or loads safely as
/// data, never crashes, never allocates what a count claims before checking it against the
/// bytes there, and never writes anything: the file is byte-for-byte the same afterwards and
/// nothing else appears beside it.
final class HostileFileTests: StoreTestCase {
    /// Opens `path` expecting a data error with every fragment, then checks nothing was written.
    private func assertRefused(_ path: String, _ fragments: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let neighbours = try scratchContents()
        assertModelshError(.data, containing: [path] + fragments, file: file, line: line) { try Workspace.open(path: path) }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before, "the file is unchanged", file: file, line: line)
        XCTAssertEqual(try scratchContents(), neighbours, "nothing is written beside it", file: file, line: line)
    }

    /// A newly saved sample after `sql`, resealed (a forger's file) or not (a damaged one).
    private func sample(after sql: String, resealed: Bool = true) throws -> String {
        let path = try savedSample()
        if resealed { try forge(path, sql) } else { try modify(path) { try $0.execute(sql) } }
        return path
    }

    private func savedWithModel() throws -> String {
        let path = scratchFile(UUID().uuidString + ".msw")
        try Workspace.save(WorkspaceContents(datasets: [NamedDataset(name: "d", dataset: try ModelArchiveTests.trainingData())],
                                             models: [NamedModel(name: "m", model: try ModelArchiveTests.fittedModel())],
                                             cells: [CellRecord(number: 1, input: "fit linear d target=y as m", output: "m@1", succeeded: true)]),
                           to: path)
        return path
    }

    // MARK: - Oversized counts

    func testCountsBeyondTheBytesThereAreRefusedBeforeAllocating() throws {
        // 2^40 rows of numbers would be 8 TiB; the blocks are checked against it first.
        try assertRefused(try sample(after: "UPDATE datasets SET row_count = 1099511627776 WHERE name = 'houses'"),
                          ["dataset 'houses'", "block is", "expected"])
        try assertRefused(try sample(after: "UPDATE datasets SET row_count = 9223372036854775807 WHERE name = 'houses'"),
                          ["dataset 'houses' has 9223372036854775807 rows"])
        // A text value claiming 4 GiB of bytes in a block of a few.
        try assertRefused(try sample(after: "UPDATE columns SET data = CAST(x'FFFFFFFF41' || substr(data, 6) AS BLOB) WHERE name = 'note'"),
                          ["column 'note'", "text values"])
        try assertRefused(try sample(after: "UPDATE cells SET number = 4294967296 WHERE number = 3"), ["found 4294967296"])
    }

    // MARK: - Checksums

    func testADamagedBlockNamesItsDatasetAndColumn() throws {
        // Same length, one byte changed: only the checksum can tell.
        try assertRefused(try sample(after: "UPDATE columns SET data = CAST(x'A5' || substr(data, 2) AS BLOB) WHERE name = 'price'", resealed: false),
                          ["damaged workspace (dataset 'houses', column 'price' does not match its checksum (stored '", "computed '"])
        try assertRefused(try sample(after: "UPDATE columns SET missing = zeroblob(length(missing)) WHERE name = 'x'", resealed: false),
                          ["dataset 'long', column 'x' does not match its checksum"])
        try assertRefused(try sample(after: #"UPDATE columns SET levels = '["Oslo","Rome"]' WHERE name = 'city'"#, resealed: false),
                          ["column 'city' does not match its checksum"])
        try assertRefused(try sample(after: "UPDATE cells SET output = 'forged' WHERE number = 1", resealed: false),
                          ["damaged workspace (cell 1 does not match its checksum"])
    }

    func testADamagedModelArchiveNamesItsVersion() throws {
        let path = try savedWithModel()
        try modify(path) { try $0.execute("UPDATE versions SET archive = replace(archive, '\"rowsDropped\" : 0', '\"rowsDropped\" : 1')") }
        try assertRefused(path, ["damaged workspace (the archive of version 'm'@1 does not match its checksum"])
    }

    /// Checksums catch damage, not forgery: a forger's file passes them and is stopped by the
    /// checks behind them (here, the dataset's fingerprint).
    func testAForgedChecksumStillMeetsTheFingerprint() throws {
        try assertRefused(try sample(after: "UPDATE columns SET data = zeroblob(length(data)) WHERE name = 'tiny'"),
                          ["dataset 'houses' does not match its fingerprint"])
    }

    func testAFormatFourFileWithoutChecksumsStillOpens() throws {
        let path = try sample(after: """
            ALTER TABLE columns DROP COLUMN checksum; ALTER TABLE cells DROP COLUMN checksum;
            UPDATE meta SET format_version = 4; PRAGMA user_version = 4;
            """)
        let opened = try Workspace.open(path: path)
        XCTAssertEqual(opened.datasets.map(\.name), try WorkspaceTests.sampleContents().datasets.map(\.name))
        XCTAssertEqual(opened.cells, try WorkspaceTests.sampleContents().cells)
    }

    // MARK: - SQL and paths in names

    func testSQLInADatasetNameIsRefusedAndRunsNothing() throws {
        let name = "x'); DROP TABLE datasets; --"
        let path = try sample(after: "UPDATE datasets SET name = 'x''); DROP TABLE datasets; --' WHERE name = 'long'; UPDATE columns SET dataset = 'x''); DROP TABLE datasets; --' WHERE dataset = 'long'")
        try assertRefused(path, ["dataset name: '\(name)' is not a name"])
    }

    func testPathsInModelNamesAreRefused() throws {
        for name in ["../../etc/passwd", "/tmp/m", "m\u{0}x"] {
            let path = try savedWithModel()
            try forge(path, "UPDATE models SET name = '\(name.replacingOccurrences(of: "\u{0}", with: "' || char(0) || '"))'")
            try assertRefused(path, ["model name: '\(TerminalText.escaped(name))' is not a name"])
        }
    }

    /// Column names are data, not identifiers: SQL, quotes and paths in them survive a save and
    /// an open as text (every value is a bound parameter), and the file keeps all its tables.
    func testSQLAndPathsInColumnNamesAreKeptAsText() throws {
        let names = ["x'); DROP TABLE columns; --", "../../etc/passwd", "a\"b", "/"]
        let dataset = try Dataset(columns: names.map { Column.numeric($0, [1, 2]) })
        let path = scratchFile("w.msw")
        try Workspace.save(WorkspaceContents(datasets: [NamedDataset(name: "d", dataset: dataset)]), to: path)
        let opened = try Workspace.open(path: path)
        XCTAssertEqual(opened.datasets.first?.dataset.columnNames, names)
        XCTAssertEqual(try scratchContents(), ["w.msw"])
        XCTAssertEqual(try Workspace.open(path: path).datasets.count, 1, "no table was dropped")
    }

    // MARK: - Tables

    func testAMissingTableOrColumnIsNamedAndAnExtraColumnIsIgnored() throws {
        try assertRefused(try sample(after: "DROP TABLE aliases"), ["table 'aliases' is missing"])
        try assertRefused(try sample(after: "ALTER TABLE columns DROP COLUMN checksum"), ["no such column: checksum"])
        try assertRefused(try sample(after: "ALTER TABLE cells DROP COLUMN output"), ["no such column: output"])
        let extra = try sample(after: "ALTER TABLE columns ADD COLUMN note TEXT; ALTER TABLE meta ADD COLUMN x INTEGER")
        XCTAssertEqual(try Workspace.open(path: extra).datasets.count, try WorkspaceTests.sampleContents().datasets.count)
    }

    func testANewerFormatIsRefusedByVersion() throws {
        try assertRefused(try sample(after: "UPDATE meta SET format_version = 7; PRAGMA user_version = 7"),
                          ["was written by a newer modelsh (format 7; this build reads up to 6)"])
    }

    // MARK: - Model files

    /// Whole numbers across every kind's model file (sizes, counts, indices, shapes) made huge,
    /// negative or zero in turn, without the checksum: each file is refused with one line or
    /// decodes to a model that passed its checks; none traps or allocates what it claims.
    func testEveryNumberInEveryKindsModelFileIsCheckedBeforeUse() throws {
        let wholeNumber = try NSRegularExpression(pattern: #"(?<=[\[ ])-?[0-9]+(?=,?\n)"#)
        var refused = 0
        for named in try EveryKindRoundTripTests.everyKind().models {
            let text = String(decoding: try ModelArchive.encode(named.model, name: named.name), as: UTF8.self)
                .split(separator: "\n").filter { !$0.contains("\"checksum\"") }.joined(separator: "\n")
            let matches = wholeNumber.matches(in: text, range: NSRange(text.startIndex..., in: text))
            // Up to 15 numbers spread over the file: a forest has thousands, of a few kinds.
            for match in stride(from: 0, to: matches.count, by: max(1, matches.count / 15)).map({ matches[$0] }) {
                let range = Range(match.range, in: text)!
                for replacement in ["4611686018427387904", "-1", "0"] where text[range] != replacement {
                    var tampered = text
                    tampered.replaceSubrange(range, with: replacement)
                    do {
                        _ = try ModelArchive.decode(Data(tampered.utf8), source: "m.json")
                    } catch let error as ModelshError {
                        XCTAssertFalse(error.message.contains("\n"), error.message)
                        refused += 1
                    }
                }
            }
        }
        XCTAssertGreaterThan(refused, 50)
    }

    func testTamperedModelFilesAreRefused() throws {
        let text = String(decoding: try ModelArchive.encode(try ModelArchiveTests.fittedModel(), name: "m"), as: UTF8.self)
        let unsummed = text.split(separator: "\n").filter { !$0.contains("\"checksum\"") }.joined(separator: "\n")
        let cases: [(String, String)] = [
            // A value only the checksum catches; a size the model's own checks catch.
            (text.replacingOccurrences(of: "\"datasetName\" : \"train\"", with: "\"datasetName\" : \"trains\""), "does not match its checksum"),
            (unsummed.replacingOccurrences(of: "\"rowsUsed\" : 12", with: "\"rowsUsed\" : 800000000000"), "observations but training used 800000000000 rows"),
            (unsummed.replacingOccurrences(of: "\"kind\" : \"linear\"", with: "\"kind\" : \"../../bin/sh\""), "unknown model kind '../../bin/sh'"),
            (unsummed.replacingOccurrences(of: "\"name\" : \"m\"\n}", with: "\"name\" : \"m'); DROP TABLE models; --\"\n}"), "is not a name"),
            (unsummed.replacingOccurrences(of: "\"formatVersion\" : 3", with: "\"formatVersion\" : \"3\""), "not a modelsh model file"),
        ]
        for (tampered, fragment) in cases {
            XCTAssertNotEqual(tampered, text)
            assertModelshError(.data, containing: ["m.json", fragment]) { try ModelArchive.decode(Data(tampered.utf8), source: "m.json") }
        }
    }
}
