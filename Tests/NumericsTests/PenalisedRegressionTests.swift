import Diagnostics
import Foundation
import Numerics
import XCTest

/// sessions/data/diabetes.csv read by a tiny parser (numbers only, no quoting): the ten raw
/// features in file order as X, Y as y.
enum Diabetes {
    static let (x, y): (Matrix, [Double]) = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("sessions/data/diabetes.csv")
        let text = try! String(contentsOf: url, encoding: .utf8)
        let rows = text.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map { Double($0)! } }
        let columns = (0 ..< 10).map { j in rows.map { $0[j] } }
        return (Matrix(rows: rows.count, columns: columns), rows.map { $0[10] })
    }()

    /// X with each column centred and divided by its population standard deviation (ddof 0).
    static let standardised: Matrix = {
        let n = Double(x.rows)
        let columns = (0 ..< x.columns).map { j -> [Double] in
            let column = x.column(j)
            let mean = column.reduce(0, +) / n
            let sd = (column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
            return column.map { ($0 - mean) / sd }
        }
        return Matrix(rows: x.rows, columns: columns)
    }()

    /// X with column `j` appended again.
    static func duplicating(_ j: Int) -> Matrix {
        Matrix(rows: x.rows, columns: (0 ..< x.columns).map { x.column($0) } + [x.column(j)])
    }
}

func assertRelative(_ actual: [Double], _ expected: [Double], _ tolerance: Double, _ message: String = "",
                    file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, message, file: file, line: line)
    for (j, (a, e)) in zip(actual, expected).enumerated() {
        assertRelative(a, e, tolerance, "\(message) [\(j)]", file: file, line: line)
    }
}

func assertThrows(_ category: ModelshError.Category, _ body: @autoclosure () throws -> some Any,
                  file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertThrowsError(try body(), file: file, line: line) { error in
        XCTAssertEqual((error as? ModelshError)?.category, category, "\(error)", file: file, line: line)
    }
}

/// Reference values: Tests/References/penalised.py (exact rational ridge; scikit-learn 1.9
/// coordinate descent run to a gap of 1e-14·‖y‖²). Raw diabetes features throughout.
final class PenalisedRegressionTests: XCTestCase {
    // MARK: - Ridge

    func testRidgeMatchesExactSolutionOnDiabetes() throws {
        let cases: [(alpha: Double, intercept: Bool, coefficients: [Double], b: Double, edf: Double, rss: Double)] = [
            (1, true, [-0.032852396855431745, -22.607045432280046, 5.6404052343656508, 1.11899757004851, -0.91467348426991768,
                       0.58490982528820046, 0.1778852383788446, 6.250441778661707, 63.179080873618013, 0.28776690289978762],
             -316.07711860429151, 9.8987106788912431, 1264328.4458274934),
            (221, true, [-0.041795282535433936, -6.4787532785616326, 6.0903709319509991, 1.0584894953655726, 1.1469589262743487,
                         -1.282259666797793, -2.0189207293439315, 0.91109298209519562, 3.6771747119648448, 0.34875532964188738],
             -118.14433369129321, 7.5443280452107366, 1338380.6534793852),
            (10, false, [0.014485733629433447, -23.38989423823298, 5.4153147100107786, 1.004210628827068, 1.3213683375822907,
                         -1.3506608511085512, -3.0605345167100584, -5.0629089990219898, 3.5573822753616131, 0.11888342541842833],
             0, 9.5869453552131549, 1336845.7728023357),
        ]
        for c in cases {
            let fit = try Ridge(alpha: c.alpha, fitIntercept: c.intercept).fit(Diabetes.x, Diabetes.y)
            let label = "alpha \(c.alpha)"
            // κ(XcᵀXc + αI) is 7e4 at α = 1, 4e3 at α = 221; uncentred, the raw features' means
            // make it larger still.
            XCTAssertEqual(fit.solver, c.alpha == 221 ? .gram : .svd, label)
            assertRelative(fit.coefficients, c.coefficients, 1e-10, label)
            assertRelative(fit.intercept, c.b, 1e-10, label)
            assertRelative(fit.effectiveDegreesOfFreedom, c.edf, 1e-10, label)
            assertRelative(fit.residualSumOfSquares, c.rss, 1e-10, label)
        }
    }

    /// Longley's centred Gram has condition number 3e11, so α = 1/2 takes the SVD path, which
    /// must still give ten digits where the normal equations would give about five.
    func testRidgeOnIllConditionedLongleyTakesTheSVDPathAndStaysAccurate() throws {
        let (design, y) = QRLeastSquaresTests.longleyDesign()
        let x = Matrix(rows: design.rows, columns: (1 ..< design.columns).map { design.column($0) })
        let fit = try Ridge(alpha: 0.5).fit(x, y)
        XCTAssertEqual(fit.solver, .svd)
        assertRelative(fit.coefficients, [-17.767300487649536, 0.020896283320819192, -1.1695704446697164,
                                          -0.78440032989067421, -0.2358382639764425, 864.7027054306692], 1e-10)
        assertRelative(fit.intercept, -1597566.7300698862, 1e-10)
        assertRelative(fit.effectiveDegreesOfFreedom, 5.4361930550419251, 1e-10)
        assertRelative(fit.residualSumOfSquares, 1253113.7109412432, 1e-10)

        // α = 0 is least squares: NIST's certified Longley coefficients.
        let ols = try Ridge(alpha: 0).fit(x, y)
        XCTAssertEqual(ols.solver, .svd)
        assertRelative(ols.coefficients, Array(QRLeastSquaresTests.certifiedCoefficients.dropFirst()), 1e-9)
        assertRelative(ols.intercept, QRLeastSquaresTests.certifiedCoefficients[0], 1e-9)
        assertRelative(ols.effectiveDegreesOfFreedom, 6, 1e-12)
    }

    /// A duplicated column shares the coefficient equally: w₁ = w₂ = u/√2, where u is the fit
    /// with the column once but multiplied by √2 (then u√2·x = (w₁ + w₂)·x and αu² = α(w₁² + w₂²)).
    /// At α = 0 the duplicate makes X rank-deficient, and the answer is the minimum-norm
    /// least-squares solution, which also splits equally.
    func testRidgeSplitsADuplicatedColumnEqually() throws {
        let doubled = Diabetes.duplicating(2)
        var scaled = Diabetes.x
        for i in 0 ..< scaled.rows { scaled[i, 2] *= 2.0.squareRoot() }
        for alpha in [1.0, 0] {
            let fit = try Ridge(alpha: alpha).fit(doubled, Diabetes.y)
            let single = try Ridge(alpha: alpha).fit(scaled, Diabetes.y)
            XCTAssertEqual(fit.solver, .svd, "the duplicate makes the Gram singular")
            var expected = single.coefficients
            expected[2] /= 2.0.squareRoot()
            assertRelative(fit.coefficients, expected + [expected[2]], 1e-9, "alpha \(alpha)")
            assertRelative(fit.intercept, single.intercept, 1e-10, "alpha \(alpha)")
            assertRelative(fit.residualSumOfSquares, single.residualSumOfSquares, 1e-10, "alpha \(alpha)")
            assertRelative(fit.effectiveDegreesOfFreedom, single.effectiveDegreesOfFreedom, 1e-10, "alpha \(alpha)")
        }
    }

    /// The residual sum of squares comes from the cross-products when they cannot cancel
    /// (saving a pass over X) and from the residuals when they would: either way it is the
    /// sum of the fit's own squared residuals. On a nearly exact fit the cross-products' form
    /// would be rounding noise (ycᵀyc ≈ 5e5 against an RSS of 5e-11). The total sum of squares
    /// is the cross-products' ycᵀyc, centred only with an intercept.
    func testRidgeSumsOfSquaresAreTheResidualsAndDeviationsSummed() throws {
        var random = Xoshiro256StarStar(seed: 7)
        let n = 5000, p = 5
        let x = Matrix(rows: n, columns: p, values: (0 ..< n * p).map { _ in random.uniform() * 10 })
        for (noise, tolerance) in [(1.0, 1e-12), (1e-7, 1e-6)] {
            let y = (0 ..< n).map { i in (0 ..< p).reduce(3 + noise * (random.uniform() - 0.5)) { $0 + Double($1 + 1) * x[i, $1] } }
            for intercept in [true, false] {
                let fit = try Ridge(alpha: 1e-9, fitIntercept: intercept).fit(x, y)
                let residuals = (0 ..< n).map { i in y[i] - (0 ..< p).reduce(fit.intercept) { $0 + fit.coefficients[$1] * x[i, $1] } }
                let label = "noise \(noise), intercept \(intercept)"
                assertRelative(fit.residualSumOfSquares, residuals.reduce(0) { $0 + $1 * $1 }, tolerance, label)
                let mean = intercept ? y.reduce(0, +) / Double(n) : 0
                assertRelative(fit.totalSumOfSquares, y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }, 1e-12, label)
            }
        }
    }

    // MARK: - Lasso and elastic net

    static let lasso = [-0.034222792605315931, -22.318880533782139, 5.6282349349000143, 1.1138766959005204,
                        -0.93484223894948815, 0.61344609271629913, 0.17627318118942467, 5.7548162623746251,
                        64.328963387787425, 0.28537555771447309]
    static let lassoIntercept = -318.12881282167905

    func testLassoAndElasticNetMatchScikitLearnWithEitherUpdates() throws {
        for updates in [ElasticNet.Updates.gram, .residuals] {
            let lasso = try ElasticNet(alpha: 0.1, l1Ratio: 1, tolerance: 1e-12, maxIterations: 100_000, updates: updates)
                .fit(Diabetes.x, Diabetes.y)
            XCTAssertTrue(lasso.converged)
            assertRelative(lasso.coefficients, Self.lasso, 1e-6, "lasso \(updates)")
            assertRelative(lasso.intercept, Self.lassoIntercept, 1e-6, "lasso \(updates)")

            let net = try ElasticNet(alpha: 0.05, l1Ratio: 0.5, tolerance: 1e-12, maxIterations: 100_000, updates: updates)
                .fit(Diabetes.x, Diabetes.y)
            XCTAssertTrue(net.converged)
            assertRelative(net.coefficients, [-0.018071418188123953, -20.190480750312254, 5.8505069854136122,
                                              1.1224111367886558, 0.023992261523933921, -0.27490893061213284,
                                              -0.86095531624390842, 4.438100730003665, 35.118060926815382,
                                              0.3256908725973407], 1e-6, "enet \(updates)")
            assertRelative(net.intercept, -218.60928135188519, 1e-6, "enet \(updates)")
        }
    }

    /// scikit-learn's lasso_path with its defaults (100 alphas down to alphaMax·1e-3), at a few
    /// points; at alphaMax every coefficient is exactly zero.
    func testLassoPathMatchesScikitLearn() throws {
        let lasso = ElasticNet(l1Ratio: 1, tolerance: 1e-12, maxIterations: 100_000)
        let path = try lasso.path(Diabetes.x, Diabetes.y)
        XCTAssertEqual(path.count, 100)
        assertRelative(try lasso.alphaMax(Diabetes.x, Diabetes.y), 564.40435290022742, 1e-12)
        assertRelative(path[0].alpha, 564.40435290022742, 1e-12)
        assertRelative(path[99].alpha, 0.56440435290022739, 1e-12)
        XCTAssertTrue(path.allSatisfy(\.converged))
        XCTAssertEqual(path[0].coefficients, Array(repeating: 0, count: 10))
        let expected: [(Int, Double, [Double])] = [
            (1, 526.36538851020987, [0, 0, 0, 0, 0.031831570297396229, 0, 0, 0, 0, 0]),
            (20, 139.80726777879548, [0, 0, 0, 1.2906145006380889, 0.22087814968289166, 0, -1.225140048483724, 0, 0,
                                      0.30460048723635669]),
            (50, 17.236093423139181, [0, 0, 5.5680278428997338, 1.045290375647232, 1.0766461008296941,
                                      -1.1370137786511112, -1.9455350881967488, 0, 0, 0.33080713107913756]),
            (99, 0.56440435290022739, [-0.025368287520630788, -19.771636346902014, 5.7490139858920459, 1.1012548086990561,
                                       -0.28072074712406236, 0.049300843707642067, -0.6285513139822273, 2.6618956573562751,
                                       46.528693103478531, 0.30883482112766503]),
        ]
        for (k, alpha, coefficients) in expected {
            assertRelative(path[k].alpha, alpha, 1e-12, "alpha \(k)")
            assertRelative(path[k].coefficients, coefficients, 1e-6, "path \(k)")
        }
        assertRelative(try ElasticNet(l1Ratio: 0.5).alphaMax(Diabetes.x, Diabetes.y), 1128.8087058004548, 1e-12)
    }

    /// With l1Ratio 0 the objective is ridge's divided by 2n: Ridge's α is n times this one
    /// (442 · 0.5 = 221, the exact ridge reference).
    func testElasticNetWithoutL1IsRidge() throws {
        let fit = try ElasticNet(alpha: 0.5, l1Ratio: 0, tolerance: 1e-12, maxIterations: 100_000).fit(Diabetes.x, Diabetes.y)
        XCTAssertTrue(fit.converged)
        assertRelative(fit.coefficients, [-0.041795282535433936, -6.4787532785616326, 6.0903709319509991, 1.0584894953655726,
                                          1.1469589262743487, -1.282259666797793, -2.0189207293439315, 0.91109298209519562,
                                          3.6771747119648448, 0.34875532964188738], 1e-6)
        assertRelative(fit.intercept, -118.14433369129321, 1e-6)
    }

    func testLassoWithZeroAlphaIsLeastSquares() throws {
        let fit = try ElasticNet(alpha: 0, l1Ratio: 1, tolerance: 1e-12, maxIterations: 100_000).fit(Diabetes.x, Diabetes.y)
        XCTAssertTrue(fit.converged)
        let withOnes = Matrix(rows: Diabetes.x.rows,
                              columns: [Array(repeating: 1, count: Diabetes.x.rows)] + (0 ..< 10).map { Diabetes.x.column($0) })
        let ols = try QRLeastSquares.fit(withOnes, Diabetes.y)
        assertRelative(fit.coefficients, Array(ols.coefficients.dropFirst()), 1e-6)
        assertRelative(fit.intercept, ols.coefficients[0], 1e-6)
    }

    /// Of two identical columns the lasso may split the weight in any proportion of one sign
    /// (coordinate descent's split depends on its path), and the rest of the fit is as without
    /// the copy. The elastic net's L2 share makes the split unique and equal (scikit-learn's
    /// values for the duplicated design, from the reference script).
    func testDuplicatedColumnInLassoAndElasticNet() throws {
        let doubled = Diabetes.duplicating(2)
        for updates in [ElasticNet.Updates.gram, .residuals] {
            let lasso = try ElasticNet(alpha: 0.1, l1Ratio: 1, tolerance: 1e-12, maxIterations: 100_000, updates: updates)
                .fit(doubled, Diabetes.y)
            var merged = Array(lasso.coefficients.prefix(10))
            merged[2] += lasso.coefficients[10]
            XCTAssertGreaterThanOrEqual(lasso.coefficients[2] * lasso.coefficients[10], 0)
            assertRelative(merged, Self.lasso, 1e-6, "lasso \(updates)")
            assertRelative(lasso.intercept, Self.lassoIntercept, 1e-6, "lasso \(updates)")

            let net = try ElasticNet(alpha: 0.05, l1Ratio: 0.5, tolerance: 1e-12, maxIterations: 100_000, updates: updates)
                .fit(doubled, Diabetes.y)
            assertRelative(net.coefficients, [-0.018065952990466042, -20.184617160120798, 2.9280508991969949,
                                              1.1219802684822608, 0.024033989801750685, -0.27504882926129426,
                                              -0.86045535328290135, 4.4393624892284516, 35.108997721171832,
                                              0.32535556630053081, 2.9280508991851462], 1e-6, "enet \(updates)")
            assertRelative(net.intercept, -218.67404800177187, 1e-6, "enet \(updates)")
        }
    }

    func testWarmStartFromTheSolutionStopsAtOnce() throws {
        let net = ElasticNet(alpha: 0.05, l1Ratio: 0.5, tolerance: 1e-10, maxIterations: 100_000)
        let cold = try net.fit(Diabetes.x, Diabetes.y)
        let warm = try net.fit(Diabetes.x, Diabetes.y, startingFrom: cold.coefficients)
        XCTAssertGreaterThan(cold.iterations, 100)
        XCTAssertEqual(warm.iterations, 0)
        XCTAssertEqual(warm.coefficients, cold.coefficients)
        XCTAssertTrue(warm.converged)
    }

    func testRunningOutOfIterationsIsFlagged() throws {
        for updates in [ElasticNet.Updates.gram, .residuals] {
            let fit = try ElasticNet(alpha: 0.1, l1Ratio: 1, tolerance: 1e-12, maxIterations: 3, updates: updates)
                .fit(Diabetes.x, Diabetes.y)
            XCTAssertFalse(fit.converged)
            XCTAssertEqual(fit.iterations, 3)
            XCTAssertGreaterThan(fit.dualityGap, fit.gapTolerance)
        }
    }

    func testPathAlphasAreScikitLearnsGeometricGrid() {
        let alphas = ElasticNet.pathAlphas(from: 10, count: 4, ratio: 1e-3)
        assertRelative(alphas, [10, 1, 0.1, 0.01], 1e-14)
        XCTAssertEqual(ElasticNet.pathAlphas(from: 0, count: 3), [1e-15, 1e-15, 1e-15])
    }

    // MARK: - Errors

    func testEmptyOrNonFiniteInputIsADataError() {
        let empty = Matrix(rows: 0, columns: 2)
        var withNaN = Diabetes.x
        withNaN[5, 3] = .nan
        var withInfinity = Diabetes.x
        withInfinity[0, 0] = .infinity
        var yInfinite = Diabetes.y
        yInfinite[7] = -.infinity
        let cases: [(Matrix, [Double])] = [(empty, []), (Matrix(rows: 3, columns: 0), [1, 2, 3]), (withNaN, Diabetes.y),
                                            (withInfinity, Diabetes.y), (Diabetes.x, yInfinite)]
        for (x, y) in cases {
            assertThrows(.data, try Ridge().fit(x, y))
            assertThrows(.data, try Ridge(fitIntercept: false).fit(x, y))
            assertThrows(.data, try ElasticNet(updates: .gram).fit(x, y))
            assertThrows(.data, try ElasticNet(updates: .residuals).fit(x, y))
            assertThrows(.data, try ElasticNet().alphaMax(x, y))
        }
    }

    func testOptionsOutOfRangeAreUsageErrors() {
        assertThrows(.usage, try Ridge(alpha: -1).fit(Diabetes.x, Diabetes.y))
        assertThrows(.usage, try Ridge(alpha: .infinity).fit(Diabetes.x, Diabetes.y))
        assertThrows(.usage, try ElasticNet(l1Ratio: 1.5).fit(Diabetes.x, Diabetes.y))
        assertThrows(.usage, try ElasticNet(alpha: -0.1).fit(Diabetes.x, Diabetes.y))
        assertThrows(.usage, try ElasticNet(maxIterations: 0).fit(Diabetes.x, Diabetes.y))
        assertThrows(.usage, try ElasticNet().path(Diabetes.x, Diabetes.y, alphas: [1, .nan]))
        assertThrows(.usage, try ElasticNet(l1Ratio: 0).alphaMax(Diabetes.x, Diabetes.y))
        assertThrows(.usage, try ElasticNet(l1Ratio: 0).path(Diabetes.x, Diabetes.y))
    }
}

/// Timing of Ridge on 1,000,000 × 20, run only when MODELSH_BENCHMARK is set (timings on a shared
/// machine make poor assertions): prints the best of five fits, elapsed and CPU time (which a
/// busy machine inflates less).
final class RidgeBenchmark: XCTestCase {
    func testRidgeOnAMillionRows() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["MODELSH_BENCHMARK"] != nil, "set MODELSH_BENCHMARK=1 to run")
        let n = 1_000_000, p = 20
        var random = Xoshiro256StarStar(seed: 1)
        let x = Matrix(rows: n, columns: p, values: (0 ..< n * p).map { _ in random.uniform() * 10 + 5 })
        let y = (0 ..< n).map { i in (0 ..< p).reduce(random.uniform()) { $0 + Double($1 + 1) * x[i, $1] } }
        var wall = Double.infinity, processor = Double.infinity
        for _ in 0 ..< 5 {
            let start = DispatchTime.now().uptimeNanoseconds, startClock = clock()
            let fit = try Ridge(alpha: 1).fit(x, y)
            wall = min(wall, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            processor = min(processor, Double(clock() - startClock) / Double(CLOCKS_PER_SEC))
            XCTAssertEqual(fit.solver, .gram)
        }
        print("Ridge 1e6 × 20, best of 5: \(wall) s elapsed, \(processor) s CPU")
    }
}
