import Diagnostics
import Numerics
import Tabular

/// What a model predicts: a number (regression) or one of a fixed set of classes.
public enum ModelTask: String, Codable, Sendable, CaseIterable {
    case regression, classification
    /// Unsupervised: groups of rows (k-means), or components of the features (PCA).
    case clustering, components

    /// Whether a fit of this task learns from a target column.
    public var hasTarget: Bool { self == .regression || self == .classification }
}

/// A kind's hyper-parameters: a plain value, parsed from the `fit` options once and stored
/// with the model. Fitting reads them and never changes them.
public protocol ModelParameters: Codable, Sendable, Equatable {}

/// What a fit learned. A pure value: `predict` depends on nothing but the state and its
/// inputs, so a saved and reloaded model predicts bit for bit as the one in memory.
public protocol LearnedState: Codable, Sendable, Equatable {
    /// One output per row of `inputs`: values for regression, class probabilities (rows ×
    /// classes) for classification. Rows the inputs mark unusable may hold anything; the model
    /// replaces their output with NaN.
    func predict(_ inputs: ModelInputs) throws -> RawPrediction

    /// The model described for `summary`, after the lines common to every kind.
    func summary(of model: Model, options: SummaryOptions) -> Report

    /// Every invariant `predict` and `summary` rely on, checked against the rest of the model
    /// when a file is decoded; a failure is an `Inconsistency` (ModelChecks.swift).
    func check(in model: Model) throws

    /// What the user should know about how the fit went (no convergence, separation), one
    /// sentence each; `fit` prints them as warnings and `summary` repeats them.
    var warnings: [String] { get }

    /// The kind's own measure of each feature's importance, one per schema feature, summing
    /// to 1 (trees: impurity decrease), with its name; nil when the kind has none.
    var featureImportances: (measure: String, values: [Double])? { get }

    /// A linear kind's coefficients by term (one set per modelled class of a multinomial fit),
    /// for `plot coef`; empty for kinds without coefficients.
    func coefficientEstimates(in model: Model) -> [CoefficientEstimates]
}

extension LearnedState {
    public var warnings: [String] { [] }
    public var featureImportances: (measure: String, values: [Double])? { nil }
    public func coefficientEstimates(in model: Model) -> [CoefficientEstimates] { [] }
}

/// A model kind: how options become hyper-parameters and how a training problem becomes a
/// learned state. `ModelKind(SomeLearner.self)` puts it in the catalogue.
public protocol Learner {
    associatedtype Parameters: ModelParameters
    associatedtype State: LearnedState

    /// The catalogue name, e.g. "linear".
    static var name: String { get }
    /// One line for `help fit`.
    static var summary: String { get }
    /// The tasks it can learn; the first is used when the target allows several.
    static var tasks: [ModelTask] { get }
    /// The preprocessing options it accepts (`intercept=`, `scale=`, …).
    static var preprocessing: [CommonOption] { get }
    /// Its own options, after the preprocessing ones.
    static var options: [ModelOptionSpec] { get }

    /// The hyper-parameters from normalised options (only the kind's own are given).
    static func parameters(_ options: [String: String]) throws -> Parameters
    /// How its categorical features are coded, which may depend on the parameters (an
    /// unpenalised fit needs a reference level; a penalised one keeps every level).
    static func encoding(_ parameters: Parameters) -> CategoricalEncoding
    /// The default scaling when `scale=` is not given.
    static func defaultScale(_ parameters: Parameters) -> ScaleMethod
    /// Whether its solver can take the design's product terms as unevaluated double-double
    /// sums (`TrainingProblem.designLowParts`).
    static var usesDesignLowParts: Bool { get }
    /// Whether it reads the training design (`TrainingProblem.design`); kinds that read only
    /// `features` (trees) say no, and their design has no columns, which saves its memory.
    static var usesDesign: Bool { get }
    /// Whether it routes missing feature values itself (trees): then `impute=keep` is offered
    /// and is the default, and missing values reach it as NaN (numbers) or -1 (levels).
    static var handlesMissingValues: Bool { get }
    /// Whether the training design should start with a column of ones when the model has an
    /// intercept: kinds that solve for the intercept as an ordinary coefficient (R's model
    /// matrix) ask, so the design is built once rather than copied to add it.
    static func wantsOnesColumn(_ parameters: Parameters) -> Bool
    static func fit(_ problem: TrainingProblem, _ parameters: Parameters) throws -> State
}

extension Learner {
    public static var options: [ModelOptionSpec] { [] }
    public static func encoding(_ parameters: Parameters) -> CategoricalEncoding { .treatment }
    public static func defaultScale(_ parameters: Parameters) -> ScaleMethod { .none }
    public static func wantsOnesColumn(_ parameters: Parameters) -> Bool { false }
    public static var handlesMissingValues: Bool { false }
    public static var usesDesignLowParts: Bool { false }
    public static var usesDesign: Bool { true }
}

/// The output of `LearnedState.predict` for a block of rows.
public enum RawPrediction: Sendable {
    case values([Double])
    /// rows × classes, column-major (column k is every row's probability of class k).
    case probabilities(Matrix)
    /// Clustering: each row's cluster (0-based, of `count`) and its squared distance to the
    /// cluster's centre.
    case clusters([Int], squaredDistances: [Double], count: Int)
    /// Components: rows × components scores, and each row's squared reconstruction error.
    case components(Matrix, squaredErrors: [Double])
}

/// What a kind fits on: the training rows after preprocessing.
public struct TrainingProblem: Sendable {
    public let task: ModelTask
    /// The encoded, imputed, expanded and scaled features (rows × terms); when the kind asked
    /// (`Learner.wantsOnesColumn`) and the model has an intercept, a column of ones first; no
    /// columns for kinds that do not read it (`Learner.usesDesign`). A numeric feature that
    /// enters as it is shares the data's array: a kind whose solver reads columns in place
    /// (least squares, IRLS) copies nothing.
    public let designColumns: DesignColumns
    /// `designColumns` as one column-major matrix, made on first use.
    public var design: Matrix { designColumns.matrix }
    /// Whether `design` starts with the column of ones.
    public let designHasOnesColumn: Bool
    /// For kinds that ask (`Learner.usesDesignLowParts`), when poly= made products of numeric
    /// features and nothing was scaled: each product's rounding error, so design + lowParts is
    /// the design formed exactly; nil otherwise.
    public let designLowParts: Matrix?
    /// The design's column names, as R names them (`Speciesversicolor`, `x^2`, `x:z`).
    public let terms: [String]
    public let hasIntercept: Bool
    /// The features after imputation, for kinds that use categories natively.
    public let features: [PreparedFeature]
    /// Regression: the target values. Classification: each row's class index as a Double.
    public let target: [Double]
    /// Each row's case weight (`weight=`), finite and ≥ 0, for the kinds that take one; nil:
    /// every row counts once.
    public var weights: [Double]? = nil
    /// Each row's offset (`offset=`), added to the linear predictor, for the kinds that take
    /// one; nil: none.
    public var offset: [Double]? = nil
    /// Classification: the class labels, in index order; empty for regression.
    public let classes: [String]
    /// For long fits: report (units done, units in all), from any thread.
    public let progress: (@Sendable (Int, Int) -> Void)?

    /// Each row's class index (classification).
    public var classIndices: [Int] { target.map { Int($0) } }
}

/// One feature's values as a model sees them, after imputation: numbers (NaN where missing and
/// kept), or level indices (-1 where missing and kept). The engines' own input type, so kinds
/// that use features natively (naive Bayes, trees) pass them on without conversion.
public typealias PreparedFeature = FeatureColumn

/// How much a `summary` shows where a kind can show more or less (a tree's rules).
public struct SummaryOptions: Sendable {
    /// The deepest tree level printed as rules.
    public let depth: Int
    /// A linear model's robust covariance, whose standard errors the table then shows.
    public let robust: RobustCovariance?

    public init(depth: Int = 3, robust: RobustCovariance? = nil) {
        self.depth = depth
        self.robust = robust
    }
}

/// The inputs for a block of rows at prediction time, prepared as in training.
public struct ModelInputs: Sendable {
    /// The design's columns (see `TrainingProblem.designColumns`).
    public let designColumns: DesignColumns
    /// `designColumns` as one column-major matrix, made on first use.
    public var design: Matrix { designColumns.matrix }
    public let features: [PreparedFeature]
    /// False where an input is missing (and not imputed) or not finite, the offset included.
    public let usable: [Bool]
    /// In training, for kinds that ask: the rounding errors of the design's product terms.
    public let designLowParts: Matrix?
    /// The rows' offsets (0 where missing) when the model has one (`TrainingSchema.offset`).
    public var offset: [Double]? = nil
    public var rowCount: Int { usable.count }
}
