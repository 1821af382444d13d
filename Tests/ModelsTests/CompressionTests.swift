import Diagnostics
@testable import Models
import Numerics
import Tabular
import XCTest

final class CompressionTests: XCTestCase {
    func testPrecisionsRoundToTheirType() {
        let values = [0.1, -3.14159265358979, 1e-3, 70000]
        XCTAssertEqual(Precision.float32.rounded(values), values.map { Double(Float($0)) })
        // 70000 is beyond float16: that array is rounded to float32 instead of overflowing.
        XCTAssertEqual(Precision.float16.rounded(values), values.map { Double(Float($0)) })
        XCTAssertEqual(Precision.float16.rounded([0.1, -2.5]), [Double(Float16(0.1)), -2.5])
    }

    func testInt8UsesOnePowerOfTwoScalePerArray() {
        let values = [0.5, -0.25, 0.013, 0.0001]
        let scale = Precision.int8Scale(values)
        XCTAssertEqual(scale, 1.0 / 128)  // the smallest power of two with 0.5 ≤ 127·s
        let rounded = Precision.int8.rounded(values)
        XCTAssertEqual(rounded, [0.5, -0.25, 2.0 / 128, 0])
        XCTAssertTrue(rounded.allSatisfy { ($0 / scale).rounded() == $0 / scale && abs($0 / scale) <= 127 })
        XCTAssertEqual(Precision.int8Scale([0, 0]), 1)
    }

    func testFloat32ThresholdsRouteDoublesAsFloatComparisons() {
        for t in [Float(0.1), 2.5, -7.3, 1e-30, Float.greatestFiniteMagnitude, 3] {
            let boundary = Float32Threshold.boundary(t)
            XCTAssertLessThanOrEqual(Float(boundary), t)
            XCTAssertGreaterThan(Float(boundary.nextUp), t)
            XCTAssertEqual(Float32Threshold.float(at: boundary), t)
        }
        XCTAssertNil(Float32Threshold.float(at: 0.1))
    }

    private func fit(_ kind: String, target: String, _ options: [String: String] = [:]) throws -> (Model, Dataset) {
        let iris = try TestData.iris()
        return (try ModelCatalogue.fit(kind: kind, data: iris, datasetName: "iris", target: target, features: nil, options: options), iris)
    }

    func testPruningZeroesSmallCoefficientsThenRounds() throws {
        let (model, iris) = try fit("ridge", target: "Sepal.Length")
        let original = try XCTUnwrap(model.state as? PenalisedLinearState)
        let small = try model.compressed(Compression(precision: .float16, prune: 0.2))
        let state = try XCTUnwrap(small.state as? PenalisedLinearState)
        for (before, after) in zip(original.coefficients, state.coefficients) {
            XCTAssertEqual(after, abs(before) < 0.2 ? 0 : Double(Float16(before)))
        }
        XCTAssertEqual(state.intercept, Double(Float16(original.intercept)))
        // Everything but the learned numbers is kept, and the copy predicts.
        XCTAssertEqual(small.schema, model.schema)
        XCTAssertEqual(small.training, model.training)
        XCTAssertEqual(try small.predict(on: iris).rowCount, 150)
    }

    func testTreeLeavesEqualAfterRoundingAreMerged() throws {
        let (model, iris) = try fit("tree", target: "Sepal.Length")
        let tree = try XCTUnwrap(model.state as? TreeState).tree
        let small = try model.compressed(Compression(precision: .int8))
        let compressed = try XCTUnwrap(small.state as? TreeState).tree
        // Leaf means up to 7.9 round to steps of 1/16: sibling leaves closer than that merge.
        XCTAssertLessThan(compressed.nodeCount, tree.nodeCount)
        XCTAssertLessThan(compressed.leafCount, tree.leafCount)
        guard case .values(let before) = try model.predict(on: iris), case .values(let after) = try small.predict(on: iris) else {
            return XCTFail("a regression tree predicts values")
        }
        for (old, new) in zip(before, after) {
            XCTAssertEqual((new * 16).rounded(), new * 16)
            XCTAssertEqual(new, old, accuracy: 1.0 / 32)
        }
    }

    func testEveryKindWithLearnedNumbersCompresses() throws {
        let cases: [(String, String?, [String: String])] = [
            ("linear", "Sepal.Length", [:]), ("lasso", "Sepal.Length", ["alpha": "0.01"]), ("sgd", "Sepal.Length", [:]),
            ("logistic", "Species", ["penalty": "l2"]), ("naivebayes", "Species", [:]), ("forest", "Species", ["trees": "5"]),
            ("boost", "Sepal.Length", ["rounds": "5"]), ("kmeans", nil, ["k": "3"]), ("pca", nil, ["k": "2"]),
        ]
        let iris = try TestData.iris()
        for (kind, target, options) in cases {
            let model = try ModelCatalogue.fit(kind: kind, data: iris, datasetName: "iris", target: target, features: nil, options: options)
            for precision in Precision.allCases {
                let small = try model.compressed(Compression(precision: precision))
                XCTAssertEqual(small.kind, kind)
                XCTAssertEqual(try small.predict(on: iris).rowCount, 150, "\(kind) \(precision)")
            }
        }
    }

    func testRefusals() throws {
        let (knn, _) = try fit("knn", target: "Species")
        XCTAssertThrowsError(try knn.compressed(Compression(precision: .float16))) { error in
            XCTAssertTrue((error as? ModelshError)?.message.contains("does not support 'knn'") == true, "\(error)")
        }
        let (forest, _) = try fit("forest", target: "Species", ["trees": "3"])
        XCTAssertThrowsError(try forest.compressed(Compression(precision: .int8, prune: 0.1))) { error in
            XCTAssertEqual((error as? ModelshError)?.argument, "prune")
        }
    }
}
