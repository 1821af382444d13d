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
}
