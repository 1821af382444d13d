import Language
@testable import Shell
import XCTest

final class HelpTests: ShellTestCase {
    func testOverviewListsEveryCommandOnceByGroup() {
        let help = run("help")
        for command in session.table.commands {
            XCTAssertEqual(help.components(separatedBy: "\n  \(command.name) ").count, 2, "\(command.name) in:\n\(help)")
        }
        XCTAssertTrue(help.hasPrefix("Data:\n"))
    }

    func testEveryCommandHasHelpAnExampleAndUsage() {
        for command in session.table.commands {
            XCTAssertFalse(command.summary.isEmpty, command.name)
            XCTAssertFalse(command.details.isEmpty, command.name)
            XCTAssertTrue(command.example.hasPrefix(command.name), "\(command.name)'s example: \(command.example)")
            let help = run("help \(command.name)")
            XCTAssertTrue(help.hasPrefix("\(command.name) — \(command.summary)"), help)
            for usage in command.usageLines { XCTAssertTrue(help.contains(usage), help) }
        }
    }

    func testCommandHelpIsGeneratedFromTheTable() {
        XCTAssertEqual(run("help split").split(separator: "\n", omittingEmptySubsequences: false).prefix(3).joined(separator: "\n"), """
        split — Split a dataset into training and test rows, reproducibly

          split DATA [test=…] [seed=…] [stratify=…] as TRAIN, TEST
        """)
        XCTAssertEqual(fail("help splt").error?.message, "unknown command or topic 'splt'; did you mean 'split'? (type 'help' for the list)")
        XCTAssertEqual(fail("help poisson").error?.message, "'poisson' is a model kind: 'help fit' lists the kinds and their options")
        XCTAssertEqual(fail("help weight").error?.message, "'weight' is a model option: 'help fit' lists the kinds and their options")
    }

    func testTheReadmeCarriesTheGeneratedCommandReference() throws {
        let readme = try String(contentsOfFile: Self.sessionsDirectory + "/../README.md", encoding: .utf8)
        let start = try XCTUnwrap(readme.range(of: "-->\n", range: try XCTUnwrap(readme.range(of: "<!-- commands:")).upperBound..<readme.endIndex))
        let end = try XCTUnwrap(readme.range(of: "\n<!-- /commands -->"))
        XCTAssertEqual(String(readme[start.upperBound..<end.lowerBound]), HelpText.markdownReference(session.table),
                       "regenerate the README's reference with `modelsh reference`")
    }

    func testEveryExampleParsesAndBindsItsCommand() throws {
        for command in session.table.commands {
            for example in command.example.split(separator: "\n") {
                guard case .statements(let statements) = try Parser.parse(String(example)) else {
                    return XCTFail("incomplete example \(example)")
                }
                XCTAssertEqual(statements.first.flatMap { session.table.command(named: $0.verb)?.name }, command.name, String(example))
            }
        }
    }
}

final class CompletionTests: ShellTestCase {
    private func complete(_ text: String) -> Completion { Completion.candidates(for: text, in: session) }

    override func setUp() {
        super.setUp()
        run("load \"data/iris.csv\" as iris; fit linear iris target=Sepal.Length features=Petal.Width as m")
    }

    func testColumnNamesCompleteInsideExpressions() {
        XCTAssertEqual(complete("filter iris where Sepal.Length > 5 and Pe").candidates, ["Petal.Length", "Petal.Width"])
        XCTAssertEqual(complete("filter iris where Spe").candidates, ["Species"])
        XCTAssertEqual(complete("derive iris r = Petal.Length / Petal.W").candidates, ["Petal.Width"])
    }

    func testCommandNames() {
        XCTAssertEqual(complete("des"), Completion(replacing: 3, candidates: ["describe"]))
        XCTAssertEqual(complete("s").candidates, ["save", "select", "set", "show", "sort", "split", "summary"])
    }

    func testDatasetAndModelNamesByPosition() {
        XCTAssertEqual(complete("describe i").candidates, ["iris"])
        XCTAssertEqual(complete("summary ").candidates, ["m"])
        XCTAssertEqual(complete("evaluate m o").candidates, ["on"])
        XCTAssertEqual(complete("evaluate m on ").candidates, ["iris"])
        XCTAssertEqual(complete("fit li").candidates, ["linear"])
        XCTAssertEqual(complete("drop ").candidates, ["iris", "m"])
    }

    func testColumnsOfTheDatasetInTheCommand() {
        XCTAssertEqual(complete("fit linear iris target=Pe"), Completion(replacing: 9, candidates: ["target=Petal.Length", "target=Petal.Width"]))
        XCTAssertEqual(complete("fit linear iris target=Sepal.Length features=Petal.Width,Sp").candidates,
                       ["features=Petal.Width,Species"])
        // An interaction's next column, after its ':' or '*'.
        XCTAssertEqual(complete("fit linear iris target=Sepal.Length features=Petal.Width:Sp").candidates,
                       ["features=Petal.Width:Species"])
        XCTAssertEqual(complete("cv linear iris target=Sepal.Length features=Species*Petal.W").candidates,
                       ["features=Species*Petal.Width"])
        XCTAssertEqual(complete("split iris stratify=Spe").candidates, ["stratify=Species"])
        // A kind's option that names a column (weight=) completes the data's columns too.
        XCTAssertEqual(complete("fit linear iris target=Sepal.Length weight=Petal.W").candidates, ["weight=Petal.Width"])
    }

    func testOptionNamesAndKeywords() {
        XCTAssertEqual(complete("split iris ").candidates, ["as", "seed=", "stratify=", "test="])
        XCTAssertEqual(complete("load \"x.csv\" he").candidates, ["header="])
        XCTAssertEqual(complete("load \"x.csv\" header=").candidates, ["header=no", "header=yes"])
        XCTAssertEqual(complete("set ").candidates, ["bail", "digits", "drift_p", "drift_psi", "format", "memory", "monitor_drop", "plot", "timer", "tolerance", "undo", "width"])
        XCTAssertEqual(complete("set format=").candidates, ["format=csv", "format=json", "format=markdown", "format=table"])
        XCTAssertEqual(complete("set width ").candidates, ["auto"], "not the NUMBER placeholder")
        XCTAssertEqual(complete("help to").candidates, ["topics"])
        XCTAssertEqual(complete("plot ").candidates, ["box", "coef", "confusion", "hist", "importance", "learning-curve", "monitor", "pr", "pred", "qq", "residuals", "roc", "scatter"])
        XCTAssertEqual(complete("plot learn").candidates, ["learning-curve"], "a subcommand's old spelling is not offered")
        XCTAssertEqual(complete("learning-").candidates, ["learning-curve"])
        XCTAssertEqual(complete("plot roc m ").candidates, ["on"])
        XCTAssertEqual(complete("plot hist iris Sepal.Length ").candidates, ["bins=", "by=", "to"])
        XCTAssertEqual(complete("set bail ").candidates, ["off", "on"])
        XCTAssertEqual(complete("set tolerance ").candidates, [])
        XCTAssertEqual(complete("split iris as ").candidates, [], "new names are not completed")
    }

    func testFormsFollowWhatWasTyped() {
        XCTAssertEqual(complete("save ").candidates, ["m", "workspace"])
        XCTAssertEqual(complete("save workspace ").candidates, [])
        XCTAssertEqual(complete("save m ").candidates, ["to"])
        XCTAssertEqual(complete("save iris ").candidates, [], "iris is a dataset: no form fits")
        XCTAssertEqual(complete("load model ").candidates, [])
        XCTAssertEqual(complete("split iris test=").candidates, [])
    }

    func testInsideBracketListsAndAcrossContinuationLines() {
        XCTAssertEqual(complete("fit linear iris target=Sepal.Length features=[Pe").candidates,
                       ["features=[Petal.Length", "features=[Petal.Width"])
        XCTAssertEqual(complete("fit linear iris target=Sepal.Length features=[Petal.Width, Sp").candidates, ["Species"])
        XCTAssertEqual(complete("fit linear iris target=Sepal.Length features=[Petal.Width] a").candidates, ["as"])
        XCTAssertEqual(complete("fit linear iris \\\n  target=Sep").candidates, ["target=Sepal.Length", "target=Sepal.Width"])
    }

    func testPathsInsideQuotes() {
        XCTAssertEqual(complete("load \"da"), Completion(replacing: 2, candidates: ["data/"]))
        XCTAssertEqual(complete("load \"data/fil"), Completion(replacing: 8, candidates: ["data/filip.csv\""]))
        XCTAssertEqual(complete("load \"data/ir").candidates, ["data/iris.csv\"", "data/iris.csv.gz\""])
        XCTAssertTrue(complete("load \"data/").candidates.contains("data/bad/"))
    }
}
