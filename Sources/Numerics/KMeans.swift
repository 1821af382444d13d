import CLapack
import Diagnostics
import Dispatch
import Foundation

/// The hyper-parameters of k-means, as scikit-learn's `KMeans(init="k-means++", algorithm="lloyd")`.
public struct KMeansOptions: Codable, Sendable, Equatable {
    /// scikit-learn 1.9.1's `n_init="auto"`, which for k-means++ means one run: its greedy seeding
    /// already lands near a good optimum, and each restart costs a whole fit. More restarts keep
    /// the run of least inertia.
    public static let defaultRestarts = 1
    public static let defaultMaximumIterations = 300
    /// scikit-learn's `tol`: a run stops when the centres moved, in total squared distance, by at
    /// most this share of the mean feature variance.
    public static let defaultTolerance = 1e-4

    public var clusterCount: Int
    public var restarts: Int
    public var maximumIterations: Int
    public var tolerance: Double
    /// Restart r draws from a generator seeded by the r-th output of `Xoshiro256StarStar(seed:)`.
    public var seed: UInt64

    public init(clusterCount: Int, restarts: Int = defaultRestarts, maximumIterations: Int = defaultMaximumIterations,
                tolerance: Double = defaultTolerance, seed: UInt64) {
        self.clusterCount = clusterCount
        self.restarts = restarts
        self.maximumIterations = maximumIterations
        self.tolerance = tolerance
        self.seed = seed
    }

    func check(rows: Int) throws {
        guard clusterCount >= 1, clusterCount <= rows else {
            throw ModelshError.usage("k must be between 1 and the \(rows) rows, got \(clusterCount)", argument: "k")
        }
        guard restarts >= 1 else { throw ModelshError.usage("restarts must be at least 1, got \(restarts)", argument: "restarts") }
        guard maximumIterations >= 1 else {
            throw ModelshError.usage("the iteration limit must be at least 1, got \(maximumIterations)", argument: "iterations")
        }
        guard tolerance >= 0, tolerance.isFinite else {
            throw ModelshError.usage("the tolerance must be a finite number ≥ 0, got \(tolerance)", argument: "tolerance")
        }
    }
}

/// A k-means fit: the model, and the cluster of every training row.
public struct KMeansFit: Sendable, Equatable {
    public let model: KMeans
    /// The training rows' clusters, in 0 ..< clusterCount: what `model.predict` gives for them.
    public let labels: [Int]
}

/// k-means clustering: k-means++ seeding, then Lloyd's iterations, the best of several restarts.
///
/// **Algorithm** (scikit-learn 1.9.1's `KMeans` with `algorithm="lloyd"`): the data are centred on
/// their column means (distances are then computed without the cancellation a large offset
/// causes); seeding is scikit-learn's greedy k-means++ (Arthur & Vassilvitskii 2007): a uniform
/// first centre, then for each next one 2 + ⌊ln k⌋ rows drawn with probability proportional to
/// their squared distance from the nearest centre so far, keeping the candidate that lowers the
/// total the most. Each Lloyd iteration assigns every row to its nearest centre and moves each
/// centre to the mean of its rows; a cluster left empty takes, as in scikit-learn, one of the rows
/// farthest from their centres (the farthest for the lowest-numbered empty cluster, and so on; ties
/// to the lower row) and that row leaves its old cluster's mean. A run stops when no label changes,
/// or when the centres moved by at most `tolerance` × the mean feature variance in total squared
/// distance (then the rows are assigned once more, so labels match centres), or after
/// `maximumIterations`. The restart of least inertia wins, the earlier on a tie.
///
/// **Nearest centre.** The keys ‖c‖² − 2 x·c come from one dgemm per block of rows (‖x‖² is the
/// same for every centre); every centre whose key is within the keys' rounding bound of the
/// smallest is a candidate, and the candidates' squared distances are recomputed directly as
/// Σ(x − c)²: the label is the nearest by that, the lower index on an exact tie, whatever the
/// rounding of dgemm. Training and `predict` use the same arithmetic, so `predict` gives the fit's
/// labels on the training rows. Inertia is the sum of those direct distances.
///
/// **Determinism.** Restarts run concurrently, each from its own generator; the passes over the
/// rows run on row segments that depend only on the row count, and partial sums are added in
/// segment order. So the result is the same bits whatever the number of threads.
///
/// Cost: per iteration 2 n k p flops in dgemm plus n p for the means, for n rows, p features and
/// k clusters; seeding about 2 n p (2 + ln k) k. Memory: a centred copy of X and n labels per
/// concurrent restart.
public struct KMeans: Codable, Sendable, Equatable {
    public let clusterCount: Int
    public let featureCount: Int
    /// The training rows' column means: the centres are stored, and distances computed, about them.
    public let means: [Double]
    /// The centres less `means`, clusterCount × featureCount, column-major as `Matrix.values`.
    public let centredCentres: [Double]
    /// Training rows per cluster.
    public let sizes: [Int]
    /// The sum of squared distances from the training rows to their centres.
    public let inertia: Double
    /// Lloyd iterations of the winning restart.
    public let iterations: Int
    /// False when the winning restart stopped at the iteration limit.
    public let converged: Bool

    /// The centres in the data's coordinates, clusterCount × featureCount.
    public var centres: Matrix {
        var centres = Matrix(rows: clusterCount, columns: featureCount, values: centredCentres)
        for f in 0 ..< featureCount { for c in 0 ..< clusterCount { centres[c, f] += means[f] } }
        return centres
    }

    /// Clusters the rows of `x` (n × p, finite). Throws `.usage` for a bad option, `.data` for
    /// data it cannot cluster, `.interrupted` on Ctrl-C (checked every iteration and seeding step).
    /// `progress` is told (restarts done, restarts) as runs finish, from any thread.
    public static func fit(_ x: Matrix, options: KMeansOptions,
                           progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> KMeansFit {
        try requireRows(x.rows, "rows to cluster")
        guard x.columns > 0 else { throw ModelshError.data("k-means needs at least one feature") }
        try requireFinite(x, "the features")
        try options.check(rows: x.rows)
        let data = try CentredRows(x)
        let tolerance = options.tolerance * data.meanVariance
        var seeds = Xoshiro256StarStar(seed: options.seed)
        let restartSeeds = (0 ..< options.restarts).map { _ in seeds.nextUInt64() }
        let finished = ProgressCounter(total: options.restarts, report: progress)
        let runs = concurrentResults(options.restarts) { restart -> LloydRun? in
            var generator = Xoshiro256StarStar(seed: restartSeeds[restart])
            guard let initial = data.plusPlusCentres(options.clusterCount, generator: &generator),
                  let run = data.lloyd(from: initial, maximumIterations: options.maximumIterations, tolerance: tolerance)
            else { return nil }
            finished.increment()
            return run
        }
        try Interruption.check()
        let completed = runs.compactMap { $0 }
        guard completed.count == runs.count else { throw ModelshError(.interrupted, "interrupted") }
        let best = completed.indices.min { (completed[$0].inertia, $0) < (completed[$1].inertia, $1) }!
        return completed[best].fit(means: data.means)
    }

    /// The nearest centre of every row of `x` (m × featureCount, finite), the lower index on a tie.
    public func predict(_ x: Matrix) throws -> [Int] {
        try requireInput(x, columns: featureCount, "data to assign")
        let set = CentreSet(centredCentres, count: clusterCount, features: featureCount)
        let m = x.rows, p = featureCount, blockRows = set.rowsPerBlock
        var labels = [Int](repeating: 0, count: m)
        var tooLarge = false
        labels.withUnsafeMutableBufferPointer { labels in
            var block = [Double](repeating: 0, count: blockRows * p), norms = [Double](repeating: 0, count: blockRows)
            var keys = [Double](repeating: 0, count: blockRows * clusterCount)
            for start in stride(from: 0, to: m, by: blockRows) {
                let b = min(blockRows, m - start)
                copyCentredRows(x, start ..< start + b, means: means, into: &block)
                block.withUnsafeBufferPointer { block in
                    let rows = RowBlock(base: block.baseAddress!, rows: b, stride: b, features: p)
                    for i in 0 ..< b { norms[i] = rows.squaredNorm(i) }
                    tooLarge = tooLarge || !norms[0 ..< b].allSatisfy { $0 <= largestSafeSquaredNorm }
                    set.nearest(rows, rowNorms: norms, keys: &keys, into: labels.baseAddress! + start)
                }
            }
        }
        guard !tooLarge else { throw squaresOverflowError }
        return labels
    }

    /// Checks everything `predict` relies on, so a tampered model file is refused rather than
    /// trapping: shapes, finite centres whose squared norms are finite, sizes and inertia.
    public func validate(featureCount: Int) throws {
        guard featureCount == self.featureCount else {
            throw ModelshError.data("the k-means model has \(self.featureCount) features, the data \(featureCount)")
        }
        let cells = clusterCount.multipliedReportingOverflow(by: featureCount)
        guard clusterCount >= 1, featureCount >= 1, means.count == featureCount, !cells.overflow,
              centredCentres.count == cells.partialValue, sizes.count == clusterCount else {
            throw ModelshError.data("the k-means model's centres do not have the shape of \(clusterCount) clusters × \(featureCount) features")
        }
        let set = CentreSet(centredCentres, count: clusterCount, features: featureCount)
        guard means.allSatisfy(\.isFinite), set.largestNorm <= largestSafeSquaredNorm else {
            throw ModelshError.data("the k-means model has a centre that is not finite or too large to square")
        }
        guard sizes.allSatisfy({ $0 >= 0 }), inertia >= 0, inertia.isFinite, iterations >= 0 else {
            throw ModelshError.data("the k-means model has a negative size, iteration count or inertia")
        }
    }
}

/// The largest squared norm of a row or centre for which every key ‖c‖² − 2 x·c and distance
/// sum stays finite (|key| ≤ 3 max(‖x‖², ‖c‖²)).
let largestSafeSquaredNorm = Double.greatestFiniteMagnitude / 8

let squaresOverflowError = ModelshError.data("feature values are too large to square (beyond ±1e153): the distances overflow")

// MARK: - Training

/// The training rows about their column means, with what every restart shares.
struct CentredRows: Sendable {
    let rows: Int
    let features: Int
    let means: [Double]
    /// X − 1μᵀ, column-major.
    let values: [Double]
    /// ‖x − μ‖² of each row.
    let rowNorms: [Double]
    /// The mean of the features' variances (divisor n), the scale of the tolerance.
    let meanVariance: Double
    let segments: RowSegments

    init(_ x: Matrix) throws {
        rows = x.rows
        features = x.columns
        means = columnMeans(x)
        values = subtractingColumnMeans(x, means)
        let (n, p, values) = (rows, features, values)
        var norms = [Double](repeating: 0, count: n)
        for f in 0 ..< p { for i in 0 ..< n { norms[i] += values[f * n + i] * values[f * n + i] } }
        guard norms.allSatisfy({ $0 <= largestSafeSquaredNorm }) else { throw squaresOverflowError }
        rowNorms = norms
        meanVariance = norms.reduce(0, +) / Double(n * p)
        segments = RowSegments(rows: n, minimumRows: 16_384)
    }

    /// Rows `range` as blocks of at most `blockRows`: body(block, first row).
    func forEachBlock(_ range: Range<Int>, blockRows: Int, _ body: (RowBlock, Int) -> Void) {
        values.withUnsafeBufferPointer { values in
            for start in stride(from: range.lowerBound, to: range.upperBound, by: blockRows) {
                let block = RowBlock(base: values.baseAddress! + start, rows: min(blockRows, range.upperBound - start),
                                     stride: rows, features: features)
                body(block, start)
            }
        }
    }

    // MARK: k-means++

    /// k centres (k × p, column-major) by scikit-learn's greedy k-means++; nil when interrupted.
    func plusPlusCentres(_ k: Int, generator: inout Xoshiro256StarStar) -> [Double]? {
        let trials = 2 + Int(log(Double(k)))
        var chosen = [Int(generator.bounded(UInt64(rows)))]
        var closest = [Double](repeating: .infinity, count: rows)
        lowerDistances(&closest, toRow: chosen[0])
        while chosen.count < k {
            if Interruption.isRequested { return nil }
            let candidates = sampleRows(trials, weights: closest, generator: &generator)
            let potentials = self.potentials(of: candidates, closest: closest)
            let best = candidates[potentials.indices.min { (potentials[$0], $0) < (potentials[$1], $1) }!]
            lowerDistances(&closest, toRow: best)
            chosen.append(best)
        }
        var centres = [Double](repeating: 0, count: k * features)
        for (c, row) in chosen.enumerated() { for f in 0 ..< features { centres[f * k + c] = values[f * rows + row] } }
        return centres
    }

    /// `count` rows drawn independently with probability proportional to `weights`: the first row
    /// whose running sum exceeds u × total for u uniform in [0, 1). When every weight is 0 (every
    /// row coincides with a centre) the rows are uniform.
    func sampleRows(_ count: Int, weights: [Double], generator: inout Xoshiro256StarStar) -> [Int] {
        let total = weights.reduce(0, +)
        guard total > 0 else { return (0 ..< count).map { _ in Int(generator.bounded(UInt64(rows))) } }
        let targets = (0 ..< count).map { _ in generator.uniform() * total }
        // u × total can round up to the total itself; the last row of positive weight takes it.
        let lastPositive = weights.lastIndex { $0 > 0 }!
        var sampled = [Int](repeating: lastPositive, count: count)
        var running = 0.0, row = 0
        for t in targets.indices.sorted(by: { targets[$0] < targets[$1] }) {
            while row < rows, running + weights[row] <= targets[t] {
                running += weights[row]
                row += 1
            }
            if row < rows { sampled[t] = row }
        }
        return sampled
    }

    /// For each candidate row, Σ_i min(closest_i, ‖x_i − x_candidate‖²), the distances by dgemm.
    func potentials(of candidates: [Int], closest: [Double]) -> [Double] {
        let t = candidates.count, p = features
        var points = [Double](repeating: 0, count: t * p)
        for (c, row) in candidates.enumerated() { for f in 0 ..< p { points[f * t + c] = values[f * rows + row] } }
        let pointNorms = candidates.map { rowNorms[$0] }, blockRows = rowsPerProductBlock(width: t, features: p)
        let candidatePoints = points
        let perSegment = concurrentResults(segments.count) { s -> [Double] in
            var sums = [Double](repeating: 0, count: t), keys = [Double](repeating: 0, count: t * blockRows)
            forEachBlock(segments.ranges[s], blockRows: blockRows) { block, start in
                cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, Int32(t), Int32(block.rows), Int32(p), -2,
                            candidatePoints, Int32(t), block.base, Int32(block.stride), 0, &keys, Int32(t))
                for i in 0 ..< block.rows {
                    for c in 0 ..< t {
                        let distance = max(0, keys[i * t + c] + rowNorms[start + i] + pointNorms[c])
                        sums[c] += min(closest[start + i], distance)
                    }
                }
            }
            return sums
        }
        return perSegment.dropFirst().reduce(perSegment[0]) { zip($0, $1).map(+) }
    }

    /// closest_i ← min(closest_i, ‖x_i − x_row‖²), computed directly.
    func lowerDistances(_ closest: inout [Double], toRow row: Int) {
        let point = (0 ..< features).map { values[$0 * rows + row] }
        closest.withUnsafeMutableBufferPointer { closest in
            nonisolated(unsafe) let closest = closest
            segments.forEach { _, range in
                var distances = [Double](repeating: 0, count: 1024)
                forEachBlock(range, blockRows: 1024) { block, start in
                    block.squaredDistances(to: point, into: &distances)
                    for i in 0 ..< block.rows { closest[start + i] = min(closest[start + i], distances[i]) }
                }
            }
        }
    }

    // MARK: Lloyd

    /// Lloyd's iterations from `initial` (k × p); nil when interrupted.
    func lloyd(from initial: [Double], maximumIterations: Int, tolerance: Double) -> LloydRun? {
        let k = initial.count / features
        var centres = CentreSet(initial, count: k, features: features)
        var labels = [Int](repeating: -1, count: rows)
        var iterations = 0, strict = false, withinTolerance = false
        while iterations < maximumIterations {
            if Interruption.isRequested { return nil }
            iterations += 1
            var pass = assign(centres, labels: &labels)
            if pass.counts.contains(0) { relocateEmptyClusters(&pass, labels: labels, centres: centres) }
            let moved = CentreSet(pass.means(), count: k, features: features)
            let shift = zip(moved.values, centres.values).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
            centres = moved
            if !pass.changed { strict = true; break }
            if shift <= tolerance { withinTolerance = true; break }
        }
        if !strict { _ = assign(centres, labels: &labels) }
        return LloydRun(centres: centres, labels: labels, inertia: inertia(centres, labels: labels), iterations: iterations,
                        converged: strict || withinTolerance)
    }

    /// Assigns every row to its nearest centre (`labels` updated) and sums the rows of each cluster.
    func assign(_ centres: CentreSet, labels: inout [Int]) -> ClusterSums {
        let k = centres.count, p = features, blockRows = centres.rowsPerBlock
        let perSegment = labels.withUnsafeMutableBufferPointer { labels in
            nonisolated(unsafe) let labels = labels
            return concurrentResults(segments.count) { s -> ClusterSums in
                var sums = ClusterSums(count: k, features: p)
                var keys = [Double](repeating: 0, count: k * blockRows), nearest = [Int](repeating: 0, count: blockRows)
                nearest.withUnsafeMutableBufferPointer { nearest in
                    forEachBlock(segments.ranges[s], blockRows: blockRows) { block, start in
                        rowNorms.withUnsafeBufferPointer {
                            centres.nearest(block, rowNorms: $0.baseAddress! + start, keys: &keys, into: nearest.baseAddress!)
                        }
                        for i in 0 ..< block.rows where labels[start + i] != nearest[i] {
                            sums.changed = true
                            labels[start + i] = nearest[i]
                        }
                        sums.add(block, labels: nearest.baseAddress!)
                    }
                }
                return sums
            }
        }
        return perSegment.dropFirst().reduce(into: perSegment[0]) { $0.add($1) }
    }

    /// scikit-learn's relocation: the m rows farthest from their centres (ties to the lower row),
    /// for the m empty clusters in index order, each leaving its old cluster. Nothing moves when
    /// every row sits on its centre (fewer distinct rows than clusters). A relocation counts as a
    /// label change: the moved rows' labels no longer match the centres, so the run must not stop
    /// as converged on unchanged labels (scikit-learn does, and can return such labels).
    func relocateEmptyClusters(_ pass: inout ClusterSums, labels: [Int], centres: CentreSet) {
        let empty = pass.counts.indices.filter { pass.counts[$0] == 0 }, k = centres.count
        var farthest: [(distance: Double, row: Int)] = []
        forEachBlock(0 ..< rows, blockRows: rows) { block, _ in
            for i in 0 ..< rows {
                let distance = centres.squaredDistance(block, i, to: labels[i])
                guard farthest.count < empty.count || distance > farthest.last!.distance else { continue }
                farthest.insert((distance, i), at: farthest.firstIndex { $0.distance < distance } ?? farthest.count)
                if farthest.count > empty.count { farthest.removeLast() }
            }
        }
        guard farthest[0].distance > 0 else { return }
        for (cluster, far) in zip(empty, farthest) {
            let old = labels[far.row]
            for f in 0 ..< features {
                let value = values[f * rows + far.row]
                pass.sums[f * k + old] -= value
                pass.sums[f * k + cluster] = value
            }
            pass.counts[cluster] = 1
            pass.counts[old] -= 1
        }
        pass.changed = true
    }

    /// Σ ‖x_i − c_label(i)‖², computed directly, added in segment order.
    func inertia(_ centres: CentreSet, labels: [Int]) -> Double {
        concurrentResults(segments.count) { s in
            var sum = 0.0
            forEachBlock(segments.ranges[s], blockRows: segments.ranges[s].count) { block, start in
                for i in 0 ..< block.rows { sum += centres.squaredDistance(block, i, to: labels[start + i]) }
            }
            return sum
        }.reduce(0, +)
    }
}

/// The sums and counts of the rows of each cluster from one assignment pass.
struct ClusterSums {
    /// k × p column-major.
    var sums: [Double]
    var counts: [Int]
    /// Whether any row's label changed.
    var changed = false

    init(count k: Int, features p: Int) {
        sums = [Double](repeating: 0, count: k * p)
        counts = [Int](repeating: 0, count: k)
    }

    /// Adds each row of `block` to its cluster's sum and count.
    mutating func add(_ block: RowBlock, labels: UnsafePointer<Int>) {
        let k = counts.count
        counts.withUnsafeMutableBufferPointer { counts in
            for i in 0 ..< block.rows { counts[labels[i]] += 1 }
        }
        sums.withUnsafeMutableBufferPointer { sums in
            for f in 0 ..< block.features {
                let column = block.base + f * block.stride, clusterSums = sums.baseAddress! + f * k
                for i in 0 ..< block.rows { clusterSums[labels[i]] += column[i] }
            }
        }
    }

    mutating func add(_ other: ClusterSums) {
        for j in sums.indices { sums[j] += other.sums[j] }
        for c in counts.indices { counts[c] += other.counts[c] }
        changed = changed || other.changed
    }

    /// Each cluster's mean; a cluster still empty sits on the largest one's (scikit-learn's choice).
    func means() -> [Double] {
        let k = counts.count, largest = counts.indices.max { (counts[$0], $1) < (counts[$1], $0) }!
        var means = sums
        for j in means.indices {
            let c = counts[j % k] > 0 ? j % k : largest
            means[j] = sums[j - j % k + c] / Double(counts[c])
        }
        return means
    }
}

/// One restart's outcome.
struct LloydRun {
    let centres: CentreSet
    let labels: [Int]
    let inertia: Double
    let iterations: Int
    let converged: Bool

    func fit(means: [Double]) -> KMeansFit {
        var sizes = [Int](repeating: 0, count: centres.count)
        for label in labels { sizes[label] += 1 }
        let model = KMeans(clusterCount: centres.count, featureCount: centres.features, means: means, centredCentres: centres.values,
                           sizes: sizes, inertia: inertia, iterations: iterations, converged: converged)
        return KMeansFit(model: model, labels: labels)
    }
}

// MARK: - Nearest centre

/// Centres (k × p column-major) with their squared norms, for the nearest-centre search.
struct CentreSet {
    let count: Int
    let features: Int
    let values: [Double]
    let norms: [Double]
    let largestNorm: Double

    init(_ values: [Double], count: Int, features: Int) {
        self.count = count
        self.features = features
        self.values = values
        norms = (0 ..< count).map { c in (0 ..< features).reduce(0) { $0 + values[$1 * count + c] * values[$1 * count + c] } }
        largestNorm = norms.max() ?? 0
    }

    /// Rows per dgemm: k × rows × p stays at or below 2^18, the size up to which OpenBLAS runs a
    /// product on the calling thread. Larger calls start its own threads, which inside concurrent
    /// restarts or segments only contend for the same cores.
    var rowsPerBlock: Int { rowsPerProductBlock(width: count, features: features) }

    func squaredDistance(_ block: RowBlock, _ i: Int, to centre: Int) -> Double {
        values.withUnsafeBufferPointer { block.squaredDistance(i, to: $0.baseAddress! + centre, stride: count) }
    }

    /// The nearest centre of each row of `block` into `labels`; `rowNorms` are the rows' ‖x‖².
    ///
    /// A key ‖c‖² − 2 x·c is computed with an error below γ_{p+1} (‖c‖² + 2‖x‖‖c‖) ≤
    /// γ_{p+1} (‖x‖² + 2‖c‖²) (γ_m = mε / (1 − mε)), so two keys' difference is off by less than
    /// 4(p + 2)ε (‖x‖² + 2 max‖c‖²): every centre whose key is within that of the smallest may be
    /// the nearest, and those are compared by their direct distances.
    func nearest(_ block: RowBlock, rowNorms: UnsafePointer<Double>, keys: inout [Double], into labels: UnsafeMutablePointer<Int>) {
        let k = count, b = block.rows
        let rounding = 4 * Double(features + 2) * Double.ulpOfOne
        keys.withUnsafeMutableBufferPointer { keys in
            for i in 0 ..< b { (keys.baseAddress! + i * k).update(from: norms, count: k) }
            cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, Int32(k), Int32(b), Int32(features), -2,
                        values, Int32(k), block.base, Int32(block.stride), 1, keys.baseAddress!, Int32(k))
            for i in 0 ..< b {
                let row = keys.baseAddress! + i * k
                var best = 0, smallest = row[0]
                for c in 1 ..< k where row[c] < smallest {
                    best = c
                    smallest = row[c]
                }
                let bound = smallest + rounding * (rowNorms[i] + 2 * largestNorm)
                var bestDistance: Double?
                for c in 0 ..< k where c != best && row[c] <= bound {
                    let current = bestDistance ?? squaredDistance(block, i, to: best)
                    let distance = squaredDistance(block, i, to: c)
                    if (distance, c) < (current, best) {
                        best = c
                        bestDistance = distance
                    } else {
                        bestDistance = current
                    }
                }
                labels[i] = best
            }
        }
    }
}

func rowsPerProductBlock(width: Int, features: Int) -> Int { max(16, min(1024, (1 << 18) / (width * features))) }

// MARK: - Shared with PCA

/// `rows` rows of a column-major matrix: element (i, f) at `base[f * stride + i]`.
struct RowBlock {
    let base: UnsafePointer<Double>
    let rows: Int
    let stride: Int
    let features: Int

    /// Σ_f (x_if − point_f)² for a point whose f-th value is at `point[f * pointStride]`.
    func squaredDistance(_ i: Int, to point: UnsafePointer<Double>, stride pointStride: Int) -> Double {
        var sum = 0.0
        for f in 0 ..< features {
            let difference = base[f * stride + i] - point[f * pointStride]
            sum += difference * difference
        }
        return sum
    }

    /// The same for every row at once, into `distances[0 ..< rows]`: a column at a time, so the
    /// loops run along contiguous memory.
    func squaredDistances(to point: [Double], into distances: inout [Double]) {
        distances.withUnsafeMutableBufferPointer { distances in
            for i in 0 ..< rows { distances[i] = 0 }
            for f in 0 ..< features {
                let column = base + f * stride, value = point[f]
                for i in 0 ..< rows {
                    let difference = column[i] - value
                    distances[i] += difference * difference
                }
            }
        }
    }

    func squaredNorm(_ i: Int) -> Double {
        (0 ..< features).reduce(0) { $0 + base[$1 * stride + i] * base[$1 * stride + i] }
    }
}

/// What applying a fitted model needs of its input: rows, `columns` columns (a mismatch is the
/// caller's mistake, not the user's) and finite values.
func requireInput(_ x: Matrix, columns: Int, _ what: String) throws {
    try requireRows(x.rows, what)
    guard x.columns == columns else { throw ModelshError(.software, "\(x.columns) columns in the \(what) for a model of \(columns)") }
    try requireFinite(x, "the \(what)")
}

/// Rows `rows` of `x` less `means`, column-major with leading dimension rows.count, into `block`.
func copyCentredRows(_ x: Matrix, _ rows: Range<Int>, means: [Double], into block: inout [Double]) {
    let b = rows.count
    for f in 0 ..< x.columns {
        for i in 0 ..< b { block[f * b + i] = x.values[f * x.rows + rows.lowerBound + i] - means[f] }
    }
}

/// `body(i)` for every i in 0 ..< count on every core, the results in index order (`concurrentMap`).
func concurrentResults<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
    // The body cannot throw, so neither can the map.
    try! concurrentMap(count, threads: everyCore, body)
}

/// Counts finished units of work from any thread and reports (done, total).
final class ProgressCounter: @unchecked Sendable {
    private let total: Int
    private let report: (@Sendable (Int, Int) -> Void)?
    private let lock = NSLock()
    private var done = 0

    init(total: Int, report: (@Sendable (Int, Int) -> Void)?) {
        self.total = total
        self.report = report
    }

    func increment() {
        guard let report else { return }
        lock.lock()
        done += 1
        report(done, total)
        lock.unlock()
    }
}
