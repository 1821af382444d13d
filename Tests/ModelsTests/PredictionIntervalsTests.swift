import Diagnostics
@testable import Models
import Tabular
import XCTest

/// predict's intervals against R 4.2's predict.lm, on a fit with an aliased term (z2 = 2z, so
/// the covariance is over the kept terms, as R's predict drops the aliased one):
///   x <- 1:12; z <- c(2.5, 1.0, 4.2, 3.3, 0.7, 5.1, 2.2, 6.0, 3.9, 1.8, 4.4, 2.9)
///   y <- c(3.1, 4.5, 4.9, 7.2, 8.8, 9.1, 11.5, 12.2, 14.9, 15.1, 17.3, 18.0); z2 <- 2 * z
///   m <- lm(y ~ x + z + z2); nd <- data.frame(x = c(0, 6.5, 20), z = c(1, 3, 7)); nd$z2 <- 2 * nd$z
///   predict(m, nd, interval = "confidence"); predict(m, nd, interval = "prediction", level = 0.8)
final class PredictionIntervalsTests: XCTestCase {
    private let z = [2.5, 1.0, 4.2, 3.3, 0.7, 5.1, 2.2, 6.0, 3.9, 1.8, 4.4, 2.9]

    private func model() throws -> Model {
        let data = try Dataset(columns: [
            .numeric("x", (1 ... 12).map(Double.init)), .numeric("z", z), .numeric("z2", z.map { 2 * $0 }),
            .numeric("y", [3.1, 4.5, 4.9, 7.2, 8.8, 9.1, 11.5, 12.2, 14.9, 15.1, 17.3, 18.0]),
        ])
        return try ModelCatalogue.fit(kind: "linear", data: data, datasetName: "d", target: "y", features: nil, options: [:])
    }

    private let new = try! Dataset(columns: [.numeric("x", [0, 6.5, 20, .nan]), .numeric("z", [1, 3, 7, 1]), .numeric("z2", [2, 6, 14, 2])])

    func testConfidenceAndPredictionIntervalsAreRsPredictLm() throws {
        let model = try model()
        let confidence = try model.intervals(on: new, .confidence, level: 0.95)
        let prediction = try model.intervals(on: new, .prediction, level: 0.8)
        let expected: [([Double], [Double])] = [
            ([0.84701307748030386, 10.242122376239847, 27.795131748467696], [2.3737736166561989, 10.902901109425381, 30.618712906371243]),
            ([0.77286649404226715, 9.8483352642086786, 28.098485269592935], [2.4479202000942357, 11.296688221456549, 30.315359385246005]),
        ]
        for (found, (lower, upper)) in zip([confidence, prediction], expected) {
            for row in 0 ..< 3 {
                XCTAssertEqual(found.lower[row], lower[row], accuracy: 1e-11)
                XCTAssertEqual(found.upper[row], upper[row], accuracy: 1e-11)
                XCTAssertEqual(found.fit[row], (lower[row] + upper[row]) / 2, accuracy: 1e-11)
            }
            XCTAssertTrue(found.fit[3].isNaN && found.lower[3].isNaN && found.upper[3].isNaN, "a missing input has no interval")
        }
        guard case .values(let predicted) = try model.predict(on: new) else { return XCTFail("a linear model predicts values") }
        XCTAssertEqual(Array(confidence.fit.prefix(3)), Array(predicted.prefix(3)), "centred on predict's own values")
    }

    func testOnlyLinearModelsWithResidualDegreesOfFreedomHaveThem() throws {
        let exact = try ModelCatalogue.fit(kind: "linear", data: try Dataset(columns: [.numeric("x", [1, 2]), .numeric("y", [3, 5])]),
                                           datasetName: "e", target: "y", features: nil, options: [:])
        XCTAssertThrowsError(try exact.intervals(on: new, .confidence, level: 0.95)) { XCTAssertTrue("\($0)".contains("no residual degree of freedom"), "\($0)") }
        let tree = try ModelCatalogue.fit(kind: "tree", data: try Dataset(columns: [.numeric("x", [1, 2, 3, 4]), .numeric("y", [3, 5, 4, 6])]),
                                          datasetName: "t", target: "y", features: nil, options: [:])
        XCTAssertThrowsError(try tree.intervals(on: new, .confidence, level: 0.95)) { XCTAssertTrue("\($0)".contains("for linear models"), "\($0)") }
    }

    /// R 4.2: p <- predict(glm(breaks ~ wool + tension, poisson, warpbreaks), nd, type = "link", se.fit = TRUE);
    /// exp(p$fit ± qnorm(0.975) · p$se.fit) for (A, L) and (B, H); no interval for a new count.
    func testAPoissonModelsIntervalIsTheLinkScalesCarriedThrough() throws {
        let data = try TestData.csv("warpbreaks.csv")
        let model = try ModelCatalogue.fit(kind: "poisson", data: data, datasetName: "w", target: "\"breaks\"", features: ["\"wool\"", "\"tension\""], options: [:])
        let found = try model.intervals(on: data.selecting(rows: [0, 53]), .confidence, level: 0.95)
        let expected: [(Double, Double, Double)] = [(40.12353801221763, 36.70671920642792, 43.858408962246749),
                                                    (19.442982456081548, 17.351259748460507, 21.786865753135626)]
        for (row, (fit, lower, upper)) in expected.enumerated() {
            XCTAssertEqual(found.fit[row], fit, accuracy: 1e-10)
            XCTAssertEqual(found.lower[row], lower, accuracy: 1e-10)
            XCTAssertEqual(found.upper[row], upper, accuracy: 1e-10)
        }
        XCTAssertThrowsError(try model.intervals(on: data, .prediction, level: 0.95)) { XCTAssertTrue("\($0)".contains("expected count"), "\($0)") }
    }

    /// R 4.2: m <- glm(am ~ wt + hp, binomial, mtcars); p <- predict(m, h, type = "link", se.fit = TRUE);
    /// plogis(p$fit ± qnorm(0.975) · p$se.fit) for h = mtcars[mtcars$wt > 5 | mtcars$wt < 1.7, ]:
    /// the modelled class's probability and its interval, far into the tails without a clamp.
    func testABinaryLogisticModelsIntervalIsTheProbabilitys() throws {
        let cars = try TestData.csv("mtcars.csv")
        let model = try ModelCatalogue.fit(kind: "logistic", data: cars, datasetName: "m", target: "\"am\"", features: ["\"wt\"", "\"hp\""], options: [:])
        let wt = try XCTUnwrap(cars.column(named: "\"wt\"")?.numbers)
        let found = try model.intervals(on: cars.selecting(rows: wt.indices.filter { wt[$0] > 5 || wt[$0] < 1.7 }), .confidence, level: 0.95)
        let expected: [(Double, Double, Double)] = [(9.787752432e-08, 5.002353026e-13, 0.01879114137), (3.445824454e-08, 7.990577938e-14, 0.01464205913),
                                                    (1.124126742e-07, 5.935882881e-13, 0.02084475934), (0.9995459174, 0.7831311496, 0.9999992548),
                                                    (0.9999781848, 0.9252286484, 0.9999999941)]
        for (row, (fit, lower, upper)) in expected.enumerated() {
            for (a, b) in [(found.fit[row], fit), (found.lower[row], lower), (found.upper[row], upper)] { XCTAssertEqual(a, b, accuracy: 1e-9 * b) }
        }
        XCTAssertThrowsError(try model.intervals(on: cars, .prediction, level: 0.95)) { XCTAssertTrue("\($0)".contains("for the probability"), "\($0)") }
    }
}
