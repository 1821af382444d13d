import Diagnostics
import Models
import Numerics
import Store
import Tabular

/// Commands that improve a model: learn from more rows, choose features, choose the kind.
enum OptimisationCommands {
    static let all: [CommandSpec] = [update, diagnose, learningCurve, select, auto]

    static let update = CommandSpec(
        "update", category: .models,
        summary: "A new version of a model that has also learned from more rows",
        details: """
        Learns from NEW's rows without the old ones, keeping the training preprocessing (levels,
        imputation values, scaling and centring are not re-learned). linear and ridge are
        exact: the model keeps the triangular factor of [X y] (centred for ridge), the new rows
        are folded into it by a QR, and coefficients, standard errors, t and p values, R² and F
        equal a refit on old and new rows with the same preprocessing, to rounding; the old
        residual quantiles are not kept. sgd continues gradient descent from its coefficients
        on the new rows only (scikit-learn's partial_fit), with its own options. Binary logistic
        (unpenalised or l2) is approximate, by the Laplace approximation: the model keeps the
        information matrix XᵀWX (+ the penalty) at its estimates, the old rows' log-likelihood
        is taken as the quadratic it gives about them, and Newton steps from the old estimates
        minimise that plus the new rows' log-loss. Estimates, standard errors and deviance are
        close to a refit, not equal (the summary says so; no null deviance): within a tenth of a
        standard error when the new rows resemble the old, further when they do not. boost
        adds rounds= more rounds (default: as many as the fit had), trees fitted to the new
        rows' residuals from the ensemble's own predictions, with the fit's rate and tree
        shape and no early stopping. tree, forest and the other kinds are refused: a grown tree
        cannot take rows without regrowing, so refit them. With on TEST, prints the metrics
        before and after on TEST. The new version's parent is MODEL's version.
        """,
        example: "update m with test on train as m",
        changesState: true,
        forms: [CommandForm([.value(name: "MODEL", kind: .model), .keyword("with"), .value(name: "NEW", kind: .dataset),
                             .keyword("on"), .value(name: "TEST", kind: .dataset, optional: true)],
                            options: [OptionSpec("rounds", .integer(minimum: 1, maximum: 100_000), "boost: rounds to add (default: as many as the fit had)")],
                            outputs: .model("NAME")) { invocation, context in
            let model = invocation.model("MODEL")
            let updated = try invocation.at("NEW") {
                try model.updated(with: invocation.dataset("NEW"), datasetName: invocation.name("NEW")!, rounds: invocation.integer("rounds"))
            }
            let change = try MetricChange.table(invocation, on: "TEST", before: model, after: updated)
            let id = try context.defineModel(updated, of: invocation, parent: invocation.modelVersion("MODEL"))
            let added = updated.training.rowsUsed - model.training.rowsUsed
            context.emit("\(id): \(ModelDescription.line(for: updated)); \(DatasetDescription.rows(added)) added")
            if let change {
                context.emit("on \(invocation.name("TEST")!):")
                context.emit(.table(change))
            }
        }])

    static let diagnose = CommandSpec(
        "diagnose", category: .models,
        summary: "Training vs cross-validated vs test scores, and a verdict: over-fitting, under-fitting or fine",
        details: """
        Scores MODEL on its training data (train=, default the dataset it was fitted on, by
        name), cross-validates its kind and options there (folds=, seed=, as cv), and scores it
        on TEST. The verdict uses R² (regression) or accuracy: over-fitting when training beats
        cross-validation by more than max(0.05, 2 × the folds' sd); else under-fitting when the
        training score is below 0.5 (R²) or below halfway from the commonest class's share to 1
        (accuracy); else fine. A test score that far from the cross-validated one is flagged.
        """,
        example: "diagnose m on test",
        changesState: false,
        forms: [CommandForm([.value(name: "MODEL", kind: .model), .keyword("on"), .value(name: "TEST", kind: .dataset)], options: [
            OptionSpec("train", .dataset, "the data MODEL was fitted on (default: the dataset of that name)"),
            OptionSpec("folds", .integer(minimum: 2, maximum: 1000), "how many folds (default 5)"),
            OptionSpec("seed", .integer(minimum: 0), "random seed for the fold assignment (default 42)"),
        ]) { invocation, context in
            let model = invocation.model("MODEL")
            let trainName = invocation.name("train") ?? model.training.datasetName
            guard let training = context.state.variables.dataset(trainName) else {
                throw ModelshError.usage("no dataset '\(trainName)'" + (invocation.has("train") ? "" : ", which \(invocation.name("MODEL")!) was fitted on; give train=DATA"),
                                         at: invocation.location(invocation.has("train") ? "train" : "MODEL"))
            }
            let diagnosis = try invocation.at("TEST") {
                try Diagnosis(model: model, training: training, datasetName: trainName, test: invocation.dataset("TEST"),
                              folds: invocation.integer("folds") ?? 5, seed: UInt64(invocation.integer("seed") ?? 42))
            }
            var table = TextTable(headers: ["metric", "training", "cv mean", "cv sd", "test"], alignments: [.left, .right, .right, .right, .right])
            for (index, name) in diagnosis.metrics.enumerated() {
                table.append([name] + [diagnosis.training[index], diagnosis.cvMean[index], diagnosis.cvStandardDeviation[index], diagnosis.test[index]]
                    .map { NumberFormat.significant($0, digits: 4) })
            }
            context.emit("\(invocation.name("MODEL")!) on \(trainName) (training), \(invocation.integer("folds") ?? 5)-fold cross-validation (seed \(invocation.integer("seed") ?? 42)), \(invocation.name("TEST")!) (test)")
            context.emit(.table(table))
            context.emit("verdict: \(diagnosis.verdict.rawValue)")
            for reason in diagnosis.reasons { context.emit("  \(reason)") }
        }])

    static let learningCurve = CommandSpec(
        "learning-curve", aliases: ["learning_curve"], category: .models,
        summary: "Train and validation scores against training size",
        details: """
        scikit-learn's learning_curve (with shuffle): DATA is split into folds= folds (seeded,
        stratified for classification); for each size and fold, KIND is fitted on that many
        rows of the other folds, taken in a seeded shuffled order, and scored on them and on
        the held-out fold. sizes= are fractions in (0, 1] of the smallest training set or whole
        counts above 1 (default 0.1, 0.325, 0.55, 0.775, 1). A validation score still rising at
        the largest size says more data would help; a wide, flat gap says over-fitting.
        """,
        example: "learning-curve linear diabetes target=Y sizes=0.1,0.5,1",
        changesState: false,
        forms: [CommandForm([.value(name: "KIND", kind: .modelKind), .value(name: "DATA", kind: .dataset)],
                            options: learningCurveOptions, modelKindOptionsFrom: "KIND") { invocation, context in
            let (curve, validation) = try learningCurve(invocation)
            var table = TextTable(headers: ["size", "train \(curve.metric)", "sd", "validation \(curve.metric)", "sd"],
                                  alignments: Array(repeating: .right, count: 5))
            for point in curve.points {
                table.append(["\(point.size)"] + [point.train.mean, point.train.standardDeviation, point.validation.mean, point.validation.standardDeviation]
                    .map { NumberFormat.significant($0, digits: 4) })
            }
            context.emit("learning curve of \(invocation.text("KIND")!) on \(invocation.name("DATA")!): \(validation.folds) folds (seed \(invocation.integer("seed") ?? 42))")
            context.emit(.table(table))
            SelectionCommands.emitTargetWarning(validation, context)
        }])

    /// The options of `learning-curve` and `plot learning-curve`.
    static let learningCurveOptions = SelectionCommands.foldOptions + [
        OptionSpec("sizes", .list(.number), "training sizes: fractions ≤ 1 or counts (default 0.1,0.325,0.55,0.775,1)"),
        OptionSpec("metric", .text, "the score (default r2 or accuracy)"),
    ]

    /// The learning curve of KIND on DATA that the invocation's options ask for.
    static func learningCurve(_ invocation: Invocation) throws -> (LearningCurve, CrossValidation) {
        let validation = try SelectionCommands.crossValidation(invocation)
        let curve = try invocation.at("DATA") {
            try LearningCurve(validation: validation, options: invocation.modelOptions, sizes: invocation.numbers("sizes"),
                              metric: invocation.text("metric"), seed: UInt64(invocation.integer("seed") ?? 42))
        }
        return (curve, validation)
    }

    static let select = CommandSpec(
        "select", category: .models,
        summary: "Feature selection: forward, backward or lasso-ordered, by AIC, BIC or cross-validation",
        details: """
        forward and backward are R's step(): from no features (forward) or all (backward), each
        step adds (removes) the feature that lowers the criterion most, until none does. lasso
        takes the nested sets in the order features enter the lasso path (standardised, 50
        alphas) and keeps the best. criterion=aic and bic are R's extractAIC (linear: n log(RSS/n)
        + k edf; binary logistic: deviance + k edf; k = 2 or log n), so the path matches step();
        cv is the cross-validated mean of metric= (default rmse or accuracy; folds=, seed= as cv).
        Rows missing the target or any candidate feature are left out. Prints the path (each
        change and the criterion after it) and the chosen set; with as NAME, fits KIND on it.
        """,
        example: "select linear diabetes target=Y method=backward criterion=bic as small",
        changesState: true,
        forms: [CommandForm([.value(name: "KIND", kind: .modelKind), .value(name: "DATA", kind: .dataset)],
                            options: SelectionCommands.foldOptions.filter { $0.name != "stratified" } + [
                                OptionSpec("method", .choice(FeatureSelection.Method.allCases.map(\.rawValue)), "forward (default), backward or lasso"),
                                OptionSpec("criterion", .choice(FeatureSelection.Criterion.allCases.map(\.rawValue)), "aic (default), bic or cv"),
                                OptionSpec("metric", .text, "criterion=cv: the metric (default rmse or accuracy)"),
                            ], outputs: .model("NAME", optional: true), modelKindOptionsFrom: "KIND") { invocation, context in
            let kind = try invocation.at("KIND") { try ModelCatalogue.requireKind(named: invocation.text("KIND")!) }
            let method = FeatureSelection.Method(rawValue: invocation.text("method") ?? "forward")!
            let criterion = FeatureSelection.Criterion(rawValue: invocation.text("criterion") ?? "aic")!
            let data = invocation.dataset("DATA"), target = invocation.text("target")!
            let selection = try invocation.at("DATA") {
                try FeatureSelection(kind: kind, data: data, datasetName: invocation.name("DATA")!, target: target,
                                     features: invocation.words("features"), options: invocation.modelOptions, method: method, criterion: criterion,
                                     folds: invocation.integer("folds") ?? 5, seed: UInt64(invocation.integer("seed") ?? 42), metric: invocation.text("metric"))
            }
            let lasso = method == .lasso
            var table = TextTable(headers: ["step"] + (lasso ? ["alpha"] : []) + ["change", "features", selection.label],
                                  alignments: [.right] + (lasso ? [.right] : []) + [.left, .right, .right])
            for (index, step) in selection.steps.enumerated() {
                table.append(["\(index)"] + (step.alpha.map { [NumberFormat.significant($0, digits: 4)] } ?? []) + [step.change, "\(step.features.count)", NumberFormat.significant(step.value)])
            }
            context.emit("\(method.rawValue) selection for \(kind.name) on \(invocation.name("DATA")!) by \(selection.label) (\(DatasetDescription.rows(selection.rows)))")
            context.emit(.table(table))
            if let offset = selection.summaryOffset {
                context.emit("(\(selection.label) as R's step prints it, extractAIC: n·log(RSS/n) + k·p; summary's, R's \(selection.label)(), is \(NumberFormat.significant(offset)) more)")
            }
            context.emit("chosen: \(selection.chosen.isEmpty ? "no features (the intercept alone)" : selection.chosen.joined(separator: ", "))")
            if !invocation.outputs.isEmpty {
                let model = try invocation.at("DATA") {
                    try kind.fit(FitRequest(data: data, datasetName: invocation.name("DATA")!, target: target, features: selection.chosen,
                                            options: invocation.modelOptions))
                }
                let id = try context.defineModel(model, of: invocation)
                context.emit("\(id): \(ModelDescription.line(for: model))")
                ModelCommands.emitWarnings(of: model, context)
            }
        }])

    static let auto = CommandSpec(
        "auto", category: .models,
        summary: "Automatic model selection: every kind and its main settings, cross-validated; the best kept",
        details: """
        Cross-validates a fixed list of candidates for the task (linear, ridge, lasso, knn, tree,
        forest, boost for regression; logistic, naivebayes, knn, tree, forest, boost for
        classification, each with a few settings of its main hyper-parameters) on the same
        folds, ranks them by mean rmse or accuracy, and refits the best on all of DATA as the
        next version of NAME (its parent the current version of NAME, if any). Kinds with
        randomness get seed= too, so `cv KIND DATA target=… SETTING folds=F seed=S` reproduces
        any row. The task follows the target as for `fit` (an integer target with a few values
        warns); task=classification makes class codes classes for every candidate. time= (a duration: 500ms, 60s, 2m, 1h, or bare seconds; default 60s) is spent
        on estimates, not on the clock, so the leaderboard is the same on every run and machine:
        each candidate's time is estimated first from rows × features × folds and the kind's
        arithmetic, and in the fixed order above each runs if its estimate fits in what is left
        of the budget, else it is skipped and named. The real time may differ by a small factor.
        """,
        example: "auto diabetes target=Y time=30s seed=1 as best",
        changesState: true,
        forms: [CommandForm([.value(name: "DATA", kind: .dataset)], options: [
            OptionSpec("target", .column(of: "DATA"), "the column to predict", required: true),
            OptionSpec("features", .columns(of: "DATA"), "the columns to predict from (default: all others)"),
            OptionSpec("folds", .integer(minimum: 2, maximum: 1000), "how many folds (default 5)"),
            OptionSpec("seed", .integer(minimum: 0), "random seed for folds and candidates (default 42)"),
            OptionSpec("time", .duration, "time budget on estimated times, e.g. 30s or 2m (default 60s)"),
            OptionSpec("task", .choice([ModelTask.regression, .classification].map(\.rawValue)), "regression or classification (default: from the target's type, as fit)"),
        ], outputs: .model("NAME")) { invocation, context in
            let budget = invocation.seconds("time") ?? 60
            guard budget > 0, budget.isFinite else { throw ModelshError.usage("time= must be a duration > 0, like 30s or 2m", at: invocation.location("time")) }
            let seed = UInt64(invocation.integer("seed") ?? 42), folds = invocation.integer("folds") ?? 5
            let data = invocation.dataset("DATA"), target = invocation.text("target")!
            let auto = try invocation.at("DATA") {
                try AutoSelection(data: data, datasetName: invocation.name("DATA")!, target: target, features: invocation.words("features"),
                                  folds: folds, seed: seed, budget: budget, task: invocation.text("task").flatMap(ModelTask.init))
            }
            if let warning = auto.targetWarning { context.emit("warning: \(warning)") }
            guard let best = auto.ranked.first else {
                if auto.failed.isEmpty, let cheapest = auto.cheapestSkippedEstimate {
                    throw ModelshError.usage("the \(NumberFormat.shortest(budget))s budget is below every candidate's estimated time (the cheapest needs \(NumberFormat.significant(cheapest, digits: 2))s)",
                                             at: invocation.location("time"))
                }
                throw ModelshError.data("no candidate could be cross-validated on \(invocation.name("DATA")!)"
                                        + (auto.firstFailure.map { " (the first, \($0))" } ?? ""), at: invocation.location("DATA"))
            }
            var table = TextTable(headers: ["rank", "kind", "setting", "\(auto.metric) mean", "sd"], alignments: [.right, .left, .left, .right, .right])
            for (index, result) in auto.ranked.enumerated() {
                table.append(["\(index + 1)", result.candidate.kind, result.candidate.setting,
                              NumberFormat.significant(result.summary.mean), NumberFormat.significant(result.summary.standardDeviation)])
            }
            let run = auto.ranked.count + auto.failed.count
            context.emit("\(run) of \(auto.candidateCount) candidates ran in an estimated \(NumberFormat.significant(auto.estimatedSeconds, digits: 2))s of the "
                         + "\(NumberFormat.shortest(budget))s budget: \(folds)-fold cross-validation on \(invocation.name("DATA")!) (seed \(seed))")
            context.emit(.table(table))
            func names(_ candidates: [AutoSelection.Candidate]) -> String { candidates.map { "\($0.kind) \($0.setting)" }.joined(separator: "; ") }
            if auto.budgetHit { context.emit("skipped for time: \(names(auto.skippedForTime))") }
            if !auto.failed.isEmpty { context.emit("could not be fitted here: \(names(auto.failed))") }
            let model = try invocation.at("DATA") {
                try ModelCatalogue.fit(kind: best.candidate.kind, data: data, datasetName: invocation.name("DATA")!, target: target,
                                       features: invocation.words("features"), options: best.candidate.options)
            }
            let name = invocation.output(0).name
            let previous = context.state.variables.registry[name]?.current.map { ModelVersionID(name: name, version: $0.number) }
            let id = try context.defineModel(model, of: invocation, parent: previous)
            context.emit("best: \(best.candidate.kind) \(best.candidate.setting)")
            context.emit("\(id): \(ModelDescription.line(for: model))")
            ModelCommands.emitWarnings(of: model, context)
        }])
}

/// Two sets of the same metrics side by side with their change.
enum MetricChange {
    static func table(before: [Metric], after: [Metric], headers: [String] = ["metric", "before", "after", "change"]) -> TextTable {
        var table = TextTable(headers: headers, alignments: [.left, .right, .right, .right])
        for (old, new) in zip(before, after) where old.name == new.name && old.name != "n" && old.name != "skipped" {
            table.append([old.name, MetricFormat.text(old), MetricFormat.text(new), NumberFormat.significant(new.value - old.value, digits: 4)])
        }
        return table
    }

    /// Both models' metrics on the dataset in `slot`, when the command has it: measured before
    /// the new model is defined, so data the models cannot score fails the command without it
    /// first announcing a version it does not keep.
    static func table(_ invocation: Invocation, on slot: String, before: Model, after: Model,
                      headers: [String] = ["metric", "before", "after", "change"]) throws -> TextTable? {
        guard invocation.has(slot) else { return nil }
        let data = invocation.dataset(slot)
        return try invocation.at(slot) {
            table(before: try before.evaluate(on: data).metrics, after: try after.evaluate(on: data).metrics, headers: headers)
        }
    }
}
