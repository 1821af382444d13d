import Foundation

/// A program on a pseudo-terminal that is its controlling terminal (util-linux `script` sets it
/// up), typed at and read through pipes. Every wait is bounded and reports the screen so far.
final class PseudoTerminalSession {
    struct Stalled: Error, CustomStringConvertible {
        var description: String
    }

    static let scriptPath = "/usr/bin/script"
    static let promptPrefix = "modelsh ["

    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let timeout: TimeInterval
    private var transcript: [UInt8] = []
    private(set) var screen = TerminalScreen()
    /// The row of the prompt the program is waiting at.
    private(set) var promptRow = -1

    init(executable: String, workingDirectory: String, environment: [String: String],
         timeout: TimeInterval = 10) throws {
        self.timeout = timeout
        process.executableURL = URL(fileURLWithPath: Self.scriptPath)
        // -q no banner, -f flush every write, -e exit with the program's status; no log file. `exec`
        // leaves no shell between: it would share the terminal's process group and its Ctrl-C.
        let quoted = "'" + executable.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
        process.arguments = ["-qfec", "exec " + quoted, "/dev/null"]
        process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory)
        process.environment = environment.merging(["SHELL": "/bin/sh"]) { _, scriptShell in scriptShell }
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
    }

    deinit {
        if process.isRunning { process.terminate() }
    }

    func type(_ keys: String) {
        input.fileHandleForWriting.write(Data(keys.utf8))
    }

    /// Types a line and Enter, waits for the next prompt, and returns what was printed in between.
    @discardableResult
    func enter(_ line: String) throws -> String {
        type(line + "\r")
        let commandRow = promptRow
        try waitForPrompt()
        return (commandRow + 1..<promptRow).map(screen.line).joined(separator: "\n")
    }

    /// Waits for an empty prompt below the previous one.
    func waitForPrompt() throws {
        try waitUntil("a fresh prompt") { screen in
            screen.cursorRow > promptRow && screen.cursorLine.hasPrefix(Self.promptPrefix)
                && screen.cursorLine.hasSuffix("]>")
        }
        promptRow = screen.cursorRow
    }

    func waitUntil(_ expectation: String, _ condition: (TerminalScreen) -> Bool) throws {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while !condition(screen) {
            switch readOutput(until: deadline) {
            case .read: continue
            case .ended:
                throw Stalled(description: "waiting for \(expectation): the program ended; screen:\n\(screen.text)")
            case .timedOut:
                throw Stalled(description: "waiting for \(expectation): nothing after \(timeout) s; screen so far:\n\(screen.text)")
            }
        }
    }

    /// Waits for the program to end and returns its exit status.
    func waitForExit() throws -> Int32 {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while readOutput(until: deadline) == .read {}
        while process.isRunning && Date() < deadline { usleep(10_000) }
        guard !process.isRunning else {
            process.terminate()
            throw Stalled(description: "still running after \(timeout) s; screen so far:\n\(screen.text)")
        }
        return process.terminationStatus
    }

    private enum ReadOutcome { case read, ended, timedOut }

    /// Feeds what the program writes next to the screen.
    private func readOutput(until deadline: Date) -> ReadOutcome {
        let descriptor = output.fileHandleForReading.fileDescriptor
        var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(max(0, deadline.timeIntervalSinceNow) * 1000)
        guard poll(&request, 1, milliseconds) > 0 else { return .timedOut }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(descriptor, &buffer, buffer.count)
        guard count > 0 else { return .ended }
        transcript += buffer[..<count]
        // Redrawn from the whole transcript, so a UTF-8 sequence split across reads decodes once complete.
        screen = TerminalScreen()
        screen.feed(String(decoding: transcript, as: UTF8.self))
        return .read
    }
}
