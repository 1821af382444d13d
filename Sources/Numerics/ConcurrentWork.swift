import Dispatch

/// Runs independent work units on up to `threads` threads, each unit on one thread, so that
/// any result a unit computes is the same whatever the thread count.
enum ConcurrentWork {
    static func run(_ units: Int, threads: Int, _ body: @Sendable (Int) -> Void) {
        // Worker w takes units w, w + threads, …, as concurrentMap deals them; the body cannot throw.
        _ = try! concurrentMap(units, threads: threads, body)
    }
}

/// Fixed blocks of rows for the per-row passes (gradients, losses, predictions): the blocks
/// depend on the row count alone and their partial sums are added in block order, so the
/// totals are the same whatever the number of threads.
struct RowBlocks {
    static let rows = 1 << 14
    let count: Int
    let total: Int

    init(rows total: Int) {
        self.total = total
        count = (total + Self.rows - 1) / Self.rows
    }

    func range(_ block: Int) -> Range<Int> {
        block * Self.rows ..< min(total, (block + 1) * Self.rows)
    }

    /// Sums `body(rows)` over the blocks, computed on up to `threads` threads.
    func sum(threads: Int, _ body: @Sendable (Range<Int>) -> Double) -> Double {
        var partials = [Double](repeating: 0, count: count)
        partials.withUnsafeMutableBufferPointer { partials in
            nonisolated(unsafe) let partials = partials.baseAddress!
            ConcurrentWork.run(count, threads: threads) { block in partials[block] = body(range(block)) }
        }
        return partials.reduce(0, +)
    }
}
