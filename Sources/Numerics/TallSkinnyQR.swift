import CLapack
import Diagnostics

/// The triangular factor of a tall matrix [X y] by TSQR: rows are taken a chunk at a time, and
/// each chunk is folded into a running (p+1) × (p+1) triangle R by a QR factorisation of
/// [R; chunk] (LAPACK dtpqrt, which exploits R's zeros). Row segments are folded concurrently,
/// and their triangles then folded together in order. The result is the R of a Householder QR of
/// the whole matrix, as backward stable, and never the normal equations. Its last column holds
/// Qᵀy and, on the diagonal, the residual norm of the least-squares fit of y on X.
///
/// Why chunks: with few columns, a QR of the whole matrix is a sequence of matrix–vector
/// products that stream X from memory once per column; a chunk that fits in cache is read from
/// memory once. Only chunks are copied, so the extra memory is at most a megabyte per segment
/// rather than a copy of X. Chunks of 2048 rows and blocks of 4 columns also keep every BLAS call
/// below the size at which OpenBLAS starts its own threads, which for calls this small cost far
/// more than they save (measured: 3 to 10 times slower on a busy machine); the segments are the
/// parallelism instead.
///
/// Cost: about 2 n (p+1)² flops for n rows.
enum TallSkinnyQR {
    /// 2048 rows, fewer for a wide X to keep a chunk near 1 MiB, but at least one row per column.
    static func rowsPerChunk(width: Int) -> Int { max(width, min(2048, (1 << 17) / width)) }

    /// Columns per block of dtpqrt: the rest of a block's update is a matrix product.
    static let blockSize = 4

    /// The (p+1) × (p+1) upper triangular factor of [X y], column-major. Throws only when
    /// interrupted, checked once per chunk.
    static func triangularFactor(_ x: Matrix, appending y: [Double]) throws -> [Double] {
        let n = x.rows, width = x.columns + 1, size = width * width
        let segments = RowSegments(rows: n, minimumRows: 4 * rowsPerChunk(width: width))
        var triangles = [Double](repeating: 0, count: segments.count * size)
        triangles.withUnsafeMutableBufferPointer { triangles in
            x.values.withUnsafeBufferPointer { x in
                y.withUnsafeBufferPointer { y in
                    // Each segment writes only its own triangle.
                    nonisolated(unsafe) let (triangles, x, y) = (triangles.baseAddress!, x.baseAddress!, y.baseAddress!)
                    segments.forEach { segment, rows in
                        fold(rows, of: x, rows: n, y, width: width, into: triangles + segment * size)
                    }
                }
            }
        }
        try Interruption.check()
        var r = Array(triangles[0 ..< size])
        var t = [Double](repeating: 0, count: blockSize * width), work = t
        for segment in 1 ..< segments.count {
            var next = Array(triangles[segment * size ..< (segment + 1) * size])
            foldTriangle(&next, rows: width, pentagonal: width, width: width, into: &r, t: &t, work: &work)
        }
        return r
    }

    /// Folds the rows `range` of [X y] (X with `n` rows) into the triangle `r`, which starts at zero.
    private static func fold(_ range: Range<Int>, of x: UnsafePointer<Double>, rows n: Int, _ y: UnsafePointer<Double>,
                             width: Int, into r: UnsafeMutablePointer<Double>) {
        let chunkRows = rowsPerChunk(width: width)
        var chunk = [Double](repeating: 0, count: chunkRows * width)
        var t = [Double](repeating: 0, count: blockSize * width), work = t
        for start in stride(from: range.lowerBound, to: range.upperBound, by: chunkRows) {
            if Interruption.isRequested { return }
            let m = min(chunkRows, range.upperBound - start)
            chunk.withUnsafeMutableBufferPointer { chunk in
                for j in 0 ..< width - 1 { (chunk.baseAddress! + j * chunkRows).update(from: x + j * n + start, count: m) }
                (chunk.baseAddress! + (width - 1) * chunkRows).update(from: y + start, count: m)
            }
            foldTriangle(&chunk, rows: m, pentagonal: 0, width: width, into: r, t: &t, work: &work)
        }
    }

    /// The triangle of [r; b] into r by dtpqrt, for b with `rows` rows of which the last
    /// `pentagonal` are upper triangular (LAPACK's l); b's leading dimension is its count / width.
    private static func foldTriangle(_ b: inout [Double], rows: Int, pentagonal: Int, width: Int, into r: UnsafeMutablePointer<Double>,
                                     t: inout [Double], work: inout [Double]) {
        let block = min(width, blockSize)
        let status = LAPACKE_dtpqrt_work(LAPACK_COL_MAJOR, Int32(rows), Int32(width), Int32(pentagonal), Int32(block),
                                         r, Int32(width), &b, Int32(b.count / width), &t, Int32(block), &work)
        precondition(status == 0, "dtpqrt failed with status \(status)")
    }
}
