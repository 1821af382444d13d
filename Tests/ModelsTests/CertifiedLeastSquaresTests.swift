import Diagnostics
import Models
import Numerics
import Tabular
import XCTest

/// The shell's whole path — load, `poly=`, the linear fit, its inference — against NIST StRD's
/// certified values for Filip (sessions/data/filip.csv), the hardest classic least-squares
/// problem: a degree-10 polynomial with condition number near 1e15, where R's lm aliases a term.
/// Certified values from www.itl.nist.gov/div898/strd (also in Tests/References/nist.py).
final class CertifiedLeastSquaresTests: XCTestCase {
    static let estimates = [-1467.48961422980, -2772.17959193342, -2316.37108160893, -1127.97394098372, -354.478233703349,
                            -75.1242017393757, -10.8753180355343, -1.06221498588947, -0.670191154593408E-01,
                            -0.246781078275479E-02, -0.402962525080404E-04]
    static let standardErrors = [298.084530995537, 559.779865474950, 466.477572127796, 227.204274477751, 71.6478660875927,
                                 15.2897178747400, 2.23691159816033, 0.221624321934227, 0.142363763154724E-01,
                                 0.535617408889821E-03, 0.896632837373868E-05]

    func testFilipThroughPolyTenMatchesTheCertificateToTwelveDigits() throws {
        let filip = try CSVReader.read(path: TestData.directory.appendingPathComponent("filip.csv").path)
        let model = try ModelCatalogue.fit(kind: "linear", data: filip, datasetName: "filip", target: "y", features: ["x"], options: ["poly": "10"])
        let learned = try XCTUnwrap(model.state as? LinearRegression.Learned)
        XCTAssertEqual(learned.terms, ["(Intercept)", "x"] + (2 ... 10).map { "x^\($0)" })
        XCTAssertEqual(learned.rank, 11, "every term kept (R's lm aliases one)")
        let inference = learned.inference
        for (j, coefficient) in inference.coefficients.enumerated() {
            assertRelative(coefficient.estimate, Self.estimates[j], 1e-12, "estimate \(j)")
            assertRelative(coefficient.standardError, Self.standardErrors[j], 1e-12, "standard error \(j)")
        }
        assertRelative(inference.residualStandardError, 0.334801051324544E-02, 1e-12)
        assertRelative(try XCTUnwrap(inference.rSquared), 0.996727416185620, 1e-12)
    }
}
