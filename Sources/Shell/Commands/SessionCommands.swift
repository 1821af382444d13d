import Diagnostics
import Models
import Numerics
import Store
import Tabular

/// Commands about the session itself: what is in it, what was run, help, settings, quitting.
enum SessionCommands {
    static let all: [CommandSpec] = [vars, drop, history] + CellCommands.all + UndoCommands.all + [help, apropos, set, quit]

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
                    // Names are identifiers, written as they are.
                    let size = (try? model.archiveSize.value { try ModelArchive.encode(model, name: "").count }).map { NumberFormat.bytes($0 + name.utf8.count) } ?? ""
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
        details: """
        One row per cell: its number, whether it succeeded (ok or failed), and its input (the
        first line, with … when it goes on). With `set timer on`, also how long each cell took
        (blank for cells from an opened workspace, which keeps no times), so transcripts
        without the timer stay the same from run to run.
        """,
        example: "history",
        changesState: false,
        forms: [CommandForm([]) { _, context in
            let timed = context.state.settings.timer
            var table = TextTable(headers: ["cell", "status"] + (timed ? ["time"] : []) + ["input"],
                                  alignments: [.right, .left] + (timed ? [.right] : []) + [.left])
            for cell in context.session.cells {
                let lines = cell.input.split(separator: "\n")
                let shown = (lines.first.map(String.init) ?? "") + (lines.count > 1 ? " …" : "")
                let time = cell.duration.map(NumberFormat.seconds) ?? ""
                table.append([String(cell.number), cell.succeeded ? "ok" : "failed"] + (timed ? [time] : []) + [shown])
            }
            context.emit(.table(table))
        }])

    static let help = CommandSpec(
        "help", category: .session,
        summary: "List the commands, or explain one",
        details: """
        Without a name, lists every command by topic. With a command's name, shows its forms,
        options and an example. `help topics` lists the topics; `help TOPIC` (data, models,
        evaluation, files, session, …) the commands of one (a command of the same name wins).
        """,
        example: "help split\nhelp topics\nhelp data",
        changesState: false,
        forms: [CommandForm([.value(name: "COMMAND|TOPIC", kind: .helpSubject, optional: true)]) { invocation, context in
            let table = context.session.table
            let subject = invocation.text("COMMAND|TOPIC")
            if let subject, let spec = table.command(named: subject) {
                context.emit(HelpText.command(spec))
            } else if subject == "topics" {
                context.emit(HelpText.topicList(table))
            } else if let topic = HelpText.topics(table).first(where: { $0.topic == subject }) {
                context.emit(HelpText.topic(topic, in: table))
            } else {
                context.emit(HelpText.overview(table))
            }
        }])

    static let apropos = CommandSpec(
        "apropos", category: .session,
        summary: "Find the commands that mention a word",
        details: "Lists the commands whose name, summary, details or options mention WORD, ignoring case (as man's apropos).",
        example: "apropos missing",
        changesState: false,
        forms: [CommandForm([.value(name: "WORD", kind: .text)]) { invocation, context in
            let word = invocation.text("WORD")!
            let found = HelpText.apropos(word, context.session.table)
            guard !found.isEmpty else { return context.emit("no command mentions '\(word)' ('help' lists them all)") }
            context.emit(HelpText.listing(found, heading: "Commands that mention '\(word)':"))
        }])

    static let set = CommandSpec(
        "set", category: .session,
        summary: "Change a setting, or list the settings",
        details: "Settings: " + Settings.entries.map { "\n  \($0.name) \($0.values)  \($0.help)" }.joined(),
        example: "set bail off\nset tolerance 1e-6\nset format=markdown digits=4",
        changesState: true,
        forms: [CommandForm([.value(name: "NAME", kind: .setting, optional: true), .value(name: "VALUE", kind: .settingValue(of: "NAME"), optional: true)],
                            options: Settings.entries.map { OptionSpec($0.name, .settingValue(of: $0.name), $0.help) }) { invocation, context in
            let given = Settings.entries.map(\.name).filter(invocation.has)
            guard let name = invocation.text("NAME") else {
                guard given.isEmpty else {
                    // `set format=csv digits=4`: each NAME=VALUE in turn.
                    for name in given { try invocation.at(name) { try context.state.settings.set(name, to: invocation.text(name)!) } }
                    return
                }
                var table = TextTable(headers: ["setting", "value", "meaning"])
                for entry in Settings.entries {
                    table.append([entry.name, context.state.settings.value(of: entry.name) ?? "", entry.help])
                }
                context.emit(.table(table))
                return
            }
            guard given.isEmpty else {
                throw ModelshError.usage("set takes NAME VALUE or NAME=VALUE…, not both", at: invocation.location(given[0]))
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
