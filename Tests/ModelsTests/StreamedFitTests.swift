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
        assertThrows(.usage, containing: ["column 'x11'", "did you mean 'x1'"], argument: "features") { try streamed("linear", target: "y", features: ["x11"]) }
        assertThrows(.usage, containing: ["'x1:x2' is an interaction or power term", "stream=no"], argument: "features") { try streamed("linear", target: "y", features: ["x1*x2"]) }
        assertThrows(.usage, containing: ["'x1^2' is an interaction or power term"], argument: "features") { try streamed("linear", target: "y", features: ["x1", "x1^2"]) }
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

    /// A linear model's estimates and (XᵀX)⁻¹, or a ridge model's intercept and coefficients.
    static func fitted(_ model: Model) throws -> [Double] {
        if let linear = model.state as? LinearRegression.Learned { return linear.estimates + linear.unscaledCovariance }
        let ridge = try XCTUnwrap(model.state as? PenalisedLinearState)
        return [ridge.intercept] + ridge.coefficients
    }

    /// The file is read once for least squares (the scan's pass folds too) when the first block
    /// shows every level; a level first seen later costs a second pass, with the same result as
    /// in memory either way.
    func testLeastSquaresReadsTheFileOnceUnlessALaterBlockBringsALevel() throws {
        let features = ["x1", "x2", "k", "g"]
        let once = try StreamedFit.fitCountingPasses(StreamedFitRequest(path: path, kind: "linear", target: "y", features: features,
                                                                        options: [:], blockSize: 8 << 10))
        XCTAssertEqual(once.passes, 1)
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        for index in 1000 ..< lines.count { lines[index] = lines[index].replacingOccurrences(of: ",gamma,", with: ",delta,") }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        for kind in ["linear", "ridge"] {
            let twice = try StreamedFit.fitCountingPasses(StreamedFitRequest(path: path, kind: kind, target: "y", features: features,
                                                                             options: [:], blockSize: 8 << 10))
            XCTAssertEqual(twice.passes, 2, kind)
            XCTAssertEqual(twice.model.schema.features.last?.levels, ["alpha", "beta", "delta", "gamma"])
            assertClose(try Self.fitted(twice.model), try Self.fitted(inMemory(kind, target: "y", features: features)), kind)
        }
    }

    /// Logistic regression reads the file once per iteration: its first pass is the scan's.
    func testLogisticReadsTheFileOncePerIteration() throws {
        let (model, passes) = try StreamedFit.fitCountingPasses(StreamedFitRequest(path: path, kind: "logistic", target: "b",
                                                                                   features: ["x1", "x2", "g"], options: [:], blockSize: 8 << 10))
        let state = try XCTUnwrap(model.state as? LogisticState)
        XCTAssertEqual(passes, state.iterations + 1)
        let reference = try XCTUnwrap(inMemory("logistic", target: "b", features: ["x1", "x2", "g"]).state as? LogisticState)
        assertClose([state.deviance, state.nullDeviance!], [reference.deviance, reference.nullDeviance!], "deviances")
    }

    /// Quoted fields with the separator and line ends in them, with blocks and the pieces read in
    /// parallel (256 KiB and more) cut everywhere, inside quotes too.
    func testQuotedFieldsAcrossBlockAndPieceBoundaries() throws {
        let quoted = Self.generatedCSV(rows: 30000)
            .replacingOccurrences(of: ",alpha,", with: ",\"al,\"\"pha\"\"\nfirst\",")
            .replacingOccurrences(of: ",gamma,", with: ",\"gam\nma,\",")
        try quoted.write(toFile: path, atomically: true, encoding: .utf8)
        let features = ["x1", "x2", "k", "g"]
        let reference = try inMemory("linear", target: "y", features: features)
        XCTAssertEqual(reference.schema.features.last?.levels, ["al,\"pha\"\nfirst", "beta", "gam\nma,"])
        for blockSize in [700, 600 << 10] {
            let streamed = try StreamedFit.fit(StreamedFitRequest(path: path, kind: "linear", target: "y", features: features,
                                                                  options: [:], chunkRows: 5, blockSize: blockSize))
            XCTAssertEqual(streamed.schema, reference.schema)
            assertClose(try Self.fitted(streamed), try Self.fitted(reference), "block \(blockSize)")
        }
    }

    /// Ctrl-C in the middle of a pass stops the fit, whichever thread (the fold's or the one
    /// reading ahead) sees it first, in the scan's pass and in a later IRLS pass.
    func testCtrlCStopsAStreamedFitInAnyPass() throws {
        Interruption.installHandler()
        final class Once: @unchecked Sendable { var done = false }
        for (kind, target, pass) in [("linear", "y", 1), ("logistic", "b", 1), ("logistic", "b", 3)] {
            let once = Once()  // told on the fitting thread only
            let request = StreamedFitRequest(path: path, kind: kind, target: target, features: ["x1", "x2"], options: [:],
                                             blockSize: 700) { read in
                if read.pass == pass, read.rows > 500, !once.done {
                    once.done = true
                    raise(SIGINT)
                }
            }
            XCTAssertThrowsError(try StreamedFit.fit(request), "\(kind), pass \(pass)") { error in
                XCTAssertEqual((error as? ModelshError)?.category, .interrupted)
            }
            XCTAssertFalse(Interruption.isRequested)
        }
    }
}
