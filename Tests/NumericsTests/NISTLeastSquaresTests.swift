import Numerics
import XCTest

/// NIST StRD's hardest linear least-squares problems (Filip, Wampler 1–5; Longley is in
/// QRLeastSquaresTests) and an exactly representable Filip-like polynomial. Every reference is the
/// exact least-squares solution, by rational arithmetic in Tests/References/nist.py, of the data
/// as held here in doubles; the script also checks that the exact solution of NIST's decimal data
/// reproduces each certificate to 14 digits or more.
final class NISTLeastSquaresTests: XCTestCase {
    /// NIST StRD Filip (https://www.itl.nist.gov/div898/strd/lls/data/Filip.shtml): 82 (x, y).
    static let filipX: [Double] = [
        -6.860120914, -4.324130045, -4.358625055, -4.358426747, -6.955852379, -6.661145254, -6.355462942,
        -6.118102026, -7.115148017, -6.815308569, -6.519993057, -6.204119983, -5.853871964, -6.109523091,
        -5.79832982, -5.482672118, -5.171791386, -4.851705903, -4.517126416, -4.143573228, -3.709075441,
        -3.499489089, -6.300769497, -5.953504836, -5.642065153, -5.031376979, -4.680685696, -4.329846955,
        -3.928486195, -8.56735134, -8.363211311, -8.107682739, -7.823908741, -7.522878745, -7.218819279,
        -6.920818754, -6.628932138, -6.323946875, -5.991399828, -8.781464495, -8.663140179, -8.473531488,
        -8.247337057, -7.971428747, -7.676129393, -7.352812702, -7.072065318, -6.774174009, -6.478861916,
        -6.159517513, -6.835647144, -6.53165267, -6.224098421, -5.910094889, -5.598599459, -5.290645224,
        -4.974284616, -4.64454848, -4.290560426, -3.885055584, -3.408378962, -3.13200249, -8.726767166,
        -8.66695597, -8.511026475, -8.165388579, -7.886056648, -7.588043762, -7.283412422, -6.995678626,
        -6.691862621, -6.392544977, -6.067374056, -6.684029655, -6.378719832, -6.065855188, -5.752272167,
        -5.132414673, -4.811352704, -4.098269308, -3.66174277, -3.2644011,
    ]
    static let filipY: [Double] = [
        0.8116, 0.9072, 0.9052, 0.9039, 0.8053, 0.8377, 0.8667, 0.8809, 0.7975, 0.8162,
        0.8515, 0.8766, 0.8885, 0.8859, 0.8959, 0.8913, 0.8959, 0.8971, 0.9021, 0.909,
        0.9139, 0.9199, 0.8692, 0.8872, 0.89, 0.891, 0.8977, 0.9035, 0.9078, 0.7675,
        0.7705, 0.7713, 0.7736, 0.7775, 0.7841, 0.7971, 0.8329, 0.8641, 0.8804, 0.7668,
        0.7633, 0.7678, 0.7697, 0.77, 0.7749, 0.7796, 0.7897, 0.8131, 0.8498, 0.8741,
        0.8061, 0.846, 0.8751, 0.8856, 0.8919, 0.8934, 0.894, 0.8957, 0.9047, 0.9129,
        0.9209, 0.9219, 0.7739, 0.7681, 0.7665, 0.7703, 0.7702, 0.7761, 0.7809, 0.7961,
        0.8253, 0.8602, 0.8809, 0.8301, 0.8664, 0.8834, 0.8898, 0.8964, 0.8963, 0.9074,
        0.9119, 0.9228,
    ]
    // Tests/References/nist.py: the exact solution for the data above (powers formed as below),
    // and NIST's certificate, which differs from it by 1.3e-8 because rounding each x^k to double
    // moves the solution of a problem this ill-conditioned that far.
    static let filipCoefficients: [Double] = [
        -1467.4896313887715, -2772.1796242619316, -2316.3711086093589, -1127.9739541497518, -354.47823785523083,
        -75.124202624351735, -10.875318164699452, -1.0622149986404843, -0.067019116274456234, -0.0024678108132356482,
        -4.0296253014568074e-5,
    ]
    static let filipStandardErrors: [Double] = [
        298.08453045643306, 559.77986445819664, 466.4775712737701, 227.2042740568501, 71.647865952748432,
        15.289717845386996, 2.23691159376235, 0.22162432148628003, 0.014236376285786288, 0.00053561740773385706,
        8.9663283536543461e-6,
    ]
    static let filipResidualSD = 0.0033480105018462085, filipRSquared = 0.99672741620790499
    static let filipCertifiedCoefficients = [
        -1467.48961422980, -2772.17959193342, -2316.37108160893, -1127.97394098372, -354.478233703349, -75.1242017393757,
        -10.8753180355343, -1.06221498588947, -0.670191154593408E-01, -0.246781078275479E-02, -0.402962525080404E-04,
    ]
    static let filipCertifiedStandardErrors = [
        298.084530995537, 559.779865474950, 466.477572127796, 227.204274477751, 71.6478660875927, 15.2897178747400,
        2.23691159816033, 0.221624321934227, 0.142363763154724E-01, 0.535617408889821E-03, 0.896632837373868E-05,
    ]
    static let filipCertifiedResidualSD = 0.334801051324544E-02, filipCertifiedRSquared = 0.996727416185620

    // Tests/References/nist.py: the exact solution for x and y rounded to double but the powers of
    // x exact. It is the certificate's to 14 digits, and the exact solution for the design
    // `filipDesignInDoubleDouble` holds (each power to 2⁻¹⁰⁴) is this one's to 25.
    static let filipExactPowersCoefficients: [Double] = [
        -1467.4896142297884, -2772.1795919334098, -2316.3710816089189, -1127.9739409837099, -354.47823370334694,
        -75.124201739375322, -10.875318035534194, -1.062214985889462, -0.067019115459340474, -0.0024678107827547729,
        -4.029625250804014e-5,
    ]
    static let filipExactPowersStandardErrors: [Double] = [
        298.08453099553685, 559.77986547494962, 466.47757212779625, 227.20427447775122, 71.64786608759271,
        15.289717874740001, 2.236911598160332, 0.22162432193422733, 0.014236376315472391, 0.00053561740888982079,
        8.9663283737386799e-6,
    ]
    static let filipExactPowersResidualSD = 0.0033480105132454344, filipExactPowersRSquared = 0.99672741618562016

    /// Wampler3–5 add 1, 100 and 10000 times this to Wampler1's y = 1 + x + … + x⁵ (x = 0 … 20).
    static let wamplerPerturbation: [Double] = [
        759, -2048, 2048, -2048, 2523, -2048, 2048, -2048, 1838, -2048, 2048, -2048, 1838, -2048, 2048, -2048, 2523,
        -2048, 2048, -2048, 759,
    ]

    /// Tests/References/nist.py: standard errors, residual SD and R² of Wampler3–5 (their
    /// coefficients are all exactly 1; the certificates agree to 14.5 digits). Wampler1 and 2 fit exactly.
    static let wamplerReferences: [Int: (standardErrors: [Double], residualSD: Double, rSquared: Double)] = [
        3: ([2152.3262467816968, 2363.5517346968052, 779.34352433158309, 101.47550755034965, 5.6456651217075157, 0.11232485467931194],
            2360.1450237926765, 0.99999555902581989),
        4: ([215232.62467816968, 236355.17346968052, 77934.352433158309, 10147.550755034965, 564.56651217075157, 11.232485467931194],
            236014.50237926765, 0.95747844082566218),
        5: ([21523262.467816968, 23635517.346968052, 7793435.2433158309, 1014755.0755034965, 56456.651217075157, 1123.2485467931194],
            23601450.237926765, 0.0022466892157493981),
    ]

    // Tests/References/nist.py: x = m/4 for m = -39 … -12, twice each, y = k / 2^14. Every entry
    // of the degree-10 design is an exact double, so this exact solution is the one to reproduce.
    static let dyadicNumerators: [Double] = [
        14238, 14259, 14013, 13991, 13758, 13742, 13536, 13534, 13305, 13315, 13124, 13135, 13037, 13027, 12956, 12966,
        12955, 12961, 13002, 12993, 13110, 13131, 13274, 13266, 13471, 13492, 13723, 13718, 13978, 13963, 14221, 14208,
        14425, 14426, 14616, 14619, 14786, 14751, 14867, 14878, 14915, 14911, 14898, 14876, 14819, 14801, 14652, 14653,
        14484, 14480, 14270, 14285, 14053, 14042, 13797, 13769,
    ]
    static let dyadicCoefficients: [Double] = [
        -35.615255976406897, -65.418470403090015, -51.924176478555519, -23.970018920717917, -7.1291162746678216,
        -1.4296817576741601, -0.19607257051985263, -0.01817265789857574, -0.0010896190452112016, -3.8166723172674498e-5,
        -5.9311309734485244e-7,
    ]
    static let dyadicStandardErrors: [Double] = [
        19.057284043948736, 34.852723231509773, 28.142272825801416, 13.216126070576266, 3.9991018247960271,
        0.81512356612046266, 0.11340353368526802, 0.010640061952666866, 0.00064473731885386316, 2.2799083660922213e-5,
        3.57514887546981e-7,
    ]
    static let dyadicResidualSD = 0.00069060066893094548, dyadicRSquared = 0.99976480771460934

    /// 1, x, x², …, x^degree, each power by one more multiplication in double (as nist.py forms them).
    static func polynomialDesign(_ x: [Double], degree: Int) -> Matrix {
        var columns = [[Double](repeating: 1, count: x.count)]
        for _ in 0 ..< degree { columns.append(zip(columns.last!, x).map { $0 * $1 }) }
        return Matrix(rows: x.count, columns: columns)
    }

    /// Filip's design 1, x, …, x¹⁰ as the shell builds a polynomial: each power in double-double
    /// by `ColumnProduct`, split into the nearest double (x) and the remainder (lowParts).
    static func filipDesignInDoubleDouble() -> (x: Matrix, lowParts: Matrix) {
        let powers = (1 ... 10).map { k in ColumnProduct.of(Array(repeating: filipX, count: k)) }
        let n = filipX.count
        return (Matrix(rows: n, columns: [Array(repeating: 1, count: n)] + powers.map(\.hi)),
                Matrix(rows: n, columns: [Array(repeating: 0, count: n)] + powers.map(\.lo)))
    }

    /// With the powers in double-double, rounding x and y to double costs Filip's certificate
    /// nothing: coefficients, standard errors, residual SD and R² reproduce it to 14 digits.
    func testFilipWithPowersInDoubleDoubleMatchesItsCertificate() throws {
        let (x, lowParts) = Self.filipDesignInDoubleDouble()
        let fit = try QRLeastSquares.fit(x, Self.filipY, lowParts: lowParts)
        XCTAssertEqual(fit.rank, 11)
        let summary = InferenceSummary(fit, Self.filipY)
        assertSummary(summary, coefficients: Self.filipCertifiedCoefficients, standardErrors: Self.filipCertifiedStandardErrors,
                      residualSD: Self.filipCertifiedResidualSD, rSquared: Self.filipCertifiedRSquared, tolerance: 2e-14, "certificate")
        assertSummary(summary, coefficients: Self.filipExactPowersCoefficients, standardErrors: Self.filipExactPowersStandardErrors,
                      residualSD: Self.filipExactPowersResidualSD, rSquared: Self.filipExactPowersRSquared, tolerance: 1e-15, "exact")
    }

    /// Low parts that are all zero are no low parts: the fit is the same to the bit.
    func testLowPartsOfZerosGiveTheFitOfXAlone() throws {
        let x = Self.polynomialDesign(Self.filipX, degree: 10)
        XCTAssertEqual(try QRLeastSquares.fit(x, Self.filipY, lowParts: Matrix(rows: x.rows, columns: x.columns)),
                       try QRLeastSquares.fit(x, Self.filipY))
    }

    func testFilipKeepsAllElevenTermsAndMatchesTheExactSolutionToTwelveDigits() throws {
        let fit = try QRLeastSquares.fit(Self.polynomialDesign(Self.filipX, degree: 10), Self.filipY)
        XCTAssertEqual(fit.rank, 11, "R's lm aliases x^10 here; its independent part is 5e-8 of its norm")
        assertSummary(InferenceSummary(fit, Self.filipY), coefficients: Self.filipCoefficients, standardErrors: Self.filipStandardErrors,
                      residualSD: Self.filipResidualSD, rSquared: Self.filipRSquared, tolerance: 1e-12)
    }

    /// Rounding x^k to double moves Filip's exact solution 1.3e-8 from the certificate (nist.py):
    /// no solver given doubles can do better, and this one does not do worse.
    func testFilipIsAsCloseToItsCertificateAsItsDoubleDataAllow() throws {
        let fit = try QRLeastSquares.fit(Self.polynomialDesign(Self.filipX, degree: 10), Self.filipY)
        for j in 0 ..< 11 { assertRelative(fit.coefficients[j], Self.filipCertifiedCoefficients[j], 1.5e-8, "b\(j)") }
    }

    func testDegreeTenPolynomialOnExactDataMatchesItsExactSolution() throws {
        let x = (-39 ... -12).flatMap { m in [Double(m) / 4, Double(m) / 4] }
        let y = Self.dyadicNumerators.map { $0 / 16384 }
        let fit = try QRLeastSquares.fit(Self.polynomialDesign(x, degree: 10), y)
        XCTAssertEqual(fit.rank, 11)
        assertSummary(InferenceSummary(fit, y), coefficients: Self.dyadicCoefficients, standardErrors: Self.dyadicStandardErrors,
                      residualSD: Self.dyadicResidualSD, rSquared: Self.dyadicRSquared, tolerance: 1e-13)
    }

    /// Tests/References/nist.py: Wampler2's exact solution for its y rounded to double, 6e-14
    /// from the certificate's 1, 0.1, …, 0.00001.
    static let wampler2Coefficients = [
        0.99999999999999974, 0.10000000000000081, 0.0099999999999996162, 0.001000000000000063, 9.9999999999995883e-5,
        1.0000000000000091e-5,
    ]

    /// Wampler1 and 2 are exact polynomials: the coefficients come out as certified and the
    /// residuals vanish (Wampler2's y, decimals rounded to double, leave residuals of 1e-15, as
    /// the exact solution of the rounded data does).
    func testWamplerOneAndTwoAreFittedExactly() throws {
        let x = (0 ... 20).map(Double.init)
        let wampler1 = x.map { v in (0 ... 5).reduce(0.0) { $0 + pow(v, Double($1)) } }
        // 1 + 0.1x + … + 0.00001x⁵ as NIST prints it: an integer over 10⁵, rounded once.
        let wampler2 = x.map { v in (0 ... 5).reduce(0.0) { $0 + pow(10, Double(5 - $1)) * pow(v, Double($1)) } / 100_000 }
        let certified = [(1, wampler1, [1.0, 1, 1, 1, 1, 1]), (2, wampler2, [1.0, 0.1, 0.01, 0.001, 0.0001, 0.00001])]
        for (which, y, powers) in certified {
            let fit = try QRLeastSquares.fit(Self.polynomialDesign(x, degree: 5), y)
            let exact = which == 1 ? powers : Self.wampler2Coefficients
            for j in 0 ..< 6 {
                assertRelative(fit.coefficients[j], powers[j], 1e-12, "Wampler\(which) b\(j)")
                assertRelative(fit.coefficients[j], exact[j], 1e-15, "Wampler\(which) b\(j)")
            }
            let summary = InferenceSummary(fit, y)
            XCTAssertLessThan(summary.residualSD, 1e-14, "Wampler\(which)")
            XCTAssertEqual(summary.rSquared, 1, accuracy: 1e-15, "Wampler\(which)")
        }
    }

    /// Wampler3–5: the same polynomial with ever larger residuals; Wampler5's R² is 0.002.
    func testWamplerThreeToFiveMatchTheirExactSolutions() throws {
        let x = (0 ... 20).map(Double.init)
        for (which, scale) in [(3, 1.0), (4, 100), (5, 10000)] {
            let y = zip(x, Self.wamplerPerturbation).map { v, e in (0 ... 5).reduce(0.0) { $0 + pow(v, Double($1)) } + scale * e }
            let fit = try QRLeastSquares.fit(Self.polynomialDesign(x, degree: 5), y)
            let reference = Self.wamplerReferences[which]!
            assertSummary(InferenceSummary(fit, y), coefficients: Array(repeating: 1, count: 6), standardErrors: reference.standardErrors,
                          residualSD: reference.residualSD, rSquared: reference.rSquared, tolerance: 1e-12, "Wampler\(which)")
        }
    }
}

/// What a linear model summary reports from a fit: standard errors, residual SD, R² (with intercept).
struct InferenceSummary {
    let coefficients: [Double]
    let standardErrors: [Double]
    let residualSD: Double
    let rSquared: Double

    init(_ fit: LeastSquaresFit, _ y: [Double]) {
        let rss = fit.residuals.reduce(0) { $0 + $1 * $1 }
        let mean = y.reduce(0, +) / Double(y.count)
        let variance = rss / Double(y.count - fit.rank)
        coefficients = fit.coefficients
        standardErrors = (0 ..< fit.rank).map { (variance * fit.unscaledCovariance[$0, $0]).squareRoot() }
        residualSD = variance.squareRoot()
        rSquared = 1 - rss / y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    }
}

func assertSummary(_ summary: InferenceSummary, coefficients: [Double], standardErrors: [Double], residualSD: Double, rSquared: Double,
                   tolerance: Double, _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    for j in coefficients.indices {
        assertRelative(summary.coefficients[j], coefficients[j], tolerance, "\(message) b\(j)", file: file, line: line)
        assertRelative(summary.standardErrors[j], standardErrors[j], tolerance, "\(message) se\(j)", file: file, line: line)
    }
    assertRelative(summary.residualSD, residualSD, tolerance, "\(message) residual SD", file: file, line: line)
    assertRelative(summary.rSquared, rSquared, tolerance, "\(message) R²", file: file, line: line)
}
