import Foundation
import Numerics
import XCTest

final class NaiveBayesTests: XCTestCase {
    typealias Reference = NaiveBayesReferences

    /// Raw features and class indices split as naivebayes.py splits them: training rows are those
    /// whose 0-based index is not a multiple of 3, queries those that are.
    static func split(_ table: SampleTable, features: [String], classes: [Int])
        -> (training: Matrix, classes: [Int], queries: Matrix) {
        let columns = features.map(table.numbers)
        func rows(_ keep: (Int) -> Bool) -> Matrix {
            let chosen = table.rows.indices.filter(keep)
            return Matrix(rows: chosen.count, columns: columns.map { column in chosen.map { column[$0] } })
        }
        return (rows { $0 % 3 != 0 }, classes.indices.filter { $0 % 3 != 0 }.map { classes[$0] }, rows { $0 % 3 == 0 })
    }

    /// Against GaussianNB: the per-class means and variances, and the query probabilities to 1e-12
    /// (measured agreement: 2e-15).
    func assertGaussian(_ table: SampleTable, features: [String], classes: [Int], means: [Double], variances: [Double],
                        predicted: [Int], probabilities: [Double], file: StaticString = #filePath, line: UInt = #line) throws {
        let (training, trainingClasses, queries) = Self.split(table, features: features, classes: classes)
        let model = try NaiveBayes.fit(numeric: training, categorical: .none, classes: trainingClasses, classCount: 3)
        let p = features.count
        for c in 0 ..< 3 {
            for j in 0 ..< p {
                assertRelative(model.means[c][j], means[c * p + j], 1e-13, "mean \(c) \(j)", file: file, line: line)
                assertRelative(model.variances[c][j], variances[c * p + j], 1e-12, "variance \(c) \(j)", file: file, line: line)
            }
        }
        XCTAssertEqual(try model.predict(numeric: queries, categorical: .none), predicted, file: file, line: line)
        let computed = try model.probabilities(numeric: queries, categorical: .none)
        let logarithms = try model.logProbabilities(numeric: queries, categorical: .none)
        for i in 0 ..< queries.rows {
            for c in 0 ..< 3 {
                XCTAssertEqual(computed[i, c], probabilities[i * 3 + c], accuracy: 1e-12, "query \(i) class \(c)", file: file, line: line)
                XCTAssertEqual(exp(logarithms[i, c]), computed[i, c], accuracy: 1e-15, "query \(i) class \(c)", file: file, line: line)
            }
        }
    }

    func testIrisMatchesGaussianNB() throws {
        let table = try SampleTable("iris")
        let species = table.strings("Species"), levels = Array(Set(species)).sorted()
        try assertGaussian(table, features: ["Sepal.Length", "Sepal.Width", "Petal.Length", "Petal.Width"],
                           classes: species.map { levels.firstIndex(of: $0)! }, means: Reference.irisMeans,
                           variances: Reference.irisVariances, predicted: Reference.irisPredicted, probabilities: Reference.irisProbabilities)
    }

    func testWineMatchesGaussianNB() throws {
        let table = try SampleTable("wine")
        try assertGaussian(table, features: table.header.filter { $0 != "class" }, classes: table.numbers("class").map { Int($0) - 1 },
                           means: Reference.wineMeans, variances: Reference.wineVariances, predicted: Reference.winePredicted,
                           probabilities: Reference.wineProbabilities)
    }

    // The categorical set of naivebayes.py, as codes per feature.
    static let categoricalRows = [[0, 1, 0], [0, 0, 1], [1, 1, 2], [2, 0, 0], [1, 1, 1], [0, 0, 0], [2, 1, 2], [2, 1, 1],
                                  [1, 0, 2], [0, 1, 0], [2, 0, 2], [1, 1, 0]]
    static let categoricalClasses = [0, 0, 1, 2, 1, 0, 2, 2, 1, 0, 2, 0]
    static let categoricalQueries = [[0, 1, 3], [2, 0, 1], [1, 0, 0], [0, 0, 2]]

    static func features(_ rows: [[Int]], levelCounts: [Int]) -> CategoricalFeatures {
        CategoricalFeatures(codes: levelCounts.indices.map { f in rows.map { $0[f] } }, levelCounts: levelCounts)
    }

    /// Against CategoricalNB (alpha 1, min_categories = the level counts): a level seen in
    /// training but not in a class, and one never seen at all, get the smoothed probability.
    func testCategoricalMatchesCategoricalNB() throws {
        let levelCounts = [3, 2, 4]
        let model = try NaiveBayes.fit(numeric: Matrix(rows: 12, columns: 0), categorical: Self.features(Self.categoricalRows, levelCounts: levelCounts),
                                       classes: Self.categoricalClasses, classCount: 3)
        for (c, expected) in Reference.categoricalLogPriors.enumerated() { assertRelative(model.logPriors[c], expected, 1e-15) }
        let references = [Reference.categoricalLogProbabilities0, Reference.categoricalLogProbabilities1, Reference.categoricalLogProbabilities2]
        for (f, reference) in references.enumerated() {
            for c in 0 ..< 3 {
                for l in 0 ..< levelCounts[f] {
                    assertRelative(model.levelLogProbabilities[f][c][l], reference[c * levelCounts[f] + l], 1e-14, "feature \(f) class \(c) level \(l)")
                }
            }
        }
        let queries = Self.features(Self.categoricalQueries, levelCounts: levelCounts)
        let probabilities = try model.probabilities(numeric: Matrix(rows: 4, columns: 0), categorical: queries)
        for (index, expected) in Reference.categoricalProbabilities.enumerated() {
            XCTAssertEqual(probabilities[index / 3, index % 3], expected, accuracy: 1e-14)
        }
    }

    /// Numeric and categorical features in one model, against the hand computation in
    /// naivebayes.py (exact means and variances, mpmath logarithms).
    func testMixedFeaturesMatchTheHandComputation() throws {
        let numeric = Matrix(rows: 9, columns: [[1.0, 1.5, 2.25, 0.5, 3.0, 3.5, 4.0, 2.5, 3.25], [10.5, 9.0, 11.0, 10.0, 14.0, 12.5, 13.0, 15.5, 12.0]])
        let categorical = Self.features([[0, 0], [0, 1], [1, 0], [0, 0], [1, 2], [1, 1], [0, 2], [1, 2], [1, 2]], levelCounts: [2, 3])
        let model = try NaiveBayes.fit(numeric: numeric, categorical: categorical, classes: [0, 0, 0, 0, 1, 1, 1, 1, 1], classCount: 2)
        let queryNumbers = Matrix(rows: 3, columns: [[2.0, 3.0, 1.0], [11.5, 12.0, 16.0]])
        let queryLevels = Self.features([[0, 1], [1, 0], [0, 2]], levelCounts: [2, 3])
        let joint = try model.jointLogLikelihood(numeric: queryNumbers, categorical: queryLevels)
        let probabilities = try model.probabilities(numeric: queryNumbers, categorical: queryLevels)
        for i in 0 ..< 3 {
            for c in 0 ..< 2 {
                assertRelative(joint[i, c], Reference.mixedJointLogLikelihoods[i * 2 + c], 1e-13, "query \(i) class \(c)")
                assertRelative(probabilities[i, c], Reference.mixedProbabilities[i * 2 + c], 1e-11, "query \(i) class \(c)")
            }
        }
        XCTAssertEqual(try model.predict(numeric: queryNumbers, categorical: queryLevels), [0, 1, 1])
    }

    /// A query far from every class has joint log-likelihoods near −10⁶: log-sum-exp keeps its
    /// probabilities finite, in [0, 1] and summing to 1.
    func testFarQueriesStayNormalised() throws {
        let model = try NaiveBayes.fit(numeric: Matrix(rows: 4, columns: [[0, 1, 5, 6], [0, 1, 5, 7]]), categorical: .none,
                                       classes: [0, 0, 1, 1], classCount: 2)
        let far = Matrix(rows: 1, columns: [[1000], [-1000]])
        let joint = try model.jointLogLikelihood(numeric: far, categorical: .none)
        XCTAssertLessThan(joint[0, 0], -1e5)
        let probabilities = try model.probabilities(numeric: far, categorical: .none)
        XCTAssert(probabilities.values.allSatisfy { $0 >= 0 && $0 <= 1 })
        XCTAssertEqual(probabilities.values.reduce(0, +), 1, accuracy: 1e-15)
        XCTAssert(try model.logProbabilities(numeric: far, categorical: .none).values.allSatisfy(\.isFinite))
    }

    func testSavedStateIsFiniteAndPredictsTheSame() throws {
        let categorical = Self.features(Self.categoricalRows, levelCounts: [3, 2, 5])
        let numeric = Matrix(rows: 12, columns: [(0 ..< 12).map { Double($0 * $0 % 7) }])
        let model = try NaiveBayes.fit(numeric: numeric, categorical: categorical, classes: Self.categoricalClasses, classCount: 3)
        let data = try JSONEncoder().encode(model)
        let restored = try JSONDecoder().decode(NaiveBayes.self, from: data)
        XCTAssertEqual(restored, model)
        XCTAssertEqual(try restored.probabilities(numeric: numeric, categorical: categorical),
                       try model.probabilities(numeric: numeric, categorical: categorical))
        let numbers = model.logPriors + model.means.joined() + model.variances.joined() + model.levelLogProbabilities.joined().joined()
        XCTAssert(numbers.allSatisfy(\.isFinite))
    }

    func testBadInputIsRefusedWithTheValueNamed() throws {
        let numeric = Matrix(rows: 4, columns: [[0, 1, 5, 6]])
        assertThrows(.data, containing: ["class index 2 has no training rows"]) {
            try NaiveBayes.fit(numeric: numeric, categorical: .none, classes: [0, 0, 1, 1], classCount: 3)
        }
        assertThrows(.data, containing: ["at least 2 classes, got 1"]) {
            try NaiveBayes.fit(numeric: numeric, categorical: .none, classes: [0, 0, 0, 0], classCount: 1)
        }
        assertThrows(.data, containing: ["no training rows"]) {
            try NaiveBayes.fit(numeric: Matrix(rows: 0, columns: 1), categorical: .none, classes: [], classCount: 2)
        }
        assertThrows(.data, containing: ["numeric features", "nan", "row 2, column 1"]) {
            try NaiveBayes.fit(numeric: Matrix(rows: 4, columns: [[0, .nan, 5, 6]]), categorical: .none, classes: [0, 0, 1, 1], classCount: 2)
        }
        assertThrows(.data, containing: ["numeric feature 1 is constant within class index 0", "every numeric feature is constant"]) {
            try NaiveBayes.fit(numeric: Matrix(rows: 4, columns: [[2, 2, 2, 2]]), categorical: .none, classes: [0, 0, 1, 1], classCount: 2)
        }
        assertThrows(.data, containing: ["feature 'x' is constant within class 'b'", "var_smoothing is 0"]) {
            try NaiveBayes.fit(numeric: Matrix(rows: 4, columns: [[1, 2, 3, 3]]), categorical: .none, classes: [0, 0, 1, 1], classCount: 2,
                               varianceSmoothing: 0, names: (["x"], ["a", "b"]))
        }
        assertThrows(.usage, containing: ["alpha", "got 0"]) {
            try NaiveBayes.fit(numeric: numeric, categorical: .none, classes: [0, 0, 1, 1], classCount: 2, alpha: 0)
        }
        assertThrows(.usage, containing: ["variance smoothing", "got -1"]) {
            try NaiveBayes.fit(numeric: numeric, categorical: .none, classes: [0, 0, 1, 1], classCount: 2, varianceSmoothing: -1)
        }
        let levels = CategoricalFeatures(codes: [[0, 1, 1, 0]], levelCounts: [2])
        assertThrows(.data, containing: ["categorical feature 1 has level code 2 at row 3, outside 0..<2"]) {
            try NaiveBayes.fit(numeric: numeric, categorical: CategoricalFeatures(codes: [[0, 1, 2, 0]], levelCounts: [2]),
                               classes: [0, 0, 1, 1], classCount: 2)
        }
        let model = try NaiveBayes.fit(numeric: numeric, categorical: levels, classes: [0, 0, 1, 1], classCount: 2)
        assertThrows(.data, containing: ["level code -1 at row 1"]) {
            try model.predict(numeric: Matrix(rows: 1, columns: [[1]]), categorical: CategoricalFeatures(codes: [[-1]], levelCounts: [2]))
        }
        assertThrows(.data, containing: ["no rows to predict"]) {
            try model.predict(numeric: Matrix(rows: 0, columns: 1), categorical: CategoricalFeatures(codes: [[]], levelCounts: [2]))
        }
    }
}
