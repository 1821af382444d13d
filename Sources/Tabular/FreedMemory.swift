#if canImport(Glibc)
import Glibc
#endif

/// Giving memory back to the system in the middle of a load, so that its peak is the columns'
/// size rather than the columns plus what reading them freed.
enum FreedMemory {
    /// Returns the freed memory that the C allocator keeps for reuse (glibc's `malloc_trim`).
    /// Reading frees megabytes in small arrays (its pieces' values, level tables outgrown) that a
    /// column's largest array, allocated at the end, cannot reuse; without this they would stay
    /// resident under it.
    static func returnToSystem() {
        #if canImport(Glibc)
        _ = mallocTrim?(0)
        #endif
    }

    /// Gives the whole pages inside `bytes` back to the system; `bytes` must not be read again
    /// (on Linux the pages read as zeros, and are allocated afresh when written).
    static func discard(_ bytes: UnsafeMutableRawBufferPointer) {
        #if canImport(Glibc)
        let page = Int(getpagesize())
        guard let base = bytes.baseAddress else { return }
        let start = (Int(bitPattern: base) + page - 1) & ~(page - 1)
        let end = (Int(bitPattern: base) + bytes.count) & ~(page - 1)
        guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(pointer, end - start, MADV_DONTNEED)
        #endif
    }

    #if canImport(Glibc)
    /// `malloc_trim`, which the Glibc module does not declare; nil where the C library has none.
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? =
        dlsym(nil, "malloc_trim").map { unsafeBitCast($0, to: (@convention(c) (Int) -> Int32).self) }
    #endif
}
