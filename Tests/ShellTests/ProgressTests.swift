import Foundation
@testable import Shell
import XCTest

/// What a terminal would be told about long commands' progress (a terminal sink shows it on
/// stderr; every other sink ignores it).
final class ProgressTests: ShellTestCase {
    private final class ProgressSink: OutputSink, @unchecked Sendable {
        let lock = NSLock()
        var reports: [(what: String, done: Int, total: Int)] = []
        func output(_ text: String) {}
        func error(_ text: String) {}
        func progress(_ what: String, done: Int, of total: Int) {
            lock.lock()
            reports.append((what, done, total))
            lock.unlock()
        }
    }

    private var progressSink: ProgressSink!

    override func setUp() {
        super.setUp()
        progressSink = ProgressSink()
        session = Session(sink: progressSink)
        XCTAssertEqual(session.execute("load \"data/diabetes.csv\" as diabetes"), .ok)
    }

    func testCrossValidationCountsFolds() {
        XCTAssertEqual(session.execute("cv linear diabetes target=Y folds=4 seed=1"), .ok)
        XCTAssertEqual(progressSink.reports.filter { $0.what == "cv linear (folds)" }.map(\.done), [1, 2, 3, 4])
    }

    func testTuneCountsEveryFitOfTheGrid() {
        XCTAssertEqual(session.execute("tune ridge diabetes target=Y alpha=0.1,1,10 folds=3 seed=1 as best"), .ok)
        let tune = progressSink.reports.filter { $0.what == "tune ridge (fits)" }
        XCTAssertEqual(tune.map(\.done), Array(1...9))
        XCTAssertTrue(tune.allSatisfy { $0.total == 9 })
    }

    func testLoadCountsMebibytesOfABigCSV() throws {
        let path = temporaryPath("big.csv")
        let text = "x,y\n" + String(repeating: "1.25,2.5\n", count: 300_000)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertEqual(session.execute("load \"\(path)\" as big"), .ok)
        let load = progressSink.reports.filter { $0.what.hasPrefix("load ") }
        XCTAssertEqual(load.last?.done, text.utf8.count >> 20)
        XCTAssertEqual(load.last?.total, text.utf8.count >> 20)
    }

    /// A streamed fit tells its pass, the rows read in it and the MiB of the file.
    func testAStreamedFitCountsPassesRowsAndMebibytes() throws {
        let path = temporaryPath("stream.csv")
        let lines = (0 ..< 200_000).map { "\($0 % 7).5,\($0 % 3),\(($0 / 3) % 2)" }
        let text = "x,y,b\n" + lines.joined(separator: "\n") + "\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertEqual(session.execute("fit logistic \"\(path)\" target=b features=x as m"), .ok)
        // "fit logistic "PATH" (pass N, ROWS rows; MiB)"
        let fields = progressSink.reports.filter { $0.what.hasPrefix("fit logistic \"\(path)\" (pass ") }.map { $0.what.split(separator: " ") }
        let passes = fields.map { Int($0[4].dropLast()) }, rows = fields.map { Int($0[5]) }
        XCTAssertEqual(passes.first, 1)
        XCTAssertGreaterThan(Set(passes).count, 2, "the scan's pass, then one per iteration")
        XCTAssertEqual(rows.last, 200_000)
        let mebibytes = progressSink.reports.filter { $0.what.hasPrefix("fit logistic") }.map { [$0.done, $0.total] }
        XCTAssertEqual(mebibytes.last, [text.utf8.count >> 20, text.utf8.count >> 20])
    }
}
