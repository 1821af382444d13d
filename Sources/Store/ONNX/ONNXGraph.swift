import Diagnostics
import Foundation
import Models
import Numerics
import ONNXFormat
import SwiftProtobuf

/// The element types an exported graph uses, with ONNX's numbers for them (TensorProto.DataType).
enum ONNXElement: Int32, Sendable {
    case float = 1, uint8 = 2, int8 = 3, int64 = 7, string = 8, bool = 9, float16 = 10, double = 11

    /// Bytes per element in a tensor's raw data; 0 for strings, which are stored one by one.
    var byteWidth: Int {
        switch self {
        case .double, .int64: 8
        case .float: 4
        case .float16: 2
        case .uint8, .int8, .bool: 1
        case .string: 0
        }
    }
}

/// A graph under construction: nodes in the order they run, constants (initializers), inputs and
/// outputs, with every intermediate value given a fresh name that cannot collide with an input.
/// Values are named by strings, as ONNX wires nodes by name.
struct ONNXGraph {
    /// The opsets the graph is written for: ONNX 21 (onnx 1.16) and ai.onnx.ml 5, the first
    /// with double-precision tree ensembles and label encoders.
    static let opset: Int64 = 21
    static let mlOpset: Int64 = 5
    static let mlDomain = "ai.onnx.ml"
    /// IR version 10 goes with opset 21.
    static let irVersion: Int64 = 10
    /// The symbolic name of the batch (rows) dimension.
    static let rows = "N"
    /// Protocol buffers cannot hold a message of 2 GiB or more; refuse well before.
    static let maximumBytes = 1 << 30

    private(set) var nodes: [Onnx_NodeProto] = []
    private(set) var initializers: [Onnx_TensorProto] = []
    private(set) var inputs: [Onnx_ValueInfoProto] = []
    private(set) var outputs: [Onnx_ValueInfoProto] = []
    /// Every name defined so far (inputs, constants, node outputs), and the names kept for outputs.
    private var defined: Set<String> = []
    private var reserved: Set<String> = []
    private var counter = 0
    /// The precision of real-valued constants and of the computation after the inputs.
    let real: ONNXElement
    /// Whether some part computes in float32 (a compressed model's trees), so the outputs agree
    /// with modelsh's to float32's precision rather than double's.
    var computesInFloat32 = false

    init(real: ONNXElement = .double, outputNames: [String]) {
        self.real = real
        reserved = Set(outputNames)
    }

    // MARK: - Values

    /// A new input of `columns` columns per row (rows × columns).
    mutating func input(_ name: String, _ element: ONNXElement, columns: Int) throws -> String {
        guard !reserved.contains(name), !defined.contains(name) else {
            throw ModelshError.usage("ONNX export: the feature name '\(name)' is also the name of an output or another input; rename the column")
        }
        inputs.append(Self.valueInfo(name, element, shape: [nil, columns]))
        defined.insert(name)
        return name
    }

    /// A name no input, output or earlier value has.
    private mutating func fresh(_ hint: String) -> String {
        counter += 1
        var name = "_\(hint)_\(counter)"
        while defined.contains(name) || reserved.contains(name) { counter += 1; name = "_\(hint)_\(counter)" }
        defined.insert(name)
        return name
    }

    /// A constant of real numbers in the graph's precision.
    mutating func reals(_ values: [Double], shape: [Int], _ hint: String = "constant") -> String {
        constant(Self.tensor(values, shape: shape, as: real), hint)
    }

    /// Learned numbers (coefficients, means, tables) as a constant stored in the smallest type
    /// that holds every one exactly, widened to the graph's precision when read: int8 steps of a
    /// power-of-two scale, float16, float32, or the graph's own type. A compressed model's
    /// numbers fit a small type, so its file is smaller and it computes the same numbers.
    mutating func weights(_ values: [Double], shape: [Int], _ hint: String) -> String {
        // Below this many numbers the widening nodes cost more bytes than they save.
        guard values.count >= 16, values.allSatisfy(\.isFinite) else { return reals(values, shape: shape, hint) }
        let scale = Precision.int8Scale(values)
        if values.allSatisfy({ ($0 / scale).rounded() == $0 / scale }) {
            var tensor = Onnx_TensorProto()
            tensor.dims = shape.map(Int64.init)
            tensor.dataType = ONNXElement.int8.rawValue
            tensor.rawData = Data(values.map { UInt8(bitPattern: Int8($0 / scale)) })
            let widened = node("Cast", [constant(tensor, hint)], [.int("to", Int(real.rawValue))])
            return scale == 1 ? widened : node("Mul", [widened, reals([scale], shape: [], "scale")])
        }
        for narrow in [ONNXElement.float16, .float] where narrow.byteWidth < real.byteWidth {
            let exact = narrow == .float16
                ? values.allSatisfy { abs($0) <= Double(Float16.greatestFiniteMagnitude) && Double(Float16($0)) == $0 }
                : values.allSatisfy { Double(Float($0)) == $0 }
            if exact { return node("Cast", [constant(Self.tensor(values, shape: shape, as: narrow), hint)], [.int("to", Int(real.rawValue))]) }
        }
        return reals(values, shape: shape, hint)
    }

    mutating func int64s(_ values: [Int64], shape: [Int], _ hint: String = "indices") -> String {
        constant(Self.tensor(int64s: values, shape: shape), hint)
    }

    private mutating func constant(_ tensor: Onnx_TensorProto, _ hint: String) -> String {
        var tensor = tensor
        tensor.name = fresh(hint)
        initializers.append(tensor)
        return tensor.name
    }

    /// Adds a node with one output and returns the output's name.
    @discardableResult
    mutating func node(_ op: String, _ inputs: [String], _ attributes: [Onnx_AttributeProto] = [], ml: Bool = false) -> String {
        nodes(op, inputs, attributes, outputs: 1, ml: ml)[0]
    }

    mutating func nodes(_ op: String, _ inputs: [String], _ attributes: [Onnx_AttributeProto], outputs count: Int, ml: Bool) -> [String] {
        var node = Onnx_NodeProto()
        node.opType = op
        if ml { node.domain = Self.mlDomain }
        node.input = inputs
        node.output = (0 ..< count).map { _ in fresh(op.lowercased()) }
        node.name = node.output[0]
        node.attribute = attributes
        nodes.append(node)
        return node.output
    }

    /// Makes `value` a graph output called `name` (one of the reserved names).
    mutating func output(_ name: String, from value: String, _ element: ONNXElement, columns: Int?) {
        var node = Onnx_NodeProto()
        node.opType = "Identity"
        node.input = [value]
        node.output = [name]
        node.name = name
        nodes.append(node)
        defined.insert(name)
        outputs.append(Self.valueInfo(name, element, shape: columns.map { [nil, $0] } ?? [nil]))
    }

    // MARK: - Common patterns

    /// `axes` as the int64 constant opset 13+ operators take them.
    mutating func axes(_ axes: [Int]) -> String {
        int64s(axes.map(Int64.init), shape: [axes.count], "axes")
    }

    /// rows × columns values joined side by side (Concat on axis 1); one value is passed through.
    mutating func columns(_ values: [String]) -> String {
        values.count == 1 ? values[0] : node("Concat", values, [.int("axis", 1)])
    }

    /// The first index of the largest (ArgMax) or smallest (ArgMin) value of each row, as int64,
    /// ties to the first, as modelsh breaks them.
    mutating func argExtreme(_ op: String, _ value: String) -> String {
        node(op, [value], [.int("axis", 1), .int("keepdims", 0), .int("select_last_index", 0)])
    }

    // MARK: - The model

    /// The model proto, after checking the graph is well formed: every node reads values defined
    /// before it, every output is produced, and constants hold as many elements as their shape.
    func model(documentation: String) throws -> Onnx_ModelProto {
        try validate()
        var graph = Onnx_GraphProto()
        graph.name = "modelsh"
        graph.node = nodes
        graph.initializer = initializers
        graph.input = inputs
        graph.output = outputs
        var model = Onnx_ModelProto()
        model.irVersion = Self.irVersion
        model.producerName = "modelsh"
        model.producerVersion = ModelshVersion.current
        model.docString = documentation
        model.graph = graph
        var standard = Onnx_OperatorSetIdProto()
        standard.domain = ""
        standard.version = Self.opset
        var ml = Onnx_OperatorSetIdProto()
        ml.domain = Self.mlDomain
        ml.version = Self.mlOpset
        model.opsetImport = [standard, ml]
        var precision = Onnx_StringStringEntryProto()
        precision.key = "modelsh.precision"
        precision.value = computesInFloat32 ? "float32" : real == .double ? "double" : "float32"
        model.metadataProps = [precision]
        return model
    }

    private func validate() throws {
        func broken(_ problem: String) -> ModelshError { ModelshError(.software, "ONNX export made a malformed graph: \(problem)") }
        var available = Set(inputs.map(\.name)).union(initializers.map(\.name))
        var bytes = 0
        for tensor in initializers {
            let count = tensor.dims.reduce(1, *)
            let element = ONNXElement(rawValue: tensor.dataType)
            let stored = element == .string ? tensor.stringData.count : tensor.rawData.count / max(element?.byteWidth ?? 1, 1)
            guard tensor.dims.allSatisfy({ $0 >= 0 }), Int64(stored) == count else {
                throw broken("constant \(tensor.name) holds \(stored) elements for shape \(tensor.dims)")
            }
            bytes += tensor.rawData.count + tensor.stringData.reduce(0) { $0 + $1.count }
        }
        guard bytes < Self.maximumBytes else {
            throw ModelshError.data("ONNX export: the model's constants take \(NumberFormat.bytes(bytes)), more than an ONNX file can hold (\(NumberFormat.bytes(Self.maximumBytes)))")
        }
        for node in nodes {
            if let missing = node.input.first(where: { !$0.isEmpty && !available.contains($0) }) {
                throw broken("node \(node.name) (\(node.opType)) reads \(missing) before it is defined")
            }
            for output in node.output {
                guard available.insert(output).inserted else { throw broken("\(output) is defined twice") }
            }
        }
        if let missing = outputs.first(where: { !available.contains($0.name) }) { throw broken("output \(missing.name) is never produced") }
    }

    // MARK: - Protos

    static func valueInfo(_ name: String, _ element: ONNXElement, shape: [Int?]) -> Onnx_ValueInfoProto {
        var tensorType = Onnx_TypeProto.Tensor()
        tensorType.elemType = element.rawValue
        tensorType.shape.dim = shape.map { size in
            var dimension = Onnx_TensorShapeProto.Dimension()
            if let size { dimension.dimValue = Int64(size) } else { dimension.dimParam = rows }
            return dimension
        }
        var info = Onnx_ValueInfoProto()
        info.name = name
        info.type.tensorType = tensorType
        return info
    }

    /// Real numbers as a tensor of `element` (double, float or float16), little-endian raw data.
    static func tensor(_ values: [Double], shape: [Int], as element: ONNXElement) -> Onnx_TensorProto {
        var tensor = Onnx_TensorProto()
        tensor.dims = shape.map(Int64.init)
        tensor.dataType = element.rawValue
        var data = Data(capacity: values.count * element.byteWidth)
        for value in values {
            switch element {
            case .float: withUnsafeBytes(of: Float(value).bitPattern.littleEndian) { data.append(contentsOf: $0) }
            case .float16: withUnsafeBytes(of: Float16(value).bitPattern.littleEndian) { data.append(contentsOf: $0) }
            default: withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
            }
        }
        tensor.rawData = data
        return tensor
    }

    static func tensor(int64s values: [Int64], shape: [Int]) -> Onnx_TensorProto {
        var tensor = Onnx_TensorProto()
        tensor.dims = shape.map(Int64.init)
        tensor.dataType = ONNXElement.int64.rawValue
        var data = Data(capacity: values.count * 8)
        for value in values { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        tensor.rawData = data
        return tensor
    }

    static func tensor(uint8s values: [UInt8]) -> Onnx_TensorProto {
        var tensor = Onnx_TensorProto()
        tensor.dims = [Int64(values.count)]
        tensor.dataType = ONNXElement.uint8.rawValue
        tensor.rawData = Data(values)
        return tensor
    }
}

extension Onnx_AttributeProto {
    static func int(_ name: String, _ value: Int) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.type = .int
        attribute.i = Int64(value)
        return attribute
    }

    static func ints(_ name: String, _ values: [Int]) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.type = .ints
        attribute.ints = values.map(Int64.init)
        return attribute
    }

    static func string(_ name: String, _ value: String) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.type = .string
        attribute.s = Data(value.utf8)
        return attribute
    }

    static func strings(_ name: String, _ values: [String]) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.type = .strings
        attribute.strings = values.map { Data($0.utf8) }
        return attribute
    }

    static func tensor(_ name: String, _ value: Onnx_TensorProto) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.type = .tensor
        attribute.t = value
        return attribute
    }
}
