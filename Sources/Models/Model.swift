import Diagnostics
import Tabular

/// A fitted model: what it was trained on, what it learned, and how. A value with no behaviour
/// of its own beyond pure functions of that state, so it can be saved, compared and replayed.
public struct Model: Codable, Sendable, Equatable {
    /// The catalogue name of the kind that fitted it, e.g. "linear".
    public let kind: String
    public let schema: TrainingSchema
    public let state: ModelState
    public let training: TrainingInfo

    public init(kind: String, schema: TrainingSchema, state: ModelState, training: TrainingInfo) {
        self.kind = kind
        self.schema = schema
        self.state = state
        self.training = training
    }

    /// Decodes and checks the model (ModelChecks.swift): a file edited by hand must either be
    /// refused here or work, never make `predict`, `summary` or `evaluate` trap.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decode(String.self, forKey: .kind)
        schema = try container.decode(TrainingSchema.self, forKey: .schema)
        state = try container.decode(ModelState.self, forKey: .state)
        training = try container.decode(TrainingInfo.self, forKey: .training)
        try decoder.requireConsistent(check)
    }

    private enum CodingKeys: String, CodingKey {
        case kind, schema, state, training
    }

    /// One prediction per row of `data`; NaN where a needed input is missing or not finite.
    /// Throws for a missing feature column, a column of the wrong type or an unseen level.
    /// Columns the model does not use are ignored.
    public func predict(on data: Dataset) throws -> [Double] {
        switch state {
        case .linear(let learned):
            return try learned.predict(data, schema: schema).values
        }
    }

    /// The model described as R's `summary()` would describe it.
    public func summary() -> Report {
        switch state {
        case .linear(let learned):
            return LinearSummary(learned: learned, schema: schema, training: training).report()
        }
    }

    /// Metrics suited to the task, on `data` (which must hold the target column). Rows whose
    /// target or prediction is missing are skipped and counted in the "skipped" metric.
    public func evaluate(on data: Dataset) throws -> [Metric] {
        switch state {
        case .linear(let learned):
            let predictions = try learned.predict(data, schema: schema)
            let actual = try FeatureEncoder.targetValues(of: schema, in: data)
            return try RegressionMetrics.metrics(actual: actual, predicted: predictions.values, inputsPresent: predictions.usable)
        }
    }
}

/// One named figure from `evaluate`, e.g. ("rmse", 0.41).
public struct Metric: Sendable, Equatable {
    public let name: String
    public let value: Double

    public init(name: String, value: Double) {
        self.name = name
        self.value = value
    }
}

/// A column as the model saw it in training: its name, type and (for categorical) the levels
/// present in the rows used, in the dataset's level order. The first level is the reference.
public struct FeatureSchema: Codable, Sendable, Equatable {
    public let name: String
    public let type: ColumnType
    public let levels: [String]?

    public init(name: String, type: ColumnType, levels: [String]? = nil) {
        self.name = name
        self.type = type
        self.levels = levels
    }
}

/// The target and the features, in the order the model uses them.
public struct TrainingSchema: Codable, Sendable, Equatable {
    public let target: FeatureSchema
    public let features: [FeatureSchema]

    public init(target: FeatureSchema, features: [FeatureSchema]) {
        self.target = target
        self.features = features
    }
}

/// Where a model came from: enough to tell whether two fits saw the same data and settings.
public struct TrainingInfo: Codable, Sendable, Equatable {
    public let datasetName: String
    public let rowsUsed: Int
    /// Rows left out because the target or a used feature was missing.
    public let rowsDropped: Int
    /// Tabular's `Dataset.fingerprint` (FNV-1a 64, 16 hex digits) of the used rows of the
    /// target and feature columns: equal exactly when two fits saw the same data.
    public let fingerprint: String
    /// The options as given, after validation; `parameters` renders them.
    public let options: [String: String]

    public init(datasetName: String, rowsUsed: Int, rowsDropped: Int, fingerprint: String, options: [String: String]) {
        self.datasetName = datasetName
        self.rowsUsed = rowsUsed
        self.rowsDropped = rowsDropped
        self.fingerprint = fingerprint
        self.options = options
    }

    /// The options as `key=value` pairs in key order, e.g. "intercept=false"; "" when none.
    public var parameters: String {
        options.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }
}

/// What a model learned, one case per kind. Adding a kind adds a case here.
public enum ModelState: Codable, Sendable, Equatable {
    case linear(LinearRegression.Learned)

    // Coded as `{"linear": {…learned state…}}`: one key, the kind, so the archive reads plainly
    // (Swift's synthesised form would add an `_0` level) and new kinds add new keys.
    private enum CodingKeys: String, CodingKey {
        case linear
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard let key = container.allKeys.first, container.allKeys.count == 1 else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "expected exactly one model kind in the state"))
        }
        switch key {
        case .linear: self = .linear(try container.decode(LinearRegression.Learned.self, forKey: .linear))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .linear(let learned): try container.encode(learned, forKey: .linear)
        }
    }
}
