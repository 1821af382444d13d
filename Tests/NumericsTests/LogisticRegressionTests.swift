import Diagnostics
import Foundation
@testable import Numerics
import XCTest

/// Binary fits against R's glm (Tests/References/glm.R), penalised and multinomial fits against
/// scikit-learn and the normal CDF against mpmath (Tests/References/logistic.py).
final class LogisticRegressionTests: XCTestCase {
    // MARK: - Data

    static let irisFeatures = ["Sepal.Length", "Sepal.Width", "Petal.Length", "Petal.Width"]

    static func irisIndicator(_ species: String) throws -> [Double] {
        try SampleTable("iris").strings("Species").map { $0 == species ? 1 : 0 }
    }

    /// The values R's summary(glm) reports, as Tests/References/glm.R prints them.
    struct GlmReference {
        var estimates, standardErrors, zValues, pValues: [Double]
        var deviance, nullDeviance, aic: Double
        var residualDF, nullDF, iterations: Int
        var fitted: [Double]  // rows 1, 51, 101, 150 (R's numbering)
    }

    func assertMatches(_ fit: LogisticRegression.BinaryFit, _ r: GlmReference, tolerance: Double = 1e-9,
                       file: StaticString = #filePath, line: UInt = #line) {
        let kept = fit.coefficients.indices.filter { !fit.aliased[$0] }
        XCTAssertEqual(kept.count, r.estimates.count, "non-aliased coefficients", file: file, line: line)
        for (k, j) in kept.enumerated() {
            assertRelative(fit.coefficients[j], r.estimates[k], tolerance, "estimate \(j)", file: file, line: line)
            assertRelative(fit.standardErrors[j], r.standardErrors[k], tolerance, "SE \(j)", file: file, line: line)
            assertRelative(fit.zValues[j], r.zValues[k], tolerance, "z \(j)", file: file, line: line)
            assertRelative(fit.pValues[j], r.pValues[k], tolerance, "p \(j)", file: file, line: line)
        }
        assertRelative(fit.deviance, r.deviance, tolerance, "deviance", file: file, line: line)
        assertRelative(fit.nullDeviance, r.nullDeviance, 1e-14, "null deviance", file: file, line: line)
        assertRelative(fit.aic, r.aic, tolerance, "AIC", file: file, line: line)
        XCTAssertEqual(fit.residualDegreesOfFreedom, r.residualDF, file: file, line: line)
        XCTAssertEqual(fit.nullDegreesOfFreedom, r.nullDF, file: file, line: line)
        XCTAssertEqual(fit.rank, r.estimates.count, file: file, line: line)
        XCTAssertEqual(fit.iterations, r.iterations, "Fisher scoring iterations", file: file, line: line)
        for (i, expected) in zip([0, 50, 100, 149], r.fitted) {
            assertRelative(fit.fittedProbabilities[i], expected, tolerance, "fitted \(i)", file: file, line: line)
        }
    }

    // MARK: - Binary, unpenalised (R's glm)

    static let irisVersicolor = GlmReference(
        estimates: [7.37848655335252612, -0.24535670802687365, -2.79656809436687892, 1.31364331319139982, -2.77834391019030136],
        standardErrors: [2.49929627947594568, 0.64956130660544931, 0.78354672649054946, 0.68377964851900641, 1.17311999994642413],
        zValues: [2.95222563805026450, -0.37772679119248403, -3.56911464220201680, 1.92115006060301852, -2.36833734853824573],
        pValues: [0.00315492298268279115, 0.70563356325560810944, 0.00035818966887281138, 0.05471279195944561691, 0.01786823510592516068],
        deviance: 145.06967476875823, nullDeviance: 190.95425048844382, aic: 155.06967476875823,
        residualDF: 145, nullDF: 149, iterations: 5,
        fitted: [0.084913218218370543, 0.26823691478973588, 0.078715027935705867, 0.318589722764758])

    func testIrisVersicolorMatchesGlm() throws {
        let x = try SampleTable("iris").design(Self.irisFeatures, intercept: true)
        let fit = try LogisticRegression.fitBinary(x, Self.irisIndicator("versicolor"), hasIntercept: true)
        assertMatches(fit, Self.irisVersicolor)
        XCTAssertTrue(fit.converged)
        XCTAssertEqual(fit.warnings, [])
        XCTAssertEqual(fit.unscaledCovariance.rows, 5)
        let predicted = LogisticRegression.predictProbabilities(x, coefficients: fit.coefficients)
        for i in predicted.indices { XCTAssertEqual(predicted[i], fit.fittedProbabilities[i], accuracy: 1e-15) }
    }

    func testWithoutInterceptMatchesGlm() throws {
        let x = try SampleTable("iris").design(["Sepal.Length", "Sepal.Width"], intercept: false)
        let fit = try LogisticRegression.fitBinary(x, Self.irisIndicator("versicolor"), hasIntercept: false)
        assertMatches(fit, GlmReference(
            estimates: [0.71152771597962439, -1.66123082768295238], standardErrors: [0.18240202354459537, 0.37457838865396020],
            zValues: [3.9008762192030364, -4.4349350576592297], pValues: [9.5845150752010608e-05, 9.2100048432253707e-06],
            deviance: 165.3248823038212, nullDeviance: 207.94415416798358, aic: 169.3248823038212,
            residualDF: 148, nullDF: 150, iterations: 4,
            fitted: [0.10105866875248234, 0.41696507213009421, 0.2690521045531889, 0.31309723296221281]))
    }

    static let duplicateColumn = GlmReference(
        estimates: [7.82376322701375937, 0.34754979032020661, -3.37918130122646154, -0.13024454331972568],
        standardErrors: [2.48073627052983037, 0.58203817028227156, 0.76242643332024396, 0.31498877512464940],
        zValues: [3.15380692416077624, 0.59712542590059869, -4.43214079883179402, -0.41348947519855100],
        pValues: [1.6115566717127385e-03, 5.5042364353027318e-01, 9.3302055482540415e-06, 6.7924803193067773e-01],
        deviance: 151.47860145612961, nullDeviance: 190.95425048844382, aic: 159.47860145612961,
        residualDF: 146, nullDF: 149, iterations: 5,
        fitted: [0.082170917016991696, 0.23705066025952304, 0.1279241774420512, 0.28343541782367759])

    /// Sepal.Sum = Sepal.Length + Sepal.Width comes after both, so it is the aliased one (NA).
    static func duplicateColumnDesign() throws -> Matrix {
        let table = try SampleTable("iris")
        let sum = zip(table.numbers("Sepal.Length"), table.numbers("Sepal.Width")).map { $0 + $1 }
        let x = table.design(["Sepal.Length", "Sepal.Width"], intercept: true)
        return Matrix(rows: x.rows, columns: x.columns + 2, values: x.values + sum + table.numbers("Petal.Length"))
    }

    func testDuplicateColumnIsAliasedAsInGlm() throws {
        let fit = try LogisticRegression.fitBinary(Self.duplicateColumnDesign(), Self.irisIndicator("versicolor"), hasIntercept: true)
        XCTAssertEqual(fit.aliased, [false, false, false, true, false])
        XCTAssertTrue(fit.coefficients[3].isNaN && fit.standardErrors[3].isNaN && fit.pValues[3].isNaN)
        assertMatches(fit, Self.duplicateColumn)
    }

    func testQuasiSeparationConvergesWithGlmsWarning() throws {
        let x = try SampleTable("iris").design(["Sepal.Length", "Sepal.Width", "Petal.Length"], intercept: true)
        let fit = try LogisticRegression.fitBinary(x, Self.irisIndicator("virginica"), hasIntercept: true)
        assertMatches(fit, GlmReference(
            estimates: [-38.21537085412278145, -3.85244257752905295, -0.63853320680977532, 13.14747424939252873],
            standardErrors: [14.0531630532307954, 1.7090875883665670, 2.2905651741407871, 3.9056831279257942],
            zValues: [-2.71934301974366832, -2.25409312182236521, -0.27876666161629532, 3.36624191434977149],
            pValues: [0.00654117353293501205, 0.02419031029153817861, 0.78042390077947021432, 0.00076199849938346097],
            deviance: 23.771802832970522, nullDeviance: 190.95425048844382, aic: 31.771802832970522,
            residualDF: 146, nullDF: 149, iterations: 10,
            fitted: [2.2204460492503126e-16, 0.0043524856999232657, 0.99999937899545877, 0.98510521043509036]))
        XCTAssertTrue(fit.converged)
        XCTAssertEqual(fit.warnings, [.fittedProbabilitiesZeroOrOne])
    }

    static let diabetesColumns = ["AGE", "SEX", "BMI", "BP", "S1", "S2", "S3", "S4", "S5", "S6"]
    static let diabetes = GlmReference(
        estimates: [-1.4363978864836602e+01, 3.7653084434172489e-03, -1.1197995055902061e+00, 1.4901848165052273e-01,
                    3.9740712931972545e-02, -4.5274575330033880e-02, 3.5729131620325802e-02, -1.7611950055093863e-03,
                    3.1277383512265437e-02, 2.6958513066787835e+00, 2.6913109125987285e-04],
        standardErrors: [3.721950867105571881, 0.010143713210959179, 0.293431018374529673, 0.035817307149972485,
                         0.010740189330376990, 0.032151697698420911, 0.031033075773999882, 0.041644376965893175,
                         0.298120423156690462, 0.887726191323282898, 0.013266444786668241],
        zValues: [-3.859260741936379802, 0.371196263647245339, -3.816227445187528655, 4.160516060756878964,
                  3.700187371890362176, -1.408155045332411204, 1.151324215508807702, -0.042291303984492511,
                  0.104915266056180984, 3.036804966473086953, 0.020286602446069720],
        pValues: [1.1373054255220796e-04, 7.1049135581936640e-01, 1.3550760389397071e-04, 3.1752928507529798e-05,
                  2.1544033835753647e-04, 1.5908516448838181e-01, 2.4959887850775972e-01, 9.6626647750080652e-01,
                  9.1644304526192144e-01, 2.3910010537762120e-03, 9.8381474328833651e-01],
        deviance: 418.97136264302395, nullDeviance: 612.7421076149916, aic: 440.97136264302395,
        residualDF: 431, nullDF: 441, iterations: 5,
        fitted: [0.86064098985318405, 0.64009257010439546, 0.65375520292426215, 0.70399699476759348])

    static func diabetesData() throws -> (x: Matrix, y: [Double]) {
        let table = try SampleTable("diabetes")
        return (table.design(diabetesColumns, intercept: true), table.numbers("Y").map { $0 > 140 ? 1 : 0 })
    }

    func testDiabetesMatchesGlm() throws {
        let (x, y) = try Self.diabetesData()
        assertMatches(try LogisticRegression.fitBinary(x, y, hasIntercept: true), Self.diabetes)
    }

    /// The normal-equations path (forced on small data) reaches R's answer too, and hands a
    /// rank-deficient design over to the QR, which aliases R's column.
    func testNormalEquationsPathMatchesGlm() throws {
        let (x, y) = try Self.diabetesData()
        let forced = { (x: Matrix, y: [Double]) in
            try LogisticRegression.fitBinary(x, y, hasIntercept: true, epsilon: 1e-8, maxIterations: 25, normalEquationsFromWork: 0)
        }
        assertMatches(try forced(x, y), Self.diabetes)
        let versicolor = try Self.irisIndicator("versicolor")
        assertMatches(try forced(SampleTable("iris").design(Self.irisFeatures, intercept: true), versicolor), Self.irisVersicolor)
        let duplicate = try forced(Self.duplicateColumnDesign(), versicolor)
        XCTAssertEqual(duplicate.aliased, [false, false, false, true, false])
        assertMatches(duplicate, Self.duplicateColumn)
    }

    /// The last pass by normal equations keeps XᵀWX at the coefficients for `update`: the same
    /// matrix a separate pass computes (to rounding); the QR path keeps none.
    func testTheLastNormalEquationsPassKeepsTheInformation() throws {
        let (x, y) = try Self.diabetesData()
        let fit = try LogisticRegression.fitBinary(x, y, hasIntercept: true, epsilon: 1e-8, maxIterations: 25,
                                                   normalEquationsFromWork: 0, wantsInformation: true)
        let kept = try XCTUnwrap(fit.information)
        let separate = try LogisticRegression.information(x, coefficients: fit.coefficients, ridge: [Double](repeating: 0, count: x.columns))
        XCTAssertEqual(kept.rows, x.columns)
        XCTAssertEqual(kept.columns, x.columns)
        for (a, b) in zip(kept.values, separate.values) { XCTAssertEqual(a, b, accuracy: 1e-9 * max(1, abs(b))) }
        XCTAssertNil(try LogisticRegression.fitBinary(x, y, hasIntercept: true, wantsInformation: true).information, "small data goes by QR")
        XCTAssertNil(try LogisticRegression.fitBinary(x, y, hasIntercept: true, epsilon: 1e-8, maxIterations: 25,
                                                      normalEquationsFromWork: 0).information, "not asked for")
    }

    /// R: 25 iterations, not converged, both warnings; the coefficients run off (R's -245.8 and
    /// 44.70 at the limit) with standard errors in the hundred thousands.
    func testCompleteSeparationReportsBothWarnings() throws {
        let x = Matrix(rows: 10, columns: [[Double](repeating: 1, count: 10), (1 ... 10).map(Double.init)])
        let y: [Double] = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
        let fit = try LogisticRegression.fitBinary(x, y, hasIntercept: true)
        XCTAssertFalse(fit.converged)
        XCTAssertEqual(fit.iterations, 25)
        XCTAssertEqual(fit.warnings, [.didNotConverge, .fittedProbabilitiesZeroOrOne])
        XCTAssertEqual(fit.warnings.map(\.rawValue), ["algorithm did not converge", "fitted probabilities numerically 0 or 1 occurred"])
        assertRelative(fit.coefficients[0], -245.847322314096203, 1e-6)
        assertRelative(fit.coefficients[1], 44.699513149503979, 1e-6)
        assertRelative(fit.nullDeviance, 13.862943611198906, 1e-14)
        XCTAssertLessThan(fit.deviance, 1e-9)
        XCTAssertGreaterThan(fit.standardErrors[1], 1e4)
    }

    func testBinaryInputErrors() {
        let x = Matrix(rows: 3, columns: [[1, 1, 1], [0.5, 1, 2]])
        assertLogisticThrows(.data, "0 or 1") { try LogisticRegression.fitBinary(x, [0, 1, 2], hasIntercept: true) }
        let missing = Matrix(rows: 3, columns: [[1, 1, 1], [0.5, .nan, 2]])
        assertLogisticThrows(.data, "missing") { try LogisticRegression.fitBinary(missing, [0, 1, 1], hasIntercept: true) }
        assertLogisticThrows(.usage, "positive") {
            try LogisticRegression.fitPenalizedBinary(x, [0, 1, 1], penalty: .l2(0), fitIntercept: true)
        }
        assertLogisticThrows(.data, "both classes") {
            try LogisticRegression.fitPenalizedBinary(x, [1, 1, 1], penalty: .l1(1), fitIntercept: true)
        }
        assertLogisticThrows(.data, "no observations") {
            try LogisticRegression.fitMultinomial(x, classes: [0, 2, 0], classCount: 3, hasIntercept: true)
        }
    }

    func assertLogisticThrows<T>(_ category: ModelshError.Category, _ fragment: String, file: StaticString = #filePath,
                                 line: UInt = #line, _ body: () throws -> T) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            let error = error as? ModelshError
            XCTAssertEqual(error?.category, category, file: file, line: line)
            XCTAssert(error?.message.contains(fragment) == true, "\(String(describing: error)) lacks '\(fragment)'", file: file, line: line)
        }
    }

    func testNormalCDFMatchesMpmath() {
        // mpmath.ncdf at 40 digits (Tests/References/logistic.py).
        let cases: [(Double, Double)] = [
            (-37, 5.725571222524577e-300), (-10, 7.619853024160525e-24), (-1.5, 0.06680720126885807), (0, 0.5),
            (0.3, 0.6179114221889527), (2.5, 0.9937903346742238), (8, 0.9999999999999993),
        ]
        for (x, expected) in cases { assertRelative(Normal.cdf(x), expected, 1e-13, "Φ(\(x))") }
        assertRelative(Normal.twoSidedPValue(-10), 2 * 7.619853024160525e-24, 1e-13)
        XCTAssertEqual(Normal.twoSidedPValue(0), 1)
    }

    // MARK: - Binary, penalised (scikit-learn)

    struct PenalizedReference {
        var penalty: LogisticRegression.Penalty
        var fitIntercept: Bool
        var intercept: Double
        var coefficients: [Double]
        var logLoss: Double
        var probabilities: [Double]  // rows 0, 50, 100, 149
    }

    /// iris, versicolor against the rest on the four measurements. L2 references from
    /// newton-cholesky (KKT violation ~1e-13), L1 from saga with tol 1e-14 (KKT ~5e-12).
    static let penalizedReferences = [
        PenalizedReference(penalty: .l2(1), fitIntercept: true, intercept: 5.586215762283794,
                           coefficients: [-0.17931035122948463, -2.1286499203885993, 0.6966734807401, -1.274806591250998],
                           logLoss: 74.29905617469691,
                           probabilities: [0.11323043213921731, 0.2707145430111401, 0.17151048474288477, 0.3545079360162449]),
        PenalizedReference(penalty: .l2(10), fitIntercept: false, intercept: 0,
                           coefficients: [0.055189491117744974, -0.6186007898458932, 0.2913328399433441, -0.25038734169563576],
                           logLoss: 85.272964555583,
                           probabilities: [0.1786020070249822, 0.3602051102501756, 0.3608538475154632, 0.3786966163247325]),
        PenalizedReference(penalty: .l1(5), fitIntercept: true, intercept: 3.906354131927441,
                           coefficients: [0, -1.6174959231131434, 0.06662157743477107, 0],
                           logLoss: 79.37541378995859,
                           probabilities: [0.159545805509593, 0.27757721248900613, 0.26276377090094666, 0.35288915721335096]),
        PenalizedReference(penalty: .l1(1), fitIntercept: true, intercept: 6.538657290214576,
                           coefficients: [0, -2.645435570830786, 0.55435112024375, -1.2128335972605346],
                           logLoss: 73.69333885618244,
                           probabilities: [0.10093828784348009, 0.26517287270456186, 0.13041920150980973, 0.32004626750669535]),
    ]

    func testPenalizedFitsMatchScikitLearn() throws {
        let x = try SampleTable("iris").design(Self.irisFeatures, intercept: false)
        let y = try Self.irisIndicator("versicolor")
        for r in Self.penalizedReferences {
            let fit = try LogisticRegression.fitPenalizedBinary(x, y, penalty: r.penalty, fitIntercept: r.fitIntercept)
            let label = "\(r.penalty) intercept \(r.fitIntercept)"
            XCTAssertTrue(fit.converged, label)
            XCTAssertEqual(fit.warnings, [], label)
            assertRelative(fit.intercept, r.intercept, 1e-8, label)
            for (j, expected) in r.coefficients.enumerated() {
                if expected == 0 { XCTAssertEqual(fit.coefficients[j], 0, "\(label) w\(j)") } else {
                    assertRelative(fit.coefficients[j], expected, 1e-8, "\(label) w\(j)")
                }
            }
            assertRelative(fit.logLoss, r.logLoss, 1e-11, label)
            for (i, expected) in zip([0, 50, 100, 149], r.probabilities) {
                assertRelative(fit.fittedProbabilities[i], expected, 1e-9, "\(label) p\(i)")
            }
            let predicted = LogisticRegression.predictProbabilities(x, coefficients: fit.coefficients, intercept: fit.intercept)
            for i in predicted.indices { XCTAssertEqual(predicted[i], fit.fittedProbabilities[i], accuracy: 1e-15, label) }
        }
    }

    // MARK: - Multinomial (scikit-learn)

    static let wineFeatures = ["alcohol", "malic_acid", "ash"]

    static func wineData() throws -> (x: Matrix, classes: [Int]) {
        let table = try SampleTable("wine")
        return (table.design(wineFeatures, intercept: true), table.numbers("class").map { Int($0) - 1 })
    }

    /// wine class (3) on alcohol, malic acid and ash: scikit-learn newton-cholesky, C = ∞,
    /// moved to class 0 as baseline; standard errors from numpy's inverse of the Hessian.
    /// (nnet::multinom agrees to ~1e-8: 70.6627576920, SE 10.132342507.)
    func testMultinomialMatchesScikitLearn() throws {
        let (x, classes) = try Self.wineData()
        let fit = try LogisticRegression.fitMultinomial(x, classes: classes, classCount: 3, hasIntercept: true)
        XCTAssertEqual(fit.modelledClasses, [1, 2])
        XCTAssertTrue(fit.converged)
        XCTAssertEqual(fit.warnings, [])
        let coefficients = [70.66275925687724, -4.922344898039107, 0.2869012435218258, -3.0069084008653624,
                            25.871263140723244, -2.122697879157552, 1.2516949294888826, -0.29653237567086854]
        let standardErrors = [10.132342793236074, 0.7292061967777174, 0.34754529383275456, 1.3061520235371555,
                              7.517882987195491, 0.5378494616218112, 0.27153665073292915, 1.0787986616561678]
        for index in coefficients.indices {
            assertRelative(fit.coefficients.values[index], coefficients[index], 1e-8, "β\(index)")
            assertRelative(fit.standardErrors!.values[index], standardErrors[index], 1e-8, "SE\(index)")
            assertRelative(fit.zValues!.values[index], coefficients[index] / standardErrors[index], 1e-8, "z\(index)")
        }
        assertRelative(fit.deviance, 180.91755089620182, 1e-12)
        assertRelative(fit.aic!, 196.91755089620182, 1e-12)
        assertProbabilities(fit.probabilities, [0.9467527521136739, 0.001924455448422851, 0.05132279243790321,
                                                0.029967116437649315, 0.925364338753487, 0.04466854480886371,
                                                0.26181492393283373, 0.5669839031299757, 0.1712011729371906])
        let predicted = LogisticRegression.predictProbabilities(x, multinomialCoefficients: fit.coefficients, classCount: 3)
        for (a, b) in zip(predicted.values, fit.probabilities.values) { XCTAssertEqual(a, b, accuracy: 1e-15) }
    }

    /// Rows 0, 60, 130 of the n × K probabilities, row by row.
    func assertProbabilities(_ probabilities: Matrix, _ expected: [Double], file: StaticString = #filePath, line: UInt = #line) {
        for (r, i) in [0, 60, 130].enumerated() {
            for k in 0 ..< 3 {
                XCTAssertEqual(probabilities[i, k], expected[r * 3 + k], accuracy: 1e-9, "P[\(i), \(k)]", file: file, line: line)
            }
        }
    }

    /// scikit-learn newton-cholesky, C = 1/2: intercepts (summing to 0) and one vector per class.
    func testMultinomialL2MatchesScikitLearn() throws {
        let (x, classes) = try Self.wineData()
        let fit = try LogisticRegression.fitMultinomial(x, classes: classes, classCount: 3, hasIntercept: true, l2Penalty: 2)
        XCTAssertEqual(fit.modelledClasses, [0, 1, 2])
        XCTAssertNil(fit.standardErrors)
        XCTAssertNil(fit.aic)
        let intercepts = [-22.44814002818294, 27.03853963528535, -4.590399607102406]
        let weights = [[1.706658264128559, -0.42671119564984267, 0.4710673641827636],
                       [-1.8675134142655458, -0.2916986538512463, -0.83602891192205],
                       [0.16085515013694973, 0.7184098495010897, 0.3649615477392795]]
        for k in 0 ..< 3 {
            assertRelative(fit.coefficients[0, k], intercepts[k], 1e-8, "intercept \(k)")
            for j in 0 ..< 3 { assertRelative(fit.coefficients[j + 1, k], weights[k][j], 1e-7, "w\(k),\(j)") }
        }
        assertRelative(fit.deviance, 187.52958558916475, 1e-12)
        assertProbabilities(fit.probabilities, [0.9086087057000474, 0.012094595624011863, 0.07929669867594065,
                                                0.06621944070403785, 0.8787067650338963, 0.05507379426206586,
                                                0.2902422485014865, 0.5686990387903869, 0.14105871270812667])
    }

    /// A column equal to the sum of two earlier ones is aliased; the fit is the one without it.
    func testMultinomialAliasesADuplicateColumn() throws {
        let (x, classes) = try Self.wineData()
        let sum = zip(x.column(1), x.column(2)).map { $0 + $1 }
        let extended = Matrix(rows: x.rows, columns: x.columns + 1, values: x.values + sum)
        let fit = try LogisticRegression.fitMultinomial(extended, classes: classes, classCount: 3, hasIntercept: true)
        let reduced = try LogisticRegression.fitMultinomial(x, classes: classes, classCount: 3, hasIntercept: true)
        XCTAssertEqual(fit.aliased, [false, false, false, false, true])
        XCTAssertTrue(fit.coefficients[4, 0].isNaN && fit.standardErrors![4, 1].isNaN)
        for k in 0 ..< 2 { for j in 0 ..< 4 { assertRelative(fit.coefficients[j, k], reduced.coefficients[j, k], 1e-10) } }
        assertRelative(fit.aic!, reduced.aic!, 1e-12)
    }

    /// setosa is linearly separable from the other irises (nnet::multinom fits probabilities of
    /// 1e-50, deviance 11.89855): the fit reports it, and the deviance still converges (to the
    /// versicolor/virginica part's) while the setosa coefficients run off.
    func testMultinomialSeparationIsReported() throws {
        let table = try SampleTable("iris")
        let species = ["setosa", "versicolor", "virginica"]
        let classes = table.strings("Species").map { species.firstIndex(of: $0)! }
        let fit = try LogisticRegression.fitMultinomial(table.design(Self.irisFeatures, intercept: true), classes: classes,
                                                        classCount: 3, hasIntercept: true)
        XCTAssertEqual(fit.warnings, [.fittedProbabilitiesZeroOrOne])
        XCTAssertEqual(fit.deviance, 11.89855, accuracy: 5e-6, "nnet::multinom's deviance (glm.R)")
        XCTAssertGreaterThan(fit.standardErrors![0, 0], 1e4)
    }

    /// A penalised fit stays finite under separation, so it does not say its estimates are not to
    /// be trusted, even where (α small) its fitted probabilities are 0 or 1 to rounding: as the
    /// binary penalised fit. (Digits with α = 1 gave the warning to an L2 fit.)
    func testPenalisedMultinomialDoesNotReportSeparation() throws {
        let table = try SampleTable("iris")
        let species = ["setosa", "versicolor", "virginica"]
        let classes = table.strings("Species").map { species.firstIndex(of: $0)! }
        let fit = try LogisticRegression.fitMultinomial(table.design(Self.irisFeatures, intercept: true), classes: classes,
                                                        classCount: 3, hasIntercept: true, l2Penalty: 1e-6)
        XCTAssertTrue(fit.probabilities.values.contains { $0 < 10 * Double.ulpOfOne }, "the case the warning would be given for")
        XCTAssertEqual(fit.warnings, [])
    }

    // MARK: - Speed

    /// 1,000,000 × 20 rows written by Tests/References/logistic_bench.py, which also times
    /// scikit-learn's lbfgs on them. The best of three fits is reported (the machine is shared).
    /// Run optimised:
    /// MODELSH_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter LogisticRegressionTests/testBenchmarkMillionRows
    func testBenchmarkMillionRows() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["MODELSH_BENCH"] == "1", "set MODELSH_BENCH=1 to run")
        let lines = try String(contentsOfFile: "/tmp/logistic_bench.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        let n = lines.count, p = 20
        var values = [Double](repeating: 1, count: n * (p + 1)), y = [Double](repeating: 0, count: n)
        for (i, line) in lines.enumerated() {
            for (j, field) in line.split(separator: ",").enumerated() {
                if j < p { values[(j + 1) * n + i] = Double(field)! } else { y[i] = Double(field)! }
            }
        }
        let x = Matrix(rows: n, columns: p + 1, values: values)
        var fit: LogisticRegression.BinaryFit?
        var best = Duration.seconds(1000)
        for _ in 0 ..< 3 {
            let cpuStart = clock()
            let elapsed = try ContinuousClock().measure { fit = try LogisticRegression.fitBinary(x, y, hasIntercept: true) }
            let cpuSeconds = Double(clock() - cpuStart) / Double(CLOCKS_PER_SEC)
            print("fitBinary on 1,000,000 × 21: \(elapsed) wall, \(cpuSeconds) s CPU, \(fit!.iterations) iterations")
            best = min(best, elapsed)
        }
        let eta = LogisticRegression.predictProbabilities(x, coefficients: fit!.coefficients).map { log($0 / (1 - $0)) }
        let meanLogLoss = zip(eta, y).reduce(0) { $0 + max($1.0, 0) + log1p(exp(-abs($1.0))) - $1.1 * $1.0 } / Double(n)
        print("best of 3: \(best); mean log-loss \(meanLogLoss)")
        // The optimum, from scikit-learn's newton-cholesky at tol 1e-12 (logistic_bench.py).
        XCTAssertEqual(meanLogLoss, 0.38956942737390576, accuracy: 1e-6)
    }
}
