import CLapack

/// The effects of a least-squares fit, as R's qr(X)$effects holds them: Rb for the upper
/// triangular R with RᵀR = XᵀX and the estimates b, one per design column in order. Each
/// effect's square is the fall in the residual sum of squares that its column brings after the
/// columns before it, so sums of them make R's sequential (type I) analysis of variance.
public enum SequentialEffects {
    /// From the unscaled covariance C = (XᵀX)⁻¹ (k × k, of full rank) and the k estimates; nil
    /// when C is not numerically positive definite. C = R⁻¹R⁻ᵀ, so R⁻¹ is C's factor with the
    /// triangle the other way round: Cholesky of C with rows and columns reversed (PCP = LLᵀ,
    /// R⁻¹ = PLP), then Rb by a triangular solve. Inverting C instead would square its
    /// condition number.
    public static func effects(unscaledCovariance: [Double], estimates: [Double]) -> [Double]? {
        let k = estimates.count
        precondition(unscaledCovariance.count == k * k, "a k × k covariance for k estimates")
        guard k > 0 else { return [] }
        var reversed = [Double](repeating: 0, count: k * k)
        for j in 0 ..< k { for i in 0 ..< k { reversed[j * k + i] = unscaledCovariance[(k - 1 - j) * k + (k - 1 - i)] } }
        let lower = Int8(UInt8(ascii: "L"))
        guard LAPACKE_dpotrf(LAPACK_COL_MAJOR, lower, Int32(k), &reversed, Int32(k)) == 0 else { return nil }
        // R b = P L⁻¹ P b.
        var x = Array(estimates.reversed())
        guard LAPACKE_dtrtrs(LAPACK_COL_MAJOR, lower, Int8(UInt8(ascii: "N")), Int8(UInt8(ascii: "N")), Int32(k), 1,
                             reversed, Int32(k), &x, Int32(k)) == 0 else { return nil }
        return x.reversed()
    }
}
