import Diagnostics
import Foundation
@testable import Models
import Tabular
import XCTest

/// A model file can be edited by anyone: decoding must refuse an inconsistent model with a
/// plain reason, and whatever it accepts must predict, summarise and evaluate without trapping.
final class ModelFileTests: XCTestCase {
    // MARK: - Fixtures

    /// The model the tour fits (diabetes, Y on its ten numeric features), as JSON. Fitted here
    /// rather than read from the tour's output, which a fresh clone does not have.
    static func tourModel() throws -> (object: [String: Any], data: Dataset) {
        let data = try TestData.csv("diabetes.csv")
        let model = try ModelCatalogue.fit(kind: "linear", data: data, datasetName: "train", target: "Y", features: nil, options: [:])
        return (try object(model), data)
    }

    /// iris with a boolean feature and an aliased copy of a column: every kind of term.
    static func irisData() throws -> Dataset {
        let iris = try TestData.iris()
        let width = iris.column(named: "Petal.Width")!.numbers!
        return try iris.adding(Column.numeric("wide", width.map { $0 > 1 ? 1 : 0 }, type: .boolean))
            .adding(Column.numeric("copy", width.map { 2 * $0 }))
    }

    static func irisModel(options: [String: String] = [:], features: [String] = ["Species", "Petal.Width", "wide", "copy"]) throws
        -> (object: [String: Any], data: Dataset) {
        let data = try irisData()
        let model = try ModelCatalogue.fit(kind: "linear", data: data, datasetName: "iris", target: "Sepal.Length",
                                           features: features, options: options)
        return (try object(model), data)
    }

    static func object(_ model: Model) throws -> [String: Any] {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: encoder.encode(model)) as? [String: Any])
    }

    /// Decodes as the Store does (NaN and infinities spelt as strings).
    static func decode(_ object: Any) throws -> Model {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return try decoder.decode(Model.self, from: JSONSerialization.data(withJSONObject: object))
    }

    /// Asserts decoding `object` fails as damaged data whose description contains `fragment`.
    func assertRefused(_ object: Any, _ fragment: String, file: StaticString = #filePath, line: UInt = #line) {
        do {
            _ = try Self.decode(object)
            XCTFail("decoded a model that should be refused (\(fragment))", file: file, line: line)
        } catch DecodingError.dataCorrupted(let context) {
            XCTAssert(context.debugDescription.contains(fragment), "'\(context.debugDescription)' lacks '\(fragment)'", file: file, line: line)
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
        }
    }

    // MARK: - Specific inconsistencies

    func testFixturesDecodeUnchanged() throws {
        for (object, data) in [try Self.tourModel(), try Self.irisModel(), try Self.irisModel(options: ["intercept": "false"]),
                               try Self.irisModel(features: ["Species*Petal.Width", "wide:Species"])] {
            let model = try Self.decode(object)
            XCTAssertEqual(try Self.object(model) as NSDictionary, object as NSDictionary)
            XCTAssertEqual(try model.evaluate(on: data).metrics.first?.value, Double(data.rowCount))
        }
    }

    func testInconsistentLinearStateIsRefused() throws {
        let (model, _) = try Self.tourModel()
        func edited(_ key: String, _ value: Any) -> [String: Any] { set(model, ["state", key], value) }
        assertRefused(edited("estimates", [Double]()), "linear state has 0 estimates for 11 terms")
        assertRefused(edited("estimates", [Double](repeating: 1, count: 1_000_000)), "linear state has 1000000 estimates for 11 terms")
        assertRefused(edited("estimates", ["NaN"] + [Double](repeating: 1, count: 10)), "estimate of '(Intercept)' is NaN")
        assertRefused(edited("unscaledCovariance", [1.0, 0, 0, 1]), "4 covariance entries for rank 11 (needs 121)")
        assertRefused(edited("rank", 12), "rank 12 but 11 terms not aliased")
        assertRefused(edited("rank", -1), "rank -1 but 11 terms not aliased")
        assertRefused(edited("observations", 0), "linear state has 0 observations")
        assertRefused(edited("observations", 5), "5 observations for rank 11")
        assertRefused(edited("aliased", [true]), "1 aliased flags for 11 terms")
        assertRefused(edited("residualQuantiles", [1.0]), "1 residual quantiles, needs 5")
        assertRefused(edited("residualSumOfSquares", -1), "residual sum of squares is -1")
        let features = try XCTUnwrap((model["schema"] as? [String: Any])?["features"] as? [Any])
        assertRefused(set(model, ["schema", "features"], Array(features.dropLast())), "the design terms are not those the features and degree make")
        assertRefused(set(model, ["training", "rowsUsed"], 400), "linear state has 442 observations but training used 400 rows")
        assertRefused(set(model, ["training", "options"], ["intercept": "false"]), "the preprocessing settings do not match the options")
        let terms = try XCTUnwrap((model["state"] as? [String: Any])?["terms"] as? [String])
        assertRefused(edited("terms", terms.map { _ in "a" }), "term 1 is 'a' where the schema makes '(Intercept)'")
        assertRefused(edited("residualQuantiles", [5.0, 4, 3, 2, 1]), "the residual quantiles are not in order")
        let covariance = try XCTUnwrap((model["state"] as? [String: Any])?["unscaledCovariance"] as? [Double])
        assertRefused(edited("unscaledCovariance", [-1.0] + covariance.dropFirst()), "a variance in the covariance is negative")
        assertRefused(set(model, ["schema", "features", 0, "name"], "A\u{1B}[31m"), "a feature name is empty or holds control characters")
    }

    func testInconsistentSchemaAndKindAreRefused() throws {
        let (model, _) = try Self.tourModel()
        let features = try XCTUnwrap((model["schema"] as? [String: Any])?["features"] as? [[String: Any]])
        assertRefused(set(model, ["kind"], "nonesuch"), "unknown model kind 'nonesuch' (kinds: linear")
        assertRefused(set(model, ["schema", "features"], [Any]()), "the design terms are not those the features and degree make")
        XCTAssertThrowsError(try Self.decode(set(model, ["kind"], "tree")), "a linear model's parts are not a tree's")
        assertRefused(set(model, ["schema", "features"], features + [features[0]]), "feature 'AGE' is listed twice")
        assertRefused(set(model, ["schema", "features", 0, "name"], "Y"), "feature 'Y' is also the target")
        assertRefused(set(model, ["schema", "target", "type"], "categorical"), "target 'Y' is categorical")
        assertRefused(set(model, ["schema", "features", 0, "type"], "text"), "feature 'AGE' is text")
        assertRefused(set(model, ["schema", "features", 0, "type"], "categorical"), "categorical feature 'AGE' has no levels")
        assertRefused(set(model, ["schema", "features", 0, "levels"], ["a", "b"]), "numeric feature 'AGE' has levels")
        assertRefused(set(model, ["training", "rowsUsed"], -3), "training used -3 rows")
        assertRefused(set(model, ["training", "rowsDropped"], -1), "training dropped -1 rows")
        assertRefused(set(model, ["training", "options"], ["intercept": "maybe"]), "option 'intercept' is a switch")
        assertRefused(set(model, ["training", "options"], ["ridge": "1"]), "unknown option 'ridge'")

        let (iris, _) = try Self.irisModel()
        assertRefused(set(iris, ["schema", "features", 0, "levels"], [String]()), "categorical feature 'Species' has 0 levels")
        assertRefused(set(iris, ["schema", "features", 0, "levels"], ["setosa", "setosa", "virginica"]), "'Species' repeats a level")
    }

    /// A hand-written archive may spell an aliased (unused) estimate NaN, as R prints NA.
    func testAliasedEstimateMayBeNaN() throws {
        let (object, data) = try Self.irisModel()
        let model = try Self.decode(object)
        guard let learned = model.state as? LinearRegression.Learned else { return XCTFail() }
        let position = try XCTUnwrap(learned.aliased.firstIndex(of: true))
        var estimates: [Any] = learned.estimates
        estimates[position] = "NaN"
        let edited = try Self.decode(set(object, ["state", "estimates"], estimates))
        XCTAssertEqual(try edited.predict(on: data).numbers.map(\.bitPattern), try model.predict(on: data).numbers.map(\.bitPattern))
    }

    /// A forest saved before `bins=` existed has no `bins` key: it loads as grown, with 255 bins,
    /// and predicts as before; `bins=exact` (written as null) and a count round-trip.
    func testForestSavedBeforeBinsLoadsWith255Bins() throws {
        let data = try Self.irisData()
        let model = try ModelCatalogue.fit(kind: "forest", data: data, datasetName: "iris", target: "Species",
                                           features: ["Petal.Width", "Sepal.Width"], options: ["trees": "3"])
        var object = try Self.object(model)
        var parameters = try XCTUnwrap(object["parameters"] as? [String: Any])
        XCTAssertEqual(parameters["bins"] as? Int, 255)
        parameters["bins"] = nil
        object["parameters"] = parameters
        let old = try Self.decode(object)
        XCTAssertEqual((old.parameters as? ForestModel.Parameters)?.bins, 255)
        XCTAssertEqual(old, model)
        XCTAssertEqual(try old.predict(on: data).numbers.map(\.bitPattern), try model.predict(on: data).numbers.map(\.bitPattern))

        for (option, bins) in [("exact", nil), ("1023", 1023)] as [(String, Int?)] {
            let fitted = try ModelCatalogue.fit(kind: "forest", data: data, datasetName: "iris", target: "Species",
                                                features: ["Petal.Width", "Sepal.Width"], options: ["trees": "3", "bins": option])
            let decoded = try Self.decode(try Self.object(fitted))
            XCTAssertEqual((decoded.parameters as? ForestModel.Parameters)?.bins, bins)
            XCTAssertEqual(decoded, fitted)
        }
        var edited = try Self.object(model)
        edited = set(edited, ["parameters", "bins"], 1)
        assertRefused(edited, "bins")
    }

    func testForestBinsOptionIsCheckedByName() throws {
        for text in ["1", "65536", "fine", "2.5"] {
            XCTAssertThrowsError(try ForestModel.parameters(["bins": text])) { error in
                XCTAssertEqual((error as? ModelshError)?.message, "option 'bins' must be a whole number from 2 to 65535 or exact, not '\(text)'")
            }
        }
        XCTAssertEqual(try ForestModel.parameters(["bins": "2"]).bins, 2)
        XCTAssertNil(try ForestModel.parameters(["bins": "exact"]).bins)
        XCTAssertEqual(try ForestModel.parameters([:]).bins, 255)
    }

    // MARK: - Every edit

    /// Each number, string and array of real archives is replaced by values of every sort:
    /// decoding either refuses the result or gives a model that predicts, summarises and
    /// evaluates (perhaps with an error, never a trap).
    func testNoEditOfAModelFileMakesItTrap() throws {
        var (accepted, refused) = (0, 0)
        for (object, data) in [try Self.tourModel(), try Self.irisModel(), try Self.irisModel(options: ["intercept": "false"])] {
            for (path, value) in leaves(object) {
                for replacement in replacements(for: value) {
                    guard let model = try? Self.decode(set(object, path, replacement)) else {
                        refused += 1
                        continue
                    }
                    accepted += 1
                    exercise(model, on: data, edit: "\(path) = \(replacement)")
                }
            }
        }
        XCTAssertGreaterThan(refused, 500)
        XCTAssertGreaterThan(accepted, 100)
        print("model file edits: \(accepted) accepted, \(refused) refused")
    }

    /// The same over a model of every kind in the catalogue, with imputation, polynomial terms
    /// and scaling where the kind takes them, so every field a kind or the preprocessing stores
    /// is edited: each kind's consistency check must catch what its predict relies on.
    func testNoEditOfAnyKindsModelFileMakesItTrap() throws {
        let iris = try Self.irisData()
        let data = iris.selecting(rows: Array(stride(from: 0, to: iris.rowCount, by: 5)))
        for kind in ModelCatalogue.kinds {
            let classifies = kind.tasks.first == .classification || ["knn", "tree", "forest", "boost"].contains(kind.name)
            var options: [String: String] = [:]
            for (name, value) in [("impute", "mean"), ("poly", "2"), ("scale", "standard")] where kind.options.contains(where: { $0.name == name }) {
                options[name] = value
            }
            if kind.name == "sgd" { options["max_epochs"] = "20" }
            if kind.name == "forest" { options["trees"] = "3" }
            if kind.name == "boost" { options["rounds"] = "3" }
            if kind.name == "kmeans" { options["k"] = "3" }
            let target: String? = kind.tasks.allSatisfy { !$0.hasTarget } ? nil : classifies ? "Species" : "Sepal.Length"
            let model = try ModelCatalogue.fit(kind: kind.name, data: data, datasetName: "iris", target: target,
                                               features: ["Petal.Width", "wide", "Sepal.Width"], options: options)
            let object = try Self.object(model)
            var (accepted, refused) = (0, 0)
            for (path, value) in leaves(object) {
                for replacement in replacements(for: value, longest: 2000) {
                    guard let edited = try? Self.decode(set(object, path, replacement)) else {
                        refused += 1
                        continue
                    }
                    accepted += 1
                    exercise(edited, on: data, edit: "\(kind.name): \(path) = \(replacement)")
                }
            }
            XCTAssertGreaterThan(refused, 100, kind.name)
            XCTAssertGreaterThan(accepted, 10, kind.name)
        }
    }

    private func exercise(_ model: Model, on data: Dataset, edit: String) {
        _ = model.summary().blocks.map { block -> String in
            if case .table(let table) = block { return table.rendered() }
            return ""
        }
        for operation in [{ _ = try model.predict(on: data).numbers }, { _ = try model.evaluate(on: data) }] {
            do {
                try operation()
            } catch is ModelshError {
                // A clear error about the data is a fine answer to an edited model.
            } catch {
                XCTFail("\(edit): unexpected error \(error)")
            }
        }
    }

    // MARK: - JSON editing

    private enum Step: CustomStringConvertible {
        case key(String), index(Int)
        var description: String {
            switch self {
            case .key(let key): return key
            case .index(let index): return "[\(index)]"
            }
        }
    }

    /// Every value in `object` with its path: containers as well as the values inside them;
    /// of an array's elements, the first two and the last (the others are edited alike).
    private func leaves(_ value: Any, path: [Step] = []) -> [([Step], Any)] {
        var result: [([Step], Any)] = path.isEmpty ? [] : [(path, value)]
        if let object = value as? [String: Any] {
            for key in object.keys.sorted() { result += leaves(object[key]!, path: path + [.key(key)]) }
        } else if let array = value as? [Any] {
            for index in Set([0, 1, array.count - 1]).sorted() where array.indices.contains(index) {
                result += leaves(array[index], path: path + [.index(index)])
            }
        }
        return result
    }

    /// `longest`: the length of the oversized arrays tried (shorter for the every-kind test,
    /// which edits ten models).
    private func replacements(for value: Any, longest: Int = 100_000) -> [Any] {
        let wrongTypes: [Any] = [NSNull(), "x", true, [String: Any]()]
        if let array = value as? [Any] {
            guard let first = array.first else { return [["x"], [1], [NSNull()]] + wrongTypes }
            let huge = first is [Any] || first is [String: Any] ? 1000 : longest
            return [[Any](), [first], array + [first], Array(array.dropLast()), Array(array.reversed()),
                    [Any](repeating: first, count: huge), 7] + wrongTypes.dropFirst()
        }
        if value is [String: Any] { return [[String: Any](), [Any](), 7, "x", NSNull()] }
        if let text = value as? String {
            return ["", "tree", "text", "categorical", "boolean", "integer", "numeric", "(Intercept)", text + text, 7, NSNull()]
        }
        // A number or a boolean (JSONSerialization gives NSNumber for both).
        let number = (value as? NSNumber)?.doubleValue ?? 0
        return [0, -1, 1, 2, -0.5, 1e-300, 1e300, -1e300, 9_007_199_254_740_993, Int.max, Int.min, "NaN", "Infinity", "-Infinity",
                number * 2, number + 1, false, true] + wrongTypes
    }

    private func set(_ root: Any, _ path: [Step], _ value: Any) -> Any {
        guard let step = path.first else { return value }
        switch step {
        case .key(let key):
            var object = root as! [String: Any]
            object[key] = set(object[key] as Any, Array(path.dropFirst()), value)
            return object
        case .index(let index):
            var array = root as! [Any]
            array[index] = set(array[index], Array(path.dropFirst()), value)
            return array
        }
    }

    /// `root` with the value at `path` (keys and indices) replaced.
    private func set(_ root: [String: Any], _ path: [Any], _ value: Any) -> [String: Any] {
        set(root, path.map { $0 is Int ? Step.index($0 as! Int) : Step.key($0 as! String) }, value) as! [String: Any]
    }
}
