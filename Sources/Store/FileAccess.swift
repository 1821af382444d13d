#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Diagnostics
import Foundation

/// Whole-file reads and crash-safe replacement, with errors that name the file as the user
/// wrote it.
enum FileAccess {
    /// Fails with `.noInput` when `path` is missing, unreadable or not a regular file.
    static func requireReadableFile(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { throw cannotOpen(path, errno) }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw ModelshError.noInput("\(path): cannot open (not a regular file)")
        }
        guard access(path, R_OK) == 0 else { throw cannotOpen(path, errno) }
    }

    static func read(_ path: String) throws -> Data {
        try requireReadableFile(path)
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ModelshError.io("\(path): cannot read (\(error.localizedDescription))")
        }
    }

    static func write(_ data: Data, to path: String) throws {
        try replace(path) { temporaryPath in
            do {
                try data.write(to: URL(fileURLWithPath: temporaryPath))
            } catch {
                throw ModelshError.io("\(path): cannot write (\(error.localizedDescription))")
            }
        }
    }

    /// Replaces `path` so that a crash at any moment leaves either the old file or the new one,
    /// never a mixture: `fill` writes a new, empty file in the same directory (so the rename
    /// stays on one file system), which is synced and then renamed over `path`. When `fill`
    /// throws, the new file is removed and `path` is untouched.
    static func replace(_ path: String, fill: (_ temporaryPath: String) throws -> Void) throws {
        let temporaryPath = try createTemporaryFile(beside: path)
        do {
            try fill(temporaryPath)
            try sync(temporaryPath, reportingAs: path)
            guard rename(temporaryPath, path) == 0 else { throw cannotWrite(path, errno) }
        } catch {
            unlink(temporaryPath)
            throw error
        }
        // The rename is durable only once the directory is synced; the file is complete
        // either way, so a failure here is not worth failing the save for.
        let directory = open(directoryName(of: path), O_RDONLY | O_CLOEXEC)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
    }

    // MARK: - Helpers

    /// Creates `.NAME.RANDOM.tmp` beside `path` with the mode a plain create would give.
    private static func createTemporaryFile(beside path: String) throws -> String {
        let directory = directoryName(of: path)
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
        var generator = SystemRandomNumberGenerator()
        while true {
            let suffix = String(generator.next() as UInt64, radix: 36)
            let candidate = "\(directory)/.\(name).\(suffix).tmp"
            let descriptor = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if descriptor >= 0 {
                close(descriptor)
                return candidate
            }
            guard errno == EEXIST else { throw cannotWrite(path, errno) }
        }
    }

    private static func sync(_ temporaryPath: String, reportingAs path: String) throws {
        let descriptor = open(temporaryPath, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw cannotWrite(path, errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw cannotWrite(path, errno) }
    }

    private static func directoryName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static func cannotOpen(_ path: String, _ code: Int32) -> ModelshError {
        .noInput("\(path): cannot open (\(String(cString: strerror(code))))")
    }

    private static func cannotWrite(_ path: String, _ code: Int32) -> ModelshError {
        .io("\(path): cannot write (\(String(cString: strerror(code))))")
    }
}
