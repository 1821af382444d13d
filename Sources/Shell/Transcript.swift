import Diagnostics
import Foundation

/// `modelsh record` and `modelsh check`: run a script in a fresh session, capturing each
/// statement's output, then write it under the statement as `#>` lines or compare it with
/// what is recorded there.
public enum Transcript {
    public struct Run {
        /// Each entry's output; nil for entries not run because the script stopped.
        public let outputs: [[String]?]
        /// The error that stopped the script, if one did.
        public let stoppedBy: ModelshError?
        /// The line of the `quit` that ended the script early, if one did.
        public let quitAt: Int?
        /// The tolerance in force when each entry ran (`set tolerance` can change it).
        let tolerances: [Double]
    }

    /// Runs every entry of `script` in a new session; `file` names it in error locations.
    /// With `numberingRecordedLines`, each statement runs with the line number it will have once
    /// the new output is written above it (what `record` needs so its error locations are true
    /// of the file it writes); otherwise with its line in the file as it is.
    public static func run(_ script: Script, file: String, numberingRecordedLines: Bool = false) -> Run {
        let sink = CapturingSink()
        let session = Session(sink: sink, clock: { fixedTime })
        var outputs: [[String]?] = Array(repeating: nil, count: script.entries.count)
        var tolerances: [Double] = Array(repeating: session.state.settings.tolerance, count: script.entries.count)
        // Lines above each entry in the file `record` writes: leading lines, statements, outputs.
        var linesAbove = 0
        let outcome = session.run(script, named: file, line: { index in
            linesAbove += script.entries[index].leading.count
            return numberingRecordedLines ? linesAbove + 1 : script.entries[index].line
        }, afterEach: { index in
            outputs[index] = sink.take()
            linesAbove += script.entries[index].source.split(separator: "\n", omittingEmptySubsequences: false).count + outputs[index]!.count
            tolerances[index] = session.state.settings.tolerance
        })
        return Run(outputs: outputs, stoppedBy: outcome.stoppedBy, quitAt: outcome.quitAt, tolerances: tolerances)
    }

    /// The script's text with fresh `#>` output under every statement that ran.
    public static func record(_ script: Script, file: String) -> (text: String, run: Run) {
        let run = run(script, file: file, numberingRecordedLines: true)
        return (script.rendered(outputs: run.outputs), run)
    }

    /// Readable differences between the recorded and the new outputs; empty when they match.
    public static func check(_ script: Script, file: String) -> [String] {
        let run = run(script, file: file)
        var differences: [String] = []
        for (index, entry) in script.entries.enumerated() {
            let firstLine = entry.source.split(separator: "\n").first.map(String.init) ?? entry.source
            guard let actual = run.outputs[index] else {
                if let error = run.stoppedBy {
                    // An error in a script this one ran (`run`) is on a line of that script.
                    let at = error.location.map { " on line \($0.line)" + ($0.file.map { $0 == file ? "" : " of \($0)" } ?? "") } ?? ""
                    differences.append("\(file):\(entry.line): not run (the script stopped at the error\(at)): \(firstLine)")
                } else if let line = run.quitAt, !entry.expected.isEmpty {
                    differences.append("\(file):\(entry.line): not run (the script quit on line \(line)): \(firstLine)")
                }
                continue
            }
            let diff = lineDifferences(expected: entry.expected, actual: actual, tolerance: run.tolerances[index])
            if !diff.isEmpty {
                differences.append((["\(file):\(entry.line): output differs for: \(firstLine)"] + diff).joined(separator: "\n"))
            }
        }
        return differences
    }

    /// The time transcripts run at, so the registry's times in their output never change:
    /// `SOURCE_DATE_EPOCH` (seconds since 1970, the reproducible-builds convention) when set,
    /// else 2026-01-01T00:00:00Z.
    public static var fixedTime: Date {
        let seconds = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap(Int.init) ?? defaultEpoch
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    static let defaultEpoch = 1_767_225_600

    /// `- expected` / `+ actual` for each position where the lines differ beyond tolerance.
    static func lineDifferences(expected: [String], actual: [String], tolerance: Double) -> [String] {
        var lines: [String] = []
        for i in 0..<max(expected.count, actual.count) {
            let e = i < expected.count ? expected[i] : nil
            let a = i < actual.count ? actual[i] : nil
            if let e, let a, OutputComparison.linesMatch(e, a, tolerance: tolerance) { continue }
            if let e { lines.append("  - \(e)") }
            if let a { lines.append("  + \(a)") }
        }
        return lines
    }
}
