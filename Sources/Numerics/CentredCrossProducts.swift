import CKernels
import CLapack
import Diagnostics

/// The column means of X and y and the sums of squares and cross-products about them — XcᵀXc,
/// Xcᵀyc and ycᵀyc for Xc = X − 1μᵀ, yc = y − ȳ — from one pass over X: everything the penalised
/// least-squares solvers need from data with n ≫ p rows.
///
/// Forming Xc would copy all of X; subtracting n μμᵀ from the raw XᵀX instead loses about
/// log10(1 + μ²/σ²) digits to cancellation. So rows are taken in cache-sized blocks: each block is
/// copied as [X y], centred on its own means, its Gram matrix taken (CKernels' kernel), and
/// merged into the running totals by the pairwise update of Chan, Golub & LeVeque (1979):
/// M ← M + M_B + (c m / (c + m)) δδᵀ with δ = μ_B − μ, for c rows so far and m in the block.
/// Segments of rows (`RowSegments`: the split depends on the row count alone) run on every core,
/// and their totals are merged by the same update, in segment order.
/// Cost: n p² flops (half of XᵀX) plus one copy of X through the cache.
struct CentredCrossProducts {
    let rows: Int
    let columns: Int
    /// Zero when the products are not centred (no intercept).
    let xMeans: [Double]
    let yMean: Double
    /// XcᵀXc, p × p column-major, both triangles filled.
    let gram: [Double]
    /// Xcᵀyc.
    let xty: [Double]
    /// ycᵀyc.
    let yy: Double

    /// Rows, the means of [X y] and the upper triangle of its centred Gram matrix (p + 1
    /// columns, column-major; y is column p).
    private struct Moments {
        var count = 0
        var means: [Double]
        var gram: [Double]

        init(size: Int) {
            means = [Double](repeating: 0, count: size)
            gram = [Double](repeating: 0, count: size * size)
        }

        /// Chan, Golub & LeVeque's merge of another part's moments into these.
        mutating func merge(_ other: Moments, centred: Bool) {
            let width = means.count
            if centred, count > 0 {
                let delta = (0 ..< width).map { other.means[$0] - means[$0] }
                let weight = Double(count) * Double(other.count) / Double(count + other.count)
                cblas_dsyr(CblasColMajor, CblasUpper, Int32(width), weight, delta, 1, &gram, Int32(width))
                let share = Double(other.count) / Double(count + other.count)
                for j in 0 ..< width { means[j] += share * delta[j] }
            } else if centred {
                means = other.means
            }
            for j in 0 ..< width { for i in 0 ... j { gram[j * width + i] += other.gram[j * width + i] } }
            count += other.count
        }
    }

    /// Throws `.data` when X or y holds a non-finite value, which shows up as a non-finite
    /// product, and `.interrupted` on Ctrl-C (checked once per block).
    init(_ x: Matrix, _ y: [Double], centred: Bool) throws {
        self = try x.withColumnPointers { try CentredCrossProducts($0, y, centred: centred) }
    }

    /// As for a matrix, reading the columns where they lie; of the rows `selected` (ascending
    /// row numbers) only, when given, gathered a block at a time.
    init(_ x: ColumnPointers, _ y: [Double], centred: Bool, selected: [Int]? = nil) throws {
        let n = selected?.count ?? x.rows, p = x.count, width = p + 1
        let blockRows = min(n, max(64, 65_536 / width))
        let segments = RowSegments(rows: n, minimumRows: 16 * blockRows)
        let parts = y.withUnsafeBufferPointer { ys in
            nonisolated(unsafe) let ys = ys.baseAddress!
            return mapConcurrently(count: segments.count) { segment -> Moments in
                let rows = segments.ranges[segment]
                var total = Moments(size: width)
                // [X y] of a block, centred.
                let block = UnsafeMutablePointer<Double>.allocate(capacity: blockRows * width)
                defer { block.deallocate() }
                for start in stride(from: rows.lowerBound, to: rows.upperBound, by: blockRows) {
                    if Interruption.isRequested { break }
                    let m = min(blockRows, rows.upperBound - start)
                    var part = Moments(size: width)
                    part.count = m
                    for j in 0 ..< width {
                        var source = j < p ? x[j, from: start] : ys + start
                        let column = block + j * m
                        if let selected {
                            let values = j < p ? x[j, from: 0] : ys
                            for k in 0 ..< m { column[k] = values[selected[start + k]] }
                            source = UnsafePointer(column)
                        }
                        if centred {
                            part.means[j] = msh_centre(source, m, column)
                        } else if selected == nil {
                            column.update(from: source, count: m)
                        }
                    }
                    let columns = (0 ..< width).map { Optional(UnsafePointer(block + $0 * m)) }
                    msh_gram_add(columns, nil, m, width, &part.gram, width)
                    total.merge(part, centred: centred)
                }
                return total
            }
        }
        try Interruption.check()
        var total = Moments(size: width)
        for part in parts { total.merge(part, centred: centred) }
        var gram = [Double](repeating: 0, count: p * p)
        for j in 0 ..< p {
            for i in 0 ... j { (gram[j * p + i], gram[i * p + j]) = (total.gram[j * width + i], total.gram[j * width + i]) }
        }
        let xty = (0 ..< p).map { total.gram[p * width + $0] }, yy = total.gram[p * width + p]
        guard yy.isFinite, xty.allSatisfy(\.isFinite), (0 ..< p).allSatisfy({ gram[$0 * p + $0].isFinite }) else {
            throw nonFiniteDataError
        }
        rows = n
        columns = p
        xMeans = centred ? Array(total.means.prefix(p)) : [Double](repeating: 0, count: p)
        yMean = centred ? total.means[p] : 0
        self.gram = gram
        self.xty = xty
        self.yy = yy
    }
}

/// The mean of each column of X (Xᵀ1/n), summed in a fixed order (`FixedOrder`).
func columnMeans(_ x: Matrix) -> [Double] {
    x.values.withUnsafeBufferPointer { values in
        (0 ..< x.columns).map { FixedOrder.sum(values.baseAddress! + $0 * x.rows, count: x.rows) / Double(x.rows) }
    }
}

/// X − 1μᵀ, column-major: for the solvers that need the centred columns themselves.
func subtractingColumnMeans(_ x: Matrix, _ means: [Double]) -> [Double] {
    var values = x.values
    for j in 0 ..< x.columns where means[j] != 0 {
        for i in j * x.rows ..< (j + 1) * x.rows { values[i] -= means[j] }
    }
    return values
}

/// The error for data the penalised solvers cannot use; one wording for all of them.
let nonFiniteDataError = ModelshError.data("X or y holds a value that is not finite (NaN or infinite), or too large to square")

/// Checks what every penalised solver needs of its input: y has one value per row (a caller's
/// bug otherwise), and there is at least one row and one column (the user's data otherwise).
func checkDesign(_ x: Matrix, _ y: [Double]) throws {
    try checkDesign(rows: x.rows, columns: x.columns, y)
}

func checkDesign(rows: Int, columns: Int, _ y: [Double]) throws {
    precondition(y.count == rows, "y must have one value per row of X")
    guard rows > 0 else { throw ModelshError.data("there are no rows to fit") }
    guard columns > 0 else { throw ModelshError.data("there are no predictor columns to fit") }
}
