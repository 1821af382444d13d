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
    /// The best split of the node among its features, or nil when none is allowed. Features are
    /// drawn without replacement (in a random order by a partial Fisher–Yates shuffle when
    /// `shufflesFeatures`, else in index order), as scikit-learn's splitter draws them: every
    /// feature drawn counts toward `featuresPerSplit`, a constant one in the node too, and
    /// past that count features are drawn one at a time only until one is not constant
    /// (`_splitter.pyx`: n_visited_features counts constants). Drawing on until that many were
    /// not constant made deep nodes, whose rows often share a bin of a feature, choose among more
    /// features than scikit-learn's. Features are drawn as a batch, the batch's histograms
    /// filled in one pass over the node's rows, and the features tried in the order drawn.
    mutating func bestSplit(_ start: Int, _ end: Int, _ generator: inout Xoshiro256StarStar) -> SplitChoice? {
        var best = SplitChoice()
        let p = featureOrder.count
        var evaluated = 0, drawn = 0
        while drawn < p && (drawn < featuresPerSplit || evaluated == 0) {
            let batchStart = drawn, batchSize = max(1, featuresPerSplit - drawn)
            while drawn < p && drawn - batchStart < batchSize {
                if shufflesFeatures { featureOrder.swapAt(drawn, drawn + Int(generator.bounded(UInt64(p - drawn)))) }
                drawn += 1
            }
            var chunkStart = batchStart
            while chunkStart < drawn {
                let chunkEnd = assignHistograms(featureOrder[chunkStart ..< drawn], rowCount: end - start)
                fillHistograms(count: chunkEnd - chunkStart, start, end)
                for j in 0 ..< chunkEnd - chunkStart where evaluate(j, start, end, &best) { evaluated += 1 }
                chunkStart = chunkEnd
            }
        }
        return best.feature >= 0 ? best : nil
    }

    /// Puts the next features of the batch into `batchFeatures`, each with a histogram slot when
    /// the node has enough rows for its codes (-1 otherwise: its codes will be sorted), as many as
    /// there are histograms. Returns the position in the batch after the last one taken.
    private func assignHistograms(_ features: ArraySlice<Int>, rowCount m: Int) -> Int {
        var histograms = 0, taken = 0
        for f in features {
            let useHistogram = m * 8 >= self.features.codeCounts[f]
            if useHistogram && histograms == scratch.histogramCapacity { break }
            scratch.batchFeatures[taken] = f
            scratch.batchHistograms[taken] = useHistogram ? histograms : -1
            if useHistogram { histograms += 1 }
            taken += 1
        }
        return features.startIndex + taken
    }

    /// The histograms of the batch's features that have one, in one pass over the node's rows.
    private func fillHistograms(count: Int, _ start: Int, _ end: Int) {
        let s = scratch, p = features.featureCount, width = width, histogramSize = s.slots * width
        var histogramFeatures: [(feature: Int, cells: Int, targets: Int)] = []
        for j in 0 ..< count where s.batchHistograms[j] >= 0 {
            histogramFeatures.append((s.batchFeatures[j], s.batchHistograms[j] * histogramSize, s.batchHistograms[j] * s.slots))
            let slots = features.codeCounts[s.batchFeatures[j]] + 1
            (s.histogramCountsAndWeights + s.batchHistograms[j] * histogramSize).update(repeating: 0, count: slots * width)
            if classCount == 0 { (s.histogramTargets + s.batchHistograms[j] * s.slots).update(repeating: 0, count: slots) }
        }
        guard !histogramFeatures.isEmpty else { return }
        let rows = s.rows + start, m = end - start, cells = s.histogramCountsAndWeights
        let countAndWeight = s.countAndWeight + start, classes = s.classes + start, weightedTargets = s.weightedTargets + start
        features.codes.withUnsafeBufferPointer { codes in
            histogramFeatures.withUnsafeBufferPointer { batch in
                if classCount > 0 {
                    for k in 0 ..< m {
                        let line = codes.baseAddress! + Int(rows[k]) * p, cell = countAndWeight[k], c = Int(classes[k])
                        for (f, offset, _) in batch { cells[offset + Int(line[f]) * width + c] &+= cell }
                    }
                } else {
                    let targets = s.histogramTargets
                    for k in 0 ..< m {
                        let line = codes.baseAddress! + Int(rows[k]) * p, cell = countAndWeight[k], y = weightedTargets[k]
                        for (f, cellOffset, targetOffset) in batch {
                            let code = Int(line[f])
                            cells[cellOffset + code] &+= cell
                            targets[targetOffset + code] += y
                        }
                    }
                }
            }
        }
    }

    /// Tries every split of the node on the batch's feature j, keeping in `best` one that beats
    /// it; false when the feature is constant in the node (one code and nothing missing, or all missing).
    private mutating func evaluate(_ j: Int, _ start: Int, _ end: Int, _ best: inout SplitChoice) -> Bool {
        let f = scratch.batchFeatures[j], histogram = scratch.batchHistograms[j]
        let groupCount = histogram >= 0 ? groupsFromHistogram(f, histogram) : groupsBySorting(f, start, end)
        guard groupCount >= 2 || (groupCount == 1 && missingRows > 0) else { return false }
        let groupCodes = scratch.groupCodes, order = scratch.order
        if features.isCategorical[f] {
            // Regression and two classes: one order, by mean target / share of class 1 (exact);
            // more classes: one order per class, by its share (a heuristic).
            let orders = classCount > 2 ? Array(0 ..< classCount) : [classCount == 2 ? 1 : 0]
            for column in orders {
                let keys = (0 ..< groupCount).map { scratch.groupSums[$0 * width + column] / scratch.groupWeights[$0] }
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

    /// The groups of feature f (codes present, increasing; the missing rows apart) from its
    /// histogram; returns their number.
    private mutating func groupsFromHistogram(_ f: Int, _ histogram: Int) -> Int {
        let s = scratch, width = width, missingCode = features.codeCounts[f], isClass = classCount > 0
        let cells = s.histogramCountsAndWeights + histogram * s.slots * width, targets = s.histogramTargets + histogram * s.slots
        let groupCodes = s.groupCodes, groupRows = s.groupRows, groupWeights = s.groupWeights, groupSums = s.groupSums
        let missingSums = s.missingSums
        var groupCount = 0
        for code in 0 ... missingCode {
            var rows: UInt64 = 0, weight: UInt64 = 0
            for k in 0 ..< width {
                rows += cells[code * width + k] >> 32
                weight += cells[code * width + k] & 0xFFFF_FFFF
            }
            if code == missingCode {
                missingRows = Int(rows)
                missingWeight = Double(weight)
                for k in 0 ..< width { missingSums[k] = isClass ? Double(cells[code * width + k] & 0xFFFF_FFFF) : targets[code] }
            } else if rows > 0 {
                groupCodes[groupCount] = code
                groupRows[groupCount] = Int(rows)
                groupWeights[groupCount] = Double(weight)
                for k in 0 ..< width {
                    groupSums[groupCount * width + k] = isClass ? Double(cells[code * width + k] & 0xFFFF_FFFF) : targets[code]
                }
                groupCount += 1
            }
        }
        return groupCount
    }

    /// The groups of feature f by sorting the node's codes, for a node with few rows for its
    /// codes; returns their number.
    private mutating func groupsBySorting(_ f: Int, _ start: Int, _ end: Int) -> Int {
        let s = scratch, width = width, m = end - start, p = features.featureCount, missingCode = features.codeCounts[f]
        let isClass = classCount > 0, rows = s.rows + start
        let groupCodes = s.groupCodes, groupRows = s.groupRows, groupWeights = s.groupWeights, groupSums = s.groupSums
        let missingSums = s.missingSums, sortKeys = s.sortKeys, countAndWeight = s.countAndWeight, classes = s.classes
        let weightedTargets = s.weightedTargets
        features.codes.withUnsafeBufferPointer { codes in
            for k in 0 ..< m { sortKeys[k] = UInt64(codes[Int(rows[k]) * p + f]) << 32 | UInt64(k) }
        }
        sortSmall(sortKeys, m)
        var groupCount = 0, missing = 0, missingWeight = 0.0
        missingSums.update(repeating: 0, count: width)
        for position in 0 ..< m {
            let key = sortKeys[position]
            let code = Int(key >> 32), k = start + Int(key & 0xFFFF_FFFF), w = Double(countAndWeight[k] & 0xFFFF_FFFF)
            let sumIndex = isClass ? Int(classes[k]) : 0, sum = isClass ? w : weightedTargets[k]
            if code == missingCode {
                missing += 1
                missingWeight += w
                missingSums[sumIndex] += sum
                continue
            }
            if groupCount == 0 || groupCodes[groupCount - 1] != code {
                groupCodes[groupCount] = code
                groupRows[groupCount] = 0
                groupWeights[groupCount] = 0
                (groupSums + groupCount * width).update(repeating: 0, count: width)
                groupCount += 1
            }
            groupRows[groupCount - 1] += 1
            groupWeights[groupCount - 1] += w
            groupSums[(groupCount - 1) * width + sumIndex] += sum
        }
        missingRows = missing
        self.missingWeight = missingWeight
        return groupCount
    }

    /// Tries the splits of the groups taken in `order`: a prefix goes left, the rest right.
    /// Missing rows go right first (and then the split of every present row against the missing
    /// ones is tried too), then left, as scikit-learn tries them. A split must leave `minLeaf`
    /// rows on each side and beat `best` strictly, so among equals the first found wins. Returns
    /// the last group going left and where missing values go, when a split beat `best` (raised).
    private func scan(_ groupCount: Int, beating best: inout Double) -> (boundary: Int, missingGoesLeft: Bool)? {
        var found: (boundary: Int, missingGoesLeft: Bool)?
        let minLeaf = parameters.minLeaf, width = width, s = scratch, criterion = parameters.criterion
        let groupRows = s.groupRows, groupWeights = s.groupWeights, groupSums = s.groupSums, order = s.order
        let missingSums = s.missingSums, leftSums = s.leftSums, totalSums = s.totalSums
        for pass in 0 ..< (missingRows > 0 ? 2 : 1) {
            let missingLeft = pass == 1
            var leftRows = missingLeft ? missingRows : 0
            var leftWeight = missingLeft ? missingWeight : 0
            if missingLeft {
                leftSums.update(from: missingSums, count: width)
            } else {
                leftSums.update(repeating: 0, count: width)
            }
            let boundaries = missingRows > 0 && !missingLeft ? groupCount : groupCount - 1
            for position in 0 ..< boundaries {
                let g = order[position]
                leftRows += groupRows[g]
                leftWeight += groupWeights[g]
                for k in 0 ..< width { leftSums[k] += groupSums[g * width + k] }
                let rightRows = nodeRowCount - leftRows
                if rightRows < minLeaf { break }
                if leftRows < minLeaf { continue }
                let candidate = Self.proxy(criterion, width: width, left: leftSums, total: totalSums,
                                           leftWeight: leftWeight, rightWeight: nodeWeight - leftWeight)
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
    /// split of the node (larger is better), from the left child's sums and the node's:
    /// gini Σₖ L²ₖ/w_L + Σₖ R²ₖ/w_R; entropy Σₖ (Lₖ ln Lₖ + Rₖ ln Rₖ) − w_L ln w_L − w_R ln w_R;
    /// squared error S²_L/w_L + S²_R/w_R for the sums S of the (centred) target.
    @inline(__always)
    private static func proxy(_ criterion: SplitCriterion, width: Int, left sums: UnsafeMutablePointer<Double>,
                              total: UnsafeMutablePointer<Double>, leftWeight: Double, rightWeight: Double) -> Double {
        switch criterion {
        case .gini:
            var left = 0.0, right = 0.0
            for k in 0 ..< width {
                let l = sums[k], r = total[k] - l
                left += l * l
                right += r * r
            }
            return left / leftWeight + right / rightWeight
        case .entropy:
            func xLogX(_ x: Double) -> Double { x > 0 ? x * log(x) : 0 }
            var sum = 0.0
            for k in 0 ..< width { sum += xLogX(sums[k]) + xLogX(total[k] - sums[k]) }
            return sum - xLogX(leftWeight) - xLogX(rightWeight)
        case .squaredError:
            let l = sums[0], r = total[0] - l
            return l * l / leftWeight + r * r / rightWeight
        }
    }
}

/// Sorts the first `count` keys: insertion sort for the few keys of a small node, the standard
/// library's sort otherwise.
private func sortSmall(_ keys: UnsafeMutablePointer<UInt64>, _ count: Int) {
    guard count > 32 else {
        for i in 1 ..< max(1, count) {
            let key = keys[i]
            var j = i
            while j > 0 && keys[j - 1] > key {
                keys[j] = keys[j - 1]
                j -= 1
            }
            keys[j] = key
        }
        return
    }
    var buffer = UnsafeMutableBufferPointer(start: keys, count: count)
    buffer.sort()
}
