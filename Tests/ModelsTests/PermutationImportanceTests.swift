import Diagnostics
import Models
import Numerics
import Tabular
import XCTest

final class PermutationImportanceTests: XCTestCase {
    /// y depends on x only: shuffling x destroys the fit, shuffling the noise column costs
    /// nothing; the shuffles follow the documented generator order, so the figures repeat.
    func testImportanceFollowsWhatTheModelUses() throws {
        var generator = Xoshiro256StarStar(seed: 3)
        let x = (0 ..< 200).map { _ in generator.uniform() }, noise = (0 ..< 200).map { _ in generator.uniform() }
        let data = try Dataset(columns: [Column.numeric("y", x.map { 3 * $0 + 1 }), Column.numeric("x", x), Column.numeric("noise", noise)])
        let model = try ModelCatalogue.fit(kind: "linear", data: data, datasetName: "d", target: "y", features: nil, options: [:])
        let importance = try PermutationImportance(model: model, data: data, metric: nil, repeats: 3, seed: 7)
        XCTAssertEqual(importance.metric, "r2")
        XCTAssertEqual(importance.baseline, 1, accuracy: 1e-12)
        XCTAssertEqual(importance.features.map(\.name), ["x", "noise"])
        XCTAssertGreaterThan(importance.features[0].mean, 1.5, "an independent copy of x explains nothing: R² falls below 0")
        XCTAssertEqual(importance.features[1].mean, 0, accuracy: 1e-9)
        // The first shuffle of x is generator(seed 7)'s first permutation of the rows.
        var replay = Xoshiro256StarStar(seed: 7)
        let shuffled = try data.adding(data.requireColumn("x").selecting(rows: replay.permutation(of: 200)))
        let first = try XCTUnwrap(model.evaluate(on: shuffled).metric("r2"))
        let again = try PermutationImportance(model: model, data: data, metric: nil, repeats: 1, seed: 7)
        XCTAssertEqual(again.features.first { $0.name == "x" }?.mean, 1 - first)
    }

    func testErrorMetricsCountARiseAsAFallAndUnknownMetricsAreNamed() throws {
        let iris = try TestData.iris()
        let model = try ModelCatalogue.fit(kind: "knn", data: iris, datasetName: "iris", target: "Species", features: nil, options: [:])
        let byLoss = try PermutationImportance(model: model, data: iris, metric: "log_loss", repeats: 2, seed: 1)
        XCTAssertGreaterThan(byLoss.features[0].mean, 0)
        assertThrows(.usage, containing: ["unknown metric 'acuracy'", "did you mean 'accuracy'"], argument: "metric") {
            try PermutationImportance(model: model, data: iris, metric: "acuracy", repeats: 1, seed: 1)
        }
    }
}
