/// One feature of the rows a tree, forest, booster or clustering engine learns from, as the model
/// contract prepares it: the engines that split or measure on categories natively take features
/// column by column rather than as a one-hot design matrix.
public enum FeatureColumn: Sendable {
    /// Numeric values; NaN where missing.
    case numbers([Double])
    /// Level indices in 0 ..< count; -1 where missing.
    case levels([Int], count: Int)
}
