import Numerics
import Tabular

extension TrainingFrame {
    /// Targets with this many distinct whole numbers or fewer look like class codes (R's
    /// randomForest warns at the same count).
    static let fewTargetValues = 5

    /// A warning for a regression chosen by inference on an integer target (or a numeric one of
    /// whole numbers, `1.0`) with so few values that they are probably class codes (0/1, 1/2/3),
    /// when the kind (or `auto`) could have classified and the user did not say `task=`. nil
    /// when nothing looks amiss.
    public static func fewValuedTargetWarning(_ target: Column, task: ModelTask, tasks: [ModelTask]) -> String? {
        guard task == .regression, tasks.contains(.classification),
              target.type == .integer || (target.type == .numeric && holdsWholeNumbers(target)),
              case .numbers(let values) = target.storage else { return nil }
        var distinct = Set<Double>()
        for row in 0 ..< target.count where !target.isMissing(row) {
            distinct.insert(values[row])
            if distinct.count > fewTargetValues { return nil }
        }
        guard distinct.count > 1 else { return nil }
        let listed = distinct.sorted().map { NumberFormat.shortest($0) }.joined(separator: ", ")
        return "target '\(target.name)' is \(target.type == .integer ? "an integer" : "numeric") with only \(distinct.count) values (\(listed)), fitted as a quantity; task=classification fits classes"
    }
}

extension Model {
    /// `TrainingFrame.fewValuedTargetWarning` for this fit, its target read from `data`.
    public func fewValuedTargetWarning(trainingData data: Dataset) -> String? {
        guard let name = schema.target?.name, let column = data.column(named: name),
              let tasks = ModelCatalogue.kind(named: kind)?.tasks else { return nil }
        return TrainingFrame.fewValuedTargetWarning(column, task: task, tasks: tasks)
    }
}
