@testable import Shell
import XCTest

final class ScriptTests: XCTestCase {
    func testEntriesKeepCommentsOutputsAndMultiLineStatements() {
        let script = Script.parse("""
        # heading

        vars
        #> no datasets
        fit linear d target=y \\
          features=[a,
                    b] as m
        #> line one
        #>
        # trailing comment
        """)
        XCTAssertEqual(script.entries.count, 2)
        XCTAssertEqual(script.entries[0].leading, ["# heading", ""])
        XCTAssertEqual(script.entries[0].line, 3)
        XCTAssertEqual(script.entries[0].expected, ["no datasets"])
        XCTAssertEqual(script.entries[1].line, 5)
        XCTAssertEqual(script.entries[1].source.split(separator: "\n").count, 3)
        XCTAssertEqual(script.entries[1].expected, ["line one", ""])
        XCTAssertEqual(script.trailing, ["# trailing comment"])
    }

    func testWindowsLineEndsSplitLinesToo() {
        let script = Script.parse("# c\r\nvars\r\n#> out\r\nshow \\\r\n  iris\r\n")
        XCTAssertEqual(script.entries.map(\.source), ["vars", "show \\\n  iris"])
        XCTAssertEqual(script.entries.map(\.line), [2, 4])
        XCTAssertEqual(script.entries[0].expected, ["out"])
    }

    func testRecordedOutputEndsAStatementLeftOpen() {
        // A string never closed takes the lines after it, up to the output recorded for it.
        let script = Script.parse("load \"x.csv as d\nvars\n#> error: incomplete command\n#>     load \"x.csv as d\n")
        XCTAssertEqual(script.entries.count, 1)
        XCTAssertEqual(script.entries[0].source, "load \"x.csv as d\nvars")
        XCTAssertEqual(script.entries[0].expected, ["error: incomplete command", "    load \"x.csv as d"])
    }

    func testRenderingWritesOutputsUnderTheirStatements() {
        let script = Script.parse("# c\nvars\n#> old\nhistory\n")
        XCTAssertEqual(script.rendered(outputs: [["new", ""], nil]), "# c\nvars\n#> new\n#>\nhistory\n")
    }
}

final class OutputComparisonTests: XCTestCase {
    func testNumbersWithinTheRelativeToleranceMatch() {
        XCTAssertTrue(OutputComparison.linesMatch("r2  0.5961178", "r2  0.5961178000001", tolerance: 1e-9))
        XCTAssertFalse(OutputComparison.linesMatch("r2  0.5961178", "r2  0.5961179", tolerance: 1e-9))
        XCTAssertTrue(OutputComparison.linesMatch("r2  0.5961178", "r2  0.5961179", tolerance: 1e-6))
        XCTAssertTrue(OutputComparison.linesMatch("t = -1.5e-3", "t = -0.0015", tolerance: 1e-12))
    }

    func testByteSizesMatchWithinOneUnitOfTheirLastDigit() {
        XCTAssertTrue(OutputComparison.linesMatch("aliased  model  8.5 KiB  linear model", "aliased  model  8.4 KiB  linear model", tolerance: 1e-9))
        XCTAssertTrue(OutputComparison.linesMatch("file 196.9 KiB → 99.4 KiB", "file 197.0 KiB → 99.4 KiB", tolerance: 1e-9))
        XCTAssertTrue(OutputComparison.linesMatch("812 B", "813 B", tolerance: 1e-9))
        XCTAssertFalse(OutputComparison.linesMatch("aliased  model  8.5 KiB", "aliased  model  8.3 KiB", tolerance: 1e-9))
        XCTAssertFalse(OutputComparison.linesMatch("812 B", "814 B", tolerance: 1e-9))
        // Other numbers keep the relative tolerance: a count, or a number before a word that is not a unit.
        XCTAssertFalse(OutputComparison.linesMatch("fitted on collinear (6 rows)", "fitted on collinear (7 rows)", tolerance: 1e-9))
        XCTAssertFalse(OutputComparison.linesMatch("8.5 Bq", "8.4 Bq", tolerance: 1e-9))
    }

    func testPaddingAndRuleLengthsAreIgnored() {
        XCTAssertTrue(OutputComparison.linesMatch("a  b", "a  b  ", tolerance: 0))
        XCTAssertTrue(OutputComparison.linesMatch("rmse     0.4721821", "rmse      0.472182", tolerance: 1e-6))
        XCTAssertFalse(OutputComparison.linesMatch("rmse     0.4721821", "rmse      0.472182", tolerance: 1e-9))
        XCTAssertTrue(OutputComparison.linesMatch("-------  ---------", "-------  --------", tolerance: 0))
        XCTAssertFalse(OutputComparison.linesMatch("-------  ---------", "-------", tolerance: 0))
        XCTAssertFalse(OutputComparison.linesMatch("ab", "a b", tolerance: 0))
    }

    func testTextAndNamesMustMatchExactly() {
        XCTAssertFalse(OutputComparison.linesMatch("x1  3", "x2  3", tolerance: 0.5))
        XCTAssertFalse(OutputComparison.linesMatch("n  30", "n  30 rows", tolerance: 1e-9))
        XCTAssertFalse(OutputComparison.linesMatch("a 1", "b 1", tolerance: 1))
    }
}

final class TranscriptTests: ShellTestCase {
    func testRecordThenCheckPassesAndACanaryChangeFails() {
        let script = Script.parse("load \"data/iris.csv\" as iris\ndescribe nothing\nvars\n")
        let (text, run) = Transcript.record(script, file: "t.msh")
        XCTAssertNotNil(run.stoppedBy, "bail is on by default")
        XCTAssertNil(run.outputs[2])
        let lenient = Script.parse("set bail off\n" + Script.parse(text).rendered(outputs: [nil, nil, nil]))
        let (recorded, _) = Transcript.record(lenient, file: "t.msh")
        XCTAssertTrue(recorded.contains("#> t.msh:4:10: error: unknown dataset 'nothing'\n#>     describe nothing\n"), recorded)
        XCTAssertEqual(Transcript.check(Script.parse(recorded), file: "t.msh"), [])

        let changed = recorded.replacingOccurrences(of: "150 rows", with: "151 rows")
        let differences = Transcript.check(Script.parse(changed), file: "t.msh")
        XCTAssertEqual(differences.count, 2, differences.joined(separator: "\n"))
        XCTAssertTrue(differences[0].hasPrefix("t.msh:2: output differs for: load \"data/iris.csv\" as iris\n  - iris: 151 rows"), differences[0])
    }

    func testRecordNumbersErrorsByTheLinesOfTheFileItWrites() {
        // Comments and blank lines above statements count once (they were counted twice, once
        // for the check for Ctrl-C before a statement).
        let script = Script.parse("# errors\n\nset bail off\nhelp drop\n# the next fails\n\ndescribe nothing\n")
        let (text, _) = Transcript.record(script, file: "t.msh")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let describeLine = lines.firstIndex(of: "describe nothing")! + 1
        XCTAssertTrue(text.contains("t.msh:\(describeLine):10: error"), text)
        XCTAssertEqual(Transcript.record(Script.parse(text), file: "t.msh").text, text, "recording is a fixed point")
    }

    func testCommandsAfterQuitAreNotRunAndNotChecked() {
        let (text, run) = Transcript.record(Script.parse("vars\nquit\nvars\n"), file: "q.msh")
        XCTAssertEqual(run.quitAt, 2)
        XCTAssertEqual(Transcript.check(Script.parse(text), file: "q.msh"), [])
        let edited = text + "#> something\n"
        XCTAssertEqual(Transcript.check(Script.parse(edited), file: "q.msh"), ["q.msh:4: not run (the script quit on line 3): vars"])
    }

    func testToleranceSetInTheScriptApplies() {
        let recorded = "set tolerance 0.01\n#>\nload \"data/iris.csv\" as iris\n#> iris: 150.5 rows × 6 columns (1 integer, 4 numeric, 1 categorical)\n"
        let strict = Transcript.check(Script.parse(recorded.replacingOccurrences(of: "set tolerance 0.01\n#>\n", with: "")), file: "t.msh")
        XCTAssertEqual(strict.count, 1)
        let fixed = recorded.replacingOccurrences(of: "set tolerance 0.01\n#>\n", with: "set tolerance 0.01\n")
        XCTAssertEqual(Transcript.check(Script.parse(fixed), file: "t.msh"), [])
    }
}

final class NestedScriptStopTests: ShellTestCase {
    /// A script stopped by an error in a script it ran names that script's line as that
    /// script's (it said "on line 3", a line of the checked file that had run fine).
    func testCommandsNotRunNameTheFileOfTheErrorThatStoppedThem() {
        let recorded = "run \"data/bad/fails_midway.msh\"\n#> x\nvars\n#> y\n"
        let differences = Transcript.check(Script.parse(recorded), file: "t.msh")
        XCTAssertEqual(differences.count, 2, differences.joined(separator: "\n"))
        XCTAssertEqual(differences.last, "t.msh:3: not run (the script stopped at the error on line 3 of data/bad/fails_midway.msh): vars")
        let own = Transcript.check(Script.parse("vars\ndescribe nothing\nvars\n#> y\n"), file: "t.msh")
        XCTAssertEqual(own.last, "t.msh:3: not run (the script stopped at the error on line 2): vars")
    }
}
