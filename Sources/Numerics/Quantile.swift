/// Sample quantiles.
public enum Quantile {
    /// The p-quantile of already sorted values by R's default rule (type 7: linear
    /// interpolation between order statistics at (n − 1)p). NaN for no values.
    public static func type7(sorted values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let h = Double(values.count - 1) * p
        let below = Int(h.rounded(.down))
        let above = min(below + 1, values.count - 1)
        return values[below] + (h - Double(below)) * (values[above] - values[below])
    }
}
