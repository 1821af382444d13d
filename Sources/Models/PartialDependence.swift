import Diagnostics
import Numerics
import Tabular

/// The average prediction when one feature is set to each value of a grid for every row
/// (scikit-learn's partial_dependence, method "brute"): numeric features on `points` values
/// evenly spaced from the 5th to the 95th percentile of the data (scipy's mquantiles) (or the distinct values, when
/// fewer), categorical ones at each level. Regression averages the predicted value;
/// classification each class's probability. Rows without a prediction are left out.
public struct PartialDependence: Sendable {
    public let feature: String
    public let grid: [String]
    /// Per output (the value, or each class), the average at each grid point.
    public let outputs: [String]
    public let averages: [[Double]]

    public init(model: Model, data: Dataset, feature: String, points: Int) throws {
        guard let schema = model.schema.features.first(where: { $0.name == feature }) else {
            throw ModelshError.usage("'\(feature)' is not a feature of the model" + EditDistance.didYouMean(feature, among: model.schema.features.map(\.name)),
                                     argument: "feature")
        }
        let column = try data.requireColumn(feature)
        let n = data.rowCount
        var columns: [Column] = []
        if let levels = schema.levels {
            grid = levels
            columns = levels.indices.map { Column.categorical(feature, codes: [Int](repeating: $0, count: n), levels: levels) }
        } else {
            let values = (column.numbers ?? []).enumerated().filter { !column.isMissing($0.offset) }.map(\.element)
            guard !values.isEmpty else { throw ModelshError.data("'\(feature)' has no values in the data") }
            let distinct = Array(Set(values)).sorted()
            let numbers: [Double]
            if distinct.count <= points {
                numbers = distinct
            } else {
                let ends = Self.mquantiles(RadixSort.sorted(values), [0.05, 0.95])
                numbers = (0 ..< points).map { ends[0] + (ends[1] - ends[0]) * Double($0) / Double(points - 1) }
            }
            grid = numbers.map { NumberFormat.significant($0, digits: 4) }
            columns = numbers.map { Column.numeric(feature, [Double](repeating: $0, count: n)) }
        }
        outputs = model.task == .regression ? ["prediction"] : model.schema.classes
        var averages = [[Double]](repeating: [], count: outputs.count)
        for replaced in columns {
            let prediction = try model.predict(on: data.adding(replaced))
            let series: [[Double]] = switch prediction {
            case .values(let values): [values]
            case .classes(let classes): classes.probabilities
            default: throw ModelshError.usage("partial dependence needs a model that predicts a target", argument: "feature")
            }
            for (k, values) in series.enumerated() {
                let present = values.filter { !$0.isNaN }
                averages[k].append(present.isEmpty ? .nan : present.reduce(0, +) / Double(present.count))
            }
            try Interruption.check()
        }
        self.feature = feature
        self.averages = averages
    }

    /// scipy's mquantiles with its defaults (alphap = betap = 0.4),
    /// which scikit-learn uses for the grid's percentiles.
    static func mquantiles(_ sorted: [Double], _ probabilities: [Double]) -> [Double] {
        let n = Double(sorted.count)
        return probabilities.map { p in
            let aleph = n * p + (0.4 + 0.2 * p)
            let k = min(max(aleph.rounded(.down), 1), n - 1)
            let gamma = min(max(aleph - k, 0), 1)
            return sorted.count == 1 ? sorted[0] : (1 - gamma) * sorted[Int(k) - 1] + gamma * sorted[Int(k)]
        }
    }
}
