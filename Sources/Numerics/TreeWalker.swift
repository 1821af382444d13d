import Diagnostics

/// Rows to predict, checked once against the features a tree was trained on.
struct TreeInputs: Sendable {
    let columns: [FeatureColumn]
    let rowCount: Int

    init(_ features: [FeatureColumn], levelCounts: [Int?]) throws {
        guard features.count == levelCounts.count else {
            throw ModelshError(.software, "\(features.count) features for a tree trained on \(levelCounts.count)")
        }
        var rowCount: Int?
        for (f, column) in features.enumerated() {
            let count: Int
            switch (column, levelCounts[f]) {
            case (.numbers(let values), nil): count = values.count
            case (.levels(let levels, let levelCount), let trained?) where levelCount == trained: count = levels.count
            default: throw ModelshError(.software, "feature \(f + 1) is not of the kind the tree was trained on")
            }
            guard rowCount == nil || rowCount == count else { throw ModelshError(.software, "feature \(f + 1) has \(count) rows, not \(rowCount!)") }
            rowCount = count
        }
        columns = features
        self.rowCount = rowCount ?? 0
    }

    /// The features of `rows`, row by row (a walk down a tree reads one row's features): a
    /// level as a number, a missing value and a level outside the training levels as NaN.
    func rowMajor(_ rows: Range<Int>) -> [Double] {
        let p = columns.count
        var block = [Double](repeating: 0, count: rows.count * p)
        for (f, column) in columns.enumerated() {
            switch column {
            case .numbers(let values):
                for row in rows { block[(row - rows.lowerBound) * p + f] = values[row] }
            case .levels(let levels, let count):
                for row in rows {
                    let level = levels[row]
                    block[(row - rows.lowerBound) * p + f] = level >= 0 && level < count ? Double(level) : .nan
                }
            }
        }
        return block
    }
}

/// A tree packed for walking rows down it: one 16-byte record per node, so a step reads one
/// cache line, and its categorical splits as lookup tables.
struct TreeWalker: Sendable {
    /// A leaf has feature −1. A split sends a row to child |left| or |left| + 1, and a missing
    /// value to |left| when left < 0 (children come after the root, so |left| ≥ 1). `threshold`
    /// is a numeric split's threshold, or where a categorical split's mask starts.
    private struct Node {
        let threshold: Double
        let feature: Int32
        let left: Int32
    }

    private let nodes: [Node]
    private let isCategorical: [Bool]
    /// `leftLevelMasks[start + level]`: whether the split whose mask starts at `start` sends the level left.
    private let leftLevelMasks: [Bool]
    let values: [Double]
    let width: Int

    init(_ tree: DecisionTree) {
        var masks: [Bool] = []
        nodes = (0 ..< tree.nodeCount).map { i in
            let feature = tree.splitFeatures[i], left = tree.leftChildren[i]
            guard feature >= 0 else { return Node(threshold: 0, feature: -1, left: -1) }
            var threshold = tree.thresholds[i]
            if let levelCount = tree.levelCounts[Int(feature)] {
                let start = masks.count
                masks += repeatElement(false, count: levelCount)
                for level in tree.leftLevelSets[Int(threshold)] { masks[start + level] = true }
                threshold = Double(start)
            }
            return Node(threshold: threshold, feature: feature, left: tree.missingGoesLeft[i] ? -left : left)
        }
        isCategorical = tree.levelCounts.map { $0 != nil }
        leftLevelMasks = masks
        values = tree.values
        width = tree.valueWidth
    }

    /// The leaf a row falls in, from its features as `TreeInputs.rowMajor` lays them out.
    func leaf(of row: UnsafePointer<Double>) -> Int {
        nodes.withUnsafeBufferPointer { nodes in
            var i = 0
            while true {
                let node = nodes[i]
                if node.feature < 0 { return i }
                let x = row[Int(node.feature)], left = Int(node.left.magnitude)
                let goesLeft = x.isNaN ? node.left < 0
                    : isCategorical[Int(node.feature)] ? leftLevelMasks[Int(node.threshold) + Int(x)] : x <= node.threshold
                i = goesLeft ? left : left + 1
            }
        }
    }
}

/// Σ over trees, in tree order, of each row's leaf value (`width` numbers per row), and how many
/// trees each row summed; with `inBag` (one bit set per row per tree), only the trees whose
/// bootstrap sample left the row out. Rows are taken in blocks of 4096 on `threads` threads; a
/// row's sum does not depend on its block or thread. The sums are rows × width, as `Matrix`.
/// Packing the trees for the walk takes 16 bytes per node for the duration.
func sumOfLeafValues(_ trees: [DecisionTree], _ inputs: TreeInputs, threads: Int,
                     inBag: [[UInt64]]? = nil) throws -> (sums: Matrix, counts: [Int]) {
    let walkers = trees.map(TreeWalker.init)
    let width = trees[0].valueWidth, m = inputs.rowCount, p = inputs.columns.count, blockRows = 4096
    let blocks = try concurrentMap((m + blockRows - 1) / blockRows, threads: threads) { block in
        if Interruption.isRequested { throw interrupted }
        let rows = block * blockRows ..< min(m, (block + 1) * blockRows), count = rows.count
        var sums = [Double](repeating: 0, count: count * width), counts = [Int](repeating: 0, count: count)
        inputs.rowMajor(rows).withUnsafeBufferPointer { x in
            for (t, walker) in walkers.enumerated() {
                for local in 0 ..< count {
                    let row = rows.lowerBound + local
                    if let inBag, inBag[t][row >> 6] & (1 << UInt64(row & 63)) != 0 { continue }
                    let leaf = walker.leaf(of: x.baseAddress! + local * p)
                    for k in 0 ..< width { sums[k * count + local] += walker.values[leaf * width + k] }
                    counts[local] += 1
                }
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
