import CKernels
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

    /// OpenBLAS picks its kernels by the CPU models it knows. A newer model falls back to the
    /// generic SSE3 kernels (Debian 12's 0.3.21 takes Intel's Emerald Rapids for a Prescott),
    /// which are slower and round their sums differently from the same data's on a machine it
    /// knows, so a transcript recorded there would not check here. So the kernels are chosen by
    /// the instructions the CPU has: SkylakeX's with AVX-512, Haswell's with AVX2 and FMA (the
    /// ones OpenBLAS picks for the CPUs it knows of each class), else OpenBLAS's choice.
    /// OPENBLAS_CORETYPE, when set, is respected. Call at start-up, before any BLAS call and
    /// after `runInCallerThread` (the pool's idle workers spin until it is stopped); only the
    /// first call does anything.
    public static func chooseKernels() { _ = kernelsChosen }

    private static let kernelsChosen: Void = {
        guard ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil else { return }
        let wanted: String
        switch msh_cpu_vector_class() {
        case 2: wanted = "SkylakeX"
        case 1: wanted = "Haswell"
        default: return
        }
        typealias Step = @convention(c) () -> Void
        guard runningKernels.lowercased() != wanted.lowercased(), let quit = openBLASFunction("gotoblas_dynamic_quit", as: Step.self),
              let initialise = openBLASFunction("gotoblas_dynamic_init", as: Step.self) else { return }
        // The library reads the core type from the environment when it initialises, which
        // the dynamic build can do again; the variable is removed after, for child processes.
        setenv("OPENBLAS_CORETYPE", wanted, 1)
        quit()
        initialise()
        unsetenv("OPENBLAS_CORETYPE")
    }()

    /// The name of the kernels OpenBLAS runs (`SkylakeX`, `Haswell`, `Prescott`, …).
    static var runningKernels: String { openblas_get_corename().map { String(cString: $0) } ?? "" }

    /// A function of OpenBLAS's that its headers do not declare; nil where the library has none.
    private static func openBLASFunction<Function>(_ name: String, as type: Function.Type) -> Function? {
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), name).map { unsafeBitCast($0, to: type) }
    }

    /// OpenBLAS's `blas_thread_shutdown_`, which its headers do not declare; nil where the
    /// library has none.
    private static let shutDownPool = openBLASFunction("blas_thread_shutdown_", as: (@convention(c) () -> Int32).self)
}
