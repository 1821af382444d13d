/// Gradient, hessian and row count summed over the rows of a node or of one side of a split.
struct GradientSums {
    var gradient = 0.0
    var hessian = 0.0
    var count = 0

    /// Adds the sums of one more bin.
    @inline(__always)
    mutating func add(_ bin: GradientSums) {
        count += bin.count
        hessian += bin.hessian
        gradient += bin.gradient
    }

    static func - (a: GradientSums, b: GradientSums) -> GradientSums {
        GradientSums(gradient: a.gradient - b.gradient, hessian: a.hessian - b.hessian, count: a.count - b.count)
    }
}

/// The best split found for a node: which feature, which bins go left, and the children's sums
/// and Newton values (before the learning rate).
struct SplitCandidate {
    /// scikit-learn's gain: the node's loss term G·v less its children's; −1 when no split is allowed.
    var gain = -1.0
    var feature = 0
    /// At a numeric split, the highest bin that goes left.
    var threshold = 0
    var missingGoesLeft = false
    /// At a categorical split, the bins that go left (the missing bin among them when missing
    /// values go left); nil at a numeric split.
    var leftBins: [Int]?
    var left = GradientSums()
    var valueLeft = 0.0
    var valueRight = 0.0
}

/// What limits a split, as scikit-learn's `Splitter`: at least `minLeaf` rows and a hessian sum
/// of 1e-3 on each side, and a gain above 0.
struct SplitRules {
    let minLeaf: Int
    let l2: Double
    let constantHessian: Bool
    static let minHessian = 1e-3
    /// scikit-learn's minimum support (in hessian-weighted rows) for a level to be ordered at a categorical split.
    static let minLevelSupport = 10.0

    /// The Newton value −G / (H + λ) of a leaf (with scikit-learn's 1e-15 against 0/0).
    @inline(__always)
    func value(_ sums: GradientSums) -> Double {
        -sums.gradient / (sums.hessian + l2 + 1e-15)
    }
}

/// The best split of one node over every feature, scanning the histograms as scikit-learn's
/// `Splitter.find_node_split` does, so that on the same histograms it picks the same split.
struct SplitSearch {
    let rules: SplitRules
    let valueBinCounts: [Int]
    let hasMissing: [Bool]
    let isCategorical: [Bool]

    /// The node's best split (gain −1 when none is allowed); the first feature wins a tie.
    func best(histograms: UnsafePointer<Double>, node: GradientSums, value: Double) -> SplitCandidate {
        var best = SplitCandidate()
        for f in 0 ..< valueBinCounts.count {
            var candidate = SplitCandidate()
            candidate.feature = f
            let histogram = histograms + f * HistogramLayout.doublesPerFeature
            if isCategorical[f] {
                scanLevels(histogram, feature: f, node: node, value: value, into: &candidate)
            } else {
                scanLeftToRight(histogram, feature: f, node: node, value: value, into: &candidate)
                if hasMissing[f] { scanRightToLeft(histogram, feature: f, node: node, value: value, into: &candidate) }
            }
            if candidate.gain > best.gain { best = candidate }
        }
        return best
    }

    @inline(__always)
    private func sums(_ histogram: UnsafePointer<Double>, bin: Int) -> GradientSums {
        let p = histogram + bin * HistogramLayout.stride
        return GradientSums(gradient: p[0], hessian: rules.constantHessian ? p[2] : p[1], count: Int(p[2]))
    }

    /// Whether a side with these sums may be a leaf.
    @inline(__always)
    private func allows(_ side: GradientSums) -> Bool {
        side.count >= rules.minLeaf && side.hessian >= SplitRules.minHessian
    }

    /// scikit-learn's `_split_gain`: the node's loss term less its children's, in its order of operations.
    @inline(__always)
    private func gain(left: GradientSums, right: GradientSums, lossHere: Double) -> Double {
        lossHere - left.gradient * rules.value(left) - right.gradient * rules.value(right)
    }

    /// Keeps the split with `left` if it beats the candidate's gain and gains at all.
    private func accept(_ gain: Double, left: GradientSums, node: GradientSums, into candidate: inout SplitCandidate) -> Bool {
        guard gain > candidate.gain, gain > 0 else { return false }
        candidate.gain = gain
        candidate.left = left
        candidate.valueLeft = rules.value(left)
        candidate.valueRight = rules.value(node - left)
        return true
    }

    /// Moves bins one at a time, in `order`, to the side that starts empty (`growingLeft`: the
    /// left one), keeping in `candidate` the cut of largest gain; `accepted(&candidate, i)`
    /// records what the cut after the i-th bin means. Cuts with the growing side too small are skipped, and the
    /// scan stops at the first with the other side too small, as it can only shrink.
    private func scan(_ histogram: UnsafePointer<Double>, order: some Sequence<Int>, growingLeft: Bool, node: GradientSums,
                      value: Double, into candidate: inout SplitCandidate, accepted: (inout SplitCandidate, Int) -> Void) {
        let lossHere = node.gradient * value
        var growing = GradientSums()
        for (i, bin) in order.enumerated() {
            growing.add(sums(histogram, bin: bin))
            let other = node - growing
            guard allows(growing) else { continue }
            guard allows(other) else { break }
            let (left, right) = growingLeft ? (growing, other) : (other, growing)
            if accept(gain(left: left, right: right, lossHere: lossHere), left: left, node: node, into: &candidate) { accepted(&candidate, i) }
        }
    }

    /// Bins 0…b left, the rest (and missing values) right; with missing values, also every value
    /// left and only the missing ones right.
    private func scanLeftToRight(_ histogram: UnsafePointer<Double>, feature f: Int, node: GradientSums, value: Double,
                                 into candidate: inout SplitCandidate) {
        let end = valueBinCounts[f] - 1 + (hasMissing[f] ? 1 : 0)
        scan(histogram, order: 0 ..< max(end, 0), growingLeft: true, node: node, value: value, into: &candidate) { candidate, bin in
            candidate.threshold = bin
            candidate.missingGoesLeft = false
        }
    }

    /// Bins b+1… right, the rest and the missing values left (run only when there are missing values).
    private func scanRightToLeft(_ histogram: UnsafePointer<Double>, feature f: Int, node: GradientSums, value: Double,
                                 into candidate: inout SplitCandidate) {
        let top = valueBinCounts[f] - 1
        scan(histogram, order: stride(from: top, through: 1, by: -1), growingLeft: false, node: node, value: value,
             into: &candidate) { candidate, i in
            candidate.threshold = top - 1 - i
            candidate.missingGoesLeft = true
        }
    }

    /// scikit-learn's categorical split (after Fisher 1958 and LightGBM): the levels with enough
    /// support, missing as one more, are ordered by G / (H + 10) and scanned as if ordered, from
    /// each end up to the middle; the levels before the best cut go left.
    private func scanLevels(_ histogram: UnsafePointer<Double>, feature f: Int, node: GradientSums, value: Double,
                            into candidate: inout SplitCandidate) {
        let supportFactor = Double(node.count) / node.hessian
        var ordered: [(bin: Int, ratio: Double)] = []
        for bin in Array(0 ..< valueBinCounts[f]) + (hasMissing[f] ? [FeatureBins.missingBin] : []) {
            let level = sums(histogram, bin: bin)
            if level.hessian * supportFactor >= SplitRules.minLevelSupport {
                ordered.append((bin, level.gradient / (level.hessian + SplitRules.minLevelSupport)))
            }
        }
        guard ordered.count > 1 else { return }
        ordered.sort { $0.ratio < $1.ratio || ($0.ratio == $1.ratio && $0.bin < $1.bin) }
        var bestCut: (fromLow: Bool, count: Int)?
        for fromLow in [true, false] {
            let middle = (ordered.count + 1) / 2 - (fromLow ? 0 : 1)
            let bins = (fromLow ? Array(ordered) : ordered.reversed()).prefix(middle).map(\.bin)
            scan(histogram, order: bins, growingLeft: true, node: node, value: value, into: &candidate) { _, i in bestCut = (fromLow, i + 1) }
        }
        guard let bestCut else { return }
        let chosen = bestCut.fromLow ? ordered.prefix(bestCut.count) : ordered.suffix(bestCut.count)
        let leftBins = chosen.map(\.bin).sorted()
        candidate.leftBins = leftBins
        candidate.missingGoesLeft = hasMissing[f] && leftBins.last == FeatureBins.missingBin
    }
}
