import Diagnostics
import Foundation

/// A grown tree and, when it was grown on a bootstrap sample, its in-bag rows as bits
/// (row i is in the bag when bit i & 63 of word i >> 6 is set).
struct GrownTree: Sendable {
    let tree: DecisionTree
    let inBag: [UInt64]
}

/// Grows `trees` trees, on `threads` threads. Tree t draws everything (its bootstrap sample,
/// then the features of each node) from `Xoshiro256StarStar(seed: s_t)`, where s_t is the t-th
/// output of `Xoshiro256StarStar(seed: seed)`, so the forest is the same whatever the number
/// of threads. The features are coded once for all trees (`bins` nil: exact). With
/// `randomFeatureOrder` every node tries its features in a random order even when it tries them
/// all, so ties between features go one way or another at random, as in scikit-learn (a forest
/// wants that: always taking the lowest feature of a tie makes its trees alike); otherwise in
/// index order unless `maxFeatures` draws a subset.
func growTrees(features: [FeatureColumn], target: TreeTarget, parameters: TreeParameters, bins: Int?, trees: Int,
               bootstrap: Bool, randomFeatureOrder: Bool, seed: UInt64, threads: Int,
               progress: (@Sendable (Int, Int) -> Void)?) throws -> [GrownTree] {
    try checkTreeInputs(features, target, parameters)
    if let bins, bins < 2 || bins > Int(UInt16.max) {
        throw ModelshError.usage("bins must be between 2 and \(UInt16.max), got \(bins)", argument: "bins")
    }
    guard trees >= 1 else { throw ModelshError.usage("trees must be at least 1, got \(trees)", argument: "trees") }
    let n = target.rowCount
    try Interruption.check()
    let problem = TreeProblem(response: TreeResponse(target), parameters: parameters,
                              featuresPerSplit: try parameters.maxFeatures.count(of: features.count), randomFeatureOrder: randomFeatureOrder,
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
    let randomFeatureOrder: Bool
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
                                      featuresPerSplit: featuresPerSplit, randomFeatureOrder: randomFeatureOrder,
                                      levelCounts: levelCounts)
            var grown: [GrownTree] = []
            for t in stride(from: worker, to: trees, by: workers) {
                if Interruption.isRequested { throw interrupted }
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
