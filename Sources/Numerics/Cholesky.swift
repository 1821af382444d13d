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

    /// The upper triangular R with RᵀR = A (U D for S = UᵀU and D = √diag A); zeros below.
    var upperFactor: Matrix {
        var result = Matrix(rows: size, columns: size)
        for j in 0 ..< size { for i in 0 ... j { result[i, j] = factor[j * size + i] * scale[j] } }
        return result
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
