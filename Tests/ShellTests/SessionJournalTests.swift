import Diagnostics
import Foundation
@testable import Shell
import XCTest

/// The journal: which cells it keeps, in what state, where it lives, and replaying it.
final class SessionJournalTests: ShellTestCase {
    private var stateDirectory = ""

    override func setUp() {
        super.setUp()
        stateDirectory = (temporaryPath("state") as NSString).deletingLastPathComponent
        session.journal = SessionJournal(stateDirectory: stateDirectory)
    }

    private func journal() throws -> JournalFile {
        try JournalFile.read(path: XCTUnwrap(session.journal?.path, "no journal was written"))
    }

    func testKeepsStateChangingCellsWithTheirOutcome() throws {
        run("vars")
        XCTAssertNil(session.journal?.path, "a cell that changes nothing started a journal")
        run(#"load "data/iris.csv" as iris"#)
        run("describe iris")
        fail(#"fit linear iris target=Species as m"#)
        run("fit linear iris target=Sepal.Length as m")
        let read = try journal()
        XCTAssertEqual(read.cells.map(\.source), [#"load "data/iris.csv" as iris"#, "fit linear iris target=Species as m",
                                                 "fit linear iris target=Sepal.Length as m"])
        XCTAssertEqual(read.cells.map(\.outcome), [.committed, .failed, .committed])
        XCTAssertEqual(read.cells.map(\.number), [2, 4, 5])
        XCTAssertEqual(read.pid, getpid())
        XCTAssertEqual(read.directory, FileManager.default.currentDirectoryPath)
        XCTAssertEqual(read.version, ModelshVersion.current)
        XCTAssertNil(read.workspace)
        XCTAssertTrue(read.path.hasPrefix(stateDirectory + "/session-"), read.path)
        XCTAssertFalse(read.isOrphaned, "this process is alive")
    }

    func testATornLastLineIsIgnored() throws {
        run(#"load "data/iris.csv" as iris"#)
        let path = try XCTUnwrap(session.journal?.path)
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"cell":2,"sour"#.utf8))
        try handle.close()
        XCTAssertEqual(try journal().cells.map(\.outcome), [.committed])
    }

    func testSavingMovesTheJournalBesideTheWorkspaceAndEmptiesIt() throws {
        run(#"load "data/iris.csv" as iris"#)
        let unsaved = try XCTUnwrap(session.journal?.path)
        let workspace = temporaryPath("work.msw")
        run("save workspace \"\(workspace)\"")
        XCTAssertFalse(FileManager.default.fileExists(atPath: unsaved), "the unsaved session's journal outlived the save")
        XCTAssertNil(session.journal?.path, "the journal kept cells the workspace now holds")
        run("split iris test=0.25 seed=1 as train, test")
        let read = try journal()
        XCTAssertEqual(read.path, workspace + ".journal")
        XCTAssertEqual(read.workspace, workspace)
        XCTAssertEqual(read.cells.map(\.source), ["split iris test=0.25 seed=1 as train, test"])
        session.journal?.discard()
        XCTAssertFalse(FileManager.default.fileExists(atPath: read.path))
    }

    func testAJournalLeftBesideAWorkspaceIsKeptAndNamed() throws {
        let workspace = temporaryPath("work.msw")
        run(#"load "data/iris.csv" as iris"#)
        run("save workspace \"\(workspace)\"")
        // A journal from a process that is gone (pid 2^22 - 1 is above Linux's default pid_max).
        let orphan = #"{"directory":"/","journal":1,"modelsh":"0.1.0","pid":4194303}"# + "\n"
            + #"{"cell":3,"source":"drop iris"}"# + "\n" + #"{"committed":3}"# + "\n"
        try orphan.write(toFile: workspace + ".journal", atomically: true, encoding: .utf8)
        let opened = run("open \"\(workspace)\"")
        XCTAssertTrue(opened.contains("holds 1 cell of a session that ended without quitting"), opened)
        run("drop iris")
        XCTAssertEqual(try String(contentsOfFile: workspace + ".journal", encoding: .utf8), orphan, "the orphan was overwritten")
        XCTAssertTrue(try journal().path.hasPrefix(stateDirectory), "this session's journal should go to the state directory")
    }

    func testReplayRebuildsTheCommittedCells() throws {
        let workspace = temporaryPath("work.msw")
        run(#"load "data/iris.csv" as iris"#)
        run("save workspace \"\(workspace)\"")
        run("split iris test=0.25 seed=1 as train, test")
        run("fit linear train target=Sepal.Length as m")
        fail("fit linear train target=Species as m2")
        run("set digits=4")
        run("fit tree train target=Species as t")
        run("delete t@1", answering: true)
        let read = try journal()
        let expected = (run("vars"), modelsWithoutCellsAndTimes(), run("set"))

        session = Session(sink: sink)
        let recovery = session.replay(read)
        XCTAssertEqual(recovery.replayed, 5)
        let replayOutput = sink.take().joined(separator: "\n")
        XCTAssertTrue(recovery.failed.isEmpty, replayOutput)
        XCTAssertTrue(replayOutput.hasSuffix("recovered 5 of 5 cells"), replayOutput)
        XCTAssertEqual(run("vars"), expected.0)
        XCTAssertEqual(modelsWithoutCellsAndTimes(), expected.1)
        XCTAssertEqual(run("set"), expected.2)
    }

    func testAnUnfinishedCellIsReportedNotReplayed() throws {
        run(#"load "data/iris.csv" as iris"#)
        let path = try XCTUnwrap(session.journal?.path)
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data((#"{"cell":2,"source":"drop iris"}"# + "\n").utf8))
        try handle.close()

        let replaySink = CapturingSink()
        let recovery = Session(sink: replaySink).replay(try journal())
        XCTAssertEqual(recovery.replayed, 1)
        XCTAssertEqual(recovery.unfinished?.source, "drop iris")
        XCTAssertTrue(replaySink.lines.last?.contains("not replayed, as it was running when the session ended: [2] drop iris") ?? false,
                      "\(replaySink.lines)")
    }

    /// `models`' names, kinds and targets: a replay makes each version again, in a new cell, now.
    private func modelsWithoutCellsAndTimes() -> [String] {
        run("models").split(separator: "\n").map { $0.split(separator: " ").prefix(3).joined(separator: " ") }
    }

    private func run(_ source: String, answering answer: Bool) {
        session.confirmation = { _ in answer }
        defer { session.confirmation = nil }
        run(source)
    }
}
