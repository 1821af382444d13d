import Foundation

/// Deterministic number formatting for every printed figure, so transcripts can be checked.
/// All go through C's printf (correctly rounded by glibc) or Swift's shortest round-trip form.
public enum NumberFormat {
    /// The shortest text that reads back as the same Double; integral values without ".0".
    public static func shortest(_ x: Double) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x < 0 ? "-Inf" : "Inf" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }

    /// How many significant digits `significant` gives when a caller does not say: 7 (R's
    /// default), or what `set digits=N` chose for the command that is running.
    @TaskLocal public static var defaultDigits = 7

    /// `digits` significant digits (by default `defaultDigits`), trailing zeros dropped, as `%g` does.
    public static func significant(_ x: Double, digits: Int = NumberFormat.defaultDigits) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x < 0 ? "-Inf" : "Inf" }
        if x == 0 { return "0" }
        return String(format: "%.\(digits)g", x)
    }

    /// `significant`, but R's NA for a figure that is not defined (NaN), as R prints an
    /// aliased term's estimate or a test without residual degrees of freedom.
    public static func figure(_ x: Double, digits: Int = NumberFormat.defaultDigits) -> String {
        x.isNaN ? "NA" : significant(x, digits: digits)
    }

    /// A fixed number of decimals, as `%.Nf`.
    public static func fixed(_ x: Double, decimals: Int) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x < 0 ? "-Inf" : "Inf" }
        let text = String(format: "%.\(decimals)f", x)
        // "-0.000" reads as a sign where there is none.
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { return String(text.dropFirst()) }
        return text
    }

    /// A p-value as R prints it: significant digits, or "< 2.2e-16" below machine precision.
    public static func pValue(_ p: Double, digits: Int = 4) -> String {
        if p.isNaN { return "NaN" }
        if p < 2.220446049250313e-16 { return "< 2.2e-16" }
        return significant(p, digits: digits)
    }

    /// A duration in seconds with millisecond resolution, e.g. "0.123 s".
    public static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return fixed(Double(seconds) + Double(attoseconds) * 1e-18, decimals: 3) + " s"
    }

    /// A byte count for people: "812 B", "7.3 KiB", "1.5 MiB", "2.0 GiB" (powers of 1024).
    public static func bytes(_ count: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count), unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) B" : "\(fixed(value, decimals: 1)) \(units[unit])"
    }
}
