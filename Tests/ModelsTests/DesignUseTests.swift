@testable import Models
import Tabular
import XCTest

/// Kinds that read only the features (trees) get a design of no columns: at a million rows
/// × 20 the design is 160 MB, a third of a boosted fit's peak memory, that they never read.
/// A numeric feature that enters the design as it is shares the data's array (no copy).
final class DesignUseTests: XCTestCase {
    func prepared(_ kind: String, data: Dataset? = nil, target: String = "Species", options: [String: String] = [:]) throws -> TrainingProblem {
        let request = FitRequest(data: try data ?? TestData.iris(), datasetName: "iris", target: target, features: nil, options: options)
        return try XCTUnwrap(ModelCatalogue.kind(named: kind)).prepare(request).problem
    }

    func testTreeKindsGetTheFeaturesWithoutADesign() throws {
        for kind in ["tree", "forest", "boost"] {
            let problem = try prepared(kind)
            XCTAssertEqual(problem.design.columns, 0, kind)
            XCTAssertEqual(problem.design.rows, 150, kind)
            XCTAssertEqual(problem.features.count, 4, kind)
        }
    }

    func testOtherKindsStillGetTheDesign() throws {
        for kind in ["logistic", "naivebayes", "knn"] {
            XCTAssertGreaterThanOrEqual(try prepared(kind).design.columns, 4, kind)
        }
    }

    private static func address(_ values: [Double]) -> UnsafePointer<Double>? { values.withUnsafeBufferPointer { $0.baseAddress } }

    func testNumericFeaturesEnterTheDesignWithoutACopy() throws {
        let data = try TestData.iris()
        let problem = try prepared("linear", data: data, target: "Sepal.Length")
        XCTAssertEqual(problem.designColumns.columns[0], [Double](repeating: 1, count: 150), "the column of ones")
        for name in ["Sepal.Width", "Petal.Length", "Petal.Width"] {
            let position = try XCTUnwrap(problem.terms.firstIndex(of: name)) + 1
            let shared = try XCTUnwrap(data.columns.first { $0.name == name }?.numbers)
            XCTAssertEqual(Self.address(problem.designColumns.columns[position]), Self.address(shared), name)
        }
        // Scaled, a feature is a new column: the data keeps its values.
        let scaled = try prepared("linear", data: data, target: "Sepal.Length", options: ["scale": "standard"])
        let position = try XCTUnwrap(scaled.terms.firstIndex(of: "Petal.Width")) + 1
        XCTAssertEqual(scaled.designColumns.columns[position].reduce(0, +) / 150, 0, accuracy: 1e-14)
        XCTAssertEqual(try XCTUnwrap(data.columns.first { $0.name == "Petal.Width" }?.numbers).first, 0.2)
    }

    /// A 0/1 target is its own class indices: the fit's target is the data's array. Other
    /// numbered classes are mapped to their indices.
    func testA01TargetIsSharedAndOtherClassesAreIndexed() throws {
        let y: [Double] = [0, 1, 1, 0, 1, 0, 0, 1], x: [Double] = [1, 4, 2, 3, 7, 2, 1, 5]
        let data = try Dataset(columns: [Column.numeric("y", y, type: .integer), Column.numeric("x", x)])
        let problem = try prepared("logistic", data: data, target: "y")
        XCTAssertEqual(problem.target, y)
        XCTAssertEqual(Self.address(problem.target), Self.address(try XCTUnwrap(data.columns[0].numbers)))
        let shifted = try Dataset(columns: [Column.numeric("y", y.map { $0 + 1 }, type: .integer), Column.numeric("x", x)])
        XCTAssertEqual(try prepared("logistic", data: shifted, target: "y").target, y, "classes 1 and 2 are indices 0 and 1")
    }

    /// A design whose columns are the features as they are (or indicators, or ones) is known to
    /// be finite; products and scaled columns may overflow, so they are checked by the solver.
    func testTheDesignIsKnownFiniteOnlyWhenNothingCouldOverflow() throws {
        let data = try TestData.iris()
        XCTAssertTrue(try prepared("logistic", data: data, target: "Species").designColumns.knownFinite)
        XCTAssertFalse(try prepared("logistic", data: data, target: "Species", options: ["poly": "2"]).designColumns.knownFinite)
        XCTAssertFalse(try prepared("logistic", data: data, target: "Species", options: ["scale": "standard"]).designColumns.knownFinite)
    }
}
