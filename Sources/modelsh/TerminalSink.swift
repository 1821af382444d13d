import Foundation
@preconcurrency import Glibc
import Shell

/// Output to the process's stdout and stderr; `error:` in red when stderr is a terminal that
/// is not `TERM=dumb` and NO_COLOR is unset (https://no-color.org).
final class TerminalSink: OutputSink {
    private let colour: Bool = {
        let environment = ProcessInfo.processInfo.environment
        return isatty(STDERR_FILENO) == 1 && environment["TERM"] != "dumb" && (environment["NO_COLOR"] ?? "").isEmpty
    }()

    /// Standard output's terminal, asked each time so a resized window is drawn (and tables
    /// folded) to its new width; nil when output goes to a file or a pipe.
    var terminal: TerminalDisplay? {
        guard isatty(STDOUT_FILENO) == 1 else { return nil }
        let environment = ProcessInfo.processInfo.environment
        var size = winsize()
        let columns = ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col)
            : environment["COLUMNS"].flatMap { Int($0) } ?? TerminalDisplay.defaultWidth
        return TerminalDisplay(width: columns, colour: environment["TERM"] != "dumb" && (environment["NO_COLOR"] ?? "").isEmpty)
    }

    /// Progress shows only on a terminal, and only once a task has run half a second.
    private let showsProgress = isatty(STDERR_FILENO) == 1
    private var progressStarted: ContinuousClock.Instant?
    private var progressShown = false

    func progress(_ what: String, done: Int, of total: Int) {
        guard showsProgress, total > 0 else { return }
        let now = ContinuousClock.now
        let started = progressStarted ?? now
        progressStarted = started
        guard started.duration(to: now) >= .milliseconds(500) else { return }
        progressShown = true
        let percent = min(100, done * 100 / total)
        FileHandle.standardError.write(Data("\r\u{1B}[K\(what): \(done)/\(total) (\(percent)%)".utf8))
    }

    func progressEnded() {
        if progressShown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        progressStarted = nil
        progressShown = false
    }

    func output(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    func error(_ text: String) {
        var text = text
        if colour, let range = text.range(of: "error:") {
            text.replaceSubrange(range, with: "\u{1B}[1;31merror:\u{1B}[0m")
        }
        FileOutput.standardError(text)
    }
}

enum FileOutput {
    /// Unbuffered, like standard output here, so the two interleave in the order written.
    static func standardError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
