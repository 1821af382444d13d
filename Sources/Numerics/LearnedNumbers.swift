/// Copies of fitted engines with their learned numbers transformed (for compression: rounded to a
/// smaller type) and, for trees, splits whose two leaves then predict the same merged into one
/// leaf. Each `numbers` call receives one array of like numbers (a coefficient vector, a tree's
/// leaf values), so a quantiser can choose one scale for it. What the fit recorded about itself
/// (sizes, losses, iterations) is kept as it was.

extension NaiveBayes {
    /// `numbers` for the priors, the means (all classes as one array) and each categorical
    /// feature's level log-probabilities (one array per feature); `variances` for the variances
    /// (one array), which must stay positive.
    public func transformed(numbers: ([Double]) -> [Double], variances transformVariances: ([Double]) -> [Double]) -> NaiveBayes {
        func rows(_ matrix: [[Double]], _ transform: ([Double]) -> [Double]) -> [[Double]] {
            let width = matrix.first?.count ?? 0, flat = transform(matrix.flatMap { $0 })
            return matrix.indices.map { Array(flat[$0 * width ..< ($0 + 1) * width]) }
        }
        return NaiveBayes(logPriors: numbers(logPriors), means: rows(means, numbers), variances: rows(variances, transformVariances),
                          levelLogProbabilities: levelLogProbabilities.map { rows($0, numbers) })
    }
}

extension KMeans {
    public func transformed(numbers: ([Double]) -> [Double]) -> KMeans {
        KMeans(clusterCount: clusterCount, featureCount: featureCount, means: numbers(means), centredCentres: numbers(centredCentres),
               sizes: sizes, inertia: inertia, iterations: iterations, converged: converged)
    }
}

extension PCA {
    public func transformed(means transformMeans: ([Double]) -> [Double], components transformComponents: ([Double]) -> [Double]) -> PCA {
        PCA(copying: self, means: transformMeans(means), components: transformComponents(components))
    }

    private init(copying pca: PCA, means: [Double], components: [Double]) {
        featureCount = pca.featureCount
        sampleCount = pca.sampleCount
        self.means = means
        self.components = components
        singularValues = pca.singularValues
        explainedVariance = pca.explainedVariance
        explainedVarianceRatio = pca.explainedVarianceRatio
    }
}

extension DecisionTree {
    /// Numeric thresholds through `threshold`, node values through `numbers` (one array for the
    /// tree); with `mergingEqualLeaves`, a split whose children are leaves of equal values
    /// becomes a leaf, bottom up, and the nodes no longer reached are dropped.
    public func transformed(threshold: (Double) -> Double, numbers: ([Double]) -> [Double], mergingEqualLeaves: Bool) -> DecisionTree {
        let width = valueWidth
        var features = splitFeatures, lefts = leftChildren, values = numbers(self.values)
        var thresholds = thresholds
        for i in 0 ..< nodeCount where features[i] >= 0 && levelCounts[Int(features[i])] == nil { thresholds[i] = threshold(thresholds[i]) }
        if mergingEqualLeaves {
            // Children come after their parent, so a backward pass sees children settled first.
            for i in stride(from: nodeCount - 1, through: 0, by: -1) where features[i] >= 0 {
                let left = Int(lefts[i]), right = left + 1
                guard features[left] < 0, features[right] < 0,
                      values[left * width ..< (left + 1) * width].elementsEqual(values[right * width ..< (right + 1) * width]) else { continue }
                values.replaceSubrange(i * width ..< (i + 1) * width, with: values[left * width ..< (left + 1) * width])
                features[i] = -1
                lefts[i] = -1
            }
        }
        // Keep the nodes still reached, breadth first, each pair of children side by side.
        var order = [0], newIndex = [0: 0], position = 0
        while position < order.count {
            let i = order[position]
            position += 1
            guard features[i] >= 0 else { continue }
            for child in [Int(lefts[i]), Int(lefts[i]) + 1] {
                newIndex[child] = order.count
                order.append(child)
            }
        }
        var sets: [[Int]] = []
        var newThresholds: [Double] = []
        for i in order {
            if features[i] >= 0, levelCounts[Int(features[i])] != nil {
                newThresholds.append(Double(sets.count))
                sets.append(leftLevelSets[Int(thresholds[i])])
            } else {
                newThresholds.append(features[i] >= 0 ? thresholds[i] : 0)
            }
        }
        return DecisionTree(classCount: classCount, levelCounts: levelCounts, splitFeatures: order.map { features[$0] },
                            leftChildren: order.map { features[$0] >= 0 ? Int32(newIndex[Int(lefts[$0])]!) : -1 },
                            thresholds: newThresholds, missingGoesLeft: order.map { missingGoesLeft[$0] },
                            sampleCounts: order.map { sampleCounts[$0] }, impurities: order.map { impurities[$0] },
                            values: order.flatMap { values[$0 * width ..< ($0 + 1) * width] }, leftLevelSets: sets)
    }
}

extension RandomForest {
    public func transformed(_ transform: (DecisionTree) -> DecisionTree) -> RandomForest {
        RandomForest(trees: trees.map(transform))
    }
}

extension GradientBoostedTrees {
    /// Bin thresholds through `threshold` (kept strictly increasing: a threshold that would not
    /// be above the one before is its successor), each tree's leaf values through `numbers`;
    /// with `mergingEqualLeaves`, as `DecisionTree.transformed`.
    public func transformed(threshold: (Double) -> Double, numbers: ([Double]) -> [Double], mergingEqualLeaves: Bool) -> GradientBoostedTrees {
        let newBins = bins.map { featureBins -> FeatureBins in
            guard case .numeric(let thresholds) = featureBins else { return featureBins }
            var result: [Double] = []
            for value in thresholds {
                var mapped = threshold(value)
                if let last = result.last, mapped <= last { mapped = threshold(last.nextUp) > last ? threshold(last.nextUp) : last.nextUp }
                result.append(mapped)
            }
            return .numeric(thresholds: result)
        }
        return GradientBoostedTrees(loss: loss, classCount: classCount, baseline: baseline, bins: newBins,
                                    trees: trees.map { $0.transformed(numbers: numbers, mergingEqualLeaves: mergingEqualLeaves) },
                                    featureImportances: featureImportances, trainingLoss: trainingLoss, validationLoss: validationLoss,
                                    stoppedEarly: stoppedEarly)
    }
}

extension BoostedTree {
    func transformed(numbers: ([Double]) -> [Double], mergingEqualLeaves: Bool) -> BoostedTree {
        var feature = self.feature, value = self.value
        let leaves = (0 ..< nodeCount).filter { feature[$0] < 0 }
        for (i, mapped) in zip(leaves, numbers(leaves.map { value[$0] })) { value[i] = mapped }
        if mergingEqualLeaves {
            for i in stride(from: nodeCount - 1, through: 0, by: -1) where feature[i] >= 0 {
                guard feature[left[i]] < 0, feature[right[i]] < 0, value[left[i]] == value[right[i]] else { continue }
                feature[i] = -1
                value[i] = value[left[i]]
            }
        }
        // The nodes still reached, breadth first (children still after their parent).
        var order = [0], newIndex = [0: 0], position = 0
        while position < order.count {
            let i = order[position]
            position += 1
            guard feature[i] >= 0 else { continue }
            for child in [left[i], right[i]] {
                newIndex[child] = order.count
                order.append(child)
            }
        }
        let isSplit = order.map { feature[$0] >= 0 }
        return BoostedTree(feature: order.map { feature[$0] }, threshold: zip(order, isSplit).map { $1 ? threshold[$0] : 0 },
                           missingGoesLeft: order.map { missingGoesLeft[$0] }, leftBins: zip(order, isSplit).map { $1 ? leftBins[$0] : [] },
                           left: zip(order, isSplit).map { $1 ? newIndex[left[$0]]! : -1 },
                           right: zip(order, isSplit).map { $1 ? newIndex[right[$0]]! : -1 },
                           value: zip(order, isSplit).map { $1 ? 0 : value[$0] })
    }
}
