import Foundation
import Numerics
import XCTest

/// A tree as scikit-learn grew it, node by node in preorder (feature −1 for a leaf); values
/// node-major, a classification node's class shares one after the other.
struct ScikitLearnTree {
    let features: [Int]
    let thresholds: [Double]
    let samples: [Int]
    let impurities: [Double]
    let values: [Double]
    let importances: [Double]
}

final class DecisionTreeTests: XCTestCase {
    typealias Reference = DecisionTreeReferences

    static func numbers(_ table: SampleTable, _ names: [String]) -> [FeatureColumn] {
        names.map { .numbers(table.numbers($0)) }
    }

    static func irisClasses(_ table: SampleTable) -> TreeTarget {
        let species = table.strings("Species"), levels = Array(Set(species)).sorted()
        return .classes(species.map { levels.firstIndex(of: $0)! }, count: levels.count)
    }

    static let diabetesFeatures = ["AGE", "SEX", "BMI", "BP", "S1", "S2", "S3", "S4", "S5", "S6"]

    /// The tree node by node in preorder against scikit-learn's: the same feature, the same
    /// threshold to 1e-6 (scikit-learn splits float32 copies of the features), the same counts,
    /// impurities and values to rounding, and the same importances.
    func assertMatches(_ tree: DecisionTree, _ reference: ScikitLearnTree, file: StaticString = #filePath, line: UInt = #line) {
        let order = tree.preorder().map(\.node)
        XCTAssertEqual(order.count, reference.features.count, "node count", file: file, line: line)
        guard order.count == reference.features.count else { return }
        let width = tree.classCount > 0 ? tree.classCount : 1
        for (position, i) in order.enumerated() {
            XCTAssertEqual(Int(tree.splitFeatures[i]), reference.features[position], "node \(position)", file: file, line: line)
            assertRelative(tree.thresholds[i], reference.thresholds[position], 1e-6, "threshold of node \(position)", file: file, line: line)
            XCTAssertEqual(Int(tree.sampleCounts[i]), reference.samples[position], "samples of node \(position)", file: file, line: line)
            let impurity = reference.impurities[position]
            XCTAssertEqual(tree.impurities[i], impurity, accuracy: 1e-9 * max(1, abs(impurity)), "impurity of node \(position)",
                           file: file, line: line)
            for k in 0 ..< width {
                assertRelative(tree.values[i * width + k], reference.values[position * width + k], 1e-12, "value of node \(position)",
                               file: file, line: line)
            }
        }
        for (computed, expected) in zip(tree.featureImportances(), reference.importances) {
            XCTAssertEqual(computed, expected, accuracy: 1e-12, "importance", file: file, line: line)
        }
    }

    // MARK: - The same tree as scikit-learn

    func testIrisGiniTreeIsScikitLearns() throws {
        let table = try SampleTable("iris")
        let tree = try DecisionTree.fit(features: Self.numbers(table, ["Sepal.Length", "Sepal.Width", "Petal.Length"]),
                                        target: Self.irisClasses(table), parameters: TreeParameters(criterion: .gini, maxDepth: 3))
        assertMatches(tree, Reference.irisGini)
    }

    func testIrisEntropyTreeIsScikitLearns() throws {
        let table = try SampleTable("iris")
        let tree = try DecisionTree.fit(features: Self.numbers(table, ["Sepal.Length", "Sepal.Width", "Petal.Width"]),
                                        target: Self.irisClasses(table), parameters: TreeParameters(criterion: .entropy, maxDepth: 5))
        assertMatches(tree, Reference.irisEntropy)
    }

    func testDiabetesRegressionTreeIsScikitLearns() throws {
        let table = try SampleTable("diabetes")
        let features = Self.numbers(table, Self.diabetesFeatures), target = TreeTarget.values(table.numbers("Y"))
        for (parameters, reference) in [(TreeParameters(criterion: .squaredError, minLeaf: 5), Reference.diabetesLeaf5),
                                         (TreeParameters(criterion: .squaredError, minLeaf: 5, minSplit: 30), Reference.diabetesSplit30)] {
            assertMatches(try DecisionTree.fit(features: features, target: target, parameters: parameters), reference)
        }
    }

    // MARK: - Binned splits

    /// With at least as many bins as distinct values, binning changes nothing; with 4 bins a
    /// feature offers at most 3 thresholds.
    func testBinsAreExactUpToTheirCount() throws {
        let table = try SampleTable("iris")
        let features = Self.numbers(table, ["Sepal.Length", "Sepal.Width", "Petal.Length", "Petal.Width"])
        let parameters = TreeParameters(criterion: .gini)
        let exact = try DecisionTree.fit(features: features, target: Self.irisClasses(table), parameters: parameters)
        XCTAssertEqual(try DecisionTree.fit(features: features, target: Self.irisClasses(table), parameters: parameters, bins: 255), exact)
        let binned = try DecisionTree.fit(features: features, target: Self.irisClasses(table), parameters: parameters, bins: 4)
        for f in 0 ..< 4 {
            let thresholds = Set((0 ..< binned.nodeCount).filter { binned.splitFeatures[$0] == f }.map { binned.thresholds[$0] })
            XCTAssertLessThanOrEqual(thresholds.count, 3, "feature \(f)")
        }
    }

    // MARK: - Missing values

    /// The missing rows are of class 0 like the small values: the split keeps them left.
    func testMissingValuesGoWhereTheyFitBest() throws {
        let tree = try DecisionTree.fit(features: [.numbers([1, 2, 3, 4, 5, 6, .nan, .nan])],
                                        target: .classes([0, 0, 0, 1, 1, 1, 0, 0], count: 2), parameters: TreeParameters(criterion: .gini))
        XCTAssertEqual(tree.nodeCount, 3)
        XCTAssertEqual(tree.node(0).split, .threshold(feature: 0, threshold: 3.5, left: 1, right: 2))
        XCTAssertTrue(tree.missingGoesLeft[0])
        XCTAssertEqual(try tree.predictProbabilities([.numbers([.nan, 3, 4, 100])]).column(1), [0, 0, 1, 1])

        let regression = try DecisionTree.fit(features: [.numbers([.nan, 1, 2, 3, .nan, 4])], target: .values([7, 1, 1, 5, 7, 5]),
                                              parameters: TreeParameters(criterion: .squaredError, maxDepth: 1))
        XCTAssertEqual(regression.node(0).split, .threshold(feature: 0, threshold: 2.5, left: 1, right: 2))
        XCTAssertFalse(regression.missingGoesLeft[0])
        XCTAssertEqual(try regression.predictValues([.numbers([.nan, 0])]), [6, 1])
    }

    /// When the missing rows alone differ, the split is "present or missing": every number goes left.
    func testRowsPresentAgainstMissingRows() throws {
        let tree = try DecisionTree.fit(features: [.numbers([1, 2, 3, 4, .nan, .nan])], target: .classes([0, 0, 0, 0, 1, 1], count: 2),
                                        parameters: TreeParameters(criterion: .entropy))
        XCTAssertEqual(tree.node(0).split, .threshold(feature: 0, threshold: .greatestFiniteMagnitude, left: 1, right: 2))
        XCTAssertFalse(tree.missingGoesLeft[0])
        XCTAssertEqual(try tree.predictProbabilities([.numbers([1e300, .nan])]).column(1), [0, 1])
    }

    /// A split learned without missing rows sends them to the child with more rows, right on a tie.
    func testMissingValuesUnseenInTrainingGoToTheBiggerChild() throws {
        for (classes, left) in [([0, 0, 1, 1, 1], false), ([0, 0, 0, 1, 1], true), ([0, 0, 1, 1], false)] {
            let tree = try DecisionTree.fit(features: [.numbers((1 ... classes.count).map(Double.init))],
                                            target: .classes(classes, count: 2), parameters: TreeParameters(criterion: .gini))
            XCTAssertEqual(tree.missingGoesLeft[0], left, "\(classes)")
            XCTAssertEqual(try tree.predictProbabilities([.numbers([.nan])]).column(1), [left ? 0 : 1], "\(classes)")
        }
    }

    // MARK: - Categorical splits

    /// Levels 1 and 3 have small targets, 0 and 2 large: one split of the levels separates them
    /// (one-hot columns would need two). Level 4 never occurs, and the left child is the
    /// bigger, so it goes left with the missing values.
    func testCategoricalRegressionSplitsASetOfLevels() throws {
        let levels = [0, 0, 1, 1, 2, 2, 3, 3, 1]
        let tree = try DecisionTree.fit(features: [.levels(levels, count: 5)], target: .values([10, 10, 1, 1, 9, 9, 2, 2, 1]),
                                        parameters: TreeParameters(criterion: .squaredError, maxDepth: 1))
        XCTAssertEqual(tree.node(0).split, .levels(feature: 0, leftLevels: [1, 3, 4], left: 1, right: 2))
        XCTAssertTrue(tree.missingGoesLeft[0])
        XCTAssertEqual(try tree.predictValues([.levels([0, 1, 2, 3, 4, -1], count: 5)]), [9.5, 1.4, 9.5, 1.4, 1.4, 1.4])
    }

    /// Missing levels with class 1 go right with level 1, found with the missing rows right first.
    func testCategoricalClassificationRoutesMissingLevels() throws {
        let tree = try DecisionTree.fit(features: [.levels([0, 0, 1, 1, 2, 2, -1, -1], count: 3)],
                                        target: .classes([0, 0, 1, 1, 0, 0, 1, 1], count: 2), parameters: TreeParameters(criterion: .gini))
        XCTAssertEqual(tree.node(0).split, .levels(feature: 0, leftLevels: [0, 2], left: 1, right: 2))
        XCTAssertFalse(tree.missingGoesLeft[0])
        XCTAssertEqual(tree.nodeCount, 3)
    }

    /// Three classes: levels 0 and 3 are class 0, level 1 class 1, level 2 class 2. Sending {1, 2}
    /// one way leaves 10·0 + 20·½ = 10 of weighted gini; the next best, {2} alone, 30·4/9 ≈ 13.3.
    /// The order by the share of class 0 finds it.
    func testMulticlassCategoricalSplitTriesAnOrderPerClass() throws {
        let levels = (0 ..< 40).map { $0 / 10 }, classes = levels.map { [0, 1, 2, 0][$0] }
        let tree = try DecisionTree.fit(features: [.levels(levels, count: 4)], target: .classes(classes, count: 3),
                                        parameters: TreeParameters(criterion: .gini, maxDepth: 1))
        XCTAssertEqual(tree.node(0).split, .levels(feature: 0, leftLevels: [1, 2], left: 1, right: 2))
    }

    /// For two classes and for regression the order by class-1 share / mean gives the best of all
    /// subsets (Breiman): checked against every subset of 7 levels on random data.
    func testCategoricalSplitIsTheBestOfAllSubsets() throws {
        var generator = Xoshiro256StarStar(seed: 11)
        for trial in 0 ..< 20 {
            let n = 60, levelCount = 7
            let levels = (0 ..< n).map { _ in Int(generator.bounded(UInt64(levelCount))) }
            let classes = levels.map { Int(generator.bounded(UInt64($0 + 3))) == 0 ? 1 : 0 }
            let values = levels.map { Double($0 % 3) + generator.uniform() * 4 }
            for target in [TreeTarget.classes(classes, count: 2), .values(values)] {
                let criterion: SplitCriterion
                if case .classes = target { criterion = .gini } else { criterion = .squaredError }
                let tree = try DecisionTree.fit(features: [.levels(levels, count: levelCount)], target: target,
                                                parameters: TreeParameters(criterion: criterion, maxDepth: 1))
                guard case .levels(_, let leftLevels, _, _) = tree.node(0).split else { return XCTFail("no split in trial \(trial)") }
                let best = (1 ..< (1 << (levelCount - 1))).map { mask in
                    Self.childrenImpurity(levels, target) { mask & (1 << $0) != 0 }
                }.min()!
                let found = Self.childrenImpurity(levels, target) { leftLevels.contains($0) }
                XCTAssertEqual(found, best, accuracy: 1e-9, "trial \(trial), \(criterion)")
            }
        }
    }

    /// n_left · impurity_left + n_right · impurity_right of the split sending `left` levels left.
    static func childrenImpurity(_ levels: [Int], _ target: TreeTarget, left: (Int) -> Bool) -> Double {
        let sides = [levels.indices.filter { left(levels[$0]) }, levels.indices.filter { !left(levels[$0]) }]
        return sides.reduce(0) { total, rows in
            let n = Double(rows.count)
            switch target {
            case .classes(let classes, _):
                let ones = Double(rows.count { classes[$0] == 1 })
                return total + n * (1 - (ones / n) * (ones / n) - ((n - ones) / n) * ((n - ones) / n))
            case .values(let values):
                let mean = rows.reduce(0) { $0 + values[$1] } / n
                return total + rows.reduce(0) { $0 + (values[$1] - mean) * (values[$1] - mean) }
            }
        }
    }

    // MARK: - Limits

    func testDepthLeafAndSplitLimitsHold() throws {
        let table = try SampleTable("diabetes")
        let features = Self.numbers(table, Self.diabetesFeatures), target = TreeTarget.values(table.numbers("Y"))
        let shallow = try DecisionTree.fit(features: features, target: target, parameters: TreeParameters(criterion: .squaredError, maxDepth: 4))
        XCTAssertEqual(shallow.depth, 4)
        let leafy = try DecisionTree.fit(features: features, target: target, parameters: TreeParameters(criterion: .squaredError, minLeaf: 12))
        let leaves = (0 ..< leafy.nodeCount).filter { leafy.splitFeatures[$0] < 0 }
        XCTAssertGreaterThanOrEqual(leaves.map { leafy.sampleCounts[$0] }.min()!, 12)
        let split = try DecisionTree.fit(features: features, target: target, parameters: TreeParameters(criterion: .squaredError, minSplit: 50))
        let splitNodes = (0 ..< split.nodeCount).filter { split.splitFeatures[$0] >= 0 }
        XCTAssertGreaterThanOrEqual(splitNodes.map { split.sampleCounts[$0] }.min()!, 50)
        XCTAssertEqual(leafy.leafCount, leaves.count)
    }

    /// A subset of features per split is drawn from the seed: the same seed, the same tree.
    func testFeatureSubsetsFollowTheSeed() throws {
        let table = try SampleTable("diabetes")
        let features = Self.numbers(table, Self.diabetesFeatures), target = TreeTarget.values(table.numbers("Y"))
        let parameters = TreeParameters(criterion: .squaredError, maxDepth: 6, maxFeatures: .count(3))
        let first = try DecisionTree.fit(features: features, target: target, parameters: parameters, seed: 5)
        XCTAssertEqual(try DecisionTree.fit(features: features, target: target, parameters: parameters, seed: 5), first)
        XCTAssertNotEqual(try DecisionTree.fit(features: features, target: target, parameters: parameters, seed: 6), first)
    }

    // MARK: - Model files and errors

    /// A tree survives JSON and validates; a tampered one is refused by `validate`.
    func testValidationRefusesTamperedTrees() throws {
        let tree = try DecisionTree.fit(features: [.numbers([1, 2, 3, 4, 5, 6]), .levels([0, 1, 2, 0, 1, 2], count: 3)],
                                        target: .classes([0, 0, 1, 1, 2, 2], count: 3), parameters: TreeParameters(criterion: .gini))
        let data = try JSONEncoder().encode(tree)
        let decoded = try JSONDecoder().decode(DecisionTree.self, from: data)
        XCTAssertEqual(decoded, tree)
        try decoded.validate(featureCount: 2, levelCounts: [nil, 3], classCount: 3)
        assertThrows(.data, containing: ["classes"]) { try tree.validate(featureCount: 2, levelCounts: [nil, 3], classCount: 2) }
        assertThrows(.data, containing: ["features"]) { try tree.validate(featureCount: 2, levelCounts: [nil, 4], classCount: 3) }

        func tampered(_ change: (inout [String: Any]) -> Void) throws -> DecisionTree {
            var object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
            change(&object)
            return try JSONDecoder().decode(DecisionTree.self, from: JSONSerialization.data(withJSONObject: object))
        }
        let cases: [(String, (inout [String: Any]) -> Void)] = [
            ("children", { $0["leftChildren"] = ($0["leftChildren"] as! [Int]).map { $0 > 0 ? 0 : $0 } }),
            ("splits on feature", { $0["splitFeatures"] = ($0["splitFeatures"] as! [Int]).map { $0 >= 0 ? 7 : $0 } }),
            ("length", { $0["values"] = Array(($0["values"] as! [Double]).dropLast()) }),
            ("leaf", { $0["leftChildren"] = ($0["leftChildren"] as! [Int]).map { _ in 1 } }),
        ]
        for (fragment, change) in cases {
            let bad = try tampered(change)
            assertThrows(.data, containing: [fragment]) { try bad.validate(featureCount: 2, levelCounts: [nil, 3], classCount: 3) }
        }
    }

    func testBadInputsAreRefused() {
        let x = FeatureColumn.numbers([1, 2, 3])
        assertThrows(.data, containing: ["infinite", "row 2"]) {
            try DecisionTree.fit(features: [.numbers([1, .infinity, 3])], target: .values([1, 2, 3]), parameters: TreeParameters(criterion: .squaredError))
        }
        assertThrows(.data, containing: ["level index 3", "row 1"]) {
            try DecisionTree.fit(features: [.levels([3, 0, 1], count: 3)], target: .values([1, 2, 3]), parameters: TreeParameters(criterion: .squaredError))
        }
        assertThrows(.data, containing: ["class index 2"]) {
            try DecisionTree.fit(features: [x], target: .classes([0, 1, 2], count: 2), parameters: TreeParameters(criterion: .gini))
        }
        assertThrows(.usage, containing: ["criterion"]) {
            try DecisionTree.fit(features: [x], target: .values([1, 2, 3]), parameters: TreeParameters(criterion: .gini))
        }
        assertThrows(.usage, containing: ["min_leaf"]) {
            try DecisionTree.fit(features: [x], target: .values([1, 2, 3]), parameters: TreeParameters(criterion: .squaredError, minLeaf: 0))
        }
        assertThrows(.usage, containing: ["max_features", "1 feature"]) {
            try DecisionTree.fit(features: [x], target: .values([1, 2, 3]), parameters: TreeParameters(criterion: .squaredError, maxFeatures: .count(2)))
        }
        assertThrows(.data, containing: ["no training rows"]) {
            try DecisionTree.fit(features: [.numbers([])], target: .values([]), parameters: TreeParameters(criterion: .squaredError))
        }
        let tree = try? DecisionTree.fit(features: [x], target: .values([1, 2, 3]), parameters: TreeParameters(criterion: .squaredError))
        assertThrows(.software, containing: ["not of the kind"]) { try tree?.predictValues([.levels([0], count: 1)]) }
        assertThrows(.software, containing: ["probabilities"]) { try tree?.predictProbabilities([x]) }
    }
}

// Printed by `python3 Tests/References/trees.py` (scikit-learn 1.9.1) and pasted.
enum DecisionTreeReferences {
    // DecisionTreeClassifier(max_depth=3), features ['Sepal.Length', 'Sepal.Width', 'Petal.Length']
    static let irisGini = ScikitLearnTree(
        features: [
            2, -1, 2, 0, -1, -1, 2, -1, -1,
        ],
        thresholds: [
            2.449999988079071, 0.0, 4.75, 4.950000047683716,
            0.0, 0.0, 5.049999952316284, 0.0,
            0.0,
        ],
        samples: [
            150, 50, 100, 45, 2, 43, 55, 13, 42,
        ],
        impurities: [
            0.6666666666666667, 0.0, 0.5, 0.04345679012345682,
            0.5, 0.0, 0.19438016528925617, 0.47337278106508873,
            0.046485260770975034,
        ],
        values: [
            0.3333333333333333, 0.3333333333333333, 0.3333333333333333,
            1.0, 0.0, 0.0,
            0.0, 0.5, 0.5,
            0.0, 0.9777777777777777, 0.022222222222222223,
            0.0, 0.5, 0.5,
            0.0, 1.0, 0.0,
            0.0, 0.10909090909090909, 0.8909090909090909,
            0.0, 0.38461538461538464, 0.6153846153846154,
            0.0, 0.023809523809523808, 0.9761904761904762,
        ],
        importances: [
            0.01051288251256013, 0.0, 0.9894871174874399,
        ])
    // DecisionTreeClassifier(criterion='entropy', max_depth=5), features ['Sepal.Length', 'Sepal.Width', 'Petal.Width']
    static let irisEntropy = ScikitLearnTree(
        features: [
            2, -1, 2, 2, -1, 1, 0, -1, -1, 0, -1, -1, 0, 1, -1, -1, -1,
        ],
        thresholds: [
            0.800000011920929, 0.0, 1.75, 1.3499999642372131,
            0.0, 2.649999976158142, 6.1499998569488525, 0.0,
            0.0, 7.099999904632568, 0.0, 0.0,
            5.950000047683716, 3.100000023841858, 0.0, 0.0,
            0.0,
        ],
        samples: [
            150, 50, 100, 54, 28, 26, 5, 3, 2, 21, 20, 1, 46, 7, 6, 1, 39,
        ],
        impurities: [
            1.584962500721156, 0.0, 1.0, 0.44506485705083865,
            0.0, 0.7062740891876007, 0.9709505944546686, 0.0,
            0.0, 0.4537163391869448, 0.28639695711595625, 0.0,
            0.15109697051711368, 0.5916727785823275, 0.0, 0.0,
            0.0,
        ],
        values: [
            0.3333333333333333, 0.3333333333333333, 0.3333333333333333,
            1.0, 0.0, 0.0,
            0.0, 0.5, 0.5,
            0.0, 0.9074074074074074, 0.09259259259259259,
            0.0, 1.0, 0.0,
            0.0, 0.8076923076923077, 0.19230769230769232,
            0.0, 0.4, 0.6,
            0.0, 0.0, 1.0,
            0.0, 1.0, 0.0,
            0.0, 0.9047619047619048, 0.09523809523809523,
            0.0, 0.95, 0.05,
            0.0, 0.0, 1.0,
            0.0, 0.021739130434782608, 0.9782608695652174,
            0.0, 0.14285714285714285, 0.8571428571428571,
            0.0, 0.0, 1.0,
            0.0, 1.0, 0.0,
            0.0, 0.0, 1.0,
        ],
        importances: [
            0.04940860374339208, 0.03500631168625504, 0.9155850845703528,
        ])
    // DecisionTreeRegressor(min_samples_leaf=5), features ['AGE', 'SEX', 'BMI', 'BP', 'S1', 'S2', 'S3', 'S4', 'S5', 'S6']
    static let diabetesLeaf5 = ScikitLearnTree(
        features: [
            8, 2, 6, 4, 1, 3, 0, -1, 6, -1, -1, 3, -1, -1, 5, 0, 2, -1, -1, -1,
            0, 0, -1, -1, -1, -1, 1, 2, 2, -1, -1, 5, 6, 5, 8, -1, 8, 9, -1, -1,
            -1, -1, -1, 9, -1, -1, 0, 9, -1, -1, 9, -1, -1, 8, 7, -1, -1, 3, 2, 2,
            -1, -1, 6, -1, -1, -1, 2, 2, 4, -1, 9, 8, 2, -1, 5, -1, -1, -1, -1, 8,
            6, -1, 9, -1, -1, 9, 9, 8, 4, -1, -1, 0, -1, -1, 8, 9, -1, -1, -1, 3,
            -1, -1, 2, 3, 9, 0, 8, -1, -1, 5, -1, -1, 4, -1, -1, 8, 3, 9, -1, 9,
            0, -1, -1, 4, -1, -1, -1, -1, 5, 8, -1, 1, -1, -1, 0, -1, -1,
        ],
        thresholds: [
            4.600149869918823, 26.949999809265137, 55.5, 199.0,
            1.5, 84.5, 34.5, 0.0,
            50.5, 0.0, 0.0, 94.83499908447266,
            0.0, 0.0, 100.20000076293945, 53.0,
            22.300000190734863, 0.0, 0.0, 0.0,
            57.5, 50.5, 0.0, 0.0,
            0.0, 0.0, 1.5, 20.550000190734863,
            19.350000381469727, 0.0, 0.0, 117.60000228881836,
            75.5, 107.79999923706055, 3.931599974632263, 0.0,
            4.336750030517578, 79.5, 0.0, 0.0,
            0.0, 0.0, 0.0, 90.0,
            0.0, 0.0, 50.0, 89.0,
            0.0, 0.0, 89.0, 0.0,
            0.0, 4.142999887466431, 3.7450000047683716, 0.0,
            0.0, 109.0, 29.75, 28.65000057220459,
            0.0, 0.0, 44.0, 0.0,
            0.0, 0.0, 27.75, 24.34999942779541,
            151.0, 0.0, 101.5, 4.938050031661987,
            21.850000381469727, 0.0, 115.4000015258789, 0.0,
            0.0, 0.0, 0.0, 4.799900054931641,
            37.5, 0.0, 91.5, 0.0,
            0.0, 99.5, 90.5, 5.0137999057769775,
            191.5, 0.0, 0.0, 51.0,
            0.0, 0.0, 5.129849910736084, 95.5,
            0.0, 0.0, 0.0, 103.0,
            0.0, 0.0, 32.75, 99.5,
            98.0, 48.5, 5.070250034332275, 0.0,
            0.0, 141.9000015258789, 0.0, 0.0,
            220.5, 0.0, 0.0, 5.453150033950806,
            121.0, 86.5, 0.0, 95.5,
            58.0, 0.0, 0.0, 201.5,
            0.0, 0.0, 0.0, 0.0,
            129.79999542236328, 4.990200042724609, 0.0, 1.5,
            0.0, 0.0, 39.5, 0.0,
            0.0,
        ],
        samples: [
            442, 218, 171, 87, 78, 37, 19, 8, 11, 6, 5, 18, 9, 9, 41, 24, 16, 9, 7, 8,
            17, 10, 5, 5, 7, 9, 84, 64, 14, 5, 9, 50, 35, 28, 23, 7, 16, 11, 6, 5,
            5, 5, 7, 15, 9, 6, 20, 10, 5, 5, 10, 5, 5, 47, 12, 6, 6, 35, 27, 13,
            8, 5, 14, 5, 9, 8, 224, 116, 42, 6, 36, 30, 21, 7, 14, 7, 7, 9, 6, 74,
            18, 5, 13, 6, 7, 56, 43, 21, 11, 5, 6, 10, 5, 5, 22, 16, 7, 9, 6, 13,
            5, 8, 108, 77, 33, 21, 11, 5, 6, 10, 5, 5, 12, 6, 6, 44, 36, 31, 5, 26,
            12, 7, 5, 14, 6, 8, 5, 8, 31, 19, 7, 12, 5, 7, 12, 5, 7,
        ],
        impurities: [
            5929.884896910378, 3240.820911539431, 2143.9682637392725, 2856.84687541287,
            2564.5557199211034, 2998.062819576333, 2173.706371191136, 2049.0,
            366.5950413223145, 164.55555555555566, 164.96000000000004, 2795.6666666666606,
            927.3333333333321, 3696.0, 1856.0, 2361.0,
            795.9375, 561.5061728395067, 245.26530612244915, 2781.75,
            475.7093425605535, 142.28999999999996, 197.83999999999924, 7.360000000000127,
            353.42857142857065, 2823.0617283950633, 1076.4709467120183, 1193.75,
            645.6734693877552, 806.7999999999993, 262.6666666666665, 1211.9264000000003,
            1279.8612244897959, 1320.0242346938758, 1147.6219281663507, 1436.4081632653051,
            903.52734375, 540.0495867768595, 389.8888888888905, 342.0,
            1155.0400000000009, 1046.9600000000028, 424.6938775510207, 747.2266666666674,
            150.8888888888887, 1176.916666666666, 412.9475000000002, 145.1600000000003,
            104.96000000000049, 87.36000000000058, 355.6100000000006, 212.80000000000018,
            391.84000000000015, 4075.083748302397, 2266.7222222222226, 1262.4722222222226,
            1970.472222222219, 4117.758367346945, 3704.9876543209903, 3195.4437869822577,
            2474.484375, 2458.5599999999977, 3163.4540816326553, 4910.9599999999955,
            1192.7654320987658, 3016.6875, 5135.610889668365, 4095.837916171222,
            2869.499433106572, 1904.1388888888832, 2417.5, 2266.210000000001,
            1735.5555555555547, 2180.5306122449038, 756.4540816326507, 507.26530612245006,
            685.9591836734689, 2058.765432098764, 725.9166666666679, 4236.2249817384945,
            3862.4969135802457, 3496.6400000000067, 1419.3609467455608, 767.4722222222226,
            346.7755102040819, 3777.3746811224482, 2994.518117901571, 2473.378684807256,
            2266.1487603305795, 945.4400000000096, 1068.9166666666642, 1538.4100000000035,
            916.4000000000015, 1037.0400000000009, 2819.4710743801625, 2393.08984375,
            1276.4897959183654, 2438.2222222222226, 2151.9166666666642, 3438.130177514795,
            2576.560000000005, 1339.75, 4184.050325788761, 3966.115027829306,
            5206.9550045913675, 4208.884353741494, 5315.50413223141, 1907.2000000000007,
            6721.805555555558, 1851.0099999999948, 1701.199999999997, 575.0400000000009,
            4548.555555555555, 3332.9166666666642, 4062.805555555562, 1825.7701446280917,
            1763.8418209876545, 1661.4027055150946, 554.239999999998, 1664.2130177514773,
            1660.4166666666642, 1892.857142857145, 420.23999999999796, 1363.979591836738,
            730.555555555562, 1286.1875, 507.1999999999971, 992.75,
            2133.015608740883, 1073.6121883656451, 999.2653061224701, 519.4097222222335,
            430.63999999998487, 270.0, 1910.8541666666642, 1792.239999999998,
            1327.9591836734762,
        ],
        values: [
            152.13348416289594, 109.9862385321101, 96.30994152046783,
            108.80459770114942, 103.26923076923077, 116.86486486486487,
            94.63157894736842, 133.5, 66.36363636363636,
            79.33333333333333, 50.8, 140.33333333333334,
            162.33333333333334, 118.33333333333333, 91.0,
            105.0, 83.75, 100.77777777777777,
            61.857142857142854, 147.5, 71.23529411764706,
            58.1, 64.4, 51.8,
            90.0, 156.77777777777777, 83.36904761904762,
            88.0, 68.57142857142857, 87.0,
            58.333333333333336, 93.44, 99.71428571428571,
            105.60714285714286, 99.17391304347827, 112.85714285714286,
            93.1875, 84.36363636363636, 96.33333333333333,
            70.0, 112.6, 135.2,
            76.14285714285714, 78.8, 67.66666666666667,
            95.5, 68.55, 55.8,
            62.8, 48.8, 81.3,
            74.0, 88.6, 159.74468085106383,
            124.33333333333333, 98.83333333333333, 149.83333333333334,
            171.88571428571427, 158.88888888888889, 182.69230769230768,
            161.375, 216.8, 136.78571428571428,
            170.8, 117.88888888888889, 215.75,
            193.15178571428572, 162.68103448275863, 137.6904761904762,
            193.83333333333334, 128.33333333333334, 119.3,
            105.66666666666667, 137.42857142857142, 89.78571428571429,
            77.14285714285714, 102.42857142857143, 151.11111111111111,
            173.5, 176.86486486486487, 139.94444444444446,
            209.6, 113.15384615384616, 145.16666666666666,
            85.71428571428571, 188.73214285714286, 174.3953488372093,
            193.38095238095238, 215.8181818181818, 254.6,
            183.5, 168.7, 145.0,
            192.4, 156.27272727272728, 142.6875,
            118.28571428571429, 161.66666666666666, 192.5,
            236.15384615384616, 185.2, 268.0,
            225.87962962962962, 208.57142857142858, 178.21212121212122,
            155.85714285714286, 133.63636363636363, 103.0,
            159.16666666666666, 180.3, 207.0,
            153.6, 217.33333333333334, 246.5,
            188.16666666666666, 231.3409090909091, 224.63888888888889,
            218.1290322580645, 248.4, 212.30769230769232,
            198.5, 215.0, 175.4,
            224.14285714285714, 244.66666666666666, 208.75,
            265.0, 261.5, 268.8709677419355,
            290.42105263157896, 315.85714285714283, 275.5833333333333,
            259.6, 287.0, 234.75,
            211.4, 251.42857142857142,
        ],
        importances: [
            0.038396133235118694, 0.01050087741314194, 0.27188873251047435, 0.06599062011149244,
            0.03685642605739196, 0.02676118111886077, 0.03872717157401957, 0.0039082750439720084,
            0.4415268995307304, 0.06544368340479804,
        ])
    // DecisionTreeRegressor(min_samples_leaf=5, min_samples_split=30), features ['AGE', 'SEX', 'BMI', 'BP', 'S1', 'S2', 'S3', 'S4', 'S5', 'S6']
    static let diabetesSplit30 = ScikitLearnTree(
        features: [
            8, 2, 6, 4, 1, 3, -1, -1, 5, -1, -1, -1, 1, 2, -1, 5, 6, -1, -1, -1,
            -1, 8, -1, 3, -1, -1, 2, 2, 4, -1, 9, 8, -1, -1, -1, 8, -1, 9, 9, -1,
            -1, -1, 2, 3, 9, -1, -1, 8, 3, 9, -1, -1, -1, -1, 5, -1, -1,
        ],
        thresholds: [
            4.600149869918823, 26.949999809265137, 55.5, 199.0,
            1.5, 84.5, 0.0, 0.0,
            100.20000076293945, 0.0, 0.0, 0.0,
            1.5, 20.550000190734863, 0.0, 117.60000228881836,
            75.5, 0.0, 0.0, 0.0,
            0.0, 4.142999887466431, 0.0, 109.0,
            0.0, 0.0, 27.75, 24.34999942779541,
            151.0, 0.0, 101.5, 4.938050031661987,
            0.0, 0.0, 0.0, 4.799900054931641,
            0.0, 99.5, 90.5, 0.0,
            0.0, 0.0, 32.75, 99.5,
            98.0, 0.0, 0.0, 5.453150033950806,
            121.0, 86.5, 0.0, 0.0,
            0.0, 0.0, 129.79999542236328, 0.0,
            0.0,
        ],
        samples: [
            442, 218, 171, 87, 78, 37, 19, 18, 41, 24, 17, 9, 84, 64, 14, 50, 35, 28, 7, 15,
            20, 47, 12, 35, 27, 8, 224, 116, 42, 6, 36, 30, 21, 9, 6, 74, 18, 56, 43, 21,
            22, 13, 108, 77, 33, 21, 12, 44, 36, 31, 5, 26, 5, 8, 31, 19, 12,
        ],
        impurities: [
            5929.884896910378, 3240.820911539431, 2143.9682637392725, 2856.84687541287,
            2564.5557199211034, 2998.062819576333, 2173.706371191136, 2795.6666666666606,
            1856.0, 2361.0, 475.7093425605535, 2823.0617283950633,
            1076.4709467120183, 1193.75, 645.6734693877552, 1211.9264000000003,
            1279.8612244897959, 1320.0242346938758, 424.6938775510207, 747.2266666666674,
            412.9475000000002, 4075.083748302397, 2266.7222222222226, 4117.758367346945,
            3704.9876543209903, 3016.6875, 5135.610889668365, 4095.837916171222,
            2869.499433106572, 1904.1388888888832, 2417.5, 2266.210000000001,
            1735.5555555555547, 2058.765432098764, 725.9166666666679, 4236.2249817384945,
            3862.4969135802457, 3777.3746811224482, 2994.518117901571, 2473.378684807256,
            2819.4710743801625, 3438.130177514795, 4184.050325788761, 3966.115027829306,
            5206.9550045913675, 4208.884353741494, 4548.555555555555, 1825.7701446280917,
            1763.8418209876545, 1661.4027055150946, 554.239999999998, 1664.2130177514773,
            507.1999999999971, 992.75, 2133.015608740883, 1073.6121883656451,
            1910.8541666666642,
        ],
        values: [
            152.13348416289594, 109.9862385321101, 96.30994152046783,
            108.80459770114942, 103.26923076923077, 116.86486486486487,
            94.63157894736842, 140.33333333333334, 91.0,
            105.0, 71.23529411764706, 156.77777777777777,
            83.36904761904762, 88.0, 68.57142857142857,
            93.44, 99.71428571428571, 105.60714285714286,
            76.14285714285714, 78.8, 68.55,
            159.74468085106383, 124.33333333333333, 171.88571428571427,
            158.88888888888889, 215.75, 193.15178571428572,
            162.68103448275863, 137.6904761904762, 193.83333333333334,
            128.33333333333334, 119.3, 105.66666666666667,
            151.11111111111111, 173.5, 176.86486486486487,
            139.94444444444446, 188.73214285714286, 174.3953488372093,
            193.38095238095238, 156.27272727272728, 236.15384615384616,
            225.87962962962962, 208.57142857142858, 178.21212121212122,
            155.85714285714286, 217.33333333333334, 231.3409090909091,
            224.63888888888889, 218.1290322580645, 248.4,
            212.30769230769232, 265.0, 261.5,
            268.8709677419355, 290.42105263157896, 234.75,
        ],
        importances: [
            0.0, 0.011191584359106615, 0.2980220631096518, 0.060766654244894726,
            0.02692263062536917, 0.02308716151209232, 0.019378786757136748, 0.0,
            0.4999040206226789, 0.060727098769069746,
        ])
}
