import Foundation
@testable import Numerics
import XCTest

/// The drift statistics against scipy 1.17.1 (Tests/References/monitoring.py printed every
/// number here), and PSI against a hand computation.
final class MonitoringStatisticsTests: XCTestCase {
    /// The reference script's samples: exact decimals, so both sides hold the same doubles.
    private func sample(_ n: Int, _ step: Int, _ modulus: Int, _ shift: Double) -> [Double] {
        (0 ..< n).map { Double(($0 * step) % modulus) / 10 + shift }
    }

    private func assertRelative(_ actual: Double, _ expected: Double, _ tolerance: Double = 1e-12, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertLessThanOrEqual(abs(actual - expected), tolerance * max(abs(expected), 1e-300), "\(actual) vs \(expected)", file: file, line: line)
    }

    private func ks(_ a: [Double], _ b: [Double]) -> KolmogorovSmirnovTest {
        KolmogorovSmirnovTest(sorted: a.sorted(), b.sorted())
    }

    func testKolmogorovSmirnovMatchesScipyExact() {
        let cases: [(KolmogorovSmirnovTest, Double, Double)] = [
            (ks(sample(60, 37, 101, 0), sample(60, 53, 97, 0.7)), 0.08333333333333333, 0.9866532849650151),
            (ks(sample(80, 37, 101, 0), sample(50, 53, 97, 1.5)), 0.15, 0.44799294306603127),
            (ks(sample(45, 7, 10, 0), sample(70, 3, 10, 0.2)), 0.3, 0.011054018844602458),
            (ks(sample(30, 37, 101, 0), sample(30, 37, 101, 0)), 0, 1),
        ]
        for (test, statistic, p) in cases {
            XCTAssertTrue(test.exact)
            assertRelative(test.statistic, statistic, 1e-15)
            assertRelative(test.pValue, p, 1e-12)
        }
    }

    /// Beyond 10,000 values scipy switches to kstwo(round(en)); the Kolmogorov limit used
    /// here agrees to about 1/√en (en ≈ 5739 here), as documented.
    func testKolmogorovSmirnovAsymptotic() {
        let test = ks(sample(12000, 37, 1009, 0), sample(11000, 53, 997, 0.3))
        XCTAssertFalse(test.exact)
        assertRelative(test.statistic, 0.009916666666666685, 1e-12)
        assertRelative(test.pValue, 0.6213850489450268, 0.02)
    }

    func testChiSquareHomogeneityMatchesScipy() {
        let cases: [([[Double]], Double, Double, Int)] = [
            ([[10, 20, 30], [15, 15, 40]], 2.3877551020408165, 0.30304391468510006, 2),
            ([[12, 5], [7, 14]], 3.831932773109244, 0.05028491606049412, 1),
            ([[120, 80, 40, 10], [100, 90, 60, 30]], 14.75558059587472, 0.0020378955288954414, 3),
        ]
        for (table, statistic, p, dof) in cases {
            let test = ChiSquareTest(counts: table)
            XCTAssertEqual(test.degreesOfFreedom, dof)
            assertRelative(test.statistic, statistic, 1e-13)
            assertRelative(test.pValue, p, 1e-11)
        }
        // A level empty on both sides is left out rather than dividing by a zero expectation.
        XCTAssertEqual(ChiSquareTest(counts: [[10, 0, 20, 30], [15, 0, 15, 40]]), ChiSquareTest(counts: [[10, 20, 30], [15, 15, 40]]))
        XCTAssertEqual(ChiSquareTest(counts: [[10], [20]]).pValue, 1)
    }

    func testChiSquareDistributionMatchesScipy() {
        for (x, k, p) in [(29.59, 10.0, 0.0009993620119330144), (0.5, 1, 0.47950012218695337), (3.0, 4, 0.5578254003710748),
                          (150.0, 100, 0.0009039320423540184), (1e-3, 2, 0.9995001249791693)] {
            assertRelative(ChiSquare.upperTail(x, degreesOfFreedom: k), p, 1e-12)
        }
        for (k, q) in [(1.0, 10.827566170662733), (2, 13.815510557964274), (10, 29.58829844507442), (30, 59.70306430442994)] {
            assertRelative(ChiSquare.quantile(0.999, degreesOfFreedom: k), q, 1e-12)
        }
    }

    /// PSI by hand: shares e = (.1, .2, .3, .4), a = (.2, .2, .2, .4) give
    /// .1·ln 2 + (−.1)·ln(2/3); an empty reference bin counts as a share of 1e-4.
    func testPopulationStabilityIndexByHand() {
        assertRelative(PopulationStability.index(expected: [10, 20, 30, 40], actual: [20, 20, 20, 40]), 0.1 * log(2.0) - 0.1 * log(2.0 / 3), 1e-14)
        let withEmpty = PopulationStability.index(expected: [0, 50, 50], actual: [10, 45, 45])
        assertRelative(withEmpty, (0.1 - 1e-4) * log(0.1 / 1e-4) + 2 * (-0.05) * log(0.9), 1e-14)
        XCTAssertEqual(PopulationStability.index(expected: [5, 5], actual: [50, 50]), 0)
        // Bins are right-closed: (−∞, 1], (1, 2], (2, ∞).
        XCTAssertEqual(PopulationStability.counts([0.5, 1, 1.5, 2, 2.5, .nan], edges: [1, 2]), [2, 2, 1])
    }

    func testMahalanobisDistanceOfUncorrelatedFeaturesIsSumOfSquaredScores() throws {
        let moments = try XCTUnwrap(try MahalanobisDistance.moments(of: [[1, 2, 3, 4], [1, -1, 1, -1]]))
        assertRelative(moments.means[0], 2.5)
        assertRelative(moments.deviations[0], (1.25).squareRoot())
        assertRelative(moments.correlation[1], -0.4472135954999579, 1e-13)  // numpy.corrcoef
        let distance = try XCTUnwrap(MahalanobisDistance(means: [0, 0], deviations: [1, 2], correlation: [1, 0, 0, 1]))
        assertRelative(distance.squaredDistance([3, 4]), 9 + 4)
        XCTAssertTrue(distance.squaredDistance([.nan, 1]).isNaN)
    }

    /// Bin counts against any number of edges (none, fewer than eight, several groups of
    /// eight), ties with an edge going below it, missing values not counted: as a plain count.
    func testBinCountsEqualAPlainCountForAnyNumberOfEdges() {
        var generator = Xoshiro256StarStar(seed: 7)
        let values = (0 ..< 5000).map { row -> Double in row % 97 == 0 ? .nan : Double(generator.bounded(200)) / 4 }
        for edgeCount in [0, 1, 7, 8, 9, 17] {
            let edges: [Double] = (0 ..< edgeCount).map { index in
                let step = Double(index * 50 / max(edgeCount, 1))
                return step + (index % 2 == 1 ? 0.25 : 0)
            }
            var expected = [Double](repeating: 0, count: edgeCount + 1)
            for value in values where !value.isNaN { expected[edges.filter { value > $0 }.count] += 1 }
            XCTAssertEqual(PopulationStability.counts(values, edges: edges), expected, "\(edgeCount) edges")
        }
    }
}
