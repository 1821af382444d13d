import Foundation
@testable import Shell
import XCTest

/// Every command's help example runs: each command's example lines, in a fresh session that
/// has run `preamble`, in a folder holding the sample data and the tour, must not fail.
final class ExampleTests: ShellTestCase {
    /// What the examples assume: the names they use (iris, diabetes, sales, train, test, m with
    /// two versions and the alias production, m2, small, flowers, p, scored) and the files they
    /// read (m.json, diabetes.msw).
    static let preamble = """
        load "data/iris.csv" as iris
        load "data/sales.csv" as sales
        load "data/diabetes.csv" as diabetes
        split diabetes test=0.2 seed=42 as train, test
        fit linear train target=Y as m
        fit linear iris target=Sepal.Length features=Species,Petal.Width as m2
        fit linear train target=Y features=AGE,BMI,BP as m
        fit lasso train target=Y as small
        evaluate m on test
        alias m@1 production
        fit logistic iris target=Species as flowers
        fit pca iris features=Sepal.Length,Sepal.Width,Petal.Length,Petal.Width as p
        predict m on test as scored
        save m to "m.json"
        save workspace "diabetes.msw"
        """

    override func setUp() {
        super.setUp()
        let folder = (temporaryPath("examples") as NSString).deletingLastPathComponent
        let manager = FileManager.default
        XCTAssertNoThrow(try manager.createSymbolicLink(atPath: folder + "/data", withDestinationPath: Self.sessionsDirectory + "/data"))
        XCTAssertNoThrow(try manager.copyItem(atPath: Self.sessionsDirectory + "/tour.msh", toPath: folder + "/tour.msh"))
        manager.changeCurrentDirectoryPath(folder)
    }

    func testEveryCommandsExampleRuns() {
        for command in CommandTable.standard.commands {
            let sink = CapturingSink()
            let session = Session(sink: sink)
            // What a user answers when `delete` asks.
            session.confirmation = { _ in true }
            for line in Self.preamble.split(separator: "\n") {
                XCTAssertEqual(session.execute(String(line)), .ok, "preamble: \(line)\n" + sink.take().joined(separator: "\n"))
            }
            _ = sink.take()
            for example in command.example.split(separator: "\n") {
                let status = session.execute(String(example))
                XCTAssertFalse(status.isFailure, "\(command.name)'s example `\(example)` failed:\n" + sink.take().suffix(5).joined(separator: "\n"))
            }
        }
    }
}
