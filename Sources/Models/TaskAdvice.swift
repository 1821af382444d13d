import Numerics
import Tabular

extension Model {
    /// Targets with this many distinct whole numbers or fewer look like class codes (R's
    /// randomForest warns at the same count).
    static let fewTargetValues = 5

    /// A warning for a regression fitted, by inference, on an integer target with so few
    /// values that they are probably class codes (0/1, 1/2/3): the kind could classify, and
    /// the user did not say `task=`. nil when nothing looks amiss.
    public func fewValuedTargetWarning(trainingData data: Dataset) -> String? {
        guard task == .regression, ModelCatalogue.kind(named: kind)?.tasks.contains(.classification) == true,
              let name = schema.target?.name, let column = data.column(named: name), column.type == .integer,
              case .numbers(let values) = column.storage else { return nil }
        var distinct = Set<Double>()
        for row in 0 ..< column.count where !column.isMissing(row) {
            distinct.insert(values[row])
            if distinct.count > Self.fewTargetValues { return nil }
        }
        guard distinct.count > 1 else { return nil }
        let listed = distinct.sorted().map { NumberFormat.shortest($0) }.joined(separator: ", ")
        return "target '\(name)' is an integer with only \(distinct.count) values (\(listed)), fitted as a quantity; task=classification fits classes"
    }
}
