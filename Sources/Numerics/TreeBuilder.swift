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
    /// The rows of the tree (each once, however often a bootstrap drew it), partitioned node by
    /// node as in scikit-learn: a node owns positions `start ..< end`, left child's rows first.
    /// The partition is stable, so a node's rows stay increasing and reading their codes goes
    /// forward through memory.
    let rows: UnsafeMutablePointer<Int32>
    var rowCount = 0
    /// Every training row's weight: how often the bootstrap drew it (0 out of the bag).
    let weights: UnsafeMutablePointer<Double>

    // What the split search needs of each row, at the row's position, partitioned along with
    // the rows, so a node reads its rows' responses in order instead of gathering them.
    /// 2³² + the row's weight: one addition counts the row and adds its weight.
    let countAndWeight: UnsafeMutablePointer<UInt64>
    let classes: UnsafeMutablePointer<Int32>
    /// The centred target, and weight × centred target.
    let targets: UnsafeMutablePointer<Double>
    let weightedTargets: UnsafeMutablePointer<Double>
    /// Whether the row at a position goes left, and room for the right rows, for the partition.
    let goesLeft: UnsafeMutablePointer<Bool>
    let spare: UnsafeMutableRawPointer

    /// The node's total per class, or its weighted sum of the centred target.
    let totalSums: UnsafeMutablePointer<Double>

    // The histograms of the features drawn at the node, `histogramCapacity` at a time, each
    // `slots` codes (the missing one last) of `width` cells.
    let histogramCapacity: Int
    let slots: Int
    /// Row count << 32 + weight, per code and class (classification) or per code (regression).
    let histogramCountsAndWeights: UnsafeMutablePointer<UInt64>
    /// Σ weight × centred target per code (regression).
    let histogramTargets: UnsafeMutablePointer<Double>
    /// The features of the node's current batch, and the histogram each has (-1: sorted instead).
    let batchFeatures: UnsafeMutablePointer<Int>
    let batchHistograms: UnsafeMutablePointer<Int>
    let sortKeys: UnsafeMutablePointer<UInt64>

    // One feature at the node: its rows grouped by code.
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

    /// The histograms take about 8 MB at most (or one feature's, when that is more): every drawn
    /// feature's at once when codes are bins, fewer when they are the distinct values of many rows.
    init(trainingRows n: Int, featureCount p: Int, slots: Int, width: Int, classification: Bool) {
        var allocations: [UnsafeMutableRawPointer] = []
        func allocate<T>(_ count: Int, _ value: T) -> UnsafeMutablePointer<T> {
            let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(1, count))
            pointer.initialize(repeating: value, count: max(1, count))
            allocations.append(UnsafeMutableRawPointer(pointer))
            return pointer
        }
        self.slots = slots
        histogramCapacity = max(1, min(p, (1 << 20) / (slots * width)))
        rows = allocate(n, 0)
        weights = allocate(n, 0)
        countAndWeight = allocate(n, 0)
        classes = allocate(classification ? n : 0, 0)
        targets = allocate(classification ? 0 : n, 0)
        weightedTargets = allocate(classification ? 0 : n, 0)
        goesLeft = allocate(n, false)
        spare = UnsafeMutableRawPointer(allocate(n, UInt64(0)))
        totalSums = allocate(width, 0)
        histogramCountsAndWeights = allocate(histogramCapacity * slots * width, 0)
        histogramTargets = allocate(classification ? 0 : histogramCapacity * slots, 0)
        batchFeatures = allocate(p, 0)
        batchHistograms = allocate(p, 0)
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
    /// Whether a node draws its features in a random order (always when it draws a subset).
    let shufflesFeatures: Bool
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
    /// The features in the order the node draws them (shuffled per node when `shufflesFeatures`).
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

    init(features: CodedFeatures<Code>, response: TreeResponse, parameters: TreeParameters, featuresPerSplit: Int,
         randomFeatureOrder: Bool, levelCounts: [Int?]) {
        self.features = features
        self.response = response
        self.parameters = parameters
        self.featuresPerSplit = featuresPerSplit
        shufflesFeatures = randomFeatureOrder || featuresPerSplit < features.featureCount
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
        scratch = TreeScratch(trainingRows: trainingRowCount, featureCount: features.featureCount,
                              slots: (features.codeCounts.max() ?? 0) + 1, width: width, classification: classCount > 0)
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
        placeResponses()
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

    /// Puts each row's count and weight, and class or target, at the row's position.
    private func placeResponses() {
        let s = scratch
        for k in 0 ..< s.rowCount {
            let row = Int(s.rows[k]), w = s.weights[row]
            s.countAndWeight[k] = 1 << 32 | UInt64(w)
            switch response {
            case .classes(let classes, _):
                s.classes[k] = classes[row]
            case .values(let targets, _):
                s.targets[k] = targets[row]
                s.weightedTargets[k] = w * targets[row]
            }
        }
    }

    /// Records the node's sample count, impurity and value, and tells whether it is pure (one
    /// class, or one target value).
    private mutating func summarise(_ node: Int, _ start: Int, _ end: Int) -> Bool {
        let s = scratch, totals = s.totalSums
        totals.update(repeating: 0, count: width)
        var weight = 0.0, impurity = 0.0, pure = false
        switch response {
        case .classes:
            for k in start ..< end {
                let w = Double(s.countAndWeight[k] & 0xFFFF_FFFF)
                totals[Int(s.classes[k])] += w
                weight += w
            }
            var classesPresent = 0
            for c in 0 ..< width {
                let share = totals[c] / weight
                values[node * width + c] = share
                if share > 0 { classesPresent += 1 }
                impurity += parameters.criterion == .gini ? share * (1 - share) : (share > 0 ? -share * log2(share) : 0)
            }
            pure = classesPresent <= 1
        case .values(_, let mean):
            var sum = 0.0, smallest = Double.infinity, largest = -Double.infinity
            for k in start ..< end {
                sum += s.weightedTargets[k]
                weight += Double(s.countAndWeight[k] & 0xFFFF_FFFF)
                smallest = min(smallest, s.targets[k])
                largest = max(largest, s.targets[k])
            }
            let centredMean = sum / weight
            for k in start ..< end {
                let deviation = s.targets[k] - centredMean
                impurity += Double(s.countAndWeight[k] & 0xFFFF_FFFF) * deviation * deviation
            }
            impurity /= weight
            values[node] = mean + centredMean
            totals[0] = sum
            pure = smallest == largest
        }
        nodeRowCount = end - start
        nodeWeight = weight
        sampleCounts[node] = Int32(weight)
        impurities[node] = impurity
        return pure
    }

    /// Splits the node's rows, and what is kept at their positions, in place, keeping their
    /// order, those going left first; returns where the right ones start.
    private func partition(_ start: Int, _ end: Int, _ split: SplitChoice) -> Int {
        let f = split.feature, p = features.featureCount, missingCode = features.codeCounts[f], s = scratch
        var levelGoesLeft: [Bool] = []
        if features.isCategorical[f] {
            levelGoesLeft = [Bool](repeating: false, count: missingCode + 1)
            for level in split.leftLevels { levelGoesLeft[level] = true }
            levelGoesLeft[missingCode] = split.missingGoesLeft
        }
        features.codes.withUnsafeBufferPointer { codes in
            for k in start ..< end {
                let code = Int(codes[Int(s.rows[k]) * p + f])
                s.goesLeft[k] = levelGoesLeft.isEmpty
                    ? code <= split.lastLeftCode || (code == missingCode && split.missingGoesLeft)
                    : levelGoesLeft[code]
            }
        }
        let middle = stablePartition(s.rows, start, end)
        _ = stablePartition(s.countAndWeight, start, end)
        if classCount > 0 {
            _ = stablePartition(s.classes, start, end)
        } else {
            _ = stablePartition(s.targets, start, end)
            _ = stablePartition(s.weightedTargets, start, end)
        }
        return middle
    }

    /// Moves the elements at positions start ..< end that `goesLeft` flags to the front,
    /// keeping the order of both sides; returns where the others start.
    private func stablePartition<T>(_ elements: UnsafeMutablePointer<T>, _ start: Int, _ end: Int) -> Int {
        let right = scratch.spare.bindMemory(to: T.self, capacity: end - start)
        var leftCount = start, rightCount = 0
        for k in start ..< end {
            if scratch.goesLeft[k] {
                elements[leftCount] = elements[k]
                leftCount += 1
            } else {
                right[rightCount] = elements[k]
                rightCount += 1
            }
        }
        (elements + leftCount).update(from: right, count: rightCount)
        return leftCount
    }
}
