import Diagnostics
import Tabular

/// A model's kind fitted again on the rows the model used, with some of its terms: what the
/// anova tables of one model compare (R's anova.glm, car's Anova). The model's own options are
/// kept, and a negative binomial's estimated θ is held at the model's, as MASS's anova.negbin
/// holds it (and says so: `holdsTheta`).
struct TermRefits {
    /// The model's terms, as features= takes them.
    let terms: [String]
    /// Whether a negative binomial's θ is held at the model's rather than estimated again.
    let holdsTheta: Bool
    private let kind: String
    private let target: String
    private let used: Dataset
    private let dataName: String
    private let options: [String: String]

    /// The refits of `model` (named `name` in errors) on `data`, its training data, known as
    /// `dataName`.
    init(_ model: Model, named name: String, data: Dataset, dataName: String) throws {
        guard let target = model.schema.target?.name else { throw ModelshError.usage("'\(name)' has no target", argument: name) }
        let usedRows = try TrainingReplay.usedRows(of: model, in: data, dataName: dataName)
        let theta = (model.state as? PoissonState)?.negativeBinomial.flatMap { $0.standardError == nil ? nil : $0.familyTheta }
        (terms, holdsTheta, kind, self.target, self.dataName) = (model.schema.termLabels, theta != nil, model.kind, target, dataName)
        used = usedRows.count == data.rowCount ? data : data.selecting(rows: usedRows)
        options = model.training.options.merging(theta.map { ["theta": "\($0)"] } ?? [:]) { _, fixed in fixed }
    }

    /// The kind fitted with `terms` (a list of the model's term labels; empty: the intercept alone).
    func fit(_ terms: [String]) throws -> Model {
        try ModelCatalogue.fit(kind: kind, data: used, datasetName: dataName, target: target, features: terms, options: options)
    }

    /// The fit with every term, refused unless it is the model's own: the data must still hold
    /// the rows the model was fitted on.
    func full(of model: Model, named name: String) throws -> Model {
        let full = try fit(terms)
        try TrainingReplay.requireSameRows(full.training.fingerprint, of: model, named: name, dataName: dataName)
        return full
    }
}
