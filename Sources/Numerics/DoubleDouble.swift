/// A number held as the unevaluated sum `hi + lo` of two doubles with |lo| ≤ ulp(hi) / 2: about
/// 106 significant bits (32 digits) with double's exponent range. Least squares uses it where
/// double's 16 digits are not enough: a factorisation of an ill-conditioned design, whose error
/// grows with the condition number, and residuals, which cancel the digits the data agree in.
///
/// Every operation is built from error-free transformations in plain double arithmetic (Knuth's
/// two-sum, Dekker's product), following Hida, Li and Bailey's QD library ("accurate" addition).
/// The product splits its factors (Veltkamp) rather than using a fused multiply-add: x86-64 Swift
/// builds target a CPU without FMA, where `fma` is a library call (the refinement's long loops are
/// in CKernels, which has an FMA variant). The split overflows for |x| > 2^996 (about 6.7e299): the
/// factorisation scales its columns below 1 first; residuals of data that large come out NaN (on a
/// CPU without FMA).
struct DoubleDouble: Sendable, Equatable, Comparable {
    let hi: Double
    let lo: Double

    init(_ value: Double) {
        hi = value
        lo = 0
    }

    /// A pair known to satisfy |lo| ≤ ulp(hi) / 2.
    fileprivate init(normalised hi: Double, _ lo: Double) {
        self.hi = hi
        self.lo = lo
    }

    static let zero = DoubleDouble(0)

    /// The nearest double.
    var double: Double { hi + lo }

    // MARK: - Error-free transformations

    /// a + b exactly, as the rounded sum and its rounding error (Knuth: any magnitudes).
    @inline(__always)
    static func sum(_ a: Double, _ b: Double) -> DoubleDouble {
        let (s, e) = ErrorFree.sum(a, b)
        return DoubleDouble(normalised: s, e)
    }

    /// a + b exactly when |a| ≥ |b| (or a is zero): three operations instead of six.
    @inline(__always)
    static func quickSum(_ a: Double, _ b: Double) -> DoubleDouble {
        let s = a + b
        return DoubleDouble(normalised: s, b - (s - a))
    }

    /// a · b exactly, as the rounded product and its rounding error.
    @inline(__always)
    static func product(_ a: Double, _ b: Double) -> DoubleDouble {
        let (p, e) = ErrorFree.product(a, b)
        return DoubleDouble(normalised: p, e)
    }

    // MARK: - Arithmetic

    @inline(__always)
    static func + (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble {
        var s = sum(a.hi, b.hi)
        let t = sum(a.lo, b.lo)
        s = quickSum(s.hi, s.lo + t.hi)
        return quickSum(s.hi, s.lo + t.lo)
    }

    @inline(__always)
    static func + (a: DoubleDouble, b: Double) -> DoubleDouble {
        let s = sum(a.hi, b)
        return quickSum(s.hi, s.lo + a.lo)
    }

    @inline(__always)
    static prefix func - (a: DoubleDouble) -> DoubleDouble {
        DoubleDouble(normalised: -a.hi, -a.lo)
    }

    @inline(__always)
    static func - (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble { a + -b }

    @inline(__always)
    static func * (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble {
        let p = product(a.hi, b.hi)
        return quickSum(p.hi, p.lo + (a.hi * b.lo + a.lo * b.hi))
    }

    @inline(__always)
    static func * (a: DoubleDouble, b: Double) -> DoubleDouble {
        let p = product(a.hi, b)
        return quickSum(p.hi, p.lo + a.lo * b)
    }

    /// Long division: three quotient digits, each from the remainder of the previous ones.
    static func / (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble {
        let q1 = a.hi / b.hi
        var r = a - b * q1
        let q2 = r.hi / b.hi
        r = r - b * q2
        let q3 = r.hi / b.hi
        return quickSum(q1, q2) + q3
    }

    static func += (a: inout DoubleDouble, b: DoubleDouble) { a = a + b }

    /// One Newton step from the double square root doubles its 53 bits.
    func squareRoot() -> DoubleDouble {
        guard hi > 0 else { return DoubleDouble(hi.squareRoot()) }
        let root = hi.squareRoot()
        let square = DoubleDouble.product(root, root)
        return DoubleDouble.quickSum(root, ((hi - square.hi - square.lo) + lo) / (2 * root))
    }

    static func < (a: DoubleDouble, b: DoubleDouble) -> Bool {
        a.hi < b.hi || (a.hi == b.hi && a.lo < b.lo)
    }
}

/// Sums and products as a rounded result plus its exact rounding error.
enum ErrorFree {
    /// a + b = sum + error exactly (Knuth: any magnitudes).
    @inline(__always)
    static func sum(_ a: Double, _ b: Double) -> (sum: Double, error: Double) {
        let s = a + b
        let bb = s - a
        return (s, (a - (s - bb)) + (b - bb))
    }

    /// Veltkamp's split of a into a high part of 26 bits and an exact remainder.
    @inline(__always)
    static func split(_ a: Double) -> (high: Double, low: Double) {
        let c = 134_217_729 * a  // 2^27 + 1
        let high = c - (c - a)
        return (high, a - high)
    }

    /// a · b = product + error exactly (Dekker).
    @inline(__always)
    static func product(_ a: Double, _ b: Double) -> (product: Double, error: Double) {
        let p = a * b
        let (ah, al) = split(a), (bh, bl) = split(b)
        return (p, ((ah * bh - p) + ah * bl + al * bh) + al * bl)
    }
}

/// Products of data columns in twice double's precision, for a caller that builds design terms
/// itself (powers x^k, interactions x·z) and hands them to `QRLeastSquares.fit(_:_:lowParts:)`
/// as hi + lo. Why: rounding each power to double moves the least-squares solution of an
/// ill-conditioned polynomial by the condition number times ε (NIST Filip: 1.3e-8, 8 digits of
/// the certificate); carried as hi + lo, the design is the powers of the given x to 32 digits and
/// the fit reproduces the certificate to 14.
public enum ColumnProduct {
    /// Row by row, the product of the factor columns (at least one, all of one length), formed
    /// left to right in double-double: hi is the double nearest to it and lo the remainder
    /// (|lo| ≤ ulp(hi) / 2). Two factors give the product exactly (Dekker's two-product); each
    /// further factor adds a relative error of at most about 2⁻¹⁰⁴. lo is zero where every partial
    /// product is exact in double (small integers, a single factor). Where the double-double product
    /// overflows (a factor beyond 2^996, or a product beyond double's range) or a factor is not
    /// finite, hi is the product in double and lo is zero.
    public static func of(_ factors: [[Double]]) -> (hi: [Double], lo: [Double]) {
        precondition(!factors.isEmpty && factors.allSatisfy { $0.count == factors[0].count },
                     "a product needs at least one factor column, all of one length")
        var hi = factors[0], lo = [Double](repeating: 0, count: hi.count)
        for factor in factors.dropFirst() {
            for i in hi.indices {
                let product = DoubleDouble(normalised: hi[i], lo[i]) * factor[i]
                (hi[i], lo[i]) = (product.hi, product.lo)
            }
        }
        for i in hi.indices where !(hi[i].isFinite && lo[i].isFinite) {
            hi[i] = factors.reduce(1) { $0 * $1[i] }
            lo[i] = 0
        }
        return (hi, lo)
    }
}
