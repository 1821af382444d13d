import Diagnostics
import Foundation

/// A grown tree and, when it was grown on a bootstrap sample, its in-bag rows as bits
/// (row i is in the bag when bit i & 63 of word i >> 6 is set).
struct GrownTree: Sendable {
    let tree: DecisionTree
    let inBag: [UInt64]

    func isInBag(_ row: Int) -> Bool { inBag[row >> 6] & (1 << UInt64(row & 63)) != 0 }
}

/// Grows `trees` trees, on `threads` threads. Tree t draws everything (its bootstrap sample,
/// then the features of each node) from `Xoshiro256StarStar(seed: s_t)`, where s_t is the t-th
/// output of `Xoshiro256StarStar(seed: seed)`, so the forest is the same whatever the number
/// of threads. The features are coded once for all trees (`bins` nil: exact).
func growTrees(features: [FeatureColumn], target: TreeTarget, parameters: TreeParameters, bins: Int?, trees: Int,
               bootstrap: Bool, seed: UInt64, threads: Int, progress: (@Sendable (Int, Int) -> Void)?) throws -> [GrownTree] {
    try checkTreeInputs(features, target, parameters)
    if let bins, bins < 2 || bins > Int(UInt16.max) {
        throw ModelshError.usage("bins must be between 2 and \(UInt16.max), got \(bins)", argument: "bins")
    }
    guard trees >= 1 else { throw ModelshError.usage("trees must be at least 1, got \(trees)", argument: "trees") }
    let n = target.rowCount
    let problem = TreeProblem(response: TreeResponse(target), parameters: parameters,
                              featuresPerSplit: try parameters.maxFeatures.count(of: features.count),
                              levelCounts: features.map { column in
                                  if case .levels(_, let count) = column { return count }
                                  return nil
                              },
                              trees: trees, bootstrap: bootstrap, seed: seed, threads: threads, progress: progress)
    return try clearingInterruption {
        // The narrowest code that holds every code and the missing one.
        let largest = CodedFeatures<UInt8>.largestCode(of: features, rows: n, maximumBins: bins)
        if largest <= Int(UInt8.max) {
            return try problem.grow(CodedFeatures<UInt8>(features, maximumBins: bins, threads: threads))
        } else if largest <= Int(UInt16.max) {
            return try problem.grow(CodedFeatures<UInt16>(features, maximumBins: bins, threads: threads))
        }
        return try problem.grow(CodedFeatures<UInt32>(features, maximumBins: bins, threads: threads))
    }
}

/// Everything about the trees to grow but the coded features.
private struct TreeProblem: Sendable {
    let response: TreeResponse
    let parameters: TreeParameters
    let featuresPerSplit: Int
    let levelCounts: [Int?]
    let trees: Int
    let bootstrap: Bool
    let seed: UInt64
    let threads: Int
    let progress: (@Sendable (Int, Int) -> Void)?

    func grow<Code: TreeCode>(_ features: CodedFeatures<Code>) throws -> [GrownTree] {
        var master = Xoshiro256StarStar(seed: seed)
        let seeds = (0 ..< trees).map { _ in master.nextUInt64() }
        let workers = max(1, min(threads, trees))
        let finished = FinishedCount()
        // One builder per worker, its buffers reused from tree to tree.
        let byWorker = try concurrentMap(workers, threads: workers) { worker in
            var builder = TreeBuilder(features: features, response: response, parameters: parameters,
                                      featuresPerSplit: featuresPerSplit, levelCounts: levelCounts)
            var grown: [GrownTree] = []
            for t in stride(from: worker, to: trees, by: workers) {
                var generator = Xoshiro256StarStar(seed: seeds[t])
                var inBag: [UInt64] = []
                if bootstrap { inBag = builder.useBootstrap(&generator) } else { builder.useEveryRow() }
                grown.append(GrownTree(tree: try builder.grow(&generator), inBag: inBag))
                progress?(finished.increment(), trees)
            }
            return grown
        }
        return (0 ..< trees).map { byWorker[$0 % workers][$0 / workers] }
    }
}

/// How many trees are done, counted from every worker.
private final class FinishedCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        count += 1
        return count
    }
}

/// Σ over trees, in tree order, of each row's leaf value (`width` numbers per row), skipping
/// the trees `skip(tree, row)` names, and how many trees each row summed. Rows are taken in
/// blocks of 4096 on `threads` threads; a row's sum does not depend on the block or thread.
/// Returns the sums rows × width column-major, as `Matrix`.
func sumOfLeafValues(_ trees: [DecisionTree], _ inputs: TreeInputs, threads: Int,
                     skip: (@Sendable (Int, Int) -> Bool)? = nil) throws -> (sums: Matrix, counts: [Int]) {
    let walkers = trees.map(TreeWalker.init)
    let width = trees[0].valueWidth, m = inputs.rowCount, blockRows = 4096
    let blocks = try concurrentMap((m + blockRows - 1) / blockRows, threads: threads) { block in
        if Interruption.isRequested { throw interrupted }
        let rows = block * blockRows ..< min(m, (block + 1) * blockRows)
        var sums = [Double](repeating: 0, count: rows.count * width), counts = [Int](repeating: 0, count: rows.count)
        for (t, walker) in walkers.enumerated() {
            for row in rows where skip?(t, row) != true {
                let leaf = walker.leaf(of: row, in: inputs), local = row - rows.lowerBound
                for k in 0 ..< width { sums[k * rows.count + local] += walker.tree.values[leaf * width + k] }
                counts[local] += 1
            }
        }
        return (sums, counts)
    }
    var sums = Matrix(rows: m, columns: width)
    for (block, (blockSums, _)) in blocks.enumerated() {
        let first = block * blockRows, count = blockSums.count / width
        for k in 0 ..< width {
            for local in 0 ..< count { sums.values[k * m + first + local] = blockSums[k * count + local] }
        }
    }
    return (sums, blocks.flatMap(\.1))
}
