import Diagnostics
import Foundation
import Models
import Numerics
import Store
import Tabular

/// Commands that watch a model in use: new data checked against the training profile
/// (`validate`), distribution shift (`drift`), and entries recorded with the model version
/// over time (`monitor`, `monitor history`).
enum MonitoringCommands {
    static let all: [CommandSpec] = [validate, drift, monitor]

    static let thresholdOptions = [
        OptionSpec("psi", .number, "the PSI from which a column is drifted (default: set drift_psi, 0.2)"),
        OptionSpec("p", .number, "the test p-value below which a column is drifted (default: set drift_p, 0.01)"),
    ]

    static let validate = CommandSpec(
        "validate", category: .monitoring,
        summary: "Check new data against a model's training schema and profile",
        details: """
        One row per feature: its type in training and here (a missing column or a type the
        model cannot read fails), the share of missing values in training and here (a rise of
        more than 5 points is a warning), values outside the training range (a warning) and
        categories training never saw (a failure, with examples). Then the columns the model
        does not use, and the rows far from the training data: Mahalanobis distance on the
        standardised numeric features with the training means and correlations, beyond the χ²
        quantile at 0.999 (p degrees of freedom), and rows outside a training range or with an
        unseen category; rows=yes lists them (the first 20). The verdict says whether predict
        would refuse the data (fails), should be looked at (warnings), or is ok.
        """,
        example: "validate m on test\nvalidate m on test rows=yes",
        changesState: false,
        forms: [CommandForm([.value(name: "MODEL", kind: .model), .keyword("on"), .value(name: "DATA", kind: .dataset)],
                            options: [OptionSpec("rows", .switch, "list the outlying rows")]) { invocation, context in
            let (model, profile) = try profiled(invocation)
            let validation = DataValidation(model, profile: profile, data: invocation.dataset("DATA"))
            context.emit(MonitoringReports.validation(validation, listRows: invocation.switchValue("rows") ?? false))
        }])

    static let drift = CommandSpec(
        "drift", category: .monitoring,
        summary: "Measure distribution shift: a model's training data against new data, or two datasets",
        details: """
        Per column: the population stability index on the reference's decile bins (levels for
        categories; an empty bin counts as a share of 1e-4), and a test that both samples come
        from one distribution: two-sample Kolmogorov–Smirnov for numbers (statistic and p-value
        as scipy's ks_2samp, exact up to 10,000 values a side), Pearson's χ² of homogeneity for
        categories (as scipy's chi2_contingency, Yates-corrected for two levels). A column is
        drifted when its PSI reaches psi= or its p-value falls below p=, moderate from half of
        psi=, else stable; the overall verdict is the worst. Against a model, the reference is
        the training profile (a sample of up to 1000 values per feature): the features, the
        target if the data has it, and the model's predictions. Between datasets, every column
        of REF (or features=) against CUR, with every value.
        """,
        example: "drift m on test\ndrift train vs test features=AGE,BMI psi=0.1",
        changesState: false,
        forms: [
            CommandForm([.value(name: "MODEL", kind: .model), .keyword("on"), .value(name: "DATA", kind: .dataset)],
                        options: thresholdOptions) { invocation, context in
                let (model, profile) = try profiled(invocation)
                let report = DriftReport(model: model, profile: profile, data: invocation.dataset("DATA"), thresholds: try thresholds(invocation, context))
                context.emit(MonitoringReports.drift(report))
            },
            CommandForm([.value(name: "REF", kind: .dataset), .keyword("vs"), .value(name: "CUR", kind: .dataset)],
                        options: [OptionSpec("features", .columns(of: "REF"), "the columns to compare (default: all of REF's)")] + thresholdOptions) { invocation, context in
                let report = DriftReport(reference: invocation.dataset("REF"), current: invocation.dataset("CUR"),
                                         columns: invocation.words("features"), thresholds: try thresholds(invocation, context))
                context.emit(MonitoringReports.drift(report))
            },
        ])

    static let monitor = CommandSpec(
        "monitor", category: .monitoring,
        summary: "Record a monitoring entry for a model version on new data, or show its history",
        details: """
        `monitor m on new` measures drift as `drift m on new` does and counts outlying rows as
        `validate` does, and keeps an entry with the model version in the registry: the time,
        the data's name, fingerprint and rows, the drift verdict and counts, the largest
        feature PSI and the predictions' PSI. With label=COL (the column of new holding the
        true values) it also evaluates the model and keeps the metrics, shown beside training's.
        Data that validate fails (a feature missing, of a type the model cannot read, or with
        unseen categories) gets the verdict fails, and no metrics: predict would refuse it.
        `monitor history m` lists a version's entries; the key metric (r2, accuracy) is flagged
        where it fell more than drop= (default: set monitor_drop, 0.05) below training's.
        """,
        example: "monitor m on test label=Y\nmonitor history m",
        changesState: true,
        forms: [
            CommandForm([.subcommand("history"), .value(name: "MODEL", kind: .model)],
                        options: [OptionSpec("drop", .number, "flag the key metric where it fell more than this below training's")]) { invocation, context in
                let id = invocation.modelVersion("MODEL")
                let version = context.state.variables.registry.version(id)!
                context.emit(MonitoringReports.history(version, id: id, drop: try drop(invocation, context)))
            },
            CommandForm([.value(name: "MODEL", kind: .model), .keyword("on"), .value(name: "DATA", kind: .dataset)],
                        options: [OptionSpec("label", .column(of: "DATA"), "the column holding the true values (default: none, no metrics)")]
                            + thresholdOptions) { invocation, context in
                try record(invocation, context)
            },
        ])

    /// The model a slot names and its training profile; a model saved before profiles were
    /// kept is refused with what to do.
    static func profiled(_ invocation: Invocation) throws -> (Model, TrainingProfile) {
        let model = invocation.model("MODEL")
        guard let profile = model.profile else {
            let id = invocation.modelVersion("MODEL")
            throw ModelshError.usage("\(id) has no training profile (it was saved by an older modelsh); refit \(id.name) to profile its training data",
                                     at: invocation.location("MODEL"))
        }
        return (model, profile)
    }

    static func thresholds(_ invocation: Invocation, _ context: CommandContext) throws -> DriftThresholds {
        var thresholds = context.state.settings.drift
        if let psi = invocation.number("psi") {
            thresholds.psi = try invocation.at("psi") { try Settings.parsePositive(NumberFormat.shortest(psi), name: "psi") }
        }
        if let p = invocation.number("p") {
            thresholds.p = try invocation.at("p") { try Settings.parsePositive(NumberFormat.shortest(p), name: "p", below: 1) }
        }
        return thresholds
    }

    /// drop= as `set monitor_drop` takes it (above 0), else the setting.
    static func drop(_ invocation: Invocation, _ context: CommandContext) throws -> Double {
        guard let drop = invocation.number("drop") else { return context.state.settings.monitorDrop }
        return try invocation.at("drop") { try Settings.parsePositive(NumberFormat.shortest(drop), name: "drop") }
    }

    private static func record(_ invocation: Invocation, _ context: CommandContext) throws {
        let (model, profile) = try profiled(invocation)
        let id = invocation.modelVersion("MODEL")
        let data = invocation.dataset("DATA"), dataName = invocation.name("DATA")!
        let report = DriftReport(model: model, profile: profile, data: data, thresholds: try thresholds(invocation, context))
        let validation = DataValidation(model, profile: profile, data: data)
        var metrics: [Metric] = []
        let label = invocation.text("label")
        if let label {
            guard model.schema.target != nil else {
                throw ModelshError.usage("a \(model.task.rawValue) model has no target to compare labels with", at: invocation.location("label"))
            }
            // Data predict would refuse has no predictions to score: its entry fails, without metrics.
            if validation.severity != .failure {
                metrics = try invocation.at("label") { try model.evaluate(on: data, actual: label).metrics }
            }
        }
        let features = report.columns.filter { $0.role == "feature" && $0.verdict != .notCompared }
        let entry = MonitoringRecord(
            dataset: dataName, fingerprint: data.fingerprint, time: RegistryTime.wholeSeconds(context.session.clock()), rows: data.rowCount,
            // Data predict would refuse (a feature missing, unreadable or with unseen levels)
            // fails, as validate says, whatever drift found in the columns it could compare.
            verdict: validation.severity == .failure ? MonitoringRecord.failedVerdict : report.verdict.rawValue, compared: report.columns.count - report.count(.notCompared), moderate: report.count(.moderate),
            drifted: report.count(.drifted), maxPSI: features.map(\.psi).max() ?? .nan, predictionPSI: report.prediction?.psi ?? .nan,
            farRows: validation.farRows, outsideRows: validation.outsideRows, label: label, metrics: metrics)
        try context.state.variables.updateRegistry { try $0.appendMonitoring(entry, to: id) }
        let number = context.state.variables.registry.version(id)!.monitoring.count
        context.emit(MonitoringReports.entry(entry, number: number, id: id, training: profile.metrics,
                                             failing: validation.features.filter { $0.severity == .failure }.map(\.name)))
    }
}
