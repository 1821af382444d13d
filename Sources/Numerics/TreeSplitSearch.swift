import Foundation

/// The best split found so far at a node.
struct SplitChoice {
    /// The criterion's proxy of the children's weighted impurity, larger is better (see `proxy`).
    var proxy = -Double.infinity
    var feature = -1
    var missingGoesLeft = false
    /// Numeric: the rows whose code is at most this go left, and the threshold that says so in values.
    var lastLeftCode = 0
    var threshold = 0.0
    /// Categorical: the levels that go left, sorted.
    var leftLevels: [Int] = []
}

extension TreeBuilder {
    /// The best split of the node among its features, or nil when none is allowed. With a
    /// subset of features per split, features are drawn without replacement until
    /// `featuresPerSplit` of them have been found not constant in the node (scikit-learn does
    /// not count a constant one either), so the subset is drawn by a partial Fisher–Yates shuffle.
    mutating func bestSplit(_ start: Int, _ end: Int, _ generator: inout Xoshiro256StarStar) -> SplitChoice? {
        var best = SplitChoice()
        let p = featureOrder.count
        var evaluated = 0
        for i in 0 ..< p where evaluated < featuresPerSplit {
            if featuresPerSplit < p { featureOrder.swapAt(i, i + Int(generator.bounded(UInt64(p - i)))) }
            if evaluate(featureOrder[i], start, end, &best) { evaluated += 1 }
        }
        return best.feature >= 0 ? best : nil
    }

    /// Tries every split of the node on feature `f`, keeping in `best` one that beats it; false
    /// when the feature is constant in the node (one code and nothing missing, or all missing).
    private mutating func evaluate(_ f: Int, _ start: Int, _ end: Int, _ best: inout SplitChoice) -> Bool {
        let groupCount = collectGroups(f, start, end)
        guard groupCount >= 2 || (groupCount == 1 && missingRows > 0) else { return false }
        if features.isCategorical[f] {
            // Regression and two classes: one order, by mean target / share of class 1 (exact);
            // more classes: one order per class, by its share (a heuristic).
            let orders = classCount > 2 ? Array(0 ..< classCount) : [classCount == 2 ? 1 : 0]
            for column in orders {
                let keys = (0 ..< groupCount).map { groupSums[$0 * width + column] / groupWeights[$0] }
                let sorted = (0 ..< groupCount).sorted { (keys[$0], $0) < (keys[$1], $1) }
                for position in 0 ..< groupCount { order[position] = sorted[position] }
                guard let (boundary, missingLeft) = scan(groupCount, beating: &best.proxy) else { continue }
                var left = [Bool](repeating: missingLeft, count: features.codeCounts[f])
                for g in 0 ..< groupCount { left[groupCodes[g]] = false }
                for position in 0 ... boundary { left[groupCodes[order[position]]] = true }
                best.feature = f
                best.missingGoesLeft = missingLeft
                best.leftLevels = left.indices.filter { left[$0] }
            }
        } else {
            for g in 0 ..< groupCount { order[g] = g }
            guard let (boundary, missingLeft) = scan(groupCount, beating: &best.proxy) else { return true }
            best.feature = f
            best.missingGoesLeft = missingLeft
            best.lastLeftCode = groupCodes[boundary]
            best.threshold = boundary == groupCount - 1
                ? .greatestFiniteMagnitude  // the rows present against the missing ones
                : features.threshold(feature: f, between: groupCodes[boundary], and: groupCodes[boundary + 1])
        }
        return true
    }

    /// Groups the node's rows by their code of feature `f` (codes present, increasing; the
    /// missing rows apart) and returns the number of groups. A histogram over all codes when the
    /// node has many rows for the codes, a sort of the node's codes when it has few.
    private mutating func collectGroups(_ f: Int, _ start: Int, _ end: Int) -> Int {
        let m = end - start, missingCode = features.codeCounts[f]
        if m * 8 >= missingCode {
            fillHistogram(f, start, end)
            var groupCount = 0
            for code in 0 ..< missingCode where histogramRows[code] > 0 {
                groupCodes[groupCount] = code
                groupRows[groupCount] = Int(histogramRows[code])
                groupWeights[groupCount] = histogramWeights[code]
                for s in 0 ..< width { groupSums[groupCount * width + s] = histogramSums[code * width + s] }
                groupCount += 1
            }
            missingRows = Int(histogramRows[missingCode])
            missingWeight = histogramWeights[missingCode]
            for s in 0 ..< width { missingSums[s] = histogramSums[missingCode * width + s] }
            return groupCount
        }
        let codes = features.codes[f]
        for k in 0 ..< m { sortKeys[k] = UInt64(codes[Int(rows[start + k])]) << 32 | UInt64(k) }
        sortKeys[0 ..< m].sort()
        var groupCount = 0
        missingRows = 0
        missingWeight = 0
        for s in 0 ..< width { missingSums[s] = 0 }
        for key in sortKeys[0 ..< m] {
            let code = Int(key >> 32), k = Int(key & 0xFFFF_FFFF), w = nodeWeights[k]
            let sumIndex = classCount > 0 ? Int(nodeClasses[k]) : 0, sum = classCount > 0 ? w : w * nodeTargets[k]
            if code == missingCode {
                missingRows += 1
                missingWeight += w
                missingSums[sumIndex] += sum
                continue
            }
            if groupCount == 0 || groupCodes[groupCount - 1] != code {
                groupCodes[groupCount] = code
                groupRows[groupCount] = 0
                groupWeights[groupCount] = 0
                for s in 0 ..< width { groupSums[groupCount * width + s] = 0 }
                groupCount += 1
            }
            groupRows[groupCount - 1] += 1
            groupWeights[groupCount - 1] += w
            groupSums[(groupCount - 1) * width + sumIndex] += sum
        }
        return groupCount
    }

    /// Row counts, weights and sums of the node's rows per code of feature `f`: the one loop
    /// over every row of every node, so written over raw buffers.
    private mutating func fillHistogram(_ f: Int, _ start: Int, _ end: Int) {
        let slots = features.codeCounts[f] + 1, width = width, m = end - start
        let responseIsClass = classCount > 0
        features.codes[f].withUnsafeBufferPointer { codes in
            rows.withUnsafeBufferPointer { rows in
                nodeWeights.withUnsafeBufferPointer { weights in
                    nodeClasses.withUnsafeBufferPointer { classes in
                        nodeTargets.withUnsafeBufferPointer { targets in
                            histogramRows.withUnsafeMutableBufferPointer { counts in
                                histogramWeights.withUnsafeMutableBufferPointer { histogramWeights in
                                    histogramSums.withUnsafeMutableBufferPointer { sums in
                                        for code in 0 ..< slots {
                                            counts[code] = 0
                                            histogramWeights[code] = 0
                                        }
                                        for i in 0 ..< slots * width { sums[i] = 0 }
                                        let rows = rows.baseAddress! + start
                                        if responseIsClass {
                                            for k in 0 ..< m {
                                                let code = Int(codes[Int(rows[k])]), w = weights[k]
                                                counts[code] &+= 1
                                                histogramWeights[code] += w
                                                sums[code * width + Int(classes[k])] += w
                                            }
                                        } else {
                                            for k in 0 ..< m {
                                                let code = Int(codes[Int(rows[k])]), w = weights[k]
                                                counts[code] &+= 1
                                                histogramWeights[code] += w
                                                sums[code] += w * targets[k]
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Tries the splits of the groups taken in `order`: a prefix goes left, the rest right.
    /// Missing rows go right first (and then the split of every present row against the missing
    /// ones is tried too), then left, as scikit-learn tries them. A split must leave `minLeaf`
    /// rows on each side and beat `best` strictly, so among equals the first found wins. Returns
    /// the last group going left and where missing values go, when a split beat `best` (raised).
    private mutating func scan(_ groupCount: Int, beating best: inout Double) -> (boundary: Int, missingGoesLeft: Bool)? {
        var found: (boundary: Int, missingGoesLeft: Bool)?
        let minLeaf = parameters.minLeaf
        for pass in 0 ..< (missingRows > 0 ? 2 : 1) {
            let missingLeft = pass == 1
            var leftRows = missingLeft ? missingRows : 0
            var leftWeight = missingLeft ? missingWeight : 0
            for s in 0 ..< width { leftSums[s] = missingLeft ? missingSums[s] : 0 }
            let boundaries = missingRows > 0 && !missingLeft ? groupCount : groupCount - 1
            for position in 0 ..< boundaries {
                let g = order[position]
                leftRows += groupRows[g]
                leftWeight += groupWeights[g]
                for s in 0 ..< width { leftSums[s] += groupSums[g * width + s] }
                let rightRows = nodeRowCount - leftRows
                if rightRows < minLeaf { break }
                if leftRows < minLeaf { continue }
                let candidate = proxy(leftWeight: leftWeight, rightWeight: nodeWeight - leftWeight)
                if candidate > best {
                    best = candidate
                    // Without missing rows in training, missing values will go to the bigger child.
                    found = (position, missingRows > 0 ? missingLeft : leftRows > rightRows)
                }
            }
        }
        return found
    }

    /// −(w_left · impurity_left + w_right · impurity_right) up to terms that are the same for every
    /// split of the node (larger is better), from `leftSums` and the node's `totalSums`:
    /// gini Σₖ L²ₖ/w_L + Σₖ R²ₖ/w_R; entropy Σₖ (Lₖ ln Lₖ + Rₖ ln Rₖ) − w_L ln w_L − w_R ln w_R;
    /// squared error S²_L/w_L + S²_R/w_R for the sums S of the (centred) target.
    private func proxy(leftWeight: Double, rightWeight: Double) -> Double {
        switch parameters.criterion {
        case .gini:
            var left = 0.0, right = 0.0
            for s in 0 ..< width {
                let l = leftSums[s], r = totalSums[s] - l
                left += l * l
                right += r * r
            }
            return left / leftWeight + right / rightWeight
        case .entropy:
            func xLogX(_ x: Double) -> Double { x > 0 ? x * log(x) : 0 }
            var sum = 0.0
            for s in 0 ..< width { sum += xLogX(leftSums[s]) + xLogX(totalSums[s] - leftSums[s]) }
            return sum - xLogX(leftWeight) - xLogX(rightWeight)
        case .squaredError:
            let l = leftSums[0], r = totalSums[0] - l
            return l * l / leftWeight + r * r / rightWeight
        }
    }
}
