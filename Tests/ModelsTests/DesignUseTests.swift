@testable import Models
import Tabular
import XCTest

/// Kinds that read only the features (trees) get a design of no columns: at a million rows
/// × 20 the design is 160 MB, a third of a boosted fit's peak memory, that they never read.
final class DesignUseTests: XCTestCase {
    func prepared(_ kind: String) throws -> TrainingProblem {
        let request = FitRequest(data: try TestData.iris(), datasetName: "iris", target: "Species", features: nil, options: [:])
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
}
