import Diagnostics
import Foundation
@testable import Models
import Numerics
import Tabular
import XCTest

/// Fits from a file in chunks (`StreamedFit`) against the same fits on the file loaded: equal
/// to 1e-10 relative, with blocks of a few hundred bytes and chunks of a few rows so that block
/// and chunk boundaries fall everywhere.
final class StreamedFitTests: XCTestCase {
    var directory: URL!
    var path: String!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("streamed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("data.csv").path
        try Self.generatedCSV(rows: 1500).write(toFile: path, atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// y linear in x1, x2, k and the level of g; b a logistic draw on the same; a few missing.
    static func generatedCSV(rows: Int) -> String {
        var random = Xoshiro256StarStar(seed: 8)
        var lines = ["y,x1,x2,k,g,b,note"]
        let levels = ["beta", "alpha", "gamma"]
        for row in 0 ..< rows {
            let x1 = random.uniform() * 4 - 2, x2 = random.uniform() * 100 + 50, k = Int(random.bounded(10))
            let g = Int(random.bounded(3))
            let noise = random.uniform() + random.uniform() - 1
            let y = 3 + 2 * x1 - 0.05 * x2 + 0.3 * Double(k) + [0, 1.5, -0.7][g] + noise
            let eta = -1 + 1.2 * x1 + 0.01 * x2 + [0, 0.8, -0.4][g]
            let b = random.uniform() < 1 / (1 + exp(-eta)) ? 1 : 0
            let x1Text = row % 97 == 5 ? "" : NumberFormat.shortest(x1)
            let gText = row % 211 == 9 ? "NA" : levels[g]
            lines.append("\(NumberFormat.shortest(y)),\(x1Text),\(NumberFormat.shortest(x2)),\(k),\(gText),\(b),note \(row)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func streamed(_ kind: String, target: String, features: [String], options: [String: String] = [:]) throws -> Model {
        try StreamedFit.fit(StreamedFitRequest(path: path, kind: kind, target: target, features: features, options: options,
                                               chunkRows: 7, blockSize: 700))
    }

    func inMemory(_ kind: String, target: String, features: [String], options: [String: String] = [:]) throws -> Model {
        try ModelCatalogue.fit(kind: kind, data: CSVReader.read(path: path), datasetName: "d", target: target, features: features, options: options)
    }

    func assertClose(_ actual: [Double], _ expected: [Double], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, what, file: file, line: line)
        for (a, e) in zip(actual, expected) { assertRelative(a, e, 1e-10, what, file: file, line: line) }
    }

    func testLinearEqualsTheInMemoryFit() throws {
        let features = ["x1", "x2", "k", "g"]
        let streamed = try self.streamed("linear", target: "y", features: features)
        let reference = try inMemory("linear", target: "y", features: features)
        let s = try XCTUnwrap(streamed.state as? LinearRegression.Learned), r = try XCTUnwrap(reference.state as? LinearRegression.Learned)
        XCTAssertEqual(s.terms, r.terms)
        XCTAssertEqual(s.terms, ["(Intercept)", "x1", "x2", "k", "gbeta", "ggamma"], "levels sorted by bytes, the first the reference")
        assertClose(s.estimates, r.estimates, "estimates")
        assertClose(s.unscaledCovariance, r.unscaledCovariance, "(XᵀX)⁻¹, so the standard errors")
        assertClose([s.residualSumOfSquares, s.modelSumOfSquares], [r.residualSumOfSquares, r.modelSumOfSquares], "sums of squares")
        XCTAssertEqual([s.observations, s.rank], [r.observations, r.rank])
        XCTAssertEqual(streamed.training.rowsUsed, reference.training.rowsUsed)
        XCTAssertEqual(streamed.training.rowsDropped, reference.training.rowsDropped)
        XCTAssertEqual(streamed.schema, reference.schema)
        XCTAssertNotNil(streamed.profile, "the profile comes from a sample")
        // An ordinary model: it predicts, summarises, saves and updates.
        let data = try CSVReader.read(path: path)
        assertClose(try streamed.predict(on: data).numbers.filter { !$0.isNaN }, try reference.predict(on: data).numbers.filter { !$0.isNaN }, "predictions")
        _ = streamed.summary()
        let decoded = try JSONDecoder().decode(Model.self, from: JSONEncoder().encode(streamed))
        XCTAssertEqual(decoded, streamed)
        _ = try streamed.updated(with: data.selecting(rows: Array(0 ..< 50)), datasetName: "more")
    }

    func testRidgeEqualsTheInMemoryFit() throws {
        let features = ["x1", "x2", "k", "g"]
        let s = try XCTUnwrap(streamed("ridge", target: "y", features: features, options: ["alpha": "2.5"]).state as? PenalisedLinearState)
        let r = try XCTUnwrap(inMemory("ridge", target: "y", features: features, options: ["alpha": "2.5"]).state as? PenalisedLinearState)
        assertClose([s.intercept] + s.coefficients, [r.intercept] + r.coefficients, "coefficients")
        assertClose([s.residualSumOfSquares, s.totalSumOfSquares, s.effectiveDegreesOfFreedom!],
                    [r.residualSumOfSquares, r.totalSumOfSquares, r.effectiveDegreesOfFreedom!], "fit figures")
        XCTAssertEqual(s.observations, r.observations)
    }

    func testLogisticEqualsTheInMemoryFit() throws {
        let features = ["x1", "x2", "g"]
        let streamed = try self.streamed("logistic", target: "b", features: features)
        let reference = try inMemory("logistic", target: "b", features: features)
        let s = try XCTUnwrap(streamed.state as? LogisticState), r = try XCTUnwrap(reference.state as? LogisticState)
        XCTAssertEqual(streamed.schema.classes, ["0", "1"])
        assertClose(s.coefficients[0], r.coefficients[0], "coefficients")
        assertClose(s.standardErrors![0], r.standardErrors![0], "standard errors")
        assertClose([s.deviance, s.nullDeviance!, s.aic!], [r.deviance, r.nullDeviance!, r.aic!], "deviances and AIC")
        XCTAssertEqual(s.iterations, r.iterations, "the same iterations and stopping point")
        XCTAssertEqual([s.residualDegreesOfFreedom, s.nullDegreesOfFreedom], [r.residualDegreesOfFreedom, r.nullDegreesOfFreedom])
        XCTAssertEqual(s.converged, r.converged)
    }

    func testDefaultFeaturesLeaveOutFreeTextAsInMemory() throws {
        let streamed = try StreamedFit.fit(StreamedFitRequest(path: path, kind: "linear", target: "y", features: nil, options: [:], blockSize: 900))
        let reference = try ModelCatalogue.fit(kind: "linear", data: CSVReader.read(path: path), datasetName: "d", target: "y", features: nil, options: [:])
        XCTAssertEqual(streamed.schema, reference.schema, "note is free text and left out")
        XCTAssertEqual(streamed.terms, reference.terms)
    }

    func testWhatStreamingCannotDoIsRefusedByName() throws {
        assertThrows(.usage, containing: ["streams linear, ridge and logistic", "not 'tree'"]) {
            try StreamedFit.fit(StreamedFitRequest(path: path, kind: "tree", target: "y", features: nil, options: [:]))
        }
        assertThrows(.usage, containing: ["impute=drop"], argument: "impute") { try streamed("linear", target: "y", features: ["x1"], options: ["impute": "mean"]) }
        assertThrows(.usage, containing: ["scale=none"], argument: "scale") { try streamed("ridge", target: "y", features: ["x1"], options: ["scale": "standard"]) }
        assertThrows(.usage, containing: ["two classes, not 10"], argument: "target") { try streamed("logistic", target: "k", features: ["x1"]) }
        assertThrows(.usage, containing: ["column 'z'", "did you mean"], argument: "features") { try streamed("linear", target: "y", features: ["z"]) }
        assertThrows(.usage, containing: ["'note' is free text"], argument: "features") { try streamed("linear", target: "y", features: ["note"]) }
    }

    /// A value that disagrees with the type of the first block is an error at its line.
    func testALaterValueOfAnotherTypeIsAnErrorAtItsLine() throws {
        var lines = ["y,x"] + (1 ... 400).map { "\($0),\($0 % 7)" }
        lines[300] = "300,seven"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        assertThrows(.data, containing: ["data.csv:301: column 'x' holds 'seven', but the first block read it as numbers"]) {
            try StreamedFit.fit(StreamedFitRequest(path: path, kind: "linear", target: "y", features: nil, options: [:], blockSize: 256))
        }
    }
}
