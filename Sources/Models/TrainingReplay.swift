import Diagnostics
import Numerics
import Tabular

/// A model's training rows made again from the dataset it was fitted on, for what needs more
/// fits on them (`anova` of a logistic model, profile-likelihood `confint`): a model keeps no
/// rows, as a glm object keeps its model frame, so the data must be given and must still hold
/// the very rows, which the model's fingerprint tells.
struct TrainingReplay {
    /// The model's fit prepared again: its rows, preprocessing and training problem.
    let prepared: ModelKind.PreparedFit

    /// `data` (known as `dataName`) prepared as `model` (named `name` in errors) was.
    init(_ model: Model, named name: String, data: Dataset, dataName: String) throws {
        let kind = try ModelCatalogue.requireKind(named: model.kind)
        prepared = try kind.prepare(FitRequest(data: data, datasetName: dataName, target: model.schema.target?.name,
                                               features: model.schema.features.map(\.name), options: model.training.options))
        try Self.requireSameRows(prepared.frame.fingerprinted.fingerprint, of: model, named: name, dataName: dataName)
    }

    /// Refuses data whose rows for the model (fingerprinted as `fingerprint`) are not the ones
    /// it was fitted on.
    static func requireSameRows(_ fingerprint: String, of model: Model, named name: String, dataName: String) throws {
        guard fingerprint == model.training.fingerprint else {
            throw ModelshError.data("dataset '\(dataName)' no longer holds the rows '\(name)' was fitted on (their fingerprint differs), so its fits cannot be repeated; train= names the data it was fitted on")
        }
    }
}

/// R's confint(glm) for an unpenalised binary logistic or a Poisson model: profile-likelihood
/// intervals (`LikelihoodProfile`), from fits on the model's training rows.
public struct ProfileIntervals: Sendable {
    public let terms: [String]
    /// NaN ends for an aliased term, or where the profile does not reach the cutoff.
    public let intervals: [(lower: Double, upper: Double)]

    public init(_ model: Model, named name: String, trainingData data: Dataset, dataName: String, level: Double) throws {
        let family: LikelihoodProfile.Family
        switch model.state {
        case let state as LogisticState where state.residualDevianceDegreesOfFreedom != nil: family = .binomial
        case is PoissonState: family = .poisson
        default:
            throw ModelshError.usage("profile-likelihood intervals are for unpenalised binary logistic and Poisson models; '\(name)' is a \(model.kind) model (method=wald gives Wald intervals)", argument: name)
        }
        guard let estimates = model.state.coefficientEstimates(in: model).first, let errors = estimates.standardErrors,
              let fit = model.state as? any DevianceFit else {
            throw ModelshError(.software, "'\(name)' has no standard errors to profile from")
        }
        let problem = try TrainingReplay(model, named: name, data: data, dataName: dataName).prepared.problem
        terms = estimates.terms
        intervals = try LikelihoodProfile.intervals(family, problem.design, problem.target, priorWeights: problem.weights,
                                                    coefficients: estimates.estimates, standardErrors: errors.map { $0.isFinite ? $0 : 0 },
                                                    deviance: fit.deviance, level: level)
    }
}
