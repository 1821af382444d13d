/// How a node's histograms lie in memory: `bins × 3` doubles per feature, the sums of
/// gradient, hessian and count in each bin. With a constant hessian (squared error) the hessian
/// sums are not kept: the count stands in for them.
enum HistogramLayout {
    static let binsPerFeature = 256
    static let stride = 3
    static let doublesPerFeature = binsPerFeature * stride
}

/// Sums gradient, hessian and row count per bin of every feature over a node's rows: the
/// histograms a split is chosen from (`HistogramLayout`).
///
/// A node's rows are scattered over the training rows, and memory reads, not additions, are
/// what a histogram pass waits for. So each row is kept as one record of a few words, its bin
/// codes with its gradient and hessian beside them (rewritten for each tree): one read of a
/// record serves every feature. A pass gathers the records of a chunk of rows into a small
/// buffer with a tight loop that keeps many reads in flight, then sums from the buffer.
///
/// Large nodes are cut into parts by row position, summed separately (on as many threads as
/// there are) and added up in part order; the parts depend on the row count alone, so the sums,
/// and the trees, are the same whatever the thread count. A part is large enough that clearing
/// and adding up its histograms costs little beside it; a node too small for two parts is
/// summed row by row in order, as scikit-learn does.
final class HistogramBuilder {
    private let rows: Int
    private let featureCount: Int
    /// Doubles in one node's histograms (all features).
    let histogramSize: Int
    private let threads: Int
    private let records: UnsafeMutablePointer<UInt64>
    private let recordWords: Int
    private let gradientOffset: Int
    private let hessianOffset: Int
    private var hasHessians = false
    private let partials: UnsafeMutablePointer<Double>
    /// Rows per bin of every feature over all rows: the root's counts, the same for every tree,
    /// so the root's pass need not count.
    private let rootCounts: [Double]

    /// Bin updates per part at least, and parts at most.
    private static let partWork = 1 << 18
    private static let parts = 8
    /// Rows gathered at a time (a few kB, so the buffer stays in the first-level cache).
    private static let chunkRows = 256

    init(_ data: BinnedRows, threads: Int) {
        rows = data.rows
        featureCount = data.featureCount
        histogramSize = featureCount * HistogramLayout.doublesPerFeature
        self.threads = threads
        gradientOffset = (featureCount + 3) / 4 * 4
        hessianOffset = gradientOffset + 4
        recordWords = (hessianOffset + 4 + 7) / 8
        records = .allocate(capacity: rows * recordWords)
        records.initialize(repeating: 0, count: rows * recordWords)
        partials = .allocate(capacity: (Self.parts - 1) * histogramSize)
        var rootCounts = [Double](repeating: 0, count: featureCount * HistogramLayout.binsPerFeature)
        for f in 0 ..< featureCount {
            for row in 0 ..< rows { rootCounts[f * HistogramLayout.binsPerFeature + Int(data.codes[f * rows + row])] += 1 }
        }
        self.rootCounts = rootCounts
        nonisolated(unsafe) let bytes = UnsafeMutableRawPointer(records).assumingMemoryBound(to: UInt8.self)
        let (rows, featureCount, stride) = (rows, featureCount, recordWords * 8)
        data.codes.withUnsafeBufferPointer { codes in
            nonisolated(unsafe) let codes = codes.baseAddress!
            let blocks = RowBlocks(rows: rows)
            ConcurrentWork.run(blocks.count, threads: threads) { block in
                for row in blocks.range(block) {
                    for f in 0 ..< featureCount { bytes[row * stride + f] = codes[f * rows + row] }
                }
            }
        }
    }

    deinit {
        records.deallocate()
        partials.deallocate()
    }

    /// Stores the gradients and hessians (nil: a constant hessian, not summed) of the next tree.
    func load(gradients: UnsafePointer<Float>, hessians: UnsafePointer<Float>?) {
        hasHessians = hessians != nil
        nonisolated(unsafe) let (bytes, gradients, hessians) = (UnsafeMutableRawPointer(records), gradients, hessians)
        let (stride, gradientOffset, hessianOffset) = (recordWords * 8, gradientOffset, hessianOffset)
        let blocks = RowBlocks(rows: rows)
        ConcurrentWork.run(blocks.count, threads: threads) { block in
            for row in blocks.range(block) {
                bytes.storeBytes(of: gradients[row], toByteOffset: row * stride + gradientOffset, as: Float.self)
                if let hessians { bytes.storeBytes(of: hessians[row], toByteOffset: row * stride + hessianOffset, as: Float.self) }
            }
        }
    }

    /// The histograms of `count` rows, written to `target`: the rows listed in `rowList`
    /// (increasing), or all rows in order when it is nil.
    func build(into target: UnsafeMutablePointer<Double>, rows rowList: UnsafePointer<UInt32>?, count: Int) {
        let parts = min(Self.parts, max(1, count * featureCount / Self.partWork))
        nonisolated(unsafe) let (target, partials, records, rowList) = (target, partials, UnsafePointer(records), rowList)
        let (histogramSize, words) = (histogramSize, recordWords)
        let layout = RecordLayout(featureCount: featureCount, stride: recordWords * 8, gradientOffset: gradientOffset,
                                  hessianOffset: hasHessians ? hessianOffset : nil)
        ConcurrentWork.run(parts, threads: threads) { part in
            let range = count * part / parts ..< count * (part + 1) / parts
            let sums = part == 0 ? target : partials + (part - 1) * histogramSize
            sums.initialize(repeating: 0, count: histogramSize)
            guard let rowList else {
                layout.accumulate(records + range.lowerBound * words, count: range.count, into: sums, countingRows: false)
                return
            }
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: Self.chunkRows * words) { chunk in
                let chunk = chunk.baseAddress!
                for first in stride(from: range.lowerBound, to: range.upperBound, by: Self.chunkRows) {
                    let m = min(Self.chunkRows, range.upperBound - first)
                    for i in 0 ..< m {
                        let record = records + Int(rowList[first + i]) * words
                        for w in 0 ..< words { chunk[i * words + w] = record[w] }
                    }
                    layout.accumulate(chunk, count: m, into: sums, countingRows: true)
                }
            }
        }
        for part in 1 ..< parts {
            let partial = partials + (part - 1) * histogramSize
            for i in 0 ..< histogramSize { target[i] += partial[i] }
        }
        if rowList == nil {
            for (bin, count) in rootCounts.enumerated() { target[bin * HistogramLayout.stride + 2] = count }
        }
    }

    /// The larger child's histograms: the parent's less the smaller child's, in place.
    func subtract(_ smaller: UnsafePointer<Double>, from parent: UnsafeMutablePointer<Double>) {
        for i in 0 ..< histogramSize { parent[i] -= smaller[i] }
    }
}

/// Where a row's record keeps its codes, gradient and hessian.
private struct RecordLayout {
    let featureCount: Int
    let stride: Int
    let gradientOffset: Int
    /// nil when the hessian is constant and only counts are summed.
    let hessianOffset: Int?

    /// Adds each of `count` consecutive records' gradient, hessian and (when counting rows) a
    /// count of 1 to the bin its codes name, feature by feature; gradient and hessian as one
    /// pair, to halve the stores.
    @inline(__always)
    func accumulate(_ records: UnsafePointer<UInt64>, count: Int, into sums: UnsafeMutablePointer<Double>, countingRows: Bool) {
        let bytes = UnsafeRawPointer(records)
        for i in 0 ..< count {
            let record = bytes + i &* stride
            let gradient = Double(record.load(fromByteOffset: gradientOffset, as: Float.self))
            let hessian = hessianOffset.map { Double(record.load(fromByteOffset: $0, as: Float.self)) } ?? 0
            let pair = SIMD2(gradient, hessian)
            for f in 0 ..< featureCount {
                let bin = f &* HistogramLayout.binsPerFeature &+ Int(record.load(fromByteOffset: f, as: UInt8.self))
                let at = UnsafeMutableRawPointer(sums + bin &* HistogramLayout.stride)
                at.storeBytes(of: at.loadUnaligned(as: SIMD2<Double>.self) + pair, as: SIMD2<Double>.self)
                if countingRows { at.storeBytes(of: at.load(fromByteOffset: 16, as: Double.self) + 1, toByteOffset: 16, as: Double.self) }
            }
        }
    }
}
