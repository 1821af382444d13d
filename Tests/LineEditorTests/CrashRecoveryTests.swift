import Foundation
import XCTest

/// The real `modelsh` killed mid-work and recovered from its journal, as a user would do it.
final class CrashRecoveryTests: XCTestCase {
    private var executable = ""
    private var home: URL!
    private var environment: [String: String] = [:]
    private static let sessionsDirectory = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("sessions").path

    override func setUpWithError() throws {
        // `swift build` puts the executable beside the test bundle.
        executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("modelsh").path
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw XCTSkip("no modelsh executable at \(executable): run `swift build` first")
        }
        home = FileManager.default.temporaryDirectory.appendingPathComponent("modelsh-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        environment = ["HOME": home.path, "XDG_STATE_HOME": home.appendingPathComponent("state").path,
                       "NO_COLOR": "1", "PATH": "/usr/bin:/bin"]
    }

    override func tearDownWithError() throws {
        if let home { try FileManager.default.removeItem(at: home) }
    }

    func testAKilledSessionIsRecoveredCellByCell() throws {
        try recoverAfterKill(cells: [
            #"load "data/iris.csv" as iris"#,
            "split iris test=0.25 seed=1 as train, test",
            "fit linear train target=Sepal.Length as m",
            "describe train",
            "fit tree train target=Species as t",
            "set digits=4",
            "predict m on test as scored",
        ])
    }

    func testAKilledSessionWithAWorkspaceIsRecoveredFromItAndItsJournal() throws {
        let workspace = home.appendingPathComponent("w.msw").path
        try recoverAfterKill(cells: [
            #"load "data/iris.csv" as iris"#,
            "split iris test=0.25 seed=1 as train, test",
            "save workspace \"\(workspace)\"",
            "fit linear train target=Sepal.Length as m",
            "drop test",
        ])
        XCTAssertFalse(FileManager.default.fileExists(atPath: workspace + ".journal"), "the replayed journal was kept")
    }

    func testACleanQuitLeavesNoJournal() throws {
        let shell = try start([])
        shell.send(#"load "data/iris.csv" as iris"# + "\nvars\n")
        try shell.waitFor("iris  dataset")
        XCTAssertEqual(try journals().count, 1, "the state-changing cell was not journaled")
        shell.send("quit\n")
        shell.process.waitUntilExit()
        XCTAssertEqual(try journals(), [], "a clean quit left its journal")
    }

    /// Input piped to `modelsh` is a script: Ctrl-C while it waits for the next line stops it
    /// there, with exit status 130 and the line named, rather than ending the process at once.
    func testCtrlCStopsPipedInputWithStatus130() throws {
        let shell = try start([])
        shell.send(#"load "data/iris.csv" as iris"# + "\nvars\n")
        try shell.waitFor("iris  dataset")
        kill(shell.process.processIdentifier, SIGINT)
        // It ends by itself, its input still open.
        let deadline = Date(timeIntervalSinceNow: 20)
        while shell.process.isRunning, Date() < deadline { _ = shell.settle(after: 0.05) }
        XCTAssertFalse(shell.process.isRunning, "Ctrl-C while input was awaited did not stop it")
        let output = try shell.readToEnd()
        XCTAssertEqual(shell.process.terminationReason, .exit, output)
        XCTAssertEqual(shell.process.terminationStatus, 130, output)
        XCTAssertTrue(output.contains("<stdin>:3:1: error: interrupted before this statement"), output)
    }

    /// scripts/kill-save.sh kills modelsh at random moments while it saves a workspace over
    /// itself and opens the file after each kill: the old file or the complete new one, always.
    func testKillingASaveLeavesTheOldWorkspaceOrTheNewOne() throws {
        let script = Self.sessionsDirectory + "/../scripts/kill-save.sh"
        let shell = try PipedShell(executable: "/bin/bash", arguments: [script, "12"], directory: home.path,
                                   environment: environment.merging(["MODELSH": executable, "ROWS": "20000"]) { $1 })
        let tally = try shell.readToEnd()
        XCTAssertEqual(shell.process.terminationStatus, 0, tally)
        XCTAssertTrue(tally.contains("kill-save: 12 runs") && tally.contains("damaged 0"), tally)
    }

    /// Runs `cells` in a piped session, kills it (SIGKILL) once all have run, then recovers
    /// with `modelsh --recover`: `vars` and the models' names, kinds and targets must be back.
    private func recoverAfterKill(cells: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let shell = try start([])
        shell.send(cells.joined(separator: "\n") + "\nvars\nmodels\n")
        try shell.waitFor("status")  // the last column of `models`
        let before = shell.settle(after: 0.3)
        kill(shell.process.processIdentifier, SIGKILL)
        shell.process.waitUntilExit()
        XCTAssertEqual(shell.process.terminationReason, .uncaughtSignal, file: file, line: line)

        let recovering = try start(["--recover"])
        recovering.send("vars\nmodels\n")
        let after = try recovering.readToEnd()
        XCTAssertEqual(recovering.process.terminationStatus, 0, after, file: file, line: line)
        let replayed = after.components(separatedBy: "\n").first { $0.hasPrefix("recovered ") } ?? "no summary:\n\(after)"
        XCTAssertTrue(replayed.hasPrefix("recovered "), replayed, file: file, line: line)
        XCTAssertFalse(replayed.contains("failed"), replayed, file: file, line: line)
        XCTAssertEqual(Self.vars(in: after), Self.vars(in: before), after, file: file, line: line)
        XCTAssertEqual(Self.models(in: after), Self.models(in: before), after, file: file, line: line)
    }

    /// The `vars` table: its header line and every line up to the `models` header.
    private static func vars(in output: String) -> [Substring] {
        let lines = output.split(separator: "\n")
        guard let start = lines.lastIndex(where: { $0.hasPrefix("name ") }) else { return [] }
        return Array(lines[start...].prefix { !$0.hasPrefix("model ") })
    }

    /// Each model version's name, kind and target (a replay makes it again, in another cell, now).
    private static func models(in output: String) -> [String] {
        let lines = output.split(separator: "\n")
        guard let start = lines.lastIndex(where: { $0.hasPrefix("model ") }) else { return [] }
        return lines[start...].map { $0.split(separator: " ").prefix(3).joined(separator: " ") }
    }

    private func journals() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: home.appendingPathComponent("state/modelsh").path)
            .filter { $0.hasSuffix(".journal") }
    }

    private func start(_ arguments: [String]) throws -> PipedShell {
        try PipedShell(executable: executable, arguments: arguments, directory: Self.sessionsDirectory, environment: environment)
    }
}

/// `modelsh` with its input and output through pipes; every wait is bounded.
final class PipedShell {
    struct Stalled: Error, CustomStringConvertible {
        var description: String
    }

    let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private(set) var printed = ""

    init(executable: String, arguments: [String], directory: String, environment: [String: String]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = environment
        process.standardInput = input
        (process.standardOutput, process.standardError) = (output, output)
        try process.run()
    }

    deinit {
        if process.isRunning { process.terminate() }
    }

    func send(_ text: String) {
        input.fileHandleForWriting.write(Data(text.utf8))
    }

    /// Waits until the output contains `text`, then returns all of it.
    @discardableResult
    func waitFor(_ text: String, timeout: TimeInterval = 20) throws -> String {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while !printed.contains(text) {
            guard read(until: deadline) else { throw Stalled(description: "waiting for \(text); output so far:\n\(printed)") }
        }
        return printed
    }

    /// Reads until nothing more comes for `quiet` seconds, and returns all the output.
    func settle(after quiet: TimeInterval) -> String {
        while read(until: Date(timeIntervalSinceNow: quiet)) {}
        return printed
    }

    func readToEnd() throws -> String {
        input.fileHandleForWriting.closeFile()
        let deadline = Date(timeIntervalSinceNow: 30)
        while read(until: deadline) {}
        process.waitUntilExit()
        return printed
    }

    /// Reads what is there; false at the end of output or the deadline.
    private func read(until deadline: Date) -> Bool {
        let descriptor = output.fileHandleForReading.fileDescriptor
        var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&request, 1, Int32(max(0, deadline.timeIntervalSinceNow) * 1000)) > 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = Glibc.read(descriptor, &buffer, buffer.count)
        guard count > 0 else { return false }
        printed += String(decoding: buffer[..<count], as: UTF8.self)
        return true
    }
}
