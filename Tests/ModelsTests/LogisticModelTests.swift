import Diagnostics
import Models
import Tabular
import XCTest

/// The logistic kind end to end (options, preprocessing, state, summary figures) against R's
/// glm on a public dataset: Tests/References/glm_breast_cancer.R, R 4.2.2, 17 digits.
final class LogisticModelTests: XCTestCase {
    /// Read with the real CSV reader, which sorts a category's levels as R's factor does.
    func breastCancer() throws -> Dataset {
        try CSVReader.read(path: TestData.directory.appendingPathComponent("breast_cancer.csv").path)
    }

    func breastCancerModel(_ options: [String: String] = [:]) throws -> Model {
        try ModelCatalogue.fit(kind: "logistic", data: breastCancer(), datasetName: "bc", target: "diagnosis",
                               features: ["mean_radius", "mean_texture", "mean_smoothness"], options: options)
    }

    func testBinaryFitMatchesRsGlmToEveryPrintedDigit() throws {
        let model = try breastCancerModel()
        let state = try XCTUnwrap(model.state as? LogisticState)
        XCTAssertEqual(model.schema.classes, ["benign", "malignant"], "R's factor levels: P(malignant) is modelled")
        let estimates = [-42.01940764491395441, 1.39699240809595282, 0.38055892626587912, 144.67422711500776700]
        let errors = [4.459425804784661551, 0.154032373957037699, 0.057113237794028562, 19.046871650136839804]
        for j in 0 ..< 4 {
            assertRelative(state.coefficients[0][j], estimates[j], 1e-9, "estimate \(j)")
            assertRelative(try XCTUnwrap(state.standardErrors)[0][j], errors[j], 1e-9, "standard error \(j)")
        }
        assertRelative(state.deviance, 187.29022271784922, 1e-11)
        assertRelative(try XCTUnwrap(state.nullDeviance), 751.44000538416901, 1e-11)
        assertRelative(try XCTUnwrap(state.aic), 195.29022271784922, 1e-11)
        XCTAssertEqual(state.iterations, 8)
        XCTAssertEqual(state.residualDegreesOfFreedom, 565)
        XCTAssertEqual(state.nullDegreesOfFreedom, 568)
        XCTAssertTrue(state.warnings.isEmpty)
        let text = model.summary().blocks.description
        for fragment in ["-9.423", "2.679e-11", "3.061e-14", "Null deviance: 751.44 on 568", "Number of Fisher Scoring iterations: 8", "Penalty: none"] {
            XCTAssertTrue(text.contains(fragment), fragment)
        }
    }

    /// Probabilities from predict are the fitted values of the training rows.
    func testPredictedProbabilitiesAreRsFittedValues() throws {
        let model = try breastCancerModel()
        guard case .classes(let prediction) = try model.predict(on: breastCancer()) else { return XCTFail() }
        for (row, p) in prediction.probabilities[1].enumerated() { XCTAssertEqual(p + prediction.probabilities[0][row], 1, accuracy: 1e-15) }
    }

    func testPenaltiesAndTheirOptionsAreChecked() throws {
        assertThrows(.usage, containing: ["alpha= sets a penalty's strength; give penalty=l2 or penalty=l1 too"], argument: "alpha") {
            try breastCancerModel(["alpha": "1"])
        }
        let l2 = try XCTUnwrap(try breastCancerModel(["penalty": "l2", "alpha": "10"]).state as? LogisticState)
        XCTAssertNil(l2.standardErrors)
        let l1 = try XCTUnwrap(try breastCancerModel(["penalty": "l1", "alpha": "50"]).state as? LogisticState)
        XCTAssertTrue(l1.coefficients[0].contains(0), "a strong L1 penalty zeroes a coefficient")
        assertThrows(.usage, containing: ["penalty=l1 is for two classes"], argument: "penalty") {
            try ModelCatalogue.fit(kind: "logistic", data: TestData.iris(), datasetName: "iris", target: "Species", features: nil,
                                   options: ["penalty": "l1"])
        }
    }

    func testNumericTargetIsRefusedWithAHint() throws {
        assertThrows(.data, containing: ["target 'Sepal.Length' holds measurements, not whole numbers; 'logistic' needs classes"], argument: "target") {
            try ModelCatalogue.fit(kind: "logistic", data: TestData.iris(), datasetName: "iris", target: "Sepal.Length", features: nil, options: [:])
        }
    }

    /// offset= is R's glm(am ~ wt + offset(o), binomial, mtcars) with o = hp/100 (R 4.2): the
    /// coefficients, standard errors, deviances (the null one refitted with the offset), AIC,
    /// the null deviance without an intercept (of μ = logistic(offset)), and probabilities on
    /// rows with other offsets (predict(m, nd, type = "response"), nd$o = c(0, 1, 2)).
    func testOffsetIsRsOffset() throws {
        let mtcars = try CSVReader.read(path: TestData.directory.appendingPathComponent("mtcars.csv").path)
        let data = try Dataset(columns: mtcars.columns + [.numeric("o", try XCTUnwrap(mtcars.column(named: "hp")?.numbers).map { $0 / 100 })])
        let fit = { (options: [String: String]) in
            try ModelCatalogue.fit(kind: "logistic", data: data, datasetName: "mt", target: "am", features: ["wt"], options: options)
        }
        let model = try fit(["offset": "o"])
        let state = try XCTUnwrap(model.state as? LogisticState)
        for (found, wanted) in zip(state.coefficients[0], [13.0777959694611106, -4.8329085700336734]) { XCTAssertEqual(found, wanted, accuracy: 1e-9) }
        for (found, wanted) in zip(state.standardErrors?[0] ?? [], [4.5955442938115887, 1.4583035102448054]) { XCTAssertEqual(found, wanted, accuracy: 1e-9) }
        XCTAssertEqual(state.deviance, 14.128867030790843, accuracy: 1e-10)
        XCTAssertEqual(state.nullDeviance ?? .nan, 51.823812829716395, accuracy: 1e-9)
        XCTAssertEqual(state.aic ?? .nan, 18.128867030790843, accuracy: 1e-10)
        let throughOrigin = try XCTUnwrap(try fit(["offset": "o", "intercept": "no"]).state as? LogisticState)
        XCTAssertEqual(throughOrigin.nullDeviance ?? .nan, 76.204912984648104, accuracy: 1e-9)
        XCTAssertEqual(throughOrigin.deviance, 37.126301876442689, accuracy: 1e-9)

        let rows = data.selecting(rows: [0, 1, 2])
        let others = try Dataset(columns: rows.columns.filter { $0.name != "o" } + [.numeric("o", [0, 1, 2])])
        guard case .classes(let prediction) = try model.predict(on: others) else { return XCTFail("a logistic model predicts classes") }
        for (found, wanted) in zip(prediction.probabilities[1], [0.60242402644922532, 0.54566832396001497, 0.97947650829779731]) {
            XCTAssertEqual(found, wanted, accuracy: 1e-12)
        }
        assertThrows(.usage, containing: ["offset= is for unpenalised binary logistic fits"], argument: "offset") { try fit(["offset": "o", "penalty": "l2"]) }
    }
}
