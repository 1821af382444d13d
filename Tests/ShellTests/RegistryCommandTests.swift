import Diagnostics
import Foundation
import Language
@testable import Shell
import Store
import XCTest

/// The registry through the shell: versions made by fit, `@` references bound by the binder,
/// evaluations kept, confirmation for delete, and failed commands leaving the registry alone.
final class RegistryCommandTests: ShellTestCase {
    override func setUp() {
        super.setUp()
        run("load \"data/iris.csv\" as iris; split iris test=0.3 seed=1 as train, test")
        run("fit linear train target=Sepal.Length features=Petal.Length as m")
        run("fit linear train target=Sepal.Length features=Petal.Length,Petal.Width as m")
    }

    private var registry: ModelRegistry { session.state.variables.registry }

    private func message(_ source: String) -> String? { fail(source).error?.message }

    func testFitAddsVersionsAndTheBinderResolvesReferences() {
        XCTAssertEqual(registry["m"]?.versions.map(\.number), [1, 2])
        XCTAssertEqual(registry["m"]?.versions[1].origin.command, "fit linear train target=Sepal.Length features=Petal.Length,Petal.Width as m")
        XCTAssertEqual(registry["m"]?.versions[1].origin.cell, 4)
        run("alias m@1 production")
        for (reference, version) in [("m", 2), ("m@1", 1), ("m@2", 2), ("m@production", 1)] {
            let bound = try? Binder(table: session.table, variables: session.state.variables).bind(
                XCTUnwrap(Self.statement("summary \(reference)")))
            XCTAssertEqual(bound?.modelVersion("MODEL"), ModelVersionID(name: "m", version: version), reference)
        }
    }

    func testUnknownVersionsAndAliasesAreOneLineErrorsAtTheReference() {
        run("alias m@2 production")
        let (error, output) = fail("evaluate m@3 on test")
        XCTAssertEqual(error?.message, "m@3 does not exist (versions: m@1, m@2)")
        XCTAssertEqual(error?.location?.column, 10)
        XCTAssertTrue(output.hasSuffix("^~~"), output)
        XCTAssertEqual(message("summary m@prodution"), "'m' has no alias 'prodution'; did you mean 'production'? (aliases: production)")
        XCTAssertEqual(message("summary n@1"), "unknown model 'n'; did you mean 'm'?")
        XCTAssertEqual(message("summary iris@1"), "'iris' is a dataset, not a model")
        XCTAssertEqual(message("show train@1"), "DATA must be a name, found a model version 'train@1'")
        XCTAssertEqual(message("drop m@1"), "NAMES are whole names: drop m removes every version; delete m@1 removes one")
    }

    func testEvaluateAndCompareKeepTheirMetricsWithTheVersion() throws {
        run("evaluate m@1 on test")
        run("compare m@1, m on test")
        let first = try XCTUnwrap(registry.version(ModelVersionID(name: "m", version: 1)))
        XCTAssertEqual(first.evaluations.count, 2)
        XCTAssertEqual(first.evaluations[0].dataset, "test")
        XCTAssertEqual(first.evaluations[0].fingerprint, session.state.variables.dataset("test")?.fingerprint)
        XCTAssertEqual(first.evaluations[0].metrics, first.evaluations[1].metrics)
        XCTAssertEqual(registry.version(ModelVersionID(name: "m", version: 2))?.evaluations.count, 1)
        XCTAssertTrue(run("models sort=rmse").contains("rmse"))
    }

    func testRetireMovesTheNameAndAFailedCommandChangesNothing() {
        XCTAssertEqual(run("retire m"), "retired m@2; m now means m@1")
        XCTAssertTrue(run("summary m").contains("Sepal.Length ~ Petal.Length,"), "m is m@1 now")
        let before = session.state
        XCTAssertEqual(message("retire m@2"), "m@2 is already retired")
        XCTAssertEqual(message("compare m, m@1 on test"), "m@1 is listed twice")
        XCTAssertEqual(session.state, before)
    }

    func testDeleteAsksAndScriptsMustConfirmOnTheLine() {
        XCTAssertEqual(message("delete m@1"),
                       "delete asks for confirmation, and a script, -c or piped input cannot answer: write 'delete m@1 confirm=yes'")
        var questions: [String] = []
        session.confirmation = { questions.append($0); return false }
        XCTAssertEqual(run("delete m@1"), "kept m@1")
        XCTAssertEqual(questions, ["delete m@1 (linear model of Sepal.Length on 1 feature, fitted on train (105 rows))?"])
        session.confirmation = { _ in true }
        XCTAssertEqual(run("delete m@1"), "deleted m@1")
        XCTAssertEqual(registry["m"]?.versions.map(\.number), [2])
        XCTAssertEqual(run("delete m confirm=yes"), "deleted m@2 (the last version of m, so the name is gone)")
        XCTAssertNil(session.state.variables.kindName(of: "m"))
    }

    func testRecordAndCheckRunAtTheFixedTime() {
        if ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"] == nil {
            XCTAssertEqual(RegistryTime.text(Transcript.fixedTime), "2026-01-01T00:00:00Z")
        }
        let clocked = Session(sink: CapturingSink(), clock: { Date(timeIntervalSince1970: 86_400.75) })
        clocked.execute("load \"data/iris.csv\" as iris; fit linear iris target=Sepal.Length as m")
        XCTAssertEqual(clocked.state.variables.registry["m"]?.versions[0].origin.created.map(RegistryTime.text), "1970-01-02T00:00:00Z")
    }

    func testExportCardWritesMarkdown() throws {
        run("evaluate m on test")
        let path = temporaryPath("card.md")
        XCTAssertEqual(run("export card m to \"\(path)\""), "wrote the card of m@2 to \"\(path)\"")
        let card = try String(contentsOfFile: path, encoding: .utf8)
        for line in ["# Model card: m@2", "Predicts `Sepal.Length` (a quantity) from 2 features.", "| Petal.Width | numeric |  |",
                     "- Made by: cell 4: fit linear train target=Sepal.Length features=Petal.Length,Petal.Width as m",
                     "- Other versions: m@1"] {
            XCTAssertTrue(card.contains(line), "missing \(line) in\n\(card)")
        }
    }

    private static func statement(_ source: String) -> CommandSyntax? {
        guard case .statements(let statements)? = try? Parser.parse(source) else { return nil }
        return statements.first
    }
}
