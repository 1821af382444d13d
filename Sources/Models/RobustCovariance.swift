import Diagnostics
import Foundation
import Numerics
import Tabular

/// A model's coefficient covariance that does not assume the model's variance for every row:
/// heteroskedasticity-consistent (R's sandwich::vcovHC; Stata's vce(robust) is HC1 for
/// regress) or clustered (sandwich::vcovCL, Stata's vce(cluster)), for linear, unpenalised
/// binary logistic and Poisson-family fits. `summary` and `confint` then take their standard
/// errors from it, as R's lmtest::coeftest(m, vcov = …) and coefci do.
///
/// The sandwich is B M B with B = (XᵀWX)⁻¹, the fit's own unscaled covariance, and M the sum of
/// the rows' score products sᵢsᵢᵀ, sᵢ = wᵢ (yᵢ − μᵢ) μ'(ηᵢ)/V(μᵢ) xᵢ (wᵢ the case weight): the
/// residual times x for least squares and the canonical links (logit, Poisson's log), and
/// (y − μ)/(1 + μ/θ) times x for the negative binomial's log link. A dispersion cancels, as in
/// sandwich, so a quasi-Poisson fit's robust errors are its Poisson fit's.
///
/// A model keeps no rows, so the design and residuals come from its training data, as
/// `confint`'s profiles do; the data must still hold the very rows (`TrainingReplay`).
public struct RobustCovariance: Sendable, Equatable {
    /// Over the estimated (non-aliased) coefficients, row-major.
    public let matrix: [Double]
    /// How it was made: "HC1", or "clustered by firm (50 clusters), HC1".
    public let label: String
    /// The number of clusters of a clustered covariance.
    public let clusters: Int?

    /// `cluster`: the column of `data` whose values group the rows; with it `estimator` is
    /// hc1 (Stata's, the default) or hc0.
    public init(_ model: Model, named name: String, trainingData data: Dataset, dataName: String,
                estimator: SandwichCovariance.Estimator, cluster: String?) throws {
        let fit = try SandwichFit(model, named: name)
        if cluster != nil, estimator == .hc2 || estimator == .hc3 {
            throw ModelshError.usage("clustered standard errors take vcov=hc1 (Stata's vce(cluster), the default) or hc0", argument: "vcov")
        }
        let rows = try TrainingReplay.usedRows(of: model, in: data, dataName: dataName)
        let used = rows.count == data.rowCount ? data : data.selecting(rows: rows)
        let problem = try TrainingReplay(model, named: name, data: used, dataName: dataName).prepared.problem
        let kept = fit.aliased.indices.filter { !fit.aliased[$0] }
        let n = problem.designColumns.rows
        var design = Matrix(rows: n, columns: kept.count)
        var eta = problem.offset ?? [Double](repeating: 0, count: n)
        for (position, column) in kept.enumerated() {
            let values = problem.designColumns.columns[column], estimate = fit.estimates[column]
            for i in 0 ..< n { eta[i] += values[i] * estimate }
            design.values.withUnsafeMutableBufferPointer { target in
                for i in 0 ..< n { target[position * n + i] = values[i] }
            }
        }
        // Each row's score factor (sᵢ = factor · xᵢ) and working weight (for the leverages).
        var scores = [Double](repeating: 0, count: n), workingWeights = [Double](repeating: 0, count: n)
        for i in 0 ..< n {
            let weight = problem.weights?[i] ?? 1
            let (score, working) = fit.rowTerms(problem.target[i], eta[i])
            (scores[i], workingWeights[i]) = (weight * score, weight * working)
        }
        // A glm's stored (XᵀWX)⁻¹ has the weights IRLS started its last step from; the sandwich
        // takes them at the estimates, as sandwich does once the fit has converged.
        guard let bread = try fit.bread ?? SandwichCovariance.bread(design: design, workingWeights: workingWeights) else {
            throw ModelshError.data("'\(name)''s information matrix XᵀWX is singular at its estimates, so it has no robust standard errors")
        }
        if let cluster {
            let (indices, count) = try Self.clusterIndices(cluster, of: used, rows: rows, dataName: dataName)
            matrix = try SandwichCovariance.clustered(design: design, scores: scores, bread: bread, cluster: indices,
                                                      clusterCount: count, smallSample: estimator == .hc1)
            label = "clustered by \(cluster) (\(count) clusters), \(estimator.rawValue.uppercased())"
            clusters = count
        } else {
            matrix = try SandwichCovariance.heteroskedasticityConsistent(design: design, scores: scores, workingWeights: workingWeights, bread: bread,
                                                                         estimator: estimator, rowNumbers: rows)
            label = estimator.rawValue.uppercased()
            clusters = nil
        }
    }

    /// A summary's "Coefficients:" line, with `robust`'s label when its standard errors are shown.
    static func coefficientsHeading(aliasedCount: Int, robust: RobustCovariance?) -> String {
        let heading = aliasedCount == 0 ? "Coefficients" : "Coefficients: (\(aliasedCount) not defined because of singularities)"
        guard let robust else { return heading + (aliasedCount == 0 ? ":" : "") }
        return heading + ", with standard errors \(robust.label) (R's lmtest::coeftest with sandwich's \(robust.clusters == nil ? "vcovHC" : "vcovCL")):"
    }

    /// The standard errors of every term, NaN for an aliased one (`aliased` the model's flags).
    public func standardErrors(aliased: [Bool]) -> [Double] {
        let k = aliased.filter { !$0 }.count
        var position = 0
        return aliased.map { isAliased in
            guard !isAliased else { return .nan }
            defer { position += 1 }
            return matrix[position * k + position].squareRoot()
        }
    }

    /// Each used row's cluster, numbered in order of first appearance, and how many there are.
    private static func clusterIndices(_ name: String, of data: Dataset, rows: [Int], dataName: String) throws -> ([Int], Int) {
        let column = try blaming("cluster") { try data.requireColumn(name, datasetName: dataName) }
        var index: [String: Int] = [:]
        let indices = try (0 ..< data.rowCount).map { row -> Int in
            guard let value = column.text(at: row) else {
                throw ModelshError.data("column '\(name)' is missing in row \(rows[row] + 1), which the model used: every row needs its cluster", argument: "cluster")
            }
            if let known = index[value] { return known }
            index[value] = index.count
            return index.count - 1
        }
        guard index.count >= 2 else {
            throw ModelshError.data("column '\(name)' has \(index.count) value in the rows the model used; clustering needs two clusters or more", argument: "cluster")
        }
        return (indices, index.count)
    }
}

/// What the sandwich needs from a fit of a kind that has one: its estimates, which are aliased,
/// a least squares fit's bread (XᵀX)⁻¹ over the estimated ones (a glm's is formed at its
/// estimates), and for a row its score factor and working weight from its target y and linear
/// predictor η (before case weights).
private struct SandwichFit {
    let estimates: [Double]
    let aliased: [Bool]
    let bread: [Double]?
    let rowTerms: @Sendable (_ y: Double, _ eta: Double) -> (score: Double, workingWeight: Double)

    init(_ model: Model, named name: String) throws {
        switch model.state {
        case let linear as LinearRegression.Learned:
            guard !linear.residualQuantiles.isEmpty else {
                throw ModelshError.usage("'\(name)' was updated or fitted from a file in chunks, so its rows cannot be gone through again for robust standard errors; fit it on the data", argument: name)
            }
            (estimates, aliased, bread) = (linear.estimates, linear.aliased, linear.unscaledCovariance)
            rowTerms = { y, eta in (y - eta, 1) }
        case let logistic as LogisticState where logistic.modelledClasses.count == 1 && logistic.standardErrors != nil:
            (estimates, aliased, bread) = (logistic.coefficients[0], logistic.aliased, nil)
            rowTerms = { y, eta in
                let mu = 1 / (1 + exp(-eta))
                return (y - mu, mu * (1 - mu))
            }
        case let poisson as PoissonState:
            (estimates, aliased, bread) = (poisson.coefficients, poisson.aliased, nil)
            // The negative binomial's log link is not its canonical one: the score carries μ'/V.
            let theta = poisson.negativeBinomial?.familyTheta
            rowTerms = { y, eta in
                let mu = exp(eta), shrink = theta.map { 1 + mu / $0 } ?? 1
                return ((y - mu) / shrink, mu / shrink)
            }
        default:
            throw ModelshError.usage("robust standard errors (vcov=, cluster=) are for linear, unpenalised binary logistic and Poisson models; '\(name)' is \(model.state is LogisticState ? "a penalised or multinomial logistic" : "a \(model.kind)") model", argument: name)
        }
    }
}
