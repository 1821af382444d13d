import CLapack
import Diagnostics

/// The column means of X and y and the sums of squares and cross-products about them — XcᵀXc,
/// Xcᵀyc and ycᵀyc for Xc = X − 1μᵀ, yc = y − ȳ — from one pass over X: everything the penalised
/// least-squares solvers need from data with n ≫ p rows.
///
/// Forming Xc would copy all of X; subtracting n μμᵀ from the raw XᵀX instead loses about
/// log10(1 + μ²/σ²) digits to cancellation. So rows are taken in cache-sized blocks: each block is
/// copied, centred on its own means, accumulated with dsyrk, and merged into the running totals by
/// the pairwise update of Chan, Golub & LeVeque (1979):
/// M ← M + M_B + (c m / (c + m)) δδᵀ with δ = μ_B − μ, for c rows so far and m in the block.
/// Cost: n p² flops (dsyrk, half of XᵀX) plus one copy of X through the cache.
struct CentredCrossProducts {
    let rows: Int
    let columns: Int
    /// Zero when the products are not centred (no intercept).
    let xMeans: [Double]
    let yMean: Double
    /// XcᵀXc, p × p column-major, both triangles filled.
    let gram: [Double]
    /// Xcᵀyc.
    let xty: [Double]
    /// ycᵀyc.
    let yy: Double

    /// Throws `.data` when X or y holds a non-finite value, which shows up as a non-finite
    /// product, and `.interrupted` on Ctrl-C (checked once per block).
    init(_ x: Matrix, _ y: [Double], centred: Bool) throws {
        let n = x.rows, p = x.columns
        let blockRows = min(n, max(64, 16_384 / p))
        var gram = [Double](repeating: 0, count: p * p)
        var xty = [Double](repeating: 0, count: p)
        var means = [Double](repeating: 0, count: p)
        var yy = 0.0, yMean = 0.0
        let block = UnsafeMutablePointer<Double>.allocate(capacity: blockRows * p)
        let yBlock = UnsafeMutablePointer<Double>.allocate(capacity: blockRows)
        defer { block.deallocate(); yBlock.deallocate() }
        let ones = [Double](repeating: 1, count: blockRows)
        var delta = [Double](repeating: 0, count: p)

        try x.values.withUnsafeBufferPointer { xs in
            try y.withUnsafeBufferPointer { ys in
                var start = 0
                while start < n {
                    try Interruption.check()
                    let m = min(blockRows, n - start), m32 = Int32(m)
                    for j in 0 ..< p { (block + j * m).update(from: xs.baseAddress! + j * n + start, count: m) }
                    yBlock.update(from: ys.baseAddress! + start, count: m)
                    var yBlockMean = 0.0
                    if centred {
                        // The block's own means, subtracted from its copy.
                        for j in 0 ..< p {
                            let column = block + j * m
                            delta[j] = cblas_ddot(m32, column, 1, ones, 1) / Double(m)
                            cblas_daxpy(m32, -delta[j], ones, 1, column, 1)
                        }
                        yBlockMean = cblas_ddot(m32, yBlock, 1, ones, 1) / Double(m)
                        cblas_daxpy(m32, -yBlockMean, ones, 1, yBlock, 1)
                    }
                    cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, Int32(p), m32, 1, block, m32, 1, &gram, Int32(p))
                    cblas_dgemv(CblasColMajor, CblasTrans, m32, Int32(p), 1, block, m32, yBlock, 1, 1, &xty, 1)
                    yy += cblas_ddot(m32, yBlock, 1, yBlock, 1)
                    if centred {
                        // δ = block means − running means, then the pairwise merge.
                        for j in 0 ..< p { delta[j] -= means[j] }
                        let yDelta = yBlockMean - yMean
                        let weight = Double(start) * Double(m) / Double(start + m)
                        cblas_dsyr(CblasColMajor, CblasUpper, Int32(p), weight, delta, 1, &gram, Int32(p))
                        cblas_daxpy(Int32(p), weight * yDelta, delta, 1, &xty, 1)
                        yy += weight * yDelta * yDelta
                        let share = Double(m) / Double(start + m)
                        cblas_daxpy(Int32(p), share, delta, 1, &means, 1)
                        yMean += share * yDelta
                    }
                    start += m
                }
            }
        }
        for j in 0 ..< p { for i in j + 1 ..< p { gram[j * p + i] = gram[i * p + j] } }
        guard yy.isFinite, xty.allSatisfy(\.isFinite), (0 ..< p).allSatisfy({ gram[$0 * p + $0].isFinite }) else {
            throw nonFiniteDataError
        }
        rows = n
        columns = p
        xMeans = means
        self.yMean = yMean
        self.gram = gram
        self.xty = xty
        self.yy = yy
    }
}

/// The error for data the penalised solvers cannot use; one wording for all of them.
let nonFiniteDataError = ModelshError.data("X or y holds a value that is not finite (NaN or infinite), or too large to square")

/// Checks what every penalised solver needs of its input: y has one value per row (a caller's
/// bug otherwise), and there is at least one row and one column (the user's data otherwise).
func checkDesign(_ x: Matrix, _ y: [Double]) throws {
    precondition(y.count == x.rows, "y must have one value per row of X")
    guard x.rows > 0 else { throw ModelshError.data("there are no rows to fit") }
    guard x.columns > 0 else { throw ModelshError.data("there are no predictor columns to fit") }
}
