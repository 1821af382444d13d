import Foundation

/// Student's t distribution with ν degrees of freedom (ν > 0, not necessarily an integer).
public enum StudentT {
    /// P(T > |t|) · 2, the two-sided p-value of a t statistic: I_{ν/(ν+t²)}(ν/2, ½).
    public static func twoSidedPValue(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        if t.isNaN || nu.isNaN || nu <= 0 { return .nan }
        return tails(t, nu).lower
    }

    /// P(T > t).
    public static func upperTail(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        if t.isNaN || nu.isNaN || nu <= 0 { return .nan }
        let beyond = tails(t, nu).lower / 2  // P(T > |t|)
        return t >= 0 ? beyond : 1 - beyond
    }

    /// P(T ≤ t).
    public static func cdf(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        upperTail(-t, degreesOfFreedom: nu)
    }

    /// The t with P(T ≤ t) = p, e.g. `quantile(0.975, ν)` for a 95% confidence interval.
    /// Newton's method on the log tail, kept inside a bracket; ~1e-14 relative accuracy.
    public static func quantile(_ p: Double, degreesOfFreedom nu: Double) -> Double {
        if p.isNaN || nu.isNaN || nu <= 0 || p < 0 || p > 1 { return .nan }
        if p == 0.5 { return 0 }
        let tail = min(p, 1 - p)
        let logDensityConstant = -0.5 * log(nu) - SpecialFunctions.logBeta(nu / 2, 0.5)
        let t = TailInversion.solve(tail: tail,
                                    upperTail: { upperTail($0, degreesOfFreedom: nu) },
                                    density: { exp(logDensityConstant - (nu + 1) / 2 * log1p($0 * $0 / nu)) })
        return p < 0.5 ? -t : t
    }

    /// I_x(ν/2, ½) with x = ν/(ν+t²) and its complement, x and 1 − x each computed directly.
    private static func tails(_ t: Double, _ nu: Double) -> (lower: Double, upper: Double) {
        if t.isInfinite { return (0, 1) }
        let t2 = t * t
        return SpecialFunctions.incompleteBeta(a: nu / 2, b: 0.5, x: nu / (nu + t2), y: t2 / (nu + t2))
    }
}

/// The F distribution with d₁ (numerator) and d₂ (denominator) degrees of freedom.
public enum FDistribution {
    /// P(F > f) = I_{d₂/(d₂+d₁f)}(d₂/2, d₁/2): the p-value of an F statistic.
    public static func upperTail(_ f: Double, numerator d1: Double, denominator d2: Double) -> Double {
        if f.isNaN || d1.isNaN || d2.isNaN || d1 <= 0 || d2 <= 0 { return .nan }
        if f <= 0 { return 1 }
        if f.isInfinite { return 0 }
        let scaled = d1 * f
        return SpecialFunctions.incompleteBeta(a: d2 / 2, b: d1 / 2, x: d2 / (d2 + scaled), y: scaled / (d2 + scaled)).lower
    }
}

/// The standard normal distribution.
public enum Normal {
    /// Φ(x), from the C library's erfc (no cancellation in either tail).
    public static func cdf(_ x: Double) -> Double {
        0.5 * erfc(-x / 2.0.squareRoot())
    }

    /// The x with Φ(x) = p.
    public static func quantile(_ p: Double) -> Double {
        if p.isNaN || p < 0 || p > 1 { return .nan }
        if p == 0.5 { return 0 }
        let tail = min(p, 1 - p)
        let x = TailInversion.solve(tail: tail,
                                    upperTail: { cdf(-$0) },
                                    density: { exp(-0.5 * $0 * $0) / (2 * Double.pi).squareRoot() })
        return p < 0.5 ? -x : x
    }
}

/// Finds x ≥ 0 with upperTail(x) = tail (0 < tail < ½) for a symmetric distribution.
private enum TailInversion {
    static func solve(tail: Double, upperTail: (Double) -> Double, density: (Double) -> Double) -> Double {
        if tail == 0 { return .infinity }
        // Bracket: upperTail(low) ≥ tail > upperTail(high).
        var low = 0.0, high = 1.0
        while upperTail(high) >= tail {
            low = high
            high *= 2
            if high.isInfinite { return .infinity }
        }
        var x = (low + high) / 2
        let logTarget = log(tail)
        for _ in 0 ..< 200 {
            let q = upperTail(x)
            if q == tail { return x }
            if q > tail { low = x } else { high = x }
            // Newton on log Q(x) − log tail, where (log Q)′ = −f / Q.
            var next = x + (log(q) - logTarget) * q / density(x)
            if !(next > low && next < high) { next = (low + high) / 2 }
            if abs(next - x) <= 4 * Double.ulpOfOne * abs(x) { return next }
            x = next
        }
        return x
    }
}
