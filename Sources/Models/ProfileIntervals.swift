import Diagnostics
import Numerics
import Tabular

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
        case let state as PoissonState: family = state.negativeBinomial.map { .negativeBinomial(theta: $0.familyTheta) } ?? .poisson
        default:
            throw ModelshError.usage("profile-likelihood intervals are for unpenalised binary logistic and Poisson models; '\(name)' is a \(model.kind) model (method=wald gives Wald intervals)", argument: name)
        }
        guard let estimates = model.state.coefficientEstimates(in: model).first, let errors = estimates.standardErrors,
              let fit = model.state as? any DevianceFit else {
            throw ModelshError(.software, "'\(name)' has no standard errors to profile from")
        }
        let problem = try TrainingReplay(model, named: name, data: data, dataName: dataName).prepared.problem
        terms = estimates.terms
        intervals = try LikelihoodProfile.intervals(family, problem.design, problem.target, priorWeights: problem.weights, offset: problem.offset,
                                                    coefficients: estimates.estimates, standardErrors: errors.map { $0.isFinite ? $0 : 0 },
                                                    deviance: fit.deviance, dispersion: (model.state as? PoissonState)?.dispersion, level: level)
    }
}
