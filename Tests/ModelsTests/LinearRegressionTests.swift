import Diagnostics
@testable import Models
import Tabular
import XCTest

/// Reference values computed outside Swift: exact OLS in rational arithmetic (sympy
/// `(X'X)^-1 X'y` on the CSV's decimal values), then R's summary.lm formulas with mpmath at
/// 40 digits (SE = sqrt(s² (X'X)^-1_jj), p = I_{df/(df+t²)}(df/2, ½), F p = I_{d2/(d2+d1 F)}(d2/2, d1/2)),
/// printed to 17 significant digits. R's `lm` prints the same numbers to its 4–7 digits.
/// The reference scripts' formulas are quoted where the values are used.
final class LinearRegressionTests: XCTestCase {
    func fit(_ data: Dataset, target: String, features: [String]? = nil, options: [String: String] = [:]) throws -> Model {
        try ModelCatalogue.fit(kind: "linear", data: data, datasetName: "d", target: target, features: features, options: options)
    }

    func inference(_ model: Model) -> LinearInference {
        guard let learned = model.state as? LinearRegression.Learned else { fatalError("not a linear model") }
        return learned.inference
    }

    /// (term, estimate, standard error, t, two-sided p)
    func assertCoefficients(_ model: Model, _ expected: [(String, Double, Double, Double, Double)],
                            tolerance: Double = 1e-10, file: StaticString = #filePath, line: UInt = #line) {
        let actual = inference(model).coefficients
        XCTAssertEqual(actual.map(\.term), expected.map(\.0), file: file, line: line)
        for (a, e) in zip(actual, expected) {
            assertRelative(a.estimate, e.1, tolerance, "\(e.0) estimate", file: file, line: line)
            assertRelative(a.standardError, e.2, tolerance, "\(e.0) SE", file: file, line: line)
            assertRelative(a.tValue, e.3, tolerance, "\(e.0) t", file: file, line: line)
            assertRelative(a.pValue, e.4, 1e-9, "\(e.0) p", file: file, line: line)
        }
    }

    /// diabetes.csv, Y ~ all ten features.
    func testDiabetesMatchesExactReference() throws {
        let model = try fit(try TestData.csv("diabetes.csv"), target: "Y")
        assertCoefficients(model, [
            ("(Intercept)", -334.5671385187873, 67.454621104341389, -4.9598846311991887, 1.0166172920038607e-6),
            ("AGE", -0.036361224223625415, 0.21704143540876225, -0.16753125574913823, 0.86703063370008419),
            ("SEX", -22.859648090498389, 5.8358212850148695, -3.9171261377035372, 0.00010416711927693302),
            ("BMI", 5.6029620919237048, 0.71710550056091086, 7.8133023488749405, 4.2963914195187174e-14),
            ("BP", 1.1168079933181906, 0.2252381691882694, 4.958342528457894, 1.0242783922114122e-6),
            ("S1", -1.089996334063241, 0.57333185855006101, -1.9011612869722761, 0.057947605369197214),
            ("S2", 0.7464504555142268, 0.53083438976602388, 1.4061833029379278, 0.16039024001496432),
            ("S3", 0.37200471508915411, 0.78246384562671852, 0.47542735318485544, 0.63472325577520419),
            ("S4", 6.5338319359903389, 5.958637837216317, 1.0965311392448604, 0.27345869366067776),
            ("S5", 68.483124964788315, 15.669719238707187, 4.3704117426444993, 1.5558990865393019e-5),
            ("S6", 0.28011698932150434, 0.27331395035936598, 1.0248909320332658, 0.3059895261964219),
        ])
        let result = inference(model)
        assertRelative(result.residualStandardError, 54.154239328055685, 1e-12)
        XCTAssertEqual(result.residualDegreesOfFreedom, 431)
        assertRelative(result.rSquared!, 0.51774842222034985, 1e-12)
        assertRelative(result.adjustedRSquared!, 0.50655929048532316, 1e-12)
        assertRelative(result.fTest!.statistic, 46.272439585243209, 1e-11)
        XCTAssertEqual(result.fTest!.numeratorDegreesOfFreedom, 10)
        assertRelative(result.fTest!.pValue, 3.8286490381854457e-62, 1e-9)
        // R's logLik.lm / AIC / BIC.
        assertRelative(result.logLikelihood, -2385.9928621235193, 1e-12)
        XCTAssertEqual(result.parameterCount, 12)
        assertRelative(result.aic, 4795.9857242470387, 1e-12)
        assertRelative(result.bic, 4845.0814428319711, 1e-12)
        guard let learned = model.state as? LinearRegression.Learned else { return XCTFail() }
        let quantiles = [-155.82676612155169, -38.535890864744807, -0.22782155705084256, 37.8058819209859, 151.35251672451777]
        for (a, e) in zip(learned.residualQuantiles, quantiles) { assertRelative(a, e, 1e-9) }
    }

    /// Training-set metrics: MSE = RSS / n and MAE of the exact residuals; R² as in summary.
    func testDiabetesTrainingMetrics() throws {
        let data = try TestData.csv("diabetes.csv")
        let metrics = try fit(data, target: "Y").evaluate(on: data).metrics
        let byName = Dictionary(uniqueKeysWithValues: metrics.map { ($0.name, $0.value) })
        XCTAssertEqual(metrics.map(\.name), ["n", "skipped", "mse", "rmse", "mae", "mape", "r2", "adj_r2", "explained_variance"])
        XCTAssertEqual(byName["n"], 442)
        XCTAssertEqual(byName["skipped"], 0)
        assertRelative(byName["mse"]!, 2859.6963475867501, 1e-11)
        assertRelative(byName["rmse"]!, 2859.6963475867501.squareRoot(), 1e-11)
        assertRelative(byName["mae"]!, 43.277452025315061, 1e-11)
        assertRelative(byName["r2"]!, 0.51774842222034985, 1e-11)
        // scikit-learn 1.9.1: mean_absolute_percentage_error, 1 − (1 − R²)(n − 1)/(n − p − 1), explained_variance_score.
        assertRelative(byName["mape"]!, 0.38786179217948236, 1e-11)
        assertRelative(byName["adj_r2"]!, 0.5065592904853232, 1e-11)
        assertRelative(byName["explained_variance"]!, 0.5177484222203499, 1e-11)
    }

    /// iris, Sepal.Length ~ Species + Petal.Width: setosa is the reference level.
    func testCategoricalFeatureUsesTreatmentContrasts() throws {
        let model = try fit(try TestData.iris(), target: "Sepal.Length", features: ["Species", "Petal.Width"])
        assertCoefficients(model, [
            ("(Intercept)", 4.7804420621771757, 0.083076439112027959, 57.542693370990362, 3.1585117955022346e-102),
            ("Speciesversicolor", -0.060254361173374915, 0.23041153148356786, -0.26150757640214741, 0.79406965669455483),
            ("Speciesvirginica", -0.050085891563525322, 0.35822736587752105, -0.13981592791168788, 0.88899812157594874),
            ("Petal.Width", 0.91690218627164344, 0.19385846591435053, 4.7297505525332283, 5.2508807287141812e-6),
        ])
        let result = inference(model)
        assertRelative(result.rSquared!, 0.6693663676759279, 1e-12)
        assertRelative(result.fTest!.statistic, 98.525457511934155, 1e-11)
        assertRelative(result.fTest!.pValue, 6.5004685314959233e-35, 1e-9)
        XCTAssertEqual(model.schema.features[0], FeatureSchema(name: "Species", type: .categorical, levels: ["setosa", "versicolor", "virginica"]))
    }

    /// iris, Sepal.Length ~ Petal.Width + Species - 1: without an intercept the first factor
    /// keeps every level, as R's model.matrix does (Tests/References/no_intercept.py).
    func testWithoutInterceptTheFirstFactorKeepsEveryLevel() throws {
        let data = try TestData.iris()
        let model = try fit(data, target: "Sepal.Length", features: ["Petal.Width", "Species"], options: ["intercept": "false"])
        let expected: [(String, Double, Double)] = [
            ("Petal.Width", 0.91690218627164344, 0.19385846591435053),
            ("Speciessetosa", 4.7804420621771757, 0.083076439112027959),
            ("Speciesversicolor", 4.7201877010038008, 0.26590485372045910),
            ("Speciesvirginica", 4.7303561706136504, 0.39860468581096543),
        ]
        let actual = inference(model).coefficients
        XCTAssertEqual(actual.map(\.term), expected.map(\.0))
        for (row, reference) in zip(actual, expected) {
            assertRelative(row.estimate, reference.1, 1e-11)
            assertRelative(row.standardError, reference.2, 1e-10)
        }
        assertRelative(inference(model).rSquared!, 0.99353345001129501, 1e-12)
        let predictions = try model.predict(on: data).numbers
        assertRelative(predictions[0], 4.7804420621771757 + 0.2 * 0.91690218627164344, 1e-12)
    }

    /// A copy of a column is aliased (NA) and named; the other coefficients are the reduced fit
    /// (iris Sepal.Length ~ Sepal.Width + Petal.Length, exact reference).
    func testRankDeficientDesignNamesTheAliasedColumn() throws {
        let iris = try TestData.iris()
        let double = Column.numeric("Twice.Petal.Length", iris.column(named: "Petal.Length")!.numbers!.map { 2 * $0 })
        let model = try fit(try iris.adding(double), target: "Sepal.Length", features: ["Sepal.Width", "Petal.Length", "Twice.Petal.Length"])
        let coefficients = inference(model).coefficients
        XCTAssertEqual(coefficients.map(\.aliased), [false, false, false, true])
        XCTAssertEqual(coefficients[3].term, "Twice.Petal.Length")
        XCTAssertTrue(coefficients[3].estimate.isNaN)
        assertCoefficients(try fit(iris, target: "Sepal.Length", features: ["Sepal.Width", "Petal.Length"]), [
            ("(Intercept)", 2.2491401603832302, 0.2479696267561952, 9.0702244053244249, 7.0385099112930536e-16),
            ("Sepal.Width", 0.59552474874359069, 0.069328162334965397, 8.5899399131085872, 1.1632543439045734e-14),
            ("Petal.Length", 0.47192003932713283, 0.017117679035250151, 27.569160419196771, 5.8479143736758548e-60),
        ])
        for (c, e) in zip(coefficients.prefix(3), [2.2491401603832302, 0.59552474874359069, 0.47192003932713283]) {
            assertRelative(c.estimate, e, 1e-10)
        }
        assertRelative(inference(model).fTest!.statistic, 386.38615030970707, 1e-10)
        XCTAssertEqual(inference(model).fTest!.numeratorDegreesOfFreedom, 2)
        let text = rendered(model.summary())
        XCTAssertTrue(text.contains("Coefficients: (1 not defined because of singularities)"), text)
        XCTAssertEqual(model.state.warnings, ["1 coefficient not defined because of singularities (Twice.Petal.Length): collinear features, or more coefficients than rows"])
        XCTAssertTrue(text.split(separator: "\n").contains { $0.split(separator: " ") == ["Twice.Petal.Length", "NA", "NA", "NA", "NA"] }, text)
    }

    func testSummaryHasRsContent() throws {
        let model = try fit(try TestData.iris(), target: "Sepal.Length", features: ["Species", "Petal.Width"])
        let lines = rendered(model.summary()).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "Call: linear(Sepal.Length ~ Species + Petal.Width, data = d)")
        XCTAssertTrue(lines.contains("Coefficients:"))
        XCTAssertTrue(lines.contains { $0.hasPrefix("(Intercept)") && $0.contains("4.780442") && $0.contains("57.54") && $0.hasSuffix("***") })
        XCTAssertTrue(lines.contains("Residual standard error: 0.4810113 on 146 degrees of freedom"))
        XCTAssertTrue(lines.contains("Multiple R-squared: 0.6693664, Adjusted R-squared: 0.6625725"))
        XCTAssertTrue(lines.contains("F-statistic: 98.52546 on 3 and 146 DF, p-value: < 2.2e-16"))
        XCTAssertTrue(lines.contains("Rows: 150 used, 0 dropped (missing values)"))
        XCTAssertTrue(lines.contains { $0.hasPrefix("Signif. codes:") })
    }

    func testMissingValuesDropRowsAndAreCounted() throws {
        let y = Column.numeric("y", [1, 2, .nan, 4, 5, 7])
        let x = Column.numeric("x", [1, 2, 3, .nan, 5, 6])
        let model = try fit(try Dataset(columns: [y, x]), target: "y")
        XCTAssertEqual(model.training.rowsUsed, 4)
        XCTAssertEqual(model.training.rowsDropped, 2)
        // Rows (1,1), (2,2), (5,5), (6,7): Sxy = 19.5, Sxx = 17, means 3.5 and 3.75, by hand.
        let coefficients = inference(model).coefficients
        XCTAssertEqual(coefficients[1].estimate, 19.5 / 17, accuracy: 1e-14)
        XCTAssertEqual(coefficients[0].estimate, 3.75 - 3.5 * 19.5 / 17, accuracy: 1e-14)
    }

    func testFeatureSelectionAndTypes() throws {
        let data = try Dataset(columns: [
            Column.numeric("y", [1, 3, 2, 5, 4, 6]),
            Column.numeric("flag", [0, 1, 0, 1, 1, 0], type: .boolean),
            Column(name: "note", type: .text, storage: .strings(["a", "b", "c", "d", "e", "f"]), missing: MissingMask(count: 6)),
            Column.categorical("group", ["a", "b", "a", "b", "a", "b"]),
        ])
        let model = try fit(data, target: "y")
        XCTAssertEqual(model.schema.features.map(\.name), ["flag", "group"], "text columns are skipped by default")
        XCTAssertEqual(inference(model).coefficients.map(\.term), ["(Intercept)", "flagTRUE", "groupb"], "R names a logical x xTRUE")
        assertThrows(.usage, containing: ["'note'", "free text"], argument: "features") { try fit(data, target: "y", features: ["note"]) }
        assertThrows(.usage, containing: ["'y'", "target"], argument: "features") { try fit(data, target: "y", features: ["y", "flag"]) }
        assertThrows(.usage, containing: ["'flg'", "did you mean 'flag'"], argument: "features") { try fit(data, target: "y", features: ["flg"]) }
        assertThrows(.usage, containing: ["'flag'", "twice"], argument: "features") { try fit(data, target: "y", features: ["flag", "flag"]) }
        assertThrows(.data, containing: ["target 'group'", "numeric"], argument: "target") { try fit(data, target: "group") }
        assertThrows(.usage, containing: ["'yy'"], argument: "target") { try fit(data, target: "yy") }
        let single = try Dataset(columns: [Column.numeric("y", [1, 2, 3]), Column.categorical("g", ["a", "a", "a"])])
        assertThrows(.data, containing: ["'g'", "only one level"], argument: "features") { try fit(single, target: "y") }
        let infinite = try Dataset(columns: [Column.numeric("y", [1, .infinity, 3]), Column.numeric("x", [1, 2, 3])])
        assertThrows(.data, containing: ["'y'", "non-finite"], argument: "target") { try fit(infinite, target: "y") }
        let onlyText = try Dataset(columns: [Column.numeric("y", [1, 2, 3]),
                                             Column(name: "note", type: .text, storage: .strings(["a", "b", "c"]), missing: MissingMask(count: 3))])
        assertThrows(.usage, containing: ["without an intercept needs at least one feature"], argument: "intercept") {
            try fit(onlyText, target: "y", options: ["intercept": "no"])
        }
    }

    func testWithoutInterceptUsesUncentredRSquared() throws {
        let data = try Dataset(columns: [Column.numeric("y", [1, 3, 2, 5]), Column.numeric("x", [1, 2, 3, 4])])
        let model = try fit(data, target: "y", options: ["intercept": "false"])
        let result = inference(model)
        // b = Σxy / Σx² = 33/30; RSS = Σy² − b Σxy = 39 − 36.3; R² = 1 − RSS/Σy² (uncentred, as R).
        XCTAssertEqual(result.coefficients.map(\.term), ["x"])
        XCTAssertEqual(result.coefficients[0].estimate, 1.1, accuracy: 1e-14)
        XCTAssertEqual(result.rSquared!, 1 - 2.7 / 39, accuracy: 1e-14)
        XCTAssertEqual(result.fTest!.numeratorDegreesOfFreedom, 1)
        XCTAssertEqual(result.residualDegreesOfFreedom, 3)
        XCTAssertTrue(rendered(model.summary()).contains("Call: linear(y ~ x - 1, data = d)"))
    }

    func testPredictionErrorsNameTheProblem() throws {
        let model = try fit(try TestData.iris(), target: "Sepal.Length", features: ["Species", "Petal.Width"])
        let bergen = try Dataset(columns: [Column.categorical("Species", ["setosa", "Bergen"]), Column.numeric("Petal.Width", [1, 2])])
        assertThrows(.data, containing: ["column 'Species' has level 'Bergen' in row 2, not seen in training (levels: setosa, versicolor, virginica)"]) {
            try model.predict(on: bergen).numbers
        }
        // An unseen level in a row missing another feature is no error: the row gets no
        // prediction anyway (training drops such rows, so the training data itself may hold it).
        let bergenGap = try Dataset(columns: [Column.categorical("Species", ["setosa", "Bergen", "Oslo"]),
                                              Column.numeric("Petal.Width", [1, .nan, 3])])
        assertThrows(.data, containing: ["level 'Oslo' in row 3"]) { try model.predict(on: bergenGap).numbers }
        let onlyGap = try Dataset(columns: [Column.categorical("Species", ["setosa", "Bergen"]),
                                            Column.numeric("Petal.Width", [1, .nan])])
        let gapPredictions = try model.predict(on: onlyGap).numbers
        XCTAssertTrue(gapPredictions[0].isFinite)
        XCTAssertTrue(gapPredictions[1].isNaN)
        let missing = try Dataset(columns: [Column.numeric("Petal.Widht", [1])])
        assertThrows(.usage, containing: ["'Species'"]) { try model.predict(on: missing).numbers }
        let wrongType = try Dataset(columns: [Column.categorical("Species", ["setosa"]), Column.categorical("Petal.Width", ["wide"])])
        assertThrows(.data, containing: ["'Petal.Width'", "categorical", "numeric"]) { try model.predict(on: wrongType).numbers }
        // Level order in the new data does not matter: levels are matched by name.
        let reordered = try Dataset(columns: [Column.categorical("Species", ["virginica", "setosa"]), Column.numeric("Petal.Width", [2, 0.2])])
        let p = try model.predict(on: reordered).numbers
        XCTAssertEqual(p[0], 4.7804420621771757 - 0.050085891563525322 + 2 * 0.91690218627164344, accuracy: 1e-12)
        XCTAssertEqual(p[1], 4.7804420621771757 + 0.2 * 0.91690218627164344, accuracy: 1e-12)
    }

    func testFingerprintIsDeterministicAndSeesTheData() throws {
        let iris = try TestData.iris()
        let a = try fit(iris, target: "Sepal.Length", features: ["Petal.Width"])
        XCTAssertEqual(a.training.fingerprint.count, 16)
        XCTAssertEqual(a.training.fingerprint, try fit(iris, target: "Sepal.Length", features: ["Petal.Width"]).training.fingerprint)
        let changed = try iris.adding(Column.numeric("Petal.Width", iris.column(named: "Petal.Width")!.numbers!.map { $0 + 1e-12 }))
        XCTAssertNotEqual(a.training.fingerprint, try fit(changed, target: "Sepal.Length", features: ["Petal.Width"]).training.fingerprint)
    }

    private func rendered(_ report: Report) -> String {
        report.blocks.map { block -> String in
            switch block {
            case .text(let line): return line
            case .table(let table): return table.rendered()
            }
        }.joined(separator: "\n")
    }

    /// offset= is R 4.2's lm(mpg ~ wt + qsec + offset(o), mtcars) with o = hp/30: least squares
    /// of y − o, R² and F about the fitted values with the offset (as its summary.lm takes them),
    /// AIC, and predictions that add the new rows' offsets (o = 0 and 10).
    func testOffsetIsRsLmOffset() throws {
        let mtcars = try CSVReader.read(path: TestData.directory.appendingPathComponent("mtcars.csv").path)
        let data = try Dataset(columns: mtcars.columns + [.numeric("o", try XCTUnwrap(mtcars.column(named: "hp")?.numbers).map { $0 / 30 })])
        let model = try ModelCatalogue.fit(kind: "linear", data: data, datasetName: "mt", target: "mpg", features: ["wt", "qsec"], options: ["offset": "o"])
        let fit = try XCTUnwrap(model.state as? LinearRegression.Learned)
        for (found, wanted) in zip(fit.estimates, [5.0374648582549728, -6.3369773812866930, 1.7116726542954723]) { XCTAssertEqual(found, wanted, accuracy: 1e-10) }
        let inference = LinearInference(fit)
        XCTAssertEqual(inference.rSquared ?? .nan, 0.78522020230042822, accuracy: 1e-12)
        XCTAssertEqual(inference.fTest?.statistic ?? .nan, 53.01100501678565990, accuracy: 1e-9)
        let rows = data.selecting(rows: [0, 1])
        let others = try Dataset(columns: rows.columns.filter { $0.name != "o" } + [.numeric("o", [0, 10])])
        let predicted = try model.predict(on: others).numbers
        XCTAssertEqual(predicted[0], 16.608716008987308, accuracy: 1e-10)
        XCTAssertEqual(predicted[1], 25.951323463164670, accuracy: 1e-10)
    }
}
