import Foundation
@testable import Numerics
import XCTest

/// Long arrays in model files are packed; short ones stay JSON; both read back exactly, and a
/// damaged packed array is refused with a reason.
final class PackedArraysTests: XCTestCase {
    /// A tree grown to purity on noise: thousands of nodes.
    private func largeTree() throws -> DecisionTree {
        var generator = Xoshiro256StarStar(seed: 3)
        let rows = 3000
        let features = (0 ..< 2).map { _ in FeatureColumn.numbers((0 ..< rows).map { _ in generator.uniform() }) }
        let target = TreeTarget.values((0 ..< rows).map { _ in generator.uniform() })
        return try DecisionTree.fit(features: features, target: target, parameters: TreeParameters(criterion: .squaredError))
    }

    func testLargeTreePacksItsNodesAndReadsBackEqual() throws {
        let tree = try largeTree()
        XCTAssertGreaterThan(tree.nodeCount, packedArrayInlineLimit)
        let data = try JSONEncoder().encode(tree)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertTrue((object["thresholds"] as? String)?.hasPrefix("f64:") == true)
        XCTAssertTrue((object["leftChildren"] as? String)?.hasPrefix("i32:") == true)
        XCTAssertTrue((object["missingGoesLeft"] as? String)?.hasPrefix("bool:") == true)
        XCTAssertEqual(try JSONDecoder().decode(DecisionTree.self, from: data), tree)
    }

    func testShortArraysStayJSONAndPlainArraysReadForAnySize() throws {
        let small = try DecisionTree.fit(features: [.numbers([1, 2, 3, 4])], target: .values([1, 1, 5, 5]),
                                         parameters: TreeParameters(criterion: .squaredError))
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: try JSONEncoder().encode(small)) as? [String: Any])
        XCTAssertNotNil(object["thresholds"] as? [Double])
        // A file written before packing holds a large tree's arrays as JSON numbers.
        let tree = try largeTree()
        var plain = try XCTUnwrap(try JSONSerialization.jsonObject(with: try JSONEncoder().encode(tree)) as? [String: Any])
        plain["thresholds"] = tree.thresholds
        plain["leftChildren"] = tree.leftChildren.map(Int.init)
        plain["missingGoesLeft"] = tree.missingGoesLeft
        XCTAssertEqual(try JSONDecoder().decode(DecisionTree.self, from: try JSONSerialization.data(withJSONObject: plain)), tree)
    }

    func testDamagedPackedArraysAreRefused() throws {
        let tree = try largeTree()
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: try JSONEncoder().encode(tree)) as? [String: Any])
        let thresholds = try XCTUnwrap(object["thresholds"] as? String)
        let cases: [(String, String, String)] = [
            ("thresholds", "i32:" + thresholds.dropFirst(4), "expected an array or a packed 'f64' array"),
            ("thresholds", thresholds + "!", "base64 is damaged"),
            ("thresholds", "f64:" + Data([1, 2, 3]).base64EncodedString(), "not a whole number of 8-byte elements"),
            ("missingGoesLeft", "bool:" + Data([0, 1, 2]).base64EncodedString(), "holds a value that is not one"),
        ]
        for (key, value, reason) in cases {
            var damaged = object
            damaged[key] = value
            XCTAssertThrowsError(try JSONDecoder().decode(DecisionTree.self, from: try JSONSerialization.data(withJSONObject: damaged)), reason) { error in
                XCTAssertTrue("\(error)".contains(reason), "\(error)")
            }
        }
    }
}
