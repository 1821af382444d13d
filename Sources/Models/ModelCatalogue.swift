import Diagnostics
import Numerics
import Tabular

/// One option a model kind accepts (`key=value` after `fit KIND`), for help and tab completion.
public struct ModelOptionSpec: Sendable, Equatable {
    public let name: String
    public let help: String
    /// The values it accepts, when they are a fixed set (for completion); nil for free values.
    /// A switch lists "true" and "false", its canonical spellings.
    public let values: [String]?
    /// A switch takes true/false, yes/no or on/off in any case, and is stored as "true" or "false".
    public let isSwitch: Bool
    /// Its value is a column of the data being fitted (`weight=`), for completion.
    public let namesAColumn: Bool

    public init(name: String, help: String, values: [String]? = nil) {
        self.name = name
        self.help = help
        self.values = values
        isSwitch = false
        namesAColumn = false
    }

    /// An on/off option such as `intercept=`.
    public init(switch name: String, help: String) {
        self.name = name
        self.help = help
        values = ["true", "false"]
        isSwitch = true
        namesAColumn = false
    }

    /// An option whose value is a column of the data, such as `weight=`.
    public init(column name: String, help: String) {
        self.name = name
        self.help = help
        values = nil
        isSwitch = false
        namesAColumn = true
    }

    /// `value` as it is stored: a switch's spelling as "true" or "false"; a usage error naming
    /// the option when the value is not one it accepts.
    public func normalised(_ value: String) throws -> String {
        if isSwitch {
            guard let on = Switch.value(value) else {
                throw ModelshError.usage("option '\(name)' is a switch: \(Switch.spellings), not '\(value)'", argument: name)
            }
            return on ? "true" : "false"
        }
        if let allowed = values, !allowed.contains(value) {
            throw ModelshError.usage("option '\(name)' must be one of \(allowed.joined(separator: ", ")), not '\(value)'", argument: name)
        }
        return value
    }
}

/// What `fit` needs, already resolved by the shell.
public struct FitRequest: Sendable {
    public let data: Dataset
    public let datasetName: String
    /// nil for the kinds that learn without a target.
    public let target: String?
    /// nil: every column except the target that the kind can use.
    public let features: [String]?
    /// Validated against the kind's option specs before the kind sees them.
    public let options: [String: String]
    /// Called (from any thread) as a long fit advances: units done, units in all.
    public let progress: (@Sendable (Int, Int) -> Void)?

    public init(data: Dataset, datasetName: String, target: String?, features: [String]?, options: [String: String],
                progress: (@Sendable (Int, Int) -> Void)? = nil) {
        self.data = data
        self.datasetName = datasetName
        self.target = target
        self.features = features
        self.options = options
        self.progress = progress
    }
}

/// A model kind as the catalogue lists it: a `Learner` with its types erased, so the shell,
/// help, completion and the model file reader can treat every kind alike.
public struct ModelKind: Sendable {
    public let name: String
    /// One line for `help fit`.
    public let summary: String
    public let tasks: [ModelTask]
    /// The common options it accepts, then its own.
    public let options: [ModelOptionSpec]
    let fitModel: @Sendable (FitRequest) throws -> Model
    let prepareFit: @Sendable (FitRequest) throws -> PreparedFit
    let decodeParameters: @Sendable (Decoder) throws -> any ModelParameters
    let decodeState: @Sendable (Decoder) throws -> any LearnedState
    /// The hyper-parameters and preprocessing settings the stored options give, to check a
    /// model file's own.
    let parametersFromOptions: @Sendable ([String: String]) throws -> any ModelParameters
    let settingsFromOptions: @Sendable ([String: String]) throws -> PreprocessingSettings

    public init<L: Learner>(_ learner: L.Type) {
        name = L.name
        summary = L.summary
        tasks = L.tasks
        options = L.preprocessing.map { $0.spec(handlesMissing: L.handlesMissingValues) } + L.options
        let common = Set(L.preprocessing.map(\.rawValue))
        let own: @Sendable ([String: String]) throws -> L.Parameters = { options in
            try L.parameters(options.filter { !common.contains($0.key) })
        }
        let settings: @Sendable ([String: String]) throws -> PreprocessingSettings = { options in
            let parameters = try own(options)
            return try PreprocessingSettings.parse(options, defaultScale: L.defaultScale(parameters),
                                                   defaultImpute: L.handlesMissingValues ? .keep : .drop, encoding: L.encoding(parameters))
        }
        parametersFromOptions = { try own($0) }
        settingsFromOptions = settings
        decodeParameters = { try L.Parameters(from: $0) }
        decodeState = { try L.State(from: $0) }
        prepareFit = { request in
            let (parameters, settings) = (try own(request.options), try settings(request.options))
            return try Self.prepare(L.self, Self.frame(L.self, request, settings: settings), request, parameters: parameters, settings: settings)
        }
        fitModel = { request in
            let (parameters, settings) = (try own(request.options), try settings(request.options))
            let frame = try Self.frame(L.self, request, settings: settings)
            // What the training data looked like needs no model: it is measured on the other
            // core from the moment the rows are known, while the design is built and the model
            // learns (on a large dataset it costs as much as a linear fit, and the serial steps
            // before the learner's parallel passes leave a core free for it).
            // The kind learns on this thread, so its own parallel work (a forest's trees) is not
            // nested inside other parallel work, which would run it on one core.
            let (dataProfile, (prepared, state)) = try clearingInterruption {
                try concurrently(background: {
                    try TrainingDataProfile(schema: frame.schema, source: request.data, fingerprinting: frame.fingerprinted)
                }, foreground: {
                    let prepared = try Self.prepare(L.self, frame, request, parameters: parameters, settings: settings)
                    return (prepared, try L.fit(prepared.problem, parameters))
                })
            }
            let info = TrainingInfo(datasetName: request.datasetName, rowsUsed: frame.data.rowCount, rowsDropped: frame.rowsDropped,
                                    valuesImputed: frame.valuesImputed, fingerprint: dataProfile.usedFingerprint!, options: request.options)
            var model = Model(kind: L.name, task: frame.task, schema: frame.schema, preprocessing: prepared.preprocessing,
                              parameters: parameters, state: state, training: info)
            try model.checkAndProfile(data: dataProfile, used: frame.fingerprinted)
            return model
        }
    }

    /// A fit up to the point the kind takes over: options parsed, rows chosen, preprocessing
    /// learned, the training problem built.
    struct PreparedFit {
        let frame: TrainingFrame
        let preprocessing: Preprocessing
        let problem: TrainingProblem
        let parameters: any ModelParameters
    }

    /// The rows and columns a fit of this kind uses.
    private static func frame<L: Learner>(_ learner: L.Type, _ request: FitRequest, settings: PreprocessingSettings) throws -> TrainingFrame {
        try TrainingFrame(request, kind: L.name, tasks: L.tasks, requestedTask: request.options["task"].flatMap(ModelTask.init),
                          impute: settings.impute)
    }

    /// The preprocessing learned on `frame` and the training problem it makes.
    private static func prepare<L: Learner>(_ learner: L.Type, _ frame: TrainingFrame, _ request: FitRequest,
                                            parameters: L.Parameters, settings: PreprocessingSettings) throws -> PreparedFit {
        let onesColumn = settings.hasIntercept && L.wantsOnesColumn(parameters)
        try Interruption.check()
        let (preprocessing, inputs) = try Preprocessing.fit(frame, settings: settings, onesColumn: onesColumn, lowParts: L.usesDesignLowParts,
                                                                  design: L.usesDesign)
        let problem = TrainingProblem(task: frame.task, designColumns: inputs.designColumns, designHasOnesColumn: onesColumn, designLowParts: inputs.designLowParts,
                                      terms: preprocessing.termNames(frame.schema),
                                      hasIntercept: settings.hasIntercept, features: inputs.features, target: frame.target,
                                      weights: frame.weights, offset: frame.offsets, classes: frame.schema.classes, progress: request.progress)
        return PreparedFit(frame: frame, preprocessing: preprocessing, problem: problem, parameters: parameters)
    }

    /// The training problem `request` makes for this kind, without fitting it (for `path`).
    func prepare(_ request: FitRequest) throws -> PreparedFit {
        try prepareFit(FitRequest(data: request.data, datasetName: request.datasetName, target: request.target,
                                  features: request.features, options: normalisedOptions(request.options), progress: request.progress))
    }

    /// The hyper-parameters `options` give (after checking their names and values).
    public func parameters(from options: [String: String]) throws -> any ModelParameters {
        try parametersFromOptions(normalisedOptions(options))
    }

    /// Fits a model of this kind after checking the option names and values.
    public func fit(_ request: FitRequest) throws -> Model {
        try fitModel(FitRequest(data: request.data, datasetName: request.datasetName, target: request.target,
                                features: request.features, options: normalisedOptions(request.options), progress: request.progress))
    }
}

/// Every model kind modelsh can fit.
public enum ModelCatalogue {
    public static let kinds: [ModelKind] = [
        ModelKind(LinearRegression.self),
        ModelKind(RidgeRegression.self),
        ModelKind(LassoRegression.self),
        ModelKind(ElasticNetRegression.self),
        ModelKind(LogisticModel.self),
        ModelKind(PoissonModel.self),
        ModelKind(GradientDescentModel.self),
        ModelKind(NaiveBayesModel.self),
        ModelKind(NearestNeighboursModel.self),
        ModelKind(TreeModel.self),
        ModelKind(ForestModel.self),
        ModelKind(BoostModel.self),
        ModelKind(KMeansModel.self),
        ModelKind(PCAModel.self),
    ]

    public static func kind(named name: String) -> ModelKind? {
        kinds.first { $0.name == name }
    }

    /// The kind called `name`, or the one message for an unknown kind (listing the kinds).
    public static func requireKind(named name: String) throws -> ModelKind {
        if let kind = kind(named: name) { return kind }
        if let (call, kind, also) = rFunctionKinds[name] {
            // A kind with options ("poisson family=negbin") is written with them after the target.
            let words = kind.split(separator: " ")
            let example = (["fit", words[0], "DATA", "target=…"] + words.dropFirst() + ["as", "NAME"]).joined(separator: " ")
            throw ModelshError.usage("unknown model kind '\(name)': R's \(call) is '\(kind)' here\(also.map { " and \($0)" } ?? "") (\(example))")
        }
        let names = kinds.map(\.name)
        throw ModelshError.usage(EditDistance.unknown("model kind", name, among: names, listing: "kinds: " + names.joined(separator: ", ")))
    }

    /// The kind an R user's first guess means: R's fitting function named as a kind (`fit lm …`).
    /// `also`: another kind the same function is, by its arguments (glm's family). A kind may
    /// carry the options that make it the function (`poisson family=negbin`).
    static let rFunctionKinds: [String: (call: String, kind: String, also: String?)] = [
        "lm": ("lm", "linear", nil), "glm": ("glm(family = binomial)", "logistic", "glm(family = poisson) is 'poisson', and family = quasipoisson is 'poisson family=quasipoisson'"),
        "multinom": ("nnet::multinom", "logistic", nil), "glmnet": ("glmnet", "elasticnet", nil), "rpart": ("rpart", "tree", nil),
        "randomForest": ("randomForest", "forest", nil), "ranger": ("ranger", "forest", nil), "gbm": ("gbm", "boost", nil),
        "xgboost": ("xgboost", "boost", nil), "glm.nb": ("MASS::glm.nb", "poisson family=negbin", nil), "naiveBayes": ("e1071::naiveBayes", "naivebayes", nil), "prcomp": ("prcomp", "pca", nil)]

    /// Fits a model of `kind`, after checking the kind and option names exist.
    public static func fit(kind: String, data: Dataset, datasetName: String, target: String?,
                           features: [String]?, options: [String: String], progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> Model {
        try requireKind(named: kind).fit(FitRequest(data: data, datasetName: datasetName, target: target, features: features, options: options,
                                                    progress: progress))
    }
}

extension ModelKind {
    /// `options` checked against the kind's specs, switches spelt "true" or "false", so the
    /// stored options read the same however they were typed.
    func normalisedOptions(_ options: [String: String]) throws -> [String: String] {
        let known = self.options.map(\.name)
        for key in options.keys.sorted() where !known.contains(key) {
            let hint = EditDistance.didYouMean(key, among: known)
            let accepted = known.isEmpty ? "; '\(name)' takes no options" : (hint.isEmpty ? " (options: \(known.joined(separator: ", ")))" : hint)
            throw ModelshError.usage("unknown option '\(key)' for '\(name)'" + accepted, argument: key)
        }
        var result: [String: String] = [:]
        for spec in self.options {
            if let value = options[spec.name] { result[spec.name] = try spec.normalised(value) }
        }
        return result
    }
}
