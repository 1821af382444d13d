import Diagnostics
import Models
import Numerics
import Tabular
import XCTest

/// `update` of linear and ridge must equal a refit on old and new rows (same preprocessing:
/// diabetes is numeric and unscaled, so a refit learns the same), to 1e-10 relative, without
/// the old rows; sgd warm-starts; other kinds refuse.
final class ModelUpdateTests: XCTestCase {
    let diabetes = try! TestData.csv("diabetes.csv")

    func rows(_ range: Range<Int>) -> Dataset { diabetes.selecting(rows: Array(range)) }

    func fit(_ kind: String, _ data: Dataset, _ options: [String: String]) throws -> Model {
        try ModelCatalogue.fit(kind: kind, data: data, datasetName: "d", target: "Y", features: nil, options: options)
    }

    /// Fitted on rows 0..<200, updated with 200..<330 then 330..<442, against a fit on all 442.
    func updatedAndRefit(_ kind: String, _ options: [String: String]) throws -> (updated: Model, refit: Model) {
        let first = try fit(kind, rows(0 ..< 200), options)
        let updated = try first.updated(with: rows(200 ..< 330), datasetName: "b").updated(with: rows(330 ..< 442), datasetName: "c")
        return (updated, try fit(kind, diabetes, options))
    }

    func testLinearUpdateEqualsRefitWithInference() throws {
        for intercept in ["true", "false"] {
            let (updated, refit) = try updatedAndRefit("linear", ["intercept": intercept])
            let u = try XCTUnwrap(updated.state as? LinearRegression.Learned), r = try XCTUnwrap(refit.state as? LinearRegression.Learned)
            XCTAssertEqual(u.observations, 442)
            XCTAssertEqual(updated.training.rowsUsed, 442)
            XCTAssertEqual(u.rank, r.rank)
            let (ui, ri) = (u.inference, r.inference)
            for (a, b) in zip(ui.coefficients, ri.coefficients) {
                assertRelative(a.estimate, b.estimate, 1e-10, "estimate of \(b.term), intercept=\(intercept)")
                assertRelative(a.standardError, b.standardError, 1e-10, "SE of \(b.term)")
                assertRelative(a.tValue, b.tValue, 1e-10, "t of \(b.term)")
                assertRelative(a.pValue, b.pValue, 1e-10, "p of \(b.term)")
            }
            assertRelative(u.residualSumOfSquares, r.residualSumOfSquares, 1e-10)
            assertRelative(u.modelSumOfSquares, r.modelSumOfSquares, 1e-10)
            assertRelative(ui.residualStandardError, ri.residualStandardError, 1e-10)
            assertRelative(try XCTUnwrap(ui.rSquared), try XCTUnwrap(ri.rSquared), 1e-10)
            assertRelative(try XCTUnwrap(ui.adjustedRSquared), try XCTUnwrap(ri.adjustedRSquared), 1e-10)
            assertRelative(try XCTUnwrap(ui.fTest).statistic, try XCTUnwrap(ri.fTest).statistic, 1e-10)
            assertRelative(ui.aic, ri.aic, 1e-10)
        }
    }

    /// A polynomial design (κ ≈ 1e8 unscaled) and a rank-deficient one (a duplicated column,
    /// aliased in both) update exactly too.
    func testLinearUpdateOnIllConditionedAndAliasedDesigns() throws {
        let (updated, refit) = try updatedAndRefit("linear", ["poly": "2"])
        let u = try XCTUnwrap(updated.state as? LinearRegression.Learned), r = try XCTUnwrap(refit.state as? LinearRegression.Learned)
        for (a, b) in zip(u.estimates, r.estimates) { assertRelative(a, b, 1e-8) }
        let doubled = try diabetes.adding(Column.numeric("BMI2", diabetes.requireColumn("BMI").numbers!.map { 2 * $0 }))
        let first = try ModelCatalogue.fit(kind: "linear", data: doubled.selecting(rows: Array(0 ..< 250)), datasetName: "d", target: "Y", features: nil, options: [:])
        let all = try ModelCatalogue.fit(kind: "linear", data: doubled, datasetName: "d", target: "Y", features: nil, options: [:])
        let next = try XCTUnwrap(try first.updated(with: doubled.selecting(rows: Array(250 ..< 442)), datasetName: "b").state as? LinearRegression.Learned)
        let whole = try XCTUnwrap(all.state as? LinearRegression.Learned)
        XCTAssertEqual(next.aliased, whole.aliased)
        XCTAssertEqual(next.aliased.last, true)
        for (a, b) in zip(next.estimates, whole.estimates) { assertRelative(a, b, 1e-10) }
        assertRelative(next.residualSumOfSquares, whole.residualSumOfSquares, 1e-10)
    }

    func testRidgeUpdateEqualsRefit() throws {
        for intercept in ["true", "false"] {
            let (updated, refit) = try updatedAndRefit("ridge", ["alpha": "3", "intercept": intercept])
            let u = try XCTUnwrap(updated.state as? PenalisedLinearState), r = try XCTUnwrap(refit.state as? PenalisedLinearState)
            if intercept == "true" { assertRelative(u.intercept, r.intercept, 1e-10) } else { XCTAssertEqual(u.intercept, 0) }
            for (a, b) in zip(u.coefficients, r.coefficients) { assertRelative(a, b, 1e-10, "intercept=\(intercept)") }
            assertRelative(u.residualSumOfSquares, r.residualSumOfSquares, 1e-10)
            assertRelative(u.totalSumOfSquares, r.totalSumOfSquares, 1e-10)
            assertRelative(try XCTUnwrap(u.effectiveDegreesOfFreedom), try XCTUnwrap(r.effectiveDegreesOfFreedom), 1e-10)
            XCTAssertEqual(u.observations, 442)
        }
    }

    func testUpdatedModelKeepsTheFirstTrainingProfile() throws {
        let first = try fit("linear", rows(0 ..< 200), [:])
        let updated = try first.updated(with: rows(200 ..< 442), datasetName: "b")
        XCTAssertNotNil(first.profile)
        XCTAssertEqual(updated.profile, first.profile, "monitoring an updated model measures drift from the rows it began with")
    }

    func testUpdatedModelSurvivesEncoding() throws {
        let (updated, _) = try updatedAndRefit("ridge", ["alpha": "1"])
        let decoded = try JSONDecoder().decode(Model.self, from: JSONEncoder().encode(updated))
        XCTAssertEqual(decoded, updated)
    }

    func testSGDWarmStartsAndOthersRefuse() throws {
        let sgd = try fit("sgd", rows(0 ..< 300), ["max_epochs": "3"])
        let state = try XCTUnwrap(sgd.state as? GradientDescentState)
        let next = try XCTUnwrap(try sgd.updated(with: rows(300 ..< 442), datasetName: "b").state as? GradientDescentState)
        XCTAssertEqual(next.observations, 442)
        XCTAssertNotEqual(next.coefficients, state.coefficients)
        let tree = try fit("tree", rows(0 ..< 300), [:])
        assertThrows(.usage, containing: ["tree model cannot be updated", "linear, ridge, sgd"]) { try tree.updated(with: rows(300 ..< 442), datasetName: "b") }
        let lasso = try fit("lasso", rows(0 ..< 300), [:])
        assertThrows(.usage, containing: ["lasso model cannot be updated"]) { try lasso.updated(with: rows(300 ..< 442), datasetName: "b") }
    }

    /// explain's partial dependence against scikit-learn (Tests/References/partial_dependence.py).
    func testPartialDependenceMatchesSklearn() throws {
        let model = try fit("linear", diabetes, [:])
        let dependence = try PartialDependence(model: model, data: diabetes, feature: "BMI", points: 5)
        XCTAssertEqual(dependence.grid, ["20.15", "23.73", "27.3", "30.87", "34.45"])  // 20.151, 23.725, 27.299, 30.873, 34.447
        let expected = [117.25621136807459, 137.28119788460992, 157.30618440114526, 177.33117091768057, 197.35615743421593]
        for (a, b) in zip(dependence.averages[0], expected) { assertRelative(a, b, 1e-10) }
    }
}
