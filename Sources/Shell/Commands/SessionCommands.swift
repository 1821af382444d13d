import Diagnostics
import Models
import Numerics
import Store
import Tabular

/// Commands about the session itself: what is in it, what was run, help, settings, quitting.
enum SessionCommands {
    static let all: [CommandSpec] = [vars, drop, history, help, set, quit]

    static let vars = CommandSpec(
        "vars", category: .session,
        summary: "List the datasets and models in the session",
        details: "One row per name, in the order they were made: kind, size (a dataset's memory, a model's saved JSON) and a short description.",
        example: "vars",
        changesState: false,
        forms: [CommandForm([]) { _, context in
            let variables = context.state.variables
            guard !variables.names.isEmpty else {
                context.emit("no datasets or models yet (try: load \"data/iris.csv\" as iris)")
                return
            }
            var table = TextTable(headers: ["name", "kind", "size", "description"], alignments: [.left, .left, .right, .left])
            for name in variables.names {
                if let data = variables.dataset(name) {
                    table.append([name, "dataset", NumberFormat.bytes(data.approximateByteCount), DatasetDescription.shape(of: data)])
                } else if let model = variables.model(name) {
                    let size = (try? ModelArchive.encode(model, name: name).count).map(NumberFormat.bytes) ?? ""
                    table.append([name, "model", size, ModelDescription.line(for: model)])
                } else {
                    table.append([name, "model", "", "every version retired (models all lists them)"])
                }
            }
            context.emit(.table(table))
        }])

    static let drop = CommandSpec(
        "drop", category: .session,
        summary: "Remove datasets or models from the session",
        details: "Removes each named dataset or model; a model goes with every version, alias and evaluation (delete m@1 removes one version). Names that do not exist are an error and nothing is removed.",
        example: "drop scored, m2",
        changesState: true,
        forms: [CommandForm([.value(name: "NAMES", kind: .list(.variable))]) { invocation, context in
            let names = invocation.words("NAMES")!
            for name in names { context.state.variables.remove(name) }
            context.emit("dropped \(names.joined(separator: ", "))")
        }])

    static let history = CommandSpec(
        "history", category: .session,
        summary: "List the cells run so far",
        details: "One row per cell: its number, whether it succeeded, and its input (the first line, with … when it goes on).",
        example: "history",
        changesState: false,
        forms: [CommandForm([]) { _, context in
            var table = TextTable(headers: ["cell", "status", "input"], alignments: [.right, .left, .left])
            for cell in context.session.cells {
                let lines = cell.input.split(separator: "\n")
                let shown = (lines.first.map(String.init) ?? "") + (lines.count > 1 ? " …" : "")
                table.append([String(cell.number), cell.succeeded ? "ok" : "error", shown])
            }
            context.emit(.table(table))
        }])

    static let help = CommandSpec(
        "help", category: .session,
        summary: "List the commands, or explain one",
        details: "Without a name, lists every command by group. With a name, shows its forms, options and an example.",
        example: "help split",
        changesState: false,
        forms: [CommandForm([.value(name: "COMMAND", kind: .command, optional: true)]) { invocation, context in
            let table = context.session.table
            if let name = invocation.text("COMMAND"), let spec = table.command(named: name) {
                context.emit(HelpText.command(spec))
            } else {
                context.emit(HelpText.overview(table))
            }
        }])

    static let set = CommandSpec(
        "set", category: .session,
        summary: "Change a setting, or list the settings",
        details: "Settings: " + Settings.entries.map { "\n  \($0.name) \($0.values)  \($0.help)" }.joined(),
        example: "set bail off\nset tolerance 1e-6",
        changesState: true,
        forms: [CommandForm([.value(name: "NAME", kind: .setting, optional: true), .value(name: "VALUE", kind: .settingValue(of: "NAME"), optional: true)]) { invocation, context in
            guard let name = invocation.text("NAME") else {
                var table = TextTable(headers: ["setting", "value", "meaning"])
                for entry in Settings.entries {
                    table.append([entry.name, context.state.settings.value(of: entry.name) ?? "", entry.help])
                }
                context.emit(.table(table))
                return
            }
            guard let value = invocation.text("VALUE") else {
                context.emit("\(name) \(context.state.settings.value(of: name) ?? "")")
                return
            }
            try invocation.at("VALUE") { try context.state.settings.set(name, to: value) }
        }])

    static let quit = CommandSpec(
        "quit", aliases: ["exit"], category: .session,
        summary: "Leave modelsh",
        details: "Ends the session (Ctrl-D on an empty line does the same). Unsaved datasets and models are lost; `save workspace` keeps them.",
        example: "quit",
        changesState: false,
        forms: [CommandForm([]) { _, context in
            context.session.requestQuit()
        }])
}
