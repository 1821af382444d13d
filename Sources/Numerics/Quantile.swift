/// Sample quantiles.
public enum Quantile {
    /// The p-quantile of already sorted values by R's default rule (type 7: linear
    /// interpolation between order statistics at (n − 1)p). NaN for no values.
    public static func type7(sorted values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let h = Double(values.count - 1) * p
        let below = Int(h.rounded(.down))
        let above = min(below + 1, values.count - 1)
        let fraction = h - Double(below)
        // On an order statistic, or between equal ones, no interpolation: 0 × Inf would be NaN.
        if fraction == 0 || values[below] == values[above] { return values[below] }
        return values[below] + fraction * (values[above] - values[below])
    }
}
