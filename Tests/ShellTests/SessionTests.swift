import Glibc
import Diagnostics
import Foundation
@testable import Shell
@testable import Store
import XCTest

final class SessionTests: ShellTestCase {
    func testLoadSplitFitEvaluateEndToEnd() {
        XCTAssertEqual(run("load \"data/iris.csv\" as iris"), "iris: 150 rows × 6 columns (1 integer, 4 numeric, 1 categorical)")
        XCTAssertEqual(run("split iris test=0.2 seed=1 as train, test"), "train: 120 rows, test: 30 rows (seed 1)")
        XCTAssertTrue(run("fit linear train target=Petal.Width features=Petal.Length as m").hasPrefix("m@1: linear model of Petal.Width on 1 feature"))
        let metrics = run("evaluate m on test")
        XCTAssertTrue(metrics.contains("rmse"), metrics)
        XCTAssertEqual(session.state.variables.names, ["iris", "train", "test", "m"])
    }

    func testLoadOptionsSeparatorHeaderAndMissingMarker() throws {
        let path = temporaryPath("semi.csv")
        try "a;b\n1;x\n-;y\n".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertEqual(run("load \"\(path)\" sep=\";\" na=\"-\" header=no as d"), "d: 3 rows × 2 columns (2 categorical)")
        let data = try XCTUnwrap(session.state.variables.dataset("d"))
        XCTAssertEqual(data.columnNames, ["V1", "V2"])
        XCTAssertTrue(data.columns[0].isMissing(2))
        XCTAssertEqual(fail("load \"\(path)\" sep=\";;\" as e").error?.message,
                       "sep must be one ASCII character other than a quote or line break, found \";;\"")
    }

    func testAnInterruptedCommandChangesNothing() throws {
        let path = temporaryPath("rows.csv")
        try ("x,y\n" + (0 ..< 10_000).map { "\($0),\($0 % 5)" }.joined(separator: "\n")).write(toFile: path, atomically: true, encoding: .utf8)
        run("load \"data/iris.csv\" as iris")
        let before = session.state
        Interruption.installHandler()
        raise(SIGINT)
        let (error, output) = fail("load \"\(path)\" as rows")
        XCTAssertEqual(error?.category, .interrupted)
        XCTAssertEqual(output, "error: interrupted\n    load \"\(path)\" as rows\n         " + "^" + String(repeating: "~", count: path.count + 1))
        XCTAssertEqual(session.state, before)
        XCTAssertFalse(Interruption.isRequested)
    }

    /// Ctrl-C stops a script, not only its statement, whatever `bail` says: pressed while a
    /// statement runs (the statement fails, the ones after it do not run), or while one that
    /// does not watch for it ran (seen before the next statement, which does not run).
    func testCtrlCStopsAScriptWhateverBailSays() throws {
        let path = temporaryPath("rows.csv")
        try ("x,y\n" + (0 ..< 10_000).map { "\($0),\($0 % 5)" }.joined(separator: "\n")).write(toFile: path, atomically: true, encoding: .utf8)
        run("load \"data/iris.csv\" as iris")
        run("set bail off")
        Interruption.installHandler()
        raise(SIGINT)
        let status = session.execute("load \"\(path)\" as rows; show iris", file: "s.msh")
        guard case .failed(let error) = status else { return XCTFail("expected the interruption, got \(status)") }
        XCTAssertEqual(error.category, .interrupted)
        XCTAssertFalse(sink.take().joined().contains("Sepal"), "the statement after the interrupted one did not run")
        XCTAssertNil(session.state.variables.dataset("rows"))

        let outcome = session.run(Script.parse("vars\nshow iris\n"), named: "t.msh", afterEach: { if $0 == 0 { raise(SIGINT) } })
        XCTAssertEqual(outcome.stoppedBy?.category, .interrupted)
        XCTAssertEqual(outcome.stoppedBy?.location?.line, 2)
        XCTAssertEqual(sink.take().last, "t.msh:2:1: error: interrupted before this statement")
        XCTAssertFalse(Interruption.isRequested)
    }

    func testWithBailOffAFailureIsStillReported() {
        let status = session.execute("set bail off\nshow nothing\nvars", file: "s.msh")
        guard case .failed(let error) = status else { return XCTFail("expected the failure, got \(status)") }
        XCTAssertEqual(error.location?.line, 2)
        XCTAssertEqual(session.cells.map(\.succeeded), [true, false, true], "the statements after it still ran")
    }

    func testBooleanFeaturesTakeOnlyZeroOrOneAtPrediction() throws {
        let train = temporaryPath("train.csv"), new = temporaryPath("new.csv")
        try "y,x,b\n1,1,true\n2,2,false\n3,3.5,true\n5,4,false\n".write(toFile: train, atomically: true, encoding: .utf8)
        try "y,x,b\n1,1,5\n".write(toFile: new, atomically: true, encoding: .utf8)
        run("load \"\(train)\" as t; fit linear t target=y as m; load \"\(new)\" as n")
        XCTAssertEqual(fail("predict m on n as p").error?.message, "column 'b' was boolean in training but holds 5 in row 1")
        XCTAssertEqual(fail("evaluate m on n").error?.message, "column 'b' was boolean in training but holds 5 in row 1")
    }

    func testEvaluateSaysWhenTheTargetIsMissing() throws {
        let new = temporaryPath("features-only.csv")
        try "Petal.Length\n1.4\n".write(toFile: new, atomically: true, encoding: .utf8)
        run("load \"data/iris.csv\" as iris; fit linear iris target=Sepal.Length features=Petal.Length as m; load \"\(new)\" as n")
        XCTAssertEqual(fail("evaluate m on n").error?.message, "the data has no column 'Sepal.Length', the target the model was trained on")
    }

    func testAFailedCommandChangesNothing() {
        run("load \"data/iris.csv\" as iris")
        let before = session.state
        fail("split iris test=0.2 seed=1 stratify=Sepal.Lenght as a, b")
        fail("fit linear iris target=Species as m")
        fail("load \"data/bad/ragged.csv\" as iris")
        XCTAssertEqual(session.state, before)
        XCTAssertFalse(session.cells.last!.succeeded)
    }

    func testAFailingScriptIsUndoneAsAWhole() throws {
        let script = temporaryPath("partial.msh")
        try "load \"\(Self.sessionsDirectory)/data/iris.csv\" as loaded\ndescribe nothing\n".write(toFile: script, atomically: true, encoding: .utf8)
        let (error, output) = fail("run \"\(script)\"")
        XCTAssertEqual(error?.location?.file, script)
        XCTAssertEqual(error?.location?.line, 2)
        XCTAssertTrue(output.contains("loaded: 150 rows"), output)
        XCTAssertTrue(output.contains("\(script):2:10: error: unknown dataset 'nothing'"), output)
        XCTAssertNil(session.state.variables.kindName(of: "loaded"), "the run failed, so what it loaded is gone")
    }

    func testAFailingScriptTakesBackTheCellLogItOpened() throws {
        let workspace = temporaryPath("empty.msw"), script = temporaryPath("opens.msh")
        let other = Session(sink: CapturingSink())
        XCTAssertEqual(other.execute("save workspace \"\(workspace)\""), .ok)
        try "open \"\(workspace)\"\ndescribe nothing\n".write(toFile: script, atomically: true, encoding: .utf8)
        run("vars; vars")
        fail("run \"\(script)\"")
        XCTAssertEqual(session.cells.map(\.input), ["vars", "vars", "run \"\(script)\""])
    }

    func testScriptsThatRunThemselvesStop() throws {
        let script = temporaryPath("loop.msh")
        try "run \"\(script)\"\n".write(toFile: script, atomically: true, encoding: .utf8)
        let (error, _) = fail("run \"\(script)\"")
        XCTAssertTrue(error?.message.hasPrefix("scripts nested more than 16 deep") ?? false, "\(String(describing: error))")
    }

    func testBailOffGoesOnAfterAnErrorInAScript() throws {
        let script = temporaryPath("lenient.msh")
        try "set bail off\ndescribe nothing\nload \"\(Self.sessionsDirectory)/data/iris.csv\" as iris\n".write(toFile: script, atomically: true, encoding: .utf8)
        run("run \"\(script)\"")
        XCTAssertNotNil(session.state.variables.dataset("iris"))
    }

    func testEachStatementIsACellWithItsOutput() {
        run("vars; help drop")
        fail("drop nothing")
        XCTAssertEqual(session.cells.map(\.number), [1, 2, 3])
        XCTAssertEqual(session.cells.map(\.input), ["vars", "help drop", "drop nothing"])
        XCTAssertEqual(session.cells.map(\.succeeded), [true, true, false])
        XCTAssertTrue(session.cells[2].output.contains("error: unknown name 'nothing'"))
        XCTAssertEqual(session.nextCellNumber, 4)
    }

    func testQuitStopsTheRemainingStatements() {
        XCTAssertEqual(session.execute("quit; load \"data/iris.csv\" as iris"), .quit)
        XCTAssertNil(session.state.variables.dataset("iris"))
    }

    func testNamesKeepTheirKind() {
        run("load \"data/iris.csv\" as iris")
        let (error, _) = fail("fit linear iris target=Sepal.Length as iris")
        XCTAssertEqual(error?.message, "'iris' is a dataset; drop it first or choose another name")
        run("drop iris")
        XCTAssertTrue(session.state.variables.names.isEmpty)
    }

    func testUnsavedChangesAreTrackedUntilTheWorkspaceIsSaved() {
        XCTAssertFalse(session.hasUnsavedChanges)
        run("vars")
        XCTAssertFalse(session.hasUnsavedChanges)
        run("load \"data/iris.csv\" as iris")
        XCTAssertTrue(session.hasUnsavedChanges)
        run("save workspace \"\(temporaryPath("w.msw"))\"")
        XCTAssertFalse(session.hasUnsavedChanges)
    }

    func testWorkspaceRoundTripRestoresDataModelsAndCells() throws {
        let path = temporaryPath("w.msw")
        run("load \"data/diabetes.csv\" as diabetes; split diabetes seed=3 as train, test")
        run("fit linear train target=Y as m; set tolerance 1e-6")
        let predictions = try session.state.variables.model("m")!.predict(on: session.state.variables.dataset("test")!).numbers
        run("save workspace \"\(path)\"")
        let saved = session.state
        let savedCells = session.cells.dropLast()  // the file cannot hold the cell that saved it

        let other = Session(sink: CapturingSink())
        XCTAssertEqual(other.execute("open \"\(path)\""), .ok)
        XCTAssertEqual(other.state.variables, saved.variables)
        XCTAssertEqual(other.state.settings.tolerance, 1e-9, "tolerance steers scripts and is not kept in workspaces")
        // Durations live in memory only: the opened cells have none.
        XCTAssertEqual(Array(other.cells.prefix(savedCells.count)), savedCells.map { CellRecord(number: $0.number, input: $0.input, output: $0.output, succeeded: $0.succeeded) })
        XCTAssertEqual(other.cells.last?.input, "open \"\(path)\"")
        XCTAssertEqual(other.nextCellNumber, savedCells.count + 2)
        let reopened = try other.state.variables.model("m")!.predict(on: other.state.variables.dataset("test")!).numbers
        XCTAssertEqual(reopened.map(\.bitPattern), predictions.map(\.bitPattern))
    }

    /// A setting edited by hand in the file is the file's fault: one line naming the file, and
    /// the session as it was (it was "drift_p must be …" at the command, naming no file).
    func testAHandEditedSettingIsADamagedWorkspaceAndChangesNothing() throws {
        let path = temporaryPath("w.msw")
        run("load \"data/iris.csv\" as iris; set drift_p 0.05; save workspace \"\(path)\"")
        let database = try SQLiteDatabase(path: path, displayPath: path, fileKind: "test file", mode: .readWrite)
        try database.execute("UPDATE settings SET value = 'banana' WHERE key = 'drift_p'")
        try database.close()
        run("drop iris; set drift_p 0.02")
        let before = session.state
        let (error, _) = fail("open \"\(path)\"")
        XCTAssertEqual(error?.message, "\(path): damaged workspace (drift_p must be a number above 0 and below 1, found 'banana')")
        XCTAssertEqual(error?.category, .data)
        XCTAssertEqual(error?.location?.column, 6, "the caret is under the path")
        XCTAssertEqual(session.state.variables, before.variables)
        XCTAssertEqual(session.state.settings.drift.p, 0.02)
    }

    func testOpeningAWorkspaceKeepsTheScriptSettings() {
        let path = temporaryPath("w.msw")
        run("save workspace \"\(path)\"; set bail off; set tolerance 0.01; open \"\(path)\"")
        XCTAssertEqual(session.state.settings.bail, false)
        XCTAssertEqual(session.state.settings.tolerance, 0.01)
    }

    func testOpeningABadFileKeepsTheSession() throws {
        run("load \"data/iris.csv\" as iris")
        let junk = temporaryPath("junk.msw")
        try Data(repeating: 7, count: 5000).write(to: URL(fileURLWithPath: junk))
        let (error, _) = fail("open \"\(junk)\"")
        XCTAssertEqual(error?.category, .data)
        XCTAssertNotNil(session.state.variables.dataset("iris"))
    }

    func testSaveAndLoadModelGiveIdenticalPredictions() throws {
        let path = temporaryPath("m.json")
        run("load \"data/iris.csv\" as iris; fit linear iris target=Sepal.Length as m")
        run("save m to \"\(path)\"; load model \"\(path)\" as copy")
        let data = session.state.variables.dataset("iris")!
        let original = try session.state.variables.model("m")!.predict(on: data).numbers
        let copy = try session.state.variables.model("copy")!.predict(on: data).numbers
        XCTAssertEqual(copy.map(\.bitPattern), original.map(\.bitPattern))
    }

    func testPredictAddsAColumnAndRejectsAClash() {
        run("load \"data/iris.csv\" as iris; fit linear iris target=Sepal.Length features=Petal.Length as m")
        XCTAssertEqual(run("predict m on iris as scored"),
                       "scored: 150 rows × 7 columns (1 integer, 5 numeric, 1 categorical), predictions in 'predicted'")
        XCTAssertNotNil(session.state.variables.dataset("scored")?.column(named: "predicted"))
        XCTAssertEqual(fail("predict m on iris column=Species as again").error?.message,
                       "'iris' already has a column 'Species'; name the predictions with column=NAME")
        XCTAssertEqual(fail("predict m on scored as again").error?.location?.column, 1 + "predict m on ".count)
    }
}

/// `set timer on` prints each command's time after it, and keeps it out of the cell log.
final class TimerTests: ShellTestCase {
    func testTimerPrintsAfterEachCommandButNotIntoTheCellLog() throws {
        run("set timer on")
        let output = run("load \"data/iris.csv\" as iris")
        XCTAssertTrue(output.hasPrefix("iris: 150 rows"), output)
        XCTAssertNotNil(output.range(of: #"\ntime: \d+\.\d{3} s$"#, options: .regularExpression), output)
        XCTAssertFalse(try XCTUnwrap(session.cells.last).output.contains("time:"))
        run("set timer off")
        XCTAssertFalse(run("vars").contains("time:"))
    }
}
