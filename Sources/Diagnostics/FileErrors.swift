#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one wording of a file that cannot be read, whichever command reads it (`load`, `open`,
/// `run`, `load model`): "PATH: cannot open (REASON)", the path first as in every other error
/// about a file's contents ("PATH:3: …").
extension ModelshError {
    public static func cannotOpen(_ path: String, reason: String) -> ModelshError {
        .noInput("\(path): cannot open (\(reason))")
    }

    /// With the system's reason for `code` (an errno), e.g. "No such file or directory".
    public static func cannotOpen(_ path: String, errno code: Int32) -> ModelshError {
        cannotOpen(path, reason: String(cString: strerror(code)))
    }

    /// A file that opened but failed while it was read.
    public static func cannotRead(_ path: String, reason: String) -> ModelshError {
        .noInput("\(path): cannot read (\(reason))")
    }

    /// With the system's reason for `code` (an errno).
    public static func cannotRead(_ path: String, errno code: Int32) -> ModelshError {
        cannotRead(path, reason: String(cString: strerror(code)))
    }
}

public enum ReadableFile {
    /// Why a file of this `stat` mode is not one to read (a directory, a device that never
    /// ends, a FIFO that waits for a writer), or nil for a regular file.
    public static func problem(mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "it is a directory"
        default: return "not a regular file"
        }
    }

    /// Fails with `.noInput` when `path` is missing, unreadable or not a regular file;
    /// otherwise returns its size in bytes.
    @discardableResult
    public static func size(of path: String) throws -> Int {
        var info = stat()
        guard stat(path, &info) == 0 else { throw ModelshError.cannotOpen(path, errno: errno) }
        if let problem = problem(mode: info.st_mode) { throw ModelshError.cannotOpen(path, reason: problem) }
        guard access(path, R_OK) == 0 else { throw ModelshError.cannotOpen(path, errno: errno) }
        return Int(truncatingIfNeeded: info.st_size)
    }
}
