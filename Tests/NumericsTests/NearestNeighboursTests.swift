import Diagnostics
import Foundation
import Numerics
import XCTest

final class NearestNeighboursTests: XCTestCase {
    typealias Reference = NearestNeighboursReferences

    /// Standardised features split as classify.py splits them: training rows are those whose
    /// 0-based index is not a multiple of 3, queries those that are.
    static func split(_ table: SampleTable, features: [String]) -> (training: Matrix, queries: Matrix) {
        let columns = features.map(table.standardised)
        func rows(_ keep: (Int) -> Bool) -> Matrix {
            let chosen = table.rows.indices.filter(keep)
            return Matrix(rows: chosen.count, columns: columns.map { column in chosen.map { column[$0] } })
        }
        return (rows { $0 % 3 != 0 }, rows { $0 % 3 == 0 })
    }

    static func trainingPart<T>(_ values: [T]) -> [T] {
        values.indices.filter { $0 % 3 != 0 }.map { values[$0] }
    }

    /// Against scikit-learn's KNeighborsClassifier (algorithm="brute"): the neighbour sets, and
    /// the probabilities and predictions of both weightings.
    func assertClassifier(_ table: SampleTable, features: [String], classes: [Int], k: Int, neighbours: [Int],
                          uniform: (predicted: [Int], probabilities: [Double]),
                          distance: (predicted: [Int], probabilities: [Double]), file: StaticString = #filePath, line: UInt = #line) throws {
        let (training, queries) = Self.split(table, features: features)
        let classCount = classes.max()! + 1
        for (weighting, reference) in [(NeighbourWeighting.uniform, uniform), (.distance, distance)] {
            let model = try NearestNeighboursClassifier(training: training, classes: Self.trainingPart(classes),
                                                        classCount: classCount, k: k, weighting: weighting)
            let lists = try model.neighbours.search(queries)
            let sorted = (0 ..< queries.rows).flatMap { lists.indices[$0 * k ..< ($0 + 1) * k].sorted() }
            XCTAssertEqual(sorted, neighbours, "neighbours", file: file, line: line)
            XCTAssertEqual(try model.predict(queries), reference.predicted, "\(weighting) predictions", file: file, line: line)
            let probabilities = try model.probabilities(queries)
            for i in 0 ..< queries.rows {
                for c in 0 ..< classCount {
                    XCTAssertEqual(probabilities[i, c], reference.probabilities[i * classCount + c], accuracy: 1e-12,
                                   "\(weighting) query \(i) class \(c)", file: file, line: line)
                }
            }
        }
    }

    func testIrisMatchesScikitLearn() throws {
        let table = try SampleTable("iris")
        let species = table.strings("Species"), levels = Array(Set(species)).sorted()
        try assertClassifier(table, features: ["Sepal.Length", "Sepal.Width", "Petal.Length", "Petal.Width"],
                             classes: species.map { levels.firstIndex(of: $0)! }, k: 5, neighbours: Reference.irisNeighbours,
                             uniform: (Reference.irisUniformPredicted, Reference.irisUniformProbabilities),
                             distance: (Reference.irisDistancePredicted, Reference.irisDistanceProbabilities))
    }

    func testWineMatchesScikitLearn() throws {
        let table = try SampleTable("wine")
        try assertClassifier(table, features: table.header.filter { $0 != "class" },
                             classes: table.numbers("class").map { Int($0) - 1 }, k: 5, neighbours: Reference.wineNeighbours,
                             uniform: (Reference.wineUniformPredicted, Reference.wineUniformProbabilities),
                             distance: (Reference.wineDistancePredicted, Reference.wineDistanceProbabilities))
    }

    func testDiabetesRegressionMatchesScikitLearn() throws {
        let table = try SampleTable("diabetes")
        let (training, queries) = Self.split(table, features: table.header.filter { $0 != "Y" })
        let targets = Self.trainingPart(table.numbers("Y"))
        for (weighting, reference) in [(NeighbourWeighting.uniform, Reference.diabetesUniformPredictions),
                                       (.distance, Reference.diabetesDistancePredictions)] {
            let model = try NearestNeighboursRegressor(training: training, targets: targets, k: 7, weighting: weighting)
            let lists = try model.neighbours.search(queries)
            XCTAssertEqual((0 ..< queries.rows).flatMap { lists.indices[$0 * 7 ..< ($0 + 1) * 7].sorted() }, Reference.diabetesNeighbours)
            for (actual, expected) in zip(try model.predict(queries), reference) { assertRelative(actual, expected, 1e-12, "\(weighting)") }
        }
    }

    /// Neighbours and distances of a direct O(m n p) search: k passes for the smallest
    /// (squared distance, row) not yet taken.
    static func directSearch(training: Matrix, queries: Matrix, k: Int) -> (indices: [Int], distances: [Double]) {
        var indices: [Int] = [], distances: [Double] = []
        for i in 0 ..< queries.rows {
            let squared = (0 ..< training.rows).map { j in
                (0 ..< training.columns).reduce(0.0) { $0 + (queries[i, $1] - training[j, $1]) * (queries[i, $1] - training[j, $1]) }
            }
            var taken: [Int] = []
            for _ in 0 ..< k {
                let next = squared.indices.filter { !taken.contains($0) }.min { (squared[$0], $0) < (squared[$1], $1) }!
                taken.append(next)
            }
            indices += taken
            distances += taken.map { squared[$0].squareRoot() }
        }
        return (indices, distances)
    }

    static func randomMatrix(rows: Int, columns: Int, offset: Double, scale: Double, seed: UInt64) -> Matrix {
        var random = Xoshiro256StarStar(seed: seed)
        return Matrix(rows: rows, columns: columns, values: (0 ..< rows * columns).map { _ in offset + scale * random.uniform() })
    }

    /// More queries and training rows than one block of each, against the direct search.
    func testBlocksAgreeWithDirectSearch() throws {
        let training = Self.randomMatrix(rows: 2100, columns: 3, offset: -1, scale: 2, seed: 1)
        let queries = Self.randomMatrix(rows: 150, columns: 3, offset: -1, scale: 2, seed: 2)
        let lists = try NearestNeighbours(training: training, k: 4, weighting: .uniform).search(queries)
        let direct = Self.directSearch(training: training, queries: queries, k: 4)
        XCTAssertEqual(lists.indices, direct.indices)
        XCTAssertEqual(lists.distances, direct.distances)
    }

    /// Points far from the origin and close together: ‖t‖² − 2t·q loses every digit that tells
    /// them apart, so only the candidates' exact recomputation finds the right neighbours.
    func testCancellationDoesNotChangeTheNeighbours() throws {
        let training = Self.randomMatrix(rows: 400, columns: 2, offset: 1e8, scale: 1, seed: 3)
        let queries = Self.randomMatrix(rows: 50, columns: 2, offset: 1e8, scale: 1, seed: 4)
        let lists = try NearestNeighbours(training: training, k: 3, weighting: .uniform).search(queries)
        let direct = Self.directSearch(training: training, queries: queries, k: 3)
        XCTAssertEqual(lists.indices, direct.indices)
        XCTAssertEqual(lists.distances, direct.distances)
    }

    /// Training rows at equal distance are taken in training order.
    func testTiesGoToTheEarlierTrainingRow() throws {
        let training = Matrix(rows: 4, columns: 1, values: [1, -1, 1, 3])
        let query = Matrix(rows: 1, columns: 1, values: [0])
        let search = try NearestNeighbours(training: training, k: 2, weighting: .uniform).search(query)
        XCTAssertEqual(search.indices, [0, 1])
        XCTAssertEqual(search.distances, [1, 1])
        let classifier = try NearestNeighboursClassifier(training: training, classes: [1, 0, 0, 1], classCount: 2, k: 1, weighting: .uniform)
        XCTAssertEqual(try classifier.predict(query), [1])
        // k = 2: one vote each, and the tie between classes goes to the lower index.
        let twoVotes = try NearestNeighboursClassifier(training: training, classes: [1, 0, 0, 1], classCount: 2, k: 2, weighting: .uniform)
        XCTAssertEqual(try twoVotes.probabilities(query).values, [0.5, 0.5])
        XCTAssertEqual(try twoVotes.predict(query), [0])
    }

    /// With distance weighting, neighbours at distance zero share all the weight.
    func testZeroDistanceNeighboursTakeAllTheWeight() throws {
        let training = Matrix(rows: 5, columns: 2, values: [0, 0, 1, 5, 0.5, 1, 1, 0, 5, 1])
        let classifier = try NearestNeighboursClassifier(training: training, classes: [0, 1, 1, 2, 2], classCount: 3, k: 3, weighting: .distance)
        let onDuplicates = Matrix(rows: 1, columns: 2, values: [0, 1])
        XCTAssertEqual(try classifier.probabilities(onDuplicates).values, [0.5, 0.5, 0])
        let regressor = try NearestNeighboursRegressor(training: training, targets: [10, 20, 30, 40, 50], k: 3, weighting: .distance)
        XCTAssertEqual(try regressor.predict(onDuplicates), [15])
        let between = Matrix(rows: 1, columns: 2, values: [0.5, 1])
        // Distances 0.5, 0.5 and 0 (row 4 is at (0.5, 1)): all weight to row 4.
        XCTAssertEqual(try regressor.predict(between), [50])
    }

    func testSavedStatePredictsTheSame() throws {
        let training = Self.randomMatrix(rows: 60, columns: 3, offset: 0, scale: 1, seed: 5)
        let queries = Self.randomMatrix(rows: 10, columns: 3, offset: 0, scale: 1, seed: 6)
        let model = try NearestNeighboursClassifier(training: training, classes: (0 ..< 60).map { $0 % 3 }, classCount: 3, k: 4, weighting: .distance)
        let restored = try JSONDecoder().decode(NearestNeighboursClassifier.self, from: JSONEncoder().encode(model))
        XCTAssertEqual(restored, model)
        XCTAssertEqual(try restored.probabilities(queries), try model.probabilities(queries))
    }

    func testBadInputIsRefusedWithTheValueNamed() {
        let training = Matrix(rows: 3, columns: 1, values: [0, 1, 2])
        assertThrows(.usage, containing: ["k must be between 1 and the 3 training rows", "got 0"]) {
            try NearestNeighbours(training: training, k: 0, weighting: .uniform)
        }
        assertThrows(.usage, containing: ["got 4"]) { try NearestNeighbours(training: training, k: 4, weighting: .uniform) }
        assertThrows(.data, containing: ["no training rows"]) {
            try NearestNeighbours(training: Matrix(rows: 0, columns: 1), k: 1, weighting: .uniform)
        }
        assertThrows(.data, containing: ["non-finite", "nan", "row 2, column 1"]) {
            try NearestNeighbours(training: Matrix(rows: 3, columns: 1, values: [0, .nan, 2]), k: 1, weighting: .uniform)
        }
        assertThrows(.data, containing: ["at least 2 classes, got 1"]) {
            try NearestNeighboursClassifier(training: training, classes: [0, 0, 0], classCount: 1, k: 1, weighting: .uniform)
        }
        assertThrows(.data, containing: ["class index 3 at row 2, outside 0..<2"]) {
            try NearestNeighboursClassifier(training: training, classes: [0, 3, 1], classCount: 2, k: 1, weighting: .uniform)
        }
        assertThrows(.data, containing: ["the targets", "inf", "row 3"]) {
            try NearestNeighboursRegressor(training: training, targets: [1, 2, .infinity], k: 1, weighting: .uniform)
        }
        let model = try? NearestNeighbours(training: training, k: 1, weighting: .uniform)
        assertThrows(.data, containing: ["features to predict from", "row 1"]) {
            try model?.search(Matrix(rows: 1, columns: 1, values: [.nan]))
        }
        assertThrows(.data, containing: ["no rows to predict"]) { try model?.search(Matrix(rows: 0, columns: 1)) }
        assertThrows(.data, containing: ["too large to square"]) { try model?.search(Matrix(rows: 1, columns: 1, values: [1e200])) }
    }

    /// 10,000 queries against 100,000 training rows × 20 features. A measurement, not a check:
    /// run with MODELSH_BENCH=1 in a release build (see the engine report for the figure).
    func testSpeedOfALargeSearch() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["MODELSH_BENCH"] != nil, "set MODELSH_BENCH=1 to measure")
        let training = Self.randomMatrix(rows: 100_000, columns: 20, offset: -1, scale: 2, seed: 7)
        let queries = Self.randomMatrix(rows: 10_000, columns: 20, offset: -1, scale: 2, seed: 8)
        let model = try NearestNeighboursClassifier(training: training, classes: (0 ..< 100_000).map { $0 % 3 }, classCount: 3,
                                                    k: 5, weighting: .uniform)
        let start = Date()
        _ = try model.predict(queries)
        print("knn: 10,000 queries × 100,000 training rows × 20 features: \(Date().timeIntervalSince(start)) s")
    }
}
