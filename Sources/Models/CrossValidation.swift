import Diagnostics
import Numerics
import Tabular

/// k-fold cross-validation of one kind with one set of options: every fold is fitted on the
/// other folds and scored on itself with `evaluate`, so a fold's figures are exactly what
/// `fit` then `evaluate` would print for those rows.
public struct CrossValidation: Sendable {
    public let kind: ModelKind
    public let data: Dataset
    public let datasetName: String
    public let target: String
    public internal(set) var features: [String]?
    /// Each usable row's fold (rows missing the target are left out: no fit or score uses them).
    public let foldOfRow: [Int]
    /// Each usable row's row in the user's dataset (0-based), so errors name the user's rows.
    public let sourceRows: [Int]
    public let folds: Int
    public let task: ModelTask
    public let stratified: Bool
    /// Classification: how many classes the target has; 0 for regression.
    public let classCount: Int
    /// `TrainingFrame.integerTargetWarning` when the task was inferred (no `task=`): the
    /// warning `fit` gives, so cross-validating a 0/1 integer target as a quantity says so too.
    public let targetWarning: String?

    /// Assigns the folds (`Split.folds`). Stratified by class by default for classification,
    /// as scikit-learn's cross_val_score does; stratifying a regression is refused.
    /// `rowsInSource`: where `data`'s rows are in the user's dataset, when `data` is a subset of it.
    public init(kind: ModelKind, data: Dataset, datasetName: String, target: String, features: [String]?,
                options: [String: String], folds: Int, seed: UInt64, stratified: Bool?, rowsInSource: [Int]? = nil) throws {
        guard kind.tasks.contains(where: \.hasTarget) else {
            throw ModelshError.usage("cross-validation scores predictions of a target; '\(kind.name)' learns without one", argument: "target")
        }
        let column = try blaming("target") { try data.requireColumn(target, datasetName: datasetName) }
        let present = (0 ..< data.rowCount).filter { !column.isMissing($0) }
        let used = data.selecting(rows: present)
        let normalised = try kind.normalisedOptions(options)
        // A weight or offset column that is not there would otherwise fail in every fold, named as fold 1's error.
        for role in ColumnRole.allCases {
            if let name = normalised[role.rawValue] { _ = try blaming(role.rawValue) { try data.requireColumn(name, datasetName: datasetName) } }
        }
        task = try blaming("target") {
            try TrainingFrame.task(for: column, kind: kind.name, tasks: kind.tasks, requested: normalised["task"].flatMap(ModelTask.init))
        }
        targetWarning = normalised["task"] == nil ? TrainingFrame.integerTargetWarning(column, task: task, tasks: kind.tasks) : nil
        if stratified == true, task != .classification {
            throw ModelshError.usage("stratified folds need classes; '\(target)' is a regression target", argument: "stratified")
        }
        self.stratified = stratified ?? (task == .classification)
        var strata: [[Int]]?
        let usedTarget = try used.requireColumn(target)
        let classes = task == .classification ? try blaming("target") { try TrainingFrame.classes(of: usedTarget) } : []
        classCount = classes.count
        // Each row's class, found once for the strata and the check that every fold trains on every class.
        let classOfRow = task == .classification ? try ClassLabels(classes).indices(of: usedTarget) : []
        if self.stratified {
            var groups = [[Int]](repeating: [], count: classes.count)
            for (row, index) in classOfRow.enumerated() { groups[index].append(row) }
            strata = groups
        }
        foldOfRow = try Split.folds(rowCount: used.rowCount, count: folds, seed: seed, strata: strata)
        if task == .classification {
            do {
                try Self.requireEveryClassInTraining(classOfRow, of: target, classes: classes, foldOfRow: foldOfRow, folds: folds)
            } catch var error as ModelshError {
                // A class of one row is most often a value of a quantity taken for classes: say so.
                if let targetWarning { error.message += "; \(targetWarning)" }
                throw error
            }
        }
        sourceRows = rowsInSource.map { source in present.map { source[$0] } } ?? present
        self.kind = kind
        self.data = used
        self.datasetName = datasetName
        self.target = target
        self.features = features
        self.folds = folds
    }

    /// Every fold's training rows must hold every class, or its fit cannot score the rows of the
    /// class it never saw: a class whose rows all fall in one fold (a class of one row, as
    /// stratification deals the others across folds) is refused up front, by name, rather than
    /// failing in that fold on a row numbered within it.
    private static func requireEveryClassInTraining(_ indices: [Int], of target: String, classes: [String], foldOfRow: [Int], folds: Int) throws {
        var foldOfClass = [Int?](repeating: nil, count: classes.count), spread = [Bool](repeating: false, count: classes.count)
        for (row, index) in indices.enumerated() {
            if let fold = foldOfClass[index], fold != foldOfRow[row] { spread[index] = true }
            foldOfClass[index] = foldOfClass[index] ?? foldOfRow[row]
        }
        guard let lonely = spread.firstIndex(of: false), let fold = foldOfClass[lonely] else { return }
        let rows = indices.filter { $0 == lonely }.count
        throw ModelshError.usage("class '\(classes[lonely])' of '\(target)' has \(rows == 1 ? "only 1 row" : "\(rows) rows, all") in fold \(fold + 1) of \(folds), "
                                 + "so the model tested on that fold never sees it in training: filter it out or merge it into another class",
                                 argument: "target")
    }

    /// Each fold's metrics (as `evaluate` gives them), fold by fold; `afterFold` hears how
    /// many folds are done.
    public func run(options: [String: String], afterFold: (Int) -> Void = { _ in }) throws -> [[Metric]] {
        try (0 ..< folds).map { fold in
            let train = foldOfRow.indices.filter { foldOfRow[$0] != fold }
            let test = foldOfRow.indices.filter { foldOfRow[$0] == fold }
            let model = try inFold(fold, rows: train) {
                try kind.fit(FitRequest(data: data.selecting(rows: train), datasetName: datasetName, target: target,
                                        features: features, options: options))
            }
            let metrics = try inFold(fold, rows: test) { try model.evaluate(on: data.selecting(rows: test)).metrics }
            try Interruption.check()
            afterFold(fold + 1)
            return metrics
        }
    }

    /// Runs `body` on `rows` (of `data`) of fold `fold`: an error it throws names the fold, and
    /// the rows it names are the dataset's, not the 1st, 2nd, … of the subset `body` was given.
    public func inFold<T>(_ fold: Int, rows: [Int], _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ModelshError where error.category != .interrupted {
            var renumbered = error.renumberingRows { $0 < rows.count ? sourceRows[rows[$0]] : nil }
            renumbered.message = "fold \(fold + 1) of \(folds): " + renumbered.message
            throw renumbered
        }
    }

    /// The metrics a cross-validation table shows for the task, in order.
    public static func shownMetrics(for task: ModelTask, classes: Int) -> [String] {
        switch task {
        case .regression: return ["rmse", "mae", "r2"]
        case .classification: return ["accuracy", "balanced_accuracy", "f1_macro", "log_loss"] + (classes == 2 ? ["roc_auc"] : [])
        case .clustering: return ["inertia_per_row"]
        case .components: return ["reconstruction_mse"]
        }
    }
}

/// Whether a larger value of the metric is better (R², accuracy) or worse (errors, losses).
public enum MetricDirection {
    public static func higherIsBetter(_ name: String) -> Bool {
        !["mse", "rmse", "mae", "mape", "log_loss", "brier", "inertia", "inertia_per_row", "reconstruction_mse"].contains(name)
    }
}

/// Mean and sample standard deviation (n − 1, as R's sd) of a metric over folds.
public struct MetricSummary: Sendable, Equatable {
    public let mean: Double
    public let standardDeviation: Double

    public init(_ values: [Double]) {
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        self.mean = mean
        standardDeviation = values.count > 1 ? (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)).squareRoot() : .nan
    }
}

/// The settings a grid search tries: every combination of the options given as comma lists,
/// the first option varying slowest (options in the kind's order), as scikit-learn's ParameterGrid.
public struct Grid: Sendable {
    public let settings: [[String: String]]
    /// The options with more than one value, in the kind's order.
    public let varied: [String]
    /// Every option given and the values tried, in the kind's order (what the registry keeps).
    public let tried: [(name: String, values: [String])]

    /// At most this many settings: each costs a full cross-validation.
    public static let maximumSettings = 10_000

    public init(_ options: [String: String], kind: ModelKind) throws {
        let order = kind.options.map(\.name)
        let names = options.keys.sorted { (order.firstIndex(of: $0) ?? order.count, $0) < (order.firstIndex(of: $1) ?? order.count, $1) }
        let lists = names.map { name in options[name]!.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let count = lists.reduce(1) { $0.multipliedReportingOverflow(by: $1.count).overflow ? Int.max : $0 * $1.count }
        guard count <= Self.maximumSettings else {
            throw ModelshError.usage("the grid has \(count == Int.max ? "too many" : String(count)) settings; at most \(Self.maximumSettings)")
        }
        var settings: [[String: String]] = [[:]]
        for (name, values) in zip(names, lists) {
            settings = settings.flatMap { setting in values.map { value in setting.merging([name: value]) { $1 } } }
        }
        // Each value is checked now, so a typo fails before any fit runs.
        for setting in settings { _ = try kind.settingsFromOptions(kind.normalisedOptions(setting)) }
        self.settings = settings
        varied = zip(names, lists).filter { $0.1.count > 1 }.map(\.0)
        tried = zip(names, lists).map { ($0, $1) }
    }
}
