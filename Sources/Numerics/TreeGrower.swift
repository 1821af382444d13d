/// Grows one tree on gradients and hessians the way scikit-learn's `TreeGrower` does: best
/// first (the splittable node with the largest gain next), histograms of the smaller child
/// built from its rows and the larger child's derived by subtraction from the parent's, a node
/// a leaf once it has fewer than 2 · minLeaf rows, the leaf count reaches `maxLeaves` or its
/// depth `maxDepth`. Rows are kept in one array, each node a contiguous range of it, split by a
/// stable partition so a node's rows stay in increasing order (`HistogramBuilder` sums them).
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
    private let builder: HistogramBuilder
    private let search: SplitSearch
    private let maxLeaves: Int?
    private let maxDepth: Int?
    private let threads: Int
    private let partition: UnsafeMutablePointer<UInt32>
    private let scratchLeft: UnsafeMutablePointer<UInt32>
    private let scratchRight: UnsafeMutablePointer<UInt32>
    private var histograms: [UnsafeMutablePointer<Double>] = []
    private var freeHistograms: [Int] = []
    private var nodes: [Node] = []
    private var splittable: [Int] = []
    private var leafCount = 0

    init(data: BinnedRows, search: SplitSearch, maxLeaves: Int?, maxDepth: Int?, threads: Int) {
        self.data = data
        builder = HistogramBuilder(data, threads: threads)
        self.search = search
        self.maxLeaves = maxLeaves
        self.maxDepth = maxDepth
        self.threads = threads
        partition = .allocate(capacity: data.rows)
        scratchLeft = .allocate(capacity: data.rows)
        scratchRight = .allocate(capacity: data.rows)
    }

    deinit {
        partition.deallocate()
        scratchLeft.deallocate()
        scratchRight.deallocate()
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
        builder.load(gradients: gradients, hessians: hessians)
        let rootHistogram = takeHistogram()
        builder.build(into: histograms[rootHistogram], rows: nil, count: data.rows)
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
        while let next = nextToSplit() { split(next, importances: &importances) }
        return storedTree(shrinkage: shrinkage)
    }

    /// Adds each leaf's value (learning rate applied) to `scores` of the rows in the leaf, for
    /// the tree `grow` returned last.
    func addLeafValues(of tree: BoostedTree, to scores: UnsafeMutablePointer<Double>) {
        let leaves = nodes.indices.filter { nodes[$0].children == nil }.map {
            (range: nodes[$0].start ..< nodes[$0].start + nodes[$0].count, value: tree.value[$0])
        }
        nonisolated(unsafe) let (scores, partition) = (scores, partition)
        ConcurrentWork.run(leaves.count, threads: threads) { leaf in
            for position in leaves[leaf].range { scores[Int(partition[position])] += leaves[leaf].value }
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
        histograms.append(.allocate(capacity: builder.histogramSize))
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
    private func split(_ parent: Int, importances: inout [Double]) {
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

        // At the leaf limit every node still waiting becomes a leaf; at the depth limit both children do.
        let atLeafLimit = maxLeaves.map { leafCount + splittable.count + 2 == $0 } ?? false
        let growsFurther = !atLeafLimit && depth != maxDepth
        if atLeafLimit { while let node = splittable.popLast() { makeLeaf(node) } }
        let minRows = 2 * search.rules.minLeaf
        let splitLeft = growsFurther && leftCount >= minRows, splitRight = growsFurther && count - leftCount >= minRows
        guard splitLeft || splitRight else {
            makeLeaf(left)
            makeLeaf(right)
            releaseHistogram(of: parent)
            return
        }
        let (smaller, larger) = leftCount < count - leftCount ? (left, right) : (right, left)
        let smallerHistogram = takeHistogram()
        builder.build(into: histograms[smallerHistogram], rows: partition + nodes[smaller].start, count: nodes[smaller].count)
        let largerHistogram = nodes[parent].histogram!
        builder.subtract(histograms[smallerHistogram], from: histograms[largerHistogram])
        nodes[parent].histogram = nil
        nodes[smaller].histogram = smallerHistogram
        nodes[larger].histogram = largerHistogram
        for (child, splits) in [(left, splitLeft), (right, splitRight)] {
            if splits { findSplit(child) } else { makeLeaf(child) }
        }
    }

    /// Stable partition of the node's rows: those the split sends left first. Returns their
    /// count. Blocks of rows are split on their own, concurrently, each into the scratch buffers
    /// at its own offset; then every block's left rows are laid down in block order, then the
    /// right ones. There is only one stable partition, so the thread count cannot change it.
    private func partitionRows(start: Int, count: Int, split: SplitCandidate) -> Int {
        var goesLeft = [UInt8](repeating: 0, count: HistogramLayout.binsPerFeature)
        if let leftBins = split.leftBins {
            for bin in leftBins { goesLeft[bin] = 1 }
        } else {
            for bin in 0 ... split.threshold { goesLeft[bin] = 1 }
        }
        goesLeft[FeatureBins.missingBin] = split.missingGoesLeft ? 1 : 0
        let blocks = RowBlocks(rows: count)
        var leftCounts = [Int](repeating: 0, count: blocks.count)
        nonisolated(unsafe) let (rows, lefts, rights) = (partition + start, scratchLeft, scratchRight)
        data.codes.withUnsafeBufferPointer { codes in
            goesLeft.withUnsafeBufferPointer { goesLeft in
                leftCounts.withUnsafeMutableBufferPointer { leftCounts in
                    nonisolated(unsafe) let column = codes.baseAddress! + split.feature * data.rows
                    nonisolated(unsafe) let (goesLeft, leftCounts) = (goesLeft.baseAddress!, leftCounts.baseAddress!)
                    ConcurrentWork.run(blocks.count, threads: threads) { block in
                        let range = blocks.range(block)
                        var (left, right) = (range.lowerBound, range.lowerBound)
                        for i in range {
                            let row = rows[i], isLeft = Int(goesLeft[Int(column[Int(row)])])
                            lefts[left] = row
                            rights[right] = row
                            left += isLeft
                            right += 1 - isLeft
                        }
                        leftCounts[block] = left - range.lowerBound
                    }
                }
            }
        }
        let leftStarts = leftCounts.reduce(into: [0]) { $0.append($0.last! + $1) }
        let (totalLeft, counted) = (leftStarts.last!, leftCounts)
        ConcurrentWork.run(blocks.count, threads: threads) { block in
            let range = blocks.range(block), leftCount = counted[block]
            let rightStart = totalLeft + range.lowerBound - leftStarts[block]
            (rows + leftStarts[block]).update(from: lefts + range.lowerBound, count: leftCount)
            (rows + rightStart).update(from: rights + range.lowerBound, count: range.count - leftCount)
        }
        return totalLeft
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
