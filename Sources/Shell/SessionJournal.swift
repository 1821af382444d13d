#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Diagnostics
import Foundation

/// The write-ahead log of an interactive session, so a crash loses no committed cell.
///
/// Before a state-changing cell runs, its source is appended to the journal and synced; once
/// it has run, its outcome follows. The file is JSON Lines: a header (modelsh's version, the
/// process id, the working directory and the workspace, if any), then `{"cell":N,"source":…}`,
/// the answers the user gave while it ran, and `{"committed":N}` or `{"failed":N}`. It holds the
/// commands the user typed and nothing else. It lives beside the workspace the session last
/// opened or saved (`w.msw.journal`), or in the state directory for a session with none; a
/// save starts it afresh (the workspace now holds everything) and a clean exit removes it.
public final class SessionJournal {
    /// One line of the file.
    struct Record: Codable {
        var journal: Int?
        var modelsh: String?
        var pid: Int32?
        var started: String?
        var directory: String?
        var workspace: String?
        var cell: Int?
        var source: String?
        var answer: Bool?
        var committed: Int?
        var failed: Int?
    }

    static let formatVersion = 1
    public static let fileExtension = "journal"

    /// Where the journal of a session without a workspace goes (`$XDG_STATE_HOME/modelsh`).
    let stateDirectory: String
    /// The file being written, once the first state-changing cell has begun.
    public private(set) var path: String?
    /// The workspace the journal's cells follow on from.
    private(set) var workspace: String?
    /// A link to it in the state directory when it lives beside a workspace, so that the next
    /// start finds it wherever the workspace is.
    private var link: String?
    private var descriptor: Int32 = -1
    private let started = Date()

    /// Whether cells of `command` are journaled: those that change the session's state. Cells
    /// that only look (show, plot) or write files (save, export, write) are not, so a replay
    /// never writes a file over one changed since; `rerun` is not either, as the cells it runs
    /// are journaled one by one.
    static func keeps(_ command: CommandSpec) -> Bool {
        command.changesState && command.name != CellCommands.rerun.name
    }

    public init(stateDirectory: String) {
        self.stateDirectory = stateDirectory
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Appends cell `number`'s source and syncs it: the cell is on disk before it shows anything.
    func begin(cell number: Int, source: String) throws {
        if descriptor < 0 { try create() }
        try append(Record(cell: number, source: source), sync: true)
    }

    /// An answer to a question the running cell asked (`delete`), so a replay answers the same.
    func record(answer: Bool) throws {
        try append(Record(answer: answer), sync: false)
    }

    /// The running cell's outcome; a committed cell is synced, as its result is about to show.
    func end(cell number: Int, committed: Bool) throws {
        try append(committed ? Record(committed: number) : Record(failed: number), sync: committed)
    }

    /// The session was saved to or opened from `workspace`, which now holds everything: the
    /// journal starts again, beside it. Returns a journal found there that a session which
    /// ended without quitting left behind (kept, so nothing is lost; this session's journal
    /// then goes to the state directory).
    func restart(beside workspace: String) -> JournalFile? {
        discard()
        self.workspace = URL(fileURLWithPath: workspace).standardizedFileURL.path
        let beside = self.workspace! + "." + Self.fileExtension
        guard let existing = try? JournalFile.read(path: beside) else { return nil }
        return existing.isOrphaned ? existing : nil
    }

    /// Removes the journal: the session ended cleanly, or a save made it unneeded.
    public func discard() {
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
        for file in [path, link].compactMap({ $0 }) { unlink(file) }
        (path, link) = (nil, nil)
    }

    // MARK: - The file

    private func create() throws {
        let candidates = (workspace.map { [$0 + "." + Self.fileExtension] } ?? []) + [stateDirectory + "/" + sessionFileName]
        for candidate in candidates {
            // O_EXCL: a journal already there belongs to another session, live or crashed.
            let opened = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o600)
            guard opened >= 0 else {
                if errno == EEXIST || errno == EACCES { continue }
                throw ModelshError.io("\(candidate): cannot write the journal (\(String(cString: strerror(errno))))")
            }
            descriptor = opened
            path = candidate
            if candidate != candidates.last!, symlink(candidate, candidates.last!) == 0 { link = candidates.last! }
            try append(Record(journal: Self.formatVersion, modelsh: ModelshVersion.current, pid: getpid(),
                              started: ISO8601DateFormatter().string(from: started),
                              directory: FileManager.default.currentDirectoryPath, workspace: workspace), sync: true)
            return
        }
        throw ModelshError.io("\(candidates.last!): cannot write the journal (it exists)")
    }

    /// `session-20261130-083000-1234-k3x9.journal`: when, which process, and a random part, so
    /// sessions never share one.
    private lazy var sessionFileName: String = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let random = String(UInt16.random(in: .min ... .max), radix: 36)
        return "session-\(formatter.string(from: started))-\(getpid())-\(random).\(Self.fileExtension)"
    }()

    private func append(_ record: Record, sync: Bool) throws {
        guard descriptor >= 0, let path else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let line = try encoder.encode(record) + Data("\n".utf8)
        let written = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == line.count, !sync || fsync(descriptor) == 0 else {
            throw ModelshError.io("\(path): cannot write the journal (\(String(cString: strerror(errno))))")
        }
    }
}

/// A journal read back: what `--recover` replays.
public struct JournalFile {
    public struct Cell {
        public enum Outcome { case committed, failed, unfinished }
        public let number: Int
        public let source: String
        public var answers: [Bool] = []
        public var outcome = Outcome.unfinished
    }

    public let path: String
    public let version: String
    public let pid: Int32
    public let started: String
    public let directory: String
    public let workspace: String?
    public let cells: [Cell]

    public var committedCells: [Cell] { cells.filter { $0.outcome == .committed } }

    /// Reads the journal at `path`; a torn last line (the crash came mid-write) is ignored.
    public static func read(path: String) throws -> JournalFile {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ModelshError.noInput("\(path): cannot open the journal (\(error.localizedDescription))")
        }
        let decoder = JSONDecoder()
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast()
        let records = lines.compactMap { try? decoder.decode(SessionJournal.Record.self, from: Data($0)) }
        guard let header = records.first, header.journal == SessionJournal.formatVersion,
              let version = header.modelsh, let pid = header.pid, let directory = header.directory else {
            throw ModelshError.data("\(path): not a modelsh journal")
        }
        var cells: [Cell] = []
        for record in records.dropFirst() {
            if let number = record.cell, let source = record.source {
                cells.append(Cell(number: number, source: source))
            } else if let answer = record.answer, !cells.isEmpty {
                cells[cells.count - 1].answers.append(answer)
            } else if let number = record.committed ?? record.failed, cells.last?.number == number {
                cells[cells.count - 1].outcome = record.committed != nil ? .committed : .failed
            }
        }
        return JournalFile(path: path, version: version, pid: pid, started: header.started ?? "",
                           directory: directory, workspace: header.workspace, cells: cells)
    }

    /// Whether the session that wrote it has gone without removing it: its process is not
    /// running, or another program has taken its process id.
    public var isOrphaned: Bool {
        guard pid != getpid() else { return false }
        guard kill(pid, 0) == 0 || errno == EPERM else { return true }
        guard let name = try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8) else { return false }
        return name.trimmingCharacters(in: .whitespacesAndNewlines) != "modelsh"
    }

    /// The orphaned journals in `directories`, newest first. A link to a journal beside a
    /// workspace counts as that journal; a link whose journal is gone is removed.
    public static func orphans(in directories: [String]) -> [JournalFile] {
        var found: [(JournalFile, Date)] = []
        var seen: Set<String> = []
        for directory in Set(directories.map { URL(fileURLWithPath: $0).standardizedFileURL.path }) {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for name in names where name.hasSuffix("." + SessionJournal.fileExtension) {
                var path = directory + "/" + name
                if let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
                    guard FileManager.default.fileExists(atPath: destination) else {
                        unlink(path)
                        continue
                    }
                    path = destination
                }
                guard seen.insert(path).inserted, let journal = try? read(path: path), journal.isOrphaned else { continue }
                let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? .distantPast
                found.append((journal, modified))
            }
        }
        return found.sorted { $0.1 > $1.1 }.map(\.0)
    }
}
