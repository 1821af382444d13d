import Diagnostics
@testable import Shell
import XCTest

final class TransformCommandTests: ShellTestCase {
    override func setUp() {
        super.setUp()
        run("load \"data/iris.csv\" as iris")
    }

    func testFilterMakesANewDatasetAndSaysWhatWentWhy() {
        XCTAssertEqual(run("filter iris where Petal.Length > 4 and Species != \"virginica\" as big"),
                       "big: 34 of 150 rows (116 false, 0 missing)")
        XCTAssertEqual(session.state.variables.dataset("big")?.rowCount, 34)
        XCTAssertEqual(session.state.variables.dataset("iris")?.rowCount, 150)
        XCTAssertEqual(run("filter iris where Species in [\"setosa\"]"), "iris: 50 of 150 rows (100 false, 0 missing)")
    }

    func testDeriveAddsColumnsInOrderAndUndoTakesThemAway() {
        XCTAssertEqual(run("derive iris ratio = Petal.Length / Petal.Width long = ratio > 5 size = if(long, \"long\", \"short\")"), """
        iris: added ratio (numeric, 0 missing)
        iris: added long (boolean, 0 missing)
        iris: added size (categorical, 0 missing)
        """)
        let data = session.state.variables.dataset("iris")!
        XCTAssertEqual(data.column(named: "ratio")?.numbers?[0] ?? 0, 7, accuracy: 1e-12)
        XCTAssertEqual(data.column(named: "size")?.text(at: 0), "long")
        run("undo")
        XCTAssertNil(session.state.variables.dataset("iris")?.column(named: "ratio"))
        run("redo")
        XCTAssertNotNil(session.state.variables.dataset("iris")?.column(named: "ratio"))
    }

    /// `levels` puts the given levels first (R's relevel): the reference of treatment contrasts
    /// changes, so the coefficients are the other levels against it; values stay, undo restores.
    func testLevelsChoosesTheReferenceLevelAndUndoPutsItBack() throws {
        XCTAssertEqual(run("levels iris Species order=virginica"), "iris: Species levels virginica, setosa, versicolor (the first is the reference)")
        run("fit linear iris target=Sepal.Length features=Species as m")
        let terms = try XCTUnwrap(session.state.variables.model("m")).terms
        XCTAssertEqual(terms, ["Speciessetosa", "Speciesversicolor"], "virginica is the reference")
        XCTAssertEqual(session.state.variables.dataset("iris")?.column(named: "Species")?.text(at: 0), "setosa")
        run("undo")
        run("undo")
        XCTAssertEqual(session.state.variables.dataset("iris")?.column(named: "Species")?.levels, ["setosa", "versicolor", "virginica"])
        XCTAssertEqual(fail("levels iris Species order=Virginica").error?.message,
                       "column 'Species' has no level 'Virginica'; did you mean 'virginica'? (levels: setosa, versicolor, virginica)")
    }

    /// Without features= a fit leaves free-text columns out (a name per row), and says which.
    func testAFitWithoutFeaturesNamesTheFreeTextItLeftOut() {
        run("load \"data/passengers.csv\" na=\"-\",\"?\",\"n/a\" as p")
        XCTAssertTrue(run("fit linear p target=fare as m").hasSuffix("\nnote: left out free text (too varied to be a category): 'passenger'"))
        XCTAssertFalse(run("fit linear p target=fare features=age as m").contains("note:"))
    }

    /// A derived categorical has its levels in byte order, as `load` gives them: the first is the
    /// reference level (R's factor(ifelse(…)): "long" before "short"), and the column written and
    /// loaded back is the same column, so a model fits alike on both (it was levels in the
    /// branches' order: "short" the reference, coefficients of the other sign after a round trip).
    func testDerivedLevelsAreInByteOrderAndSurviveWriteAndLoad() {
        run("derive iris size = if(Petal.Length < 4, \"short\", if(Petal.Length < 5, \"mid\", \"long\")) as sized")
        XCTAssertEqual(session.state.variables.dataset("sized")?.column(named: "size")?.levels, ["long", "mid", "short"])
        let path = temporaryPath("sized.csv")
        run("write sized to \"\(path)\"")
        run("load \"\(path)\" as loaded")
        XCTAssertEqual(session.state.variables.dataset("loaded")?.column(named: "size")?.levels, ["long", "mid", "short"])
        run("fit linear sized target=Sepal.Length features=size as derived_fit")
        run("fit linear loaded target=Sepal.Length features=size as loaded_fit")
        let derived = run("summary derived_fit").split(separator: "\n").filter { $0.hasPrefix("size") }
        let loaded = run("summary loaded_fit").split(separator: "\n").filter { $0.hasPrefix("size") }
        XCTAssertEqual(derived, loaded)
        XCTAssertEqual(derived.first?.split(separator: " ").first, "sizemid", "long is the reference level")
    }

    func testDivisionByZeroIsMissingAndCounted() {
        XCTAssertEqual(run("derive iris z = rownames / (rownames - 2) as d"),
                       "d: added z (numeric, 1 missing, 1 from undefined arithmetic: x/0, log(0), sqrt(-1), overflow)")
    }

    func testSortIsStableByTextThenNumberWithMissingLast() {
        run("load \"data/gaps.csv\" as gaps")
        XCTAssertEqual(run("sort gaps by group,x desc as s"), "s: 12 rows by group, x, descending")
        let sorted = session.state.variables.dataset("s")!
        let groups = (0..<sorted.rowCount).map { sorted.column(named: "group")!.text(at: $0) ?? "NA" }
        let xs = (0..<sorted.rowCount).map { sorted.column(named: "x")!.text(at: $0) ?? "NA" }
        XCTAssertEqual(groups.joined(separator: " "), "b b b b b a a a a a a NA")
        XCTAssertEqual(xs.first, "11")
        XCTAssertEqual(fail("sort gaps by nope").error?.message, "unknown column 'nope' in dataset 'gaps'")
        run("sort gaps by x")
        run("undo")
        XCTAssertEqual(session.state.variables.dataset("gaps")?.column(named: "x")?.text(at: 0), "1")
    }

    func testMistakesAreCaughtBeforeAnythingRunsAndPointAtTheirPlace() {
        let unknown = fail("filter iris where Sepal.Lenght > 3").error
        XCTAssertEqual(unknown?.message, "unknown column 'Sepal.Lenght' in dataset 'iris'; did you mean 'Sepal.Length'?")
        XCTAssertEqual(unknown?.location?.column, 19)
        // Text orders only as ISO 8601 dates (`date < "2024-03-01"`), so a text that is not one
        // is refused, with the caret under it.
        let ordering = fail("filter iris where Species > \"a\"").error
        XCTAssertEqual(ordering?.message, "\"a\" is text; > compares numbers, or text that is a date written as ISO 8601 (\"2024-03-01\", \"2024-03-01 14:30\")")
        XCTAssertEqual(ordering?.location?.length, 3)
        XCTAssertEqual(fail("filter iris where Species > 3").error?.message,
                       "'Species' is categorical and '3' is integer; > compares numbers with numbers, or dates with dates")
        XCTAssertEqual(fail("filter iris where Species == 3").error?.message,
                       "'Species' is categorical and '3' is integer; == compares text with text and numbers with numbers")
        XCTAssertEqual(fail("filter iris where Petal.Length * 2").error?.message,
                       "'Petal.Length * 2' is numeric; a condition needs true/false values (a comparison, like x > 0)")
        XCTAssertEqual(fail("derive iris a = 1 b = nope + a").error?.message, "unknown column 'nope' in dataset 'iris'")
        XCTAssertEqual(fail("derive iris").error?.message, "derive needs at least one NAME=EXPRESSION; usage: derive DATA NAME=EXPRESSION… [as NEWDATA]")
        XCTAssertEqual(fail("show iris rows==3").error?.message, "an option is written rows=VALUE, with one '='")
        XCTAssertEqual(fail("show iris rows=2+1").error?.message, "rows must be a whole number ≥ 0, found an expression '2+1'")
        XCTAssertEqual(fail("load data/iris.csv as x").error?.message,
                       "PATH must be a quoted path, like \"data/file.csv\", found an expression 'data/iris.csv'")
        XCTAssertNil(session.state.variables.dataset("iris")?.column(named: "a"))
    }
}
