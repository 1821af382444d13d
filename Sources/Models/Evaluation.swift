import Diagnostics
import Numerics
import Tabular

extension Model {
    /// Metrics suited to the task, on `data` (which must hold the target column). Rows whose
    /// target or prediction is missing are skipped and counted in the "skipped" metric.
    public func evaluate(on data: Dataset) throws -> [Metric] {
        let (prediction, inputsPresent) = try scored(data)
        guard let column = data.column(named: schema.target.name) else {
            throw ModelshError.usage("the data has no column '\(schema.target.name)', the target the model was trained on")
        }
        switch prediction {
        case .values(let predicted):
            guard column.type.isNumeric, let actual = column.numbers else {
                throw ModelshError.data("target '\(column.name)' is \(column.type.rawValue) here but was \(schema.target.type.rawValue) in training")
            }
            return try RegressionMetrics.metrics(actual: actual.indices.map { column.isMissing($0) ? .nan : actual[$0] }, predicted: predicted,
                                                 inputsPresent: inputsPresent)
        case .classes(let classes):
            let actual = try ClassLabels(schema.classes).indices(of: column)
            _ = (actual, classes)
            throw ModelshError(.software, "TEMP: classification metrics not wired")
        }
    }
}
