import Diagnostics
import Models
import Numerics
import Tabular

/// Commands that improve a model: learn from more rows, choose features, choose the kind.
enum OptimisationCommands {
    static let all: [CommandSpec] = [update]

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
        on the new rows only (scikit-learn's partial_fit), with its own options. Other kinds are
        refused: refit them. With on TEST, prints the metrics before and after on TEST. The new
        version's parent is MODEL's version.
        """,
        example: "update m with more on test as m",
        changesState: true,
        forms: [CommandForm([.value(name: "MODEL", kind: .model), .keyword("with"), .value(name: "NEW", kind: .dataset),
                             .keyword("on"), .value(name: "TEST", kind: .dataset, optional: true)],
                            outputs: .model("NAME")) { invocation, context in
            let model = invocation.model("MODEL")
            let updated = try invocation.at("NEW") { try model.updated(with: invocation.dataset("NEW"), datasetName: invocation.name("NEW")!) }
            let id = try context.defineModel(updated, of: invocation, parent: invocation.modelVersion("MODEL"))
            let added = updated.training.rowsUsed - model.training.rowsUsed
            context.emit("\(id): \(ModelDescription.line(for: updated)); \(DatasetDescription.rows(added)) added")
            if invocation.has("TEST") {
                let test = invocation.dataset("TEST")
                let (before, after) = try invocation.at("TEST") { (try model.evaluate(on: test).metrics, try updated.evaluate(on: test).metrics) }
                context.emit("on \(invocation.name("TEST")!):")
                context.emit(.table(MetricChange.table(before: before, after: after)))
            }
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
}
