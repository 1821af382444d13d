import Diagnostics
@testable import Shell
import Store
@testable import Tabular
import XCTest

/// Cells: `history`, `out`, `rerun`.
final class CellTests: ShellTestCase {
    override func setUp() {
        super.setUp()
        run("load \"data/iris.csv\" as iris")      // 1
        run("show iris rows=1 columns=Species")   // 2
        fail("describe irs")                       // 3
    }

    func testHistoryShowsStatusAndTimesOnlyWithTheTimer() {
        XCTAssertEqual(run("history"), """
            cell  status  input
            ----  ------  --------------------------------
               1  ok      load "data/iris.csv" as iris
               2  ok      show iris rows=1 columns=Species
               3  failed  describe irs
            """)
        XCTAssertTrue(session.cells.allSatisfy { $0.duration != nil })
        run("set timer on")
        let lines = run("history").split(separator: "\n")
        XCTAssertEqual(lines[0], "cell  status     time  input")
        XCTAssertNotNil(lines[2].range(of: #"^   1  ok      \d+\.\d{3} s  load"#, options: .regularExpression), String(lines[2]))
    }

    func testOutShowsACellsOutputAgain() {
        XCTAssertEqual(run("out 2"), "Species\n-------\nsetosa\n(1 of 150 rows)")
        XCTAssertTrue(run("out 3").contains("error: unknown dataset 'irs'"))
        XCTAssertEqual(fail("out 9").error?.message, "no cell 9 (cells are 1 to 5)")
        XCTAssertEqual(fail("out 7").error?.message, "cell 7 is this command itself (cells are 1 to 6)")
    }

    func testRerunRunsARangeAgainAsNewCellsInOrder() {
        fail("nosuch")                                                // 4
        let output = run("rerun 1..2")                                // 5 → cells 6, 7
        XCTAssertTrue(output.hasPrefix("rerunning cells 1..2 as cells 6..7\n[6]> load \"data/iris.csv\" as iris\niris: 150 rows"), output)
        XCTAssertTrue(output.hasSuffix("[7]> show iris rows=1 columns=Species\nSpecies\n-------\nsetosa\n(1 of 150 rows)"), output)
        XCTAssertEqual(session.cells.suffix(3).map(\.input), ["rerun 1..2", "load \"data/iris.csv\" as iris", "show iris rows=1 columns=Species"])
        XCTAssertEqual(session.cells.map(\.number), Array(1...7))
    }

    func testARerunStopsAtTheFirstFailureUnlessBailIsOff() {
        let stopped = fail("rerun 2..3")  // 4 → 5, 6
        XCTAssertTrue(stopped.output.contains("cell 3:1:10: error: unknown dataset 'irs'"), stopped.output)
        XCTAssertEqual(session.cells.map(\.succeeded), [true, true, false, true, true, false])

        run("vars")                       // 7
        run("set bail off")               // 8
        fail("rerun 3, ")                 // 9: not a range
        let carried = fail("rerun 5..7")  // 10 → 11, 12 (fails), 13
        XCTAssertTrue(carried.output.contains("[13]> vars"), carried.output)
        XCTAssertEqual(session.cells.suffix(3).map(\.succeeded), [true, false, true])
        XCTAssertEqual(session.cells.last?.input, "vars")
    }

    func testRerunsOfRerunsUnknownCellsAndBackwardRangesAreRefused() {
        run("rerun 2")  // 4 → 5
        XCTAssertEqual(fail("rerun 4").error?.message, "cell 4 is a rerun itself; rerun the cells it ran instead")
        XCTAssertEqual(fail("rerun 1..40").error?.message, "cell 7 is this command itself (cells are 1 to 6)")
        XCTAssertEqual(fail("rerun 40").error?.message, "no cell 40 (cells are 1 to 7)")
        XCTAssertEqual(fail("rerun 3..1").error?.message, "CELLS must be a range from the lower cell to the higher one, found a range '3..1'")
        XCTAssertEqual(fail("rerun 0").error?.message, "CELLS must be a cell number or a range of them, like 3 or 2..5, found a number '0'")
        let script = temporaryPath("r.msh")
        try? "rerun 1\n".write(toFile: script, atomically: true, encoding: .utf8)
        XCTAssertTrue(fail("run \"\(script)\"").output.contains("a script run by `run` cannot use it"))
    }
}

/// `help` by topic, `help topics`, `apropos`.
final class HelpTopicTests: ShellTestCase {
    func testTopicsWithoutCommandsAreNotShown() {
        let topics = run("help topics")
        XCTAssertTrue(topics.contains("\n  evaluation  evaluate, explain, cv, tune, path\n"), topics)
        for topic in CommandCategory.allCases {
            let hasCommands = session.table.commands.contains { $0.category == topic }
            XCTAssertEqual(topics.contains("\n  \(topic.topic) "), hasCommands, topic.topic)
            XCTAssertEqual(run("help").contains("\n\(topic.rawValue):\n") || run("help").hasPrefix("\(topic.rawValue):\n"), hasCommands)
        }
        XCTAssertEqual(run("help files"), """
            Files and workspace:
              save    Save a model to a JSON file, or the whole session to a workspace file
              export  Export a model to ONNX, write a model version's card, or the session as a notebook
              open    Open a workspace file, replacing the session's datasets, models and cell log
              run     Run a session script (*.msh) in this session
            """)
    }

    func testAproposSearchesNamesSummariesAndDetailsIgnoringCase() {
        let seed = run("apropos SEED")
        XCTAssertTrue(seed.hasPrefix("Commands that mention 'SEED':\n"), seed)
        for name in ["split", "cv", "tune", "explain"] { XCTAssertTrue(seed.contains("\n  \(name) "), name) }
        XCTAssertFalse(seed.contains("\n  vars "))
        XCTAssertTrue(run("apropos rerun").contains("\n  rerun "), "the name")
        XCTAssertTrue(run("apropos \"how long\"").contains("\n  history "), "the details")
        XCTAssertEqual(run("apropos zebra"), "no command mentions 'zebra' ('help' lists them all)")
    }
}

/// `write` then `load` gives back the same dataset, in CSV, TSV and both JSON layouts.
final class WriteLoadRoundTripTests: ShellTestCase {
    /// Every column type, a missing value in each, and text that CSV must quote.
    private func awkwardDataset() throws -> Dataset {
        let n = 25
        let awkward = ["comma, here", "quote \"q\" end", "line\nbreak", "crlf\r\nx", "  padded  ", "tab\tin", "é 漢 😀",
                       "\u{202E}bidi", "back\\slash", "semi;colon", "'single'", "{\"json\": [1]}"]
        let texts: [String?] = (0..<n).map { $0 == 3 ? nil : $0 < awkward.count ? awkward[$0] : "plain \($0)" }
        var numbers = (0..<n).map { Double($0) * 0.1 - 1 }
        numbers[1] = 2.0
        numbers[2] = .infinity
        numbers[4] = -.infinity
        numbers[5] = 1e-300
        numbers[6] = .nan
        numbers[7] = 123456789.123456789
        return try Dataset(columns: [
            Column.numeric("id", (0..<n).map { $0 == 8 ? .nan : Double($0 * 1000) }, type: .integer),
            Column.numeric("x, \"odd\" name", numbers),
            Column.numeric("flag", (0..<n).map { $0 == 9 ? .nan : Double($0 % 2) }, type: .boolean),
            Column.categorical("group", codes: (0..<n).map { $0 == 10 ? -1 : $0 % 3 }, levels: ["a b", "c,d", "e\"f"]),
            Column(name: "note", type: .text, storage: .strings(TextColumn(texts.map { $0 ?? "" })),
                   missing: { var mask = MissingMask(count: n); mask[3] = true; return mask }()),
        ])
    }

    func testWriteThenLoadKeepsTypesValuesAndMissingValues() throws {
        let original = try awkwardDataset()
        let source = temporaryPath("source.csv")
        let csv = String(decoding: DataWriter.csv(original), as: UTF8.self)
        XCTAssertTrue(csv.contains(",FALSE,") && csv.contains(",TRUE,") && !csv.contains("true"), "R's read.csv reads only TRUE/FALSE as logical")
        try csv.write(toFile: source, atomically: true, encoding: .utf8)
        run("load \"\(source)\" as d")
        assertSame(try XCTUnwrap(session.state.variables.dataset("d")), original, "the CSV writer's file")

        for (file, option) in [("out.csv", ""), ("out.tsv", ""), ("out.tab", ""), ("out.json", ""), ("records.json", " layout=records"),
                               ("columns.json", " layout=columns")] {
            let path = temporaryPath(file)
            XCTAssertEqual(run("write d to \"\(path)\"\(option)"), "wrote d to \"\(path)\": 25 rows × 5 columns")
            run("load \"\(path)\" as back")
            assertSame(try XCTUnwrap(session.state.variables.dataset("back")), original, file + option)
        }
    }

    /// A dataset of more rows than a block (and not a whole number of blocks) reaches the sink
    /// in blocks, in row order, and reads back the same in every format.
    func testLargeDatasetsAreWrittenInBlocksAndReadBack() throws {
        let rows = DataWriter.rowsPerBlock * 2 + 1_234
        let original = try Dataset(columns: [
            Column.numeric("id", (0..<rows).map(Double.init), type: .integer),
            Column.numeric("x", (0..<rows).map { $0 % 97 == 0 ? .nan : Double($0) / 7 }),
            Column.categorical("g", codes: (0..<rows).map { $0 % 89 == 0 ? -1 : $0 % 3 }, levels: [" d", "a, b", "c"]),
            Column(name: "t", type: .text, storage: .strings(TextColumn((0..<rows).map { "text \($0) \"quoted\"" })),
                   missing: MissingMask(count: rows)),
        ])
        var blocks: [Int] = [], streamed: [UInt8] = []
        try DataWriter.csv(original) { block in
            blocks.append(block.count)
            streamed.append(contentsOf: block)
        }
        XCTAssertGreaterThan(blocks.count, 3, "a header, then blocks of rows")
        XCTAssertLessThan(blocks.max() ?? 0, streamed.count / 2, "no block holds most of the file")
        let lines = String(decoding: streamed, as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(lines.count, rows + 1)
        XCTAssertEqual(lines[rows], "\(rows - 1),\((Double(rows - 1) / 7).description),c,\"text \(rows - 1) \"\"quoted\"\"\"")
        let source = temporaryPath("streamed.csv")
        try Data(streamed).write(to: URL(fileURLWithPath: source))
        run("load \"\(source)\" as big")
        assertSame(try XCTUnwrap(session.state.variables.dataset("big")), original, "the streamed CSV")
        for (file, option) in [("big.csv", ""), ("big.tsv", ""), ("big.json", ""), ("big-columns.json", " layout=columns")] {
            let path = temporaryPath(file)
            run("write big to \"\(path)\"\(option)")
            run("load \"\(path)\" as back")
            assertSame(try XCTUnwrap(session.state.variables.dataset("back")), original, file + option)
        }
    }

    /// Ctrl-C during a write stops it between blocks: the old file stays as it was and no
    /// temporary file is left beside it.
    func testAnInterruptedWriteLeavesTheOldFile() throws {
        let path = temporaryPath("kept.csv")
        try "old\n".write(toFile: path, atomically: true, encoding: .utf8)
        run("load \"data/iris.csv\" as iris")
        Interruption.installHandler()
        raise(SIGINT)
        XCTAssertEqual(fail("write iris to \"\(path)\"").error?.category, .interrupted)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "old\n")
        let directory = (path as NSString).deletingLastPathComponent
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["kept.csv"])
        XCTAssertFalse(Interruption.isRequested)
    }

    func testWriteRefusesOtherExtensionsAndCSVLayouts() {
        run("load \"data/iris.csv\" as iris")
        XCTAssertEqual(fail("write iris to \"x.txt\"").error?.message, "write picks the format from the file's extension, .csv, .tsv or .json; found \"x.txt\"")
        XCTAssertEqual(fail("write iris to \"x.csv\" layout=columns").error?.message, "layout= is for .json files")
        XCTAssertEqual(fail("write iris to \"x.tsv\" layout=columns").error?.message, "layout= is for .json files")
        XCTAssertEqual(fail("load \"x.json\" sep=\";\" as x").error?.message, "sep= is for CSV files; a .json file is read as JSON")
    }

    private func assertSame(_ data: Dataset, _ expected: Dataset, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(data.columnNames, expected.columnNames, what, file: file, line: line)
        XCTAssertEqual(data.columns.map(\.type), expected.columns.map(\.type), what, file: file, line: line)
        XCTAssertEqual(data.columns.map(\.levels), expected.columns.map(\.levels), what, file: file, line: line)
        for (got, want) in zip(data.columns, expected.columns) {
            XCTAssertEqual((0..<got.count).map(got.text(at:)), (0..<want.count).map(want.text(at:)), "\(what): \(want.name)", file: file, line: line)
            if let numbers = got.numbers, let wanted = want.numbers {
                XCTAssertEqual(zip(numbers, wanted).filter { !($0.isNaN && $1.isNaN) && $0.bitPattern != $1.bitPattern }.count, 0,
                               "\(what): \(want.name) bit for bit", file: file, line: line)
            }
        }
    }
}
