import Diagnostics
import Foundation
import Models
@testable import Store
import XCTest

/// The registry as a value: numbering, what a reference means, aliases, retiring, deleting.
final class ModelRegistryTests: XCTestCase {
    static let time = Date(timeIntervalSince1970: 1_767_225_600)

    /// m@1, m@2, m@3 (all the same fitted model) and other@1.
    static func sample() throws -> ModelRegistry {
        let model = try ModelArchiveTests.fittedModel()
        var registry = ModelRegistry()
        for cell in 1 ... 3 { registry.add(model, as: "m", origin: VersionOrigin(created: time, cell: cell, command: "fit linear train target=y as m")) }
        registry.add(model, as: "other", origin: VersionOrigin(created: time, cell: 4, command: "compress m as other",
                                                               parent: ModelVersionID(name: "m", version: 2)))
        return registry
    }

    private func resolved(_ registry: ModelRegistry, _ name: String, _ selector: String? = nil) throws -> Int {
        try registry.resolve(name, selector: selector).version
    }

    func testVersionsAreNumberedInOrderAndTheNameMeansTheLatest() throws {
        let registry = try Self.sample()
        XCTAssertEqual(registry.names, ["m", "other"])
        XCTAssertEqual(registry["m"]?.versions.map(\.number), [1, 2, 3])
        XCTAssertEqual(try resolved(registry, "m"), 3)
        XCTAssertEqual(try resolved(registry, "m", "2"), 2)
        XCTAssertEqual(registry.version(ModelVersionID(name: "other", version: 1))?.origin.parent?.description, "m@2")
    }

    func testRetiredVersionsAreSkippedByTheNameButKeptByNumber() throws {
        var registry = try Self.sample()
        try registry.setRetired(true, ModelVersionID(name: "m", version: 3))
        XCTAssertEqual(try resolved(registry, "m"), 2)
        XCTAssertEqual(try resolved(registry, "m", "3"), 3)
        try registry.setRetired(true, ModelVersionID(name: "m", version: 2))
        try registry.setRetired(true, ModelVersionID(name: "m", version: 1))
        assertModelshError(.usage, containing: ["every version of 'm' is retired (versions: m@1, m@2, m@3); name one, as m@3"]) {
            try registry.resolve("m")
        }
    }

    func testAliasesMoveAndUnknownOnesGetASuggestion() throws {
        var registry = try Self.sample()
        XCTAssertNil(try registry.setAlias("production", to: ModelVersionID(name: "m", version: 1)))
        XCTAssertEqual(try registry.setAlias("production", to: ModelVersionID(name: "m", version: 2)), 1)
        XCTAssertEqual(try resolved(registry, "m", "production"), 2)
        XCTAssertEqual(registry["m"]?.aliases(of: 1), [])
        assertModelshError(.usage, containing: ["'m' has no alias 'prodution'; did you mean 'production'? (aliases: production)"]) {
            try registry.resolve("m", selector: "prodution")
        }
        try registry.removeAlias("production", from: "m")
        assertModelshError(.usage, containing: ["'m' has no alias 'production' (it has no aliases)"]) {
            try registry.resolve("m", selector: "production")
        }
    }

    func testDeletedNumbersAreNotReusedAndTheLastDeletionRemovesTheName() throws {
        var registry = try Self.sample()
        try registry.setAlias("production", to: ModelVersionID(name: "m", version: 3))
        XCTAssertFalse(try registry.delete(ModelVersionID(name: "m", version: 3)))
        XCTAssertEqual(registry["m"]?.aliases, [:], "an alias goes with its version")
        assertModelshError(.usage, containing: ["m@3 was deleted (versions: m@1, m@2)"]) { try registry.resolve("m", selector: "3") }
        assertModelshError(.usage, containing: ["m@7 does not exist (versions: m@1, m@2)"]) { try registry.resolve("m", selector: "7") }
        let model = try ModelArchiveTests.fittedModel()
        XCTAssertEqual(registry.add(model, as: "m", origin: VersionOrigin(created: Self.time)).version, 4)
        XCTAssertTrue(try registry.delete(ModelVersionID(name: "other", version: 1)))
        XCTAssertEqual(registry.names, ["m"])
    }

    func testEvaluationsAppendToTheirVersionAndAValueCopyIsUnchanged() throws {
        var registry = try Self.sample()
        let before = registry
        let record = EvaluationRecord(dataset: "test", fingerprint: "0123456789abcdef",
                                      metrics: [Metric(name: "n", value: 5), Metric(name: "r2", value: 0.5)], time: Self.time)
        try registry.appendEvaluation(record, to: ModelVersionID(name: "m", version: 2))
        XCTAssertEqual(registry.version(ModelVersionID(name: "m", version: 2))?.latestEvaluation()?.metric("r2"), 0.5)
        XCTAssertNil(registry.version(ModelVersionID(name: "m", version: 3))?.latestEvaluation())
        XCTAssertNotEqual(registry, before)
        XCTAssertEqual(before["m"]?.versions.flatMap(\.evaluations), [])
    }

    func testRegistryTimesAreISOUTCWholeSeconds() {
        XCTAssertEqual(RegistryTime.text(Self.time), "2026-01-01T00:00:00Z")
        XCTAssertEqual(RegistryTime.date("2026-01-01T00:00:00Z"), Self.time)
        XCTAssertNil(RegistryTime.date("2026-13-01T00:00:00Z"))
        XCTAssertNil(RegistryTime.date("2026-01-01 00:00:00"))
        XCTAssertEqual(RegistryTime.wholeSeconds(Date(timeIntervalSince1970: 10.9)), Date(timeIntervalSince1970: 10))
    }
}
