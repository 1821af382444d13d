import Diagnostics
import Models
import Tabular
import XCTest

/// The preprocessing options of `fit`, checked against what they must equal: explicit columns
/// (poly), figures computed by hand (scale, impute), and R's term names.
final class PreprocessingTests: XCTestCase {
    func linear(_ data: Dataset, target: String, features: [String]? = nil, _ options: [String: String] = [:]) throws -> Model {
        try ModelCatalogue.fit(kind: "linear", data: data, datasetName: "d", target: target, features: features, options: options)
    }

    func coefficients(_ model: Model) throws -> [Double] {
        try XCTUnwrap(model.state as? LinearRegression.Learned).coefficients
    }

    func testPolynomialTermsAreNamedAndPrunedAsRWouldWriteThem() throws {
        let model = try linear(TestData.iris(), target: "Sepal.Length", features: ["Petal.Width", "Species"], ["poly": "2"])
        XCTAssertEqual(model.terms, ["Petal.Width", "Speciesversicolor", "Speciesvirginica",
                                     "Petal.Width^2", "Petal.Width:Speciesversicolor", "Petal.Width:Speciesvirginica"])
        let cubic = try linear(TestData.iris(), target: "Sepal.Length", features: ["Petal.Width", "Petal.Length"], ["poly": "3"])
        XCTAssertEqual(cubic.terms, ["Petal.Width", "Petal.Length", "Petal.Width^2", "Petal.Width:Petal.Length", "Petal.Length^2",
                                     "Petal.Width^3", "Petal.Width^2:Petal.Length", "Petal.Width:Petal.Length^2", "Petal.Length^3"])
    }

    /// poly=2 is exactly lm(y ~ x + z + I(x^2) + x:z + I(z^2)) with the columns made by hand.
    func testPolynomialFitEqualsTheFitOnHandMadeColumns() throws {
        let iris = try TestData.iris()
        let x = try XCTUnwrap(iris.column(named: "Petal.Width")?.numbers), z = try XCTUnwrap(iris.column(named: "Petal.Length")?.numbers)
        let byHand = try iris.adding(Column.numeric("x2", x.map { $0 * $0 }))
            .adding(Column.numeric("xz", zip(x, z).map { $0 * $1 })).adding(Column.numeric("z2", z.map { $0 * $0 }))
        let expected = try coefficients(linear(byHand, target: "Sepal.Length", features: ["Petal.Width", "Petal.Length", "x2", "xz", "z2"]))
        let actual = try coefficients(linear(iris, target: "Sepal.Length", features: ["Petal.Width", "Petal.Length"], ["poly": "2"]))
        for (a, e) in zip(actual, expected) { assertRelative(a, e, 1e-10) }
    }

    /// scale=standard divides by the population standard deviation: a slope on the scaled
    /// design is the raw slope times that deviation, and predictions do not change.
    func testStandardScalingChangesSlopesNotPredictions() throws {
        let iris = try TestData.iris()
        let raw = try linear(iris, target: "Sepal.Length", features: ["Petal.Width", "Petal.Length"])
        let scaled = try linear(iris, target: "Sepal.Length", features: ["Petal.Width", "Petal.Length"], ["scale": "standard"])
        let x = try XCTUnwrap(iris.column(named: "Petal.Width")?.numbers)
        let mean = x.reduce(0, +) / Double(x.count)
        let sd = (x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(x.count)).squareRoot()
        assertRelative(try coefficients(scaled)[1], try coefficients(raw)[1] * sd, 1e-12)
        for (a, b) in zip(try scaled.predict(on: iris).numbers, try raw.predict(on: iris).numbers) { assertRelative(a, b, 1e-12) }
        XCTAssertEqual(scaled.preprocessing.centres[0], mean, accuracy: 1e-15)
        let minmax = try linear(iris, target: "Sepal.Length", features: ["Petal.Width"], ["scale": "minmax"])
        XCTAssertEqual(minmax.preprocessing.centres, [0.1])
        XCTAssertEqual(minmax.preprocessing.scales[0], 2.4, accuracy: 1e-15)
    }

    /// Missing inputs are filled with the training mean (or median, or mode), at fit and at
    /// predict, and the count is reported; a categorical feature takes its most frequent level.
    func testImputationFillsWithTrainingFigures() throws {
        let data = try Dataset(columns: [
            Column.numeric("y", [1, 2, 3, 4, 5, 6]),
            Column.numeric("x", [1, .nan, 1, 4, 6, 9]),
            Column.categorical("g", ["a", "b", "b", nil, "a", "b"]),
        ])
        let mean = try linear(data, target: "y", ["impute": "mean"])
        XCTAssertEqual(mean.preprocessing.fills[1], 1)
        XCTAssertEqual(mean.preprocessing.fills[0], 4.2, accuracy: 1e-15)
        XCTAssertEqual(mean.training.valuesImputed, 2)
        XCTAssertEqual(mean.training.rowsDropped, 0)
        XCTAssertEqual(try linear(data, target: "y", ["impute": "median"]).preprocessing.fills, [4, 1])
        XCTAssertEqual(try linear(data, target: "y", ["impute": "mode"]).preprocessing.fills, [1, 1])
        let filled = try Dataset(columns: [Column.numeric("x", [mean.preprocessing.fills[0]]), Column.categorical("g", ["b"])])
        let missing = try Dataset(columns: [Column.numeric("x", [.nan]), Column.categorical("g", [nil])])
        XCTAssertEqual(try mean.predict(on: missing).numbers, try mean.predict(on: filled).numbers)
        XCTAssertEqual(try linear(data, target: "y").training.rowsDropped, 2)
        assertThrows(.usage, containing: ["option 'impute' must be one of drop, mean, median, mode, not 'avg'"], argument: "impute") {
            try linear(data, target: "y", ["impute": "avg"])
        }
        // Keeping missing values is for kinds that route them (trees); least squares cannot.
        assertThrows(.usage, containing: ["option 'impute' must be one of drop, mean, median, mode, not 'keep'"], argument: "impute") {
            try linear(data, target: "y", ["impute": "keep"])
        }
    }

    func testPolyDegreeIsCheckedAndBounded() throws {
        let iris = try TestData.iris()
        assertThrows(.usage, containing: ["option 'poly' must be a whole number from 1 to 10, not '0'"], argument: "poly") {
            try linear(iris, target: "Sepal.Length", ["poly": "0"])
        }
        let wide = try Dataset(columns: [Column.numeric("y", [1, 2])] + (0 ..< 60).map { Column.numeric("x\($0)", [1, 2]) })
        assertThrows(.data, containing: ["poly=10 on 60 design columns makes more than 100000 terms"], argument: "poly") {
            try linear(wide, target: "y", ["poly": "10"])
        }
    }
}
