import Diagnostics
import Numerics
import Tabular

/// A linear model's coefficient covariance that does not assume one error variance for every
/// row: heteroskedasticity-consistent (R's sandwich::vcovHC, Stata's vce(robust) = HC1) or
/// clustered (sandwich::vcovCL, Stata's vce(cluster)). `summary` and `confint` then take their
/// standard errors from it, as R's lmtest::coeftest(m, vcov = …) and coefci do.
///
/// A model keeps no rows, so the design and residuals come from its training data, as
/// `confint`'s profiles do; the data must still hold the very rows (`TrainingReplay`).
public struct RobustCovariance: Sendable, Equatable {
    /// Over the estimated (non-aliased) coefficients, row-major, as
    /// `LinearRegression.Learned.unscaledCovariance` (which is this without the meat).
    public let matrix: [Double]
    /// How it was made: "HC1", or "clustered by firm (50 clusters), HC1".
    public let label: String
    /// The number of clusters of a clustered covariance.
    public let clusters: Int?

    /// `cluster`: the column of `data` whose values group the rows; with it `estimator` is
    /// hc1 (Stata's, the default) or hc0.
    public init(_ model: Model, named name: String, trainingData data: Dataset, dataName: String,
                estimator: SandwichCovariance.Estimator, cluster: String?) throws {
        guard let fit = model.state as? LinearRegression.Learned else {
            throw ModelshError.usage("robust standard errors (vcov=, cluster=) are for linear models; '\(name)' is a \(model.kind) model", argument: name)
        }
        guard !fit.residualQuantiles.isEmpty else {
            throw ModelshError.usage("'\(name)' was updated or fitted from a file in chunks, so its rows cannot be gone through again for robust standard errors; fit it on the data", argument: name)
        }
        if cluster != nil, estimator == .hc2 || estimator == .hc3 {
            throw ModelshError.usage("clustered standard errors take vcov=hc1 (Stata's vce(cluster), the default) or hc0", argument: "vcov")
        }
        let rows = try TrainingReplay.usedRows(of: model, in: data, dataName: dataName)
        let used = rows.count == data.rowCount ? data : data.selecting(rows: rows)
        let problem = try TrainingReplay(model, named: name, data: used, dataName: dataName).prepared.problem
        let kept = fit.aliased.indices.filter { !fit.aliased[$0] }
        let n = problem.designColumns.rows
        // The weighted rows √w·x and residuals √w·(y − offset − x b), as sandwich takes a weighted lm.
        let root = problem.weights?.map { $0.squareRoot() }
        var residuals = problem.target
        if let offset = problem.offset { for i in 0 ..< n { residuals[i] -= offset[i] } }
        var design = Matrix(rows: n, columns: kept.count)
        for (position, column) in kept.enumerated() {
            let values = problem.designColumns.columns[column], estimate = fit.estimates[column]
            for i in 0 ..< n {
                residuals[i] -= values[i] * estimate
                design.values[position * n + i] = values[i] * (root?[i] ?? 1)
            }
        }
        if let root { for i in 0 ..< n { residuals[i] *= root[i] } }
        if let cluster {
            let (indices, count) = try Self.clusterIndices(cluster, of: used, rows: rows, dataName: dataName)
            matrix = try SandwichCovariance.clustered(design: design, residuals: residuals, bread: fit.unscaledCovariance, cluster: indices,
                                                      clusterCount: count, smallSample: estimator == .hc1)
            label = "clustered by \(cluster) (\(count) clusters), \(estimator.rawValue.uppercased())"
            clusters = count
        } else {
            matrix = try SandwichCovariance.heteroskedasticityConsistent(design: design, residuals: residuals, bread: fit.unscaledCovariance,
                                                                         estimator: estimator, rowNumbers: rows)
            label = estimator.rawValue.uppercased()
            clusters = nil
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
