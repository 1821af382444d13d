import Diagnostics
import Foundation
import Models
import Numerics
@testable import Shell
import Store
import Tabular
import XCTest

/// The training profile through files and workspaces, validate on broken data (a table, never
/// a crash), drift thresholds, and monitoring entries kept with the version.
final class MonitoringCommandTests: ShellTestCase {
    override func setUp() {
        super.setUp()
        run("load \"data/monitoring/reference.csv\" as reference; load \"data/monitoring/batch2.csv\" as batch2")
        run("fit linear reference target=Y as m")
    }

    private var model: Model { session.state.variables.model("m")! }

    func testTheProfileDescribesTheTrainingData() throws {
        let profile = try XCTUnwrap(model.profile)
        XCTAssertEqual(profile.features.map(\.name), ["AGE", "SEX", "BMI", "BP", "S1", "S2", "S3", "S4", "S5", "S6"])
        let bmi = try XCTUnwrap(profile.features[2].numbers)
        let values = session.state.variables.dataset("reference")!.column(named: "BMI")!.numbers!
        XCTAssertEqual(bmi.minimum, values.min())
        XCTAssertEqual(bmi.edges, Quantile.type7(unsorted: values, (1 ... 9).map { Double($0) / 10 }))
        XCTAssertEqual(bmi.sample, values.sorted())
        XCTAssertEqual(bmi.binCounts.reduce(0, +), 300)
        XCTAssertEqual(profile.metrics.first { $0.name == "r2" }?.value, try model.evaluate(on: session.state.variables.dataset("reference")!).metric("r2"))
        XCTAssertEqual(profile.outliers?.features.count, 10)
    }

    func testTheProfileSurvivesAModelFileAndAWorkspace() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        run("save m to \"\(directory)/m.json\"")
        run("load model \"\(directory)/m.json\" as copy")
        XCTAssertEqual(session.state.variables.model("copy")?.profile, model.profile)
        run("monitor m on batch2 label=Y")
        run("save workspace \"\(directory)/w.msw\"")
        let before = session.state.variables.registry.version(ModelVersionID(name: "m", version: 1))
        run("open \"\(directory)/w.msw\"")
        let after = session.state.variables.registry.version(ModelVersionID(name: "m", version: 1))
        XCTAssertEqual(after?.model.profile, before?.model.profile)
        XCTAssertEqual(after?.monitoring.count, 1)
        XCTAssertEqual(after?.monitoring.first?.metrics, before?.monitoring.first?.metrics)
        XCTAssertEqual(after?.monitoring.first?.verdict, "drifted")
    }

    func testAnEditedProfileIsRefused() throws {
        let archive = try ModelArchive.encode(model, name: "m")
        var text = String(decoding: archive, as: UTF8.self)
        // Bin counts that no longer add up to the rows profiled.
        let range = try XCTUnwrap(text.range(of: "\"binCounts\" : [\n"))
        text.insert(contentsOf: "1000,\n", at: range.upperBound)
        XCTAssertThrowsError(try ModelArchive.decode(Data(text.utf8), source: "m.json")) { error in
            XCTAssertTrue((error as? ModelshError)?.message.contains("bin counts") == true, "\(error)")
        }
    }

    func testAModelWithoutAProfileIsToldToRefit() throws {
        // A model file as the previous modelsh wrote it: the same format, no profile.
        var json = try XCTUnwrap(JSONSerialization.jsonObject(with: ModelArchive.encode(model, name: "old")) as? [String: Any])
        var inner = try XCTUnwrap(json["model"] as? [String: Any])
        inner["profile"] = nil
        json["model"] = inner
        json["checksum"] = nil
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString + ".json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: path))
        run("load model \"\(path)\" as old")
        XCTAssertNil(session.state.variables.model("old")?.profile)
        XCTAssertEqual(fail("drift old on batch2").error?.message,
                       "old@1 has no training profile (it was saved by an older modelsh); refit old to profile its training data")
        XCTAssertTrue(run("predict old on batch2 as scored").hasPrefix("scored"))
    }

    func testValidateOnBrokenDataGivesATable() throws {
        // A missing column and a wrong type, each a row of the table.
        run("load \"data/monitoring/broken.csv\" as broken")
        let output = run("validate m on broken")
        XCTAssertTrue(output.contains("S6       integer   —            0.0% → —                —  —       column missing"), output)
        XCTAssertTrue(output.contains("categorical, was integer"), output)
        XCTAssertTrue(output.hasSuffix("verdict: fails (SEX, S6): predict would refuse this data"), output)
        // An unseen level and a value far out of range.
        run("load \"data/gaps.csv\" as gaps; load \"data/monitoring/gaps_new.csv\" as gaps_new; fit linear gaps target=y impute=mean as g")
        let unseen = run("validate g on gaps_new rows=yes")
        XCTAssertTrue(unseen.contains("2: 'c'  2 unseen"), unseen)
        XCTAssertTrue(unseen.contains("  3  59250  x"), unseen)
        // drift and monitor on the same data report rather than fail.
        XCTAssertTrue(run("drift m on broken").contains("prediction  prediction  —"))
        XCTAssertTrue(run("monitor m on broken").hasSuffix("recorded as entry 1 of m@1"))
    }

    func testDriftThresholdsComeFromOptionsOrSettings() {
        let standard = run("drift reference vs batch2 features=BP")
        XCTAssertTrue(standard.contains("verdict: stable"), standard)
        run("set drift_psi 0.05")
        XCTAssertTrue(run("drift reference vs batch2 features=BP").contains("verdict: drifted"))
        XCTAssertTrue(run("drift reference vs batch2 features=BP psi=0.5").contains("verdict: stable"))
        XCTAssertEqual(fail("drift reference vs batch2 p=2").error?.message, "p must be a number above 0 and below 1, found '2'")
        // `monitor` alone is also `monitor MODEL on DATA`: both forms, not "needs one of history".
        XCTAssertEqual(fail("monitor").error?.message, "monitor is written 'monitor history MODEL [drop=…]' or 'monitor MODEL on DATA [label=…] [psi=…] [p=…]'")
    }

    func testHistoryFlagsAFallFromTraining() {
        run("monitor m on batch2 label=Y")
        run("monitor m on reference label=Y")
        let history = run("monitor history m")
        XCTAssertTrue(history.contains("fell 0.283"), history)
        XCTAssertEqual(history.components(separatedBy: "fell 0.").count, 2, history)
        XCTAssertFalse(run("monitor history m drop=0.3").contains("fell 0."))
        XCTAssertEqual(session.state.variables.registry.version(ModelVersionID(name: "m", version: 1))?.monitoring.count, 2)
    }
}
