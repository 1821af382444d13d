@testable import Shell
import Tabular
import XCTest

final class UndoTests: ShellTestCase {
    func testUndoAndRedoStepThroughChangesSkippingFailures() {
        run("load \"data/iris.csv\" as iris")
        run("set digits 4")
        fail("drop nothing_here")
        XCTAssertEqual(run("undo"), "undid: set digits 4 (1 more to undo)", "the failed drop changed nothing")
        XCTAssertEqual(session.state.settings.digits, 7)
        XCTAssertEqual(run("undo"), "undid: load \"data/iris.csv\" as iris (0 more to undo)")
        XCTAssertTrue(session.state.variables.names.isEmpty)
        XCTAssertEqual(run("undo"), "nothing to undo")
        XCTAssertEqual(run("redo"), "redid: load \"data/iris.csv\" as iris (1 more to redo)")
        XCTAssertEqual(session.state.variables.datasetNames, ["iris"])
        XCTAssertEqual(session.cells.count, 7, "undo and redo are cells; no cell is removed")
    }

    func testANewChangeForgetsWhatWasUndone() {
        run("load \"data/iris.csv\" as iris")
        run("set digits 4")
        run("undo")
        run("vars")
        XCTAssertEqual(run("redo"), "redid: set digits 4 (0 more to redo)", "a command that changed nothing keeps redo")
        run("undo")
        run("set digits 5")
        XCTAssertEqual(run("redo"), "nothing to redo")
    }

    func testUndoBringsBackModelsAndTheirRegistry() {
        run("load \"data/iris.csv\" as iris")
        run("fit linear iris target=Petal.Width features=Petal.Length as m")
        run("fit linear iris target=Petal.Width as m")
        run("undo")
        XCTAssertEqual(session.state.variables.registry["m"]?.versions.count, 1)
        run("drop m")
        run("undo")
        XCTAssertNotNil(session.state.variables.model("m"))
    }

    func testOpenCannotBeUndone() {
        let workspace = temporaryPath("w.msw")
        run("load \"data/iris.csv\" as iris")
        run("save workspace \"\(workspace)\"")
        run("drop iris")
        run("open \"\(workspace)\"")
        XCTAssertEqual(run("undo"), "nothing to undo")
    }

    func testAScriptThatOpensAndThenFailsLeavesTheHistory() throws {
        let workspace = temporaryPath("w.msw"), script = temporaryPath("open.msh")
        run("save workspace \"\(workspace)\"")
        try "open \"\(workspace)\"\ndescribe nothing_here\n".write(toFile: script, atomically: true, encoding: .utf8)
        run("load \"data/iris.csv\" as iris")
        fail("run \"\(script)\"")
        XCTAssertEqual(run("undo"), "undid: load \"data/iris.csv\" as iris (0 more to undo)")
        let undoing = temporaryPath("undo.msh")
        try "undo\n".write(toFile: undoing, atomically: true, encoding: .utf8)
        XCTAssertEqual(fail("run \"\(undoing)\"").error?.message,
                       "undo steps through this session's commands; a script run by `run` cannot use it")
    }

    func testTheBudgetDropsTheOldestStatesAndZeroKeepsNone() throws {
        let big = try Dataset(columns: [Column.numeric("x", Array(repeating: 1.5, count: 100_000))])
        var history = UndoHistory()
        var states: [SessionState] = [SessionState()]
        for index in 0..<3 {
            var next = states.last!
            try next.variables.set("d\(index)", big)
            try next.variables.set("d", try Dataset(columns: [Column.numeric("x", Array(repeating: Double(index), count: 100_000))]))
            history.record(states.last!, changedBy: "step \(index)", into: next, budget: 1_000_000)
            states.append(next)
        }
        // Each state after the first keeps its own 800 KB `d`: two are too much for 1 MB, and the
        // oldest states go first, the empty one too.
        XCTAssertEqual(history.undoCount, 1)
        XCTAssertLessThanOrEqual(history.undoBytes, 1_000_000)
        XCTAssertEqual(UndoHistory.uniqueBytes(of: states[2], beside: states[3]), big.approximateByteCount, "d1 is shared, d is not")
        // Equal values loaded apart take memory twice: counted by their buffers, not their values.
        var reloaded = states[3]
        try reloaded.variables.set("d1", try Dataset(columns: [Column.numeric("x", Array(repeating: 1.5, count: 100_000))]))
        XCTAssertEqual(UndoHistory.uniqueBytes(of: states[3], beside: reloaded), big.approximateByteCount, "d1 was made again")
        history.record(states[3], changedBy: "again", into: states[3], budget: 0)
        XCTAssertEqual(history.undoCount, 0)
    }

    func testDepthIsBounded() {
        var history = UndoHistory()
        for _ in 0..<(UndoHistory.maximumDepth + 5) { history.record(SessionState(), changedBy: "x", into: SessionState(), budget: 1 << 30) }
        XCTAssertEqual(history.undoCount, UndoHistory.maximumDepth)
    }
}
