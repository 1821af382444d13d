import ArgumentParser
import Diagnostics
import Foundation
import Shell
import Store

/// Running script files from the command line.
enum ScriptRunner {
    /// `modelsh FILE.msh`: each statement in order, stopping at the first error unless the
    /// script says `set bail off`. Paths in the script are relative to the current directory.
    static func run(path: String, in session: Session) throws {
        try run(try read(path), named: path, in: session)
    }

    /// Runs `script` statement by statement (so a syntax error on one line does not keep the
    /// lines before it from running), as `modelsh FILE` and `modelsh -c` both do; exits 65 if any
    /// statement failed, 130 if Ctrl-C stopped it. Ctrl-C stops the running command as in the
    /// shell (a file being written is removed, the old one kept), then the script; a second one
    /// ends the process at once.
    static func run(_ script: Script, named name: String, in session: Session) throws {
        Interruption.installHandler()
        let outcome = session.run(script, named: name)
        if outcome.stoppedBy?.category == .interrupted { throw interruptedExitCode }
        if outcome.failed { throw failedScriptExitCode }
    }

    /// The script at `path`, or exit 66 (missing) / 65 (not text) with the reason.
    private static func read(_ path: String) throws -> Script {
        do {
            return try Script.read(path: path)
        } catch let error as ModelshError {
            FileOutput.standardError("modelsh: \(error.message)")
            throw ExitCode(error.category.exitCode)
        }
    }

    /// Reads the script for `record`/`check` and runs `body` in its directory, so its relative
    /// paths and its error locations (`tour.msh:3:5`) are the same wherever it is checked from;
    /// the current directory is restored afterwards.
    static func inScriptDirectory<T>(of path: String, _ body: (_ label: String, _ script: Script) throws -> T) throws -> T {
        let script = try read(path)
        let url = URL(fileURLWithPath: path)
        let startDirectory = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(url.deletingLastPathComponent().path)
        defer { FileManager.default.changeCurrentDirectoryPath(startDirectory) }
        return try body(url.lastPathComponent, script)
    }

    /// Replaces the file atomically, so an interrupted `record` never leaves half a script, by
    /// the store's rules: through symlinks, keeping the mode (a `#!` script stays executable).
    static func write(_ text: String, to path: String) throws {
        do {
            try AtomicFile.write(Data(text.utf8), to: path)
        } catch let error as ModelshError {
            FileOutput.standardError("modelsh: \(error.message)")
            throw ExitCode(error.category.exitCode)
        }
    }
}
