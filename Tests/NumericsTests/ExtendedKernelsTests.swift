import CKernels
@testable import Numerics
import XCTest

/// The refinement's C kernels (CKernels) against the same arithmetic written out with Swift's
/// error-free transformations, bit for bit, in the variant for this CPU (FMA where it has it)
/// and in the baseline one: the two must agree so that results do not depend on the machine.
final class ExtendedKernelsTests: XCTestCase {
    override func tearDown() {
        msh_kernels_prefer_baseline(0)
    }

    private func data(_ count: Int, seed: UInt64) -> (column: [Double], h: [Double], l: [Double]) {
        var generator = Xoshiro256StarStar(seed: seed)
        func value(_ scale: Double) -> Double { (Double(generator.bounded(1 << 53)) / 0x1p53 - 0.5) * scale }
        let column = (0 ..< count).map { _ in value(pow(10, Double(generator.bounded(9)) - 4)) }
        let h = (0 ..< count).map { _ in value(100) }
        return (column, h, h.map { $0 * 0x1p-60 })
    }

    func testSubtractIsErrorFreeInEveryVariant() {
        for baseline in [true, false] {
            msh_kernels_prefer_baseline(baseline ? 1 : 0)
            for count in [0, 1, 3, 4, 5, 8, 1001] {
                let (column, h0, l0) = data(count, seed: UInt64(count))
                let b = DoubleDouble(1.2345678901234567) + 3.3e-17
                var (h, l) = (h0, l0)
                msh_dd_subtract(column, b.hi, b.lo, &h, &l, count)
                for i in 0 ..< count {
                    let product = ErrorFree.product(column[i], b.hi), difference = ErrorFree.sum(h0[i], -product.product)
                    XCTAssertEqual(h[i].bitPattern, difference.sum.bitPattern, "baseline \(baseline), row \(i) of \(count)")
                    let expected = l0[i] + ((difference.error - product.error) - column[i] * b.lo)
                    XCTAssertEqual(l[i].bitPattern, expected.bitPattern, "baseline \(baseline), row \(i) of \(count)")
                }
            }
        }
    }

    func testDotLanesAreErrorFreeInEveryVariant() {
        for baseline in [true, false] {
            msh_kernels_prefer_baseline(baseline ? 1 : 0)
            for count in [0, 1, 3, 4, 7, 1003] {
                let (column, h, l) = data(count, seed: 100 + UInt64(count))
                var sums = [Double](repeating: .nan, count: 5), errors = sums
                msh_dd_dot(column, h, l, count, &sums, &errors)
                // Lane k takes rows k, k + 4, … of the whole groups of four; the rest the rows after.
                var expected = [(sum: Double, error: Double)](repeating: (0, 0), count: 5)
                for i in 0 ..< count {
                    let lane = i < count / 4 * 4 ? i % 4 : 4
                    let product = ErrorFree.product(column[i], h[i]), partial = ErrorFree.sum(expected[lane].sum, product.product)
                    expected[lane] = (partial.sum, expected[lane].error + ((partial.error + product.error) + column[i] * l[i]))
                }
                XCTAssertEqual(sums.map(\.bitPattern), expected.map(\.sum.bitPattern), "baseline \(baseline), \(count) rows")
                XCTAssertEqual(errors.map(\.bitPattern), expected.map(\.error.bitPattern), "baseline \(baseline), \(count) rows")
            }
        }
    }
}

/// Xᵀ diag(w) X by the Gram kernel in blocks and chunks, against the sums written out, for
/// column counts on and off the kernel's multiple of four, row counts across blocks and chunks,
/// with and without the extra column, in the CPU's variant and the baseline one.
final class WeightedGramTests: XCTestCase {
    override func tearDown() {
        msh_kernels_prefer_baseline(0)
    }

    func testWeightedGramEqualsTheSumsWrittenOut() throws {
        var generator = Xoshiro256StarStar(seed: 5)
        func value() -> Double { Double(generator.bounded(1 << 30)) / Double(1 << 29) - 1 }
        for baseline in [true, false] {
            msh_kernels_prefer_baseline(baseline ? 1 : 0)
            for (rows, columns) in [(1, 1), (3, 2), (5, 3), (4097, 4), (4099, 5), (70_001, 6), (65_541, 8), (9000, 21)] {
                let x = Matrix(rows: rows, columns: columns, values: (0 ..< rows * columns).map { _ in value() })
                let weights = (0 ..< rows).map { _ in 1 + value() }
                let extra = (0 ..< rows).map { _ in value() }
                var accumulator = WeightedGramAccumulator(columns: columns, extraColumn: true)
                _ = try x.withColumnPointers { x in
                    try accumulator.addRows(of: x) { block, blockWeights, response in
                        for (k, i) in block.enumerated() { blockWeights[k] = weights[i]; response![k] = extra[i] }
                    }
                }
                let plain = try weightedGram(x, weights: weights), augmented = accumulator.result
                let size = columns + 1
                func column(_ j: Int) -> [Double] { j < columns ? Array(x.values[j * rows ..< (j + 1) * rows]) : extra }
                for a in 0 ..< size {
                    for b in 0 ..< size {
                        let (u, v) = (column(a), column(b))
                        let expected = (0 ..< rows).reduce(0.0) { $0 + weights[$1] * u[$1] * v[$1] }
                        let scale = (0 ..< rows).reduce(0.0) { $0 + weights[$1] * abs(u[$1] * v[$1]) }
                        XCTAssertEqual(augmented[a, b], expected, accuracy: 1e-13 * scale, "baseline \(baseline), \(rows)×\(columns) [\(a), \(b)]")
                        if a < columns && b < columns { XCTAssertEqual(plain[a, b], expected, accuracy: 1e-13 * scale) }
                    }
                }
            }
        }
    }
}

/// The Gram kernel itself, for any column count and in both variants: each upper-triangle
/// entry gets its weighted sum of products (small integers keep every sum exact, so the
/// kernel's order must give it exactly), and no other entry of the matrix is touched.
final class GramKernelTests: XCTestCase {
    override func tearDown() {
        msh_kernels_prefer_baseline(0)
    }

    func testEntriesAreLaneSumsAndNothingElseIsWritten() {
        var generator = Xoshiro256StarStar(seed: 11)
        for baseline in [true, false] {
            msh_kernels_prefer_baseline(baseline ? 1 : 0)
            for (rows, count) in [(0, 1), (3, 1), (9, 2), (13, 3), (4099, 5), (17, 6), (21, 7), (64, 9)] {
                let columns = (0 ..< count).map { _ in (0 ..< rows).map { _ in Double(generator.bounded(64)) - 32 } }
                let weights = (0 ..< rows).map { _ in Double(generator.bounded(8)) }
                let size = count + 2, sentinel = 0.5
                for weighed in [false, true] {
                    var gram = [Double](repeating: sentinel, count: size * size)
                    DesignColumns(rows: rows, columns: columns).withPointers { x in
                        weights.withUnsafeBufferPointer { w in
                            msh_gram_add(x.columns.map(Optional.init), weighed ? w.baseAddress : nil, rows, count, &gram, size)
                        }
                    }
                    for b in 0 ..< size {
                        for a in 0 ..< size {
                            guard a <= b, b < count else {
                                XCTAssertEqual(gram[a + b * size], sentinel, "\(rows)×\(count) [\(a), \(b)] written")
                                continue
                            }
                            var lanes = [0.0, 0, 0, 0], rest = 0.0
                            for k in 0 ..< rows {
                                let term = (weighed ? weights[k] : 1) * columns[a][k] * columns[b][k]
                                if k < rows / 4 * 4 { lanes[k % 4] += term } else { rest += term }
                            }
                            XCTAssertEqual(gram[a + b * size], sentinel + (((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + rest),
                                           "baseline \(baseline), weighed \(weighed), \(rows)×\(count) [\(a), \(b)]")
                        }
                    }
                }
            }
        }
    }
}

/// The IRLS rows' kernels against the Swift they replaced: the linear predictor bit for bit in
/// both variants; the binomial rows bit for bit in the baseline (libm's exp and log, as Swift's)
/// and within a few ulps where libmvec's four-lane exp and log run.
final class IRLSKernelsTests: XCTestCase {
    override func tearDown() {
        msh_kernels_prefer_baseline(0)
    }

    private static func values(_ count: Int, seed: UInt64, scale: Double) -> [Double] {
        var generator = Xoshiro256StarStar(seed: seed)
        return (0 ..< count).map { _ in (Double(generator.bounded(1 << 40)) / Double(1 << 39) - 1) * scale }
    }

    func testAddProductsIsTheLoopWrittenOut() {
        for baseline in [true, false] {
            msh_kernels_prefer_baseline(baseline ? 1 : 0)
            for (rows, count) in [(0, 3), (1, 1), (7, 2), (8, 5), (4099, 21)] {
                let columns = (0 ..< count).map { Self.values(rows, seed: UInt64($0 + 1), scale: 3) }
                let coefficients = Self.values(count, seed: 99, scale: 2)
                var out = Self.values(rows, seed: 7, scale: 1), expected = out
                for i in 0 ..< rows { for j in 0 ..< count { expected[i] = expected[i] + columns[j][i] * coefficients[j] } }
                DesignColumns(rows: rows, columns: columns).withPointers { x in
                    msh_add_products(x.columns.map(Optional.init), coefficients, count, rows, &out)
                }
                XCTAssertEqual(out, expected, "baseline \(baseline), \(rows) × \(count)")
            }
        }
    }

    func testBinomialRowsAreRsFamilyArithmetic() {
        // η across the clamps at ±30, with y of both values.
        let eta = Self.values(1027, seed: 5, scale: 40) + [-30, 30, -30.5, 30.5, 0]
        let y = (0 ..< eta.count).map { Double($0 % 3 == 0 ? 1 : 0) }
        for baseline in [true, false] {
            msh_kernels_prefer_baseline(baseline ? 1 : 0)
            let n = eta.count
            var mu = [Double](repeating: 0, count: n), derivative = mu, weights = mu, residuals = mu
            let deviance = msh_binomial_rows(eta, y, &mu, &derivative, &weights, &residuals, n)
            var expectedDeviance = 0.0
            for i in 0 ..< n {
                let (m, d) = Binomial.fittedValue(eta[i])
                expectedDeviance += Binomial.devianceTerm(y[i], m)
                let ulps = baseline ? 0.0 : 8
                for (got, want, what) in [(mu[i], m, "μ"), (derivative[i], d, "μ′")] {
                    XCTAssertEqual(got, want, accuracy: ulps * want.ulp, "baseline \(baseline), \(what) at η = \(eta[i])")
                }
                // The working values are R's expressions of the row's μ and μ′ (which amplify
                // their few ulps, so compare them with those of the kernel's own μ and μ′).
                let (w, r) = Binomial.working(y[i], mu[i], derivative[i])
                XCTAssertEqual(weights[i], w, "baseline \(baseline), w at η = \(eta[i])")
                XCTAssertEqual(residuals[i], r, "baseline \(baseline), r at η = \(eta[i])")
            }
            XCTAssertEqual(deviance, expectedDeviance, accuracy: 1e-13 * expectedDeviance, "baseline \(baseline)")
            // Without buffers for the working values, the rest is the same.
            var mu2 = mu, derivative2 = derivative
            XCTAssertEqual(msh_binomial_rows(eta, y, &mu2, &derivative2, nil, nil, n), deviance)
            XCTAssertEqual(mu2, mu)
        }
    }
}

/// The profile's and the cross-products' kernels against the loops written out.
final class ProfileKernelsTests: XCTestCase {
    override func tearDown() {
        msh_kernels_prefer_baseline(0)
    }

    /// Counts above each edge and of the values present, exact in both variants, at ragged
    /// lengths, with NaN (in no count), ties at the edges and infinities.
    func testCountsAboveEachEdgeAreExactInEveryVariant() {
        var generator = Xoshiro256StarStar(seed: 11)
        let edges: [Double] = [-1, 0, 0.5, 2]
        for baseline in [true, false] {
            msh_kernels_prefer_baseline(baseline ? 1 : 0)
            for count in [0, 1, 3, 4, 5, 9, 1003] {
                let values = (0 ..< count).map { _ -> Double in
                    switch generator.bounded(10) {
                    case 0: .nan
                    case 1: edges[Int(generator.bounded(4))]
                    case 2: generator.bounded(2) == 0 ? .infinity : -.infinity
                    default: Double(generator.bounded(1000)) / 200 - 2.5
                    }
                }
                var above = [Int](repeating: -1, count: edges.count), present = -1
                msh_count_above(values, count, edges, edges.count, &above, &present)
                XCTAssertEqual(present, values.filter { !$0.isNaN }.count, "\(count) values")
                XCTAssertEqual(above, edges.map { edge in values.filter { $0 > edge }.count }, "\(count) values")
                msh_count_above(values, count, [], 0, &above, &present)
                XCTAssertEqual(present, values.filter { !$0.isNaN }.count)
            }
        }
    }

    /// The centred copy subtracts the mean of the values summed in eight lanes, lane k taking
    /// values k, k + 8, … of the whole eights, then the rest in order.
    func testCentreSubtractsTheLaneSummedMean() {
        var generator = Xoshiro256StarStar(seed: 5)
        for count in [0, 1, 7, 8, 9, 17, 1003] {
            let values = (0 ..< count).map { _ in Double(generator.bounded(1 << 40)) / 0x1p20 - 1e6 }
            var lanes = [Double](repeating: 0, count: 8)
            let whole = count / 8 * 8
            for i in 0 ..< whole { lanes[i % 8] += values[i] }
            let paired = (0 ..< 4).map { lanes[$0] + lanes[$0 + 4] }
            var sum = (paired[0] + paired[1]) + (paired[2] + paired[3])
            for value in values[whole...] { sum += value }
            let mean = count > 0 ? sum / Double(count) : 0
            var out = [Double](repeating: .nan, count: count)
            XCTAssertEqual(msh_centre(values, count, &out), mean, "\(count) values")
            XCTAssertEqual(out, values.map { $0 - mean })
        }
    }
}
