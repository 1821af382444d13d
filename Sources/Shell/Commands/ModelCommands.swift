import Diagnostics
import Foundation
import Models
import Numerics
import Store
import Tabular

/// Commands that fit, inspect, evaluate and apply models.
enum ModelCommands {
    static let all: [CommandSpec] = [fit, summary, confint, anova, margins, evaluate, predict, transform, explain, compress]

    static let fit = CommandSpec(
        "fit", category: .models,
        summary: "Fit a model to a dataset",
        details: """
        Fits a model of KIND to DATA, predicting target= from features= (default: every other
        column but free text). The task follows the target: classes for a categorical, boolean
        or text target, a quantity for a numeric one, and for an integer one a quantity to
        kinds that can regress (with a warning when it has 5 values or fewer: task=classification
        makes them classes), classes to kinds that only classify, as for whole numbers written
        1.0, 2.0. Preprocessing is learned from these rows
        and kept with the model: rows with a missing target are dropped, rows with a missing
        feature too unless impute= fills it; categorical features become indicators (the first
        level the reference for unpenalised kinds); poly= adds products of features; scale=
        rescales them. features= takes R's interaction terms too: a:b is the product of a and
        b (per level of a categorical one), a*b is a, b and a:b, and a^2 a power (R's I(a^2));
        terms are ordered main effects first and coded as R's model.matrix codes them, and
        anova, select and confint treat each term as one, as R does (trees and forests find
        interactions themselves and take plain columns). Warnings (no convergence, separated classes) follow the model's line.
        With a quoted file path instead of DATA, linear, ridge and logistic fit from the CSV file
        in chunks, in memory that does not grow with its rows (streaming): the same model as
        loading it and fitting, to rounding, for files larger than memory. A first pass learns
        the classes and levels; least squares then folds each chunk into a QR factor (TSQR),
        logistic makes one pass per IRLS iteration. Streaming drops rows with missing values,
        does not rescale, and fits binary unpenalised logistic models; the types of the columns
        are those of the file's first block.
        """,
        example: "fit linear train target=Y as m\nfit linear iris target=Sepal.Length features=Species*Petal.Width as m2\nfit linear \"data/diabetes.csv\" target=Y as streamed",
        changesState: true,
        forms: [CommandForm([.value(name: "KIND", kind: .modelKind), .value(name: "DATA", kind: .dataset)], options: [
            OptionSpec("target", .column(of: "DATA"), "the column to predict (not for kmeans and pca, which learn without one)"),
            .modelFeatures,
        ], outputs: .model("MODEL"), modelKindOptionsFrom: "KIND") { invocation, context in
            let model = try invocation.at("DATA") {
                try context.withProgress("fit \(invocation.text("KIND")!)") { progress in
                    try ModelCatalogue.fit(kind: invocation.text("KIND")!, data: invocation.dataset("DATA"),
                                           datasetName: invocation.name("DATA")!, target: invocation.text("target"),
                                           features: invocation.words("features"), options: invocation.modelOptions, progress: progress)
                }
            }
            try defineFitted(model, invocation, context, trainingData: invocation.dataset("DATA"))
        }, CommandForm([.value(name: "KIND", kind: .modelKind), .value(name: "PATH", kind: .path)], options: [
            OptionSpec("target", .column(of: "PATH"), "the column to predict"),
            OptionSpec("features", .terms(of: "PATH"), "the columns to predict from (default: all others but free text)"),
            OptionSpec("stream", .switch, "fit from the file in chunks, in constant memory (default yes: linear, ridge, logistic); no loads it first"),
            OptionSpec("chunk_rows", .integer(minimum: 1, maximum: Int(Int32.max)), "rows of the file folded at a time when streaming (default: a 16 MiB block of it)"),
        ] + DataCommands.csvReadingOptions, outputs: .model("MODEL"), modelKindOptionsFrom: "KIND") { invocation, context in
            let path = invocation.text("PATH")!, kind = invocation.text("KIND")!
            let csv = try DataCommands.csvOptions(invocation)
            let streams = invocation.text("stream").map { Switch.value($0)! } ?? true
            let model = try invocation.at("PATH") { try DataCommands.hintingSeparator(path: path, options: csv) {
                guard streams else {
                    let data = try DataCommands.readCSV(path: path, options: csv, context: context)
                    return try context.withProgress("fit \(kind)") { progress in
                        try ModelCatalogue.fit(kind: kind, data: data, datasetName: "\"\(path)\"", target: invocation.text("target"),
                                               features: invocation.words("features"), options: invocation.modelOptions, progress: progress)
                    }
                }
                return try context.withProgress { report in
                    try StreamedFit.fit(StreamedFitRequest(path: path, csv: csv, kind: kind, target: invocation.text("target"),
                                                           features: invocation.words("features"), options: invocation.modelOptions,
                                                           chunkRows: invocation.integer("chunk_rows")) { read in
                        report("fit \(kind) \"\(path)\" (pass \(read.pass), \(read.rows) rows; MiB)", read.bytes >> 20, read.fileSize >> 20)
                    })
                }
            } }
            try defineFitted(model, invocation, context)
        }])

    /// Names a fitted model and reports it, with its warnings (and, given the training data, the
    /// warning that an integer target with few values may be class codes).
    private static func defineFitted(_ model: Model, _ invocation: Invocation, _ context: CommandContext, trainingData: Dataset? = nil) throws {
        let id = try context.defineModel(model, of: invocation)
        context.emit("\(id): \(ModelDescription.line(for: model))")
        emitWarnings(of: model, context)
        if invocation.modelOptions["task"] == nil, let data = trainingData, let warning = model.integerTargetWarning(trainingData: data) {
            context.emit("warning: \(warning)")
        }
        // Without features= every column is a feature but free text (R's lm would take a row-name
        // column as a factor with a level per row): say which were left out, so none goes unnoticed.
        if invocation.words("features") == nil, let data = trainingData {
            let freeText = data.columns.filter { $0.type == .text && $0.name != model.schema.target?.name }.map { "'\(TerminalText.escaped($0.name))'" }
            if !freeText.isEmpty {
                context.emit("note: left out free text (too varied to be a category): \(freeText.joined(separator: ", "))")
            }
        }
    }

    /// The warnings a new model's fit left (did not converge, separated classes), a line each:
    /// after `fit`, and after the refit that `tune`, `select` and `auto` keep.
    static func emitWarnings(of model: Model, _ context: CommandContext) {
        for warning in model.state.warnings { context.emit("warning: \(warning)") }
    }

    static let summary = CommandSpec(
        "summary", category: .models,
        summary: "Describe a fitted model: coefficients, standard errors, fit statistics",
        details: """
        What the kind has to say, after the call: for linear models what R's summary(lm) shows
        (residual quantiles, estimates with standard errors, t values and p-values, residual
        standard error, R², adjusted R², the F test); for logistic R's summary(glm); for trees
        their size and rules, depth= levels deep (default 3). Then the preprocessing and the rows.
        vcov=hc0|hc1|hc2|hc3 takes a linear, binary logistic or Poisson model's standard errors
        and tests (a linear model's F test then a Wald test; a glm's tests z tests) from a
        heteroskedasticity-consistent covariance, as R's lmtest::coeftest(m, vcov =
        sandwich::vcovHC(m, type = "HC3")); hc1 is Stata's vce(robust) for regress.
        cluster=COLUMN clusters them by that column of the training data (Stata's
        vce(cluster), sandwich's vcovCL). These need the rows again: train=, by default the
        dataset the model was fitted on.
        """,
        example: "summary m\nsummary m vcov=hc1\nsummary m cluster=SEX",
        changesState: false,
        forms: [CommandForm([.value(name: "MODEL", kind: .model)],
                            options: [OptionSpec("depth", .integer(minimum: 0, maximum: 1000), "tree levels printed as rules (default 3)")] + robustOptions) { invocation, context in
            let model = invocation.model("MODEL")
            guard !invocation.has("train") || invocation.has("vcov") || invocation.has("cluster") else {
                throw ModelshError.usage("train= names the data for robust standard errors (vcov=, cluster=)", at: invocation.location("train"))
            }
            let robust = try robustCovariance(model, invocation, context)
            context.emit(model.summary(SummaryOptions(depth: invocation.integer("depth") ?? 3, robust: robust)))
        }])

    /// summary's and confint's options for robust standard errors.
    static let robustOptions = [
        OptionSpec("vcov", .choice(SandwichCovariance.Estimator.allCases.map(\.rawValue)),
                   "linear, logistic, poisson: robust standard errors, hc0, hc1 (Stata's vce(robust) for regress), hc2 or hc3 (R's sandwich default)"),
        OptionSpec("cluster", .text, "linear, logistic, poisson: standard errors clustered by this column of the training data (Stata's vce(cluster); hc1 unless vcov=hc0)"),
        OptionSpec("train", .dataset, "the data the model was fitted on, for robust standard errors or profile intervals (default: the dataset of that name)"),
    ]

    /// The robust covariance vcov= and cluster= ask for, from the model's training data; nil
    /// without either.
    private static func robustCovariance(_ model: Model, _ invocation: Invocation, _ context: CommandContext) throws -> RobustCovariance? {
        guard invocation.has("vcov") || invocation.has("cluster") else { return nil }
        let name = invocation.name("MODEL")!
        let (trainName, training) = try trainingData(of: model, named: name, invocation, context)
        let estimator = invocation.text("vcov").flatMap(SandwichCovariance.Estimator.init(rawValue:)) ?? .hc1
        return try onTrainingData(invocation, model: name) {
            do {
                return try RobustCovariance(model, named: name, trainingData: training, dataName: trainName, estimator: estimator,
                                            cluster: invocation.text("cluster"))
            } catch let error as ModelshError where ["vcov", "cluster"].contains(error.argument) {
                throw error.located(at: invocation.location(error.argument!))
            }
        }
    }

    static let confint = CommandSpec(
        "confint", category: .models,
        summary: "Confidence intervals for a linear, logistic or Poisson model's coefficients",
        details: """
        As R's confint: for linear models each estimate ± t standard errors on the residual
        degrees of freedom (confint.lm). For unpenalised binary logistic and Poisson ones the
        profile likelihood's intervals, computed as R's confint(glm) does (a little off centre
        where the likelihood is not symmetric); a model keeps no rows, so these come from fits
        on the dataset it was fitted on (train=, by default the dataset of that name), which
        must still hold its rows. method=wald gives Wald intervals instead, estimate ± z
        standard errors (R's confint.default), which multinomial fits always get. level= sets
        the confidence (default 0.95). An aliased term's interval is NA. Penalised and
        gradient-descent fits have no standard errors, so no intervals. vcov= and cluster=
        take the standard errors from a robust covariance, as summary's, for Wald intervals
        (R's lmtest::coefci). exp=yes gives a logistic or Poisson model's estimates and
        intervals exponentiated: odds ratios (relative risk ratios for a multinomial fit) or
        rate ratios, as R's exp(cbind(coef(m), confint(m))) and Stata's or, rrr and irr.
        """,
        example: "confint m\nconfint m level=0.99\nconfint flowers exp=yes",
        changesState: false,
        forms: [CommandForm([.value(name: "MODEL", kind: .model)],
                            options: [OptionSpec("level", .number, "the confidence, in (0, 1) (default 0.95)"),
                                      OptionSpec("method", .choice(["profile", "wald"]), "logistic and poisson: profile likelihood (default, R's confint) or wald (R's confint.default)"),
                                      OptionSpec("exp", .switch, "logistic and poisson: estimates and intervals exponentiated, as odds or rate ratios (default no)")]
                                + robustOptions) { invocation, context in
            let model = invocation.model("MODEL")
            let level = invocation.number("level") ?? 0.95
            guard level > 0, level < 1 else {
                throw ModelshError.usage("level must be in (0, 1), found \(NumberFormat.significant(level))", at: invocation.location("level"))
            }
            let robust = try robustCovariance(model, invocation, context)
            let leastSquares = model.state is LinearRegression.Learned
            let sets = robust.map { robust in
                model.state.coefficientEstimates(in: model).map { $0.withStandardErrors(of: robust, leastSquares: leastSquares) }
            } ?? model.state.coefficientEstimates(in: model)
            guard let first = sets.first else {
                throw ModelshError.usage("a \(model.kind) model has no coefficients; confint is for linear, logistic and Poisson models", at: invocation.location("MODEL"))
            }
            guard first.standardErrors != nil else {
                throw ModelshError.usage("a \(model.kind) fit has no standard errors, so no confidence intervals (a linear, logistic or Poisson fit has them)",
                                         at: invocation.location("MODEL"))
            }
            let percent = { (p: Double) in NumberFormat.significant(p * 100, digits: 4) + " %" }
            let headers = [percent((1 - level) / 2), percent(1 - (1 - level) / 2)]
            let ratio = try invocation.switchValue("exp") == true ? ratioName(of: model, at: invocation.location("exp")) : nil
            guard !(model.state is LinearRegression.Learned) || !invocation.has("method") && (!invocation.has("train") || robust != nil) else {
                throw ModelshError.usage("a linear model's intervals are exact t intervals; method= is for logistic and Poisson models, train= for them and robust standard errors (vcov=, cluster=)",
                                         at: invocation.location(invocation.has("method") ? "method" : "train"))
            }
            // R's confint profiles a glm's likelihood; a multinomial fit has Wald intervals, as
            // do robust standard errors (lmtest's coefci).
            let profiles = model.state is LogisticState && sets.count == 1 || model.state is PoissonState
            let method = invocation.text("method") ?? (profiles && robust == nil ? "profile" : "wald")
            if robust != nil, method == "profile" {
                throw ModelshError.usage("robust standard errors give Wald intervals (R's lmtest::coefci); leave out method=profile", at: invocation.location("method"))
            }
            if !(model.state is LinearRegression.Learned), method == "profile" {
                try profileIntervals(model, level: level, headers: headers, ratio: ratio, invocation, context)
                return
            }
            guard !invocation.has("train") || robust != nil else {
                throw ModelshError.usage("train= is for profile-likelihood intervals and robust standard errors; Wald intervals need no data", at: invocation.location("train"))
            }
            let table = intervalTable(sets.flatMap { set in
                zip(set.terms, zip(set.estimates, set.intervals(level: level) ?? [])).map { term, pair in
                    (group: sets.count > 1 ? set.group : nil, term: term, estimate: pair.0, interval: pair.1)
                }
            }, headers: headers, ratio: ratio)
            let robustly = robust.map { " with \($0.label) standard errors" } ?? ""
            if let df = first.residualDegreesOfFreedom {
                context.emit("t intervals on \(df) residual degrees of freedom\(robustly) (R's \(robust == nil ? "confint" : "lmtest::coefci"))")
            } else {
                context.emit("Wald intervals\(robustly): estimate ± \(NumberFormat.significant(first.criticalValue(level: level), digits: 4)) standard errors (R's \(robust == nil ? "confint.default" : "lmtest::coefci"))")
            }
            context.emit(.table(table))
        }])

    /// `confint MODEL` of a glm: R's confint(glm), the profile likelihood's intervals from fits
    /// on the model's training data.
    private static func profileIntervals(_ model: Model, level: Double, headers: [String], ratio: String?, _ invocation: Invocation,
                                         _ context: CommandContext) throws {
        let name = invocation.name("MODEL")!
        let (trainName, training) = try trainingData(of: model, named: name, invocation, context,
                                                     otherwise: "method=wald gives Wald intervals, which need no data")
        let profile = try onTrainingData(invocation, model: name) {
            try ProfileIntervals(model, named: name, trainingData: training, dataName: trainName, level: level)
        }
        let estimates = model.state.coefficientEstimates(in: model)[0]
        let table = intervalTable(zip(profile.terms, profile.intervals).map { term, interval in
            (group: nil, term: term, estimate: estimates.terms.firstIndex(of: term).map { estimates.estimates[$0] } ?? .nan, interval: interval)
        }, headers: headers, ratio: ratio)
        context.emit("Profile-likelihood intervals, from fits on \(trainName) (R's confint)")
        context.emit(.table(table))
    }

    /// What exp=yes makes of a model's coefficients: odds ratios, relative risk ratios or rate
    /// ratios; an error for a model whose coefficients are on the response's scale.
    private static func ratioName(of model: Model, at location: SourceLocation?) throws -> String {
        switch model.state {
        case let logistic as LogisticState: return logistic.modelledClasses.count > 1 ? "relative risk ratio" : "odds ratio"
        case is PoissonState: return "rate ratio"
        default:
            throw ModelshError.usage("exp=yes exponentiates a logistic or Poisson model's coefficients (odds or rate ratios); a \(model.kind) model's are on the response's scale", at: location)
        }
    }

    /// confint's table: per term its interval or, with a ratio's name (exp=yes), the
    /// exponentiated estimate and interval, as R's exp(cbind(coef(m), confint(m))).
    private static func intervalTable(_ rows: [(group: String?, term: String, estimate: Double, interval: (lower: Double, upper: Double))],
                                      headers: [String], ratio: String?) -> TextTable {
        let grouped = rows.contains { $0.group != nil }
        var table = TextTable(headers: (grouped ? ["class"] : []) + ["term"] + (ratio.map { [$0] } ?? []) + headers,
                              alignments: (grouped ? [.left] : []) + [.left] + Array(repeating: .right, count: ratio == nil ? 2 : 3))
        let shown = { (x: Double) in NumberFormat.figure(ratio == nil ? x : exp(x)) }
        for row in rows {
            table.append((grouped ? [row.group ?? ""] : []) + [row.term] + (ratio == nil ? [] : [shown(row.estimate)])
                         + [shown(row.interval.lower), shown(row.interval.upper)])
        }
        return table
    }

    static let anova = CommandSpec(
        "anova", category: .models,
        summary: "Analysis of variance or deviance: a model's terms in turn, or a model against one within it",
        details: """
        With one linear model, R's anova(fit): each feature's sum of squares after the features
        before it (sequential, type I), its F test against the residual mean square, then the
        residuals; a categorical feature's indicators make one row, and with poly= each design
        term is a row. With one binary logistic or Poisson model, R's anova(fit, test = "Chisq"):
        from the null model, each feature's fall in deviance after those before it and its χ² test. A
        model keeps no rows, so these fits are made again on the dataset the model was fitted
        on (train=, by default the dataset of that name), which must still hold its rows. With
        two models, R's anova(smaller, larger) for two fits of one target on the same rows, the
        smaller's terms among the larger's (in either order): for linear models the F test of
        the fall in the residual sum of squares per extra degree of freedom (anova.lm); for
        binary logistic and Poisson ones the χ² test of the fall in deviance (anova.glm with
        test = "Chisq"). The smaller model is listed first. test=f gives R's test = "F" instead, (fall /
        df) / dispersion against the larger fit's residual degrees of freedom, for quasi-Poisson
        fits, whose dispersion is estimated. type=2 gives car's Anova(fit, type = 2) for one
        model: each term after every other term that does not contain it (type II), its sum of
        squares and F test, or a glm's likelihood-ratio χ², from fits on the training data.
        """,
        example: "anova m\nanova m type=2\nanova m m@1",
        changesState: false,
        forms: [CommandForm([.value(name: "MODEL", kind: .model), .value(name: "OTHER", kind: .model, optional: true)], options: [
            OptionSpec("train", .dataset, "one logistic model: the data it was fitted on (default: the dataset of that name)"),
            OptionSpec("test", .choice(DevianceTest.allCases.map(\.rawValue)), "glms: chisq (default, R's test = \"Chisq\") or f (R's test = \"F\", for family=quasipoisson)"),
            OptionSpec("type", .choice(["1", "2"]), "one model: 1, each term after those before it (default, R's anova), or 2, after all others not containing it (car's Anova type II)"),
        ]) { invocation, context in
            if invocation.text("type") == "2" {
                guard invocation.name("OTHER") == nil else {
                    throw ModelshError.usage("type=2 tests the terms of one model; two models are compared by their own fits", at: invocation.location("type"))
                }
                guard !invocation.has("test") else {
                    throw ModelshError.usage("type=2 tests are car's: F for a linear model, likelihood-ratio χ² for a glm; test= is for the sequential table", at: invocation.location("test"))
                }
                try partialAnova(invocation, context)
            } else if invocation.name("OTHER") == nil {
                try sequentialAnova(invocation, context)
            } else {
                guard !invocation.has("train") else {
                    throw ModelshError.usage("train= is for the anova of one logistic model; two models are compared by their own fits", at: invocation.location("train"))
                }
                try nestedAnova(invocation, context)
            }
        }])

    /// `anova MODEL`: R's anova(fit) of one linear model, or of one binary logistic model.
    private static func sequentialAnova(_ invocation: Invocation, _ context: CommandContext) throws {
        let name = invocation.name("MODEL")!
        let model = invocation.model("MODEL")
        if model.state is LogisticState || model.state is PoissonState {
            try sequentialDeviance(model, named: name, invocation, context)
            return
        }
        guard !invocation.has("test") else {
            throw ModelshError.usage("test= is for glms: a linear model's anova is its F test", at: invocation.location("test"))
        }
        let anova = try invocation.at("MODEL") { try SequentialAnova(model, named: name) }
        var table = TextTable(headers: ["term", "df", "sum of sq", "mean sq", "F", "Pr(>F)"], alignments: [.left] + Array(repeating: .right, count: 5))
        for row in anova.rows {
            table.append([row.term, String(row.degreesOfFreedom), NumberFormat.significant(row.sumOfSquares), NumberFormat.significant(row.meanSquare),
                          NumberFormat.figure(row.fValue, digits: 5), pValue(row.pValue)])
        }
        table.append(["Residuals", String(anova.residualDegreesOfFreedom), NumberFormat.significant(anova.residualSumOfSquares),
                      NumberFormat.figure(anova.residualMeanSquare), "", ""])
        context.emit("Analysis of variance of '\(name)': each term after those above it (R's anova)")
        context.emit(.table(table))
    }

    static let margins = CommandSpec(
        "margins", category: .models,
        summary: "Average marginal effects of a linear, logistic or Poisson model's features (Stata's margins, dydx(*))",
        details: """
        For each numeric feature, the mean over DATA's rows of the derivative of the prediction
        (the mean response, the modelled class's probability, the expected count) with respect
        to it; for each level of a categorical feature (and a boolean's true), the mean change
        in the prediction from the reference level, every row set to each in turn. Interaction
        and poly= terms are taken into account. Standard errors by the delta method from the
        coefficients' covariance (vcov= and cluster= take a robust one, as summary's), with t
        tests on a linear model's residual degrees of freedom and z tests for a glm, and
        intervals at level= (default 0.95). Without on DATA, over the rows the model was fitted
        on, from its training data (train=, by default the dataset of that name): Stata's
        estimation sample.
        """,
        example: "margins m\nmargins m on test vcov=hc1",
        changesState: false,
        forms: [CommandForm([.value(name: "MODEL", kind: .model), .keyword("on"), .value(name: "DATA", kind: .dataset)],
                            options: [OptionSpec("level", .number, "the intervals' confidence, in (0, 1) (default 0.95)")] + robustOptions) { invocation, context in
                    try marginalEffects(invocation, context)
                },
                CommandForm([.value(name: "MODEL", kind: .model)],
                            options: [OptionSpec("level", .number, "the intervals' confidence, in (0, 1) (default 0.95)")] + robustOptions) { invocation, context in
                    try marginalEffects(invocation, context)
                }])

    /// `margins MODEL [on DATA]`: the average marginal effects table.
    private static func marginalEffects(_ invocation: Invocation, _ context: CommandContext) throws {
        let name = invocation.name("MODEL")!
        let model = invocation.model("MODEL")
        let level = invocation.number("level") ?? 0.95
        guard level > 0, level < 1 else {
            throw ModelshError.usage("level must be in (0, 1), found \(NumberFormat.significant(level))", at: invocation.location("level"))
        }
        let robust = try robustCovariance(model, invocation, context)
        var (dataName, data) = try invocation.name("DATA").map { ($0, invocation.dataset("DATA")) } ?? trainingData(of: model, named: name, invocation, context)
        if invocation.name("DATA") == nil {
            data = try onTrainingData(invocation, model: name) { try MarginalEffects.estimationSample(of: model, in: data, dataName: dataName) }
        }
        let margins = try invocation.at(invocation.name("DATA") == nil ? "MODEL" : "DATA") {
            try MarginalEffects(model, named: name, data: data, robust: robust)
        }
        let df = margins.residualDegreesOfFreedom
        let test = df == nil ? "z" : "t"
        let critical = df.map { StudentT.twoSidedCriticalValue(1 - level, degreesOfFreedom: Double($0)) } ?? -Normal.quantile((1 - level) / 2)
        let percent = { (p: Double) in NumberFormat.significant(p * 100, digits: 4) + " %" }
        var table = TextTable(headers: ["term", "dy/dx", "Std. Error", "\(test) value", "Pr(>|\(test)|)", percent((1 - level) / 2), percent(1 - (1 - level) / 2)],
                              alignments: [.left] + Array(repeating: .right, count: 6))
        for effect in margins.effects {
            let statistic = effect.estimate / effect.standardError
            let p = df.map { StudentT.twoSidedPValue(statistic, degreesOfFreedom: Double($0)) } ?? Normal.twoSidedPValue(statistic)
            let term = effect.level.map { "\(effect.feature): \($0)" } ?? effect.feature
            table.append([term, NumberFormat.significant(effect.estimate), NumberFormat.significant(effect.standardError),
                          NumberFormat.significant(statistic, digits: 4), pValue(p), NumberFormat.significant(effect.estimate - critical * effect.standardError),
                          NumberFormat.significant(effect.estimate + critical * effect.standardError)])
        }
        let errors = robust.map { ", \($0.label) standard errors" } ?? ""
        context.emit("Average marginal effects on \(margins.response) over \(dataName) (\(margins.rows) rows)\(errors): per unit of a numeric feature, from the reference level for a category (Stata's margins, dydx(*))")
        context.emit(.table(table))
    }

    /// `anova MODEL type=2`: car's Anova(fit, type = 2), from fits made again on its training data.
    private static func partialAnova(_ invocation: Invocation, _ context: CommandContext) throws {
        let name = invocation.name("MODEL")!
        let model = invocation.model("MODEL")
        let (trainName, training) = try trainingData(of: model, named: name, invocation, context)
        let anova = try onTrainingData(invocation, model: name) {
            try PartialAnova(model, named: name, trainingData: training, dataName: trainName)
        }
        var table: TextTable
        if let residualDegreesOfFreedom = anova.residualDegreesOfFreedom, let residualSumOfSquares = anova.residualSumOfSquares {
            table = TextTable(headers: ["term", "df", "sum of sq", "F", "Pr(>F)"], alignments: [.left] + Array(repeating: .right, count: 4))
            for row in anova.rows {
                table.append([row.term, String(row.degreesOfFreedom), NumberFormat.significant(row.statistic), NumberFormat.figure(row.fValue, digits: 5), pValue(row.pValue)])
            }
            table.append(["Residuals", String(residualDegreesOfFreedom), NumberFormat.significant(residualSumOfSquares), "", ""])
        } else {
            table = TextTable(headers: ["term", "df", "LR chisq", "Pr(>Chisq)"], alignments: [.left] + Array(repeating: .right, count: 3))
            for row in anova.rows {
                table.append([row.term, String(row.degreesOfFreedom), NumberFormat.significant(row.statistic), pValue(row.pValue)])
            }
        }
        let scaled = anova.dispersion.map { ", the falls in deviance over the dispersion \(NumberFormat.significant($0))" } ?? ""
        context.emit("Type II tests of '\(name)': each term after all others that do not contain it, fitted again on \(trainName)\(scaled) (car's Anova, type = 2)")
        context.emit(.table(table))
        for warning in anova.warnings { context.emit("warning: \(warning)") }
    }

    /// `anova MODEL` of a binary logistic model: R's anova(fit, test = "Chisq"), from fits
    /// made again on its training data.
    private static func sequentialDeviance(_ model: Model, named name: String, _ invocation: Invocation, _ context: CommandContext) throws {
        let (trainName, training) = try trainingData(of: model, named: name, invocation, context)
        let anova = try onTrainingData(invocation, model: name) {
            do {
                return try SequentialDeviance(model, named: name, trainingData: training, dataName: trainName, test: devianceTest(invocation))
            } catch let error as ModelshError where error.argument == "test" {
                throw error.located(at: invocation.location("test"))
            }
        }
        let isF = devianceTest(invocation) == .f
        var table = TextTable(headers: ["term", "df", "deviance", "resid. df", "resid. dev"] + (isF ? ["F", "Pr(>F)"] : ["Pr(>Chi)"]),
                              alignments: [.left] + Array(repeating: .right, count: isF ? 6 : 5))
        table.append(["NULL", "", "", String(anova.nullDegreesOfFreedom), NumberFormat.significant(anova.nullDeviance), ""] + (isF ? [""] : []))
        for row in anova.rows {
            table.append([row.term, String(row.degreesOfFreedom), NumberFormat.significant(row.deviance), String(row.residualDegreesOfFreedom),
                          NumberFormat.significant(row.residualDeviance)] + (isF ? [row.fValue.isNaN ? "" : NumberFormat.figure(row.fValue, digits: 5)] : [])
                         + [pValue(row.pValue)])
        }
        context.emit("Analysis of deviance of '\(name)': each term after those above it, fitted again on \(trainName) (R's anova, test = \"\(isF ? "F" : "Chisq")\")")
        context.emit(.table(table))
        for warning in anova.warnings { context.emit("warning: \(warning)") }
    }

    /// The dataset `train=` names, or else the one of the name the model was fitted on, for
    /// what fits the model again on its rows.
    /// `otherwise` says what needs no data, for the message when there is none.
    private static func trainingData(of model: Model, named name: String, _ invocation: Invocation, _ context: CommandContext,
                                     otherwise: String? = nil) throws -> (String, Dataset) {
        let trainName = invocation.name("train") ?? model.training.datasetName
        guard let training = context.state.variables.dataset(trainName) else {
            throw ModelshError.usage("no dataset '\(trainName)'" + (invocation.has("train") ? "" : ", which \(name) was fitted on; give train=DATA")
                                     + (otherwise.map { " (\($0))" } ?? ""),
                                     at: invocation.location(invocation.has("train") ? "train" : "MODEL"))
        }
        return (trainName, training)
    }

    /// `body`, which fits a model again on its training data, with its errors placed: at the
    /// model when they name it or no train= was given, else at train= (the data was wrong).
    private static func onTrainingData<T>(_ invocation: Invocation, model name: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ModelshError {
            throw error.located(at: invocation.location(error.argument == name || !invocation.has("train") ? "MODEL" : "train"))
        }
    }

    /// The test= a glm's anova asked for (χ² by default).
    private static func devianceTest(_ invocation: Invocation) -> DevianceTest {
        invocation.text("test").flatMap(DevianceTest.init(rawValue:)) ?? .chiSquare
    }

    /// A test's p-value as R prints it, NA where the test is not defined.
    private static func pValue(_ p: Double) -> String { p.isNaN ? "NA" : NumberFormat.pValue(p) }

    /// `anova MODEL OTHER`: R's anova(smaller, larger).
    private static func nestedAnova(_ invocation: Invocation, _ context: CommandContext) throws {
        let names = (invocation.name("MODEL")!, invocation.name("OTHER")!)
        let test: NestedModelTest
        do {
            test = try NestedModelTest(invocation.model("MODEL"), named: names.0, invocation.model("OTHER"), named: names.1, test: devianceTest(invocation))
        } catch let error as ModelshError {
            let at = error.argument == "test" ? "test" : error.argument == names.0 ? "MODEL" : "OTHER"
            throw error.located(at: invocation.location(at))
        }
        let (smaller, larger) = test.givenLargerFirst ? (names.1, names.0) : names
        if test.isLikelihoodRatio {
            // MASS's anova.negbin: each fit's θ and 2 log L, and the likelihood-ratio statistic.
            var table = TextTable(headers: ["model", "theta", "res.df", "2 x log-lik.", "df", "LR stat.", "Pr(Chi)"],
                                  alignments: [.left] + Array(repeating: .right, count: 6))
            for (name, fit) in [(smaller, test.smaller), (larger, test.larger)] {
                table.append([name, NumberFormat.significant(fit.theta ?? .nan), String(fit.residualDegreesOfFreedom), NumberFormat.significant(-fit.residual)]
                             + (fit == test.smaller ? ["", "", ""] : [String(test.degreesOfFreedom), NumberFormat.significant(test.reduction), pValue(test.pValue)]))
            }
            context.emit("Likelihood ratio test of negative binomial models: '\(smaller)' within '\(larger)' (MASS's anova)")
            context.emit(.table(table))
            return
        }
        let hasF = test.isLinear || !test.statistic.isNaN
        var table = TextTable(headers: test.isLinear ? ["model", "res.df", "rss", "df", "sum of sq", "F", "Pr(>F)"]
                                                     : ["model", "res.df", "res.dev", "df", "deviance"] + (hasF ? ["F", "Pr(>F)"] : ["Pr(>Chi)"]),
                              alignments: [.left] + Array(repeating: .right, count: hasF ? 6 : 5))
        table.append([smaller, String(test.smaller.residualDegreesOfFreedom), NumberFormat.significant(test.smaller.residual)]
                     + Array(repeating: "", count: hasF ? 4 : 3))
        table.append([larger, String(test.larger.residualDegreesOfFreedom), NumberFormat.significant(test.larger.residual),
                      String(test.degreesOfFreedom), NumberFormat.significant(test.reduction)]
                     + (hasF ? [NumberFormat.figure(test.statistic, digits: 5)] : []) + [pValue(test.pValue)])
        let rTest = test.isLinear ? "" : hasF ? ", test = \"F\"" : ", test = \"Chisq\""
        context.emit("Analysis of \(test.isLinear ? "variance" : "deviance"): '\(smaller)' within '\(larger)' (R's anova\(rTest))")
        context.emit(.table(table))
    }

    static let evaluate = CommandSpec(
        "evaluate", category: .evaluation,
        summary: "Measure a model on a dataset",
        details: """
        Metrics suited to the model's task, scikit-learn's definitions. Regression: n, MSE, RMSE,
        MAE, MAPE (a fraction), R², adjusted R², explained variance. Classification: accuracy,
        balanced accuracy, macro precision/recall/F1, weighted F1, ROC AUC (one-vs-rest macro
        for more than two classes, plus weighted), log loss and Brier score, then precision,
        recall, F1 and support per class and the confusion matrix (rows: actual class).
        threshold= sets the probability of the second class at which a binary classifier
        predicts it. Rows with a missing target or feature are skipped and counted. The metrics
        are kept with the model version, with the data's fingerprint (see `model m`).
        """,
        example: "evaluate m on test\nevaluate m@1 on test",
        changesState: true,
        forms: [CommandForm([.value(name: "MODEL", kind: .model), .keyword("on"), .value(name: "DATA", kind: .dataset)],
                            options: [OptionSpec("threshold", .number, "a binary classifier predicts the second class from this probability")]) { invocation, context in
            let model = invocation.model("MODEL")
            let threshold = try ThresholdOption.value(invocation, model: model)
            let data = invocation.dataset("DATA")
            let evaluation = try invocation.at("DATA") { try model.evaluate(on: data, threshold: threshold) }
            try context.recordEvaluation(evaluation, of: invocation.modelVersion("MODEL"), on: invocation.name("DATA")!, data)
            var table = TextTable(headers: ["metric", "value"], alignments: [.left, .right])
            for metric in evaluation.metrics { table.append([metric.name, MetricFormat.text(metric)]) }
            context.emit(.table(table))
            guard !evaluation.classes.isEmpty else { return }
            var perClass = TextTable(headers: ["class", "precision", "recall", "f1", "support"], alignments: [.left, .right, .right, .right, .right])
            for (label, scores) in zip(evaluation.classes, evaluation.perClass) {
                perClass.append([TerminalText.escaped(label), NumberFormat.significant(scores.precision, digits: 4), NumberFormat.significant(scores.recall, digits: 4),
                                 NumberFormat.significant(scores.f1, digits: 4), "\(scores.support)"])
            }
            context.emit(.table(perClass))
            let labels = evaluation.classes.map(TerminalText.escaped)
            var confusion = TextTable(headers: ["actual \\ predicted"] + labels, alignments: [.left] + labels.map { _ in .right })
            for (label, row) in zip(labels, evaluation.confusion) { confusion.append([label] + row.map(String.init)) }
            context.emit(.table(confusion))
        }])

    static let predict = CommandSpec(
        "predict", category: .models,
        summary: "Add a model's predictions to a copy of a dataset",
        details: """
        Makes a new dataset: DATA with a column of predictions (named predicted unless column= says
        otherwise; an existing column is never replaced). A classifier's column holds the predicted
        class; probabilities=yes adds one column per class, named COLUMN_CLASS, and threshold= sets
        the probability of the second class at which a binary classifier predicts it (default: the
        most probable class). For a linear model, interval=confidence or interval=prediction adds
        COLUMN_lower and COLUMN_upper, R's predict.lm interval at level= (default 0.95): for the
        mean response, or for a new observation (a weighted fit's new observation has weight
        1, as R assumes). For a Poisson model, interval=confidence gives the expected count's
        interval, e^(η ± z·se(η)) on the link scale; for a binary logistic one, the modelled
        class's probability (COLUMN_CLASS) and its interval, likewise through the logistic
        function. Rows with a missing input get a missing prediction.
        """,
        example: "predict m on test as scored\npredict m on test interval=prediction as bands",
        changesState: true,
        forms: [CommandForm([.value(name: "MODEL", kind: .model), .keyword("on"), .value(name: "DATA", kind: .dataset)],
                            options: [OptionSpec("column", .newName, "the name of the prediction column (default predicted)"),
                                      OptionSpec("probabilities", .switch, "a classifier also adds each class's probability"),
                                      OptionSpec("threshold", .number, "a binary classifier predicts the second class from this probability"),
                                      OptionSpec("interval", .choice(PredictionInterval.allCases.map(\.rawValue)), "adds an interval's ends: confidence (mean response; linear, binary logistic, poisson) or prediction (new observation; linear)"),
                                      OptionSpec("level", .number, "the interval's confidence, in (0, 1) (default 0.95)")],
                            outputs: .dataset("NAME")) { invocation, context in
            let data = invocation.dataset("DATA")
            let (columns, prediction) = try predictionColumns(invocation)
            var added = columns
            let model = invocation.model("MODEL")
            let intervalBase = try intervalColumns(model, on: data, after: &added, invocation, context)
            let column = added[0].name
            var scored = data
            for new in added {
                guard scored.column(named: new.name) == nil else {
                    throw ModelshError.usage("'\(invocation.name("DATA")!)' already has a column '\(new.name)'; name the predictions with column=NAME",
                                             at: invocation.location(invocation.has("column") ? "column" : "DATA"))
                }
                scored = try scored.adding(new)
            }
            try context.define(output: 0, of: invocation, as: .dataset(scored))
            let missing = prediction.rowCount - (0 ..< prediction.rowCount).filter { !added[0].isMissing($0) }.count
            let note = missing == 0 ? "" : "; \(missing) missing"
            let names = added.count > 1 && !invocation.has("probabilities") && !invocation.has("interval")
                ? "\(added[0].name)…\(added[added.count - 1].name)" : column
            let interval = intervalBase.map { base in
                ", the \(NumberFormat.significant((invocation.number("level") ?? 0.95) * 100, digits: 4)) % \(invocation.text("interval")!) interval in '\(base)_lower' and '\(base)_upper'"
            } ?? ""
            context.emit("\(invocation.output(0).name): \(DatasetDescription.shape(of: scored)), predictions in '\(names)'\(interval)\(note)")
        }])

    /// predict's `interval=`: appends to `added` (predict's columns) the interval's ends, named
    /// after the prediction (a classifier's: after its modelled class's probability, added too
    /// unless probabilities= added it), and returns that name; nil without interval=.
    private static func intervalColumns(_ model: Model, on data: Dataset, after added: inout [Column],
                                        _ invocation: Invocation, _ context: CommandContext) throws -> String? {
        guard let interval = invocation.text("interval").flatMap(PredictionInterval.init) else {
            if invocation.has("level") {
                throw ModelshError.usage("level= sets interval='s confidence; give interval=confidence or interval=prediction", at: invocation.location("level"))
            }
            return nil
        }
        let level = invocation.number("level") ?? 0.95
        guard level > 0, level < 1 else {
            throw ModelshError.usage("level must be in (0, 1), found \(NumberFormat.significant(level))", at: invocation.location("level"))
        }
        guard model.state is LinearRegression.Learned || model.state is PoissonState || model.task == .classification && model.schema.classes.count == 2 else {
            throw ModelshError.usage("interval= is for linear models (R's predict.lm), binary logistic and Poisson ones; '\(invocation.name("MODEL")!)' is a \(model.kind) model",
                                     at: invocation.location("interval"))
        }
        let bounds = try invocation.at("interval") { try model.intervals(on: data, interval, level: level) }
        var base = added[0].name
        if model.task == .classification {
            base += "_\(model.schema.classes[1])"
            if !added.contains(where: { $0.name == base }) { added.append(Column.numeric(base, bounds.fit)) }
        }
        added += [Column.numeric(base + "_lower", bounds.lower), Column.numeric(base + "_upper", bounds.upper)]
        if interval == .prediction, model.state is LinearRegression.Learned, model.training.options["weight"] != nil {
            context.emit("warning: assuming constant prediction variance even though the fit is weighted (each new observation of weight 1, as R)")
        }
        return base
    }

    static let transform = CommandSpec(
        "transform", category: .models,
        summary: "A new dataset of a model's output alone: PCA's component scores, k-means' clusters",
        details: """
        Makes a dataset of just the columns predict would add: for pca one column per kept
        component (PC1, PC2, … or COLUMN1, … with column=), for kmeans the cluster, for other
        kinds the prediction. Rows keep DATA's order; a row with a missing input gets missing
        values. The result can be fitted on like any dataset (PCA as preprocessing).
        """,
        example: "transform p on iris as scores",
        changesState: true,
        forms: [CommandForm([.value(name: "MODEL", kind: .model), .keyword("on"), .value(name: "DATA", kind: .dataset)],
                            options: [OptionSpec("column", .newName, "the output column's name (or name prefix for components)")],
                            outputs: .dataset("NAME")) { invocation, context in
            let (columns, _) = try predictionColumns(invocation)
            let result = try Dataset(columns: columns)
            try context.define(output: 0, of: invocation, as: .dataset(result))
            context.emit("\(invocation.output(0).name): \(DatasetDescription.shape(of: result))")
        }])

    static let explain = CommandSpec(
        "explain", category: .evaluation,
        summary: "Rank a model's features by importance",
        details: """
        With on DATA: permutation importance (scikit-learn's): each feature's values are shuffled
        among DATA's rows repeats= times (seeded) and the fall in metric= (default R² or accuracy)
        is averaged; larger means the model leans on it more. The model's own importances
        (trees: impurity decrease) are shown beside them when the kind has them, and alone
        without on DATA. Linear kinds also get standardised coefficients: b·sd(x)/sd(y) on
        DATA (b·sd(x), in log-odds for classifiers, in log-rate for poisson). With feature=X, instead the partial
        dependence on X (scikit-learn's, brute): X set to each grid value (grid= points from
        its 5th to 95th percentile, or its levels) for every row, the predictions averaged.
        """,
        example: "explain m on test repeats=10\nexplain m on test feature=BMI grid=5",
        changesState: false,
        forms: [
            CommandForm([.value(name: "MODEL", kind: .model), .keyword("on"), .value(name: "DATA", kind: .dataset)], options: [
                OptionSpec("metric", .text, "the score whose fall is measured (default r2 or accuracy)"),
                OptionSpec("repeats", .integer(minimum: 1, maximum: 1000), "shuffles per feature (default 5)"),
                OptionSpec("seed", .integer(minimum: 0), "random seed for the shuffles (default 42)"),
                OptionSpec("feature", .text, "show the partial dependence on this feature instead"),
                OptionSpec("grid", .integer(minimum: 2, maximum: 1000), "feature=: grid points (default 10)"),
            ]) { invocation, context in
                let model = invocation.model("MODEL")
                if let feature = invocation.text("feature") {
                    return try explainDependence(model, on: invocation, feature: feature, context: context)
                }
                let result = try invocation.at("DATA") {
                    try PermutationImportance(model: model, data: invocation.dataset("DATA"), metric: invocation.text("metric"),
                                              repeats: invocation.integer("repeats") ?? 5, seed: UInt64(invocation.integer("seed") ?? 42))
                }
                let own = model.state.featureImportances
                let ownByName = own.map { Dictionary(uniqueKeysWithValues: zip(model.schema.features.map(\.name), $0.values)) }
                var table = TextTable(headers: ["feature", "\(result.metric) fall", "sd"] + (own.map { [$0.measure] } ?? []),
                                      alignments: [.left, .right, .right] + (own == nil ? [] : [.right]))
                for feature in result.features {
                    table.append([feature.name, NumberFormat.significant(feature.mean, digits: 4), NumberFormat.significant(feature.standardDeviation, digits: 4)]
                                 + (ownByName.map { [NumberFormat.significant($0[feature.name] ?? .nan, digits: 4)] } ?? []))
                }
                context.emit("\(result.metric) on \(invocation.name("DATA")!): \(NumberFormat.significant(result.baseline)); mean fall over \(invocation.integer("repeats") ?? 5) shuffles per feature")
                context.emit(.table(table))
                if let standardised = try invocation.at("DATA", { try model.standardisedCoefficients(on: invocation.dataset("DATA")) }) {
                    var coefficients = TextTable(headers: ["term", "estimate", "standardised"], alignments: [.left, .right, .right])
                    for row in standardised {
                        coefficients.append([row.term, NumberFormat.significant(row.estimate, digits: 4), NumberFormat.significant(row.standardised, digits: 4)])
                    }
                    context.emit(model.coefficientScale.map { "standardised coefficients (b·sd(x) on \(invocation.name("DATA")!), \($0) per sd):" }
                                 ?? "standardised coefficients (b·sd(x)/sd(y) on \(invocation.name("DATA")!)):")
                    context.emit(.table(coefficients))
                }
            },
            CommandForm([.value(name: "MODEL", kind: .model)]) { invocation, context in
                let model = invocation.model("MODEL")
                guard let table = model.importanceTable() else {
                    throw ModelshError.usage("a \(model.kind) model has no importances of its own; give 'on DATA' for permutation importance",
                                             at: invocation.location("MODEL"))
                }
                context.emit(.table(table))
            },
        ])

    /// `explain MODEL on DATA feature=X`: the partial dependence table.
    private static func explainDependence(_ model: Model, on invocation: Invocation, feature: String, context: CommandContext) throws {
        let dependence = try invocation.at("feature") {
            try PartialDependence(model: model, data: invocation.dataset("DATA"), feature: feature, points: invocation.integer("grid") ?? 10)
        }
        var table = TextTable(headers: [feature] + dependence.outputs, alignments: Array(repeating: .right, count: dependence.outputs.count + 1))
        for (index, value) in dependence.grid.enumerated() {
            table.append([value] + dependence.averages.map { NumberFormat.significant($0[index], digits: 5) })
        }
        context.emit("partial dependence of \(invocation.name("MODEL")!) on \(feature), averaged over \(invocation.name("DATA")!)")
        context.emit(.table(table))
    }

    static let compress = CommandSpec(
        "compress", category: .models,
        summary: "A copy of a model with its learned numbers rounded to float32, float16 or int8",
        details: """
        Rounds the model's coefficients, means, components and leaf values to precision= (int8:
        255 steps of one power-of-two scale per array) after prune= sets coefficients smaller in
        magnitude to zero; tree thresholds become float32, and splits whose two leaves then
        predict the same become one leaf. Prints the sizes of the model's JSON and ONNX files
        before and after (the ONNX export stores the rounded numbers in the smaller type), and
        with on DATA each metric before and after. The original model is unchanged.
        """,
        example: "compress m precision=float16 on test as m_small",
        changesState: true,
        forms: [
            CommandForm([.value(name: "MODEL", kind: .model), .keyword("on"), .value(name: "DATA", kind: .dataset, optional: true)],
                        options: [OptionSpec("precision", .choice(Precision.allCases.map(\.rawValue)), "float32, float16 or int8", required: true),
                                  OptionSpec("prune", .number, "coefficients smaller in magnitude become 0")],
                        outputs: .model("NAME")) { invocation, context in
                let model = invocation.model("MODEL"), name = invocation.output(0).name
                let precision = Precision(rawValue: invocation.text("precision")!)!
                if let prune = invocation.number("prune"), !(prune >= 0 && prune.isFinite) {
                    throw ModelshError.usage("prune= must be a number ≥ 0, not \(NumberFormat.shortest(prune))", at: invocation.location("prune"))
                }
                let small = try invocation.at("MODEL") { try model.compressed(Compression(precision: precision, prune: invocation.number("prune"))) }
                func sizes(_ encode: (Model, String) throws -> Data) throws -> String {
                    "\(NumberFormat.bytes(try encode(model, invocation.name("MODEL")!).count)) → \(NumberFormat.bytes(try encode(small, name).count))"
                }
                let change = try MetricChange.table(invocation, on: "DATA", before: model, after: small,
                                                    headers: ["metric", invocation.name("MODEL")!, name, "change"])
                let id = try context.defineModel(small, of: invocation, parent: invocation.modelVersion("MODEL"))
                context.emit("\(id): \(invocation.name("MODEL")!) compressed to \(precision.rawValue); model file \(try sizes(ModelArchive.encode)), ONNX \(try sizes(ONNXExport.encode))")
                if let change { context.emit(.table(change)) }
            },
        ])

    /// The columns a model's predictions on DATA make: the predicted value or class (and the
    /// class probabilities on request), the cluster, or one column per component.
    static func predictionColumns(_ invocation: Invocation) throws -> (columns: [Column], prediction: Prediction) {
        let data = invocation.dataset("DATA")
        let model = invocation.model("MODEL")
        let prediction = try invocation.at("DATA") { try model.predict(on: data) }
        let column = invocation.text("column") ?? "predicted"
        let threshold = try ThresholdOption.value(invocation, model: model)
        var added: [Column]
        switch prediction {
        case .values(let values):
            if invocation.has("probabilities") {
                throw ModelshError.usage("'\(invocation.name("MODEL")!)' is a regression model; it has no class probabilities", at: invocation.location("probabilities"))
            }
            added = [Column.numeric(column, values)]
        case .classes(let classes):
            let assigned = classes.assigned(threshold: threshold)
            added = [Column.categorical(column, codes: assigned, levels: classes.labels)]
            if invocation.switchValue("probabilities") == true {
                added += zip(classes.labels, classes.probabilities).map { Column.numeric("\(column)_\($0)", $1) }
            }
        case .clusters(let clusters, let count):
            added = [Column.categorical(column, codes: clusters, levels: (1 ... max(count, 1)).map(String.init))]
        case .components(let scores):
            // One column per component, named COLUMN1, COLUMN2, … (PC1, PC2 by default).
            let prefix = invocation.text("column") ?? "PC"
            added = scores.enumerated().map { Column.numeric("\(prefix)\($0.offset + 1)", $0.element) }
        }
        return (added, prediction)
    }
}

/// The `threshold=` option of predict and evaluate: a probability, for binary classifiers only.
enum ThresholdOption {
    static func value(_ invocation: Invocation, model: Model) throws -> Double? {
        guard let threshold = invocation.number("threshold") else { return nil }
        guard model.task == .classification, model.schema.classes.count == 2 else {
            throw ModelshError.usage("threshold= applies to a binary classifier; '\(invocation.name("MODEL")!)' is not one", at: invocation.location("threshold"))
        }
        guard (0 ... 1).contains(threshold) else {
            throw ModelshError.usage("threshold= must be a probability from 0 to 1, not \(NumberFormat.shortest(threshold))", at: invocation.location("threshold"))
        }
        return threshold
    }
}

/// One-line descriptions of models, shared by the commands that make or list them.
enum ModelDescription {
    /// "linear model of Y on 10 features, fitted on train (353 rows, 0 dropped)".
    static func line(for model: Model) -> String {
        let features = model.schema.features.count
        let training = model.training
        let dropped = training.rowsDropped == 0 ? "" : ", \(training.rowsDropped) dropped for missing values"
        let rows = DatasetDescription.rows(training.rowsUsed)
        let of = model.schema.target.map { " of \($0.name)" } ?? ""
        return "\(model.kind) model\(of) on \(features) feature\(features == 1 ? "" : "s"), fitted on \(training.datasetName) (\(rows)\(dropped))"
    }
}

/// Metric values as printed: counts as integers, everything else to 7 significant digits.
enum MetricFormat {
    static func text(_ metric: Metric) -> String {
        if metric.value == metric.value.rounded(), ["n", "skipped"].contains(metric.name) {
            return String(Int(metric.value))
        }
        return NumberFormat.significant(metric.value)
    }
}
