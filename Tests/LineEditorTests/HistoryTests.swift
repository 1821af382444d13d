import Foundation
import XCTest
import LineEditor

final class HistoryTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("modelsh-history-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: directory)
    }

    func testDefaultPathPrefersXDGStateHomeAndCreatesTheDirectory() throws {
        let state = directory.appendingPathComponent("xdg/state").path
        let path = HistoryLocation.defaultPath(environment: ["XDG_STATE_HOME": state, "HOME": "/nonexistent"])
        XCTAssertEqual(path, state + "/modelsh/history")
        var isDirectory: ObjCBool = false
        XCTAssertTrue(FileManager.default.fileExists(atPath: state + "/modelsh", isDirectory: &isDirectory))
        XCTAssertTrue(isDirectory.boolValue)
    }

    func testDefaultPathFallsBackToHomeAndIgnoresARelativeXDGStateHome() {
        let home = directory.path
        XCTAssertEqual(HistoryLocation.defaultPath(environment: ["XDG_STATE_HOME": "relative", "HOME": home]),
                       home + "/.local/state/modelsh/history")
        XCTAssertNil(HistoryLocation.defaultPath(environment: [:]))
    }

    func testEachStatementIsOneEntryRepeatsAreDroppedAndTheFileIsReloaded() throws {
        let file = directory.appendingPathComponent("history").path
        let first = try XCTUnwrap(EditLineReader(programName: "modelsh", historyFile: file) { _ in .none })
        first.addToHistory("vars")
        first.addToHistory("vars")
        first.addToHistory("fit linear iris \\\ntarget=Species")
        first.addToHistory("   ")
        let second = try XCTUnwrap(EditLineReader(programName: "modelsh", historyFile: file) { _ in .none })
        second.addToHistory("fit linear iris \\\ntarget=Species")
        second.addToHistory("summary m")

        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
        // libedit's file format escapes spaces, backslashes and newlines inside an entry.
        XCTAssertEqual(lines, [
            "_HiStOrY_V2_", "vars", #"fit\040linear\040iris\040\134\012target=Species"#, #"summary\040m"#,
        ])
    }
}
