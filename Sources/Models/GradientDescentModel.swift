import Diagnostics
import Foundation
import Numerics
import Tabular

/// Gradient-descent fits of the losses the exact kinds minimise, so the two can be compared:
/// squared loss (regression) and logistic loss (binary classification), with an optional L2
/// penalty, full-batch or on seeded minibatches (see `GradientDescent`). With per-sample
/// penalty α, regression minimises the objective of `elasticnet l1_ratio=0` at α, which is
/// `ridge` at n·α; classification that of `logistic penalty=l2` at n·α.
public enum GradientDescentModel: Learner {
    public static let name = "sgd"
    public static let summary = "gradient descent on squared (regression) or logistic (binary) loss, full batch or minibatch"
    public static let tasks: [ModelTask] = [.regression, .classification]
    public static let preprocessing: [CommonOption] = [.intercept, .impute, .scale, .poly, .task]
    public static let options = [
        ModelOptionSpec(name: "alpha", help: "L2 penalty per sample, α ≥ 0 (default 0): minimises mean loss + (α/2)‖w‖²"),
        ModelOptionSpec(name: "batch", help: "rows per update (default: all rows, plain gradient descent)"),
        ModelOptionSpec(name: "learning_rate", help: "initial step size (default 1/L from the data's curvature, which cannot diverge for full batches)"),
        ModelOptionSpec(name: "schedule", help: "constant (default for full batches), invscaling (η/t^power) or adaptive (default for minibatches; halves on a plateau)",
                        values: ["constant", "invscaling", "adaptive"]),
        ModelOptionSpec(name: "power", help: "the exponent of invscaling (default 0.25)"),
        ModelOptionSpec(name: "tol", help: "an epoch improves when the objective falls by more than tol of itself (default 1e-16: until it stops falling)"),
        ModelOptionSpec(name: "patience", help: "epochs without improvement before stopping (default 5)"),
        ModelOptionSpec(name: "max_epochs", help: "most passes over the data (default 10000)"),
        ModelOptionSpec(name: "seed", help: "seed for the minibatch shuffles (default 42)"),
    ]

    public struct Parameters: ModelParameters {
        public let alpha: Double
        public let batchSize: Int?
        public let learningRate: Double?
        public let schedule: String?
        public let power: Double
        public let tolerance: Double
        public let patience: Int
        public let maxEpochs: Int
        public let seed: UInt64

        func solver(loss: GradientDescent.Loss, fitIntercept: Bool) -> GradientDescent {
            let chosen: GradientDescent.Schedule? = switch schedule {
            case "constant": .constant
            case "invscaling": .invscaling(power: power)
            case "adaptive": .adaptive
            default: nil
            }
            return GradientDescent(loss: loss, alpha: alpha, fitIntercept: fitIntercept, batchSize: batchSize, learningRate: learningRate,
                                   schedule: chosen, tolerance: tolerance, patience: patience, maxEpochs: maxEpochs, seed: seed)
        }
    }

    public static func parameters(_ options: [String: String]) throws -> Parameters {
        let values = OptionValues(options)
        let big = Double.greatestFiniteMagnitude
        return Parameters(
            alpha: try values.number("alpha", default: 0, in: 0 ... big, "a number ≥ 0"),
            batchSize: options["batch"] == nil ? nil : try values.integer("batch", default: 0, in: 1 ... Int(Int32.max), "a whole number ≥ 1"),
            learningRate: options["learning_rate"] == nil ? nil : try values.number("learning_rate", default: 0, in: Double.leastNonzeroMagnitude ... big, "a number > 0"),
            schedule: options["schedule"],
            power: try values.number("power", default: 0.25, in: 0 ... 10, "a number from 0 to 10"),
            tolerance: try values.number("tol", default: 1e-16, in: 0 ... 1, "a number from 0 to 1"),
            patience: try values.integer("patience", default: 5, in: 1 ... 10_000, "a whole number from 1 to 10000"),
            maxEpochs: try values.integer("max_epochs", default: 10_000, in: 1 ... 10_000_000, "a whole number from 1 to 10000000"),
            seed: UInt64(try values.integer("seed", default: 42, in: 0 ... Int.max, "a whole number ≥ 0")))
    }

    /// Unpenalised, the reference level keeps the fit identifiable; penalised, every level counts.
    public static func encoding(_ parameters: Parameters) -> CategoricalEncoding { parameters.alpha == 0 ? .treatment : .indicators }
    /// Descent is only as fast as the worst-scaled column allows.
    public static func defaultScale(_ parameters: Parameters) -> ScaleMethod { .standard }

    public static func fit(_ problem: TrainingProblem, _ parameters: Parameters) throws -> GradientDescentState {
        guard problem.design.columns > 0 else { throw ModelshError.usage("sgd needs at least one feature", argument: "features") }
        let loss: GradientDescent.Loss
        if problem.task == .classification {
            guard problem.classes.count == 2 else {
                throw ModelshError.usage("sgd classifies two classes; '\(problem.classes.count)' classes need logistic (multinomial)", argument: "target")
            }
            loss = .logistic
        } else {
            loss = .squared
        }
        return try state(parameters.solver(loss: loss, fitIntercept: problem.hasIntercept), problem.design, problem.target, observations: problem.target.count)
    }

    /// The state `solver` fits on `design` and `target`, counting `observations` training rows.
    static func state(_ solver: GradientDescent, _ design: Matrix, _ target: [Double], observations: Int) throws -> GradientDescentState {
        let fit = try solver.fit(design, target)
        return GradientDescentState(lossIsLogistic: solver.loss == .logistic, intercept: fit.intercept, coefficients: fit.coefficients, epochs: fit.epochs,
                                    initialObjective: fit.objectivePerEpoch.first ?? fit.objective, objective: fit.objective,
                                    converged: fit.converged, initialLearningRate: fit.initialLearningRate,
                                    finalLearningRate: fit.finalLearningRate, observations: observations)
    }
}

public struct GradientDescentState: LearnedState {
    /// Logistic loss (binary classification) or squared loss (regression).
    public let lossIsLogistic: Bool
    public let intercept: Double
    public let coefficients: [Double]
    public let epochs: Int
    /// The objective after the first epoch and at the end.
    public let initialObjective: Double
    public let objective: Double
    public let converged: Bool
    public let initialLearningRate: Double
    public let finalLearningRate: Double
    public let observations: Int

    public func predict(_ inputs: ModelInputs) throws -> RawPrediction {
        let z = LinearPredictor.apply(inputs.designColumns, intercept: intercept, slopes: coefficients)
        guard lossIsLogistic else { return .values(z) }
        var probabilities = Matrix(rows: z.count, columns: 2)
        for (row, value) in z.enumerated() {
            // σ(z) without overflow on either side.
            let p = value >= 0 ? 1 / (1 + exp(-value)) : exp(value) / (1 + exp(value))
            probabilities.values[row] = 1 - p
            probabilities.values[z.count + row] = p
        }
        return .probabilities(probabilities)
    }

    public var warnings: [String] {
        converged ? [] : ["gradient descent stopped after \(epochs) epochs without converging (raise max_epochs= or tol=)"]
    }

    public func summary(of model: Model, options: SummaryOptions) -> Report {
        var report = Report()
        let parameters = model.parameters as? GradientDescentModel.Parameters
        let batch = parameters?.batchSize.map { "minibatches of \($0) rows" } ?? "full batch"
        let alpha = NumberFormat.shortest(parameters?.alpha ?? 0)
        report.add("Loss: \(lossIsLogistic ? "logistic" : "squared"), L2 penalty alpha = \(alpha) per sample; \(batch)")
        var table = TextTable(headers: ["", "Estimate"], alignments: [.left, .right])
        if model.preprocessing.settings.hasIntercept { table.append(["(Intercept)", NumberFormat.significant(intercept)]) }
        for (term, value) in zip(model.terms, coefficients) { table.append([term, NumberFormat.significant(value)]) }
        report.add("Coefficients:")
        report.add(table)
        report.add("Descent: \(converged ? "converged" : "did NOT converge") after \(epochs) epochs; objective \(NumberFormat.significant(initialObjective)) after the first, \(NumberFormat.significant(objective)) at the end; learning rate \(NumberFormat.significant(initialLearningRate, digits: 4)) → \(NumberFormat.significant(finalLearningRate, digits: 4))")
        for warning in warnings { report.add("Warning: \(warning)") }
        return report
    }

    public func check(in model: Model) throws {
        try require(lossIsLogistic == (model.task == .classification), "the sgd loss does not match the task")
        try require(!lossIsLogistic || model.schema.classes.count == 2, "sgd classifies two classes")
        try require(coefficients.count == model.preprocessing.terms.count, "\(coefficients.count) coefficients for \(model.preprocessing.terms.count) design columns")
        try require(intercept.isFinite && coefficients.allSatisfy(\.isFinite), "a coefficient is not finite")
        try require(model.preprocessing.settings.hasIntercept || intercept == 0, "an intercept in a model fitted without one")
        try require(epochs >= 0 && objective.isFinite && initialObjective.isFinite, "the descent record is not finite")
        try require(observations == model.training.rowsUsed, "\(observations) observations but training used \(model.training.rowsUsed) rows")
    }
}
