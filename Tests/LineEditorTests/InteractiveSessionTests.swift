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

    func testAJournalLeftByACrashIsOfferedAtStart() throws {
        let state = home.appendingPathComponent("state/modelsh")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        let sessions = Self.repository.appendingPathComponent("sessions").path
        // From a process that is gone (2^22 - 1 is above Linux's default pid_max).
        let journal = [#"{"directory":"\#(sessions)","journal":1,"modelsh":"0.1.0","pid":4194303,"started":"2026-11-30T08:00:00Z"}"#,
                       #"{"cell":1,"source":"load \"data/iris.csv\" as iris"}"#, #"{"committed":1}"#,
                       #"{"cell":2,"source":"fit linear iris target=Sepal.Length as m"}"#, #"{"committed":2}"#, ""]
        let path = state.appendingPathComponent("session-20261130-080000-4194303-a.journal").path
        try journal.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)

        let session = try startSession(waitingForPrompt: false)
        try session.waitUntil("the question") { $0.cursorLine.hasPrefix("Recover them? [y/N]") }
        XCTAssertTrue(session.screen.text.replacingOccurrences(of: "\n", with: "").contains("holds 2 cells of a session"), session.screen.text)
        session.type("y\r")
        try session.waitUntil("the replay") { $0.text.contains("recovered 2 of 2 cells") }
        try session.waitForPrompt()
        let variables = try session.enter("vars")
        XCTAssertTrue(variables.contains("iris") && variables.contains("linear model of Sepal.Length"), session.screen.text)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "the replayed journal was kept")
        try session.enter("quit")
        session.type("quit\r")
        XCTAssertEqual(try session.waitForExit(), 0)
    }

    /// Ctrl-C stops a long fit, cross-validation and tuning (a forest, the slowest kind), returns
    /// to the prompt and keeps nothing of it; the bound is generous for a loaded machine and a
    /// debug build (scripts/ctrl-c-latency.sh measures it).
    func testCtrlCStopsLongModelWorkPromptly() throws {
        let path = home.appendingPathComponent("wide.csv").path
        var text = "x1,x2,x3,x4,y\n"
        var generator = SystemRandomNumberGenerator()
        for _ in 0 ..< 60_000 {
            let x = (0 ..< 4).map { _ in Double.random(in: 0 ..< 1, using: &generator) }
            text += x.map { String(format: "%.5f", $0) }.joined(separator: ",") + ",\(String(format: "%.5f", x[0] * 3 - x[1] + x[2] * x[3]))\n"
        }
        try text.write(toFile: path, atomically: false, encoding: .utf8)

        for command in ["fit forest wide target=y trees=500 as slow", "cv forest wide target=y trees=100 folds=5 seed=1",
                        "tune forest wide target=y trees=50,100 folds=5 seed=1 as slow"] {
            // A session each, so the screen shows one "interrupted".
            let session = try startSession()
            try session.enter("load \"\(path)\" as wide")
            session.type(command + "\r")
            try session.waitUntil("\(command) to start") { $0.text.contains(command) && !$0.cursorLine.contains(command) }
            usleep(300_000)
            let sent = ContinuousClock.now
            session.type(Self.ctrlC)
            try session.waitUntil("the interrupted \(command)") { $0.text.contains("error: interrupted") }
            let latency = sent.duration(to: .now)
            try session.waitForPrompt()
            XCTAssertLessThan(latency, .seconds(3), "\(command) took \(latency) to stop")
            let variables = try session.enter("vars")
            XCTAssertFalse(variables.contains("slow"), "the interrupted \(command) was kept:\n\(session.screen.text)")
            try session.enter("quit")
            session.type("quit\r")
            XCTAssertEqual(try session.waitForExit(), 0)
        }
    }

    private static let repository = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The shell in `sessions/` of the repository (where `data/iris.csv` is), with its history
    /// and state in a fresh directory, at its first prompt.
    private func startSession(waitingForPrompt: Bool = true) throws -> PseudoTerminalSession {
        let session = try PseudoTerminalSession(
            executable: executable,
            workingDirectory: Self.repository.appendingPathComponent("sessions").path,
            environment: [
                "HOME": home.path,
                "XDG_STATE_HOME": home.appendingPathComponent("state").path,
                "NO_COLOR": "1",
                "TERM": "xterm",
                "PATH": "/usr/bin:/bin",
            ])
        if waitingForPrompt { try session.waitForPrompt() }
        return session
    }
}
