import Diagnostics
import Foundation

/// The response a tree is grown for, as the builder reads it.
enum TreeResponse: Sendable {
    case classes([Int32], count: Int)
    /// The targets less their mean: the split search compares squared sums, which keep more
    /// digits around 0.
    case values(centred: [Double], mean: Double)

    init(_ target: TreeTarget) {
        switch target {
        case .classes(let classes, let count):
            self = .classes(classes.map { Int32($0) }, count: count)
        case .values(let values):
            let mean = values.reduce(0, +) / Double(values.count)
            self = .values(centred: values.map { $0 - mean }, mean: mean)
        }
    }
}

/// A builder's working memory, allocated once and reused for every node and tree: the split
/// search runs over every row of every node, so it works on raw pointers rather than on arrays
/// held in a struct (whose every write checks uniqueness).
final class TreeScratch {
    /// The rows of the tree (each once, however often a bootstrap drew it), partitioned in place
    /// node by node as in scikit-learn: a node owns `rows[start ..< end]`, left child's rows first.
    let rows: UnsafeMutablePointer<Int32>
    var rowCount = 0
    /// Every training row's weight: how often the bootstrap drew it (0 out of the bag).
    let weights: UnsafeMutablePointer<Double>

    // The node being split, index k standing for rows[start + k].
    let nodeWeights: UnsafeMutablePointer<Double>
    let nodeClasses: UnsafeMutablePointer<Int32>
    let nodeTargets: UnsafeMutablePointer<Double>
    /// The node's total per class, or its weighted sum of the centred target.
    let totalSums: UnsafeMutablePointer<Double>

    // One feature at the node: its rows grouped by code, by a histogram or a sort.
    let histogramRows: UnsafeMutablePointer<Int32>
    let histogramWeights: UnsafeMutablePointer<Double>
    /// `histogramSums[code * width + s]`.
    let histogramSums: UnsafeMutablePointer<Double>
    let sortKeys: UnsafeMutablePointer<UInt64>
    /// The codes present at the node, increasing, with their row counts, weights and sums.
    let groupCodes: UnsafeMutablePointer<Int>
    let groupRows: UnsafeMutablePointer<Int>
    let groupWeights: UnsafeMutablePointer<Double>
    let groupSums: UnsafeMutablePointer<Double>
    let missingSums: UnsafeMutablePointer<Double>
    /// The order the split scan takes the groups in: by code, or by mean for a categorical feature.
    let order: UnsafeMutablePointer<Int>
    let leftSums: UnsafeMutablePointer<Double>

    private var allocations: [UnsafeMutableRawPointer] = []

    init(trainingRows n: Int, slots: Int, width: Int) {
        var allocations: [UnsafeMutableRawPointer] = []
        func allocate<T>(_ count: Int, _ value: T) -> UnsafeMutablePointer<T> {
            let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(1, count))
            pointer.initialize(repeating: value, count: max(1, count))
            allocations.append(UnsafeMutableRawPointer(pointer))
            return pointer
        }
        rows = allocate(n, 0)
        weights = allocate(n, 0)
        nodeWeights = allocate(n, 0)
        nodeClasses = allocate(n, 0)
        nodeTargets = allocate(n, 0)
        totalSums = allocate(width, 0)
        histogramRows = allocate(slots, 0)
        histogramWeights = allocate(slots, 0)
        histogramSums = allocate(slots * width, 0)
        sortKeys = allocate(n, 0)
        groupCodes = allocate(slots, 0)
        groupRows = allocate(slots, 0)
        groupWeights = allocate(slots, 0)
        groupSums = allocate(slots * width, 0)
        missingSums = allocate(width, 0)
        order = allocate(slots, 0)
        leftSums = allocate(width, 0)
        self.allocations = allocations
    }

    deinit {
        for pointer in allocations { pointer.deallocate() }
    }
}

/// Grows CART trees on coded features, one at a time (a forest runs one builder per thread and
/// reuses its memory from tree to tree).
struct TreeBuilder<Code: TreeCode> {
    let features: CodedFeatures<Code>
    let response: TreeResponse
    let parameters: TreeParameters
    let featuresPerSplit: Int
    let levelCounts: [Int?]
    /// K for classification, 0 for regression.
    let classCount: Int
    /// How many sums summarise a group of rows besides its row count and weight: the weight of
    /// each class, or the weighted sum of the centred target. Also the width of a node's value.
    let width: Int
    let trainingRowCount: Int
    let scratch: TreeScratch

    /// The node being split.
    var nodeRowCount = 0
    var nodeWeight = 0.0
    /// The missing rows of the feature being tried.
    var missingRows = 0
    var missingWeight = 0.0
    /// The features in the order the node draws them (a partial shuffle per node when it draws a subset).
    var featureOrder: [Int]

    // MARK: The tree being grown, as in `DecisionTree`.
    var splitFeatures: [Int32] = []
    var leftChildren: [Int32] = []
    var thresholds: [Double] = []
    var missingGoesLeft: [Bool] = []
    var sampleCounts: [Int32] = []
    var impurities: [Double] = []
    var values: [Double] = []
    var leftLevelSets: [[Int]] = []

    init(features: CodedFeatures<Code>, response: TreeResponse, parameters: TreeParameters, featuresPerSplit: Int, levelCounts: [Int?]) {
        self.features = features
        self.response = response
        self.parameters = parameters
        self.featuresPerSplit = featuresPerSplit
        self.levelCounts = levelCounts
        switch response {
        case .classes(let classes, let count):
            classCount = count
            trainingRowCount = classes.count
        case .values(let targets, _):
            classCount = 0
            trainingRowCount = targets.count
        }
        width = max(1, classCount)
        scratch = TreeScratch(trainingRows: trainingRowCount, slots: (features.codeCounts.max() ?? 0) + 1, width: width)
        featureOrder = Array(0 ..< features.featureCount)
    }

    // MARK: - Samples

    /// Every training row, once.
    func useEveryRow() {
        for i in 0 ..< trainingRowCount {
            scratch.rows[i] = Int32(i)
            scratch.weights[i] = 1
        }
        scratch.rowCount = trainingRowCount
    }

    /// A bootstrap sample: n draws with replacement, kept as how often each row was drawn
    /// (scikit-learn's sample weights) rather than copies. Returns the in-bag rows as bits.
    func useBootstrap(_ generator: inout Xoshiro256StarStar) -> [UInt64] {
        let n = trainingRowCount, weights = scratch.weights
        weights.update(repeating: 0, count: n)
        for _ in 0 ..< n { weights[Int(generator.bounded(UInt64(n)))] += 1 }
        var inBag = [UInt64](repeating: 0, count: (n + 63) / 64)
        var count = 0
        for i in 0 ..< n where weights[i] > 0 {
            scratch.rows[count] = Int32(i)
            count += 1
            inBag[i >> 6] |= 1 << UInt64(i & 63)
        }
        scratch.rowCount = count
        return inBag
    }

    // MARK: - Growing

    /// Grows a tree on the rows and weights chosen, depth first (left child first), drawing the
    /// features of each node from `generator`.
    mutating func grow(_ generator: inout Xoshiro256StarStar) throws -> DecisionTree {
        startTree()
        var pending = [(node: 0, start: 0, end: scratch.rowCount, depth: 0)]
        let maxDepth = parameters.maxDepth ?? Int.max
        var rowsSinceCheck = 0
        while let (node, start, end, depth) = pending.popLast() {
            rowsSinceCheck += end - start
            if rowsSinceCheck >= 1 << 16 {
                rowsSinceCheck = 0
                if Interruption.isRequested { throw interrupted }
            }
            let pure = summarise(node, start, end)
            let m = end - start
            guard !pure, depth < maxDepth, m >= parameters.minSplit, m >= 2 * parameters.minLeaf,
                  let split = bestSplit(start, end, &generator) else { continue }
            let middle = partition(start, end, split)
            let left = splitFeatures.count
            appendNode()
            appendNode()
            splitFeatures[node] = Int32(split.feature)
            leftChildren[node] = Int32(left)
            missingGoesLeft[node] = split.missingGoesLeft
            if features.isCategorical[split.feature] {
                thresholds[node] = Double(leftLevelSets.count)
                leftLevelSets.append(split.leftLevels)
            } else {
                thresholds[node] = split.threshold
            }
            pending.append((left + 1, middle, end, depth + 1))
            pending.append((left, start, middle, depth + 1))
        }
        // Copies of exactly the final size: a forest keeps many trees.
        return DecisionTree(classCount: classCount, levelCounts: levelCounts, splitFeatures: Array(splitFeatures[...]),
                            leftChildren: Array(leftChildren[...]), thresholds: Array(thresholds[...]),
                            missingGoesLeft: Array(missingGoesLeft[...]), sampleCounts: Array(sampleCounts[...]),
                            impurities: Array(impurities[...]), values: Array(values[...]), leftLevelSets: leftLevelSets)
    }

    private mutating func startTree() {
        splitFeatures.removeAll(keepingCapacity: true)
        leftChildren.removeAll(keepingCapacity: true)
        thresholds.removeAll(keepingCapacity: true)
        missingGoesLeft.removeAll(keepingCapacity: true)
        sampleCounts.removeAll(keepingCapacity: true)
        impurities.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        leftLevelSets = []
        featureOrder = Array(0 ..< features.featureCount)
        appendNode()
    }

    /// A leaf for now; `summarise` fills in its counts and `grow` its split.
    private mutating func appendNode() {
        splitFeatures.append(-1)
        leftChildren.append(-1)
        thresholds.append(0)
        missingGoesLeft.append(false)
        sampleCounts.append(0)
        impurities.append(0)
        values.append(contentsOf: repeatElement(0, count: width))
    }

    /// Gathers the node's weights and responses into the scratch, records its sample count,
    /// impurity and value, and tells whether it is pure (one class, or one target value).
    private mutating func summarise(_ node: Int, _ start: Int, _ end: Int) -> Bool {
        let m = end - start, rows = scratch.rows + start, weights = scratch.weights, totals = scratch.totalSums
        let nodeWeights = scratch.nodeWeights
        totals.update(repeating: 0, count: width)
        var weight = 0.0, impurity = 0.0, pure = false
        switch response {
        case .classes(let classes, _):
            let nodeClasses = scratch.nodeClasses
            classes.withUnsafeBufferPointer { classes in
                for k in 0 ..< m {
                    let row = Int(rows[k]), w = weights[row], c = classes[row]
                    nodeWeights[k] = w
                    nodeClasses[k] = c
                    totals[Int(c)] += w
                    weight += w
                }
            }
            var classesPresent = 0
            for c in 0 ..< width {
                let share = totals[c] / weight
                values[node * width + c] = share
                if share > 0 { classesPresent += 1 }
                impurity += parameters.criterion == .gini ? share * (1 - share) : (share > 0 ? -share * log2(share) : 0)
            }
            pure = classesPresent <= 1
        case .values(let targets, let mean):
            let nodeTargets = scratch.nodeTargets
            var sum = 0.0, smallest = Double.infinity, largest = -Double.infinity
            targets.withUnsafeBufferPointer { targets in
                for k in 0 ..< m {
                    let row = Int(rows[k]), w = weights[row], y = targets[row]
                    nodeWeights[k] = w
                    nodeTargets[k] = y
                    sum += w * y
                    weight += w
                    smallest = min(smallest, y)
                    largest = max(largest, y)
                }
            }
            totals[0] = sum
            let centredMean = sum / weight
            for k in 0 ..< m { impurity += nodeWeights[k] * (nodeTargets[k] - centredMean) * (nodeTargets[k] - centredMean) }
            impurity /= weight
            values[node] = mean + centredMean
            pure = smallest == largest
        }
        nodeRowCount = m
        nodeWeight = weight
        sampleCounts[node] = Int32(weight)
        impurities[node] = impurity
        return pure
    }

    /// Splits the node's rows in place, those going left first; returns where the right ones start.
    private func partition(_ start: Int, _ end: Int, _ split: SplitChoice) -> Int {
        let missingCode = features.codeCounts[split.feature], rows = scratch.rows
        var goesLeft: [Bool] = []
        if features.isCategorical[split.feature] {
            goesLeft = [Bool](repeating: false, count: missingCode + 1)
            for level in split.leftLevels { goesLeft[level] = true }
            goesLeft[missingCode] = split.missingGoesLeft
        }
        return features.codes[split.feature].withUnsafeBufferPointer { codes in
            var i = start, j = end
            while i < j {
                let code = Int(codes[Int(rows[i])])
                let left = goesLeft.isEmpty
                    ? code <= split.lastLeftCode || (code == missingCode && split.missingGoesLeft)
                    : goesLeft[code]
                if left {
                    i += 1
                } else {
                    j -= 1
                    rows.swapAt(i, j)
                }
            }
            return i
        }
    }
}

private extension UnsafeMutablePointer {
    func swapAt(_ i: Int, _ j: Int) {
        let value = self[i]
        self[i] = self[j]
        self[j] = value
    }
}
