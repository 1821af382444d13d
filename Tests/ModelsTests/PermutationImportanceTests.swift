import Diagnostics
import Foundation
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

/// Long fits report progress through the request; the shell shows it only on a terminal.
final class FitProgressTests: XCTestCase {
    func testForestAndBoostingReportEveryUnitOfWork() throws {
        final class Counter: @unchecked Sendable {
            let lock = NSLock()
            var calls: [(Int, Int)] = []
            func add(_ done: Int, _ total: Int) { lock.lock(); calls.append((done, total)); lock.unlock() }
        }
        let iris = try TestData.iris()
        for (kind, options, units) in [("forest", ["trees": "7"], 7), ("boost", ["rounds": "4"], 4)] {
            let counter = Counter()
            _ = try ModelCatalogue.fit(kind: kind, data: iris, datasetName: "iris", target: "Species", features: nil, options: options,
                                       progress: { counter.add($0, $1) })
            XCTAssertEqual(counter.calls.count, units, kind)
            XCTAssertEqual(counter.calls.map(\.0).max(), units, kind)
            XCTAssertTrue(counter.calls.allSatisfy { $0.1 == units }, kind)
        }
    }
}
