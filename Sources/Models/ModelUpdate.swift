import Diagnostics
import Numerics
import Tabular

/// The new rows an update learns from, prepared with the model's own (training) preprocessing.
struct UpdateRows {
    /// Prepared as at prediction (no column of ones).
    let design: Matrix
    /// Regression: the values; classification: each row's class index.
    let target: [Double]
}

/// A learned state that can take more rows without the old ones.
protocol UpdatableState: LearnedState {
    func updated(with rows: UpdateRows, in model: Model) throws -> any LearnedState
}

extension Model {
    /// The kinds `updated(with:)` accepts, and what it does for each (for help).
    public static let updatableKinds = ["linear", "ridge", "sgd"]

    /// A new model that has also learned from `data`'s rows (those with the target and every
    /// needed input). The preprocessing stays the training one: levels, imputation values,
    /// scaling and centring are not re-learned. linear and ridge fold the rows into the stored
    /// factor of [X y] (`ScatterFactor`), so the result equals a refit on old and new rows with
    /// that preprocessing (to rounding); sgd continues descent from its coefficients on the new
    /// rows only (scikit-learn's partial_fit). Other kinds are refused by name.
    public func updated(with data: Dataset, datasetName: String) throws -> Model {
        guard let updatable = state as? any UpdatableState else {
            throw ModelshError.usage("a \(kind) model cannot be updated; refit it on all the rows (update works for \(Self.updatableKinds.joined(separator: ", ")))")
        }
        let column = try targetColumn(in: data)
        let values: [Double] = switch task {
        case .regression: try targetNumbers(column)
        default: try ClassLabels(schema.classes).indices(of: column).map(Double.init)
        }
        let withTarget = (0 ..< data.rowCount).filter { !column.isMissing($0) }
        let inputs = try preprocessing.inputs(data.selecting(rows: withTarget), schema: schema, rows: 0 ..< withTarget.count)
        let kept = (0 ..< withTarget.count).filter { inputs.usable[$0] }
        guard !kept.isEmpty else {
            throw ModelshError.data("\(datasetName) has no row with '\(column.name)' and every input the model needs")
        }
        let design = Matrix(rows: kept.count, columns: (0 ..< inputs.design.columns).map { j in kept.map { inputs.design[$0, j] } })
        let rows = UpdateRows(design: design, target: kept.map { values[withTarget[$0]] })
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
