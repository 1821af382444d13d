import Diagnostics
import Models
import Numerics
import Store
import Tabular

/// What the registry knows of one version, as labelled lines: shared by `model` (the card),
/// `diff` (the lines that differ) and `export card` (Markdown).
struct VersionFacts {
    let id: ModelVersionID
    let version: ModelVersion
    let entry: RegisteredModel

    init(_ id: ModelVersionID, registry: ModelRegistry) {
        self.id = id
        entry = registry[id.name]!
        version = entry.version(id.version)!
    }

    var model: Model { version.model }

    var status: String {
        if version.retired { return "retired" }
        return entry.current?.number == id.version ? "current (\(id.name) means \(id))" : "not current (\(id.name) means \(id.name)@\(entry.current!.number))"
    }

    var features: String {
        // With interactions, the terms (`wt, hp, wt:hp`), as the fit named them.
        let names = model.schema.terms == nil ? model.schema.features.map { Identifier.written($0.name) } : model.schema.termLabels
        return names.isEmpty ? "none" : names.joined(separator: ", ")
    }

    var parameters: String { model.training.parameters.isEmpty ? "defaults" : model.training.parameters }

    var data: String {
        let training = model.training
        let columns = model.schema.features.count + (model.schema.target == nil ? 0 : 1)
        let dropped = training.rowsDropped == 0 ? "" : ", \(training.rowsDropped) dropped"
        return "\(training.datasetName): \(DatasetDescription.rows(training.rowsUsed)) × \(columns) column\(columns == 1 ? "" : "s") used\(dropped), fingerprint \(training.fingerprint)"
    }

    var madeBy: String {
        guard let command = version.origin.command else { return "unknown (from a format-2 workspace)" }
        return (version.origin.cell.map { "cell \($0): " } ?? "") + TerminalText.escaped(command)
    }

    var created: String { version.origin.created.map(RegistryTime.text) ?? "unknown" }

    var parent: String {
        guard let parent = version.origin.parent else { return "none" }
        return parent.description
    }

    var grid: String? {
        version.origin.grid.map { $0.map { "\($0.name)=\($0.values.joined(separator: ","))" }.joined(separator: " ") }
    }

    var aliases: String {
        let names = entry.aliases(of: id.version)
        return names.isEmpty ? "none" : names.map { "\(id.name)@\($0)" }.joined(separator: ", ")
    }

    /// The fields `diff` compares, by label.
    var comparable: [(label: String, value: String)] {
        [("kind", model.kind), ("task", model.task.rawValue), ("target", model.schema.target.map { Identifier.written($0.name) } ?? "none"),
         ("features", features), ("parameters", parameters), ("preprocessing", model.preprocessing.settings.description),
         ("data", data), ("parent", parent)]
    }

    /// Every field of the card, in order; `grid` only for tuned versions.
    var card: [(label: String, value: String)] {
        var lines: [(String, String)] = [("status", status)]
        lines += comparable.filter { $0.label != "parent" && $0.label != "data" }
        lines += [("learned", model.structureLine), ("data", data), ("made by", madeBy), ("created", created), ("parent", parent)]
        if let grid { lines.append(("grid", grid)) }
        lines.append(("aliases", aliases))
        return lines
    }

    /// The metrics worth a column for this model's task: n, then those cv shows.
    var shownMetrics: [String] {
        ["n"] + CrossValidation.shownMetrics(for: model.task, classes: model.schema.classes.count)
    }
}

/// The reports of the registry commands.
enum RegistryReports {
    /// `models`: one row per version.
    static func listing(_ versions: [(name: String, version: ModelVersion)], registry: ModelRegistry, metric: String?) -> TextTable {
        var table = TextTable(headers: ["model", "kind", "target", "metric", "value", "on", "data", "cell", "created", "aliases", "status"],
                              alignments: [.left, .left, .left, .left, .right, .left, .left, .right, .left, .left, .left])
        for (name, version) in versions {
            let facts = VersionFacts(ModelVersionID(name: name, version: version.number), registry: registry)
            let model = version.model
            let shownMetric = metric ?? ModelVersion.headlineMetric(for: model.task)
            let evaluation = version.latestEvaluation(with: shownMetric)
            let aliases = facts.entry.aliases(of: version.number)
            let status = version.retired ? "retired" : facts.entry.current?.number == version.number ? "current" : ""
            table.append([facts.id.description, model.kind, model.schema.target.map { Identifier.written($0.name) } ?? "—",
                          evaluation == nil ? "—" : shownMetric, evaluation?.metric(shownMetric).map { NumberFormat.significant($0) } ?? "",
                          evaluation?.dataset ?? "", "\(model.training.datasetName) (\(DatasetDescription.rows(model.training.rowsUsed)))",
                          version.origin.cell.map(String.init) ?? "", facts.created, aliases.joined(separator: ", "), status])
        }
        return table
    }

    /// `model m@2`: every field, then the evaluations.
    static func card(_ id: ModelVersionID, registry: ModelRegistry) -> Report {
        let facts = VersionFacts(id, registry: registry)
        var report = Report()
        report.add("\(id): \(ModelDescription.line(for: facts.model))")
        let width = facts.card.map(\.label.count).max()!
        for (label, value) in facts.card {
            report.add("  " + label.padding(toLength: width + 2, withPad: " ", startingAt: 0) + value)
        }
        guard !facts.version.evaluations.isEmpty else {
            report.add("evaluations: none yet (evaluate \(id) on DATA)")
            return report
        }
        report.add("evaluations:")
        report.add(evaluationTable(facts))
        return report
    }

    static func evaluationTable(_ facts: VersionFacts) -> TextTable {
        let metrics = facts.shownMetrics
        var table = TextTable(headers: ["dataset", "fingerprint", "time"] + metrics, alignments: [.left, .left, .left] + metrics.map { _ in .right })
        for evaluation in facts.version.evaluations {
            table.append([evaluation.dataset, evaluation.fingerprint, RegistryTime.text(evaluation.time)]
                         + metrics.map { name in evaluation.metric(name).map { MetricFormat.text(Metric(name: name, value: $0)) } ?? "" })
        }
        return table
    }

    /// `diff a b`: the differing fields, the coefficients or structure, the metrics on shared data.
    static func diff(_ a: ModelVersionID, _ b: ModelVersionID, registry: ModelRegistry) -> Report {
        let (left, right) = (VersionFacts(a, registry: registry), VersionFacts(b, registry: registry))
        var report = Report()
        let pairs = zip(left.comparable, right.comparable)
        let changed = pairs.filter { $0.0.value != $0.1.value }
        if changed.isEmpty {
            report.add("\(a) and \(b) have the same settings and data")
        } else {
            var table = TextTable(headers: ["", a.description, b.description])
            for (l, r) in changed { table.append([l.label, l.value, r.value]) }
            report.add(table)
            let same = pairs.filter { $0.0.value == $0.1.value }.map(\.0.label)
            if !same.isEmpty { report.add("same: " + same.joined(separator: ", ")) }
        }
        report.add(learnedDifference(left, right))
        report.add(metricDifference(left, right))
        return report
    }

    private static func learnedDifference(_ left: VersionFacts, _ right: VersionFacts) -> Report {
        guard let a = left.model.namedCoefficients, let b = right.model.namedCoefficients else {
            return .text("learned: \(left.id) \(left.model.structureLine); \(right.id) \(right.model.structureLine)")
        }
        let (valuesA, valuesB) = (Dictionary(a, uniquingKeysWith: { x, _ in x }), Dictionary(b, uniquingKeysWith: { x, _ in x }))
        var terms = a.map(\.term)
        for term in b.map(\.term) where valuesA[term] == nil { terms.append(term) }
        var table = TextTable(headers: ["coefficient", left.id.description, right.id.description, "change"], alignments: [.left, .right, .right, .right])
        func text(_ value: Double?) -> String { value.map { $0.isNaN ? "NA" : NumberFormat.significant($0) } ?? "—" }
        for term in terms {
            let (x, y) = (valuesA[term], valuesB[term])
            let change = (x.flatMap { x in y.map { $0 - x } }).map { $0.isNaN ? "" : NumberFormat.significant($0) } ?? ""
            table.append([TerminalText.escaped(term), text(x), text(y), change])
        }
        return .table(table)
    }

    /// The latest evaluations of the two on data with one fingerprint (the newer such pair).
    private static func metricDifference(_ left: VersionFacts, _ right: VersionFacts) -> Report {
        let shared = right.version.evaluations.reversed().first { r in left.version.evaluations.contains { $0.fingerprint == r.fingerprint } }
        guard let rightEvaluation = shared, let leftEvaluation = left.version.evaluations.last(where: { $0.fingerprint == rightEvaluation.fingerprint }) else {
            return .text("metrics: no evaluations on the same data (evaluate both on one dataset, or compare them on it)")
        }
        var report = Report.text("metrics on \(rightEvaluation.dataset) (fingerprint \(rightEvaluation.fingerprint)):")
        let names = (left.shownMetrics + right.shownMetrics).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            .filter { leftEvaluation.metric($0) != nil && rightEvaluation.metric($0) != nil }
        var table = TextTable(headers: ["metric", left.id.description, right.id.description, "change"], alignments: [.left, .right, .right, .right])
        for name in names {
            let (x, y) = (leftEvaluation.metric(name)!, rightEvaluation.metric(name)!)
            table.append([name, MetricFormat.text(Metric(name: name, value: x)), MetricFormat.text(Metric(name: name, value: y)), NumberFormat.significant(y - x)])
        }
        report.add(table)
        return report
    }
}
