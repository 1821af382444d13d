import Diagnostics
import Foundation
import Models
import ONNXFormat
@testable import Store
import Tabular
import XCTest

/// The exported graphs' structure per kind: inputs named and typed from the training schema,
/// the operators each kind's graph is built from, skl2onnx's output names; and the refusals.
/// That the graphs compute modelsh's predictions is checked in onnxruntime by scripts/check-onnx.sh.
final class ONNXExportTests: StoreTestCase {
    /// 40 rows: numbers `x` (two missing) and `z`, a category `city`, a numeric target `y`, a
    /// two-class `outcome` and a three-class `species`.
    static func data() throws -> Dataset {
        let n = 40
        var x: [Double] = [], z: [Double] = [], y: [Double] = [], city: [String?] = [], outcome: [String?] = [], species: [String?] = []
        for i in 0 ..< n {
            let t = Double(i)
            let level = (i * 7) % 3
            x.append(t * 0.37 + sin(t))
            z.append(cos(t * 1.3) * 2)
            city.append(["Oslo", "Bergen", "Tromsø"][level])
            let value: Double = 1.5 + 2 * x[i] - z[i] + Double(level) * 0.8 + sin(t * 3.1) * 0.3
            y.append(value)
            outcome.append(value + sin(t * 5) * 3 > 8 ? "yes" : "no")
            species.append(["a", "b", "c"][Int((value + sin(t * 2) * 4).magnitude) % 3])
        }
        var missing = MissingMask(count: n)
        missing[5] = true
        missing[17] = true
        return try Dataset(columns: [Column(name: "x", type: .numeric, storage: .numbers(x), missing: missing), .numeric("z", z), .categorical("city", city), .numeric("y", y),
                                     .categorical("outcome", outcome), .categorical("species", species)])
    }

    private func fit(_ kind: String, target: String?, features: [String] = ["x", "z", "city"], _ options: [String: String] = [:]) throws -> Model {
        try ModelCatalogue.fit(kind: kind, data: Self.data(), datasetName: "train", target: target, features: features, options: options)
    }

    /// The exported model, read back from its bytes as a consumer would.
    private func exported(_ model: Model) throws -> Onnx_ModelProto {
        try Onnx_ModelProto(serializedBytes: try ONNXExport.encode(model, name: "m"))
    }

    private func operators(_ proto: Onnx_ModelProto) -> Set<String> { Set(proto.graph.node.map(\.opType)) }

    private func elementType(_ info: Onnx_ValueInfoProto) -> ONNXElement? { ONNXElement(rawValue: info.type.tensorType.elemType) }

    private func shape(_ info: Onnx_ValueInfoProto) -> [String] {
        info.type.tensorType.shape.dim.map { $0.dimParam.isEmpty ? String($0.dimValue) : $0.dimParam }
    }

    /// One input per feature: numbers double [N, 1], categories string [N, 1].
    private func assertSchemaInputs(_ proto: Onnx_ModelProto, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(proto.graph.input.map(\.name), ["x", "z", "city"], file: file, line: line)
        XCTAssertEqual(proto.graph.input.map(elementType), [.double, .double, .string], file: file, line: line)
        XCTAssertEqual(proto.graph.input.map(shape), [["N", "1"], ["N", "1"], ["N", "1"]], file: file, line: line)
    }

    private func assertOutputs(_ proto: Onnx_ModelProto, _ expected: [(String, ONNXElement, [String])],
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(proto.graph.output.map(\.name), expected.map(\.0), file: file, line: line)
        XCTAssertEqual(proto.graph.output.map(elementType), expected.map(\.1), file: file, line: line)
        XCTAssertEqual(proto.graph.output.map(shape), expected.map(\.2), file: file, line: line)
    }

    // MARK: - Structure per kind

    func testModelDeclaresOpsetsAndProducer() throws {
        let proto = try exported(fit("linear", target: "y"))
        XCTAssertEqual(proto.irVersion, 10)
        XCTAssertEqual(proto.opsetImport.map(\.domain), ["", "ai.onnx.ml"])
        XCTAssertEqual(proto.opsetImport.map(\.version), [21, 5])
        XCTAssertEqual(proto.producerName, "modelsh")
        XCTAssertTrue(proto.docString.contains("linear"))
    }

    func testLinearKindsAreAMatMulOnTheEncodedDesign() throws {
        for kind in ["linear", "ridge", "lasso", "elasticnet", "sgd"] {
            let proto = try exported(fit(kind, target: "y"))
            assertSchemaInputs(proto)
            assertOutputs(proto, [("variable", .double, ["N", "1"])])
            let ops = operators(proto)
            XCTAssertTrue(ops.isSuperset(of: ["LabelEncoder", "Equal", "Cast", "Concat", "MatMul", "Add"]), "\(kind): \(ops)")
            // Rows with a missing number are dropped by default: the mask that makes them NaN.
            XCTAssertTrue(ops.isSuperset(of: ["Sub", "ReduceSum"]), kind)
        }
        // sgd scales by default: the design is centred and divided.
        XCTAssertTrue(operators(try exported(fit("sgd", target: "y"))).isSuperset(of: ["Sub", "Div"]))
    }

    func testImputationAndPolynomialTermsAreInTheGraph() throws {
        let proto = try exported(fit("linear", target: "y", ["impute": "mean", "poly": "2"]))
        let ops = operators(proto)
        XCTAssertTrue(ops.isSuperset(of: ["IsNaN", "Where", "Gather", "Mul", "ConstantOfShape"]), "\(ops)")
        XCTAssertFalse(ops.contains("ReduceSum"), "an imputing model predicts every row, so has no missing-row mask")
    }

    func testClassifiersGiveALabelAndProbabilities() throws {
        let cases: [(String, String, [String: String], Set<String>)] = [
            ("logistic", "outcome", [:], ["MatMul", "Softmax", "ArgMax"]),
            ("logistic", "species", ["penalty": "l2"], ["MatMul", "Softmax"]),
            ("sgd", "outcome", [:], ["Sigmoid"]),
            ("naivebayes", "species", [:], ["ReduceSum", "Gather", "Softmax"]),
            ("tree", "species", [:], ["TreeEnsemble"]),
            ("forest", "outcome", ["trees": "3"], ["TreeEnsemble", "Div"]),
            ("boost", "outcome", ["rounds": "5", "min_leaf": "3"], ["TreeEnsemble", "Sigmoid"]),
            ("boost", "species", ["rounds": "5", "min_leaf": "3"], ["TreeEnsemble", "Softmax"]),
        ]
        for (kind, target, options, expected) in cases {
            let model = try fit(kind, target: target, options)
            let proto = try exported(model)
            assertSchemaInputs(proto)
            assertOutputs(proto, [("label", .string, ["N"]), ("probabilities", .double, ["N", "\(model.schema.classes.count)"])])
            XCTAssertTrue(operators(proto).isSuperset(of: expected.union(["LabelEncoder"])), "\(kind) → \(target): \(operators(proto))")
        }
    }

    func testTreesSplitCategoriesByMembershipAndRouteMissingValues() throws {
        let model = try fit("tree", target: "y")
        let proto = try exported(model)
        let ensemble = try XCTUnwrap(proto.graph.node.first { $0.opType == "TreeEnsemble" })
        XCTAssertEqual(ensemble.domain, "ai.onnx.ml")
        let attributes = Dictionary(uniqueKeysWithValues: ensemble.attribute.map { ($0.name, $0) })
        XCTAssertEqual(attributes["n_targets"]?.i, 1)
        XCTAssertEqual(attributes["aggregate_function"]?.i, 1)  // SUM
        // Thresholds and leaf weights in double, as the tree holds them.
        XCTAssertEqual(attributes["nodes_splits"]?.t.dataType, ONNXElement.double.rawValue)
        XCTAssertEqual(attributes["leaf_weights"]?.t.dataType, ONNXElement.double.rawValue)
        let tree = (model.state as! TreeState).tree
        XCTAssertEqual(attributes["nodes_featureids"]?.ints.count, tree.nodeCount - tree.leafCount)
        XCTAssertEqual(attributes["leaf_weights"].map { $0.t.rawData.count / 8 }, tree.leafCount)
        XCTAssertEqual(attributes["nodes_missing_value_tracks_true"]?.ints.count, tree.nodeCount - tree.leafCount)
    }

    func testUnsupervisedKindsGiveClustersAndComponents() throws {
        let kmeans = try exported(fit("kmeans", target: nil, ["k": "3"]))
        assertSchemaInputs(kmeans)
        assertOutputs(kmeans, [("label", .int64, ["N"]), ("scores", .double, ["N", "3"])])
        XCTAssertTrue(operators(kmeans).isSuperset(of: ["ReduceSumSquare", "ArgMin", "Sqrt"]))
        let pca = try exported(fit("pca", target: nil, ["k": "2"]))
        assertOutputs(pca, [("variable", .double, ["N", "2"])])
        XCTAssertTrue(operators(pca).isSuperset(of: ["Sub", "MatMul"]))
    }

    func testEveryNodeReadsOnlyValuesDefinedBeforeIt() throws {
        for kind in ["linear", "naivebayes", "boost"] {
            let target = kind == "linear" ? "y" : "species"
            let proto = try exported(fit(kind, target: target, kind == "boost" ? ["rounds": "3", "min_leaf": "3"] : [:]))
            var defined = Set(proto.graph.input.map(\.name)).union(proto.graph.initializer.map(\.name))
            for node in proto.graph.node {
                for input in node.input { XCTAssertTrue(defined.contains(input), "\(kind): \(node.opType) reads \(input)") }
                defined.formUnion(node.output)
            }
            XCTAssertTrue(proto.graph.output.allSatisfy { defined.contains($0.name) })
        }
    }

    // MARK: - Compressed models

    func testCompressedCoefficientsAreStoredInTheSmallerTypeAndTheFileShrinks() throws {
        let model = try fit("linear", target: "y", ["impute": "mean", "poly": "3"])
        let terms = Int64(model.terms.count)
        XCTAssertGreaterThan(terms, 16)
        let original = try ONNXExport.encode(model, name: "m").count
        XCTAssertFalse(try exported(model).graph.initializer.contains { $0.dataType != ONNXElement.double.rawValue && $0.dataType != ONNXElement.int64.rawValue })
        for (precision, element) in [(Precision.int8, ONNXElement.int8), (.float16, .float16), (.float32, .float)] {
            let small = try model.compressed(Compression(precision: precision))
            let proto = try exported(small)
            XCTAssertTrue(proto.graph.initializer.contains { $0.dataType == element.rawValue && $0.dims == [terms, 1] }, "\(precision)")
            XCTAssertTrue(operators(proto).contains("Cast"))
            XCTAssertLessThan(try ONNXExport.encode(small, name: "m").count, original, "\(precision)")
            XCTAssertEqual(proto.metadataProps.first { $0.key == "modelsh.precision" }?.value, "double", "the graph still computes in double")
        }
    }

    func testCompressedTreesRunInFloat32() throws {
        let model = try fit("forest", target: "species", ["trees": "4"])
        let small = try model.compressed(Compression(precision: .float16))
        let proto = try exported(small)
        let ensemble = try XCTUnwrap(proto.graph.node.first { $0.opType == "TreeEnsemble" })
        XCTAssertEqual(ensemble.attribute.first { $0.name == "nodes_splits" }?.t.dataType, ONNXElement.float.rawValue)
        XCTAssertEqual(proto.metadataProps.first { $0.key == "modelsh.precision" }?.value, "float32")
        XCTAssertLessThan(try ONNXExport.encode(small, name: "m").count, try ONNXExport.encode(model, name: "m").count)
        // The uncompressed forest stays in double.
        let original = try XCTUnwrap(try exported(model).graph.node.first { $0.opType == "TreeEnsemble" })
        XCTAssertEqual(original.attribute.first { $0.name == "nodes_splits" }?.t.dataType, ONNXElement.double.rawValue)
    }

    // MARK: - Refusals

    func testKnnIsRefusedWithTheReasonOnOneLine() throws {
        let model = try fit("knn", target: "y")
        assertModelshError(.usage, containing: ["does not support knn", "ties"]) { try ONNXExport.encode(model, name: "m") }
        do { _ = try ONNXExport.encode(model, name: "m") } catch let error as ModelshError {
            XCTAssertFalse(error.message.contains("\n"))
        }
    }

    func testAFeatureNamedLikeAnOutputIsRefused() throws {
        let data = try Self.data()
        let renamed = try Dataset(columns: data.columns.map { $0.name == "z" ? $0.renamed("label") : $0 })
        let model = try ModelCatalogue.fit(kind: "logistic", data: renamed, datasetName: "train", target: "outcome",
                                           features: ["x", "label"], options: [:])
        assertModelshError(.usage, containing: ["'label'", "output"]) { try ONNXExport.encode(model, name: "m") }
    }
}
