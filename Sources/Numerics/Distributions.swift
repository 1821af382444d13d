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

    /// The t ≥ 0 with P(|T| > t) = `alpha` (R's qt(1 − alpha/2, ν)), for a two-sided interval
    /// at level 1 − alpha; NaN unless 0 < alpha ≤ 1. Bisection on the p-value, which falls
    /// as t grows: as accurate as the p-value itself (about 14 digits), at any ν.
    public static func twoSidedCriticalValue(_ alpha: Double, degreesOfFreedom nu: Double) -> Double {
        guard alpha > 0, alpha <= 1, nu > 0 else { return .nan }
        var low = 0.0, high = max(1, -2 * Normal.quantile(alpha / 4))
        while twoSidedPValue(high, degreesOfFreedom: nu) > alpha { (low, high) = (high, high * 2) }
        while true {
            let middle = low + (high - low) / 2
            guard middle > low, middle < high else { return middle }
            if twoSidedPValue(middle, degreesOfFreedom: nu) > alpha { low = middle } else { high = middle }
        }
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

    /// Φ⁻¹(p), by Wichura's algorithm AS 241 (PPND16, as R's qnorm): about 16 digits over
    /// (0, 1); −∞ at 0, +∞ at 1, NaN outside [0, 1].
    public static func quantile(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        let q = p - 0.5
        if abs(q) <= 0.425 {
            let r = 0.180625 - q * q
            return q * polynomial(r, [3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125,
                                      45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727])
                / polynomial(r, [1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077,
                                 21213.794301586595867, 39307.89580009271061, 28729.085735721942674, 5226.495278852545925])
        }
        var r = (q < 0 ? p : 1 - p)
        r = (-log(r)).squareRoot()
        let value: Double
        if r <= 5 {
            r -= 1.6
            value = polynomial(r, [1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504,
                                   1.27045825245236838258, 0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4])
                / polynomial(r, [1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455,
                                 0.14810397642748007459, 0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9])
        } else {
            r -= 5
            value = polynomial(r, [6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123,
                                   0.026532189526576123093, 0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7])
                / polynomial(r, [1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525,
                                 7.868691311456132591e-4, 1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15])
        }
        return q < 0 ? -value : value
    }

    /// c₀ + c₁x + … by Horner's rule.
    private static func polynomial(_ x: Double, _ coefficients: [Double]) -> Double {
        coefficients.reversed().reduce(0) { $0 * x + $1 }
    }
}
