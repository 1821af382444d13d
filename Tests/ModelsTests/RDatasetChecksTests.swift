@testable import Models
import Diagnostics
import Numerics
import Tabular
import XCTest

/// What a sweep of R's built-in datasets against lm and glm found (sessions/r-datasets.msh has
/// the figures that agree): cases where modelsh printed a misleading figure or said nothing.
final class RDatasetChecksTests: XCTestCase {
    /// A multinomial fit whose information matrix is singular (airquality's Ozone, 67 classes
    /// on 116 rows) has standard errors that cannot be computed, stored as 0: the summary shows
    /// them as NaN with no test, not z = ±Inf with p < 2.2e-16 '***'.
    func testUncomputableStandardErrorsShowAsNaNWithoutATest() throws {
        let model = try ModelCatalogue.fit(kind: "logistic", data: TestData.iris(), datasetName: "iris", target: "Species",
                                           features: ["Petal.Width"], options: [:])
        let fitted = try XCTUnwrap(model.state as? LogisticState)
        var errors = try XCTUnwrap(fitted.standardErrors)
        errors[0][1] = 0
        let state = LogisticState(terms: fitted.terms, modelledClasses: fitted.modelledClasses, coefficients: fitted.coefficients,
                                  aliased: fitted.aliased, standardErrors: errors, deviance: fitted.deviance, nullDeviance: nil,
                                  nullDegreesOfFreedom: nil, residualDegreesOfFreedom: nil, aic: fitted.aic, iterations: fitted.iterations,
                                  converged: fitted.converged, fitWarnings: fitted.fitWarnings, observations: fitted.observations)
        let singular = Model(kind: model.kind, task: model.task, schema: model.schema, preprocessing: model.preprocessing,
                             parameters: model.parameters, state: state, training: model.training)
        let blocks = singular.summary().blocks
        let table = try XCTUnwrap(blocks.lazy.compactMap { block -> TextTable? in if case .table(let t) = block { t } else { nil } }.first)
        XCTAssertEqual(table.rows[1], ["versicolor", "Petal.Width", NumberFormat.significant(fitted.coefficients[0][1]), "NaN", "NaN", "NA", ""])
        let lines = blocks.compactMap { block -> String? in if case .text(let line) = block { line } else { nil } }
        XCTAssertTrue(lines.contains("(NaN: a standard error that could not be computed, the information matrix being singular)"))
        XCTAssertFalse(model.summary().blocks.description.contains("NaN"), "a fit with every standard error says nothing")
    }

    /// An integer target with many values given to a kind that only classifies is fitted as a
    /// class per value; the fit says so, as a 0/1 target fitted as a quantity does.
    func testIntegerTargetWithManyValuesFittedAsClassesWarns() throws {
        let values = (0 ..< 60).map { Double($0 % 25) }
        let data = try Dataset(columns: [Column.numeric("count", values, type: .integer),
                                         Column.numeric("x", values.indices.map { Double($0 % 7) })])
        let warning = TrainingFrame.integerTargetWarning(try data.requireColumn("count"), task: .classification, tasks: [.classification])
        XCTAssertEqual(warning, "target 'count' is an integer with 25 values, fitted as 25 classes (one per value); a regression kind such as linear fits a quantity")
        let codes = try Dataset(columns: [Column.numeric("class", (0 ..< 60).map { Double($0 % 3 + 1) }, type: .integer)])
        XCTAssertNil(TrainingFrame.integerTargetWarning(try codes.requireColumn("class"), task: .classification, tasks: [.classification]),
                     "wine's class 1–3 are classes")
    }

    /// R's fitting functions, typed as a kind, are answered with modelsh's kind.
    func testRFunctionNamesSuggestTheKind() {
        assertThrows(.usage, containing: ["unknown model kind 'lm': R's lm is 'linear' here"]) { _ = try ModelCatalogue.requireKind(named: "lm") }
        assertThrows(.usage, containing: ["R's glm(family = binomial) is 'logistic' here and glm(family = poisson) is 'poisson'"]) { _ = try ModelCatalogue.requireKind(named: "glm") }
    }
}
