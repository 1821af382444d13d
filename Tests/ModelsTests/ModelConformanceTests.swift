import Diagnostics
import Foundation
import Models
import Tabular
import XCTest

/// One suite over every kind in the catalogue (after scikit-learn's estimator checks): a kind
/// added to `ModelCatalogue.kinds` without a fixture here fails `testEveryKindHasAFixture`.
final class ModelConformanceTests: XCTestCase {
    /// A dataset and target each kind can fit (no target for the unsupervised kinds).
    static func fixture(for kind: String) throws -> (data: Dataset, target: String?)? {
        switch kind {
        case "linear", "ridge", "lasso", "elasticnet", "sgd", "poisson": return (try TestData.iris(), "Sepal.Length")
        case "logistic", "naivebayes", "knn", "tree", "forest", "boost": return (try TestData.iris(), "Species")
        case "kmeans", "pca": return (try Dataset(columns: TestData.iris().columns.filter { $0.type.isNumeric }), nil)
        default: return nil
        }
    }

    /// Calls `check` with every kind and its fixture.
    func forEachKind(_ check: (ModelKind, Dataset, String?) throws -> Void) throws {
        for kind in ModelCatalogue.kinds {
            guard let (data, target) = try Self.fixture(for: kind.name) else { continue }
            try check(kind, data, target)
        }
    }

    func fit(_ kind: ModelKind, _ data: Dataset, _ target: String?, features: [String]? = nil) throws -> Model {
        try ModelCatalogue.fit(kind: kind.name, data: data, datasetName: "fixture", target: target, features: features, options: [:])
    }

    func testEveryKindHasAFixture() throws {
        for kind in ModelCatalogue.kinds {
            XCTAssertNotNil(try Self.fixture(for: kind.name), "no conformance fixture for '\(kind.name)'")
            XCTAssertEqual(ModelCatalogue.kind(named: kind.name)?.name, kind.name)
            XCTAssertFalse(kind.summary.isEmpty)
        }
    }

    func testRefitIsIdentical() throws {
        try forEachKind { kind, data, target in
            let first = try fit(kind, data, target), second = try fit(kind, data, target)
            XCTAssertEqual(first, second, kind.name)
            XCTAssertEqual(bits(try first.predict(on: data).numbers), bits(try second.predict(on: data).numbers), kind.name)
            XCTAssertEqual(first.kind, kind.name)
        }
    }

    func testJSONRoundTripGivesBitIdenticalPredictions() throws {
        try forEachKind { kind, data, target in
            let model = try fit(kind, data, target)
            let decoded = try JSONDecoder().decode(Model.self, from: try JSONEncoder().encode(model))
            XCTAssertEqual(decoded, model, kind.name)
            XCTAssertEqual(bits(try decoded.predict(on: data).numbers), bits(try model.predict(on: data).numbers), kind.name)
            XCTAssertEqual(decoded.summary(), model.summary(), kind.name)
        }
    }

    /// A rank-deficient fit must encode too: plain JSON has no NaN.
    func testAliasedModelEncodesAsPlainJSON() throws {
        try forEachKind { kind, data, target in
            let first = data.columns.first { $0.name != target && $0.type.isNumeric }!
            let copy = try data.adding(first.renamed("copy_of_\(first.name)"))
            let model = try fit(kind, copy, target)
            let decoded = try JSONDecoder().decode(Model.self, from: try JSONEncoder().encode(model))
            XCTAssertEqual(bits(try decoded.predict(on: copy).numbers), bits(try model.predict(on: copy).numbers), kind.name)
        }
    }

    func testOptionsAndProvenanceSurviveFitting() throws {
        try forEachKind { kind, data, target in
            let model = try fit(kind, data, target)
            XCTAssertEqual(model.training.datasetName, "fixture")
            XCTAssertEqual(model.training.rowsUsed + model.training.rowsDropped, data.rowCount)
            XCTAssertEqual(model.schema.target?.name, target)
            for spec in kind.options where spec.name != "task" {
                guard let value = spec.values?.first else { continue }
                let withOption = try ModelCatalogue.fit(kind: kind.name, data: data, datasetName: "fixture", target: target,
                                                        features: nil, options: [spec.name: value])
                XCTAssertEqual(withOption.training.options, [spec.name: value])
            }
        }
    }

    func testUnknownKindAndOptionSuggestTheNearestName() throws {
        let iris = try TestData.iris()
        assertThrows(.usage, containing: ["unknown model kind 'linaer'", "did you mean 'linear'"]) {
            try ModelCatalogue.fit(kind: "linaer", data: iris, datasetName: "iris", target: "Sepal.Length", features: nil, options: [:])
        }
        try forEachKind { kind, data, target in
            guard let option = kind.options.first else { return }
            let misspelt = String(option.name.dropLast())
            assertThrows(.usage, containing: ["unknown option '\(misspelt)'", "did you mean '\(option.name)'"], argument: misspelt) {
                try ModelCatalogue.fit(kind: kind.name, data: data, datasetName: "d", target: target, features: nil, options: [misspelt: "x"])
            }
            if let allowed = option.values {
                assertThrows(.usage, containing: ["option '\(option.name)'", allowed[0]], argument: option.name) {
                    try ModelCatalogue.fit(kind: kind.name, data: data, datasetName: "d", target: target, features: nil, options: [option.name: "maybe"])
                }
            }
        }
    }

    func testUnusableTrainingDataIsAClearError() throws {
        try forEachKind { kind, data, target in
            assertThrows(.data, containing: ["no rows"]) { try fit(kind, data.selecting(rows: []), target) }
            guard let target else {
                assertThrows(.usage, containing: ["learns without a target"], argument: "target") { try fit(kind, data, data.columnNames[0]) }
                return
            }
            let allMissing = try data.adding(Column.numeric(target, [Double](repeating: .nan, count: data.rowCount)))
            assertThrows(.data, containing: ["target '\(target)'", "no values"]) { try fit(kind, allMissing, target) }
            assertThrows(.usage, containing: ["unknown column 'nope'"]) { try fit(kind, data, "nope") }
        }
    }

    func testNaNFeaturesDropRowsAndInfinityIsRejected() throws {
        try forEachKind { kind, data, target in
            let feature = data.columns.first { $0.name != target && $0.type.isNumeric }!
            var values = feature.numbers!
            values[3] = .nan
            let withNaN = try data.adding(Column.numeric(feature.name, values, type: feature.type))
            // Kinds that route missing values keep the row by default; every kind drops it on request.
            let routes = kind.options.first { $0.name == "impute" }?.values?.contains("keep") == true
            if routes {
                let kept = try fit(kind, withNaN, target)
                XCTAssertEqual(kept.training.rowsDropped, 0, kind.name)
                XCTAssertFalse(try kept.predict(on: withNaN).isMissing(3), "\(kind.name) routes a missing input")
            }
            let model = try ModelCatalogue.fit(kind: kind.name, data: withNaN, datasetName: "fixture", target: target, features: nil,
                                               options: routes ? ["impute": "drop"] : [:])
            XCTAssertEqual(model.training.rowsDropped, 1, kind.name)
            let predictions = try model.predict(on: withNaN)
            XCTAssertTrue(predictions.isMissing(3), "no prediction without its inputs")
            XCTAssertEqual((0 ..< data.rowCount).filter(predictions.isMissing).count, 1)
            let metrics = try model.evaluate(on: withNaN).metrics
            XCTAssertEqual(metrics.first { $0.name == "skipped" }?.value, 1)

            values[3] = .infinity
            let withInfinity = try data.adding(Column.numeric(feature.name, values, type: feature.type))
            assertThrows(.data, containing: ["'\(feature.name)'", "non-finite", "row 4"]) { try fit(kind, withInfinity, target) }
            XCTAssertTrue(try model.predict(on: withInfinity).isMissing(3), "no prediction from an infinite input")
            if kind.options.contains(where: { $0.name == "impute" }) {
                values[3] = .nan
                for method in ["mean", "median", "mode"] {
                    let imputed = try ModelCatalogue.fit(kind: kind.name, data: withNaN, datasetName: "fixture", target: target,
                                                         features: nil, options: ["impute": method])
                    XCTAssertEqual(imputed.training.rowsDropped, 0, "\(kind.name) impute=\(method)")
                    XCTAssertEqual(imputed.training.valuesImputed, 1, "\(kind.name) impute=\(method)")
                    XCTAssertFalse(try imputed.predict(on: withNaN).isMissing(3), "\(kind.name) impute=\(method) fills the input")
                }
            }
        }
    }

    func testPredictOnDifferentColumns() throws {
        try forEachKind { kind, data, target in
            let model = try fit(kind, data, target)
            let expected = try model.predict(on: data).numbers
            let extra = try data.adding(Column.numeric("unrelated", [Double](repeating: 1, count: data.rowCount)))
            XCTAssertEqual(bits(try model.predict(on: extra).numbers), bits(expected), "extra columns are ignored")
            let withoutTarget = try Dataset(columns: data.columns.filter { $0.name != target })
            XCTAssertEqual(bits(try model.predict(on: withoutTarget).numbers), bits(expected), "prediction does not need the target")
            let dropped = model.schema.features[0].name
            let withoutFeature = try Dataset(columns: data.columns.filter { $0.name != dropped })
            assertThrows(.usage, containing: ["column '\(dropped)'", "not in the data"]) { try model.predict(on: withoutFeature).numbers }
            if let target { assertThrows(.usage, containing: ["column '\(target)'"]) { try model.evaluate(on: withoutTarget) } }
        }
    }

    /// Parameters are a value parsed from the options once: the model keeps what the options
    /// say, a second fit from the same options has equal parameters, and every option value a
    /// kind lists fits and is kept as given.
    func testFittingLeavesTheParametersAsTheOptionsSay() throws {
        try forEachKind { kind, data, target in
            let model = try fit(kind, data, target)
            XCTAssertTrue(try kind.parameters(from: model.training.options).isEqual(to: model.parameters), kind.name)
            XCTAssertTrue(try kind.parameters(from: [:]).isEqual(to: fit(kind, data, target).parameters), kind.name)
            for spec in kind.options {
                for value in spec.values ?? [] {
                    let fitted: Model
                    do {
                        fitted = try ModelCatalogue.fit(kind: kind.name, data: data, datasetName: "fixture", target: target,
                                                        features: nil, options: [spec.name: value])
                    } catch let error as ModelshError {
                        // A value this fixture cannot take (task=regression of classes, an l1
                        // penalty on three classes) is refused, naming the option or the target
                        // it does not suit, never half-fitted.
                        XCTAssertTrue([spec.name, "target"].contains(error.argument ?? ""), "\(kind.name) \(spec.name)=\(value): \(error.message)")
                        continue
                    }
                    XCTAssertEqual(fitted.training.options, [spec.name: value], kind.name)
                    let decoded = try JSONDecoder().decode(Model.self, from: try JSONEncoder().encode(fitted))
                    XCTAssertEqual(bits(try decoded.predict(on: data).numbers), bits(try fitted.predict(on: data).numbers),
                                   "\(kind.name) \(spec.name)=\(value)")
                }
            }
        }
    }

    /// Fill values, polynomial terms and scaling come from the training rows and are stored:
    /// a row's prediction is the same whatever other rows it is predicted with.
    func testPreprocessingIsLearnedFromTrainingRowsOnly() throws {
        try forEachKind { kind, data, target in
            guard kind.options.contains(where: { $0.name == "poly" }) else { return }
            let even = Array(stride(from: 0, to: data.rowCount, by: 2))
            let half = data.selecting(rows: even)
            let model = try ModelCatalogue.fit(kind: kind.name, data: half, datasetName: "half", target: target, features: nil,
                                               options: ["poly": "2", "scale": "standard"])
            XCTAssertGreaterThan(model.terms.count, model.schema.features.count, kind.name)
            XCTAssertEqual(rowBits(try model.predict(on: data), even), rowBits(try model.predict(on: half), Array(0 ..< half.rowCount)), kind.name)
        }
    }

    /// Each row's numbers (a value, or every class probability), row by row.
    private func rowBits(_ prediction: Prediction, _ rows: [Int]) -> [UInt64] {
        switch prediction {
        case .values(let values): return rows.map { values[$0].bitPattern }
        case .classes(let classes): return rows.flatMap { row in classes.probabilities.map { $0[row].bitPattern } }
        case .clusters(let clusters, _): return rows.map { UInt64(bitPattern: Int64(clusters[$0])) }
        case .components(let scores): return rows.flatMap { row in scores.map { $0[row].bitPattern } }
        }
    }

    private func bits(_ values: [Double]) -> [UInt64] { values.map(\.bitPattern) }
}
