import Diagnostics

/// The rounds of one fit: raw scores of the training and validation rows, gradients, the trees
/// so far, losses and importances.
struct BoostingRounds {
    let loss: BoostingLoss
    let classCount: Int
    let parameters: GradientBoostingParameters
    let threads: Int
    let training: BinnedRows
    let trainingTargets: [Double]
    let validation: BinnedRows
    let validationTargets: [Double]
    let baseline: [Double]
    var trees: [BoostedTree] = []
    var importances: [Double]
    var trainingLoss: [Double] = []
    var validationLoss: [Double] = []
    var stoppedEarly = false
    private var trainingScores: [Double]
    private var validationScores: [Double]

    /// `start`: an ensemble's baseline and its raw scores for the training rows, to go on from
    /// (no validation rows then); nil to start from the targets' baseline.
    init(loss: BoostingLoss, classCount: Int, parameters: GradientBoostingParameters, threads: Int,
         training: BinnedRows, trainingTargets: [Double], validation: BinnedRows, validationTargets: [Double],
         start: (baseline: [Double], scores: [Double])? = nil) {
        self.loss = loss
        self.classCount = classCount
        self.parameters = parameters
        self.threads = threads
        self.training = training
        self.trainingTargets = trainingTargets
        self.validation = validation
        self.validationTargets = validationTargets
        baseline = start?.baseline ?? loss.baseline(targets: trainingTargets, classCount: classCount)
        importances = [Double](repeating: 0, count: training.featureCount)
        trainingScores = start?.scores ?? baseline.flatMap { [Double](repeating: $0, count: training.rows) }
        validationScores = baseline.flatMap { [Double](repeating: $0, count: validation.rows) }
    }

    mutating func run(grower: TreeGrower, progress: (@Sendable (Int, Int) -> Void)?) throws {
        let n = training.rows, perRound = loss.treesPerRound(classCount: classCount)
        var gradients = [Float](repeating: 0, count: perRound * n)
        var hessians = [Float](repeating: 0, count: loss.hasConstantHessian ? 0 : perRound * n)
        if validation.rows > 0 { validationLoss.append(meanLoss(validationScores, validationTargets, rows: validation.rows)) }
        for round in 0 ..< parameters.rounds {
            try Interruption.check()
            // The loss of the scores so far, and the gradients the next trees fit, in one pass.
            trainingLoss.append(gradients.withUnsafeMutableBufferPointer { g in
                hessians.withUnsafeMutableBufferPointer { h in
                    meanLoss(trainingScores, trainingTargets, rows: n, gradients: g.baseAddress, hessians: h.isEmpty ? nil : h.baseAddress)
                }
            })
            for k in 0 ..< perRound {
                let tree = gradients.withUnsafeBufferPointer { g in
                    hessians.withUnsafeBufferPointer { h in
                        grower.grow(gradients: g.baseAddress! + k * n, hessians: h.isEmpty ? nil : h.baseAddress! + k * n,
                                    shrinkage: parameters.learningRate, importances: &importances)
                    }
                }
                trainingScores.withUnsafeMutableBufferPointer { grower.addLeafValues(of: tree, to: $0.baseAddress! + k * n) }
                if validation.rows > 0 { addPredictions(of: CompiledTree(tree), to: &validationScores, offset: k * validation.rows) }
                trees.append(tree)
            }
            progress?(round + 1, parameters.rounds)
            if validation.rows > 0 {
                validationLoss.append(meanLoss(validationScores, validationTargets, rows: validation.rows))
                if shouldStop() {
                    stoppedEarly = true
                    break
                }
            }
        }
        trainingLoss.append(meanLoss(trainingScores, trainingTargets, rows: n))
    }

    /// Adds a new tree's values for the validation rows to their scores (from `offset`), a block of rows per work unit.
    private func addPredictions(of tree: CompiledTree, to scores: inout [Double], offset: Int) {
        let (validation, blocks) = (validation, RowBlocks(rows: validation.rows))
        scores.withUnsafeMutableBufferPointer { scores in
            nonisolated(unsafe) let scores = scores.baseAddress! + offset
            ConcurrentWork.run(blocks.count, threads: threads) { tree.add(validation, rows: blocks.range($0), to: scores) }
        }
    }

    /// scikit-learn's `_should_stop`: none of the last `patience` losses is below the one before
    /// them by more than the tolerance.
    private func shouldStop() -> Bool {
        let losses = validationLoss, patience = parameters.patience
        guard losses.count > patience else { return false }
        let reference = losses[losses.count - patience - 1]
        return !losses.suffix(patience).contains { $0 < reference - parameters.tolerance }
    }

    /// The mean loss of `scores` against `targets` (n rows), writing each row's gradients and
    /// hessians when buffers are given.
    private func meanLoss(_ scores: [Double], _ targets: [Double], rows n: Int,
                          gradients: UnsafeMutablePointer<Float>? = nil, hessians: UnsafeMutablePointer<Float>? = nil) -> Double {
        let (loss, classCount, threads) = (self.loss, self.classCount, self.threads)
        return scores.withUnsafeBufferPointer { raw in
            targets.withUnsafeBufferPointer { targets in
                nonisolated(unsafe) let (raw, targets, gradients, hessians) = (raw.baseAddress!, targets.baseAddress!, gradients, hessians)
                return RowBlocks(rows: n).sum(threads: threads) { rows in
                    loss.pass(raw: raw, targets: targets, n: n, classCount: classCount, range: rows, gradients: gradients, hessians: hessians)
                } / Double(n)
            }
        }
    }
}
