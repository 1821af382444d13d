import Diagnostics
import Tabular

/// A model's predictions beside the target, over the rows of a dataset that have both: what
/// residual, ROC and confusion plots draw.
public enum ScoredRows: Sendable, Equatable {
    case values(actual: [Double], predicted: [Double])
    /// Each row's class index and, per class, its probability.
    case classes(actual: [Int], probabilities: [[Double]], labels: [String])

    public var count: Int {
        switch self {
        case .values(let actual, _): actual.count
        case .classes(let actual, _, _): actual.count
        }
    }
}

extension Model {
    /// The target and the prediction of every row of `data` that has both (rows missing
    /// either are left out, as `evaluate` skips them). Throws for a model without a target.
    public func scoredRows(on data: Dataset) throws -> (rows: ScoredRows, skipped: Int) {
        guard schema.target != nil else {
            throw ModelshError.usage("a \(kind) model has no target to compare its output with")
        }
        let column = try targetColumn(in: data)
        switch try predict(on: data) {
        case .values(let predicted):
            let actual = try targetNumbers(column)
            let rows = actual.indices.filter { !column.isMissing($0) && !predicted[$0].isNaN }
            return (.values(actual: rows.map { actual[$0] }, predicted: rows.map { predicted[$0] }), actual.count - rows.count)
        case .classes(let classes):
            let actual = try ClassLabels(schema.classes).indices(of: column)
            let rows = actual.indices.filter { actual[$0] >= 0 && !classes.probabilities[0][$0].isNaN }
            return (.classes(actual: rows.map { actual[$0] }, probabilities: classes.probabilities.map { p in rows.map { p[$0] } },
                             labels: classes.labels), actual.count - rows.count)
        case .clusters, .components:
            throw ModelshError(.software, "a model with a target predicted clusters or components")
        }
    }
}
