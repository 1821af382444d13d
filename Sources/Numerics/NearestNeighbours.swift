import CLapack
import Diagnostics

/// How the k neighbours' votes or values are weighted.
public enum NeighbourWeighting: String, Codable, Sendable, CaseIterable {
    /// Every neighbour counts the same.
    case uniform
    /// A neighbour counts 1/distance; when some neighbours are at distance 0, they share all
    /// the weight equally and the others get none (scikit-learn's rule).
    case distance
}

/// The k nearest training rows of each query row, nearest first: query i's r-th neighbour is
/// training row `indices[i * k + r]` at Euclidean distance `distances[i * k + r]`.
public struct NeighbourLists: Sendable, Equatable {
    public let k: Int
    public let indices: [Int]
    public let distances: [Double]
}

/// Exact k-nearest-neighbour search by brute force, Euclidean distance. The learned state is
/// the training matrix itself (Codable, so the model file stores it).
///
/// Distances come from the key ‖t‖² − 2 t·q (‖q‖² is the same for every training row t, so it
/// does not change the order), one dgemm of [−2T | ‖t‖²] by [Q | 1]ᵀ per block of 128 query rows
/// × 2048 training rows, so the keys take 2 MB whatever the sizes. That form loses digits to
/// cancellation when points are close compared with their norms, so it only picks candidates:
/// every training row whose key is within twice the rounding bound of the k-th smallest key
/// (a set that provably holds the true k nearest), whose distances are then recomputed directly
/// as √Σ(q − t)². Neighbours at equal distance are ordered by training row, so results are
/// deterministic (scikit-learn's order among ties is not specified).
///
/// Cost: 2 m n (p + 1) flops in dgemm plus m n comparisons for m queries, n training rows and
/// p features; memory: a copy of the training matrix, and O(m k) for the result. Measured:
/// 10,000 queries against 100,000 rows × 20 features take 1.5 s of CPU on one core.
public struct NearestNeighbours: Sendable, Equatable {
    public let k: Int
    public let weighting: NeighbourWeighting
    public let trainingRows: Int
    public let featureCount: Int
    /// Column-major trainingRows × featureCount, as `Matrix.values`.
    public let training: [Double]

    static let queryBlock = 128
    static let trainingBlock = 2048

    public init(training: Matrix, k: Int, weighting: NeighbourWeighting) throws {
        try requireRows(training.rows, "training rows")
        guard training.columns > 0 else { throw ModelshError.data("nearest neighbours need at least one feature") }
        try requireFinite(training, "the training features")
        guard k >= 1, k <= training.rows else {
            throw ModelshError.usage("k must be between 1 and the \(training.rows) training rows, got \(k)", argument: "k")
        }
        self.k = k
        self.weighting = weighting
        trainingRows = training.rows
        featureCount = training.columns
        self.training = training.values
    }

    /// The k nearest training rows of every row of `queries` (m × featureCount).
    public func search(_ queries: Matrix) throws -> NeighbourLists {
        let m = queries.rows, p = featureCount
        try requireRows(m, "rows to predict")
        guard queries.columns == p else {
            throw ModelshError(.software, "\(queries.columns) query features for \(p) training features")
        }
        try requireFinite(queries, "the features to predict from")
        let (augmentedTraining, largestTrainingNorm) = augmentedTraining()
        // The computed ‖t‖² is off by at most γ_p ‖t‖², and a dot product of length p + 1 in any
        // summation order by γ_{p+1} (‖t‖² + 2|t·q|) (γ_k = kε / (1 − kε)), so a key is off by less
        // than 3γ_{p+1} (‖q‖² + ‖t‖²) < 4(p + 2)ε (‖q‖² + ‖t‖²). The slack is twice that.
        let rounding = 4 * Double(p + 2) * Double.ulpOfOne

        var indices = [Int](repeating: 0, count: m * k), distances = [Double](repeating: 0, count: m * k)
        var keys = [Double](repeating: 0, count: Self.trainingBlock * Self.queryBlock)
        for q0 in stride(from: 0, to: m, by: Self.queryBlock) {
            try Interruption.check()
            let b = min(Self.queryBlock, m - q0)
            // [Q | 1] for this block's rows.
            var augmentedQueries = [Double](repeating: 1, count: b * (p + 1))
            for f in 0 ..< p { for i in 0 ..< b { augmentedQueries[f * b + i] = queries.values[f * m + q0 + i] } }
            var lists = try (0 ..< b).map { i in
                let queryNorm = (0 ..< p).reduce(0) { $0 + augmentedQueries[$1 * b + i] * augmentedQueries[$1 * b + i] }
                let slack = 2 * rounding * (queryNorm + largestTrainingNorm)
                guard slack.isFinite else {
                    throw ModelshError.data("feature values are too large to square (beyond ±1e154): the distances overflow")
                }
                return CandidateList(k: k, slack: slack)
            }
            for t0 in stride(from: 0, to: trainingRows, by: Self.trainingBlock) {
                let c = min(Self.trainingBlock, trainingRows - t0)
                // keys (c × b) = [−2T | ‖t‖²][t0 ..< t0 + c, :] · [Q | 1]ᵀ
                augmentedTraining.withUnsafeBufferPointer { t in
                    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, Int32(c), Int32(b), Int32(p + 1), 1,
                                t.baseAddress! + t0, Int32(trainingRows), augmentedQueries, Int32(b), 0, &keys, Int32(c))
                }
                keys.withUnsafeBufferPointer { keys in
                    for i in 0 ..< b { lists[i].scan(UnsafeBufferPointer(rebasing: keys[i * c ..< (i + 1) * c]), firstRow: t0) }
                }
            }
            for i in 0 ..< b {
                let query = q0 + i
                let nearest = lists[i].nearest { squaredDistance(from: queries, row: query, to: $0) }
                for (r, neighbour) in nearest.enumerated() {
                    indices[query * k + r] = neighbour.row
                    distances[query * k + r] = neighbour.squaredDistance.squareRoot()
                }
            }
        }
        return NeighbourLists(k: k, indices: indices, distances: distances)
    }

    /// [−2T | ‖t‖²] (column-major, trainingRows × (featureCount + 1)), so that one dgemm with
    /// [Q | 1]ᵀ gives every key ‖t‖² − 2 t·q; and the largest ‖t‖², for the rounding bound.
    private func augmentedTraining() -> (values: [Double], largestNorm: Double) {
        let n = trainingRows, p = featureCount
        var values = training.map { -2 * $0 } + [Double](repeating: 0, count: n)
        for f in 0 ..< p { for j in 0 ..< n { values[p * n + j] += training[f * n + j] * training[f * n + j] } }
        return (values, values[(p * n)...].max()!)
    }

    /// Σ (q − t)² computed directly, free of the keys' cancellation.
    private func squaredDistance(from queries: Matrix, row query: Int, to trainingRow: Int) -> Double {
        (0 ..< featureCount).reduce(0) { sum, f in
            let difference = queries[query, f] - training[f * trainingRows + trainingRow]
            return sum + difference * difference
        }
    }

    /// Each neighbour's weight (m × k, laid out as the lists), per `weighting`.
    public func weights(_ lists: NeighbourLists) -> [Double] {
        switch weighting {
        case .uniform:
            return [Double](repeating: 1, count: lists.distances.count)
        case .distance:
            return stride(from: 0, to: lists.distances.count, by: k).flatMap { start in
                let row = lists.distances[start ..< start + k]
                return row.contains(0) ? row.map { $0 == 0 ? 1 : 0 } : row.map { 1 / $0 }
            }
        }
    }
}

/// The training rows that may be among one query's k nearest, by approximate key ‖t‖² − 2 t·q.
/// Keeps every row whose key is at most `slack` above the k-th smallest key seen so far; as that
/// k-th key only falls, a row dropped earlier is above the final bound too.
struct CandidateList {
    let k: Int
    let slack: Double
    private var bound = Double.infinity
    private var capacity: Int
    private var keys: [Double] = []
    private var rows: [Int] = []

    init(k: Int, slack: Double) {
        self.k = k
        self.slack = slack
        capacity = max(4 * k, 64)
        keys.reserveCapacity(capacity)
        rows.reserveCapacity(capacity)
    }

    /// Takes the rows of `keys` (training rows firstRow, firstRow + 1, …) at or below the bound.
    /// Nearly every key is above it, so eight at a time are compared through their minimum.
    mutating func scan(_ keys: UnsafeBufferPointer<Double>, firstRow: Int) {
        var j = 0
        while j + 8 <= keys.count {
            let smallest = min(min(min(keys[j], keys[j + 1]), min(keys[j + 2], keys[j + 3])),
                               min(min(keys[j + 4], keys[j + 5]), min(keys[j + 6], keys[j + 7])))
            if smallest <= bound {
                for r in j ..< j + 8 where keys[r] <= bound { add(keys[r], row: firstRow + r) }
            }
            j += 8
        }
        for r in j ..< keys.count where keys[r] <= bound { add(keys[r], row: firstRow + r) }
    }

    private mutating func add(_ key: Double, row: Int) {
        keys.append(key)
        rows.append(row)
        if keys.count >= capacity { prune() }
    }

    /// Tightens the bound to the k-th smallest key plus the slack and drops what lies above it;
    /// grows the capacity when near-ties keep the list long.
    private mutating func prune() {
        guard keys.count >= k else { return }
        bound = keys.sorted()[k - 1] + slack
        var kept = 0
        for r in keys.indices where keys[r] <= bound {
            keys[kept] = keys[r]
            rows[kept] = rows[r]
            kept += 1
        }
        keys.removeLast(keys.count - kept)
        rows.removeLast(rows.count - kept)
        if kept * 2 >= capacity { capacity *= 2 }
    }

    /// The k candidates of smallest exact squared distance, ties by training row.
    mutating func nearest(squaredDistance: (Int) -> Double) -> [(row: Int, squaredDistance: Double)] {
        prune()
        return rows.map { (row: $0, squaredDistance: squaredDistance($0)) }
            .sorted { ($0.squaredDistance, $0.row) < ($1.squaredDistance, $1.row) }
            .prefix(k).map { $0 }
    }
}

/// k-nearest-neighbour classification: a query's class probabilities are its neighbours'
/// weighted vote shares.
public struct NearestNeighboursClassifier: Sendable, Equatable {
    public let neighbours: NearestNeighbours
    /// The training rows' class indices, in 0 ..< classCount.
    public let classes: [Int]
    public let classCount: Int

    public init(training: Matrix, classes: [Int], classCount: Int, k: Int, weighting: NeighbourWeighting) throws {
        guard classCount >= 2 else { throw ModelshError.data("classification needs at least 2 classes, got \(classCount)") }
        neighbours = try NearestNeighbours(training: training, k: k, weighting: weighting)
        try requireSameCount(classes.count, training.rows, "classes", "training rows")
        try requireClasses(classes, classCount: classCount, "the classes")
        self.classes = classes
        self.classCount = classCount
    }

    /// m × classCount: the share of neighbour weight each class gets.
    public func probabilities(_ queries: Matrix) throws -> Matrix {
        let lists = try neighbours.search(queries)
        let weights = neighbours.weights(lists), k = lists.k, m = queries.rows
        var result = Matrix(rows: m, columns: classCount)
        for i in 0 ..< m {
            // Each class's weight is summed first and divided once, so a unanimous vote is
            // exactly 1 (dividing each neighbour's weight first could sum to 1 + ε).
            let total = weights[i * k ..< (i + 1) * k].reduce(0, +)
            var votes = [Double](repeating: 0, count: classCount)
            for r in 0 ..< k { votes[classes[lists.indices[i * k + r]]] += weights[i * k + r] }
            for c in 0 ..< classCount { result[i, c] = min(votes[c] / total, 1) }
        }
        return result
    }

    /// The class of largest vote share; ties go to the lowest class index.
    public func predict(_ queries: Matrix) throws -> [Int] {
        ClassificationMetrics.mostProbableClasses(try probabilities(queries))
    }
}

/// k-nearest-neighbour regression: a query's prediction is its neighbours' weighted mean target.
public struct NearestNeighboursRegressor: Sendable, Equatable {
    public let neighbours: NearestNeighbours
    public let targets: [Double]

    public init(training: Matrix, targets: [Double], k: Int, weighting: NeighbourWeighting) throws {
        neighbours = try NearestNeighbours(training: training, k: k, weighting: weighting)
        try requireSameCount(targets.count, training.rows, "targets", "training rows")
        try requireFinite(targets, "the targets")
        self.targets = targets
    }

    public func predict(_ queries: Matrix) throws -> [Double] {
        let lists = try neighbours.search(queries)
        let weights = neighbours.weights(lists), k = lists.k
        return (0 ..< queries.rows).map { i in
            let span = i * k ..< (i + 1) * k
            return span.reduce(0) { $0 + weights[$1] * targets[lists.indices[$1]] } / weights[span].reduce(0, +)
        }
    }
}
