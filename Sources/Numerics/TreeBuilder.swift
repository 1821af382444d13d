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

/// Grows CART trees on coded features, one at a time (a forest runs one builder per thread and
/// reuses its buffers from tree to tree). The rows of the tree are partitioned in place node by
/// node, as in scikit-learn: a node owns `rows[start ..< end]`, left child's rows first.
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

    /// The rows of the tree (each once, however often a bootstrap drew it) and every training
    /// row's weight (how often it was drawn; 0 out of the bag).
    var rows: [Int32] = []
    var weights: [Double]

    // MARK: Scratch for the node being split; index k stands for rows[start + k].
    var nodeWeights: [Double]
    var nodeClasses: [Int32]
    var nodeTargets: [Double]
    var nodeRowCount = 0
    var nodeWeight = 0.0
    var totalSums: [Double]

    // MARK: Scratch for one feature at the node: its rows grouped by code.
    var histogramRows: [Int32]
    var histogramWeights: [Double]
    /// `histogramSums[code * width + s]`.
    var histogramSums: [Double]
    var sortKeys: [UInt64]
    /// The codes present at the node, increasing, with their row counts, weights and sums.
    var groupCodes: [Int]
    var groupRows: [Int]
    var groupWeights: [Double]
    var groupSums: [Double]
    var missingRows = 0
    var missingWeight = 0.0
    var missingSums: [Double]
    /// The order the split scan takes the groups in: by code, or by mean for a categorical feature.
    var order: [Int]
    var leftSums: [Double]
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
        let n = features.codes.first?.count ?? 0
        switch response {
        case .classes(_, let count): classCount = count
        case .values: classCount = 0
        }
        width = max(1, classCount)
        weights = [Double](repeating: 0, count: n)
        nodeWeights = [Double](repeating: 0, count: n)
        nodeClasses = classCount > 0 ? [Int32](repeating: 0, count: n) : []
        nodeTargets = classCount > 0 ? [] : [Double](repeating: 0, count: n)
        totalSums = [Double](repeating: 0, count: width)
        let slots = (features.codeCounts.max() ?? 0) + 1
        histogramRows = [Int32](repeating: 0, count: slots)
        histogramWeights = [Double](repeating: 0, count: slots)
        histogramSums = [Double](repeating: 0, count: slots * width)
        sortKeys = [UInt64](repeating: 0, count: n)
        groupCodes = [Int](repeating: 0, count: slots)
        groupRows = groupCodes
        groupWeights = histogramWeights
        groupSums = histogramSums
        missingSums = totalSums
        order = groupCodes
        leftSums = totalSums
        featureOrder = Array(0 ..< features.featureCount)
    }

    var trainingRowCount: Int { weights.count }

    // MARK: - Samples

    /// Every training row, once.
    mutating func useEveryRow() {
        rows = (0 ..< Int32(trainingRowCount)).map { $0 }
        for i in weights.indices { weights[i] = 1 }
    }

    /// A bootstrap sample: n draws with replacement, kept as how often each row was drawn
    /// (scikit-learn's sample weights) rather than copies. Returns the in-bag rows as bits.
    mutating func useBootstrap(_ generator: inout Xoshiro256StarStar) -> [UInt64] {
        let n = trainingRowCount
        for i in weights.indices { weights[i] = 0 }
        for _ in 0 ..< n { weights[Int(generator.bounded(UInt64(n)))] += 1 }
        var inBag = [UInt64](repeating: 0, count: (n + 63) / 64)
        rows.removeAll(keepingCapacity: true)
        for i in 0 ..< n where weights[i] > 0 {
            rows.append(Int32(i))
            inBag[i >> 6] |= 1 << UInt64(i & 63)
        }
        return inBag
    }

    // MARK: - Growing

    /// Grows a tree on `rows` and `weights`, depth first (left child first), drawing the
    /// features of each node from `generator`.
    mutating func grow(_ generator: inout Xoshiro256StarStar) throws -> DecisionTree {
        startTree()
        var pending = [(node: 0, start: 0, end: rows.count, depth: 0)]
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

    /// Gathers the node's weights and responses into the node scratch, records its sample
    /// count, impurity and value, and tells whether it is pure (one class, or one target value).
    private mutating func summarise(_ node: Int, _ start: Int, _ end: Int) -> Bool {
        let m = end - start
        nodeRowCount = m
        for s in 0 ..< width { totalSums[s] = 0 }
        var weight = 0.0, impurity = 0.0, pure = false
        switch response {
        case .classes(let classes, _):
            for k in 0 ..< m {
                let row = Int(rows[start + k]), w = weights[row], c = classes[row]
                nodeWeights[k] = w
                nodeClasses[k] = c
                totalSums[Int(c)] += w
                weight += w
            }
            var classesPresent = 0
            for c in 0 ..< width {
                let share = totalSums[c] / weight
                values[node * width + c] = share
                if share > 0 { classesPresent += 1 }
                impurity += parameters.criterion == .gini ? share * (1 - share) : (share > 0 ? -share * Foundation.log2(share) : 0)
            }
            pure = classesPresent <= 1
        case .values(let targets, let mean):
            var sum = 0.0, smallest = Double.infinity, largest = -Double.infinity
            for k in 0 ..< m {
                let row = Int(rows[start + k]), w = weights[row], y = targets[row]
                nodeWeights[k] = w
                nodeTargets[k] = y
                sum += w * y
                weight += w
                smallest = min(smallest, y)
                largest = max(largest, y)
            }
            totalSums[0] = sum
            let centredMean = sum / weight
            for k in 0 ..< m { impurity += nodeWeights[k] * (nodeTargets[k] - centredMean) * (nodeTargets[k] - centredMean) }
            impurity /= weight
            values[node] = mean + centredMean
            pure = smallest == largest
        }
        nodeWeight = weight
        sampleCounts[node] = Int32(weight)
        impurities[node] = impurity
        return pure
    }

    /// Splits the node's rows in place, those going left first; returns where the right ones start.
    private mutating func partition(_ start: Int, _ end: Int, _ split: SplitChoice) -> Int {
        let codes = features.codes[split.feature], missingCode = features.codeCounts[split.feature]
        var goesLeft: [Bool] = []
        if features.isCategorical[split.feature] {
            goesLeft = [Bool](repeating: false, count: missingCode + 1)
            for level in split.leftLevels { goesLeft[level] = true }
            goesLeft[missingCode] = split.missingGoesLeft
        }
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

