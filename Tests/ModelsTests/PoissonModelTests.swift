import Diagnostics
@testable import Models
@testable import Numerics
import Tabular
import XCTest

/// The poisson kind against R 4.2's glm(family = poisson) on warpbreaks (its levels in R's
/// order, L M H, as the fixture reader keeps them):
///   m <- glm(breaks ~ wool + tension, poisson, warpbreaks)
///   glm(…, weights = rep(c(1, 2, 0), 18)); anova(glm(breaks ~ wool, poisson, warpbreaks), m, test = "Chisq")
final class PoissonModelTests: XCTestCase {
    private func warpbreaks(weights: [Double]? = nil) throws -> Dataset {
        let data = try TestData.csv("warpbreaks.csv")
        guard let weights else { return data }
        return try Dataset(columns: data.columns + [.numeric("w", weights)])
    }

    private func fit(_ data: Dataset, features: [String] = ["\"wool\"", "\"tension\""], options: [String: String] = [:]) throws -> PoissonState {
        let model = try ModelCatalogue.fit(kind: "poisson", data: data, datasetName: "warpbreaks", target: "\"breaks\"", features: features, options: options)
        return try XCTUnwrap(model.state as? PoissonState)
    }

    private func assertR(_ state: PoissonState, _ coefficients: [Double], _ errors: [Double], deviance: Double, null: Double, aic: Double,
                         df: Int, nullDF: Int, file: StaticString = #filePath, line: UInt = #line) {
        for (found, wanted) in zip(state.coefficients, coefficients) { XCTAssertEqual(found, wanted, accuracy: 1e-10, file: file, line: line) }
        for (found, wanted) in zip(state.standardErrors, errors) { XCTAssertEqual(found, wanted, accuracy: 1e-10, file: file, line: line) }
        XCTAssertEqual(state.deviance, deviance, accuracy: 1e-9, file: file, line: line)
        XCTAssertEqual(state.nullDeviance, null, accuracy: 1e-9, file: file, line: line)
        XCTAssertEqual(state.aic ?? .nan, aic, accuracy: 1e-9, file: file, line: line)
        XCTAssertEqual(state.residualDegreesOfFreedom, df, file: file, line: line)
        XCTAssertEqual(state.nullDegreesOfFreedom, nullDF, file: file, line: line)
        XCTAssertEqual(state.iterations, 4, file: file, line: line)
    }

    private func assertIntervals(_ profile: ProfileIntervals, lower: [Double], upper: [Double], accuracy: Double,
                                 file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(profile.intervals.count, lower.count, file: file, line: line)
        for (k, interval) in profile.intervals.enumerated() {
            XCTAssertEqual(interval.lower, lower[k], accuracy: accuracy, file: file, line: line)
            XCTAssertEqual(interval.upper, upper[k], accuracy: accuracy, file: file, line: line)
        }
    }

    func testTheFitIsRsGlmPoisson() throws {
        let data = try warpbreaks()
        let state = try fit(data)
        assertR(state, [3.6919631449537964, -0.20598844264886393, -0.32132043160019141, -0.5184884965173443],
                [0.045410692599177439, 0.051571168646442234, 0.060265801934335311, 0.06395944331271966],
                deviance: 210.39188876245382, null: 297.37221180460534, aic: 493.05596641795762, df: 50, nullDF: 53)
        let model = try ModelCatalogue.fit(kind: "poisson", data: data, datasetName: "warpbreaks", target: "\"breaks\"", features: ["\"wool\"", "\"tension\""], options: [:])
        guard case .values(let expected) = try model.predict(on: data) else { return XCTFail("a Poisson model predicts values") }
        for (row, wanted) in [(0, 40.12353801221763), (19, 23.890350877365435), (53, 19.442982456081548)] {
            XCTAssertEqual(expected[row], wanted, accuracy: 1e-10)
        }
    }

    func testWeightsAreRsPriorWeights() throws {
        let state = try fit(try warpbreaks(weights: (0 ..< 54).map { [1, 2, 0][$0 % 3] }), options: ["weight": "w"])
        assertR(state, [3.5009901004062081, -0.10474683053631477, -0.16034265012015811, -0.55346192243275616],
                [0.04917424704131345, 0.053990144008127607, 0.061919502154138488, 0.069506300081535147],
                deviance: 225.82346789247481, null: 297.36635685464194, aic: 502.76381441238311, df: 32, nullDF: 35)
        XCTAssertEqual(state.observations, 36)
    }

    func testNestedFitsCompareByTheirDeviance() throws {
        let data = try warpbreaks()
        let fit = { (features: [String]) in
            try ModelCatalogue.fit(kind: "poisson", data: data, datasetName: "warpbreaks", target: "\"breaks\"", features: features, options: [:])
        }
        let test = try NestedModelTest(try fit(["\"wool\""]), named: "small", try fit(["\"wool\"", "\"tension\""]), named: "large")
        XCTAssertEqual(test.reduction, 70.941570508043498, accuracy: 1e-9)
        XCTAssertEqual(test.pValue, 3.9376190313658552e-16, accuracy: 1e-20)
    }

    /// offset= is R's offset(): glm(breaks ~ wool + tension + offset(e), poisson, w) with
    /// e = log(rep(c(1, 2, 3), 18)), and the same without an intercept, whose null deviance is
    /// of μ = e^offset; predictions read the offset from the new rows (predict(m, nd, type =
    /// "response") with e = log(c(10, 0.5, 1))).
    func testOffsetIsRsOffset() throws {
        let offsets = (0 ..< 54).map { log(Double([1, 2, 3][$0 % 3])) }
        let data = try Dataset(columns: try warpbreaks().columns + [.numeric("e", offsets)])
        let model = try ModelCatalogue.fit(kind: "poisson", data: data, datasetName: "warpbreaks", target: "\"breaks\"",
                                           features: ["\"wool\"", "\"tension\""], options: ["offset": "e"])
        XCTAssertEqual(model.schema.offset, "e")
        assertR(try XCTUnwrap(model.state as? PoissonState),
                [2.99881596439256137, -0.20598844245985332, -0.32132042983722248, -0.51848849610240844],
                [0.045410409163722416, 0.051570381751134708, 0.060264685428171774, 0.063958728511256294],
                deviance: 381.40841834611024, null: 468.38874138826191, aic: 664.07249600161413, df: 50, nullDF: 53)
        let throughOrigin = try fit(data, options: ["offset": "e", "intercept": "no"])
        XCTAssertEqual(throughOrigin.nullDeviance, 5683.16527700521237, accuracy: 1e-8)
        XCTAssertEqual(throughOrigin.nullDegreesOfFreedom, 54)
        XCTAssertEqual(throughOrigin.deviance, 381.40841834611024, accuracy: 1e-9)

        let rows = data.selecting(rows: [0, 19, 53])
        let newOffsets = try Dataset(columns: rows.columns.filter { $0.name != "e" } + [.numeric("e", [log(10), log(0.5), .nan])])
        guard case .values(let counts) = try model.predict(on: newOffsets) else { return XCTFail("a Poisson model predicts values") }
        XCTAssertEqual(counts[0], 200.6176900608295455, accuracy: 1e-10)
        XCTAssertEqual(counts[1], 5.9725877218118946, accuracy: 1e-12)
        XCTAssertTrue(counts[2].isNaN, "a row missing its offset has no prediction")
        XCTAssertThrowsError(try model.predict(on: try Dataset(columns: rows.columns.filter { $0.name != "e" }))) { error in
            XCTAssertTrue("\(error)".contains("no column 'e', the model's offset"), "\(error)")
        }
        // The offset is neither a feature nor a weight, and its rows count in the fingerprint.
        XCTAssertThrowsError(try fit(data, features: ["\"wool\"", "e"], options: ["offset": "e"])) { error in
            XCTAssertTrue("\(error)".contains("column 'e' is the offset; it cannot also be a feature"), "\(error)")
        }
        XCTAssertThrowsError(try fit(data, options: ["offset": "e", "weight": "e"])) { error in
            XCTAssertTrue("\(error)".contains("is the weight; it cannot also be the offset"), "\(error)")
        }
        let plain = try ModelCatalogue.fit(kind: "poisson", data: data, datasetName: "warpbreaks", target: "\"breaks\"",
                                           features: ["\"wool\"", "\"tension\""], options: [:])
        XCTAssertNotEqual(plain.training.fingerprint, model.training.fingerprint)
        XCTAssertNil(plain.schema.offset)
    }

    /// family=quasipoisson is R's quasipoisson: m <- glm(breaks ~ wool + tension, quasipoisson,
    /// warpbreaks); summary(m)$dispersion, its standard errors and t tests, confint(m) (profiles in units
    /// of the dispersion, to √F(1 − α; 1, n − p)), and anova(glm(breaks ~ wool, quasipoisson, w),
    /// m, test = "Chisq") (the fall in deviance over the larger fit's dispersion).
    func testQuasiPoissonIsRsQuasipoisson() throws {
        let data = try warpbreaks()
        let fit = { (features: [String]) in
            try ModelCatalogue.fit(kind: "poisson", data: data, datasetName: "warpbreaks", target: "\"breaks\"", features: features,
                                   options: ["family": "quasipoisson"])
        }
        let model = try fit(["\"wool\"", "\"tension\""])
        let state = try XCTUnwrap(model.state as? PoissonState)
        XCTAssertEqual(state.dispersion ?? .nan, 4.2615371099597681, accuracy: 1e-12)
        for (found, wanted) in zip(state.standardErrors, [0.093743521333784066, 0.106460894373223106, 0.124409652572251284, 0.132034617740921567]) {
            XCTAssertEqual(found, wanted, accuracy: 1e-12)
        }
        XCTAssertNil(state.aic)
        XCTAssertEqual(state.deviance, 210.39188876245385, accuracy: 1e-9)
        let summary = model.summary().blocks.description
        XCTAssertTrue(summary.contains("t value") && summary.contains("taken to be 4.261537") && summary.contains("AIC: NA"), summary)
        XCTAssertTrue(summary.contains("family = quasipoisson"), summary)

        let profile = try ProfileIntervals(model, named: "m", trainingData: data, dataName: "warpbreaks", level: 0.95)
        let lower = [3.50374433950189301, -0.41558383143638622, -0.56704547233246505, -0.78047813630646623]
        let upper = [3.8713797528559430461, 0.0021157082790487303, -0.0787579391477622875, -0.2621713943248088485]
        assertIntervals(profile, lower: lower, upper: upper, accuracy: 1e-7)
        let test = try NestedModelTest(try fit(["\"wool\""]), named: "small", model, named: "large")
        XCTAssertEqual(test.pValue, ChiSquare.upperTail(70.941570508043498 / 4.2615371099597681, degreesOfFreedom: 2), accuracy: 1e-12)
        XCTAssertEqual(test.pValue, 0.0002428, accuracy: 5e-8)
        // test = "F": (fall / df) / dispersion on (df, 50), R's anova(…, test = "F").
        let fTest = try NestedModelTest(try fit(["\"wool\""]), named: "small", model, named: "large", test: .f)
        XCTAssertEqual(fTest.statistic, 70.941570508043498 / 2 / 4.2615371099597681, accuracy: 1e-10)
        XCTAssertEqual(fTest.pValue, 0.0007581, accuracy: 5e-8)
        let sequential = try SequentialDeviance(model, named: "m", trainingData: data, dataName: "warpbreaks", test: .f)
        XCTAssertEqual(sequential.rows.map(\.fValue)[0], 3.7636, accuracy: 5e-5)
        XCTAssertEqual(sequential.rows.map(\.pValue)[0], 0.0580302, accuracy: 5e-8)
        let poisson = try ModelCatalogue.fit(kind: "poisson", data: data, datasetName: "warpbreaks", target: "\"breaks\"", features: ["\"wool\""], options: [:])
        XCTAssertThrowsError(try SequentialDeviance(poisson, named: "p", trainingData: data, dataName: "warpbreaks", test: .f)) { error in
            XCTAssertEqual((error as? ModelshError)?.argument, "test")
        }
        XCTAssertThrowsError(try NestedModelTest(poisson, named: "p", model, named: "q")) { error in
            XCTAssertTrue("\(error)".contains("different families"), "\(error)")
        }
        // Parameters saved before family= decode as Poisson; a Poisson fit's encode as before.
        let old = try JSONDecoder().decode(PoissonModel.Parameters.self, from: Data("{}".utf8))
        XCTAssertEqual(old.family, .poisson)
        XCTAssertEqual(String(decoding: try JSONEncoder().encode(old), as: UTF8.self), "{}")
    }

    /// family=negbin is MASS's glm.nb (R 4.2, MASS 7.3-58): m <- glm.nb(breaks ~ wool + tension,
    /// warpbreaks): θ, its standard error, 2 log L, AIC, the deviances and coefficients;
    /// anova(m) (θ held); anova of two glm.nb fits; confint(m); step(glm.nb(breaks ~ 1, warpbreaks), scope = ~ wool +
    /// tension)'s extractAIC; theta=10 is glm(…, family = negative.binomial(10)).
    func testNegativeBinomialIsMASSGlmNb() throws {
        let data = try warpbreaks()
        let fit = { (features: [String], options: [String: String]) in
            try ModelCatalogue.fit(kind: "poisson", data: data, datasetName: "warpbreaks", target: "\"breaks\"", features: features,
                                   options: options.merging(["family": "negbin"]) { $1 })
        }
        let model = try fit(["\"wool\"", "\"tension\""], [:])
        let state = try XCTUnwrap(model.state as? PoissonState)
        let nb = try XCTUnwrap(state.negativeBinomial)
        XCTAssertEqual(nb.theta, 9.9443854356987309, accuracy: 1e-6)
        XCTAssertEqual(nb.standardError ?? .nan, 2.5613264792298400, accuracy: 1e-6)
        XCTAssertEqual(nb.twiceLogLikelihood, -398.7638077780067078, accuracy: 1e-8)
        XCTAssertEqual(state.aic ?? .nan, 408.7638077780067078, accuracy: 1e-8)
        XCTAssertEqual(state.deviance, 53.7225707100621435, accuracy: 1e-8)
        XCTAssertEqual(state.nullDeviance, 75.4639791161504689, accuracy: 1e-7)
        for (found, wanted) in zip(state.coefficients, [3.67335456661592508, -0.18621105238957830, -0.29922723866808659, -0.51139551520470372]) {
            XCTAssertEqual(found, wanted, accuracy: 1e-8)
        }
        for (found, wanted) in zip(state.standardErrors, [0.097903047285196956, 0.100961399421221995, 0.121728496792204863, 0.123739864457787743]) {
            XCTAssertEqual(found, wanted, accuracy: 1e-8)
        }
        let table = try SequentialDeviance(model, named: "m", trainingData: data, dataName: "warpbreaks")
        XCTAssertEqual(table.rows.map(\.deviance)[0], 4.196545583660594, accuracy: 1e-7)
        XCTAssertEqual(table.rows.map(\.deviance)[1], 17.544862822427731, accuracy: 1e-7)
        XCTAssertEqual(table.warnings, ["tests made without re-estimating 'theta'"])
        let profile = try ProfileIntervals(model, named: "m", trainingData: data, dataName: "warpbreaks", level: 0.95)
        let lower = [3.48907404273544541, -0.38516646340020810, -0.53919764355757438, -0.75412814426757058]
        let upper = [3.863105665765609320, 0.012708689039003032, -0.059368206739427366, -0.268994714201563234]
        assertIntervals(profile, lower: lower, upper: upper, accuracy: 1e-6)
        XCTAssertEqual(try FeatureSelection.extractAIC(model, k: 2), 406.76380777800682, accuracy: 1e-8)
        // anova(glm.nb(breaks ~ wool, warpbreaks), m): MASS's likelihood-ratio test, θ estimated in each.
        let test = try NestedModelTest(try fit(["\"wool\""], [:]), named: "small", model, named: "large")
        XCTAssertTrue(test.isLikelihoodRatio)
        XCTAssertEqual(test.smaller.theta ?? .nan, 6.9607972793191077, accuracy: 1e-6)
        XCTAssertEqual(test.reduction, 15.210909438689328, accuracy: 1e-7)
        XCTAssertEqual(test.pValue, 0.000497729043013595, accuracy: 1e-11)

        let fixed = try XCTUnwrap(try fit(["\"wool\"", "\"tension\""], ["theta": "10"]).state as? PoissonState)
        XCTAssertNil(fixed.negativeBinomial?.standardError)
        XCTAssertEqual(fixed.aic ?? .nan, 406.764276436927730, accuracy: 1e-8)
        XCTAssertEqual(fixed.deviance, 53.941867090670719, accuracy: 1e-8)
        XCTAssertEqual(fixed.nullDeviance, 75.773797558376799, accuracy: 1e-8)
        XCTAssertThrowsError(try NestedModelTest(try fit(["\"wool\""], ["theta": "10"]), named: "fixed", model, named: "estimated")) { error in
            XCTAssertTrue("\(error)".contains("different families"), "\(error)")
        }
        XCTAssertThrowsError(try ModelCatalogue.fit(kind: "poisson", data: data, datasetName: "warpbreaks", target: "\"breaks\"",
                                                    features: nil, options: ["theta": "10"])) { error in
            XCTAssertTrue("\(error)".contains("give family=negbin too"), "\(error)")
        }
    }

    /// Where the likelihood has no maximum in θ (every count 0, or means that equal the
    /// counts), MASS's theta.ml stops on a missing value; here a one-line error says why. With θ
    /// given, zero counts fit (their deviance is 0, not R's NaN for the null model's μ of 0).
    func testNegativeBinomialWithoutAnEstimateOfTheta() throws {
        let zeros = try Dataset(columns: [.numeric("x", [1, 2, 3, 4, 5]), .numeric("y", [0, 0, 0, 0, 0])])
        XCTAssertThrowsError(try ModelCatalogue.fit(kind: "poisson", data: zeros, datasetName: "d", target: "y", features: nil, options: ["family": "negbin"])) { error in
            XCTAssertTrue("\(error)".contains("θ has no estimate here"), "\(error)")
        }
        let fixed = try ModelCatalogue.fit(kind: "poisson", data: zeros, datasetName: "d", target: "y", features: nil, options: ["family": "negbin", "theta": "0.5"])
        let state = try XCTUnwrap(fixed.state as? PoissonState)
        XCTAssertEqual(state.nullDeviance, 0)
        XCTAssertLessThan(state.deviance, 1e-8)
    }

    /// Counts are ≥ 0; a count that is not whole has no Poisson probability, so the AIC is
    /// +∞ as R's; the deviance inverse link never gives a rate of 0.
    func testCountsAndRates() throws {
        let x: [Double] = [1, 2, 3, 4, 5, 6]
        let whole = Matrix(rows: 6, columns: [[Double](repeating: 1, count: 6), x])
        XCTAssertThrowsError(try PoissonRegression.fit(whole, [1, 0, -2, 3, 4, 5], hasIntercept: true))
        let fractional = try PoissonRegression.fit(whole, [1, 0.5, 2, 3, 4, 5], hasIntercept: true)
        XCTAssertEqual(fractional.aic, .infinity)
        XCTAssertTrue(fractional.deviance.isFinite)
        XCTAssertEqual(PoissonRegression.inverseLink(-1000), Double.ulpOfOne)
        let data = try Dataset(columns: [.numeric("x", x), .numeric("y", [1, 0, -2, 3, 4, 5])])
        XCTAssertThrowsError(try ModelCatalogue.fit(kind: "poisson", data: data, datasetName: "d", target: "y", features: nil, options: [:])) { error in
            XCTAssertTrue("\(error)".contains("Poisson regression models counts ≥ 0"), "\(error)")
            XCTAssertEqual((error as? ModelshError)?.argument, "target")
        }
    }

    /// R 4.2 + MASS: confint(glm(breaks ~ wool + tension, poisson, warpbreaks, weights = w), level = 0.9).
    func testProfileIntervalsAreRsConfintGlm() throws {
        let data = try warpbreaks(weights: (0 ..< 54).map { [1, 2, 0][$0 % 3] })
        let model = try ModelCatalogue.fit(kind: "poisson", data: data, datasetName: "warpbreaks", target: "\"breaks\"",
                                           features: ["\"wool\"", "\"tension\""], options: ["weight": "w"])
        let profile = try ProfileIntervals(model, named: "m", trainingData: data, dataName: "warpbreaks", level: 0.9)
        let lower = [3.4192597248983181, -0.19363664677711642, -0.26235242089761024, -0.66841105986203553]
        let upper = [3.5810431263722338, -0.015994829824952712, -0.058610027379536016, -0.4396908936873018]
        assertIntervals(profile, lower: lower, upper: upper, accuracy: 1e-7)
    }
}
