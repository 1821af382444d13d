import Numerics
import Tabular

extension TrainingFrame {
    /// Targets with this many distinct whole numbers or fewer look like class codes (R's
    /// randomForest warns at the same count).
    static let fewTargetValues = 5

    /// More distinct whole numbers than this in a target fitted as classes look like a quantity
    /// (load's threshold for a categorical column of text, at small n).
    static let manyTargetClasses = 20

    /// A warning for a task chosen by inference (the user did not say `task=`) on an integer
    /// target (or a numeric one of whole numbers, `1.0`) that looks like the other task's: a
    /// regression on so few values that they are probably class codes (0/1, 1/2/3) when the
    /// kind could have classified, or classes on so many values (a count, a measurement:
    /// airquality's Ozone to logistic) that it is probably a quantity. nil when nothing looks
    /// amiss.
    /// `fittedClasses`, a fitted classifier's class count, stands for the target's distinct values
    /// (they are its classes), so a fit's warning does not read the target again.
    public static func integerTargetWarning(_ target: Column, task: ModelTask, tasks: [ModelTask], fittedClasses: Int? = nil) -> String? {
        // Only a kind that could have taken the other task is warned (and the numbers read).
        guard task == .classification || tasks.contains(.classification),
              target.type == .integer || (target.type == .numeric && target.holdsWholeNumbers),
              case .numbers(let values) = target.storage else { return nil }
        let kind = target.type == .integer ? "an integer" : "numeric"
        switch task {
        case .regression where tasks.contains(.classification):
            // A regression needs only to know whether there are few.
            var distinct = Set<Double>()
            for row in 0 ..< target.count where !target.isMissing(row) {
                distinct.insert(values[row])
                if distinct.count > fewTargetValues { return nil }
            }
            guard distinct.count >= 2 else { return nil }
            let listed = distinct.sorted().map { NumberFormat.shortest($0) }.joined(separator: ", ")
            return "target '\(target.name)' is \(kind) with only \(distinct.count) values (\(listed)), fitted as a quantity; task=classification fits classes"
        case .classification:
            let classes = fittedClasses ?? distinctCount(values, of: target)
            guard classes > manyTargetClasses else { return nil }
            return "target '\(target.name)' is \(kind) with \(classes) values, fitted as \(classes) classes (one per value); a regression kind such as linear fits a quantity"
        default:
            return nil
        }
    }

    private static func distinctCount(_ values: [Double], of target: Column) -> Int {
        var distinct = Set<Double>()
        for row in 0 ..< target.count where !target.isMissing(row) { distinct.insert(values[row]) }
        return distinct.count
    }
}

extension Model {
    /// `TrainingFrame.integerTargetWarning` for this fit, its target read from `data`.
    public func integerTargetWarning(trainingData data: Dataset) -> String? {
        guard let name = schema.target?.name, let column = data.column(named: name),
              let tasks = ModelCatalogue.kind(named: kind)?.tasks else { return nil }
        return TrainingFrame.integerTargetWarning(column, task: task, tasks: tasks,
                                                  fittedClasses: task == .classification ? schema.classes.count : nil)
    }
}
