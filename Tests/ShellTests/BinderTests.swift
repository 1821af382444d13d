import Diagnostics
import Models
@testable import Shell
import XCTest

/// Everything a user can get wrong by name or shape is caught before the command runs.
final class BinderTests: ShellTestCase {
    override func setUp() {
        super.setUp()
        run("load \"data/iris.csv\" as iris")
    }

    private func message(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> String? {
        fail(source, file: file, line: line).error?.message
    }

    func testUnknownCommandSuggestsTheNearestOne() {
        XCTAssertEqual(message("descrbe iris"), "unknown command 'descrbe'; did you mean 'describe'? (type 'help' for the list)")
    }

    func testUnknownNamesAreCaughtWithSuggestionsAndLocations() {
        let (error, output) = fail("show irsi rows=2")
        XCTAssertEqual(error?.message, "unknown dataset 'irsi'; did you mean 'iris'?")
        XCTAssertEqual(error?.location?.column, 6)
        XCTAssertEqual(output, "error: unknown dataset 'irsi'; did you mean 'iris'?\n    show irsi rows=2\n         ^~~~")
        XCTAssertEqual(message("fit linear iris target=petal.width as m"),
                       "unknown column 'petal.width' in dataset 'iris'; did you mean 'Petal.Width'?")
        XCTAssertEqual(message("fit linear iris target=Sepal.Length features=Petal.Width,Sepal.Widht as m"),
                       "unknown column 'Sepal.Widht' in dataset 'iris'; did you mean 'Sepal.Width'?")
        XCTAssertEqual(message("summary iris"), "'iris' is a dataset, not a model")
        XCTAssertEqual(message("fit linaer iris target=Sepal.Length as m"), "unknown model kind 'linaer'; did you mean 'linear'? (kinds: " + ModelCatalogue.kinds.map(\.name).joined(separator: ", ") + ")")
    }

    func testColumnsThatAreNotIdentifiersAreWrittenQuoted() throws {
        let path = temporaryPath("odd.csv")
        try "my x,y-val\n1,2\n2,4.5\n3,5\n".write(toFile: path, atomically: true, encoding: .utf8)
        run("load \"\(path)\" as odd")
        XCTAssertTrue(run("fit linear odd target=\"y-val\" features=[\"my x\"] as m").hasPrefix("m@1: linear model of y-val on 1 feature"))
        XCTAssertEqual(message("fit linear odd target=\"y-vol\" as m2"), "unknown column \"y-vol\" in dataset 'odd'; did you mean \"y-val\"?")
        XCTAssertEqual(Completion.candidates(for: "fit linear odd target=y", in: session).candidates, ["target=\"y-val\""])
    }

    func testOptionsAreChecked() {
        XCTAssertEqual(message("split iris sed=3 as a, b"), "unknown option 'sed' for split; did you mean 'seed'?")
        XCTAssertEqual(message("describe iris rows=3"), "unknown option 'rows' for describe (describe takes no options)")
        XCTAssertEqual(message("split iris seed=1 seed=2 as a, b"), "option 'seed' is given twice")
        XCTAssertEqual(message("show iris rows=2.5"), "rows must be a whole number ≥ 0, found a number '2.5'")
        XCTAssertEqual(message("split iris seed=1e300 as a, b"), "seed must be a whole number at most 9007199254740992, found a number '1e300'")
        XCTAssertEqual(run("split iris seed=4294967296 as a, b"), "a: 120 rows, b: 30 rows (seed 4294967296)")
        XCTAssertEqual(message("load \"data/iris.csv\" header=maybe as x"), "header is a switch: true or false (also yes/no, on/off), found 'maybe'")
        XCTAssertTrue(run("load \"data/iris.csv\" header=true as x; load \"data/iris.csv\" header=on as y").contains("x: 150 rows"))
        XCTAssertEqual(message("fit linear iris as m"), "'linear' needs target=, the column to predict")
        XCTAssertEqual(message("fit kmeans iris target=Species as m"), "'kmeans' learns without a target; leave out target=")
        XCTAssertEqual(message("cv kmeans iris target=Species"), "cross-validation scores predictions of a target; 'kmeans' learns without one")
    }

    func testArgumentsAndOutputNamesAreCounted() {
        XCTAssertEqual(message("show"), "show needs DATA; usage: show DATA [rows=…] [columns=…]")
        XCTAssertEqual(message("show iris iris"), "unexpected argument 'iris'; usage: show DATA [rows=…] [columns=…]")
        XCTAssertEqual(message("split iris as train"), "split needs 'as TRAIN, TEST' (2 names)")
        XCTAssertEqual(message("split iris as a, a"), "the name 'a' is used twice after 'as'")
        XCTAssertEqual(message("describe iris as d"), "describe does not take 'as NAME'")
        XCTAssertEqual(message("load iris as x"), "PATH must be a quoted path, like \"data/file.csv\", found a name 'iris'")
        XCTAssertEqual(message("save workspace \"\""), "PATH is an empty path")
    }

    func testFormsAreChosenByTheirKeywords() {
        XCTAssertEqual(message("save iris \"x.json\""), "save is written 'save workspace PATH' or 'save MODEL to PATH'")
        XCTAssertEqual(message("save iris to \"x.json\""), "'iris' is a dataset, not a model")
        XCTAssertEqual(message("evaluate iris with iris"), "evaluate is written 'evaluate MODEL on DATA [threshold=…]'")
    }

    func testTheStoresKeywordListIsTheTables() {
        XCTAssertEqual(session.table.formKeywords, Identifier.keywords)
    }

    func testKeywordsCannotBeNames() {
        XCTAssertEqual(message("fit linear iris target=Sepal.Length as workspace"),
                       "'workspace' is a keyword of the command language; choose another name")
        XCTAssertEqual(message("load \"data/iris.csv\" as on"), "'on' is a keyword of the command language; choose another name")
    }

    func testAliasesResolveToTheirCommand() {
        XCTAssertTrue(run("head iris rows=1").contains("(1 of 150 rows)"))
    }
}
