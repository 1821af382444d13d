import ArgumentParser
import Diagnostics
import Foundation
import LineEditor
import Shell

/// Finding the journal a crashed session left, for `modelsh --recover` and the question at start.
enum JournalRecovery {
    /// The state directory (journals of sessions with no workspace), if there is one.
    static var stateDirectory: String? {
        HistoryLocation.stateDirectory(environment: ProcessInfo.processInfo.environment)
    }

    /// Orphaned journals with something to replay, newest first: in the state directory and
    /// the current directory (where a workspace, and its journal, usually is).
    static func orphans() -> [JournalFile] {
        let directories = [stateDirectory, FileManager.default.currentDirectoryPath].compactMap { $0 }
        return JournalFile.orphans(in: directories).filter { !$0.committedCells.isEmpty }
    }

    /// `--recover [JOURNAL]`: the journal named, or the newest orphan; exit 66 when there is none.
    static func journal(named path: String?) throws -> JournalFile {
        do {
            guard let path else {
                guard let newest = orphans().first else {
                    throw ModelshError.noInput("no journal of a session that ended without quitting in \(stateDirectory ?? "~/.local/state/modelsh") or the current directory")
                }
                return newest
            }
            let journal = try JournalFile.read(path: path)
            guard journal.isOrphaned else {
                throw ModelshError.usage("\(path): the session that writes it (process \(journal.pid)) is still running")
            }
            return journal
        } catch let error as ModelshError {
            FileOutput.standardError("modelsh: \(error.message)")
            throw ExitCode(error.category.exitCode)
        }
    }

    /// Replays `journal` into `session`, then removes it (its cells are in the session, and in
    /// the session's own journal); a journal some of whose cells failed is kept, renamed, for
    /// the user to look at.
    static func recover(_ journal: JournalFile, into session: Session) {
        let recovery = session.replay(journal)
        if recovery.failed.isEmpty {
            unlink(journal.path)
        } else {
            let kept = journal.path + ".failed"
            rename(journal.path, kept)
            FileOutput.standardError("the journal is kept as \"\(kept)\"")
        }
    }
}
