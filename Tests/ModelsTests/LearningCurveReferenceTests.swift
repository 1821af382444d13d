import Foundation
import Models
import Tabular
import XCTest

/// learning-curve and diagnose against scikit-learn on the same rows: Tests/References/
/// learning_curve.py takes the folds and shuffled training orders modelsh makes (stored in
/// learning_curve.json, which this test first checks are still the ones made) and computes
/// learning_curve, cross_validate and the plain scores with scikit-learn. Observed agreement:
/// linear to rounding; logistic to 1.6e-8 relative at worst (a standard deviation of log-loss),
/// scikit-learn's lbfgs stopping short of glm's optimum by that much.
final class LearningCurveReferenceTests: XCTestCase {
    struct Reference: Decodable {
        struct Curve: Decodable {
            let kind: String, data: String, target: String, features: [String]?, folds: Int, seed: UInt64
            let sizes: [Int], metric: String
            let foldOfRow: [Int], orders: [[Int]]
            let train: [[Double]], validation: [[Double]]  // size × fold
        }
        struct Diagnosis: Decodable {
            let kind: String, data: String, target: String, features: [String]?, trainRows: Int, folds: Int, seed: UInt64
            let foldOfRow: [Int]
            let metrics: [String], training: [Double], cvMean: [Double], cvSd: [Double], test: [Double]
        }
        let curves: [Curve]
        let diagnoses: [Diagnosis]
    }

    static let reference: Reference = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("References/learning_curve.json")
        return try! JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    }()

    func testLearningCurvesMatchScikitLearn() throws {
        for curve in Self.reference.curves {
            let data = try TestData.csv(curve.data)
            let validation = try CrossValidation(kind: try ModelCatalogue.requireKind(named: curve.kind), data: data, datasetName: "d",
                                                 target: curve.target, features: curve.features, options: [:], folds: curve.folds,
                                                 seed: curve.seed, stratified: nil)
            XCTAssertEqual(validation.foldOfRow, curve.foldOfRow, "the folds scikit-learn was given")
            XCTAssertEqual(LearningCurve.trainingOrders(validation, seed: curve.seed), curve.orders, "the orders scikit-learn was given")
            let computed = try LearningCurve(validation: validation, options: [:], sizes: curve.sizes.map(Double.init), metric: curve.metric, seed: curve.seed)
            XCTAssertEqual(computed.points.map(\.size), curve.sizes)
            for (point, (train, held)) in zip(computed.points, zip(curve.train, curve.validation)) {
                let (t, v) = (MetricSummary(train), MetricSummary(held))
                let message = "\(curve.kind) \(curve.metric) at \(point.size)"
                assertRelative(point.train.mean, t.mean, 1e-8, message)
                assertRelative(point.validation.mean, v.mean, 1e-8, message)
                assertRelative(point.train.standardDeviation, t.standardDeviation, 1e-6, message)
                assertRelative(point.validation.standardDeviation, v.standardDeviation, 1e-6, message)
            }
        }
    }

    func testDiagnoseMatchesScikitLearn() throws {
        for reference in Self.reference.diagnoses {
            let data = try TestData.csv(reference.data)
            let training = data.selecting(rows: Array(0 ..< reference.trainRows))
            let test = data.selecting(rows: Array(reference.trainRows ..< data.rowCount))
            let model = try ModelCatalogue.fit(kind: reference.kind, data: training, datasetName: "train", target: reference.target,
                                               features: reference.features, options: [:])
            let validation = try CrossValidation(kind: try ModelCatalogue.requireKind(named: reference.kind), data: training, datasetName: "train",
                                                 target: reference.target, features: model.schema.features.map(\.name), options: [:],
                                                 folds: reference.folds, seed: reference.seed, stratified: nil)
            XCTAssertEqual(validation.foldOfRow, reference.foldOfRow, "the folds scikit-learn was given")
            let diagnosis = try Diagnosis(model: model, training: training, datasetName: "train", test: test, folds: reference.folds, seed: reference.seed)
            XCTAssertEqual(diagnosis.metrics, reference.metrics)
            for (index, metric) in reference.metrics.enumerated() {
                assertRelative(diagnosis.training[index], reference.training[index], 1e-8, "\(reference.kind) training \(metric)")
                assertRelative(diagnosis.cvMean[index], reference.cvMean[index], 1e-8, "\(reference.kind) cv \(metric)")
                assertRelative(diagnosis.cvStandardDeviation[index], reference.cvSd[index], 1e-6, "\(reference.kind) cv sd \(metric)")
                assertRelative(diagnosis.test[index], reference.test[index], 1e-8, "\(reference.kind) test \(metric)")
            }
        }
    }

    /// Writes the folds and orders the reference script needs (run once with
    /// MODELSH_WRITE_SPLITS=PATH; the script adds scikit-learn's scores).
    func testWriteSplitsWhenAsked() throws {
        guard let path = ProcessInfo.processInfo.environment["MODELSH_WRITE_SPLITS"] else { return }
        var curves: [[String: Any]] = []
        for (kind, file, target, features, sizes, metric) in [
            ("linear", "diabetes.csv", "Y", nil, [35, 176, 353], "r2"),
            ("logistic", "breast_cancer.csv", "diagnosis", Self.cancerFeatures, [113, 227, 455], "accuracy"),
            ("logistic", "breast_cancer.csv", "diagnosis", Self.cancerFeatures, [113, 227, 455], "log_loss"),
        ] as [(String, String, String, [String]?, [Int], String)] {
            let validation = try CrossValidation(kind: try ModelCatalogue.requireKind(named: kind), data: TestData.csv(file), datasetName: "d",
                                                 target: target, features: features, options: [:], folds: 5, seed: 1, stratified: nil)
            curves.append(["kind": kind, "data": file, "target": target, "features": features.map { $0 as Any } ?? NSNull(), "folds": 5, "seed": 1, "sizes": sizes,
                           "metric": metric, "foldOfRow": validation.foldOfRow, "orders": LearningCurve.trainingOrders(validation, seed: 1)])
        }
        var diagnoses: [[String: Any]] = []
        for (kind, file, target, features, trainRows) in [
            ("linear", "diabetes.csv", "Y", nil, 300), ("logistic", "breast_cancer.csv", "diagnosis", Self.cancerFeatures, 400),
        ] as [(String, String, String, [String]?, Int)] {
            let data = try TestData.csv(file).selecting(rows: Array(0 ..< trainRows))
            let validation = try CrossValidation(kind: try ModelCatalogue.requireKind(named: kind), data: data, datasetName: "d",
                                                 target: target, features: features, options: [:], folds: 5, seed: 42, stratified: nil)
            diagnoses.append(["kind": kind, "data": file, "target": target, "features": features.map { $0 as Any } ?? NSNull(), "trainRows": trainRows, "folds": 5,
                              "seed": 42, "foldOfRow": validation.foldOfRow])
        }
        let json = try JSONSerialization.data(withJSONObject: ["curves": curves, "diagnoses": diagnoses], options: [.sortedKeys])
        try json.write(to: URL(fileURLWithPath: path))
    }

    static let cancerFeatures = ["mean_radius", "mean_texture", "mean_smoothness", "mean_concavity"]
}
