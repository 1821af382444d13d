import CLapack
import Foundation

/// OpenBLAS runs each BLAS call in the thread that makes it. The passes over tall data split
/// rows into segments on all cores themselves and make many small calls (a chunk of a few
/// thousand rows each); OpenBLAS would spread every such call over its own thread pool, whose
/// start and synchronisation cost more than the call: on a busy 2-core machine a million-row
/// Gram matrix took 2.9 s instead of 0.4 s. One thread also makes every sum's order, and so
/// its rounding, the same on every machine. OPENBLAS_NUM_THREADS, when set, is respected.
public enum BLASThreads {
    /// Call once at start-up, before any BLAS call. Also stops the pool OpenBLAS started when it
    /// was loaded: an idle worker spins in sched_yield for 2^28 cycles before it sleeps (its
    /// thread timeout), about 80 ms of a core taken from every process's start, a fifth of a
    /// million-row load's parsing on two cores. With one thread no call needs the pool.
    public static func runInCallerThread() {
        guard ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] == nil else { return }
        openblas_set_num_threads(1)
        _ = shutDownPool?()
    }

    /// OpenBLAS's `blas_thread_shutdown_`, which its headers do not declare; nil where the
    /// library has none.
    private static let shutDownPool: (@convention(c) () -> Int32)? =
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), "blas_thread_shutdown_").map { unsafeBitCast($0, to: (@convention(c) () -> Int32).self) }
}
