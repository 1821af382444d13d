import Diagnostics

/// One tree of a boosted ensemble, on binned features (`FeatureBins`), stored as plain arrays
/// indexed by node. Nodes are in the order they were made, so a node's children always come
/// after it: a walk from the root only moves forward, and ends.
public struct BoostedTree: Codable, Sendable, Equatable {
    /// The feature each node splits on, or −1 at a leaf.
    public let feature: [Int]
    /// At a numeric split, the highest bin of values that goes left (0 elsewhere).
    public let threshold: [Int]
    /// Whether missing values (bin 255: NaN, a missing level, a level training never saw) go left.
    public let missingGoesLeft: [Bool]
    /// At a categorical split, the bins of the levels that go left, increasing; empty elsewhere.
    public let leftBins: [[Int]]
    /// The children of a split; −1 at a leaf.
    public let left: [Int]
    public let right: [Int]
    /// A leaf's addition to the raw score, the learning rate applied; 0 at a split.
    public let value: [Double]

    public var nodeCount: Int { feature.count }

    /// Refuses a tree that predict could not walk safely with these bins: arrays of one length,
    /// children after their parent, features and bins in range, finite leaf values.
    func validate(bins: [FeatureBins], name: String) throws {
        let count = feature.count
        guard count > 0, [threshold.count, missingGoesLeft.count, leftBins.count, left.count, right.count, value.count]
            .allSatisfy({ $0 == count }) else {
            throw ModelshError.data("\(name) has node arrays of different lengths or no nodes")
        }
        for node in 0 ..< count {
            guard value[node].isFinite else { throw ModelshError.data("\(name) has a non-finite value at node \(node)") }
            guard feature[node] >= 0 else {
                guard feature[node] == -1, left[node] == -1, right[node] == -1, leftBins[node].isEmpty else {
                    throw ModelshError.data("\(name) has a malformed leaf at node \(node)")
                }
                continue
            }
            guard feature[node] < bins.count, left[node] > node, left[node] < count, right[node] > node, right[node] < count else {
                throw ModelshError.data("\(name) has a split at node \(node) with a feature or child out of range")
            }
            let valueBins = bins[feature[node]].valueBinCount
            if bins[feature[node]].isCategorical {
                let set = leftBins[node]
                guard !set.isEmpty, zip(set, set.dropFirst()).allSatisfy({ $0 < $1 }),
                      set.allSatisfy({ ($0 >= 0 && $0 < valueBins) || $0 == FeatureBins.missingBin }) else {
                    throw ModelshError.data("\(name) has a categorical split at node \(node) with bins out of range")
                }
            } else {
                guard leftBins[node].isEmpty, threshold[node] >= 0, threshold[node] < valueBins else {
                    throw ModelshError.data("\(name) has a numeric split at node \(node) with a bin out of range")
                }
            }
        }
    }
}

/// A tree laid out for walking many rows: one record per node, and for each categorical split a
/// 256-entry table of the bins that go left.
struct CompiledTree: @unchecked Sendable {
    private struct Node {
        var feature: Int
        var threshold: Int
        var missingGoesLeft: Bool
        var table: Int
        var left: Int
        var right: Int
        var value: Double
    }

    private let nodes: [Node]
    private let tables: [Bool]

    init(_ tree: BoostedTree) {
        var tables: [Bool] = []
        nodes = (0 ..< tree.nodeCount).map { i in
            var table = -1
            if !tree.leftBins[i].isEmpty {
                table = tables.count
                tables += [Bool](repeating: false, count: HistogramLayout.binsPerFeature)
                for bin in tree.leftBins[i] { tables[table + bin] = true }
            }
            return Node(feature: tree.feature[i], threshold: tree.threshold[i], missingGoesLeft: tree.missingGoesLeft[i],
                        table: table, left: tree.left[i], right: tree.right[i], value: tree.value[i])
        }
        self.tables = tables
    }

    /// Adds the tree's value for rows `range` of `data` to `scores[row]`.
    func add(_ data: BinnedRows, rows range: Range<Int>, to scores: UnsafeMutablePointer<Double>) {
        nodes.withUnsafeBufferPointer { nodes in
            tables.withUnsafeBufferPointer { tables in
                data.codes.withUnsafeBufferPointer { codes in
                    for row in range {
                        var node = nodes[0]
                        while node.feature >= 0 {
                            let bin = Int(codes[node.feature * data.rows + row])
                            let goesLeft = bin == FeatureBins.missingBin ? node.missingGoesLeft
                                : node.table >= 0 ? tables[node.table + bin] : bin <= node.threshold
                            node = nodes[goesLeft ? node.left : node.right]
                        }
                        scores[row] += node.value
                    }
                }
            }
        }
    }
}
