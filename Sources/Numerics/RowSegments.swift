import Dispatch

/// Contiguous ranges of rows that the passes over a tall matrix process concurrently, one per
/// segment. The split depends on the row count alone, never on the number of cores, so every
/// machine adds the same partial results in the same order and gets the same bits.
struct RowSegments {
    let ranges: [Range<Int>]

    /// At most `maximumCount` segments, none shorter than `minimumRows` unless there is only one.
    init(rows: Int, minimumRows: Int, maximumCount: Int = 8) {
        let count = max(1, min(maximumCount, rows / max(1, minimumRows)))
        ranges = (0 ..< count).map { s in rows * s / count ..< rows * (s + 1) / count }
    }

    var count: Int { ranges.count }

    /// Runs `body(segment, rows)` for every segment, concurrently. The body must write only
    /// memory that belongs to its segment.
    func forEach(_ body: @Sendable (Int, Range<Int>) -> Void) {
        let ranges = ranges
        DispatchQueue.concurrentPerform(iterations: ranges.count) { s in body(s, ranges[s]) }
    }
}
