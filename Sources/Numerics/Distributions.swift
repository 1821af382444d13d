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
    /// Φ(x) = ½ erfc(−x/√2). The C library's erfc keeps its relative accuracy far into the
    /// upper tail (glibc: a few ulps), so neither tail cancels as 1 − ½ erfc(x/√2) would.
    public static func cdf(_ x: Double) -> Double {
        0.5 * erfc(-x / 2.0.squareRoot())
    }

    /// P(|Z| > |z|) = erfc(|z|/√2), the two-sided p-value of a z statistic (R's 2·pnorm(−|z|)).
    public static func twoSidedPValue(_ z: Double) -> Double {
        erfc(abs(z) / 2.0.squareRoot())
    }
}
