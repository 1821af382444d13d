import Foundation
import XCTest

/// `modelsh export FILE.msh to FILE.html`, run as a user would: the script's errors on stderr,
/// its output only in the notebook, exit 65 when a command failed (the notebook still written).
final class NotebookCommandLineTests: XCTestCase {
    func testExportRunsTheScriptThenWritesItsNotebook() throws {
        // `swift build` puts the executable beside the test bundle.
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("modelsh").path
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw XCTSkip("no modelsh executable at \(executable): run `swift build` first")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("modelsh-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "set bail off\nshow <oops>\nset digits 4\n".write(to: directory.appendingPathComponent("s.msh"), atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["export", "s.msh", "to", "s.html"]
        process.currentDirectoryURL = directory
        let (output, errors) = (Pipe(), Pipe())
        (process.standardOutput, process.standardError) = (output, errors)
        try process.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()

        XCTAssertEqual(process.terminationStatus, 65, "a command failed")
        XCTAssertEqual(printed, "exported 3 cells of s.msh to s.html\n")
        XCTAssertTrue(errorText.hasPrefix("s.msh:2:6: error: "), errorText)
        let html = try String(contentsOf: directory.appendingPathComponent("s.html"), encoding: .utf8)
        for cell in 1...3 { XCTAssertTrue(html.contains("id=\"cell-\(cell)\""), "cell \(cell)") }
        XCTAssertTrue(html.contains("show &lt;oops&gt;"))
    }
}
