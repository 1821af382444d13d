#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Diagnostics
import Foundation

/// Whole-file reads with errors that name the file as the user wrote it; writes go through
/// `AtomicFile`.
enum FileAccess {
    /// Fails with `.noInput` when `path` is missing, unreadable or not a regular file;
    /// otherwise returns its size in bytes.
    @discardableResult
    static func requireReadableFile(_ path: String) throws -> Int {
        var info = stat()
        guard stat(path, &info) == 0 else { throw cannotOpen(path, errno) }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw ModelshError.noInput("\(path): cannot open (not a regular file)")
        }
        guard access(path, R_OK) == 0 else { throw cannotOpen(path, errno) }
        return Int(truncatingIfNeeded: info.st_size)
    }

    static func read(_ path: String) throws -> Data {
        try requireReadableFile(path)
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ModelshError.io("\(path): cannot read (\(error.localizedDescription))")
        }
    }

    private static func cannotOpen(_ path: String, _ code: Int32) -> ModelshError {
        .noInput("\(path): cannot open (\(String(cString: strerror(code))))")
    }
}
