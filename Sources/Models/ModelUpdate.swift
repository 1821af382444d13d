import Diagnostics
import Numerics
import Tabular

/// The new rows an update learns from, prepared with the model's own (training) preprocessing.
struct UpdateRows {
    /// Prepared as at prediction (no column of ones).
    let design: Matrix
    /// The same rows as the column-wise features of the kinds that split natively.
    let features: [PreparedFeature]
    /// Regression: the values; classification: each row's class index.
    let target: [Double]
    /// boost: how many rounds to add (nil: as many as the fit boosted).
    let rounds: Int?
}

/// A learned state that can take more rows without the old ones.
protocol UpdatableState: LearnedState {
    func updated(with rows: UpdateRows, in model: Model) throws -> any LearnedState
}

extension Model {
    /// The kinds `updated(with:)` accepts, and what it does for each (for help).
    public static let updatableKinds = ["linear", "ridge", "sgd", "logistic", "boost"]

    /// A new model that has also learned from `data`'s rows (those with the target and every
    /// needed input). The preprocessing stays the training one: levels, imputation values,
    /// scaling and centring are not re-learned. linear and ridge fold the rows into the stored
    /// factor of [X y] (`ScatterFactor`), so the result equals a refit on old and new rows with
    /// that preprocessing (to rounding); sgd continues descent from its coefficients on the new
    /// rows only (scikit-learn's partial_fit); binary logistic takes the Laplace approximation
    /// (LogisticLaplaceUpdate.swift); boost adds `rounds` rounds on the new rows. Other kinds
    /// (trees and forests among them: a tree cannot take rows without regrowing) are refused.
    public func updated(with data: Dataset, datasetName: String, rounds: Int? = nil) throws -> Model {
        guard let updatable = state as? any UpdatableState else {
            throw ModelshError.usage("a \(kind) model cannot be updated; refit it on all the rows (update works for \(Self.updatableKinds.joined(separator: ", ")))")
        }
        if let weight = training.options["weight"] {
            throw ModelshError.usage("a model fitted with case weights (weight=\(weight)) cannot be updated yet; refit it on all the rows")
        }
        if let offset = schema.offset {
            throw ModelshError.usage("a model fitted with an offset (offset=\(offset)) cannot be updated yet; refit it on all the rows")
        }
        if rounds != nil, !(state is BoostState) {
            throw ModelshError.usage("rounds= adds boosting rounds; a \(kind) model has none", argument: "rounds")
        }
        let column = try targetColumn(in: data)
        let values: [Double] = switch task {
        case .regression: try targetNumbers(column)
        default: try ClassLabels(schema.classes).numberedIndices(of: column)
        }
        let withTarget = (0 ..< data.rowCount).filter { !column.isMissing($0) }
        let inputs = try preprocessing.inputs(data.selecting(rows: withTarget), schema: schema, rows: 0 ..< withTarget.count)
        let kept = (0 ..< withTarget.count).filter { inputs.usable[$0] }
        guard !kept.isEmpty else {
            throw ModelshError.data("\(datasetName) has no row with '\(column.name)' and every input the model needs")
        }
        let design = Matrix(rows: kept.count, columns: (0 ..< inputs.design.columns).map { j in kept.map { inputs.design[$0, j] } })
        let features = inputs.features.map { feature -> PreparedFeature in
            switch feature {
            case .numbers(let values): return .numbers(kept.map { values[$0] })
            case .levels(let levels, let count): return .levels(kept.map { levels[$0] }, count: count)
            }
        }
        let rows = UpdateRows(design: design, features: features, target: kept.map { values[withTarget[$0]] }, rounds: rounds)
        let used = data.selecting(rows: kept.map { withTarget[$0] })
        let info = TrainingInfo(datasetName: "\(training.datasetName) + \(datasetName)", rowsUsed: training.rowsUsed + kept.count,
                                rowsDropped: training.rowsDropped + data.rowCount - kept.count, valuesImputed: training.valuesImputed,
                                fingerprint: Dataset.fingerprint(combining: training.fingerprint, used.fingerprint), options: training.options)
        // The profile stays the first training rows': the old rows are not kept to profile them
        // with the new, and monitoring then measures drift from the data the model began with.
        let model = Model(kind: kind, task: task, schema: schema, preprocessing: preprocessing, parameters: parameters,
                          state: try updatable.updated(with: rows, in: self), training: info, profile: profile)
        do {
            try model.check()
        } catch let problem as Inconsistency {
            throw ModelshError.data("the update overflows (\(problem.message)); rescale the data")
        }
        return model
    }

    /// The design with the column of ones a linear state's factor starts with.
    fileprivate static func withOnes(_ design: Matrix) -> Matrix {
        Matrix(rows: design.rows, columns: design.columns + 1,
               values: [Double](repeating: 1, count: design.rows) + design.values)
    }
}

/// The factor is missing from files written before `update` existed, and from compressed models
/// (whose rounded coefficients it no longer matches).
private func requireFactor(_ factor: ScatterFactor?, _ kind: String) throws -> ScatterFactor {
    guard let factor else {
        throw ModelshError.usage("this \(kind) model keeps no factor to update (it was saved before update existed, or compressed); refit it")
    }
    return factor
}

extension LinearRegression.Learned: UpdatableState {
    func updated(with rows: UpdateRows, in model: Model) throws -> any LearnedState {
        let design = hasIntercept ? Model.withOnes(rows.design) : rows.design
        let factor = try requireFactor(factor, model.kind).adding(design, rows.target)
        return try LinearRegression.learned(from: factor, hasIntercept: hasIntercept, terms: terms)
    }
}

extension PenalisedLinearState: UpdatableState {
    func updated(with rows: UpdateRows, in model: Model) throws -> any LearnedState {
        guard let ridge = model.parameters as? RidgeRegression.Parameters else {
            throw ModelshError.usage("a \(model.kind) model cannot be updated; refit it on all the rows (update works for \(Model.updatableKinds.joined(separator: ", ")))")
        }
        return try RidgeRegression.state(from: requireFactor(factor, model.kind).adding(rows.design, rows.target), alpha: ridge.alpha)
    }
}

extension GradientDescentState: UpdatableState {
    func updated(with rows: UpdateRows, in model: Model) throws -> any LearnedState {
        guard let parameters = model.parameters as? GradientDescentModel.Parameters else {
            throw ModelshError(.software, "an sgd model without sgd parameters")
        }
        var solver = parameters.solver(loss: lossIsLogistic ? .logistic : .squared, fitIntercept: model.preprocessing.settings.hasIntercept)
        solver.start = (coefficients, intercept)
        return try GradientDescentModel.state(solver, rows.design, rows.target, observations: observations + rows.target.count)
    }
}

extension LogisticState: UpdatableState {
    /// What the summary of an updated fit says about it.
    public static let laplaceNote = "updated by the Laplace approximation: the earlier rows enter through their information matrix at the earlier estimates, so estimates, standard errors and deviance approximate a refit on all rows"

    func updated(with rows: UpdateRows, in model: Model) throws -> any LearnedState {
        guard let information, modelledClasses.count == 1 else {
            throw ModelshError.usage("this logistic model keeps no information matrix to update from (only binary fits without an l1 penalty or aliased terms do, and not compressed ones or files saved before update existed); refit it")
        }
        let p = terms.count
        let update = try LogisticRegression.laplaceUpdate(prior: coefficients[0], information: Matrix(rows: p, columns: p, values: information),
                                                          design: hasIntercept ? Model.withOnes(rows.design) : rows.design, target: rows.target)
        guard update.converged, let covariance = LogisticRegression.covariance(information: update.information) else {
            throw ModelshError.data("the update did not converge (the new rows may separate the classes); refit on all the rows")
        }
        let n = rows.target.count
        let deviance = self.deviance + update.priorDevianceChange + update.newRowsDeviance
        return LogisticState(terms: terms, modelledClasses: modelledClasses, coefficients: [update.coefficients], aliased: aliased,
                             standardErrors: standardErrors.map { _ in [(0 ..< p).map { covariance[$0, $0].squareRoot() }] },
                             deviance: deviance, nullDeviance: nil, nullDegreesOfFreedom: nil,
                             residualDegreesOfFreedom: residualDegreesOfFreedom.map { $0 + n }, aic: aic.map { deviance + $0 - self.deviance },
                             iterations: update.iterations, converged: true,
                             fitWarnings: fitWarnings.filter { $0 != Self.laplaceNote } + [Self.laplaceNote], observations: observations + n,
                             information: update.information.values)
    }
}

extension BoostState: UpdatableState {
    func updated(with rows: UpdateRows, in model: Model) throws -> any LearnedState {
        guard let parameters = model.parameters as? GradientBoostingParameters else {
            throw ModelshError(.software, "a boost model without boosting parameters")
        }
        let target: BoostingTarget = model.task == .classification ? .classes(rows.target.map { Int($0) }, count: model.schema.classes.count) : .values(rows.target)
        return BoostState(model: try self.model.continued(features: rows.features, target: target, rounds: rows.rounds ?? self.model.rounds,
                                                          parameters: parameters))
    }
}
