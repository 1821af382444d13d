import Diagnostics
import Numerics
import XCTest

/// Gradient descent against the exact solutions: `Ridge` (itself checked against exact rational
/// references in PenalisedRegressionTests) for the squared loss, and scikit-learn's
/// LogisticRegression (Tests/References/penalised.py) for the logistic loss. Features are the
/// diabetes data standardised with the population sd, as in the reference script.
final class GradientDescentTests: XCTestCase {
    static let x = Diabetes.standardised
    static let n = Double(x.rows)
    static let classes = Diabetes.y.map { $0 > 140 ? 1.0 : 0 }

    static let logisticCoefficients = [0.052569772102441077, -0.47997995232850327, 0.62356263875936746, 0.50322352580503438,
                                       -0.1977589613782155, -0.093929163515391698, -0.44694118787850623, 0.10554118534224415,
                                       0.7843694831571405, 0.037446918501844513]
    static let logisticIntercept = 0.038826115605065749
    static let logisticObjective = 0.48533055228701411

    /// max |a − e| / max |e|: coefficients of very different sizes compared as one vector.
    func assertClose(_ actual: [Double], _ expected: [Double], _ tolerance: Double, _ message: String = "",
                     file: StaticString = #filePath, line: UInt = #line) {
        let error = zip(actual, expected).map { abs($0 - $1) }.max()! / expected.map(abs).max()!
        XCTAssertLessThanOrEqual(error, tolerance, message, file: file, line: line)
    }

    /// F* = RSS/(2n) + (α/2)‖w‖² at Ridge's solution with α_R = nα.
    func exactSquaredObjective(_ ridge: RidgeFit, alpha: Double) -> Double {
        ridge.residualSumOfSquares / (2 * Self.n) + alpha / 2 * ridge.coefficients.reduce(0) { $0 + $1 * $1 }
    }

    func testFullBatchSquaredLossReachesRidge() throws {
        for (alpha, intercept) in [(0.1, true), (0.01, true), (0.01, false)] {
            let exact = try Ridge(alpha: alpha * Self.n, fitIntercept: intercept).fit(Self.x, Diabetes.y)
            let fit = try GradientDescent(alpha: alpha, fitIntercept: intercept).fit(Self.x, Diabetes.y)
            let label = "alpha \(alpha) intercept \(intercept)"
            XCTAssertTrue(fit.converged, label)
            assertClose(fit.coefficients, exact.coefficients, 1e-5, label)
            assertRelative(fit.intercept, exact.intercept, 1e-5, label)
            assertRelative(fit.objective, exactSquaredObjective(exact, alpha: alpha), 1e-10, label)
            XCTAssertEqual(fit.objectivePerEpoch.count, fit.epochs + 1, label)
            XCTAssertEqual(fit.objectivePerEpoch.last, fit.objective, label)
            // The safe step 1/L never lets the objective rise (beyond rounding).
            for (before, after) in zip(fit.objectivePerEpoch, fit.objectivePerEpoch.dropFirst()) {
                XCTAssertLessThanOrEqual(after, before * (1 + 1e-14), label)
            }
        }
    }

    /// Elastic net with l1Ratio 0 has the same objective, and so the same minimiser.
    func testSquaredLossMatchesElasticNetWithoutL1() throws {
        let net = try ElasticNet(alpha: 0.1, l1Ratio: 0, tolerance: 1e-14, maxIterations: 100_000).fit(Self.x, Diabetes.y)
        let fit = try GradientDescent(alpha: 0.1).fit(Self.x, Diabetes.y)
        assertClose(fit.coefficients, net.coefficients, 1e-5)
        assertRelative(fit.intercept, net.intercept, 1e-5)
    }

    func testFullBatchLogisticLossReachesScikitLearn() throws {
        let fit = try GradientDescent(loss: .logistic, alpha: 0.01).fit(Self.x, Self.classes)
        XCTAssertTrue(fit.converged)
        assertClose(fit.coefficients, Self.logisticCoefficients, 1e-5)
        assertRelative(fit.intercept, Self.logisticIntercept, 1e-5)
        assertRelative(fit.objective, Self.logisticObjective, 1e-10)
    }

    /// Minibatches stop at the level of their gradient noise: the objective comes close, the
    /// coefficients less so. The shuffles follow the seed and nothing else.
    func testMinibatchesComeCloseAndFollowTheSeed() throws {
        let alpha = 0.1
        let exact = try Ridge(alpha: alpha * Self.n).fit(Self.x, Diabetes.y)
        let descent = GradientDescent(alpha: alpha, batchSize: 32, seed: 1)
        let fit = try descent.fit(Self.x, Diabetes.y)
        XCTAssertTrue(fit.converged)
        XCTAssertLessThan(fit.finalLearningRate, fit.initialLearningRate, "the default schedule for minibatches is adaptive")
        assertClose(fit.coefficients, exact.coefficients, 1e-2)
        assertRelative(fit.objective, exactSquaredObjective(exact, alpha: alpha), 1e-5)
        XCTAssertEqual(try descent.fit(Self.x, Diabetes.y), fit)
        var reseeded = descent
        reseeded.seed = 2
        XCTAssertNotEqual(try reseeded.fit(Self.x, Diabetes.y).coefficients, fit.coefficients)
    }

    func testSchedulesAndGivenLearningRate() throws {
        let optimum = exactSquaredObjective(try Ridge(alpha: 0.1 * Self.n).fit(Self.x, Diabetes.y), alpha: 0.1)
        let constant = try GradientDescent(alpha: 0.1, batchSize: 64, learningRate: 0.01, schedule: .constant, maxEpochs: 50)
            .fit(Self.x, Diabetes.y)
        XCTAssertEqual(constant.initialLearningRate, 0.01)
        XCTAssertEqual(constant.finalLearningRate, 0.01)
        let scaling = try GradientDescent(alpha: 0.1, batchSize: 64, learningRate: 0.1, schedule: .invscaling(power: 0.5),
                                          maxEpochs: 50).fit(Self.x, Diabetes.y)
        XCTAssertEqual(scaling.finalLearningRate, 0.1, "the base rate stays; each update divides it by t^power")
        for fit in [constant, scaling] {
            XCTAssertFalse(fit.converged)
            XCTAssertLessThan(fit.objective, optimum * 1.01)
        }
    }

    func testRunningOutOfEpochsIsFlagged() throws {
        let fit = try GradientDescent(loss: .logistic, alpha: 0.01, maxEpochs: 10).fit(Self.x, Self.classes)
        XCTAssertFalse(fit.converged)
        XCTAssertEqual(fit.epochs, 10)
        XCTAssertEqual(fit.objectivePerEpoch.count, 11)
    }

    func testBadInputAndOptions() {
        var withNaN = Self.x
        withNaN[3, 3] = .nan
        assertThrows(.data, try GradientDescent().fit(withNaN, Diabetes.y))
        assertThrows(.data, try GradientDescent().fit(Matrix(rows: 0, columns: 3), []))
        assertThrows(.data, try GradientDescent(loss: .logistic).fit(Self.x, Diabetes.y))
        assertThrows(.usage, try GradientDescent(alpha: -1).fit(Self.x, Diabetes.y))
        assertThrows(.usage, try GradientDescent(batchSize: 0).fit(Self.x, Diabetes.y))
        assertThrows(.usage, try GradientDescent(learningRate: 0).fit(Self.x, Diabetes.y))
        assertThrows(.usage, try GradientDescent(schedule: .invscaling(power: -1)).fit(Self.x, Diabetes.y))
        assertThrows(.usage, try GradientDescent(patience: 0).fit(Self.x, Diabetes.y))
        // A step far beyond 2/L makes the objective diverge: reported as the learning rate's fault.
        assertThrows(.usage, try GradientDescent(learningRate: 100).fit(Self.x, Diabetes.y))
    }
}
