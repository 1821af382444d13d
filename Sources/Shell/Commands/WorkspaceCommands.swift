import Diagnostics
import Foundation
import Models
import Numerics
import Store
import Tabular

/// Commands that write and read files: models, workspaces and scripts.
enum WorkspaceCommands {
    static let all: [CommandSpec] = [save, export, open, run]

    static let save = CommandSpec(
        "save", category: .workspace,
        summary: "Save a model to a JSON file, or the whole session to a workspace file",
        details: """
        `save MODEL to "m.json"` writes the model in modelsh's documented, data-only JSON format
        (with its training schema); MODEL may name a version (`save m@2 to "m2.json"`). `save workspace "w.msw"` writes every dataset, model, the
        model version with its history (the registry), the cell log and the settings to one SQLite file, in one transaction: if anything fails the
        previous file is left as it was.
        """,
        example: "save m to \"m.json\"\nsave workspace \"diabetes.msw\"",
        changesState: false,
        forms: [
            CommandForm([.keyword("workspace"), .value(name: "PATH", kind: .path)]) { invocation, context in
                let path = invocation.text("PATH")!
                let contents = context.session.contents(of: context.state)
                try invocation.at("PATH") { try Workspace.save(contents, to: path) }
                context.session.markSaved(as: path)
                context.emit("saved \(WorkspaceDescription.counts(contents)) to \"\(path)\"")
            },
            CommandForm([.value(name: "MODEL", kind: .model), .keyword("to"), .value(name: "PATH", kind: .path)]) { invocation, context in
                let path = invocation.text("PATH")!
                let id = invocation.modelVersion("MODEL")
                try invocation.at("PATH") { try ModelArchive.save(invocation.model("MODEL"), name: id.name, to: path) }
                context.emit("saved model \(id) to \"\(path)\"")
            },
        ])

    static let export = CommandSpec(
        "export", category: .workspace,
        summary: "Export a model to ONNX, write a model version's card, or the session as a notebook",
        details: """
        `export MODEL to "m.onnx"` writes the model with its preprocessing as an ONNX graph
        (opset 21 with ai.onnx.ml 5, double precision) that onnxruntime and other ONNX consumers
        run: one input per feature, outputs named as skl2onnx names them (see the README's "ONNX
        export"). A kind ONNX cannot express is refused with the reason. `export card m@2 to
        "card.md"` writes a model card in Markdown: what the model is for (its target and task),
        the data it was fitted on, its features, parameters and preprocessing, every evaluation's
        metrics, and its lineage (the command that made it, parent, grid, aliases, the other
        versions of its name). `export notebook to "session.html"` (or `.md`) writes every cell's
        input and output so far, in order, with its plots, under a header with the date, modelsh's
        version and the workspace: HTML is one self-contained file (plots inline as SVG, no
        scripts); Markdown writes each plot as an SVG file beside it (`session-cell4.svg`). Files
        are replaced atomically; `write` writes datasets.
        """,
        example: "export m to \"m.onnx\"\nexport card m@2 to \"card.md\"\nexport notebook to \"session.html\"",
        changesState: false,
        forms: [
            CommandForm([.keyword("notebook"), .keyword("to"), .value(name: "PATH", kind: .path)]) { invocation, context in
                let path = invocation.text("PATH")!
                let notebook = NotebookExport(context.session)
                let files = try invocation.at("PATH") { try notebook.write(to: path) }
                let plots = files > 1 ? " and \(files - 1) SVG plot\(files == 2 ? "" : "s") beside it" : ""
                context.emit("exported \(notebook.cells.count) cell\(notebook.cells.count == 1 ? "" : "s") to \"\(path)\"\(plots)")
            },
            RegistryCommands.exportCard,
            CommandForm([.value(name: "MODEL", kind: .model), .keyword("to"), .value(name: "PATH", kind: .path)]) { invocation, context in
                let name = invocation.name("MODEL")!, path = invocation.text("PATH")!
                guard (path as NSString).pathExtension.lowercased() == ONNXExport.fileExtension else {
                    throw ModelshError.usage("a model is exported to ONNX, a file named *.onnx, not \"\(path)\" (save writes modelsh's JSON)", at: invocation.location("PATH"))
                }
                let bytes = try invocation.at("MODEL") { try ONNXExport.encode(invocation.model("MODEL"), name: name) }
                try invocation.at("PATH") { try AtomicFile.write(bytes, to: path) }
                context.emit("exported model \(invocation.modelVersion("MODEL")) to \"\(path)\" (ONNX, \(NumberFormat.bytes(bytes.count)))")
            },
        ])

    static let open = CommandSpec(
        "open", category: .workspace,
        summary: "Open a workspace file, replacing the session's datasets, models and cell log",
        details: "Reads a file written by `save workspace`. Opening never runs code from the file; a damaged file or one from a newer modelsh is refused with a message and the session is left as it was.",
        example: "open \"diabetes.msw\"",
        changesState: false,
        forms: [CommandForm([.value(name: "PATH", kind: .path)]) { invocation, context in
            let path = invocation.text("PATH")!
            let contents = try invocation.at("PATH") { try Workspace.open(path: path) }
            do {
                try context.session.restore(contents, into: context)
            } catch let error as ModelshError where error.category != .interrupted {
                // What the file holds was refused (a setting edited by hand): the file is at fault.
                throw ModelshError.data("\(path): damaged workspace (\(error.message))", at: invocation.location("PATH"))
            }
            context.session.markSaved(as: path)
            context.emit("opened \"\(path)\": \(WorkspaceDescription.counts(contents))")
        }])

    static let run = CommandSpec(
        "run", category: .workspace,
        summary: "Run a session script (*.msh) in this session",
        details: "Runs each command of the script in order, as if typed; recorded `#>` lines are ignored. With `set bail on` (the default) the script stops at its first error and the session is left as it was before `run`. Scripts may run scripts, up to 16 deep.",
        example: "run \"tour.msh\"",
        changesState: true,
        forms: [CommandForm([.value(name: "PATH", kind: .path)]) { invocation, context in
            let path = invocation.text("PATH")!
            try invocation.at("PATH") { try context.session.runScript(at: path, context: context) }
        }])
}

enum WorkspaceDescription {
    /// "2 datasets, 1 model, 12 cells".
    static func counts(_ contents: WorkspaceContents) -> String {
        let plural = DatasetDescription.counted
        let versions = contents.registry.allVersions.count
        let models = plural(contents.registry.names.count, "model") + (versions == contents.registry.names.count ? "" : " (\(plural(versions, "version")))")
        return [plural(contents.datasets.count, "dataset"), models, plural(contents.cells.count, "cell")].joined(separator: ", ")
    }
}
