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
        let blockRows = min(n, max(64, 65_536 / p))
        var gram = [Double](repeating: 0, count: p * p)
        var xty = [Double](repeating: 0, count: p)
        var means = [Double](repeating: 0, count: p)
        var yy = 0.0, yMean = 0.0
        let block = UnsafeMutablePointer<Double>.allocate(capacity: blockRows * p)
        let yBlock = UnsafeMutablePointer<Double>.allocate(capacity: blockRows)
        defer { block.deallocate(); yBlock.deallocate() }
        let ones = [Double](repeating: 1, count: blockRows)
        var delta = [Double](repeating: 0, count: p)  // the block's means, then less the running means

        try x.values.withUnsafeBufferPointer { xs in
            try y.withUnsafeBufferPointer { ys in
                var start = 0
                while start < n {
                    try Interruption.check()
                    let m = min(blockRows, n - start), m32 = Int32(m)
                    // Each column's block mean (zero when not centring), then its centred copy.
                    for j in 0 ..< p {
                        let source = xs.baseAddress! + j * n + start, column = block + j * m
                        let mean = centred ? cblas_ddot(m32, source, 1, ones, 1) / Double(m) : 0
                        for i in 0 ..< m { column[i] = source[i] - mean }
                        delta[j] = mean
                    }
                    let ySource = ys.baseAddress! + start
                    let yBlockMean = centred ? cblas_ddot(m32, ySource, 1, ones, 1) / Double(m) : 0
                    for i in 0 ..< m { yBlock[i] = ySource[i] - yBlockMean }
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

/// The mean of each column of X (Xᵀ1/n).
func columnMeans(_ x: Matrix) -> [Double] {
    let ones = [Double](repeating: 1, count: x.rows)
    var means = [Double](repeating: 0, count: x.columns)
    cblas_dgemv(CblasColMajor, CblasTrans, Int32(x.rows), Int32(x.columns), 1 / Double(x.rows), x.values, Int32(x.rows),
                ones, 1, 0, &means, 1)
    return means
}

/// X − 1μᵀ, column-major: for the solvers that need the centred columns themselves.
func subtractingColumnMeans(_ x: Matrix, _ means: [Double]) -> [Double] {
    var values = x.values
    for j in 0 ..< x.columns where means[j] != 0 {
        for i in j * x.rows ..< (j + 1) * x.rows { values[i] -= means[j] }
    }
    return values
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
