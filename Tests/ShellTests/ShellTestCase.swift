import Diagnostics
import Foundation
@testable import Shell
import XCTest

/// A session in the repository's `sessions/` folder (where the sample data is), with helpers
/// to run commands and read what they printed.
class ShellTestCase: XCTestCase {
    var sink: CapturingSink!
    var session: Session!
    private var previousDirectory: String!

    static let sessionsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("sessions").path

    override func setUp() {
        super.setUp()
        previousDirectory = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(Self.sessionsDirectory)
        sink = CapturingSink()
        session = Session(sink: sink)
    }

    override func tearDown() {
        FileManager.default.changeCurrentDirectoryPath(previousDirectory)
        super.tearDown()
    }

    /// Runs `source` and returns what it printed; fails the test if it did not succeed.
    @discardableResult
    func run(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        let status = session.execute(source)
        let output = sink.take().joined(separator: "\n")
        XCTAssertEqual(status, .ok, "\(source) failed:\n\(output)", file: file, line: line)
        return output
    }

    /// Runs `source`, which must fail, and returns the error and what was printed.
    @discardableResult
    func fail(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> (error: ModelshError?, output: String) {
        let status = session.execute(source)
        let output = sink.take().joined(separator: "\n")
        guard case .failed(let error) = status else {
            XCTFail("\(source) should have failed but printed:\n\(output)", file: file, line: line)
            return (nil, output)
        }
        return (error, output)
    }

    func temporaryPath(_ name: String) -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("modelsh-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        return directory.appendingPathComponent(name).path
    }
}
