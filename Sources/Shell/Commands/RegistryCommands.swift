import Diagnostics
import Foundation
import Models
import Numerics
import Store
import Tabular

/// Commands over the model registry: every version of every model, its lineage, evaluations
/// and aliases.
enum RegistryCommands {
    static let all: [CommandSpec] = [models, model, diff, compare, alias, unalias, retire, delete]

    static let models = CommandSpec(
        "models", category: .registry,
        summary: "List the model versions: kind, target, key metric, data, when, aliases",
        details: """
        One row per version (name@version), in the order made: kind, target, the key metric of
        its latest evaluation (r2 for regression, accuracy for classification, inertia_per_row
        for clustering, reconstruction_mse for components) and the data it was measured on, the
        data it was fitted on, the cell that made it and when (UTC), its aliases, and whether it
        is what the bare name means (current). sort= orders by any metric of the latest
        evaluation that has it, best first (highest for scores, lowest for errors and losses);
        versions never measured with it come last. `models all` lists retired versions too.
        """,
        example: "models\nmodels sort=rmse\nmodels all",
        changesState: false,
        forms: [CommandForm([.value(name: "all", kind: .choice(["all"]), optional: true)],
                            options: [OptionSpec("sort", .text, "a metric to order by, best first (r2, rmse, accuracy, …)")]) { invocation, context in
            let registry = context.state.variables.registry
            guard !registry.names.isEmpty else {
                context.emit("no models yet (try: fit linear train target=Y as m)")
                return
            }
            let listed = registry.allVersions.filter { invocation.has("all") || !$0.version.retired }
            let metric = try invocation.text("sort").map { try requireMetric($0, among: listed.map(\.version), at: invocation.location("sort")) }
            context.emit(.table(RegistryReports.listing(sorted(listed, by: metric), registry: registry, metric: metric)))
        }])

    static let model = CommandSpec(
        "model", category: .registry,
        summary: "Show a model version's card: what, from which data, made how, measured where",
        details: """
        Everything the registry knows of one version: kind, task, target, features, parameters
        and preprocessing, what it learned in one line, the data it was fitted on (the rows and
        columns used and their fingerprint), the cell and command that made it and when, its
        parent and tuning grid, aliases, whether it is current or retired, and every evaluation
        run on it.
        """,
        example: "model m\nmodel m@2\nmodel m@production",
        changesState: false,
        forms: [CommandForm([.value(name: "MODEL", kind: .model)]) { invocation, context in
            context.emit(RegistryReports.card(invocation.modelVersion("MODEL"), registry: context.state.variables.registry))
        }])

    static let diff = CommandSpec(
        "diff", category: .registry,
        summary: "What changed between two model versions: parameters, features, coefficients, metrics",
        details: """
        Compares two versions (of one name or two): the settings that differ (kind, target,
        features, parameters, preprocessing, training data), the coefficients side by side for
        linear kinds (or a line on each model's structure: trees, leaves, clusters), and the
        metrics of their latest evaluations on the same data (the same fingerprint, whatever the
        dataset is called).
        """,
        example: "diff m@1 m@2",
        changesState: false,
        forms: [CommandForm([.value(name: "A", kind: .model), .value(name: "B", kind: .model)]) { invocation, context in
            context.emit(RegistryReports.diff(invocation.modelVersion("A"), invocation.modelVersion("B"), registry: context.state.variables.registry))
        }])

    static let compare = CommandSpec(
        "compare", category: .registry,
        summary: "Evaluate several models on one dataset and rank them",
        details: """
        Evaluates each listed model (names or versions) on DATA and ranks them on one table by
        metric= (default the key metric: r2 for regression, accuracy for classification), best
        first; ties keep the order given. Each evaluation is kept with its version, as evaluate's.
        """,
        example: "compare m@1, m@2, small on test\ncompare m, m@production on test metric=rmse",
        changesState: true,
        forms: [CommandForm([.value(name: "MODELS", kind: .list(.model)), .keyword("on"), .value(name: "DATA", kind: .dataset)],
                            options: [OptionSpec("metric", .text, "the metric to rank by (default r2 or accuracy)")]) { invocation, context in
            try compareModels(invocation, context)
        }])

    static let alias = CommandSpec(
        "alias", category: .registry,
        summary: "Name a model version (m@production), or list the aliases",
        details: """
        `alias m@2 production` makes m@production mean m@2. An alias names one version of its
        model: setting it on another version moves it there (as MLflow's aliases). Without
        arguments, lists every alias (with a model alone, that model's). `unalias` removes one.
        """,
        example: "alias m@2 production\nalias",
        changesState: true,
        forms: [CommandForm([.value(name: "MODEL", kind: .model, optional: true), .value(name: "ALIAS", kind: .newName, optional: true)]) { invocation, context in
            guard let alias = invocation.text("ALIAS") else {
                context.emit(aliasListing(context.state.variables.registry, of: invocation.has("MODEL") ? invocation.modelVersion("MODEL").name : nil))
                return
            }
            let id = invocation.modelVersion("MODEL")
            let moved = try invocation.at("ALIAS") { try context.state.variables.updateRegistry { try $0.setAlias(alias, to: id) } }
            let from = moved.flatMap { $0 == id.version ? nil : " (moved from \(id.name)@\($0))" } ?? ""
            context.emit("\(id.name)@\(alias) → \(id)\(from)")
        }])

    static let unalias = CommandSpec(
        "unalias", category: .registry,
        summary: "Remove a model version's alias",
        details: "`unalias m@production` removes the alias; the version it named stays.",
        example: "unalias m@production",
        changesState: true,
        forms: [CommandForm([.value(name: "MODEL", kind: .model)]) { invocation, context in
            guard case .versioned(let name, let alias)? = invocation.values["MODEL"]?.value, Int(alias) == nil else {
                throw ModelshError.usage("unalias takes an alias, as m@production", at: invocation.location("MODEL"))
            }
            try context.state.variables.updateRegistry { try $0.removeAlias(alias, from: name) }
            context.emit("removed alias \(name)@\(alias) (it named \(invocation.modelVersion("MODEL")))")
        }])

    static let retire = CommandSpec(
        "retire", category: .registry,
        summary: "Retire a model version: kept for lineage, but no longer what the name means",
        details: """
        The bare name then means the latest version not retired. A retired version is still
        there by number or alias (m@1), in `models all`, in lineage and in saved workspaces.
        """,
        example: "retire m@1",
        changesState: true,
        forms: [CommandForm([.value(name: "MODEL", kind: .model)]) { invocation, context in
            let id = invocation.modelVersion("MODEL")
            guard context.state.variables.registry.version(id)?.retired == false else {
                throw ModelshError.usage("\(id) is already retired", at: invocation.location("MODEL"))
            }
            try context.state.variables.updateRegistry { try $0.setRetired(true, id) }
            let current = context.state.variables.registry[id.name]?.current
            context.emit("retired \(id); " + (current.map { "\(id.name) now means \(id.name)@\($0.number)" } ?? "every version of \(id.name) is retired"))
        }])

    static let delete = CommandSpec(
        "delete", category: .registry,
        summary: "Delete a model version, after confirmation",
        details: """
        Removes one version and its aliases for good (its number is not reused; `retire` keeps a
        version for lineage instead). Interactively it asks first; a script, -c or piped input
        cannot answer, so there it must say confirm=yes. Deleting the only version left removes
        the name, as `drop` does.
        """,
        example: "delete m@1\ndelete m@2 confirm=yes",
        changesState: true,
        forms: [CommandForm([.value(name: "MODEL", kind: .model)],
                            options: [OptionSpec("confirm", .switch, "yes deletes without asking (needed in scripts)")]) { invocation, context in
            let id = invocation.modelVersion("MODEL")
            guard try confirmed(invocation, context, question: "delete \(id) (\(ModelDescription.line(for: invocation.model("MODEL"))))?") else {
                context.emit("kept \(id)")
                return
            }
            let aliases = context.state.variables.registry[id.name]!.aliases(of: id.version)
            let nameGone = try context.state.variables.updateRegistry { try $0.delete(id) }
            let notes = (aliases.isEmpty ? [] : ["with its alias\(aliases.count == 1 ? "" : "es") " + aliases.joined(separator: ", ")])
                + (nameGone ? ["the last version of \(id.name), so the name is gone"] : [])
            context.emit("deleted \(id)" + (notes.isEmpty ? "" : " (\(notes.joined(separator: "; ")))"))
        }])

    /// `export card MODEL to PATH` (a form of `export`): a Markdown model card.
    static let exportCard = CommandForm([.keyword("card"), .value(name: "MODEL", kind: .model), .keyword("to"), .value(name: "PATH", kind: .path)]) { invocation, context in
        let id = invocation.modelVersion("MODEL")
        let path = invocation.text("PATH")!
        let card = ModelCard.markdown(id, registry: context.state.variables.registry)
        try invocation.at("PATH") { try AtomicFile.write(Data(card.utf8), to: path) }
        context.emit("wrote the card of \(id) to \"\(path)\"")
    }

    // MARK: - Helpers

    /// Every alias (of one model, when `name` is given), as `m@production → m@2`.
    private static func aliasListing(_ registry: ModelRegistry, of name: String?) -> Report {
        var table = TextTable(headers: ["alias", "version"])
        for model in name.map({ [$0] }) ?? registry.names {
            for (alias, number) in registry[model]!.aliases.sorted(by: { $0.key < $1.key }) {
                table.append(["\(model)@\(alias)", "\(model)@\(number)"])
            }
        }
        return table.rows.isEmpty ? .text("no aliases yet (try: alias m@1 production)") : .table(table)
    }

    /// Whether `delete` may go ahead: confirm= says so, or the user answers yes; without either
    /// way to be sure, the command refuses.
    private static func confirmed(_ invocation: Invocation, _ context: CommandContext, question: String) throws -> Bool {
        if let answer = invocation.switchValue("confirm") { return answer }
        guard let answer = context.session.ask(question) else {
            throw ModelshError.usage("\(invocation.spec.name) asks for confirmation, and a script, -c or piped input cannot answer: write '\(invocation.syntax.source) confirm=yes'")
        }
        return answer
    }

    /// The metric `name`, if some listed version has an evaluation with it.
    private static func requireMetric(_ name: String, among versions: [ModelVersion], at location: SourceLocation) throws -> String {
        let known = Set(versions.flatMap { $0.evaluations.flatMap { $0.metrics.map(\.name) } }).filter { $0 != "n" && $0 != "skipped" }
        guard known.contains(name) else {
            let listing = known.isEmpty ? "no version has been evaluated yet" : "metrics: " + known.sorted().joined(separator: ", ")
            throw ModelshError.usage("no version has a '\(name)' from an evaluation" + EditDistance.didYouMean(name, among: known) + " (\(listing))", at: location)
        }
        return name
    }

    /// Best first by the metric's latest value; unmeasured versions last; ties keep order.
    static func sorted(_ versions: [(name: String, version: ModelVersion)], by metric: String?) -> [(name: String, version: ModelVersion)] {
        guard let metric else { return versions }
        let values = versions.map { $0.version.latestEvaluation(with: metric)?.metric(metric) }
        return Ranking.order(values, higherIsBetter: MetricDirection.higherIsBetter(metric)).map { versions[$0] }
    }

    private static func compareModels(_ invocation: Invocation, _ context: CommandContext) throws {
        let ids = invocation.modelVersions("MODELS")
        let registry = context.state.variables.registry
        if let repeated = ids.enumerated().first(where: { ids[..<$0.offset].contains($0.element) }) {
            throw ModelshError.usage("\(repeated.element) is listed twice", at: invocation.location("MODELS"))
        }
        let models = ids.map { registry.version($0)!.model }
        guard Set(models.map(\.task)).count == 1 else {
            throw ModelshError.usage("compare ranks models of one task; these mix " + Set(models.map(\.task.rawValue)).sorted().joined(separator: " and "),
                                     at: invocation.location("MODELS"))
        }
        let data = invocation.dataset("DATA")
        let dataName = invocation.name("DATA")!
        var evaluations: [Evaluation] = []
        for (id, model) in zip(ids, models) {
            let evaluation = try invocation.at("DATA") {
                do { return try model.evaluate(on: data) } catch let error as ModelshError {
                    throw ModelshError(error.category, "\(id): \(error.message)", argument: error.argument)
                }
            }
            try context.recordEvaluation(evaluation, of: id, on: dataName, data)
            evaluations.append(evaluation)
        }
        let task = models[0].task
        let metric = invocation.text("metric") ?? ModelVersion.headlineMetric(for: task)
        let shown = CrossValidation.shownMetrics(for: task, classes: models[0].schema.classes.count).filter { name in evaluations.allSatisfy { $0.metric(name) != nil } }
        guard evaluations.allSatisfy({ $0.metric(metric) != nil }) else {
            let known = evaluations[0].metrics.map(\.name).filter { $0 != "n" && $0 != "skipped" }
            throw ModelshError.usage("unknown metric '\(metric)' for \(task.rawValue)" + EditDistance.didYouMean(metric, among: known)
                                     + " (metrics: \(known.joined(separator: ", ")))", at: invocation.location("metric"))
        }
        let columns = [metric] + shown.filter { $0 != metric }
        let order = Ranking.order(evaluations.map { $0.metric(metric) }, higherIsBetter: MetricDirection.higherIsBetter(metric))
        var table = TextTable(headers: ["rank", "model", "kind", "n"] + columns, alignments: [.right, .left, .left, .right] + columns.map { _ in .right })
        for (rank, index) in order.enumerated() {
            let evaluation = evaluations[index]
            table.append(["\(rank + 1)", ids[index].description, models[index].kind, evaluation.metric("n").map { String(Int($0)) } ?? ""]
                         + columns.map { NumberFormat.significant(evaluation.metric($0) ?? .nan) })
        }
        context.emit("\(ids.count) model\(ids.count == 1 ? "" : "s") on \(dataName) (\(DatasetDescription.rows(data.rowCount))), ranked by \(metric)")
        context.emit(.table(table))
    }
}

/// Orders by a value, best first; missing values last; ties (and missing ones) keep their order.
enum Ranking {
    static func order(_ values: [Double?], higherIsBetter: Bool) -> [Int] {
        values.indices.sorted { a, b in
            switch (values[a].flatMap { $0.isNaN ? nil : $0 }, values[b].flatMap { $0.isNaN ? nil : $0 }) {
            case (let x?, let y?): return x == y ? a < b : (higherIsBetter ? x > y : x < y)
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a < b
            }
        }
    }
}
