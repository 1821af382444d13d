#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// What the process does with the memory it frees: kept for the next command to reuse while
/// commands run, given back to the system when the shell waits for the user, and during a
/// load, so that its peak is the columns' size rather than the columns plus what reading them
/// freed.
public enum FreedMemory {
    /// Has the C allocator keep freed arrays of up to 64 MiB for reuse (glibc's mallopt), rather
    /// than give each back to the system as it is freed: on this kind of machine a page touched
    /// for the first time costs about 2 µs, several times writing it, and a fit or a load
    /// that allocates afresh what the last command freed spends a tenth of its time there
    /// (a first logistic fit on a million rows: 0.20 → 0.18 s). At most 128 MiB free at the top
    /// of the heap is kept; `returnToSystem` gives the rest back.
    public static func keepForReuse() {
        #if canImport(Glibc)
        _ = mallopt?(mmapThreshold, 64 << 20)
        _ = mallopt?(trimThreshold, Int32(keptAtTop))
        #endif
        keeping.withLock { $0 = true }
    }

    /// Runs `body`, a load, with what it frees given back to the system at once (glibc's trim
    /// threshold at its default): a load is when memory peaks, and what it frees (its pieces,
    /// level tables) is not what the columns it makes can reuse. Kept for reuse again after.
    static func givenBackAtOnce<T>(_ body: () throws -> T) rethrows -> T {
        guard keeping.withLock({ $0 }) else { return try body() }
        #if canImport(Glibc)
        _ = mallopt?(trimThreshold, 128 << 10)
        defer { _ = mallopt?(trimThreshold, Int32(keptAtTop)) }
        #endif
        return try body()
    }

    /// Whether `keepForReuse` set the process's policy.
    private static let keeping = Mutex(false)
    /// Free memory at the top of the heap kept for reuse.
    private static let keptAtTop = 128 << 20

    /// Returns the freed memory that the C allocator keeps for reuse (glibc's `malloc_trim`).
    /// Reading frees megabytes in small arrays (its pieces' values, level tables outgrown) that a
    /// column's largest array, allocated at the end, cannot reuse; without this they would stay
    /// resident under it. The shell calls it too before it waits for a line.
    public static func returnToSystem() {
        #if canImport(Glibc)
        _ = mallocTrim?(0)
        #endif
    }

    /// Gives the whole pages inside `bytes` back to the system; `bytes` must not be read again
    /// (on Linux the pages read as zeros, and are allocated afresh when written).
    static func discard(_ bytes: UnsafeMutableRawBufferPointer) {
        #if canImport(Glibc)
        advise(MADV_DONTNEED, wholePagesIn: bytes)
        #endif
    }

    /// Has the system allocate the whole pages inside `bytes` now, in one call, rather than at a
    /// fault on each page's first write (Linux's MADV_POPULATE_WRITE, since 5.14; nothing on
    /// older systems, whose pages are then allocated as they are written).
    static func populate(_ bytes: UnsafeMutableRawBufferPointer) {
        #if canImport(Glibc)
        advise(23 /* MADV_POPULATE_WRITE, which Glibc does not declare */, wholePagesIn: bytes)
        #endif
    }

    #if canImport(Glibc)
    /// `madvise` over the pages that lie wholly inside `bytes` (a page partly outside may hold
    /// other data).
    private static func advise(_ advice: Int32, wholePagesIn bytes: UnsafeMutableRawBufferPointer) {
        let page = Int(getpagesize())
        guard let base = bytes.baseAddress else { return }
        let start = (Int(bitPattern: base) + page - 1) & ~(page - 1)
        let end = (Int(bitPattern: base) + bytes.count) & ~(page - 1)
        guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(pointer, end - start, advice)
    }
    #endif

    #if canImport(Glibc)
    /// `malloc_trim` and `mallopt`, which the Glibc module does not declare; nil where the C
    /// library has none.
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? =
        dlsym(nil, "malloc_trim").map { unsafeBitCast($0, to: (@convention(c) (Int) -> Int32).self) }
    private static let mallopt: (@convention(c) (Int32, Int32) -> Int32)? =
        dlsym(nil, "mallopt").map { unsafeBitCast($0, to: (@convention(c) (Int32, Int32) -> Int32).self) }
    /// glibc's M_TRIM_THRESHOLD and M_MMAP_THRESHOLD (malloc.h, which Glibc does not import).
    private static let trimThreshold: Int32 = -1, mmapThreshold: Int32 = -3
    #endif
}

extension Array {
    /// Has the system allocate, in one call, the pages of the next `count` elements when the
    /// capacity holds them (`FreedMemory.populate`): a column is first written as pieces are
    /// appended, and a fault on each fresh page cost about a fifth of a numeric file's load here.
    mutating func populatePages(forNext count: Int) {
        let (start, end) = (self.count, self.count + count)
        guard count > 0, end <= capacity else { return }
        withUnsafeMutableBufferPointer { elements in
            guard let base = elements.baseAddress else { return }
            FreedMemory.populate(UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(start: base + start, count: end - start)))
        }
    }
}
