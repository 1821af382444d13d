import Diagnostics
import Foundation
import Models
import ONNXFormat
import SwiftProtobuf

/// A learned state that ONNX's standard and ai.onnx.ml operators can express. Its conformance
/// (one per kind, in the ONNX*Kinds files) adds the nodes that turn the prepared features into
/// the kind's raw prediction; the exporter makes the outputs every kind of a task shares. A kind
/// that cannot be expressed has no conformance, or one that throws saying why.
protocol ONNXExpressible {
    func exportONNX(_ features: inout ONNXFeatures) throws -> ONNXPrediction
}

/// What a kind's graph computes, as names of values in the graph (rows first).
enum ONNXPrediction {
    /// Regression: rows × 1.
    case values(String)
    /// Classification: rows × classes, in the schema's class order.
    case probabilities(String)
    /// Clustering: rows × clusters, each row's squared distance to each centre.
    case squaredDistances(String, clusters: Int)
    /// Components: rows × components scores.
    case components(String, count: Int)
}

/// Writes a fitted model as an ONNX file: a graph from the training schema's columns (one input
/// per feature: numbers as double [N, 1], categories as string [N, 1], a missing number NaN
/// and a missing category the empty string) through the stored preprocessing to outputs named
/// as skl2onnx names them: `label` and `probabilities` for a classifier, `variable` for a
/// regression or PCA, `label` and `scores` (distances) for k-means.
public enum ONNXExport {
    public static let fileExtension = "onnx"

    /// The output names, reserved so no feature input takes one.
    static let outputNames = ["label", "probabilities", "variable", "scores"]

    /// The model proto for `model` (called `name`), or a one-line refusal saying why the kind
    /// or this model cannot be expressed.
    static func proto(_ model: Model, name: String) throws -> Onnx_ModelProto {
        guard let expressible = model.state as? ONNXExpressible else {
            throw ModelshError.usage("ONNX export does not support '\(model.kind)' models")
        }
        guard !model.schema.features.isEmpty else {
            throw ModelshError.usage("ONNX export needs at least one feature: a model without features has no inputs")
        }
        var features = try ONNXFeatures(model, graph: ONNXGraph(outputNames: outputNames))
        let prediction = try expressible.exportONNX(&features)
        var graph = features.graph
        let real = graph.real
        // Rows modelsh leaves without a prediction (a missing input, no imputation) get NaN.
        func masked(_ value: String) -> String { features.missingMask.map { graph.node("Add", [value, $0]) } ?? value }
        switch prediction {
        case .values(let values):
            graph.output("variable", from: masked(values), real, columns: 1)
        case .probabilities(let probabilities):
            let classes = model.schema.classes
            let masked = masked(probabilities)
            let index = graph.argExtreme("ArgMax", masked)
            let label = graph.node("LabelEncoder", [index], [.ints("keys_int64s", Array(classes.indices)), .strings("values_strings", classes),
                                                            .string("default_string", "")], ml: true)
            graph.output("label", from: label, .string, columns: nil)
            graph.output("probabilities", from: masked, real, columns: classes.count)
        case .squaredDistances(let squared, let clusters):
            let masked = masked(squared)
            graph.output("label", from: graph.argExtreme("ArgMin", masked), .int64, columns: nil)
            graph.output("scores", from: graph.node("Sqrt", [masked]), real, columns: clusters)
        case .components(let scores, let count):
            graph.output("variable", from: masked(scores), real, columns: count)
        }
        return try graph.model(documentation: "modelsh \(model.kind) model '\(name)' (\(model.task.rawValue)), fitted on \(model.training.datasetName)")
    }

    /// The model as ONNX bytes.
    public static func encode(_ model: Model, name: String) throws -> Data {
        let proto = try proto(model, name: name)
        do {
            return try proto.serializedData()
        } catch {
            throw ModelshError(.software, "cannot encode model '\(name)' as ONNX (\(error))")
        }
    }
}

/// The model's features as graph values, prepared as modelsh prepares them: missing numbers
/// filled with the stored fill (or kept NaN), categories mapped to their training level's index
/// (the fill, or NaN, for a missing or unseen level), and, built on demand, the design matrix
/// (indicators, polynomial terms, scaling) and the matrix of features as trees read them.
struct ONNXFeatures {
    var graph: ONNXGraph
    let model: Model
    /// Per feature: the number (rows × 1), or the level's index as a real number.
    private var values: [String] = []
    /// Per categorical feature: its level code as int64 (rows), for table look-ups; the fill, or
    /// 0 where the row has no prediction anyway.
    private var codes: [Int: String] = [:]
    /// rows × 1: 0, or NaN where a feature is missing and the model drops such rows.
    private(set) var missingMask: String?
    /// The first input, whose shape gives the number of rows.
    private let firstInput: String

    init(_ model: Model, graph: ONNXGraph) throws {
        self.graph = graph
        self.model = model
        let settings = model.preprocessing.settings
        var inputs: [String] = [], present: [String] = []
        for (index, feature) in model.schema.features.enumerated() {
            let fill = model.preprocessing.fills.isEmpty ? nil : model.preprocessing.fills[index]
            if let levels = feature.levels {
                guard Set(levels).count == levels.count else {
                    throw ModelshError.data("ONNX export: feature '\(feature.name)' has a level twice, which a label encoder cannot map")
                }
                let input = try self.graph.input(feature.name, .string, columns: 1)
                inputs.append(input)
                let index = self.graph.node("LabelEncoder", [input], [
                    .strings("keys_strings", levels),
                    .tensor("values_tensor", ONNXGraph.tensor(levels.indices.map(Double.init), shape: [levels.count], as: .double)),
                    .tensor("default_tensor", ONNXGraph.tensor([fill ?? .nan], shape: [1], as: .double)),
                ], ml: true)
                values.append(self.graph.real == .double ? index : self.graph.node("Cast", [index], [.int("to", Int(self.graph.real.rawValue))]))
                present.append(index)
            } else {
                let input = try self.graph.input(feature.name, .double, columns: 1)
                inputs.append(input)
                var value = Self.real(input, in: &self.graph)
                if let fill, settings.imputes {
                    value = self.graph.node("Where", [self.graph.node("IsNaN", [value]), self.graph.reals([fill], shape: [], "fill"), value])
                }
                values.append(value)
                present.append(input)
            }
        }
        firstInput = inputs[0]
        if settings.impute == .drop {
            // x − x is 0, or NaN where x is missing (or infinite, which modelsh does not predict from either).
            var differences: [String] = []
            for value in present { differences.append(self.graph.node("Sub", [value, value])) }
            var mask = self.graph.node("ReduceSum", [self.graph.columns(differences), self.graph.axes([1])], [.int("keepdims", 1)])
            if self.graph.real != .double { mask = self.graph.node("Cast", [mask], [.int("to", Int(self.graph.real.rawValue))]) }
            missingMask = mask
        }
    }

    /// Feature `index`'s value (rows × 1): its number, or its level's index.
    func value(_ index: Int) -> String { values[index] }

    /// A numeric input that is no feature (a Poisson model's offset), rows × 1 in the graph's
    /// real type.
    mutating func numberInput(_ name: String) throws -> String {
        Self.real(try graph.input(name, .double, columns: 1), in: &graph)
    }

    /// A double input in `graph`'s real type.
    private static func real(_ input: String, in graph: inout ONNXGraph) -> String {
        graph.real == .double ? input : graph.node("Cast", [input], [.int("to", Int(graph.real.rawValue))])
    }

    /// Categorical feature `index`'s level codes, int64, one per row (not rows × 1).
    mutating func levelCodes(_ index: Int) -> String {
        if let known = codes[index] { return known }
        let feature = model.schema.features[index]
        let levels = feature.levels ?? []
        let fill = model.preprocessing.fills.isEmpty ? 0 : Int(model.preprocessing.fills[index])
        let code = graph.node("LabelEncoder", [feature.name], [.strings("keys_strings", levels), .ints("values_int64s", Array(levels.indices)),
                                                               .int("default_int64", fill)], ml: true)
        let flat = graph.node("Squeeze", [code, graph.axes([1])])
        codes[index] = flat
        return flat
    }

    /// rows × features: each feature's number or level index, as the tree kinds read them.
    mutating func nativeMatrix() -> String {
        graph.columns(values)
    }

    /// The design, rows × terms, as `Preprocessing.inputs` builds it: numeric features and level
    /// indicators (the base columns), their products for polynomial terms, then scaling.
    mutating func design() throws -> String {
        let preprocessing = model.preprocessing
        let base = Preprocessing.baseColumns(model.schema, settings: preprocessing.settings)
        guard !preprocessing.terms.isEmpty else {
            throw ModelshError(.software, "ONNX export asked for the design of a model that has no design columns")
        }
        var pieces: [String] = []
        var start = 0
        while start < base.count {
            let feature = base[start].feature
            var end = start + 1
            while end < base.count, base[end].feature == feature { end += 1 }
            if base[start].level == nil {
                pieces.append(values[feature])
            } else {
                let levels = base[start ..< end].map { Double($0.level!) }
                let equal = graph.node("Equal", [values[feature], graph.reals(levels, shape: [1, levels.count], "levels")])
                pieces.append(graph.node("Cast", [equal], [.int("to", Int(graph.real.rawValue))]))
            }
            start = end
        }
        let baseMatrix = graph.columns(pieces)
        var design = baseMatrix
        if preprocessing.terms != base.indices.map({ [$0] }) {
            // Products by position: factor p of every term at once, a column of ones where a
            // term has fewer factors. Multiplying by 1 is exact, so each column is the product
            // modelsh forms, in the same order.
            let ones = graph.node("ConstantOfShape", [graph.node("Shape", [firstInput])],
                                  [.tensor("value", ONNXGraph.tensor([1], shape: [1], as: graph.real))])
            let withOnes = graph.columns([baseMatrix, ones])
            let longest = preprocessing.terms.map(\.count).max() ?? 1
            for position in 0 ..< longest {
                let indices = preprocessing.terms.map { Int64(position < $0.count ? $0[position] : base.count) }
                let factor = graph.node("Gather", [withOnes, graph.int64s(indices, shape: [indices.count], "factors")], [.int("axis", 1)])
                design = position == 0 ? factor : graph.node("Mul", [design, factor])
            }
        }
        if !preprocessing.centres.isEmpty {
            let count = preprocessing.centres.count
            design = graph.node("Div", [graph.node("Sub", [design, graph.reals(preprocessing.centres, shape: [count], "centres")]),
                                        graph.reals(preprocessing.scales, shape: [count], "scales")])
        }
        return design
    }

    /// intercepts + design × weights: rows × outputs, `weights[k]` the coefficients of output k.
    mutating func linear(weights: [[Double]], intercepts: [Double]) throws -> String {
        let design = try design()
        let terms = model.preprocessing.terms.count
        guard weights.allSatisfy({ $0.count == terms }), intercepts.count == weights.count else {
            throw ModelshError(.software, "ONNX export: \(weights.map(\.count)) coefficients for \(terms) design columns")
        }
        let matrix = (0 ..< terms).flatMap { j in weights.map { $0[j] } }  // row-major terms × outputs
        let product = graph.node("MatMul", [design, graph.weights(matrix, shape: [terms, weights.count], "coefficients")])
        return graph.node("Add", [product, graph.reals(intercepts, shape: [intercepts.count], "intercepts")])
    }
}
