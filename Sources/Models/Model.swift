import Diagnostics
import Foundation
import Numerics
import Tabular

/// A fitted model: what it was trained on, how the data was prepared, the hyper-parameters and
/// what was learned. A value with no behaviour beyond pure functions of that state, so it can
/// be saved, compared and replayed. Every kind shares this shape; what differs lives in the
/// kind's `ModelParameters` and `LearnedState` (ModelContract.swift).
public struct Model: Sendable {
    /// The catalogue name of the kind that fitted it, e.g. "linear".
    public let kind: String
    public let task: ModelTask
    public let schema: TrainingSchema
    public let preprocessing: Preprocessing
    public let parameters: any ModelParameters
    public let state: any LearnedState
    public let training: TrainingInfo
    /// What the training data looked like, for monitoring (TrainingProfile.swift); nil for a
    /// model saved before profiles were kept.
    public internal(set) var profile: TrainingProfile? {
        didSet { archiveSize = Memo() }
    }
    /// The size of the model's file without its name, once measured (`vars` lists it; a large
    /// forest takes seconds to encode). A model's parts never change but its profile, which
    /// starts the measure afresh.
    public private(set) var archiveSize = Memo<Int>()

    public init(kind: String, task: ModelTask, schema: TrainingSchema, preprocessing: Preprocessing,
                parameters: any ModelParameters, state: any LearnedState, training: TrainingInfo, profile: TrainingProfile? = nil) {
        self.kind = kind
        self.task = task
        self.schema = schema
        self.preprocessing = preprocessing
        self.parameters = parameters
        self.state = state
        self.training = training
        self.profile = profile
    }

    /// The design column names, as the state's coefficients are named.
    public var terms: [String] { preprocessing.termNames(schema) }

    /// Rows are prepared and predicted this many at a time, so memory for the design stays
    /// bounded however large the data.
    static let blockRows = 65_536

    /// One prediction per row of `data`; missing where a needed input is missing or not
    /// finite. Throws for a missing feature column, a column of the wrong type or an unseen
    /// level. Columns the model does not use are ignored.
    public func predict(on data: Dataset) throws -> Prediction {
        try scored(data).prediction
    }

    /// The prediction and, per row, whether its inputs were all present and finite (a row's
    /// missing prediction is then known to come from its inputs, not from the model), and for
    /// unsupervised kinds each row's squared distance to its cluster's centre or squared
    /// reconstruction error (NaN where missing).
    func scored(_ data: Dataset) throws -> (prediction: Prediction, inputsPresent: [Bool], squaredErrors: [Double]) {
        let n = data.rowCount
        var present: [Bool] = [], values: [Double] = [], clusters: [Int] = [], squaredErrors: [Double] = [], clusterCount = 0
        var columns: [[Double]] = Array(repeating: [], count: task == .classification ? schema.classes.count : 0)
        var start = 0
        repeat {
            let rows = start ..< min(start + Self.blockRows, n)
            let inputs = try preprocessing.inputs(data, schema: schema, rows: rows)
            present += inputs.usable
            func masked(_ value: Double, _ i: Int) -> Double { inputs.usable[i] ? value : .nan }
            switch (try state.predict(inputs), task) {
            case (.values(let block), .regression):
                values += block.indices.map { masked(block[$0], $0) }
            case (.probabilities(let block), .classification) where block.columns == columns.count:
                for k in columns.indices { columns[k] += (0 ..< rows.count).map { masked(block[$0, k], $0) } }
            case (.clusters(let block, let distances, let count), .clustering):
                clusters += block.indices.map { inputs.usable[$0] ? block[$0] : -1 }
                clusterCount = count
                squaredErrors += distances.indices.map { masked(distances[$0], $0) }
            case (.components(let scores, let errors), .components) where columns.isEmpty || columns.count == scores.columns:
                if columns.isEmpty { columns = Array(repeating: [], count: scores.columns) }
                for k in columns.indices { columns[k] += (0 ..< rows.count).map { masked(scores[$0, k], $0) } }
                squaredErrors += errors.indices.map { masked(errors[$0], $0) }
            default:
                throw ModelshError(.software, "'\(kind)' predicted the wrong shape for a \(task.rawValue) model")
            }
            try Interruption.check()
            start = rows.upperBound
        } while start < n
        let prediction: Prediction = switch task {
        case .regression: .values(values)
        case .classification: .classes(ClassPrediction(labels: schema.classes, probabilities: columns))
        case .clustering: .clusters(clusters, count: clusterCount)
        case .components: .components(columns)
        }
        return (prediction, present, squaredErrors)
    }

    /// The model described: what every kind shares (call, preprocessing, rows), then the
    /// kind's own account, as R's `summary()` would give it.
    public func summary(_ options: SummaryOptions = SummaryOptions()) -> Report {
        var report = Report()
        let roles = (training.options["family"].map { ", family = \($0)" } ?? "") + (training.options["weight"].map { ", weights = \($0)" } ?? "")
            + (schema.offset.map { ", offset = \($0)" } ?? "")
        report.add("Call: \(kind)(\(formula), data = \(training.datasetName)\(roles))")
        report.add(state.summary(of: self, options: options))
        report.add("Preprocessing: \(preprocessing.settings.description)")
        let imputed = training.valuesImputed == 0 ? "" : ", \(training.valuesImputed) missing values imputed"
        report.add("Rows: \(training.rowsUsed) used, \(training.rowsDropped) dropped (missing values)\(imputed)")
        return report
    }

    /// The kind's own importances as a table, most important first (ties in schema order);
    /// nil when the kind has none.
    public func importanceTable() -> TextTable? {
        guard let own = state.featureImportances else { return nil }
        var table = TextTable(headers: ["feature", own.measure], alignments: [.left, .right])
        let values = own.values
        for index in values.indices.sorted(by: { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }) {
            table.append([TerminalText.escaped(schema.features[index].name), NumberFormat.significant(values[index], digits: 4)])
        }
        return table
    }

    /// `Y ~ a + b`, with `- 1` when there is no intercept, as R writes it; with poly=D,
    /// `Y ~ poly(a, b, degree = D, raw = TRUE)`, R's spelling of the same terms.
    var formula: String {
        let names = schema.termLabels
        let degree = preprocessing.settings.degree
        var rhs = names.isEmpty ? "1" : degree > 1 ? "poly(\(names.joined(separator: ", ")), degree = \(degree), raw = TRUE)" : names.joined(separator: " + ")
        if !preprocessing.settings.hasIntercept { rhs += " - 1" }
        return (schema.target.map { "\($0.name) " } ?? "") + "~ \(rhs)"
    }
}

extension Model: Equatable {
    public static func == (lhs: Model, rhs: Model) -> Bool {
        lhs.kind == rhs.kind && lhs.task == rhs.task && lhs.schema == rhs.schema && lhs.preprocessing == rhs.preprocessing
            && lhs.training == rhs.training && lhs.profile == rhs.profile && lhs.parameters.isEqual(to: rhs.parameters) && lhs.state.isEqual(to: rhs.state)
    }
}

extension ModelParameters {
    /// Equality across the existential: the same kind's parameters with equal values.
    public func isEqual(to other: any ModelParameters) -> Bool { (other as? Self) == self }
}

extension LearnedState {
    public func isEqual(to other: any LearnedState) -> Bool { (other as? Self) == self }
}

extension Model: Codable {
    private enum CodingKeys: String, CodingKey {
        case kind, task, schema, preprocessing, parameters, state, training, profile
    }

    /// Decodes and checks the model (ModelChecks.swift): a file edited by hand must either be
    /// refused here or work, never make `predict`, `summary` or `evaluate` trap. The kind
    /// says how to read the parameters and state; an unknown kind is refused by name.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decode(String.self, forKey: .kind)
        guard let modelKind = ModelCatalogue.kind(named: kind) else {
            throw DecodingError.dataCorruptedError(forKey: .kind, in: container,
                                                   debugDescription: "unknown model kind '\(kind)' (kinds: \(ModelCatalogue.kinds.map(\.name).joined(separator: ", ")))")
        }
        task = try container.decode(ModelTask.self, forKey: .task)
        schema = try container.decode(TrainingSchema.self, forKey: .schema)
        preprocessing = try container.decode(Preprocessing.self, forKey: .preprocessing)
        parameters = try modelKind.decodeParameters(container.superDecoder(forKey: .parameters))
        state = try modelKind.decodeState(container.superDecoder(forKey: .state))
        training = try container.decode(TrainingInfo.self, forKey: .training)
        profile = try container.decodeIfPresent(TrainingProfile.self, forKey: .profile)
        try decoder.requireConsistent(check)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(task, forKey: .task)
        try container.encode(schema, forKey: .schema)
        try container.encode(preprocessing, forKey: .preprocessing)
        try parameters.encode(to: container.superEncoder(forKey: .parameters))
        try state.encode(to: container.superEncoder(forKey: .state))
        try container.encode(training, forKey: .training)
        try container.encodeIfPresent(profile, forKey: .profile)
    }
}

/// A model's predictions for every row of a dataset.
public enum Prediction: Sendable, Equatable {
    /// Regression: NaN where a needed input is missing.
    case values([Double])
    case classes(ClassPrediction)
    /// Clustering: each row's cluster, 0-based of `count`; -1 where a needed input is missing.
    case clusters([Int], count: Int)
    /// Components: per component, every row's score; NaN where a needed input is missing.
    case components([[Double]])

    /// Every number in the prediction, in order (a classifier's probabilities class by
    /// class), for comparing two predictions bit for bit.
    public var numbers: [Double] {
        switch self {
        case .values(let values): values
        case .classes(let classes): classes.probabilities.flatMap { $0 }
        case .clusters(let clusters, _): clusters.map(Double.init)
        case .components(let scores): scores.flatMap { $0 }
        }
    }

    /// Whether the row has no prediction (a needed input was missing or not finite).
    public func isMissing(_ row: Int) -> Bool {
        switch self {
        case .values(let values): values[row].isNaN
        case .classes(let classes): classes.probabilities[0][row].isNaN
        case .clusters(let clusters, _): clusters[row] < 0
        case .components(let scores): scores[0][row].isNaN
        }
    }

    public var rowCount: Int {
        switch self {
        case .values(let values): values.count
        case .classes(let classes): classes.probabilities.first?.count ?? 0
        case .clusters(let clusters, _): clusters.count
        case .components(let scores): scores.first?.count ?? 0
        }
    }
}

/// Class probabilities for every row, and the class each row is assigned.
public struct ClassPrediction: Sendable, Equatable {
    public let labels: [String]
    /// Per class, every row's probability; NaN where a needed input is missing.
    public let probabilities: [[Double]]

    /// Each row's most probable class (ties go to the earlier class), or with `threshold`
    /// for a binary model, the second class when its probability is at least the threshold.
    /// -1 where the row has no prediction.
    public func assigned(threshold: Double? = nil) -> [Int] {
        let n = probabilities.first?.count ?? 0
        return (0 ..< n).map { row in
            if probabilities[0][row].isNaN { return -1 }
            if let threshold, labels.count == 2 { return probabilities[1][row] >= threshold ? 1 : 0 }
            var best = 0
            for k in 1 ..< labels.count where probabilities[k][row] > probabilities[best][row] { best = k }
            return best
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
/// A classification target's levels are its classes.
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
    /// nil for the kinds that learn without one (clustering, components).
    public let target: FeatureSchema?
    public let features: [FeatureSchema]
    /// The column added to the linear predictor (`offset=`), which predictions read too; nil
    /// without one (and absent from the files of such models).
    public let offset: String?
    /// The model's terms when features= named interactions (`ModelTerms`), each as indices into
    /// `features`; nil when each feature is a main effect, in order (and absent from the files
    /// of such models).
    public let terms: [[Int]]?

    public init(target: FeatureSchema?, features: [FeatureSchema], offset: String? = nil, terms: [[Int]]? = nil) {
        self.target = target
        self.features = features
        self.offset = offset
        self.terms = terms
    }

    /// A classification model's class labels; empty for regression.
    public var classes: [String] { target?.levels ?? [] }

    /// The model's terms: its features one by one, or those features= made.
    public var modelTerms: ModelTerms {
        ModelTerms(variables: features.map(\.name), terms: terms ?? features.indices.map { [$0] })
    }

    /// What features= takes to fit these terms again (the feature names when there are no
    /// interactions): refits (anova, confint's profiles, select) go through it.
    public var termLabels: [String] { modelTerms.labels }
}

/// Where a model came from: enough to tell whether two fits saw the same data and settings.
public struct TrainingInfo: Codable, Sendable, Equatable {
    public let datasetName: String
    public let rowsUsed: Int
    /// Rows left out because the target or (without imputation) a used feature was missing.
    public let rowsDropped: Int
    /// Missing feature values filled by imputation.
    public let valuesImputed: Int
    /// Tabular's `Dataset.fingerprint` (a 64-bit content hash, 16 hex digits) of the used rows of the
    /// target and feature columns: equal exactly when two fits saw the same data.
    public let fingerprint: String
    /// The options as given, after validation; `parameters` renders them.
    public let options: [String: String]

    public init(datasetName: String, rowsUsed: Int, rowsDropped: Int, valuesImputed: Int, fingerprint: String, options: [String: String]) {
        self.datasetName = datasetName
        self.rowsUsed = rowsUsed
        self.rowsDropped = rowsDropped
        self.valuesImputed = valuesImputed
        self.fingerprint = fingerprint
        self.options = options
    }

    /// The options as `key=value` pairs in key order, e.g. "intercept=false"; "" when none.
    public var parameters: String {
        options.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }
}
