import Diagnostics

/// The triangular factor T of [X y] (each column centred on its mean when `centred`): TᵀT is
/// the scatter matrix of [X y], so for every b, ‖Xb − y‖² = ‖T_X b − T_y‖² with T_X the first p
/// columns of T and T_y the last. A least-squares or ridge fit on the (p+1) rows of T is
/// therefore the fit on all of X's rows, and T can take more rows without the old ones:
/// `adding` folds them in by a QR of [T; new rows] (Householder, backward stable), never by
/// forming XᵀX, whose condition number is the square of X's. A fit that formed the triangle or
/// the cross-products anyway hands them over instead (`init(count:uncentredTriangle:)`, and
/// for ridge a Cholesky factor of the cross-products where they are well-conditioned).
///
/// Centred factors merge the means as Chan, Golub and LeVeque's pairwise update does: the
/// scatter of the union is the two scatters plus n₁n₂/(n₁+n₂) · (μ₁ − μ₂)(μ₁ − μ₂)ᵀ, one more
/// row √(n₁n₂/(n₁+n₂)) (μ₁ − μ₂) in the QR.
public struct ScatterFactor: Codable, Sendable, Equatable {
    /// Rows folded in.
    public let count: Int
    public let centred: Bool
    /// Column means of [X y] (p + 1); all zero when not centred.
    public let means: [Double]
    /// (p+1) × (p+1) upper triangular, column-major.
    public let triangle: [Double]

    public var columns: Int { means.count - 1 }

    /// The factor of the rows of `x` and `y` (at least one row; a precondition).
    public init(_ x: Matrix, _ y: [Double], centred: Bool) throws {
        precondition(x.rows > 0 && y.count == x.rows, "a scatter factor needs rows, one y per row of X")
        let means = centred ? Self.columnMeans(x, y) : [Double](repeating: 0, count: x.columns + 1)
        let (cx, cy) = Self.subtracting(means, x, y)
        count = x.rows
        self.centred = centred
        self.means = means
        triangle = try TallSkinnyQR.triangularFactor(cx, appending: cy)
    }

    /// The uncentred factor of `count` rows whose triangle a least-squares fit already formed
    /// (`LeastSquaresFit.scatterTriangle`).
    public init(count: Int, uncentredTriangle triangle: [Double]) {
        let width = Int(Double(triangle.count).squareRoot())
        precondition(count > 0 && width >= 2 && width * width == triangle.count, "a (p+1) × (p+1) triangle of at least one row")
        self.init(count: count, centred: false, means: [Double](repeating: 0, count: width), triangle: triangle)
    }

    /// Above this reciprocal condition number (of the equilibrated scatter matrix of [X y]) a
    /// Cholesky factor of the scatter matrix is as good a factor as the QR's: its entries'
    /// relative error is about ε / reciprocal condition ≤ 1e-12.
    static let minimumReciprocalCondition = 1e-4

    /// The factor from the cross-products a ridge fit formed anyway, as a Cholesky factor of the
    /// scatter matrix [XᵀX Xᵀy; yᵀX yᵀy] (centred when they are): no pass over X. Nil when the
    /// scatter matrix is too ill-conditioned for that, for instance y fitted almost exactly,
    /// whose residual norm (T's last diagonal entry) the cross-products hold only after
    /// cancellation; then the QR of the rows themselves (`init(_:_:centred:)`) is needed.
    init?(_ products: CentredCrossProducts, centred: Bool) {
        let p = products.columns, width = p + 1
        var scatter = Matrix(rows: width, columns: width)
        for j in 0 ..< p {
            for i in 0 ..< p { scatter[i, j] = products.gram[j * p + i] }
            scatter[j, p] = products.xty[j]
            scatter[p, j] = products.xty[j]
        }
        scatter[p, p] = products.yy
        guard let cholesky = Cholesky(scatter, minimumReciprocalCondition: Self.minimumReciprocalCondition) else { return nil }
        self.init(count: products.rows, centred: centred,
                  means: centred ? products.xMeans + [products.yMean] : [Double](repeating: 0, count: width),
                  triangle: cholesky.upperFactor.values)
    }

    private init(count: Int, centred: Bool, means: [Double], triangle: [Double]) {
        self.count = count
        self.centred = centred
        self.means = means
        self.triangle = triangle
    }

    /// Whether a decoded factor has the shape and values the code relies on.
    public var isConsistent: Bool {
        let width = means.count
        return width >= 2 && count > 0 && triangle.count == width * width && triangle.allSatisfy(\.isFinite) && means.allSatisfy(\.isFinite)
            && (centred || means.allSatisfy { $0 == 0 })
    }

    /// The factor of the old rows and the rows of `x` and `y` together (X with the same columns).
    public func adding(_ x: Matrix, _ y: [Double]) throws -> ScatterFactor {
        precondition(x.columns == columns && y.count == x.rows && x.rows > 0, "added rows must have X's columns and one y each")
        let width = columns + 1, n = Double(count), m = Double(x.rows), total = n + m
        let addedMeans = centred ? Self.columnMeans(x, y) : [Double](repeating: 0, count: width)
        let (cx, cy) = Self.subtracting(addedMeans, x, y)
        // Stack T, the centred new rows and (centred) the row for the shift between the means.
        let extra = centred ? 1 : 0, rows = width + x.rows + extra
        var stacked = Matrix(rows: rows, columns: columns)
        var target = [Double](repeating: 0, count: rows)
        let weight = (n * m / total).squareRoot()
        for j in 0 ... columns {
            let old = (0 ..< width).map { triangle[j * width + $0] }
            let new = j < columns ? cx.column(j) : cy
            let column = old + new + (centred ? [weight * (means[j] - addedMeans[j])] : [])
            if j < columns { stacked.values.replaceSubrange(j * rows ..< (j + 1) * rows, with: column) } else { target = column }
        }
        let merged = centred ? zip(means, addedMeans).map { $0 + (m / total) * ($1 - $0) } : means
        return ScatterFactor(count: count + x.rows, centred: centred, means: merged,
                             triangle: try TallSkinnyQR.triangularFactor(stacked, appending: target))
    }

    /// T_X: the (p+1) × p design whose least squares equal X's (centred X's when centred).
    public var design: Matrix {
        let width = columns + 1
        return Matrix(rows: width, columns: columns, values: Array(triangle[0 ..< width * columns]))
    }

    /// T_y: the target that goes with `design`.
    public var target: [Double] {
        let width = columns + 1
        return Array(triangle[width * columns ..< width * width])
    }

    private static func columnMeans(_ x: Matrix, _ y: [Double]) -> [Double] {
        (0 ..< x.columns).map { mean(x.column($0)) } + [mean(y)]
    }

    private static func mean(_ values: [Double]) -> Double {
        let first = values.reduce(0, +) / Double(values.count)
        // One correction pass: the mean of the deviations, as numpy's two-pass variance does.
        return first + values.reduce(0) { $0 + ($1 - first) } / Double(values.count)
    }

    private static func subtracting(_ means: [Double], _ x: Matrix, _ y: [Double]) -> (Matrix, [Double]) {
        guard means.contains(where: { $0 != 0 }) else { return (x, y) }
        var cx = x
        for j in 0 ..< x.columns {
            for i in 0 ..< x.rows { cx.values[j * x.rows + i] -= means[j] }
        }
        return (cx, y.map { $0 - means[x.columns] })
    }
}
