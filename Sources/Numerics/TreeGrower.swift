/// Grows one tree on gradients and hessians the way scikit-learn's `TreeGrower` does: best
/// first (the splittable node with the largest gain next), histograms of the smaller child
/// built from its rows and the larger child's derived by subtraction from the parent's, a node
/// a leaf once it has fewer than 2 · minLeaf rows, the leaf count reaches `maxLeaves` or its
/// depth `maxDepth`. Rows are kept in one array, each node a contiguous range of it, split by a
/// stable partition so a node's rows stay in increasing order: the sums come out the same
/// whatever the number of threads, which only ever split the work by feature.
///
/// One grower serves every tree of a fit, reusing its buffers.
final class TreeGrower {
    private struct Node {
        var start: Int
        var count: Int
        var depth: Int
        var sums: GradientSums
        /// The Newton value before the learning rate (0 at the root, as scikit-learn).
        var value: Double
        var histogram: Int?
        var split: SplitCandidate?
        var children: (left: Int, right: Int)?
    }

    private let data: BinnedRows
    private let search: SplitSearch
    private let maxLeaves: Int?
    private let maxDepth: Int?
    private let threads: Int
    private let histogramSize: Int
    private let partition: UnsafeMutablePointer<UInt32>
    private let scratch: UnsafeMutablePointer<UInt32>
    private let orderedGradients: UnsafeMutablePointer<Float>
    private let orderedHessians: UnsafeMutablePointer<Float>
    private var histograms: [UnsafeMutablePointer<Double>] = []
    private var freeHistograms: [Int] = []
    private var nodes: [Node] = []
    private var splittable: [Int] = []
    private var leafCount = 0

    /// Below this many bin updates a node's histograms are built on one thread.
    private static let parallelWork = 1 << 16

    init(data: BinnedRows, search: SplitSearch, maxLeaves: Int?, maxDepth: Int?, threads: Int) {
        self.data = data
        self.search = search
        self.maxLeaves = maxLeaves
        self.maxDepth = maxDepth
        self.threads = threads
        histogramSize = data.featureCount * HistogramLayout.doublesPerFeature
        partition = .allocate(capacity: data.rows)
        scratch = .allocate(capacity: data.rows)
        orderedGradients = .allocate(capacity: data.rows)
        orderedHessians = .allocate(capacity: data.rows)
    }

    deinit {
        partition.deallocate()
        scratch.deallocate()
        orderedGradients.deallocate()
        orderedHessians.deallocate()
        histograms.forEach { $0.deallocate() }
    }

    /// Grows a tree on per-row gradients and hessians (nil for a constant hessian of 1), leaf
    /// values multiplied by `shrinkage`, adding each split's gain to `importances[feature]`.
    func grow(gradients: UnsafePointer<Float>, hessians: UnsafePointer<Float>?, shrinkage: Double,
              importances: inout [Double]) -> BoostedTree {
        for row in 0 ..< data.rows { partition[row] = UInt32(row) }
        nodes = []
        splittable = []
        leafCount = 0
        let rootHistogram = takeHistogram()
        build(rootHistogram, start: 0, count: data.rows, gradients: gradients, hessians: hessians)
        var sums = GradientSums(count: data.rows)
        let firstFeature = histograms[rootHistogram]
        for bin in 0 ..< HistogramLayout.binsPerFeature {
            sums.gradient += firstFeature[bin * HistogramLayout.stride]
            sums.hessian += firstFeature[bin * HistogramLayout.stride + 1]
        }
        if hessians == nil { sums.hessian = Double(data.rows) }
        nodes.append(Node(start: 0, count: data.rows, depth: 0, sums: sums, value: 0, histogram: rootHistogram))
        if data.rows < 2 * search.rules.minLeaf || sums.hessian < SplitRules.minHessian {
            makeLeaf(0)
        } else {
            findSplit(0)
        }
        while let next = nextToSplit() {
            split(next, gradients: gradients, hessians: hessians, importances: &importances)
        }
        return storedTree(shrinkage: shrinkage)
    }

    /// Adds each leaf's value (learning rate applied) to `scores` of the rows in the leaf, for
    /// the tree `grow` returned last.
    func addLeafValues(of tree: BoostedTree, to scores: UnsafeMutablePointer<Double>) {
        for (i, node) in nodes.enumerated() where node.children == nil {
            let value = tree.value[i]
            for position in node.start ..< node.start + node.count { scores[Int(partition[position])] += value }
        }
    }

    /// Takes the splittable node of largest gain off the list; the earliest node wins a tie.
    private func nextToSplit() -> Int? {
        guard var best = splittable.indices.first else { return nil }
        for position in splittable.indices.dropFirst() {
            let (gain, bestGain) = (nodes[splittable[position]].split!.gain, nodes[splittable[best]].split!.gain)
            if gain > bestGain || (gain == bestGain && splittable[position] < splittable[best]) { best = position }
        }
        return splittable.remove(at: best)
    }

    private func takeHistogram() -> Int {
        if let free = freeHistograms.popLast() { return free }
        histograms.append(.allocate(capacity: histogramSize))
        return histograms.count - 1
    }

    private func releaseHistogram(of node: Int) {
        if let histogram = nodes[node].histogram { freeHistograms.append(histogram) }
        nodes[node].histogram = nil
    }

    private func makeLeaf(_ node: Int) {
        releaseHistogram(of: node)
        leafCount += 1
    }

    private func findSplit(_ node: Int) {
        let split = search.best(histograms: histograms[nodes[node].histogram!], node: nodes[node].sums, value: nodes[node].value)
        if split.gain > 0 {
            nodes[node].split = split
            splittable.append(node)
        } else {
            makeLeaf(node)
        }
    }

    /// Splits the node with the largest gain (scikit-learn's `split_next`).
    private func split(_ parent: Int, gradients: UnsafePointer<Float>, hessians: UnsafePointer<Float>?,
                       importances: inout [Double]) {
        let split = nodes[parent].split!
        let (start, count, depth) = (nodes[parent].start, nodes[parent].count, nodes[parent].depth + 1)
        let leftCount = partitionRows(start: start, count: count, split: split)
        let left = nodes.count, right = nodes.count + 1
        nodes.append(Node(start: start, count: leftCount, depth: depth, sums: split.left, value: split.valueLeft))
        nodes.append(Node(start: start + leftCount, count: count - leftCount, depth: depth,
                          sums: nodes[parent].sums - split.left, value: split.valueRight))
        nodes[parent].children = (left, right)
        if !search.hasMissing[split.feature] { nodes[parent].split!.missingGoesLeft = leftCount > count - leftCount }
        let sums = nodes[parent].sums
        importances[split.feature] += sums.gradient * search.rules.value(sums)
            - split.left.gradient * split.valueLeft - (sums - split.left).gradient * split.valueRight

        if let maxLeaves, leafCount + splittable.count + 2 == maxLeaves {
            makeLeaf(left)
            makeLeaf(right)
            while let node = splittable.popLast() { makeLeaf(node) }
            releaseHistogram(of: parent)
            return
        }
        if let maxDepth, depth == maxDepth {
            makeLeaf(left)
            makeLeaf(right)
            releaseHistogram(of: parent)
            return
        }
        let minRows = 2 * search.rules.minLeaf
        let splitLeft = leftCount >= minRows, splitRight = count - leftCount >= minRows
        guard splitLeft || splitRight else {
            makeLeaf(left)
            makeLeaf(right)
            releaseHistogram(of: parent)
            return
        }
        let (smaller, larger) = leftCount < count - leftCount ? (left, right) : (right, left)
        let smallerHistogram = takeHistogram()
        build(smallerHistogram, start: nodes[smaller].start, count: nodes[smaller].count, gradients: gradients, hessians: hessians)
        let largerHistogram = nodes[parent].histogram!
        subtract(histograms[smallerHistogram], from: histograms[largerHistogram])
        nodes[parent].histogram = nil
        nodes[smaller].histogram = smallerHistogram
        nodes[larger].histogram = largerHistogram
        for (child, splits) in [(left, splitLeft), (right, splitRight)] {
            if splits { findSplit(child) } else { makeLeaf(child) }
        }
    }

    /// Stable partition of the node's rows: those the split sends left first. Returns their count.
    private func partitionRows(start: Int, count: Int, split: SplitCandidate) -> Int {
        var goesLeft = [UInt8](repeating: 0, count: HistogramLayout.binsPerFeature)
        if let leftBins = split.leftBins {
            for bin in leftBins { goesLeft[bin] = 1 }
        } else {
            for bin in 0 ... split.threshold { goesLeft[bin] = 1 }
        }
        goesLeft[FeatureBins.missingBin] = split.missingGoesLeft ? 1 : 0
        let rows = partition + start
        var leftCount = 0
        data.codes.withUnsafeBufferPointer { codes in
            goesLeft.withUnsafeBufferPointer { goesLeft in
                let column = codes.baseAddress! + split.feature * data.rows
                var rightCount = 0
                for i in 0 ..< count {
                    let row = rows[i]
                    let isLeft = Int(goesLeft[Int(column[Int(row)])])
                    rows[leftCount] = row
                    scratch[rightCount] = row
                    leftCount += isLeft
                    rightCount += 1 - isLeft
                }
                (rows + leftCount).update(from: scratch, count: rightCount)
            }
        }
        return leftCount
    }

    /// The histograms of rows `partition[start ..< start + count]`, one feature per work unit.
    private func build(_ histogram: Int, start: Int, count: Int, gradients: UnsafePointer<Float>, hessians: UnsafePointer<Float>?) {
        let isRoot = count == data.rows
        let rows = partition + start
        if !isRoot {
            for i in 0 ..< count { orderedGradients[i] = gradients[Int(rows[i])] }
            if let hessians { for i in 0 ..< count { orderedHessians[i] = hessians[Int(rows[i])] } }
        }
        nonisolated(unsafe) let target = histograms[histogram]
        nonisolated(unsafe) let g = isRoot ? gradients : UnsafePointer(orderedGradients)
        nonisolated(unsafe) let h = hessians.map { isRoot ? $0 : UnsafePointer(orderedHessians) }
        nonisolated(unsafe) let rowIndices = UnsafePointer(rows)
        let rowCount = data.rows
        let work = count * data.featureCount < Self.parallelWork ? 1 : threads
        data.codes.withUnsafeBufferPointer { codes in
            nonisolated(unsafe) let codes = codes.baseAddress!
            ConcurrentWork.run(data.featureCount, threads: work) { f in
                let sums = target + f * HistogramLayout.doublesPerFeature
                sums.initialize(repeating: 0, count: HistogramLayout.doublesPerFeature)
                let column = codes + f * rowCount
                if isRoot {
                    Self.accumulate(into: sums, count: count, gradients: g, hessians: h) { Int(column[$0]) }
                } else {
                    Self.accumulate(into: sums, count: count, gradients: g, hessians: h) { Int(column[Int(rowIndices[$0])]) }
                }
            }
        }
    }

    @inline(__always)
    private static func accumulate(into sums: UnsafeMutablePointer<Double>, count: Int, gradients: UnsafePointer<Float>,
                                   hessians: UnsafePointer<Float>?, bin: (Int) -> Int) {
        if let hessians {
            for i in 0 ..< count {
                let at = bin(i) * HistogramLayout.stride
                sums[at] += Double(gradients[i])
                sums[at + 1] += Double(hessians[i])
                sums[at + 2] += 1
            }
        } else {
            for i in 0 ..< count {
                let at = bin(i) * HistogramLayout.stride
                sums[at] += Double(gradients[i])
                sums[at + 2] += 1
            }
        }
    }

    /// The larger child's histograms: the parent's less the smaller child's, in place.
    private func subtract(_ smaller: UnsafeMutablePointer<Double>, from parent: UnsafeMutablePointer<Double>) {
        for i in 0 ..< histogramSize { parent[i] -= smaller[i] }
    }

    /// The grown tree as stored: leaves carry their value times the learning rate.
    private func storedTree(shrinkage: Double) -> BoostedTree {
        let splits = nodes.map { $0.children == nil ? nil : $0.split }
        return BoostedTree(
            feature: splits.map { $0?.feature ?? -1 },
            threshold: splits.map { split in split.map { $0.leftBins == nil ? $0.threshold : 0 } ?? 0 },
            missingGoesLeft: splits.map { $0?.missingGoesLeft ?? false },
            leftBins: splits.map { $0?.leftBins ?? [] },
            left: nodes.map { $0.children?.left ?? -1 },
            right: nodes.map { $0.children?.right ?? -1 },
            value: nodes.map { $0.children == nil ? $0.value * shrinkage : 0 })
    }
}
