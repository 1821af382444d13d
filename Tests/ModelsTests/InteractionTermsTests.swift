import Diagnostics
import Foundation
@testable import Models
import Tabular
import XCTest

/// features= with R's interaction terms (`a:b`, `a*b`), against R 4.2's lm, glm and step
/// (the calls beside each figure), and the order, coding and refusals of `ModelTerms`.
final class InteractionTermsTests: XCTestCase {
    private func terms(_ items: [String]) throws -> ModelTerms {
        try ModelTerms.parse(items) { _ in false }
    }

    func testTermsAreOrderedAndLabelledAsRsTerms() throws {
        let crossed = try terms(["wt*hp"])
        XCTAssertEqual(crossed.variables, ["wt", "hp"])
        XCTAssertEqual(crossed.labels, ["wt", "hp", "wt:hp"])
        XCTAssertFalse(crossed.isPlain)
        // Main effects first, as R's terms(y ~ hp:wt + wt), whose labels are "wt", "hp:wt": here
        // the columns are named in their order once the terms are ordered, so the labels read back.
        XCTAssertEqual(try terms(["hp:wt", "wt"]).labels, ["wt", "wt:hp"])
        // `:` binds tighter than `*`: a*b:c is a + b:c + a:b:c.
        XCTAssertEqual(try terms(["a*b:c"]).labels, ["a", "b:c", "a:b:c"])
        XCTAssertEqual(try terms(["a*b*c"]).labels, ["a", "b", "c", "a:b", "a:c", "b:c", "a:b:c"])
        // Repeats count once, in either order; a:a is a.
        XCTAssertEqual(try terms(["a", "b", "b:a", "a:b", "a:a"]).labels, ["a", "b", "a:b"])
        XCTAssertTrue(try terms(["a", "b"]).isPlain)
        XCTAssertTrue(try terms(["a*a"]).isPlain)
        // Labels read back give the same terms, which is how anova and confint fit them again.
        for items in [["hp:wt", "wt"], ["c", "a*b", "b:c"], ["x:A", "A"]] {
            let parsed = try terms(items)
            XCTAssertEqual(try terms(parsed.labels), parsed, "\(items)")
        }
        // A column whose own name holds ':' is a column.
        XCTAssertEqual(try ModelTerms.parse(["a:b", "c"]) { $0 == "a:b" }.labels, ["a:b", "c"])
        assertThrows(.usage, containing: ["'a::b' is not a term"]) { try terms(["a::b"]) }
        assertThrows(.usage, containing: ["crosses 9 terms"]) { try terms(["a*b*c*d*e*f*g*h*i"]) }
        assertThrows(.usage, containing: ["column 'a:b' has ':'"]) { try ModelTerms.parse(["a:b", "a:b:c"]) { $0 == "a:b" } }
    }

    /// A power is one variable, as R's I(x^2): ordered with the main effects, not containing
    /// its column, and written back as x^2.
    func testPowersAreVariablesOfTheirOwn() throws {
        let parsed = try terms(["wt", "wt^2", "hp", "wt^2*qsec"])
        XCTAssertEqual(parsed.labels, ["wt", "wt^2", "hp", "qsec", "wt^2:qsec"])
        XCTAssertEqual(parsed.terms, [[0], [0, 0], [1], [2], [0, 0, 2]])
        XCTAssertFalse(parsed.isPlain)
        XCTAssertEqual(try terms(parsed.labels), parsed)
        XCTAssertTrue(ModelTerms.canDrop([0], from: [[0], [0, 0]]), "wt may go while wt^2 stays, as step() lets it")
        XCTAssertFalse(ModelTerms.canDrop([0, 0], from: [[0, 0], [0, 0, 2]]))
        assertThrows(.usage, containing: ["multiplies 'wt' by a power of itself"]) { try self.terms(["wt*wt^2"]) }
        assertThrows(.usage, containing: ["'wt^1' is not a power"]) { try self.terms(["wt^1"]) }
        assertThrows(.usage, containing: ["'wt^x' is not a power"]) { try self.terms(["wt^x"]) }
        // lm(mpg ~ wt + I(wt^2) + hp, mtcars), and its sequential anova.
        let (model, fit) = try linear(try mtcars(), "mpg", ["wt", "wt^2", "hp"])
        XCTAssertEqual(model.terms, ["wt", "wt^2", "hp"])
        for (found, wanted) in zip(fit.estimates, [47.83728322401, -10.82217297907, 0.98181098181, -0.02728277471]) { assertRelative(found, wanted, 1e-10) }
        let anova = try SequentialAnova(model, named: "q")
        XCTAssertEqual(anova.rows.map(\.term), ["wt", "wt^2", "hp"])
        for (found, wanted) in zip(anova.rows.map(\.sumOfSquares), [847.72525, 74.57649, 59.45246]) { XCTAssertEqual(found, wanted, accuracy: 5e-5) }
        let iris = try TestData.iris()
        assertThrows(.usage, containing: ["raises categorical column 'Species' to a power"]) {
            try ModelCatalogue.fit(kind: "linear", data: iris, datasetName: "iris", target: "Sepal.Length", features: ["Species^2"], options: [:])
        }
    }

    func testMarginality() throws {
        let model = try terms(["a*b", "c"])
        let (a, b, c, ab) = ([0], [1], [2], [0, 1])
        XCTAssertTrue(model.canAdd(a, to: []))
        XCTAssertFalse(model.canAdd(ab, to: [a, c]))
        XCTAssertTrue(model.canAdd(ab, to: [a, b]))
        XCTAssertFalse(ModelTerms.canDrop(a, from: [a, b, ab]))
        XCTAssertTrue(ModelTerms.canDrop(ab, from: [a, b, ab]))
        XCTAssertTrue(ModelTerms.canDrop(c, from: [a, b, c, ab]))
    }

    /// A sample file as `load` reads it (these are quoted, which TestData.csv does not read).
    private func sample(_ name: String) throws -> Dataset {
        try CSVReader.read(path: TestData.directory.appendingPathComponent(name).path)
    }

    private func mtcars() throws -> Dataset { try sample("mtcars.csv") }

    /// ToothGrowth with dose a factor (levels 0.5, 1, 2), as `factor(tg$dose)` in R.
    private func toothGrowth() throws -> Dataset {
        let data = try sample("ToothGrowth.csv")
        let dose = try XCTUnwrap(data.column(named: "dose")?.numbers)
        let levels = ["0.5", "1", "2"]
        return try Dataset(columns: data.columns.map { column in
            column.name != "dose" ? column : .categorical("dose", codes: dose.map { $0 == 0.5 ? 0 : $0 == 1 ? 1 : 2 }, levels: levels)
        })
    }

    private func linear(_ data: Dataset, _ target: String, _ features: [String], options: [String: String] = [:]) throws
        -> (Model, LinearRegression.Learned) {
        let model = try ModelCatalogue.fit(kind: "linear", data: data, datasetName: "d", target: target, features: features, options: options)
        return (model, try XCTUnwrap(model.state as? LinearRegression.Learned))
    }

    func testNumericInteractionIsRsLm() throws {
        // lm(mpg ~ wt*hp, mtcars)
        let (model, fit) = try linear(try mtcars(), "mpg", ["wt*hp"])
        XCTAssertEqual(model.terms, ["wt", "hp", "wt:hp"])
        XCTAssertEqual(model.formula, "mpg ~ wt + hp + wt:hp")
        for (found, wanted) in zip(fit.estimates, [49.808423428760236, -8.2166242972436034, -0.12010209097802289, 0.027848148318741165]) {
            assertRelative(found, wanted, 1e-12)
        }
        let errors = LinearInference(fit).coefficients.map(\.standardError)
        for (found, wanted) in zip(errors, [3.6051557986911713, 1.2697081392306142, 0.024698347018282697, 0.0074195804577937190]) {
            assertRelative(found, wanted, 1e-10)
        }
        // predict(m, data.frame(wt = c(2.5, 4), hp = c(100, 250)))
        let new = try Dataset(columns: [.numeric("wt", [2.5, 4]), .numeric("hp", [100, 250])])
        let predicted = try model.predict(on: new).numbers
        assertRelative(predicted[0], 24.218690667534229, 1e-12)
        assertRelative(predicted[1], 14.764551814021260, 1e-12)
        // anova(m): each term after those above it.
        let anova = try SequentialAnova(model, named: "m")
        XCTAssertEqual(anova.rows.map(\.term), ["wt", "hp", "wt:hp"])
    }

    func testFactorInteractionsAreCodedAsRsModelMatrix() throws {
        let tg = try toothGrowth()
        // lm(len ~ supp*dose, tg): contrasts throughout.
        let (crossed, crossedFit) = try linear(tg, "len", ["supp*dose"])
        XCTAssertEqual(crossed.terms, ["suppVC", "dose1", "dose2", "suppVC:dose1", "suppVC:dose2"])
        for (found, wanted) in zip(crossedFit.estimates, [13.23, -5.25, 9.47, 12.83, -0.68, 5.33]) { XCTAssertEqual(found, wanted, accuracy: 1e-12) }
        // anova(lm(len ~ supp*dose, tg))$"Sum Sq"
        let anova = try SequentialAnova(crossed, named: "m")
        XCTAssertEqual(anova.rows.map(\.term), ["supp", "dose", "supp:dose"])
        XCTAssertEqual(anova.rows.map(\.degreesOfFreedom), [1, 2, 2])
        for (found, wanted) in zip(anova.rows.map(\.sumOfSquares), [205.35000000000005, 2426.4343333333341, 108.31899999999996]) {
            assertRelative(found, wanted, 1e-11)
        }
        assertRelative(anova.residualSumOfSquares, 712.10600000000034, 1e-11)
        // lm(len ~ supp + supp:dose): dose's margin is absent, so supp takes every level in supp:dose.
        let (nested, nestedFit) = try linear(tg, "len", ["supp", "supp:dose"])
        XCTAssertEqual(nested.terms, ["suppVC", "suppOJ:dose1", "suppVC:dose1", "suppOJ:dose2", "suppVC:dose2"])
        for (found, wanted) in zip(nestedFit.estimates, [13.23, -5.25, 9.47, 8.79, 12.83, 18.16]) { XCTAssertEqual(found, wanted, accuracy: 1e-12) }
        // lm(len ~ supp:dose): every combination, the last aliased (NA).
        let (cells, cellsFit) = try linear(tg, "len", ["supp:dose"])
        XCTAssertEqual(cells.terms.count, 6)
        XCTAssertEqual(cellsFit.aliased, [false, false, false, false, false, false, true])
        for (found, wanted) in zip(cellsFit.estimates, [26.14, -12.91, -18.16, -3.44, -9.37, -0.08]) { XCTAssertEqual(found, wanted, accuracy: 1e-12) }
        // lm(len ~ supp*dose - 1): the first factor takes every level in place of the intercept.
        let (_, noInterceptFit) = try linear(tg, "len", ["supp*dose"], options: ["intercept": "false"])
        for (found, wanted) in zip(noInterceptFit.estimates, [13.23, 7.98, 9.47, 12.83, -0.68, 5.33]) { XCTAssertEqual(found, wanted, accuracy: 1e-12) }
    }

    func testPoissonInteractionIsRsGlmWithAnovaAndConfint() throws {
        let warpbreaks = try sample("warpbreaks.csv")
        // glm(breaks ~ wool*tension, poisson, w), tension's levels H, L, M.
        let model = try ModelCatalogue.fit(kind: "poisson", data: warpbreaks, datasetName: "w", target: "breaks", features: ["wool*tension"], options: [:])
        let state = try XCTUnwrap(model.state as? PoissonState)
        let wanted = [3.2009381241905022, -0.26826398660364431, 0.59579872578642568, -0.022884293841624628, -0.18836317369040759, 0.44981364061829032]
        for (found, value) in zip(state.coefficients, wanted) { assertRelative(found, value, 1e-9) }
        // anova(g): the deviance each term brings.
        let anova = try SequentialDeviance(model, named: "g", trainingData: warpbreaks, dataName: "w")
        XCTAssertEqual(anova.rows.map(\.term), ["wool", "tension", "wool:tension"])
        for (found, value) in zip(anova.rows.map(\.deviance), [16.038752534108028, 70.941570508043469, 28.086757476607147]) {
            assertRelative(found, value, 1e-9)
        }
        // confint(g)["woolB:tensionM", ]: profiles fitted again through the model's term labels.
        let intervals = try ProfileIntervals(model, named: "g", trainingData: warpbreaks, dataName: "w", level: 0.95)
        XCTAssertEqual(intervals.terms.last, "woolB:tensionM")
        let last = try XCTUnwrap(intervals.intervals.last)
        XCTAssertEqual(last.lower, 0.18073746499077820, accuracy: 1e-6)
        XCTAssertEqual(last.upper, 0.72031760747996576, accuracy: 1e-6)
    }

    func testStepKeepsMarginalityAsRsStep() throws {
        let selection = { (method: FeatureSelection.Method) in
            try FeatureSelection(kind: ModelCatalogue.requireKind(named: "linear"), data: try self.mtcars(), datasetName: "d", target: "mpg",
                                 features: ["wt*hp", "qsec*am", "cyl"], options: [:], method: method, criterion: .aic, folds: 5, seed: 1, metric: nil)
        }
        // step(lm(mpg ~ wt*hp + qsec*am + cyl, mtcars)): wt and hp never leave while wt:hp stays.
        let backward = try selection(.backward)
        XCTAssertEqual(backward.steps.map(\.change), ["start", "- cyl", "- qsec:am", "- am"])
        assertRelative(try XCTUnwrap(backward.steps.last).value, 52.572647544566067, 1e-10)
        XCTAssertEqual(backward.chosen, ["wt", "hp", "qsec", "wt:hp"])
        // step(lm(mpg ~ 1), scope = ~ wt*hp + qsec*am + cyl, direction = "forward"): wt:hp only after wt and hp.
        let forward = try selection(.forward)
        XCTAssertEqual(forward.steps.map(\.change), ["start", "+ wt", "+ cyl", "+ hp", "+ wt:hp"])
        assertRelative(try XCTUnwrap(forward.steps.last).value, 54.193396595888707, 1e-10)
        assertThrows(.usage, containing: ["with interaction or power terms use forward or backward"], argument: "method") {
            try FeatureSelection(kind: ModelCatalogue.requireKind(named: "linear"), data: try self.mtcars(), datasetName: "d", target: "mpg",
                                 features: ["wt*hp"], options: [:], method: .lasso, criterion: .aic, folds: 5, seed: 1, metric: nil)
        }
    }

    func testSchemaKeepsTermsOnlyWithInteractionsAndRefusals() throws {
        let data = try mtcars()
        let (plain, _) = try linear(data, "mpg", ["wt", "hp"])
        XCTAssertNil(plain.schema.terms)
        let (crossed, _) = try linear(data, "mpg", ["hp:wt", "wt"])
        XCTAssertEqual(crossed.schema.features.map(\.name), ["wt", "hp"])
        XCTAssertEqual(crossed.schema.terms, [[0], [0, 1]])
        XCTAssertEqual(crossed.schema.termLabels, ["wt", "wt:hp"])
        let encoded = try JSONEncoder().encode(plain.schema)
        XCTAssertFalse(String(decoding: encoded, as: UTF8.self).contains("\"terms\""))
        func fit(_ kind: String, _ features: [String], _ options: [String: String] = [:]) throws -> Model {
            try ModelCatalogue.fit(kind: kind, data: data, datasetName: "d", target: "mpg", features: features, options: options)
        }
        assertThrows(.usage, containing: ["which this kind does not use"], argument: "features") { try fit("tree", ["wt*hp"]) }
        assertThrows(.usage, containing: ["poly= and interaction terms"], argument: "poly") { try fit("linear", ["wt*hp"], ["poly": "2"]) }
        assertThrows(.usage, containing: ["column 'mpg' is the target"]) { try fit("linear", ["wt:mpg"]) }
        // Kinds with a design of indicators take interactions too (knn, here).
        XCTAssertEqual(try fit("knn", ["wt*hp"]).terms, ["wt", "hp", "wt:hp"])
    }
}
