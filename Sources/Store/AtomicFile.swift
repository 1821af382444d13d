#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Diagnostics
import Foundation

/// Crash-safe replacement of a file, with errors that name the file as the user wrote it.
///
/// The new contents go to a temporary file beside the target (so the rename stays on one file
/// system), which is synced and then renamed over the target: a crash at any moment leaves the
/// old file or the new one, never a mixture, and a failure leaves no temporary file behind.
/// Replacing keeps what the user set up around the file:
/// - a symbolic link is written through: the file it finally points to is replaced, so the
///   link stays a link;
/// - the old file's permission bits are kept (a `#!` script stays executable), and its owner
///   and group too when running as root;
/// - a target that is not a regular file (a device such as /dev/null, a FIFO, a directory, a
///   socket), or that the user may not write, is refused rather than replaced.
public enum AtomicFile {
    /// Replaces the file at `path` with the bytes `produce` hands, in order, to the writer it is
    /// given: a block at a time, so a large file need not be held whole (the disk writes of each
    /// 8 MB are started as the next are made, `Writeback`). When `produce` or a write throws, the
    /// new file is removed and the old one is untouched.
    public static func write(to path: String, producing produce: (_ write: (UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        try replace(path) { temporaryPath in
            let descriptor = open(temporaryPath, O_WRONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw cannotWrite(path, errno) }
            defer { close(descriptor) }
            let writeback = Writeback(path: temporaryPath)
            var unstarted = 0
            try produce { bytes in
                var offset = 0
                while offset < bytes.count {
                    let written = systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                    guard written >= 0 else {
                        if errno == EINTR { continue }
                        throw cannotWrite(path, errno)
                    }
                    offset += written
                }
                unstarted += bytes.count
                if unstarted >= writebackBytes {
                    writeback.start()
                    unstarted = 0
                }
            }
        }
    }

    /// Replaces the file at `path` with `data`; on failure the old file is untouched.
    public static func write(_ data: Data, to path: String) throws {
        try write(to: path) { write in try data.withUnsafeBytes(write) }
    }

    /// Replaces the file at `path` with `bytes`; on failure the old file is untouched.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        try write(to: path) { write in try bytes.withUnsafeBytes(write) }
    }

    /// How many bytes are written between starts of their disk writes.
    static let writebackBytes = 8 << 20

    private static func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(descriptor, bytes, count)
        #else
        Darwin.write(descriptor, bytes, count)
        #endif
    }

    /// Replaces `path` with a file that `fill` writes: it gets the path of a new, empty file
    /// beside the target. When `fill` throws, the new file is removed and `path` is untouched.
    static func replace(_ path: String, fill: (_ temporaryPath: String) throws -> Void) throws {
        let target = try resolve(path)
        let temporaryPath = try createTemporaryFile(beside: target.path, reportingAs: path)
        do {
            try fill(temporaryPath)
            try finish(temporaryPath, like: target.existing, reportingAs: path)
            guard rename(temporaryPath, target.path) == 0 else { throw cannotWrite(path, errno) }
        } catch {
            unlink(temporaryPath)
            throw error
        }
        // The rename is durable only once the directory is synced; the file is complete
        // either way, so a failure here is not worth failing the save for.
        let directory = open(directoryName(of: target.path), O_RDONLY | O_CLOEXEC)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
    }

    /// Starts the disk writes of a file being filled while more of it is written, so that the
    /// sync before the rename waits for little: filling a 180 MB file and syncing it took
    /// 0.19–0.39 s here, 0.12–0.18 s when writeback began after every 8 MB (the sync itself
    /// 0.08–0.15 s → 0.005 s). Only where the C library has `sync_file_range` (Linux's);
    /// elsewhere `start()` does nothing.
    final class Writeback {
        /// glibc declares it only with _GNU_SOURCE, which the Glibc module is built without.
        private static let syncFileRange: (@convention(c) (Int32, Int64, Int64, UInt32) -> Int32)? =
            dlsym(nil, "sync_file_range").map { unsafeBitCast($0, to: (@convention(c) (Int32, Int64, Int64, UInt32) -> Int32).self) }
        /// SYNC_FILE_RANGE_WRITE (fcntl.h): start writing the range's dirty pages, wait for nothing.
        private static let startWriting: UInt32 = 2

        private let descriptor: Int32

        init(path: String) {
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
        }

        deinit {
            if descriptor >= 0 { close(descriptor) }
        }

        /// Begins writing the file's dirty pages, without waiting for them. A failure changes
        /// nothing: the sync before the rename writes what this did not.
        func start() {
            if descriptor >= 0, let syncFileRange = Self.syncFileRange { _ = syncFileRange(descriptor, 0, 0, Self.startWriting) }
        }
    }

    // MARK: - The target

    /// The file a write replaces: `path` with every symbolic link followed, and what is there
    /// now (nil when nothing is).
    private struct Target {
        let path: String
        let existing: stat?
    }

    /// As many links as Linux follows before ELOOP.
    private static let maximumLinkDepth = 40

    private static func resolve(_ path: String) throws -> Target {
        var current = path
        for _ in 0..<maximumLinkDepth {
            var info = stat()
            guard lstat(current, &info) == 0 else {
                // Nothing there yet (a dangling link's target counts): the write creates it.
                guard errno == ENOENT else { throw cannotWrite(path, errno) }
                return Target(path: current, existing: nil)
            }
            switch info.st_mode & S_IFMT {
            case S_IFLNK:
                current = try linkDestination(current, reportingAs: path)
            case S_IFREG:
                guard access(current, W_OK) == 0 else {
                    throw errno == EACCES ? cannotWrite(path, reason: "permission denied") : cannotWrite(path, errno)
                }
                return Target(path: current, existing: info)
            default:
                throw cannotWrite(path, reason: "not a regular file")
            }
        }
        throw cannotWrite(path, ELOOP)
    }

    /// Where the link at `link` points, as a path usable from the current directory.
    private static func linkDestination(_ link: String, reportingAs path: String) throws -> String {
        let capacity = Int(PATH_MAX)
        var buffer = [CChar](repeating: 0, count: capacity)
        let count = readlink(link, &buffer, capacity)
        guard count >= 0 else { throw cannotWrite(path, errno) }
        guard count < buffer.count,
              let destination = String(validating: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) else {
            throw cannotWrite(path, reason: "the link's destination is too long or not UTF-8")
        }
        return destination.hasPrefix("/") ? destination : directoryName(of: link) + "/" + destination
    }

    // MARK: - The temporary file

    /// Creates `.NAME.RANDOM.tmp` beside `path` with the mode a plain create would give.
    private static func createTemporaryFile(beside path: String, reportingAs shownPath: String) throws -> String {
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
            guard errno == EEXIST else { throw cannotWrite(shownPath, errno) }
        }
    }

    /// Gives the new file the old one's permission bits (and owner, as root) and syncs it.
    private static func finish(_ temporaryPath: String, like existing: stat?, reportingAs path: String) throws {
        let descriptor = open(temporaryPath, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw cannotWrite(path, errno) }
        defer { close(descriptor) }
        if let existing {
            // Owner first: changing it clears set-id bits, and only root may give files away.
            if geteuid() == 0 { _ = fchown(descriptor, existing.st_uid, existing.st_gid) }
            guard fchmod(descriptor, existing.st_mode & 0o777) == 0 else { throw cannotWrite(path, errno) }
        }
        guard fsync(descriptor) == 0 else { throw cannotWrite(path, errno) }
    }

    // MARK: - Helpers

    private static func directoryName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static func cannotWrite(_ path: String, _ code: Int32) -> ModelshError {
        cannotWrite(path, reason: String(cString: strerror(code)))
    }

    private static func cannotWrite(_ path: String, reason: String) -> ModelshError {
        .io("\(path): cannot write (\(reason))")
    }
}
