/// Sums and matrix–vector products whose order of operations is this code's, not that of the
/// BLAS kernel OpenBLAS picks for the processor (which differ in their blocking and in fused
/// multiply–adds, so in the last bits). Iterative fits whose stopping depends on those bits —
/// gradient descent runs until the objective stops falling in double precision — then take the
/// same steps on every machine, and a transcript recorded on one replays on another.
///
/// They are memory-bound level-1 and level-2 operations, where BLAS gains little; level-3 work
/// (Gram matrices, factorisations) stays with BLAS and LAPACK.
enum FixedOrder {
    /// Σ a[i]·b[i] over `count` values: four interleaved partial sums, added as (s₀ + s₁) + (s₂ + s₃).
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, count: Int) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var i = 0
        while i + 4 <= count {
            s0 += a[i] * b[i]
            s1 += a[i + 1] * b[i + 1]
            s2 += a[i + 2] * b[i + 2]
            s3 += a[i + 3] * b[i + 3]
            i += 4
        }
        while i < count {
            s0 += a[i] * b[i]
            i += 1
        }
        return (s0 + s1) + (s2 + s3)
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count, "a dot product of vectors of different lengths")
        return a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in dot(x.baseAddress!, y.baseAddress!, count: a.count) } }
    }

    /// Σ a[i] over `count` values, in the same order as `dot`.
    static func sum(_ a: UnsafePointer<Double>, count: Int) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var i = 0
        while i + 4 <= count {
            s0 += a[i]
            s1 += a[i + 1]
            s2 += a[i + 2]
            s3 += a[i + 3]
            i += 4
        }
        while i < count {
            s0 += a[i]
            i += 1
        }
        return (s0 + s1) + (s2 + s3)
    }

    /// y ← y + α·x over `count` values (BLAS's daxpy, without a fused multiply–add).
    static func addScaled(_ alpha: Double, _ x: UnsafePointer<Double>, to y: UnsafeMutablePointer<Double>, count: Int) {
        for i in 0 ..< count { y[i] += alpha * x[i] }
    }

    static func addScaled(_ alpha: Double, _ x: [Double], to y: inout [Double]) {
        precondition(x.count == y.count, "adding vectors of different lengths")
        x.withUnsafeBufferPointer { x in y.withUnsafeMutableBufferPointer { addScaled(alpha, x.baseAddress!, to: $0.baseAddress!, count: x.count) } }
    }

    /// z ← z + A·w for the `rows` × `columns` column-major A with leading dimension `leading`:
    /// column by column, so each zᵢ is summed in column order.
    static func addProduct(_ a: UnsafePointer<Double>, rows: Int, columns: Int, leading: Int,
                           _ w: UnsafePointer<Double>, to z: UnsafeMutablePointer<Double>) {
        for j in 0 ..< columns where w[j] != 0 {
            addScaled(w[j], a + j * leading, to: z, count: rows)
        }
    }

    /// g ← α·Aᵀr + β·g for the `rows` × `columns` column-major A with leading dimension `leading`:
    /// one `dot` per column.
    static func transposedProduct(_ alpha: Double, _ a: UnsafePointer<Double>, rows: Int, columns: Int, leading: Int,
                                  _ r: UnsafePointer<Double>, _ beta: Double, _ g: UnsafeMutablePointer<Double>) {
        for j in 0 ..< columns {
            let product = alpha * dot(a + j * leading, r, count: rows)
            g[j] = beta == 0 ? product : product + beta * g[j]
        }
    }
}
