import Diagnostics
import Foundation
import Models
@testable import Store
import XCTest

/// The registry in a workspace file: saved and reopened equal, format-2 files migrated, every
/// tampered registry row refused, and the documented tables readable by sqlite3.
final class RegistryWorkspaceTests: StoreTestCase {
    /// The sample registry with a retired version, a deleted one, an alias, a tuning grid and
    /// two evaluations (one with a NaN metric).
    static func richRegistry() throws -> ModelRegistry {
        var registry = try ModelRegistryTests.sample()
        let time = ModelRegistryTests.time
        let model = try ModelArchiveTests.fittedModel()
        registry.add(model, as: "tuned", origin: VersionOrigin(created: time, cell: 9, command: "tune ridge train target=y alpha=0.1,1 as tuned",
                                                               grid: [GridOption(name: "alpha", values: ["0.1", "1"])]))
        try registry.setRetired(true, ModelVersionID(name: "m", version: 1))
        try registry.delete(ModelVersionID(name: "m", version: 2))
        try registry.setAlias("production", to: ModelVersionID(name: "m", version: 3))
        for (index, r2) in [0.5, Double.nan].enumerated() {
            let record = EvaluationRecord(dataset: "test", fingerprint: "0123456789abcdef",
                                          metrics: [Metric(name: "n", value: 12), Metric(name: "r2", value: r2)],
                                          time: time.addingTimeInterval(Double(index)))
            try registry.appendEvaluation(record, to: ModelVersionID(name: "m", version: 3))
        }
        return registry
    }

    private func savedRegistry() throws -> String {
        let path = scratchFile(UUID().uuidString + ".msw")
        try Workspace.save(WorkspaceContents(datasets: [NamedDataset(name: "d", dataset: try ModelArchiveTests.trainingData())],
                                             registry: try Self.richRegistry()), to: path)
        return path
    }

    func testTheRegistrySurvivesAWorkspaceRoundTrip() throws {
        let opened = try Workspace.open(path: try savedRegistry())
        let expected = try Self.richRegistry()
        // NaN ≠ NaN, so the evaluations are compared by their text.
        XCTAssertEqual(opened.registry.names, expected.names)
        for (name, version) in expected.allVersions {
            let reopened = try XCTUnwrap(opened.registry.version(ModelVersionID(name: name, version: version.number)))
            XCTAssertEqual(reopened.model, version.model)
            XCTAssertEqual(reopened.origin, version.origin)
            XCTAssertEqual(reopened.retired, version.retired)
            XCTAssertEqual("\(reopened.evaluations)", "\(version.evaluations)")
        }
        XCTAssertEqual(opened.registry["m"]?.lastNumber, 3)
        XCTAssertEqual(opened.registry["m"]?.aliases, ["production": 3])
        XCTAssertNil(opened.registry.version(ModelVersionID(name: "m", version: 2)))
    }

    /// Archives are encoded and decoded on several threads: each version must still get its
    /// own model back, in its name's order, whatever the order the work finished in.
    func testEveryVersionKeepsItsOwnModelThroughASave() throws {
        let data = try ModelArchiveTests.trainingData()
        var registry = ModelRegistry()
        var expected: [(String, Model)] = []
        for (name, kind) in [("m", "linear"), ("n", "ridge"), ("m", "ridge"), ("n", "tree"), ("m", "tree")] {
            let model = try ModelCatalogue.fit(kind: kind, data: data, datasetName: "train", target: "y", features: nil, options: [:])
            registry.add(model, as: name, origin: VersionOrigin(created: ModelRegistryTests.time))
            expected.append((name, model))
        }
        let path = scratchFile(UUID().uuidString + ".msw")
        try Workspace.save(WorkspaceContents(datasets: [NamedDataset(name: "d", dataset: data)], registry: registry), to: path)
        let opened = try Workspace.open(path: path).registry
        XCTAssertEqual(opened["m"]?.versions.map(\.model.kind), ["linear", "ridge", "tree"])
        XCTAssertEqual(opened["n"]?.versions.map(\.model.kind), ["ridge", "tree"])
        XCTAssertEqual(opened.allVersions.map(\.version.model), registry.allVersions.map(\.version.model))
    }

    /// A model decoded ahead of the registry's checks is taken only for the very text the
    /// table holds, so what opening gives cannot depend on what was decoded ahead.
    func testAModelDecodedAheadIsTakenOnlyForTheSameText() throws {
        let path = try savedRegistry()
        let reader = RegistryReader(database: try SQLiteDatabase(path: path, displayPath: path, fileKind: "workspace", mode: .readOnly))
        let texts = reader.archiveTexts()
        XCTAssertEqual(texts.map { "\($0.name)@\($0.number)" }.sorted(), ["m@1", "m@3", "other@1", "tuned@1"])
        // m@3 "decoded ahead" from tuned's archive: a different model under m@3's key.
        let tuned = try XCTUnwrap(texts.first { $0.name == "tuned" })
        let stale = texts.map { $0.name == "m" && $0.number == 3 ? ArchiveText(name: "m", number: 3, archive: tuned.archive) : $0 }
        XCTAssertNotEqual(tuned.archive, texts.first { $0.name == "m" && $0.number == 3 }?.archive)
        let registry = try reader.read(formatVersion: Workspace.formatVersion, decoded: RegistryReader.decodedArchives(stale, source: path))
        let expected = try Self.richRegistry()
        for (name, version) in expected.allVersions {
            XCTAssertEqual(registry.version(ModelVersionID(name: name, version: version.number))?.model, version.model)
        }
    }

    func testAFormatThreeWorkspaceOpensWithoutMonitoringEntries() throws {
        let path = try savedRegistry()
        try modify(path) {
            try $0.execute("DROP TABLE monitoring_metrics; DROP TABLE monitoring; UPDATE meta SET format_version = 3; PRAGMA user_version = 3;")
        }
        let registry = try Workspace.open(path: path).registry
        XCTAssertEqual(registry.names, try Self.richRegistry().names)
        XCTAssertTrue(registry.allVersions.allSatisfy { $0.version.monitoring.isEmpty })
    }

    func testAFormatTwoWorkspaceOpensWithEachModelAsVersionOne() throws {
        let path = try savedRegistry()
        // What modelsh 0.2 wrote: one models row per name holding its archive, no registry tables.
        try modify(path) {
            try $0.execute("""
                CREATE TABLE old_models (name TEXT PRIMARY KEY, position INTEGER NOT NULL UNIQUE, kind TEXT NOT NULL, archive TEXT NOT NULL) STRICT;
                INSERT INTO old_models SELECT m.name, m.position, v.kind, v.archive FROM models m JOIN versions v ON v.model = m.name
                    AND v.version = (SELECT max(version) FROM versions WHERE model = m.name);
                DROP TABLE monitoring_metrics; DROP TABLE monitoring; DROP TABLE models; DROP TABLE versions; DROP TABLE evaluations; DROP TABLE metrics; DROP TABLE aliases;
                ALTER TABLE old_models RENAME TO models;
                UPDATE meta SET format_version = 2; PRAGMA user_version = 2;
                """)
        }
        let registry = try Workspace.open(path: path).registry
        XCTAssertEqual(registry.names, ["m", "other", "tuned"])
        for name in registry.names {
            XCTAssertEqual(registry[name]?.versions.map(\.number), [1])
            XCTAssertEqual(registry[name]?.versions[0].origin, VersionOrigin(created: nil))
        }
        XCTAssertEqual(registry["m"]?.versions[0].model, try ModelArchiveTests.fittedModel())
    }

    func testTamperedRegistryRowsAreRefused() throws {
        let cases: [(sql: String, message: String)] = [
            ("UPDATE versions SET version = 5 WHERE model = 'm' AND version = 3", "version 'm'@5 is outside 1…3, the model's last_version"),
            ("UPDATE versions SET model = 'ghost' WHERE model = 'other'", "version 'ghost'@1 belongs to no model in table 'models'"),
            ("DELETE FROM versions WHERE model = 'other'", "model 'other' has no versions"),
            ("UPDATE versions SET kind = 'ridge' WHERE model = 'other'", "version 'other'@1 does not match its archive"),
            ("UPDATE versions SET data_rows = 1 WHERE model = 'other'", "version 'other'@1 does not match its archive"),
            ("UPDATE versions SET created = 'yesterday' WHERE model = 'other'", "version 'other'@1 has created 'yesterday'"),
            ("PRAGMA ignore_check_constraints = ON; UPDATE versions SET retired = 2 WHERE model = 'other'", "version 'other'@1 has retired = 2"),
            ("UPDATE versions SET parent_version = NULL WHERE model = 'other'", "version 'other'@1 has a parent model without a parent version"),
            ("UPDATE versions SET grid = '{}' WHERE model = 'tuned'", "version 'tuned'@1 has a grid that is not a JSON array"),
            ("UPDATE models SET last_version = 0 WHERE name = 'm'", "model 'm' has last_version 0"),
            ("UPDATE evaluations SET version = 1 WHERE position = 0", "evaluation 1 of version 'm'@3 is out of sequence"),
            ("UPDATE evaluations SET position = 4 WHERE position = 1", "evaluation 4 of version 'm'@3 is out of sequence"),
            ("UPDATE evaluations SET model = 'nobody'", "an evaluation belongs to version 'nobody'@3, which is not in table 'versions'"),
            ("UPDATE evaluations SET time = '2026' WHERE position = 0", "evaluation 0 of version 'm'@3 has time '2026'"),
            ("UPDATE metrics SET name = 'r 2' WHERE name = 'r2' AND evaluation = 0", "metric name 'r 2' (empty, not a name, or twice)"),
            ("DELETE FROM metrics WHERE evaluation = 1", "an evaluation of version 'm'@3 has no metrics"),
            ("UPDATE metrics SET evaluation = 7 WHERE evaluation = 1", "a metric belongs to evaluation 7 of version 'm'@3"),
            ("UPDATE aliases SET version = 2", "alias 'production' belongs to version 'm'@2, which is not in table 'versions'"),
            ("UPDATE aliases SET alias = '2nd'", "model 'm' has alias '2nd', which is not a name"),
            ("INSERT INTO models VALUES ('d', 9, 1); INSERT INTO versions SELECT 'd', 1, kind, task, target, features, parameters, data_name, data_fingerprint, data_rows, data_columns, created, cell, command, NULL, NULL, NULL, 0, replace(archive, '\"name\" : \"other\"', '\"name\" : \"d\"'), '' FROM versions WHERE model = 'other'",
             "the name 'd' is used twice"),
        ]
        for (sql, message) in cases {
            try assertOpenFails(afterRunning: sql, on: try savedRegistry(), containing: [": damaged workspace (", message])
        }
    }

    /// The README's "Registry schema" promises sqlite3 can answer registry questions directly.
    func testTheSQLiteShellCanQueryTheRegistry() throws {
        guard let sqlite3 = ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3"].first(where: FileManager.default.isExecutableFile) else {
            throw XCTSkip("the sqlite3 command-line shell is not installed (make test installs it)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sqlite3)
        process.arguments = ["-readonly", try savedRegistry(), """
            SELECT model || '@' || version, kind, target, retired, coalesce(parent_model || '@' || parent_version, '-'),
                   json_array_length(features), created FROM versions ORDER BY model, version;
            SELECT a.model || '@' || a.alias, a.version FROM aliases a;
            SELECT e.model || '@' || e.version, e.dataset, m.name, coalesce(m.value, 'NaN') FROM evaluations e
                JOIN metrics m ON m.model = e.model AND m.version = e.version AND m.evaluation = e.position
                WHERE m.name = 'r2' ORDER BY e.position;
            SELECT json_extract(grid, '$[0].values[1]') FROM versions WHERE grid IS NOT NULL;
            """]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertEqual(text, """
            m@1|linear|y|1|-|3|2026-01-01T00:00:00Z
            m@3|linear|y|0|-|3|2026-01-01T00:00:00Z
            other@1|linear|y|0|m@2|3|2026-01-01T00:00:00Z
            tuned@1|linear|y|0|-|3|2026-01-01T00:00:00Z
            m@production|3
            m@3|test|r2|0.5
            m@3|test|r2|NaN
            1

            """)
    }
}
