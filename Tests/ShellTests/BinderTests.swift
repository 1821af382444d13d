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

    func testColumnsThatAreNotIdentifiersAreWrittenAsTyped() throws {
        let path = temporaryPath("odd.csv")
        try "my x,y-val\n1,2\n2,4.5\n3,5\n".write(toFile: path, atomically: true, encoding: .utf8)
        run("load \"\(path)\" as odd")
        XCTAssertTrue(run("fit linear odd target=\"y-val\" features=[\"my x\"] as m").hasPrefix("m@1: linear model of y-val on 1 feature"))
        XCTAssertEqual(message("fit linear odd target=\"y-vol\" as m2"), "unknown column 'y-vol' in dataset 'odd'; did you mean 'y-val'?")
        XCTAssertEqual(Completion.candidates(for: "fit linear odd target=y", in: session).candidates, ["target=y-val"], "a hyphenated word is typed bare")
        XCTAssertTrue(run("fit linear odd target=y-val features=[\"my x\"] as m").hasPrefix("m@2: linear model of y-val on 1 feature"))
        XCTAssertEqual(Completion.candidates(for: "fit linear odd target=m", in: session).candidates, ["target=\"my x\""])
        // scikit-learn's wine has a column 'od280/od315_of_diluted_wines': the item is named, and how to write it.
        XCTAssertEqual(message("fit linear odd target=\"y-val\" features=[\"my x\", od280/od315] as m3"),
                       "features must be columns, their powers (a^2) or interactions (a:b, a*b), found an expression 'od280/od315': a column name that is not one word is quoted, \"od280/od315\"; an expression is made a column first (derive DATA NEWNAME = od280/od315)")
        XCTAssertEqual(message("fit linear odd target=2024 as m3"),
                       "target must be a column name, found a number '2024': a column name that is not one word is quoted, \"2024\"")
    }

    func testOptionsAreChecked() {
        XCTAssertEqual(message("split iris sed=3 as a, b"), "unknown option 'sed' for split; did you mean 'seed'?")
        XCTAssertEqual(message("columns iris rows=3"), "unknown option 'rows' for columns (columns takes no options)")
        XCTAssertEqual(message("describe iris rows=3"), "unknown option 'rows' for describe (options: columns)")
        XCTAssertEqual(message("split iris seed=1 seed=2 as a, b"), "option 'seed' is given twice")
        XCTAssertEqual(message("show iris rows=2.5"), "rows must be a whole number ≥ 0, found a number '2.5'")
        XCTAssertEqual(message("split iris seed=1e300 as a, b"), "seed must be a whole number at most 9007199254740992, found a number '1e300'")
        XCTAssertEqual(run("split iris seed=4294967296 as a, b"), "a: 120 rows, b: 30 rows (seed 4294967296)")
        XCTAssertEqual(message("load \"data/iris.csv\" header=maybe as x"), "header is a switch: true or false (also yes/no, on/off), found 'maybe'")
        XCTAssertTrue(run("load \"data/iris.csv\" header=true as x; load \"data/iris.csv\" header=on as y").contains("x: 150 rows"))
        // Choices are listed as they are typed: punctuation quoted, words bare.
        XCTAssertEqual(message("load \"data/iris.csv\" thousands=\";\" as x"), "thousands must be one of \",\", \".\", \" \", \"'\", _, found \";\"")
        XCTAssertEqual(message("load \"data/iris.csv\" decimal=comma as x"), "decimal must be one of \".\", \",\", found comma")
        XCTAssertEqual(message("fit linear iris as m"), "'linear' needs target=, the column to predict")
        XCTAssertEqual(message("fit kmeans iris target=Species as m"), "'kmeans' learns without a target; leave out target=")
        XCTAssertEqual(message("cv kmeans iris target=Species"), "cross-validation scores predictions of a target; 'kmeans' learns without one")
    }

    func testArgumentsAndOutputNamesAreCounted() {
        XCTAssertEqual(message("show"), "show needs DATA; usage: show DATA [rows=…] [columns=…]")
        XCTAssertEqual(message("show iris iris"), "unexpected argument 'iris'; usage: show DATA [rows=…] [columns=…]")
        XCTAssertEqual(message("split iris as train"), "split needs 'as TRAIN, TEST' (2 names)")
        XCTAssertEqual(message("split iris as a, a"), "the name 'a' is used twice after 'as'")
        XCTAssertEqual(message("split iris as train test"), "the names after 'as' are separated by commas: as train, test")
        XCTAssertEqual(message("load \"data/iris.csv\" as d extra"), "load needs 'as NAME' (1 name)")
        XCTAssertEqual(message("compare m m@1 on iris metric=r2"), "compare takes its MODELS separated by commas: compare m, m@1 on iris")
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

    /// `learning-curve` is one word; its old spelling is an alias; a hyphenated word names no
    /// new dataset or model, but does name a column (a CSV header such as `y-val`).
    func testHyphenatedCommandNamesAndNames() {
        run("load \"data/diabetes.csv\" as d")
        let curve = run("learning-curve linear d target=Y sizes=0.5,1 folds=3")
        XCTAssertTrue(curve.hasPrefix("learning curve of linear on d: 3 folds (seed 42)"), curve)
        XCTAssertEqual(run("learning_curve linear d target=Y sizes=0.5,1 folds=3"), curve)
        XCTAssertTrue(run("help learning-curve").contains("learning-curve KIND DATA target=…"))
        XCTAssertEqual(message("learning-curv linear d target=Y"), "unknown command 'learning-curv'; did you mean 'learning-curve'? (type 'help' for the list)")
        XCTAssertEqual(message("fit linear d target=Y as my-model"),
                       "'my-model' cannot be a name: names are letters, digits, '_' and '.' (no '-'; try 'my_model')")
        XCTAssertEqual(message("split d test=0.5 as a, b-c"), "'b-c' cannot be a name: names are letters, digits, '_' and '.' (no '-'; try 'b_c')")
        XCTAssertEqual(message("fit linear d target=Y-val as m"), "unknown column 'Y-val' in dataset 'd'")
    }

    /// time= takes a duration or bare seconds; the budget is checked before anything runs.
    func testDurationsAreCheckedAndAutosBudgetIsEstimated() {
        run("load \"data/diabetes.csv\" as d")
        XCTAssertEqual(message("auto d target=Y time=fast as b"),
                       "time must be a duration (500ms, 60s, 2m, 1h; a bare number is seconds), found a name 'fast'")
        XCTAssertEqual(message("auto d target=Y time=0s as b"), "time= must be a duration > 0, like 30s or 2m")
        XCTAssertEqual(message("auto d target=Y time=1ms as b"),
                       "the 0.001s budget is below every candidate's estimated time (the cheapest needs 0.076s)")
        XCTAssertEqual(message("auto d target=Y time=0.001 as b"),
                       "the 0.001s budget is below every candidate's estimated time (the cheapest needs 0.076s)", "bare seconds")
        XCTAssertEqual(message("show d rows=2s"), "rows must be a whole number ≥ 0, found a duration '2s'")
        XCTAssertTrue(session.state.variables.registry.names.isEmpty, "failed commands define nothing")
    }
}
