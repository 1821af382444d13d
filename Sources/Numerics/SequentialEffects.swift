/// The effects of a least-squares fit, as R's qr(X)$effects holds them: Rb for the upper
/// triangular R with RᵀR = XᵀX and the estimates b, one per design column in order. Each
/// effect's square is the fall in the residual sum of squares that its column brings after the
/// columns before it, so sums of them make R's sequential (type I) analysis of variance.
public enum SequentialEffects {
    /// From the unscaled covariance (XᵀX)⁻¹ (k × k, of full rank) and the k estimates; nil when
    /// the covariance is not numerically positive definite.
    public static func effects(unscaledCovariance: [Double], estimates: [Double]) -> [Double]? {
        let k = estimates.count
        precondition(unscaledCovariance.count == k * k, "a k × k covariance for k estimates")
        guard let covariance = Cholesky(Matrix(rows: k, columns: k, values: unscaledCovariance)),
              let crossProducts = Cholesky(covariance.inverse()) else { return nil }
        let r = crossProducts.upperFactor
        return (0 ..< k).map { i in (i ..< k).reduce(0) { $0 + r[i, $1] * estimates[$1] } }
    }
}
