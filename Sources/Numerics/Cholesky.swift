import CLapack
import Diagnostics

/// A symmetric positive definite matrix A, equilibrated to S = D⁻¹AD⁻¹ (D = √diag A, so S has a
/// unit diagonal) and factored as S = UᵀU by LAPACK's dpotrf. The
/// equilibration makes the condition check meaningful: a Cholesky solve's error follows the
/// condition number of S (van der Sluis), not of A, which badly scaled columns inflate without
/// harming the solution.
struct Cholesky {
    let size: Int
    private var factor: [Double]
    private let scale: [Double]
    /// LAPACK's estimate (dpocon) of 1 / κ₁(S).
    let reciprocalCondition: Double

    /// Nil when A is not numerically positive definite, has a zero diagonal entry, or the
    /// equilibrated matrix's reciprocal condition number is below `minimumReciprocalCondition`.
    init?(_ a: Matrix, minimumReciprocalCondition: Double = 0) {
        precondition(a.rows == a.columns, "Cholesky needs a square matrix")
        let k = a.rows
        size = k
        scale = (0 ..< k).map { a[$0, $0].squareRoot() }
        guard scale.allSatisfy({ $0 > 0 && $0.isFinite }) else { return nil }
        var s = a.values
        for j in 0 ..< k { for i in 0 ..< k { s[j * k + i] /= scale[i] * scale[j] } }
        let upper = Int8(UInt8(ascii: "U"))
        let norm = LAPACKE_dlansy(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "1")), upper, Int32(k), s, Int32(k))
        guard k == 0 || LAPACKE_dpotrf(LAPACK_COL_MAJOR, upper, Int32(k), &s, Int32(k)) == 0 else { return nil }
        var rcond = 1.0
        if k > 0 {
            guard LAPACKE_dpocon(LAPACK_COL_MAJOR, upper, Int32(k), s, Int32(k), norm, &rcond) == 0 else { return nil }
        }
        guard rcond >= minimumReciprocalCondition else { return nil }
        factor = s
        reciprocalCondition = rcond
    }

    /// A⁻¹ b.
    func solve(_ b: [Double]) -> [Double] {
        precondition(b.count == size, "right-hand side must have \(size) entries")
        guard size > 0 else { return [] }
        var x = zip(b, scale).map { $0 / $1 }
        let status = LAPACKE_dpotrs(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), Int32(size), 1, factor, Int32(size), &x, Int32(size))
        precondition(status == 0, "dpotrs failed with status \(status)")
        return zip(x, scale).map { $0 / $1 }
    }

    /// A⁻¹, both triangles filled.
    func inverse() -> Matrix {
        let k = size
        var inverse = factor
        if k > 0 {
            let status = LAPACKE_dpotri(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), Int32(k), &inverse, Int32(k))
            precondition(status == 0, "dpotri failed on a factored matrix (status \(status))")
        }
        var result = Matrix(rows: k, columns: k)
        for j in 0 ..< k {
            for i in 0 ... j {
                let value = inverse[j * k + i] / (scale[i] * scale[j])
                result[i, j] = value
                result[j, i] = value
            }
        }
        return result
    }
}

/// Xᵀ diag(w) X for weights w ≥ 0, as one dsyrk per block of rows scaled by √w: BLAS level 3
/// (half the flops of a general product), with memory for one block rather than a scaled copy
/// of X. Checks for Ctrl-C every 64k rows.
///
/// Cost: n p² flops for n rows and p columns.
func weightedGram(_ x: Matrix, weights: [Double]) throws -> Matrix {
    let n = x.rows, p = x.columns
    precondition(weights.count == n, "one weight per row")
    let blockRows = 4096
    var gram = [Double](repeating: 0, count: p * p)
    var block = [Double](repeating: 0, count: min(blockRows, n) * p)
    var roots = [Double](repeating: 0, count: blockRows)
    var start = 0
    while start < n {
        if start % (16 * blockRows) == 0 { try Interruption.check() }
        let rows = min(blockRows, n - start)
        for i in 0 ..< rows { roots[i] = weights[start + i].squareRoot() }
        x.values.withUnsafeBufferPointer { xs in
            block.withUnsafeMutableBufferPointer { b in
                for j in 0 ..< p {
                    let source = xs.baseAddress! + j * n + start, target = b.baseAddress! + j * rows
                    for i in 0 ..< rows { target[i] = source[i] * roots[i] }
                }
            }
        }
        cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, Int32(p), Int32(rows), 1, block, Int32(rows), 1, &gram, Int32(p))
        start += rows
    }
    for j in 0 ..< p { for i in j + 1 ..< p { gram[j * p + i] = gram[i * p + j] } }
    return Matrix(rows: p, columns: p, values: gram)
}

/// X b, by dgemv.
func product(_ x: Matrix, _ b: [Double]) -> [Double] {
    precondition(b.count == x.columns, "one coefficient per column")
    var result = [Double](repeating: 0, count: x.rows)
    if x.rows > 0 && x.columns > 0 {
        cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(x.rows), Int32(x.columns), 1, x.values, Int32(x.rows), b, 1, 0, &result, 1)
    }
    return result
}

/// Xᵀ v, by dgemv.
func transposedProduct(_ x: Matrix, _ v: [Double]) -> [Double] {
    precondition(v.count == x.rows, "one value per row")
    var result = [Double](repeating: 0, count: x.columns)
    if x.rows > 0 && x.columns > 0 {
        cblas_dgemv(CblasColMajor, CblasTrans, Int32(x.rows), Int32(x.columns), 1, x.values, Int32(x.rows), v, 1, 0, &result, 1)
    }
    return result
}
