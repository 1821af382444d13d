import Diagnostics
import Tabular

/// A model's training rows made again from the dataset it was fitted on, for what needs more
/// fits on them (`anova` of a glm, profile-likelihood `confint`): a model keeps no
/// rows, as a glm object keeps its model frame, so the data must be given and must still hold
/// the very rows, which the model's fingerprint tells.
struct TrainingReplay {
    /// The model's fit prepared again: its rows, preprocessing and training problem.
    let prepared: ModelKind.PreparedFit

    /// `data` (known as `dataName`) prepared as `model` (named `name` in errors) was.
    init(_ model: Model, named name: String, data: Dataset, dataName: String) throws {
        let kind = try ModelCatalogue.requireKind(named: model.kind)
        prepared = try kind.prepare(FitRequest(data: data, datasetName: dataName, target: model.schema.target?.name,
                                               features: model.schema.termLabels, options: model.training.options))
        try Self.requireSameRows(prepared.frame.fingerprinted.fingerprint, of: model, named: name, dataName: dataName)
    }

    /// The rows of `data` a fit of `model` uses: those with the target (and weight and offset),
    /// and with every feature unless it imputed.
    static func usedRows(of model: Model, in data: Dataset, dataName: String) throws -> [Int] {
        let roles = ColumnRole.allCases.compactMap { model.training.options[$0.rawValue] }
        let features = model.preprocessing.settings.impute == .drop ? model.schema.features.map(\.name) : []
        let required = try ([model.schema.target?.name].compactMap { $0 } + roles + features).map {
            try data.requireColumn($0, datasetName: dataName)
        }
        return (0 ..< data.rowCount).filter { row in required.allSatisfy { !$0.isMissing(row) } }
    }

    /// Refuses data whose rows for the model (fingerprinted as `fingerprint`) are not the ones
    /// it was fitted on.
    static func requireSameRows(_ fingerprint: String, of model: Model, named name: String, dataName: String) throws {
        guard fingerprint == model.training.fingerprint else {
            throw ModelshError.data("dataset '\(dataName)' no longer holds the rows '\(name)' was fitted on (their fingerprint differs), so its fits cannot be repeated; train= names the data it was fitted on")
        }
    }
}
