/// One feature of a tree or boosting engine's input, as the model contract prepares it: numbers
/// with NaN for a missing value, or level indices in `0 ..< count` with −1 for a missing level.
/// Trees route missing values and split levels natively (a subset of levels goes left), so
/// neither is imputed nor one-hot encoded before it gets here.
public enum FeatureColumn: Sendable {
    case numbers([Double])
    case levels([Int], count: Int)
}
