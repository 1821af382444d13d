import Diagnostics
import Foundation
import Models
import Numerics
import Store
import Tabular

/// How validate, drift and monitor print what they found.
enum MonitoringReports {
    /// Listing outlying rows stops after this many.
    static let listedRows = 20

    static func validation(_ validation: DataValidation, listRows: Bool) -> Report {
        var report = Report()
        var table = TextTable(headers: ["feature", "training", "here", "missing", "out of range", "unseen", "finding"],
                              alignments: [.left, .left, .left, .left, .right, .left, .left])
        for check in validation.features {
            let missing = percent(check.trainingMissingRate) + " → " + (check.currentMissingRate.map(percent) ?? "—")
            let unseen = check.unseen.map { count in
                count == 0 ? "0" : "\(count): " + check.unseenExamples.map { "'\(TerminalText.escaped($0))'" }.joined(separator: ", ")
            } ?? "—"
            table.append([TerminalText.escaped(check.name), check.trainingType.rawValue, check.currentType?.rawValue ?? "—", missing,
                          check.outOfRange.map(String.init) ?? "—", unseen, check.findings.isEmpty ? "ok" : check.findings.joined(separator: "; ")])
        }
        report.add(.table(table))
        if !validation.extraColumns.isEmpty {
            report.add("not used by the model: " + validation.extraColumns.map(TerminalText.escaped).joined(separator: ", "))
        }
        let far = validation.distanceThreshold.map { threshold in
            "\(validation.farRows) far from the training data (Mahalanobis d² > \(NumberFormat.significant(threshold, digits: 4)) on \(DatasetDescription.counted(validation.distanceFeatures.count, "numeric feature")))"
        } ?? "distance not measured (a numeric feature it needs is absent or not numeric)"
        report.add("outlying rows of \(validation.rows): \(far), \(validation.outsideRows) outside a training range or with an unseen category")
        if listRows, !validation.outlying.isEmpty {
            var rows = TextTable(headers: ["row", "d²", "outside"], alignments: [.right, .right, .left])
            for row in validation.outlying.prefix(listedRows) {
                rows.append(["\(row.row + 1)", psi(row.squaredDistance),
                             row.outside.isEmpty ? "—" : row.outside.map(TerminalText.escaped).joined(separator: ", ")])
            }
            if validation.outlying.count > listedRows { rows.footer = "(\(listedRows) of \(validation.outlying.count) rows)" }
            report.add(.table(rows))
        }
        report.add("verdict: " + verdict(validation))
        return report
    }

    private static func verdict(_ validation: DataValidation) -> String {
        func names(_ severity: DataValidation.Severity) -> String {
            validation.features.filter { $0.severity == severity }.map { TerminalText.escaped($0.name) }.joined(separator: ", ")
        }
        switch validation.severity {
        case .failure: return "fails (\(names(.failure))): predict would refuse this data"
        case .warning: return "warnings (\(names(.warning))): predict will run; check these features"
        case .ok: return validation.outlying.isEmpty ? "ok" : "ok, but \(DatasetDescription.counted(validation.outlying.count, "outlying row"))"
        }
    }

    static func drift(_ drift: DriftReport) -> Report {
        var report = Report()
        var table = TextTable(headers: ["column", "role", "test", "psi", "statistic", "p-value", "verdict", "note"],
                              alignments: [.left, .left, .left, .right, .right, .right, .left, .left])
        for column in drift.columns {
            let compared = column.test != nil
            table.append([TerminalText.escaped(column.name), column.role, column.test ?? "—",
                          compared ? NumberFormat.significant(column.psi, digits: 4) : "—",
                          compared ? NumberFormat.significant(column.statistic, digits: 4) : "—",
                          compared ? NumberFormat.pValue(column.pValue) : "—", column.verdict.rawValue, column.note])
        }
        report.add(.table(table))
        let compared = drift.columns.count - drift.count(.notCompared)
        let thresholds = "psi=\(NumberFormat.significant(drift.thresholds.psi)) p=\(NumberFormat.significant(drift.thresholds.p))"
        report.add("verdict: \(drift.verdict.rawValue) (\(drift.count(.drifted)) drifted, \(drift.count(.moderate)) moderate, "
                   + "\(drift.count(.stable)) stable of \(compared) compared; \(thresholds))")
        return report
    }

    /// `failing`: the features validate failed, named after a `fails` verdict.
    static func entry(_ entry: MonitoringRecord, number: Int, id: ModelVersionID, training: [Metric], failing: [String]) -> Report {
        var report = Report()
        let prediction = entry.predictionPSI.isNaN ? "not compared" : NumberFormat.significant(entry.predictionPSI, digits: 4)
        let verdict = failing.isEmpty ? entry.verdict
            : "\(entry.verdict) (\(failing.map(TerminalText.escaped).joined(separator: ", ")): predict would refuse this data)"
        report.add("\(id) on \(TerminalText.escaped(entry.dataset)) (\(DatasetDescription.rows(entry.rows))): \(verdict), \(entry.drifted) drifted and "
                   + "\(entry.moderate) moderate of \(entry.compared) compared; prediction PSI \(prediction); "
                   + "\(DatasetDescription.rows(entry.farRows)) far, \(entry.outsideRows) outside training ranges")
        if !entry.metrics.isEmpty {
            var table = TextTable(headers: ["metric", "training", "here", "change"], alignments: [.left, .right, .right, .right])
            for metric in entry.metrics {
                let before = training.first { $0.name == metric.name }
                table.append([metric.name, before.map(MetricFormat.text) ?? "—", MetricFormat.text(metric),
                              before.flatMap { ["n", "skipped"].contains(metric.name) ? nil : NumberFormat.significant(metric.value - $0.value, digits: 4) } ?? "—"])
            }
            report.add(.table(table))
        }
        report.add("recorded as entry \(number) of \(id)")
        return report
    }

    static func history(_ version: ModelVersion, id: ModelVersionID, drop: Double) -> Report {
        var report = Report()
        guard !version.monitoring.isEmpty else {
            report.add("\(id) has no monitoring entries (try: monitor \(id.name) on NEW)")
            return report
        }
        let key = ModelVersion.headlineMetric(for: version.model.task)
        let trained = version.model.profile?.metrics.first { $0.name == key }?.value
        var table = TextTable(headers: ["#", "time", "data", "rows", "drift", "drifted", "max psi", "pred psi", "far", key, "flag"],
                              alignments: [.right, .left, .left, .right, .left, .right, .right, .right, .right, .right, .left])
        for (index, entry) in version.monitoring.enumerated() {
            let value = entry.metric(key)
            let fell = value.flatMap { value in trained.map { $0 - value } }
            let flag = fell.map { $0 > drop ? "fell \(NumberFormat.significant($0, digits: 3))" : "" } ?? ""
            table.append(["\(index + 1)", RegistryTime.text(entry.time), TerminalText.escaped(entry.dataset), "\(entry.rows)", entry.verdict,
                          "\(entry.drifted)", psi(entry.maxPSI), psi(entry.predictionPSI), "\(entry.farRows)",
                          value.map { NumberFormat.significant($0, digits: 4) } ?? "—", flag])
        }
        let baseline = trained.map { "training \(key) \(NumberFormat.significant($0, digits: 4)); " } ?? ""
        table.footer = "\(baseline)flagged where \(key) fell more than \(NumberFormat.significant(drop)) below training's"
        report.add(.table(table))
        return report
    }

    /// A figure, or "—" where there is none (NaN).
    private static func psi(_ value: Double) -> String { value.isNaN ? "—" : NumberFormat.significant(value, digits: 4) }

    private static func percent(_ rate: Double) -> String { NumberFormat.fixed(rate * 100, decimals: 1) + "%" }
}
