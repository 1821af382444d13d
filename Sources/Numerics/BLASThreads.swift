import CLapack
import Foundation

/// OpenBLAS runs each BLAS call in the thread that makes it. The passes over tall data split
/// rows into segments on all cores themselves and make many small calls (a chunk of a few
/// thousand rows each); OpenBLAS would spread every such call over its own thread pool, whose
/// start and synchronisation cost more than the call: on a busy 2-core machine a million-row
/// Gram matrix took 2.9 s instead of 0.4 s. One thread also makes every sum's order, and so
/// its rounding, the same on every machine. OPENBLAS_NUM_THREADS, when set, is respected.
public enum BLASThreads {
    /// Call once at start-up, before any BLAS call.
    public static func runInCallerThread() {
        guard ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] == nil else { return }
        openblas_set_num_threads(1)
    }
}
