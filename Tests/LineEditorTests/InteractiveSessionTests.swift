import Foundation
import XCTest

/// Drives the real `modelsh` on a pseudo-terminal: history across sessions, Tab completion of
/// column names, Ctrl-C discarding the line being edited.
final class InteractiveSessionTests: XCTestCase {
    private static let upArrow = "\u{1B}[A"
    private static let ctrlC = "\u{3}"
    private static let ctrlD = "\u{4}"
    private static let ctrlU = "\u{15}"
    private static let loadIris = #"load "data/iris.csv" as iris"#

    private var executable = ""
    private var home: URL!

    override func setUpWithError() throws {
        #if !os(Linux)
        throw XCTSkip("uses util-linux script to make the pseudo-terminal")
        #endif
        // `swift build` puts the executable beside the test bundle.
        let buildDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        executable = buildDirectory.appendingPathComponent("modelsh").path
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw XCTSkip("no modelsh executable at \(executable): run `swift build` first")
        }
        guard FileManager.default.isExecutableFile(atPath: PseudoTerminalSession.scriptPath) else {
            throw XCTSkip("no \(PseudoTerminalSession.scriptPath) (util-linux) to make a pseudo-terminal")
        }
        home = FileManager.default.temporaryDirectory.appendingPathComponent("modelsh-pty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let home { try FileManager.default.removeItem(at: home) }
    }

    func testHistoryRecallsAStatementFromAnEarlierSession() throws {
        let first = try startSession()
        try first.enter(Self.loadIris)
        let warning = try first.enter("quit")
        XCTAssertTrue(warning.contains("unsaved changes"), "the first quit should warn:\n\(first.screen.text)")
        first.type("quit\r")
        XCTAssertEqual(try first.waitForExit(), 0)
        let historyFile = home.appendingPathComponent("state/modelsh/history")
        let history = try String(contentsOf: historyFile, encoding: .utf8)
        XCTAssertTrue(history.contains(#""data/iris.csv""#), "history file:\n\(history)")

        let second = try startSession()
        // Up twice: past `quit` if the shell keeps it; at the oldest entry a second Up just beeps.
        second.type(Self.upArrow + Self.upArrow)
        try second.waitUntil("the recalled statement") { $0.cursorLine.hasSuffix(Self.loadIris) }
        try second.enter("")
        let variables = try second.enter("vars")
        XCTAssertTrue(variables.split(separator: "\n").contains { $0.split(separator: " ").first == "iris" },
                      "vars after the recalled load:\n\(second.screen.text)")
        try second.enter("quit")
        second.type("quit\r")
        XCTAssertEqual(try second.waitForExit(), 0)
    }

    func testTabCompletesColumnNames() throws {
        let session = try startSession()
        try session.enter(Self.loadIris)

        session.type("fit linear iris target=Sep\t")
        try session.waitUntil("the common prefix of Sepal.Length and Sepal.Width") {
            $0.cursorLine.hasSuffix("target=Sepal.")
        }
        session.type("\t")
        try session.waitUntil("both candidates listed above the redrawn line") { screen in
            let listing = screen.line(screen.cursorRow - 1)
            return listing.contains("Sepal.Length") && listing.contains("Sepal.Width")
                && screen.cursorLine.hasSuffix("target=Sepal.")
        }

        session.type(Self.ctrlU + "fit linear iris target=Petal.W\t")
        try session.waitUntil("the only candidate, Petal.Width") { $0.cursorLine.hasSuffix("target=Petal.Width") }

        session.type(Self.ctrlU)
        try session.enter("quit")
        session.type("quit\r")
        XCTAssertEqual(try session.waitForExit(), 0)
    }

    func testCtrlCDiscardsTheLineBeingEdited() throws {
        let session = try startSession()
        session.type("garbage")
        try session.waitUntil("the typed text") { $0.cursorLine.hasSuffix("garbage") }
        session.type(Self.ctrlC)
        try session.waitForPrompt()

        let output = try session.enter("vars")
        XCTAssertFalse(output.contains("garbage"), "the discarded line ran:\n\(session.screen.text)")
        XCTAssertFalse(output.lowercased().contains("error"), "vars failed:\n\(session.screen.text)")
        session.type(Self.ctrlD)
        XCTAssertEqual(try session.waitForExit(), 0)
    }

    func testCtrlCStopsARunningCommandAndKeepsTheSession() throws {
        // Large enough that reading it takes seconds in a debug build.
        let path = home.appendingPathComponent("big.csv").path
        var text = "a,b,c\n"
        text.reserveCapacity(40_000_000)
        for row in 0 ..< 3_000_000 { text += "\(row),\(row % 7).5,x\(row % 3)\n" }
        try text.write(toFile: path, atomically: false, encoding: .utf8)

        let session = try startSession()
        try session.enter(Self.loadIris)
        session.type("load \"\(path)\" as big\r")
        // Once the cursor has left the command's line, the shell has read it and is running it.
        try session.waitUntil("the load to start") { $0.text.contains("as big") && !$0.cursorLine.contains("as big") }
        session.type(Self.ctrlC)
        try session.waitUntil("the interrupted load") { $0.text.contains("error: interrupted") }
        try session.waitForPrompt()
        let variables = try session.enter("vars")
        XCTAssertTrue(variables.contains("iris"), "the session lost what it had:\n\(session.screen.text)")
        XCTAssertFalse(variables.contains("big"), "the interrupted load was kept:\n\(session.screen.text)")
        try session.enter("quit")
        session.type("quit\r")
        XCTAssertEqual(try session.waitForExit(), 0)
    }

    /// The shell in `sessions/` of the repository (where `data/iris.csv` is), with its history
    /// and state in a fresh directory, at its first prompt.
    private func startSession() throws -> PseudoTerminalSession {
        let repository = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let session = try PseudoTerminalSession(
            executable: executable,
            workingDirectory: repository.appendingPathComponent("sessions").path,
            environment: [
                "HOME": home.path,
                "XDG_STATE_HOME": home.appendingPathComponent("state").path,
                "NO_COLOR": "1",
                "TERM": "xterm",
                "PATH": "/usr/bin:/bin",
            ])
        try session.waitForPrompt()
        return session
    }
}
