import Diagnostics
import Foundation
import Tabular
import XCTest

/// Reads CSV text as if from a file called `t.csv`.
func readCSV(_ text: String, options: CSVOptions = CSVOptions()) throws -> Dataset {
    try CSVReader.read(bytes: Array(text.utf8), sourceName: "t.csv", options: options)
}

/// The path of a file in `sessions/data`, found from this source file's place in the repository.
func sampleDataPath(_ name: String) -> String {
    URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("sessions/data/\(name)").path
}

/// A new empty folder under the system's temporary folder; the caller removes it.
func temporaryFolder() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("tabular-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    return path
}

/// A test case whose tests write files into a folder of their own (`directory`), made before
/// each test and removed after it.
class FileTestCase: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = URL(fileURLWithPath: try temporaryFolder())
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Asserts that `body` throws a `ModelshError` of `category` whose message is exactly `message`.
func assertError<T>(
    _ body: @autoclosure () throws -> T, _ category: ModelshError.Category, _ message: String,
    file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertThrowsError(try body(), file: file, line: line) { error in
        guard let error = error as? ModelshError else {
            return XCTFail("expected a ModelshError, got \(error)", file: file, line: line)
        }
        XCTAssertEqual(error.category, category, file: file, line: line)
        XCTAssertEqual(error.message, message, file: file, line: line)
    }
}

extension Column {
    /// Every value as `show` prints it, nil where missing.
    var texts: [String?] { (0..<count).map { text(at: $0) } }
}

extension Dataset {
    /// The column called `name`; fails the test (by crashing it) if there is none.
    subscript(name: String) -> Column { column(named: name)! }
}
