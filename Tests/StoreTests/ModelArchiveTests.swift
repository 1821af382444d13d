import Diagnostics
import Foundation
import Models
@testable import Store
import Tabular
import XCTest

final class ModelArchiveTests: StoreTestCase {
    // MARK: - Fixtures

    /// Twelve rows where `double_x` is exactly 2·x, so the fit reports it aliased (NA in R).
    static func trainingData() throws -> Dataset {
        let x = (0..<12).map { Double($0) * 0.7 }
        let city = (0..<12).map { ["Oslo", "Bergen", "Tromsø"][$0 % 3] as String? }
        let y = x.enumerated().map { 1.25 + 3.1 * $1 + (($0 % 3 == 1) ? 0.4 : -0.15) + sin(Double($0)) * 0.01 }
        return try Dataset(columns: [.numeric("x", x), .numeric("double_x", x.map { 2 * $0 }),
                                     .categorical("city", city), .numeric("y", y)])
    }

    static func fittedModel() throws -> Model {
        try ModelCatalogue.fit(kind: "linear", data: trainingData(), datasetName: "train", target: "y",
                               features: nil, options: [:])
    }

    private func coefficients(_ model: Model) -> [Double] {
        (model.state as? LinearRegression.Learned)?.coefficients ?? []
    }

    // MARK: - Round trip

    func testRoundTripGivesTheSameModelAndBitIdenticalPredictions() throws {
        let model = try Self.fittedModel()
        XCTAssertTrue(coefficients(model).contains { $0.isNaN }, "the fixture should have an aliased coefficient")

        let archive = try ModelArchive.encode(model, name: "m")
        let (name, decoded) = try ModelArchive.decode(archive, source: "m.json")
        XCTAssertEqual(name, "m")
        XCTAssertEqual(decoded, model)
        XCTAssertEqual(coefficients(decoded).map(\.bitPattern), coefficients(model).map(\.bitPattern))
        let data = try Self.trainingData()
        XCTAssertEqual(try decoded.predict(on: data).numbers.map(\.bitPattern), try model.predict(on: data).numbers.map(\.bitPattern))
        XCTAssertEqual(try ModelArchive.encode(decoded, name: "m"), archive, "re-encoding gives the same bytes")
    }

    /// A Poisson model's offset column is part of its schema, so a loaded model still reads it;
    /// a model without one has no such key, so its file is what it was before offsets.
    func testAnOffsetSurvivesTheArchive() throws {
        let data = try Dataset(columns: [.numeric("x", [1, 2, 3, 4, 5, 6]), .numeric("y", [1, 3, 2, 6, 8, 12]),
                                         .numeric("exposure", [0, 0.5, 0.1, 1, 0.7, 1.2])])
        let model = try ModelCatalogue.fit(kind: "poisson", data: data, datasetName: "d", target: "y", features: ["x"], options: ["offset": "exposure"])
        let archive = try ModelArchive.encode(model, name: "m")
        let decoded = try ModelArchive.decode(archive, source: "m.json").model
        XCTAssertEqual(decoded.schema.offset, "exposure")
        XCTAssertEqual(try decoded.predict(on: data).numbers.map(\.bitPattern), try model.predict(on: data).numbers.map(\.bitPattern))
        let plain = try ModelArchive.encode(try Self.fittedModel(), name: "m")
        XCTAssertFalse(String(decoding: plain, as: UTF8.self).contains("\"offset\""))
    }

    func testArchiveIsVersionedSortedIndentedJSON() throws {
        let text = String(decoding: try ModelArchive.encode(try Self.fittedModel(), name: "m"), as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.first, "{")
        XCTAssertTrue(lines[1].hasPrefix("  \"checksum\" : \""))
        XCTAssertEqual(lines[2], "  \"createdBy\" : \"\(modelshCreatedBy)\",")
        XCTAssertEqual(lines[3], "  \"format\" : \"modelsh-model\",")
        XCTAssertEqual(lines[4], "  \"formatVersion\" : 3,")
        XCTAssertEqual(lines[5], "  \"model\" : {")
        XCTAssertTrue(text.hasSuffix("  \"name\" : \"m\"\n}\n"))
    }

    // MARK: - Checksum

    /// The archive's text without its first line, as the README documents the checksum.
    func testChecksumIsXXH64OfTheFileWithoutItsChecksumLine() throws {
        let text = String(decoding: try ModelArchive.encode(try Self.fittedModel(), name: "m"), as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let stored = lines.remove(at: 1).split(separator: "\"")[3]
        let unsummed = lines.joined(separator: "\n").dropLast()  // the encoder writes no final newline
        XCTAssertEqual(String(stored), Checksum.hex(joining: String(unsummed)))
    }

    func testAChangedValueFailsTheChecksumButReindentingDoesNot() throws {
        let text = String(decoding: try ModelArchive.encode(try Self.fittedModel(), name: "m"), as: UTF8.self)
        // The training dataset's name, a value the model's own checks cannot tell is wrong.
        let changed = text.replacingOccurrences(of: "\"datasetName\" : \"train\"", with: "\"datasetName\" : \"trains\"")
        XCTAssertNotEqual(changed, text)
        assertModelshError(.data, containing: ["m.json: damaged model file (model 'm' does not match its checksum", "delete its \"checksum\" line"]) {
            try ModelArchive.decode(Data(changed.utf8), source: "m.json")
        }
        let reindented = text.replacingOccurrences(of: "\n  ", with: "\n\t").replacingOccurrences(of: " : ", with: ":")
        XCTAssertEqual(try ModelArchive.decode(Data(reindented.utf8), source: "m.json").model, try Self.fittedModel())
        let accepted = changed.split(separator: "\n").filter { !$0.contains("\"checksum\"") }.joined(separator: "\n")
        XCTAssertEqual(try ModelArchive.decode(Data(accepted.utf8), source: "m.json").model.training.datasetName, "trains")
    }

    /// JSON has to carry every double exactly, including the ones JSON itself cannot spell.
    func testEveryDoubleSurvivesTheArchiveEncodingBitForBit() throws {
        var generator = SystemRandomNumberGenerator()
        let special: [Double] = [0, -0.0, .nan, .infinity, -.infinity, .leastNonzeroMagnitude, -.leastNormalMagnitude,
                                 .greatestFiniteMagnitude, .ulpOfOne, 0.1, 1 / 3, 1e23, Double(bitPattern: 0x4340_0000_0000_0001),
                                 .leastNonzeroMagnitude * 3]
        let anyBits = (0..<20_000).map { _ in Double(bitPattern: generator.next()) }.filter { !$0.isNaN }
        let everyday = (0..<20_000).map { _ in Double.random(in: -1e6...1e6, using: &generator) }
        let values = special + anyBits + everyday
        let decoded = try ModelArchive.jsonDecoder().decode([Double].self, from: ModelArchive.jsonEncoder().encode(values))
        XCTAssertEqual(decoded.count, values.count)
        for (actual, expected) in zip(decoded, values) where actual.bitPattern != expected.bitPattern {
            // NaN is written as "NaN": its payload is not kept, only that it is NaN.
            guard expected.isNaN, actual.isNaN else { return XCTFail("\(expected) came back as \(actual)") }
        }
    }

    func testSaveAndLoadThroughAFile() throws {
        let path = scratchFile("m.json")
        let model = try Self.fittedModel()
        try ModelArchive.save(model, name: "first", to: path)
        try ModelArchive.save(model, name: "second", to: path)
        let loaded = try ModelArchive.load(path: path)
        XCTAssertEqual(loaded.name, "second")
        XCTAssertEqual(loaded.model, model)
        XCTAssertEqual(try scratchContents(), ["m.json"], "no temporary file is left behind")
    }

    func testWorkspaceKeepsModelsInOrderWithIdenticalPredictions() throws {
        let path = scratchFile("w.msw")
        let data = try Self.trainingData()
        let full = try Self.fittedModel()
        let small = try ModelCatalogue.fit(kind: "linear", data: data, datasetName: "train", target: "y",
                                           features: ["x"], options: ["intercept": "false"])
        let contents = WorkspaceContents(datasets: [NamedDataset(name: "train", dataset: data)],
                                         models: [NamedModel(name: "m", model: full), NamedModel(name: "a", model: small)])
        try Workspace.save(contents, to: path)
        let opened = try Workspace.open(path: path)
        XCTAssertEqual(opened.models, contents.models)
        for (actual, expected) in zip(opened.models, contents.models) {
            XCTAssertEqual(try actual.model.predict(on: data).numbers.map(\.bitPattern),
                           try expected.model.predict(on: data).numbers.map(\.bitPattern))
        }
    }

    // MARK: - Bad files

    func testMissingFileIsNoInput() throws {
        assertModelshError(.noInput, containing: ["absent.json: cannot open (No such file or directory)"]) {
            try ModelArchive.load(path: scratchFile("absent.json"))
        }
        assertModelshError(.noInput, containing: ["\(scratchPath): cannot open (it is a directory)"]) {
            try ModelArchive.load(path: scratchPath)
        }
    }

    func testGarbageAndTruncatedFilesAreNotArchives() throws {
        let archive = try ModelArchive.encode(try Self.fittedModel(), name: "m")
        assertModelshError(.data, containing: ["m.json: not a modelsh model file (not valid JSON)"]) {
            try ModelArchive.decode(Data([0x89, 0x50, 0x4E, 0x47, 0x00, 0xFF]), source: "m.json")
        }
        assertModelshError(.data, containing: ["m.json: not a modelsh model file (not valid JSON)"]) {
            try ModelArchive.decode(archive.prefix(archive.count / 2), source: "m.json")
        }
        assertModelshError(.data, containing: ["m.json: not a modelsh model file (not a JSON object)"]) {
            try ModelArchive.decode(Data("[1, 2]".utf8), source: "m.json")
        }
    }

    func testOtherFormatsAreNotArchives() throws {
        assertModelshError(.data, containing: ["m.json: not a modelsh model file (no \"format\" field)"]) {
            try ModelArchive.decode(Data(#"{"name": "m"}"#.utf8), source: "m.json")
        }
        assertModelshError(.data, containing: ["m.json: not a modelsh model file (format is 'onnx', expected 'modelsh-model')"]) {
            try ModelArchive.decode(Data(#"{"format": "onnx", "formatVersion": 1}"#.utf8), source: "m.json")
        }
    }

    func testNewerFormatVersionIsRefusedBeforeTheModelIsRead() throws {
        let text = #"{"format": "modelsh-model", "formatVersion": 4, "model": {"from": "the future"}}"#
        assertModelshError(.data, containing: ["m.json was written by a newer modelsh (format 4; this build reads up to 3)"]) {
            try ModelArchive.decode(Data(text.utf8), source: "m.json")
        }
    }

    func testFormatOneFromModelsh01IsRefusedWithAReason() throws {
        let text = #"{"format": "modelsh-model", "formatVersion": 1, "model": {"kind": "linear"}}"#
        assertModelshError(.data, containing: ["m.json was written by modelsh 0.1 (model format 1); this build reads formats 2 to 3: refit the model"]) {
            try ModelArchive.decode(Data(text.utf8), source: "m.json")
        }
    }

    func testMissingOrMistypedFieldsAreNamed() throws {
        let archive = try ModelArchive.encode(try Self.fittedModel(), name: "m")
        var object = try XCTUnwrap(try JSONSerialization.jsonObject(with: archive) as? [String: Any])

        var withoutModel = object
        withoutModel["model"] = nil
        assertModelshError(.data, containing: ["m.json: damaged model file (missing field 'model')"]) {
            try ModelArchive.decode(JSONSerialization.data(withJSONObject: withoutModel), source: "m.json")
        }

        var model = try XCTUnwrap(object["model"] as? [String: Any])
        model["kind"] = nil
        object["model"] = model
        assertModelshError(.data, containing: ["m.json: damaged model file (missing field 'model.kind')"]) {
            try ModelArchive.decode(JSONSerialization.data(withJSONObject: object), source: "m.json")
        }

        object["model"] = try XCTUnwrap(try JSONSerialization.jsonObject(with: archive) as? [String: Any])["model"]
        object["formatVersion"] = "one"
        assertModelshError(.data, containing: ["m.json: not a modelsh model file (field 'formatVersion' has the wrong type)"]) {
            try ModelArchive.decode(JSONSerialization.data(withJSONObject: object), source: "m.json")
        }
    }

    func testArchiveNameMustBeANameTheShellCanType() throws {
        for bad in ["", "2m", "my model", "m\n"] {
            let archive = try ModelArchive.encode(try Self.fittedModel(), name: bad)
            assertModelshError(.data, containing: ["m.json: damaged model file (name: "]) {
                try ModelArchive.decode(archive, source: "m.json")
            }
        }
    }

    func testDamagedArchiveInsideAWorkspaceNamesFileAndModel() throws {
        let path = scratchFile("w.msw")
        try Workspace.save(WorkspaceContents(models: [NamedModel(name: "m", model: try Self.fittedModel())]), to: path)
        try forge(path, "UPDATE versions SET archive = substr(archive, 1, 100)")
        assertModelshError(.data, containing: ["\(path) (model 'm'): not a modelsh model file (not valid JSON)"]) {
            try Workspace.open(path: path)
        }
    }
}
