import ArgumentParser
import Diagnostics
import Foundation
import Shell
import Tabular

/// The command line: flags, subcommands and exit codes. Everything else lives in the modules.
@main
struct Modelsh: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "modelsh",
        abstract: "A shell for model management: load data, explore, split, fit, evaluate, save, replay.",
        usage: """
        modelsh                      start the interactive shell
        modelsh FILE.msh             run a session script, then exit
        modelsh -c 'CMD; CMD'        run commands, then exit
        modelsh --recover [JOURNAL]  replay a crashed session's journal, then go on interactively
        modelsh record FILE.msh      run a script and write its output into it as #> lines
        modelsh check FILE.msh…      replay scripts; exit 1 where an output differs
        modelsh export FILE.msh to FILE.html|FILE.md
                                     run a script, then write its cells as a notebook
        """,
        discussion: """
        Inside the shell, 'help' lists the commands. Exit codes follow sysexits: 64 usage, 65 bad data, \
        66 missing input, 70 internal error, 74 I/O error; check exits 1 when an output differs. \
        NO_COLOR turns colour off.
        """,
        version: ModelshVersion.current,
        subcommands: [Start.self, Record.self, Check.self, ExportNotebook.self, Reference.self],
        defaultSubcommand: Start.self)
}

/// `modelsh`, `modelsh FILE.msh`, `modelsh -c 'cmd; cmd'`.
struct Start: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Start the interactive shell, run a script, or run commands given with -c.",
        usage: "modelsh [FILE.msh] [-c 'CMD; CMD']",
        shouldDisplay: false)

    @Option(name: .customShort("c"), help: ArgumentHelp("Commands to run (separated by ';' or newlines), then exit; may be repeated.", valueName: "commands"))
    var commands: [String] = []

    @Argument(help: "A session script (*.msh) to run, then exit; with --recover, the journal to replay.")
    var script: String?

    @Flag(help: "Rebuild a session that ended without quitting from its journal (the newest, or the one given), then go on interactively.")
    var recover = false

    func validate() throws {
        if !commands.isEmpty, script != nil {
            throw ValidationError("give commands with -c or a script, not both")
        }
        if recover, !commands.isEmpty {
            throw ValidationError("--recover goes on interactively; it takes no -c commands")
        }
    }

    func run() throws {
        FreedMemory.keepForReuse()
        let sink = TerminalSink()
        let session = Session(sink: sink)
        if !commands.isEmpty {
            try ScriptRunner.run(Script.parse(commands.joined(separator: "\n")), named: "-c", in: session)
            return
        }
        if recover {
            try REPL(session: session, sink: sink, recovering: JournalRecovery.journal(named: script)).run()
            return
        }
        if let script {
            try ScriptRunner.run(path: script, in: session)
            return
        }
        try REPL(session: session, sink: sink).run()
    }
}

/// `modelsh record FILE.msh`: run the script and write each command's output under it.
struct Record: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a script and write each command's output under it as '#>' lines.")

    @Argument(help: "The session script to record.")
    var script: String

    func run() throws {
        let (run, count) = try ScriptRunner.inScriptDirectory(of: script) { label, parsed in
            let (text, run) = Transcript.record(parsed, file: label)
            try ScriptRunner.write(text, to: label)
            return (run, parsed.entries.count)
        }
        standardOutput("recorded \(run.outputs.compactMap { $0 }.count) of \(count) commands in \(script)")
        if run.stoppedBy != nil {
            FileOutput.standardError("\(script): stopped at an error (use 'set bail off' in the script to record errors)")
            throw failedScriptExitCode
        }
    }
}

/// `modelsh check FILE.msh`: replay and compare with the recorded output.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay a script and fail (exit 1) where any output differs from its '#>' lines.")

    @Argument(help: "The session scripts to check.")
    var scripts: [String]

    func run() throws {
        var failed = false
        for script in scripts {
            let (differences, count) = try ScriptRunner.inScriptDirectory(of: script) { label, parsed in
                (Transcript.check(parsed, file: label), parsed.entries.count)
            }
            if differences.isEmpty {
                standardOutput("ok    \(script) (\(count) command\(count == 1 ? "" : "s"))")
            } else {
                failed = true
                standardOutput("FAIL  \(script): \(differences.count) command\(differences.count == 1 ? " differs" : "s differ")")
                for difference in differences { standardOutput(difference) }
            }
        }
        if failed { throw ExitCode(1) }
    }
}

/// `modelsh export FILE.msh to FILE.html`: run a script, then write its notebook, as
/// `export notebook` does in a session. The script's output goes to the notebook, not the
/// terminal; its errors are shown, and a failed script is still exported (with exit 65).
struct ExportNotebook: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Run a script, then write its cells with their output and plots as a notebook (*.html or *.md).",
        usage: "modelsh export FILE.msh to FILE.html")

    @Argument(help: "The session script to run.")
    var script: String
    @Argument(help: "The word 'to'.")
    var to: String
    @Argument(help: "The notebook to write: *.html (one self-contained file) or *.md (with SVG plots beside it).")
    var notebook: String

    func validate() throws {
        guard to == "to" else { throw ValidationError("expected 'to' after the script, found '\(to)'") }
        do {
            _ = try NotebookExport.format(of: notebook)
        } catch let error as ModelshError {
            throw ValidationError(error.message)
        }
    }

    func run() throws {
        let session = Session(sink: ErrorsOnlySink())
        let failed = Result { try ScriptRunner.run(path: script, in: session) }
        // A script that could not be read ran nothing: there is no notebook to write.
        if session.cells.isEmpty { try failed.get() }
        do {
            try NotebookExport(session).write(to: notebook)
        } catch let error as ModelshError {
            FileOutput.standardError("modelsh: \(error.message)")
            throw ExitCode(error.category.exitCode)
        }
        let count = session.cells.count
        standardOutput("exported \(count) cell\(count == 1 ? "" : "s") of \(script) to \(notebook)")
        try failed.get()
    }
}

/// Shows a script's errors on stderr and keeps the rest for the notebook.
final class ErrorsOnlySink: OutputSink {
    func output(_ text: String) {}
    func error(_ text: String) { FileOutput.standardError(text) }
}

/// `modelsh reference`: the command reference in Markdown, as the README carries it.
struct Reference: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the command reference in Markdown (for the README).", shouldDisplay: false)

    func run() throws {
        standardOutput(HelpText.markdownReference(CommandTable.standard))
    }
}

/// A script, `-c` commands or piped input whose command failed: EX_DATAERR, whatever the
/// command's error was (its message already said what and where).
let failedScriptExitCode = ExitCode(ModelshError.Category.data.exitCode)
/// A script, or piped input, that Ctrl-C stopped.
let interruptedExitCode = ExitCode(ModelshError.Category.interrupted.exitCode)

/// Through the same unbuffered handle as the session's output, so lines keep their order.
func standardOutput(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}
