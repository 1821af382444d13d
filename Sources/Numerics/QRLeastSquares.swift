import CLapack
import Diagnostics

/// The least-squares solution of X b ≈ y, with what is needed for inference.
public struct LeastSquaresFit: Sendable, Equatable {
    /// One per column of X; NaN where the column is aliased (R's NA).
    public let coefficients: [Double]
    /// True for columns that are (numerically) linear combinations of earlier columns.
    public let aliased: [Bool]
    /// The numerical rank: how many columns are not aliased.
    public let rank: Int
    public let fitted: [Double]
    public let residuals: [Double]
    /// (RᵀR)⁻¹ = (XᵀX)⁻¹ restricted to the non-aliased columns, in their original order
    /// (rank × rank). Times σ², the coefficients' covariance.
    public let unscaledCovariance: Matrix
}

/// Least squares by Householder QR with R's "limited" column pivoting (LINPACK dqrdc2, which
/// R's `lm` uses): columns are taken in their given order, and a column whose norm, after
/// removing its projection on the columns already taken, falls below `tolerance` times its
/// original norm is moved to the end and marked aliased. Unlike LAPACK's dgeqp3 (which
/// pivots on the largest norm), this aliases the later of two collinear columns, so the
/// NA coefficients are the ones R reports. The reflectors are in LAPACK's storage format,
/// so dormqr applies Qᵀ and a triangular solve gives the coefficients: never the normal
/// equations, whose condition number is the square of X's.
///
/// Cost: O(n p²) flops for n rows and p columns (BLAS level 2 per column).
public enum QRLeastSquares {
    /// R's `lm` default (`tol = 1e-7` in `lm.fit`).
    public static let defaultTolerance = 1e-7

    /// Throws only when interrupted (Ctrl-C), checked once per column.
    public static func fit(_ x: Matrix, _ y: [Double], tolerance: Double = defaultTolerance) throws -> LeastSquaresFit {
        precondition(x.rows > 0 && y.count == x.rows, "y must have one value per row of X, and X at least one row")
        let factor = try PivotedQR(x, tolerance: tolerance)
        let n = x.rows, rank = factor.rank

        // Qᵀy; its first `rank` entries give the coefficients, the rest the residuals.
        var qty = y
        factor.applyQ(transposed: true, to: &qty)
        var solution = Array(qty[0 ..< rank])
        if rank > 0 {
            cblas_dtrsv(CblasColMajor, CblasUpper, CblasNoTrans, CblasNonUnit, Int32(rank), factor.a, Int32(n), &solution, 1)
        }
        var residuals = qty
        for i in 0 ..< rank { residuals[i] = 0 }
        factor.applyQ(transposed: false, to: &residuals)
        let fitted = zip(y, residuals).map { $0 - $1 }

        var coefficients = [Double](repeating: .nan, count: x.columns)
        var aliased = [Bool](repeating: true, count: x.columns)
        for (position, column) in factor.order.prefix(rank).enumerated() {
            coefficients[column] = solution[position]
            aliased[column] = false
        }
        return LeastSquaresFit(coefficients: coefficients, aliased: aliased, rank: rank, fitted: fitted,
                               residuals: residuals, unscaledCovariance: factor.unscaledCovariance())
    }
}

/// The factorisation X P = Q R, with Q held as Householder reflectors below R's diagonal.
struct PivotedQR {
    private(set) var a: [Double]
    private(set) var tau: [Double]
    /// order[position] = the original index of the column now at `position`.
    private(set) var order: [Int]
    private(set) var rank = 0
    let rows: Int

    init(_ x: Matrix, tolerance: Double) throws {
        let n = x.rows, p = x.columns
        rows = n
        a = x.values
        tau = [Double](repeating: 0, count: min(n, p))
        order = Array(0 ..< p)
        // A zero column has threshold `tolerance`, so it is aliased as R does it.
        var thresholds = (0 ..< p).map { j -> Double in
            let norm = x.values.withUnsafeBufferPointer { cblas_dnrm2(Int32(n), $0.baseAddress! + j * n, 1) }
            return tolerance * (norm == 0 ? 1 : norm)
        }
        var kept = p  // columns at positions >= kept are aliased
        var l = 0
        while l < min(n, kept) {
            try Interruption.check()
            let remaining = a.withUnsafeBufferPointer { cblas_dnrm2(Int32(n - l), $0.baseAddress! + l * n + l, 1) }
            if remaining < thresholds[l] {
                moveColumnToEnd(l)
                thresholds.append(thresholds.remove(at: l))
                kept -= 1
                continue
            }
            reflect(column: l, through: kept)
            l += 1
        }
        rank = l
    }

    private mutating func moveColumnToEnd(_ position: Int) {
        let n = rows
        let column = Array(a[position * n ..< (position + 1) * n])
        a.removeSubrange(position * n ..< (position + 1) * n)
        a.append(contentsOf: column)
        order.append(order.remove(at: position))
    }

    /// Makes the Householder reflector that zeroes column l below the diagonal and applies it
    /// to columns l+1 ..< end (later columns are aliased and never used).
    private mutating func reflect(column l: Int, through end: Int) {
        let n = rows, length = n - l
        a.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            let diagonal = base + l * n + l
            _ = LAPACKE_dlarfg(Int32(length), diagonal, diagonal + 1, 1, &tau[l])
            let trailing = end - l - 1
            guard trailing > 0, tau[l] != 0 else { return }
            // H = I - τ v vᵀ with v = (1, entries below the diagonal): w = Aᵀv, A -= τ v wᵀ.
            let beta = diagonal.pointee
            diagonal.pointee = 1
            var w = [Double](repeating: 0, count: trailing)
            let block = base + (l + 1) * n + l
            cblas_dgemv(CblasColMajor, CblasTrans, Int32(length), Int32(trailing), 1, block, Int32(n), diagonal, 1, 0, &w, 1)
            cblas_dger(CblasColMajor, Int32(length), Int32(trailing), -tau[l], diagonal, 1, w, 1, block, Int32(n))
            diagonal.pointee = beta
        }
    }

    /// v ← Qᵀ v (transposed) or Q v, for a vector of length `rows`.
    func applyQ(transposed: Bool, to v: inout [Double]) {
        guard rank > 0 else { return }
        let trans = Int8(UInt8(ascii: transposed ? "T" : "N"))
        let status = LAPACKE_dormqr(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")), trans, Int32(rows), 1, Int32(rank),
                                    a, Int32(rows), tau, &v, Int32(rows))
        precondition(status == 0, "dormqr failed with status \(status)")
    }

    /// R⁻¹R⁻ᵀ for the leading rank × rank block of R.
    func unscaledCovariance() -> Matrix {
        let k = rank
        var inverse = [Double](repeating: 0, count: k * k)
        for j in 0 ..< k { for i in 0 ... j { inverse[j * k + i] = a[j * rows + i] } }
        if k > 0 {
            let status = LAPACKE_dtrtri(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), Int8(UInt8(ascii: "N")), Int32(k), &inverse, Int32(k))
            precondition(status == 0, "dtrtri failed on a full-rank R (status \(status))")
        }
        var covariance = Matrix(rows: k, columns: k)
        for i in 0 ..< k {
            for j in i ..< k {
                var sum = 0.0
                for m in j ..< k { sum += inverse[m * k + i] * inverse[m * k + j] }
                covariance[i, j] = sum
                covariance[j, i] = sum
            }
        }
        return covariance
    }
}
