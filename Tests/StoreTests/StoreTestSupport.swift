import Diagnostics
import Foundation
@testable import Store
import Tabular
import XCTest

/// A test case with a fresh scratch directory per test, removed when the test ends.
class StoreTestCase: XCTestCase {
    private(set) var scratchPath = ""

    override func setUpWithError() throws {
        scratchPath = NSTemporaryDirectory() + "modelsh-store-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: scratchPath, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(atPath: scratchPath)
    }

    func scratchFile(_ name: String) -> String { scratchPath + "/" + name }

    func scratchContents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: scratchPath).sorted()
    }

    /// The sample contents saved to a new file in this test's scratch directory.
    func savedSample() throws -> String {
        let path = scratchFile(UUID().uuidString + ".msw")
        try Workspace.save(try WorkspaceTests.sampleContents(), to: path)
        return path
    }

    /// Runs `sql` on the workspace at `path` (by default a newly saved sample) as a hand-editor
    /// or attacker would, and expects opening it to fail with a data error containing the
    /// file's path and every fragment.
    func assertOpenFails(afterRunning sql: String, on givenPath: String? = nil, containing fragments: [String],
                         file: StaticString = #filePath, line: UInt = #line) throws {
        let path = try givenPath ?? savedSample()
        try forge(path, sql)
        assertModelshError(.data, containing: [path] + fragments, file: file, line: line) {
            try Workspace.open(path: path)
        }
    }

    /// Edits a file in place, as a hand-editor or an attacker would.
    func modify(_ path: String, _ edit: (SQLiteDatabase) throws -> Void) throws {
        let database = try SQLiteDatabase(path: path, displayPath: path, fileKind: "test file", mode: .readWrite)
        try edit(database)
        try database.close()
    }

    /// Runs `sql` on the file, then recomputes every checksum as a forger would (checksums
    /// catch damage, not forgery), so the edit reaches the checks behind them.
    func forge(_ path: String, _ sql: String) throws {
        try modify(path) { database in
            try database.execute(sql)
            try reseal(database)
        }
    }

    /// Recomputes the checksum of every column, version and cell that has one. Tables an edit
    /// replaced without a checksum column, and rows with blocks of the wrong type, are left as
    /// they are: the reader reports those.
    private func reseal(_ database: SQLiteDatabase) throws {
        func resealTable(_ table: String, contents: String, checksum: (SQLiteStatement) throws -> String) throws {
            guard let query = try? database.prepare("SELECT rowid, \(contents), checksum FROM \(table)") else { return }
            var sums: [(Int, String)] = []
            while try query.step() {
                if let sum = try? checksum(query) { sums.append((try query.int(at: 0), sum)) }
            }
            let update = try database.prepare("UPDATE \(table) SET checksum = ?1 WHERE rowid = ?2")
            for (row, sum) in sums {
                try update.bind(sum, at: 1)
                try update.bind(row, at: 2)
                try update.step()
                try update.reset()
            }
        }
        try resealTable("columns", contents: "data, missing, levels") { query in
            let levels = try query.optionalText(at: 3)
            return try query.withBlob(at: 1) { data in
                try query.withBlob(at: 2) { ColumnBlocks(type: "", levels: levels, data: data, missing: $0).checksum }
            }
        }
        try resealTable("versions", contents: "archive") { Checksum.hex(joining: try $0.text(at: 1)) }
        try resealTable("cells", contents: "input, output") { Checksum.hex(joining: try $0.text(at: 1), try $0.text(at: 2)) }
    }
}

/// Fails unless `body` throws a ModelshError of `category` whose message contains every one
/// of `fragments`.
func assertModelshError<T>(_ category: ModelshError.Category, containing fragments: [String],
                           file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> T) {
    do {
        _ = try body()
        XCTFail("expected a \(category) error containing \(fragments)", file: file, line: line)
    } catch let error as ModelshError {
        XCTAssertEqual(error.category, category, "message: \(error.message)", file: file, line: line)
        for fragment in fragments {
            XCTAssertTrue(error.message.contains(fragment), "'\(error.message)' lacks '\(fragment)'", file: file, line: line)
        }
        XCTAssertFalse(error.message.contains("\n"), "errors are one line: \(error.message)", file: file, line: line)
    } catch {
        XCTFail("expected a ModelshError, got \(error)", file: file, line: line)
    }
}

/// Datasets are equal, with numbers compared by bit pattern: `==` on doubles says NaN ≠ NaN,
/// and a workspace must also keep -0.0 and NaN payloads exactly.
func assertIdentical(_ actual: Dataset, _ expected: Dataset, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.rowCount, expected.rowCount, file: file, line: line)
    XCTAssertEqual(actual.columnNames, expected.columnNames, file: file, line: line)
    for (a, e) in zip(actual.columns, expected.columns) {
        XCTAssertEqual(a.type, e.type, a.name, file: file, line: line)
        XCTAssertEqual(a.missing, e.missing, a.name, file: file, line: line)
        if let aNumbers = a.numbers, let eNumbers = e.numbers {
            XCTAssertEqual(aNumbers.map(\.bitPattern), eNumbers.map(\.bitPattern), a.name, file: file, line: line)
        } else {
            XCTAssertEqual(a.storage, e.storage, a.name, file: file, line: line)
        }
    }
}

func fileBytes(_ path: String) throws -> Data {
    try Data(contentsOf: URL(fileURLWithPath: path))
}
