import Diagnostics
import Foundation
import Models
import Numerics
import Store
import Tabular

/// Commands that compare settings by cross-validation: `cv` for one setting, `tune` for a grid.
enum SelectionCommands {
    static let all: [CommandSpec] = [cv, tune, path]

    static let foldOptions: [OptionSpec] = [
        OptionSpec("target", .column(of: "DATA"), "the column to predict", required: true),
        .modelFeatures,
        OptionSpec("folds", .integer(minimum: 2, maximum: 1000), "how many folds (default 5)"),
        OptionSpec("stratified", .switch, "keep class proportions in every fold (default: yes for classification)"),
        OptionSpec("seed", .integer(minimum: 0), "random seed for the fold assignment (default 42)"),
    ]

    static let cv = CommandSpec(
        "cv", category: .evaluation,
        summary: "Cross-validate a model kind: per-fold and mean ± sd metrics",
        details: """
        Splits DATA's rows (those with a target) into folds= folds with the seeded generator
        (stratified by class for classification), fits KIND with the given options on all folds
        but one and evaluates it on that one, for each fold. Prints each fold's metrics, their
        mean and their standard deviation (n − 1).
        """,
        example: "cv linear diabetes target=Y folds=5 seed=1",
        changesState: false,
        forms: [CommandForm([.value(name: "KIND", kind: .modelKind), .value(name: "DATA", kind: .dataset)],
                            options: foldOptions, modelKindOptionsFrom: "KIND") { invocation, context in
            let validation = try crossValidation(invocation)
            let folds = try invocation.at("DATA") {
                try context.withProgress("cv \(invocation.text("KIND")!) (folds)") { progress in
                    try validation.run(options: invocation.modelOptions) { progress($0, validation.folds) }
                }
            }
            let shown = shownMetrics(validation, folds)
            var table = TextTable(headers: ["fold", "n"] + shown, alignments: Array(repeating: .right, count: shown.count + 2))
            for (index, metrics) in folds.enumerated() {
                table.append(["\(index + 1)", value("n", in: metrics).map { String(Int($0)) } ?? ""]
                             + shown.map { name in value(name, in: metrics).map { NumberFormat.significant($0) } ?? "" })
            }
            let summaries = shown.map { name in MetricSummary(folds.compactMap { value(name, in: $0) }) }
            table.append(["mean", ""] + summaries.map { NumberFormat.significant($0.mean) })
            table.append(["sd", ""] + summaries.map { NumberFormat.significant($0.standardDeviation) })
            let setting = invocation.modelOptions.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
            context.emit("\(validation.folds)-fold cross-validation of \(invocation.text("KIND")!)\(setting) on \(invocation.name("DATA")!) (\(DatasetDescription.rows(validation.data.rowCount)), seed \(seed(invocation))\(validation.stratified ? ", stratified" : ""))")
            context.emit(.table(table))
            // The header counts the rows with a target; a held-out row missing a feature has no prediction.
            let skipped = folds.compactMap { value("skipped", in: $0) }.reduce(0, +)
            if skipped > 0 {
                let rows = skipped == 1 ? "1 held-out row not scored: it misses" : "\(Int(skipped)) held-out rows not scored: each misses"
                context.emit("\(rows) a feature (impute=drop; impute=mean or median scores them)")
            }
            emitTargetWarning(validation, context)
        }])

    static let tune = CommandSpec(
        "tune", category: .evaluation,
        summary: "Grid search with cross-validation; the best setting refitted on all the data",
        details: """
        Every combination of the KIND options given as comma lists (alpha=0.01,0.1,1) is
        cross-validated on the same folds, ranked by metric= (default rmse for regression,
        accuracy for classification; ties keep grid order), and the best is refitted on all of
        DATA as the next version of NAME, which records the grid it came from (`model NAME`).
        """,
        example: "tune ridge diabetes target=Y alpha=0.1,1,10 folds=5 seed=1 as best",
        changesState: true,
        forms: [CommandForm([.value(name: "KIND", kind: .modelKind), .value(name: "DATA", kind: .dataset)],
                            options: foldOptions + [OptionSpec("metric", .text, "the metric to rank by (default rmse or accuracy)")],
                            outputs: .model("NAME"), modelKindOptionsFrom: "KIND") { invocation, context in
            let validation = try crossValidation(invocation)
            let grid = try invocation.at("KIND") { try Grid(invocation.modelOptions, kind: validation.kind) }
            let metric = invocation.text("metric") ?? (validation.task == .regression ? "rmse" : "accuracy")
            // Checked before any fit: a misspelt metric= should not cost a grid of them.
            let known = Evaluation.metricNames(for: validation.task)
            guard known.contains(metric) else {
                throw ModelshError.usage("unknown metric '\(metric)' for \(validation.task.rawValue)" + EditDistance.didYouMean(metric, among: known)
                                         + " (metrics: \(known.joined(separator: ", ")))", at: invocation.location("metric"))
            }
            var results: [(options: [String: String], summary: MetricSummary)] = []
            let fits = grid.settings.count * validation.folds
            try context.withProgress("tune \(invocation.text("KIND")!) (fits)") { progress in
                for (index, options) in grid.settings.enumerated() {
                    let folds = try invocation.at("DATA") { try validation.run(options: options) { progress(index * validation.folds + $0, fits) } }
                    let values = folds.compactMap { value(metric, in: $0) }
                    guard values.count == folds.count else {
                        throw ModelshError.usage("metric '\(metric)' is not given for this data (roc_auc_weighted needs three classes or more)",
                                                 at: invocation.location("metric"))
                    }
                    results.append((options, MetricSummary(values)))
                }
            }
            let better = MetricDirection.higherIsBetter(metric)
            // Means equal to 12 significant digits tie (fold averages of the same counts differ
            // only by rounding), and ties keep grid order.
            let keys = results.map { Double(String(format: "%.12g", $0.summary.mean)) ?? .nan }
            let ranked = results.indices.sorted { a, b in
                let (x, y) = (keys[a], keys[b])
                if x == y || (x.isNaN && y.isNaN) { return a < b }
                if x.isNaN { return false }
                if y.isNaN { return true }
                return better ? x > y : x < y
            }
            var table = TextTable(headers: ["rank"] + grid.varied + ["\(metric) mean", "sd"],
                                  alignments: Array(repeating: .right, count: grid.varied.count + 3))
            for (rank, index) in ranked.enumerated() {
                let options = results[index].options
                table.append(["\(rank + 1)"] + grid.varied.map { options[$0] ?? "" }
                             + [NumberFormat.significant(results[index].summary.mean), NumberFormat.significant(results[index].summary.standardDeviation)])
            }
            context.emit("\(grid.settings.count) setting\(grid.settings.count == 1 ? "" : "s") × \(validation.folds) folds of \(invocation.text("KIND")!) on \(invocation.name("DATA")!) (seed \(seed(invocation))\(validation.stratified ? ", stratified" : ""))")
            context.emit(.table(table))
            let best = results[ranked[0]].options
            let model = try invocation.at("DATA") {
                try validation.kind.fit(FitRequest(data: invocation.dataset("DATA"), datasetName: invocation.name("DATA")!,
                                                   target: invocation.text("target")!, features: invocation.words("features"), options: best))
            }
            let id = try context.defineModel(model, of: invocation, grid: grid.tried.map { GridOption(name: $0.name, values: $0.values) })
            let setting = grid.varied.map { "\($0)=\(best[$0] ?? "")" }.joined(separator: " ")
            context.emit("best: \(setting.isEmpty ? "the one setting" : setting)")
            context.emit("\(id): \(ModelDescription.line(for: model))")
            ModelCommands.emitWarnings(of: model, context)
            emitTargetWarning(validation, context)
        }])

    static let path = CommandSpec(
        "path", category: .evaluation,
        summary: "Lasso or elastic-net coefficients along a sequence of alphas",
        details: """
        Fits KIND (lasso or elasticnet) to DATA at each alpha, largest first, each fit starting
        from the previous one's coefficients (warm starts, as scikit-learn's enet_path), and
        prints a row per alpha: how many coefficients are nonzero, the training R², and the
        coefficients. Without alphas=, count= alphas (default 20) run log-evenly from the
        smallest alpha that zeroes every coefficient down to a thousandth of it.
        """,
        example: "path lasso diabetes target=Y count=8",
        changesState: false,
        forms: [CommandForm([.value(name: "KIND", kind: .modelKind), .value(name: "DATA", kind: .dataset)], options: [
            OptionSpec("target", .column(of: "DATA"), "the column to predict", required: true),
            .modelFeatures,
            OptionSpec("alphas", .list(.number), "the alphas to fit at (default: count= alphas down from the largest useful one)"),
            OptionSpec("count", .integer(minimum: 1, maximum: 1000), "how many alphas when alphas= is not given (default 20)"),
        ], modelKindOptionsFrom: "KIND") { invocation, context in
            let kind = try invocation.at("KIND") { try ModelCatalogue.requireKind(named: invocation.text("KIND")!) }
            guard RegularisationPath.kinds.contains(kind.name) else {
                throw ModelshError.usage("path follows \(RegularisationPath.kinds.joined(separator: " or ")) fits, not '\(kind.name)'", at: invocation.location("KIND"))
            }
            let alphas = try invocation.numbers("alphas").map { values in
                guard values.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
                    throw ModelshError.usage("alphas must be numbers ≥ 0", at: invocation.location("alphas"))
                }
                return values
            }
            let path = try invocation.at("DATA") {
                try RegularisationPath(kind: kind, request: FitRequest(data: invocation.dataset("DATA"), datasetName: invocation.name("DATA")!,
                                                                       target: invocation.text("target")!, features: invocation.words("features"),
                                                                       options: invocation.modelOptions),
                                       alphas: alphas, count: invocation.integer("count") ?? 20)
            }
            var table = TextTable(headers: ["alpha", "nonzero", "r2"] + path.terms, alignments: Array(repeating: .right, count: path.terms.count + 3))
            for step in path.steps {
                table.append([NumberFormat.significant(step.alpha, digits: 4), "\(step.nonzero)", NumberFormat.significant(step.rSquared, digits: 4)]
                             + step.coefficients.map { $0 == 0 ? "." : NumberFormat.significant($0, digits: 4) })
            }
            context.emit(.table(table))
            let unconverged = path.steps.filter { !$0.converged }.count
            if unconverged > 0 {
                context.emit("warning: \(unconverged) of \(path.steps.count) fits did not converge (raise max_iter= or tol=)")
            }
        }])

    private static func seed(_ invocation: Invocation) -> UInt64 { UInt64(invocation.integer("seed") ?? 42) }

    static func crossValidation(_ invocation: Invocation) throws -> CrossValidation {
        let kind = try invocation.at("KIND") { try ModelCatalogue.requireKind(named: invocation.text("KIND")!) }
        // The fold assignment reads only the task (and checks the weight column) from the
        // options; a grid's lists are fine here.
        let taskOption = invocation.modelOptions.filter { $0.key == "task" || $0.key == "weight" }
        return try invocation.at("DATA") {
            try CrossValidation(kind: kind, data: invocation.dataset("DATA"), datasetName: invocation.name("DATA")!,
                                target: invocation.text("target")!, features: invocation.words("features"), options: taskOption,
                                folds: invocation.integer("folds") ?? 5, seed: seed(invocation), stratified: invocation.switchValue("stratified"))
        }
    }

    /// The warning `fit` gives when an integer target with few values is read as a quantity.
    static func emitTargetWarning(_ validation: CrossValidation, _ context: CommandContext) {
        if let warning = validation.targetWarning { context.emit("warning: \(warning)") }
    }

    private static func shownMetrics(_ validation: CrossValidation, _ folds: [[Metric]]) -> [String] {
        let present = Set(folds.flatMap { $0.map(\.name) })
        return CrossValidation.shownMetrics(for: validation.task, classes: validation.classCount).filter(present.contains)
    }

    private static func value(_ name: String, in metrics: [Metric]) -> Double? {
        metrics.first { $0.name == name }?.value
    }
}
