import Diagnostics
@testable import Models
import Tabular
import XCTest

/// What a fit refuses before it computes (too large a design, spellings of switches it does
/// not know) and what evaluation says when nothing can be scored.
final class FitGuardTests: XCTestCase {
    func fit(_ data: Dataset, target: String, features: [String]? = nil, options: [String: String] = [:]) throws -> Model {
        try ModelCatalogue.fit(kind: "linear", data: data, datasetName: "d", target: target, features: features, options: options)
    }

    /// A target read as text because its numbers are written another way (grouped digits, a
    /// decimal comma) gets the load options that read it, not the advice to classify it.
    func testATargetOfNumbersWrittenAnotherWayNamesTheLoadOptions() throws {
        let data = try Dataset(columns: [Column.categorical("revenue", ["59.880,00", "169.150,00", "1.234,50"]),
                                         Column.numeric("units", [1, 2, 3])])
        assertThrows(.data, containing: ["target 'revenue' is categorical, but its values are numbers with digits grouped and a decimal comma (1.234,5): load … decimal=\",\" thousands=\".\" reads them as numbers"]) {
            try fit(data, target: "revenue")
        }
        let words = try Dataset(columns: [Column.categorical("kind", ["a", "b", "a"]), Column.numeric("units", [1, 2, 3])])
        assertThrows(.data, containing: ["target 'kind' is categorical; 'linear' needs a numeric target (try a classifier such as logistic)"]) {
            try fit(words, target: "kind")
        }
    }

    // MARK: - Switch options

    func testSwitchesAcceptTrueFalseYesNoOnOffInAnyCase() throws {
        let data = try Dataset(columns: [Column.numeric("y", [1, 3, 2, 5]), Column.numeric("x", [1, 2, 3, 4])])
        for (spelling, stored) in [("true", "true"), ("YES", "true"), ("On", "true"), ("false", "false"), ("no", "false"), ("OFF", "false"), ("False", "false")] {
            let model = try fit(data, target: "y", options: ["intercept": spelling])
            XCTAssertEqual(model.training.options, ["intercept": stored], spelling)
            XCTAssertEqual(model.training.parameters, "intercept=\(stored)")
            guard let learned = model.state as? LinearRegression.Learned else { return XCTFail() }
            XCTAssertEqual(learned.hasIntercept, stored == "true", spelling)
        }
        assertThrows(.usage, containing: ["option 'intercept' is a switch: true or false (also yes/no, on/off), not 'maybe'"], argument: "intercept") {
            try fit(data, target: "y", options: ["intercept": "maybe"])
        }
        let spec = try XCTUnwrap(ModelCatalogue.kind(named: "linear")?.options.first)
        XCTAssertTrue(spec.isSwitch)
        XCTAssertEqual(spec.values, ["true", "false"], "completion lists the canonical spellings")
    }

    // MARK: - Design size

    /// 9000 levels over 200 000 rows would be a 13.4 GiB design: refused before allocating
    /// (here with set memory at 4 GiB, so a design may take 2 GiB).
    func testManyLevelsOverManyRowsIsRefusedBeforeAllocating() throws {
        try MemoryLimit.$bytes.withValue(4 << 30) { try manyLevelsOverManyRows() }
    }

    private func manyLevelsOverManyRows() throws {
        let rows = 200_000
        let levels = (0 ..< 9000).map { "L\($0)" }
        let data = try Dataset(columns: [
            Column.numeric("y", (0 ..< rows).map { Double($0 % 7) }),
            Column.numeric("x", (0 ..< rows).map { Double($0 % 11) }),
            Column.categorical("g", (0 ..< rows).map { levels[$0 % levels.count] }),
        ])
        assertThrows(.data, containing: ["feature 'g' (9000 levels, 8999 indicator columns) makes a design of 200000 rows × 9001 columns",
                                         "13.4 GiB", "the limit is 2.0 GiB, half of set memory", "drop it or merge its levels"], argument: "features") {
            try fit(data, target: "y")
        }
        let two = try data.adding(Column.categorical("h", (0 ..< rows).map { levels[($0 * 7) % 5000] }))
        assertThrows(.data, containing: ["features 'g' (9000 levels, 8999 indicator columns), 'h' (5000 levels, 4999 indicator columns) make",
                                         "drop them"], argument: "features") {
            try fit(two, target: "y", features: ["h", "g", "x"])
        }
        let small = data.selecting(rows: Array(0 ..< 20))
        XCTAssertEqual(try fit(small, target: "y").training.rowsUsed, 20, "a small design fits")
    }

    /// More columns than rows is allowed, as in R: the extra columns are aliased.
    func testMoreColumnsThanRowsFitsWithAliasedTerms() throws {
        let data = try Dataset(columns: [
            Column.numeric("y", [1, 3, 2, 5, 4]),
            Column.categorical("g", ["a", "b", "c", "d", "e"]),
            Column.numeric("x", [1, 2, 3, 4, 6]),
        ])
        let model = try fit(data, target: "y")
        guard let learned = model.state as? LinearRegression.Learned else { return XCTFail() }
        XCTAssertEqual(learned.rank, 5)
        XCTAssertEqual(learned.aliased, [false, false, false, false, false, true])
        XCTAssertEqual(learned.residualDegreesOfFreedom, 0)
        _ = model.summary()
        XCTAssertEqual(try model.predict(on: data).numbers[0], 1, accuracy: 1e-12)
    }

    // MARK: - Data the fit cannot use

    func testCategoryCodeOutsideTheLevelsIsADataError() throws {
        let broken = Column(name: "g", type: .categorical, storage: .categories(codes: [0, 1, 7], levels: ["a", "b"]), missing: MissingMask(count: 3))
        let data = try Dataset(columns: [Column.numeric("y", [1, 2, 3]), broken])
        assertThrows(.data, containing: ["'g'", "category code (7) outside its 2 levels in row 3"]) { try fit(data, target: "y") }
    }

    /// Numbers so large the residual sum of squares overflows would make an unreadable file.
    func testAFitThatOverflowsIsRefused() throws {
        let data = try Dataset(columns: [Column.numeric("y", [1e200, -3e200, 2e200, 5e200]), Column.numeric("x", [1, 2, 3, 4])])
        assertThrows(.data, containing: ["the fit overflows", "residual sum of squares is Inf"]) { try fit(data, target: "y") }
    }

    // MARK: - Evaluation with nothing to score

    func testNothingToEvaluateSaysWhy() throws {
        let a: [Double] = [1, 2, 3, 4, 5, 6], b: [Double] = [2, 1, 4, 3, 6, 5], noise = [0.1, -0.1, 0.2, -0.2, 0.05, 0]
        let y = a.indices.map { 2 * a[$0] + 3 * b[$0] + noise[$0] }
        let train = try Dataset(columns: [Column.numeric("y", y), Column.numeric("a", a), Column.numeric("b", b)])
        let model = try fit(train, target: "y")
        let noTarget = try Dataset(columns: [Column.numeric("y", [.nan, .nan]), Column.numeric("a", [1, 2]), Column.numeric("b", [1, 2])])
        assertThrows(.data, containing: ["no rows to evaluate: every row misses the target"]) { try model.evaluate(on: noTarget) }
        let mixed = try Dataset(columns: [Column.numeric("y", [.nan, 1]), Column.numeric("a", [1, .nan]), Column.numeric("b", [1, 2])])
        assertThrows(.data, containing: ["every row misses the target or an input (1 the target, 1 an input)"]) { try model.evaluate(on: mixed) }
        // Inputs present, but a + b terms of opposite infinite sign: the prediction is NaN,
        // and the message must not blame missing inputs.
        guard let learned = model.state as? LinearRegression.Learned else { return XCTFail() }
        XCTAssertTrue(learned.estimates[1] > 1 && learned.estimates[2] > 1)
        let huge = Double.greatestFiniteMagnitude
        let overflow = try Dataset(columns: [Column.numeric("y", [1, 2]), Column.numeric("a", [huge, huge]), Column.numeric("b", [-huge, -huge])])
        XCTAssertTrue(try model.predict(on: overflow).numbers.allSatisfy(\.isNaN))
        assertThrows(.data, containing: ["of 2 rows, 2 get a prediction that is not a number"]) { try model.evaluate(on: overflow) }
    }

    // MARK: - The task a target gives

    /// A boolean target is classes to a kind that can classify (documented in `help fit`), and
    /// a 0/1 quantity only to a kind that just regresses.
    /// A numeric class target must hold whole numbers: the first row that does not is named
    /// (before a count of distinct values), with or without missing rows; whole numbers past
    /// 2^53 and −0 are whole; classes are in numeric order.
    func testNumericClassesMustBeWholeNumbers() throws {
        func classes(_ values: [Double]) throws -> [String] { try TrainingFrame.classes(of: Column.numeric("y", values)) }
        XCTAssertEqual(try classes([2, -0.0, 2, 0x1p60, -7]), ["-7", "0", "2", "1.152921504606847e+18"])
        XCTAssertEqual(try classes([1, .nan, 0, .nan]), ["0", "1"], "missing rows are skipped")
        for (values, shown, row) in [([0, 1, 2.5, 0.5], "2.5", 3), ([1, .nan, 0, -.infinity], "-Inf", 4), ([0, 1, 1 + 0x1p-40], "1.0000000000009095", 3)] as [([Double], String, Int)] {
            XCTAssertThrowsError(try classes(values)) { error in
                XCTAssertTrue("\(error)".contains("holds \(shown) in row \(row);"), "\(error)")
            }
        }
        XCTAssertThrowsError(try classes((0 ..< 150).map(Double.init) + [0.5])) { error in
            XCTAssertTrue("\(error)".contains("holds 0.5 in row 151"), "a measurement is named before the count of classes: \(error)")
        }
    }

    func testBooleanTargetIsClassesWhenTheKindCanClassify() throws {
        let data = try Dataset(columns: [Column.numeric("y", [0, 1, 0, 1, 1, 0, 1, 0], type: .boolean),
                                         Column.numeric("x", [1, 5, 2, 6, 7, 1, 8, 3])])
        let tree = try ModelCatalogue.fit(kind: "tree", data: data, datasetName: "d", target: "y", features: nil, options: [:])
        XCTAssertEqual(tree.task, .classification)
        XCTAssertEqual(try fit(data, target: "y").task, .regression, "linear only regresses")
    }

    /// An integer target with a handful of values stays a quantity (the user may mean counts)
    /// but the fit warns that it may be class codes; more values, or task=, say nothing.
    func testFewValuedIntegerTargetWarnsThatItMayBeClasses() throws {
        let codes: [Double] = [1, 2, 3, 1, 2, 3, 1, 2, 3, 1]
        let data = try Dataset(columns: [Column.numeric("class", codes, type: .integer),
                                         Column.numeric("x", codes.indices.map { Double($0) })])
        let tree = try ModelCatalogue.fit(kind: "tree", data: data, datasetName: "d", target: "class", features: nil, options: [:])
        XCTAssertEqual(tree.task, .regression)
        XCTAssertEqual(tree.integerTargetWarning(trainingData: data),
                       "target 'class' is an integer with only 3 values (1, 2, 3), fitted as a quantity; task=classification fits classes")
        XCTAssertNil(try fit(data, target: "class").integerTargetWarning(trainingData: data), "linear cannot classify")
        let counts = try Dataset(columns: [Column.numeric("n", (0 ..< 10).map { Double($0) }, type: .integer),
                                           Column.numeric("x", (0 ..< 10).map { Double($0 * $0) })])
        let many = try ModelCatalogue.fit(kind: "tree", data: counts, datasetName: "d", target: "n", features: nil, options: [:])
        XCTAssertNil(many.integerTargetWarning(trainingData: counts))
    }

    /// Class codes written with a point (`1.0`, `2.0`: pandas writes an integer column so once it
    /// has held a missing value, and scikit-learn classifies such labels) are classes to a kind
    /// that only classifies, as integers are; a regression warns as for integers; measurements
    /// are refused by name.
    func testWholeNumberedNumericTargetIsClassesToAClassifier() throws {
        let codes: [Double] = [1, 2, 1, 2, 2, 1, 1, 2, .nan, 2]
        let data = try Dataset(columns: [Column.numeric("sex", codes),
                                         Column.numeric("x", [3, 1, 4, 1, 5, 9, 2, 6, 5, 3]),
                                         Column.numeric("bmi", [21.5, 30, 27.25, 19, 24, 26, 31, 22, 23, 25])])
        let logistic = try ModelCatalogue.fit(kind: "logistic", data: data, datasetName: "d", target: "sex", features: ["x"], options: [:])
        XCTAssertEqual(logistic.task, .classification)
        XCTAssertEqual(try ModelCatalogue.fit(kind: "naivebayes", data: data, datasetName: "d", target: "sex", features: ["x"], options: [:]).task,
                       .classification)
        let knn = try ModelCatalogue.fit(kind: "knn", data: data, datasetName: "d", target: "sex", features: ["x"], options: [:])
        XCTAssertEqual(knn.integerTargetWarning(trainingData: data),
                       "target 'sex' is numeric with only 2 values (1, 2), fitted as a quantity; task=classification fits classes")
        XCTAssertThrowsError(try ModelCatalogue.fit(kind: "logistic", data: data, datasetName: "d", target: "bmi", features: ["x"], options: [:])) {
            XCTAssertEqual(($0 as? ModelshError)?.message,
                           "target 'bmi' holds measurements, not whole numbers; 'logistic' needs classes (a categorical, boolean or integer target)")
        }
    }
}
