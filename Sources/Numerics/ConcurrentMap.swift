import Dispatch

/// `body(i)` for every i in 0 ..< count on `threads` workers (worker w takes i = w, w + threads, …),
/// the results in index order. When `body(i)` depends on i alone, the result is the same whatever
/// the number of threads. The first error in index order is rethrown; a worker stops at its first
/// error, so a body that watches for Ctrl-C stops every worker.
package func concurrentMap<T: Sendable>(_ count: Int, threads: Int, _ body: @Sendable (Int) throws -> T) throws -> [T] {
    let workers = max(1, min(threads, count))
    var results = [Result<T, any Error>?](repeating: nil, count: count)
    results.withUnsafeMutableBufferPointer { buffer in
        // Each index is written by exactly one worker.
        nonisolated(unsafe) let slots = buffer.baseAddress!
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for i in stride(from: worker, to: count, by: workers) {
                let result = Result { try body(i) }
                slots[i] = result
                if case .failure = result { return }
            }
        }
    }
    // A slot is empty only after its worker failed at a smaller index, so the first slot that is
    // not a success is a failure.
    return try results.map { try $0!.get() }
}

/// `background()` on another thread while `foreground()` runs on this one (which may use what
/// cannot cross threads, such as a database connection): both results, or the error of
/// `background` if both fail.
package func concurrently<A: Sendable, B>(background: @escaping @Sendable () throws -> A, foreground: () throws -> B) throws -> (A, B) {
    let work = BackgroundWork(background)
    let foregroundResult = Result { try foreground() }
    return (try work.wait().get(), try foregroundResult.get())
}

/// Work started on another thread when made, its outcome waited for later (a streamed file's
/// next block, read while the caller folds this one).
package final class BackgroundWork<Value>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    /// Written by the working thread before it signals `done`, read only after.
    private var result: Result<Value, any Error>?
    private var finished = false

    package init(_ work: @escaping @Sendable () throws -> Value) {
        DispatchQueue.global().async { [self] in
            result = Result { try work() }
            done.signal()
        }
    }

    /// The outcome, once the work is done; at once when waited for before. Waited for by one
    /// thread at a time.
    @discardableResult
    package func wait() -> Result<Value, any Error> {
        if !finished {
            done.wait()
            finished = true
        }
        return result!
    }
}
