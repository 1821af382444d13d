import Diagnostics
import Foundation
import Models
import Numerics

// The kinds that predict from the design: a linear predictor (MatMul + Add), through a logistic
// or softmax link for classifiers; naive Bayes from Gaussian terms and level tables.

extension LinearRegression.Learned: ONNXExpressible {
    func exportONNX(_ features: inout ONNXFeatures) throws -> ONNXPrediction {
        // Aliased terms count as zero, as in predict.
        let slopes = zip(estimates, aliased).map { $1 ? 0 : $0 }
        let first = hasIntercept ? 1 : 0
        let values = try features.linear(weights: [Array(slopes.dropFirst(first))], intercepts: [hasIntercept ? slopes[0] : 0])
        // An offset (an input of its own) adds to the prediction; a missing one makes it NaN.
        guard let name = features.model.schema.offset else { return .values(values) }
        return .values(features.graph.node("Add", [values, try features.numberInput(name)]))
    }
}

extension PenalisedLinearState: ONNXExpressible {
    func exportONNX(_ features: inout ONNXFeatures) throws -> ONNXPrediction {
        .values(try features.linear(weights: [coefficients], intercepts: [intercept]))
    }
}

extension GradientDescentState: ONNXExpressible {
    func exportONNX(_ features: inout ONNXFeatures) throws -> ONNXPrediction {
        let z = try features.linear(weights: [coefficients], intercepts: [intercept])
        guard lossIsLogistic else { return .values(z) }
        let p = features.graph.node("Sigmoid", [z])
        let q = features.graph.node("Sub", [features.graph.reals([1], shape: [], "one"), p])
        return .probabilities(features.graph.columns([q, p]))
    }
}

extension LogisticState: ONNXExpressible {
    func exportONNX(_ features: inout ONNXFeatures) throws -> ONNXPrediction {
        let classCount = features.model.schema.classes.count
        let offset = hasIntercept ? 1 : 0
        // Classes without coefficients (the baseline) have a linear predictor of 0.
        var weights = [[Double]](repeating: [Double](repeating: 0, count: terms.count - offset), count: classCount)
        var intercepts = [Double](repeating: 0, count: classCount)
        for (c, vector) in zip(modelledClasses, coefficients) {
            let slopes = zip(vector, aliased).map { $1 ? 0 : $0 }
            weights[c] = Array(slopes.dropFirst(offset))
            intercepts[c] = hasIntercept ? slopes[0] : 0
        }
        var logits = try features.linear(weights: weights, intercepts: intercepts)
        if let name = features.model.schema.offset {
            // A binary fit's offset adds to the modelled (second) class's logit; offset − offset
            // is 0, or NaN where the offset is missing, which the row then predicts.
            let offset = try features.numberInput(name)
            let shift = features.graph.columns([features.graph.node("Sub", [offset, offset]), offset])
            logits = features.graph.node("Add", [logits, shift])
        }
        return .probabilities(features.graph.node("Softmax", [logits], [.int("axis", 1)]))
    }
}

extension PoissonState: ONNXExpressible {
    /// e^(b + Xw + offset), floored at machine ε as predict's inverse link is. The offset is an
    /// input of its own, and a row missing it predicts NaN, as modelsh gives it no prediction.
    func exportONNX(_ features: inout ONNXFeatures) throws -> ONNXPrediction {
        let (intercept, slopes) = predictor
        var eta = try features.linear(weights: [slopes], intercepts: [intercept])
        let offset = try features.model.schema.offset.map { try features.numberInput($0) }
        if let offset { eta = features.graph.node("Add", [eta, offset]) }
        let rate = features.graph.node("Max", [features.graph.node("Exp", [eta]), features.graph.reals([Double.ulpOfOne], shape: [], "epsilon")])
        // offset − offset is 0, or NaN where the offset is missing (whatever Max makes of NaN).
        return .values(offset.map { features.graph.node("Add", [rate, features.graph.node("Sub", [$0, $0])]) } ?? rate)
    }
}

extension NaiveBayesState: ONNXExpressible {
    /// log prior − ½ Σ log(2πσ²) − Σ (x − μ)²/(2σ²) + Σ log P(level | class), then a softmax,
    /// as `NaiveBayes.jointLogLikelihood` and `probabilities` compute it.
    func exportONNX(_ features: inout ONNXFeatures) throws -> ONNXPrediction {
        let nb = model, classes = nb.classCount
        let constants = (0 ..< classes).map { c in nb.logPriors[c] - 0.5 * nb.variances[c].reduce(0) { $0 + log(2 * Double.pi * $1) } }
        var joint = features.graph.reals(constants, shape: [1, classes], "log_priors")
        let numeric = nb.means.first?.count ?? 0
        if numeric > 0 {
            let design = try features.design()
            let x = features.graph.node("Unsqueeze", [design, features.graph.axes([1])])  // rows × 1 × features
            let means = features.graph.weights(nb.means.flatMap { $0 }, shape: [classes, numeric], "means")
            let variances = features.graph.weights(nb.variances.flatMap { $0 }, shape: [classes, numeric], "variances")
            let halfPrecisions = features.graph.node("Div", [features.graph.reals([0.5], shape: [], "half"), variances])
            let deviations = features.graph.node("Sub", [x, means])
            let weighted = features.graph.node("Mul", [halfPrecisions, features.graph.node("Mul", [deviations, deviations])])
            joint = features.graph.node("Sub", [joint, features.graph.node("ReduceSum", [weighted, features.graph.axes([2])], [.int("keepdims", 0)])])
        }
        var categorical = 0
        for (index, feature) in features.model.schema.features.enumerated() where feature.levels != nil {
            let table = nb.levelLogProbabilities[categorical]  // [class][level]
            categorical += 1
            let levels = table[0].count
            let rows = (0 ..< levels).flatMap { level in (0 ..< classes).map { table[$0][level] } }  // levels × classes
            let codes = features.levelCodes(index)
            let lookup = features.graph.node("Gather", [features.graph.weights(rows, shape: [levels, classes], "level_log_probabilities"), codes], [.int("axis", 0)])
            joint = features.graph.node("Add", [joint, lookup])
        }
        return .probabilities(features.graph.node("Softmax", [joint], [.int("axis", 1)]))
    }
}

extension NearestNeighboursState: ONNXExpressible {
    func exportONNX(_ features: inout ONNXFeatures) throws -> ONNXPrediction {
        throw ModelshError.usage("ONNX export does not support knn models: they keep every training row, and ONNX's TopK does not break distance ties by training order as knn does")
    }
}
