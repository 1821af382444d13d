import Foundation

/// The loss a boosted ensemble minimises, with scikit-learn's link, baseline and arithmetic
/// (its `HalfSquaredError`, `HalfBinomialLoss` and `HalfMultinomialLoss`). Raw scores, gradients
/// and hessians are laid out one tree of a round after another: `raw[k · n + i]`.
public enum BoostingLoss: String, Codable, Sendable {
    /// ½ (y − f)²: regression, the identity link, one tree per round.
    case squaredError
    /// log(1 + eᶠ) − y f: two classes, the logit link, one tree per round for class 1.
    case binaryLogLoss
    /// log Σₖ e^fₖ − f_y: K ≥ 3 classes, softmax, one tree per class per round.
    case multinomialLogLoss

    func treesPerRound(classCount: Int) -> Int {
        self == .multinomialLogLoss ? classCount : 1
    }

    /// Whether the hessian is the constant 1, so trees count rows instead of summing hessians.
    var hasConstantHessian: Bool { self == .squaredError }

    /// The raw score of the best constant model, per tree of a round: the mean; the log-odds of
    /// the share of class 1; the centred log shares of the classes (scikit-learn's
    /// `fit_intercept_only`, shares clipped away from 0 and 1 as it does).
    func baseline(targets: [Double], classCount: Int) -> [Double] {
        let n = Double(targets.count)
        switch self {
        case .squaredError:
            return [targets.reduce(0, +) / n]
        case .binaryLogLoss:
            let epsilon = 10 * Double.ulpOfOne
            let share = min(max(targets.reduce(0, +) / n, epsilon), 1 - epsilon)
            return [log(share / (1 - share))]
        case .multinomialLogLoss:
            var counts = [Double](repeating: 0, count: classCount)
            for y in targets { counts[Int(y)] += 1 }
            let logShares = counts.map { log(min(max($0 / n, Double.ulpOfOne), 1 - Double.ulpOfOne)) }
            let mean = logShares.reduce(0, +) / Double(classCount)
            return logShares.map { $0 - mean }
        }
    }

    /// The loss summed over rows `range`, writing each row's gradients and hessians (as Float,
    /// as scikit-learn keeps them) when buffers are given. `n` is the row count of the layout.
    func pass(raw: UnsafePointer<Double>, targets: UnsafePointer<Double>, n: Int, classCount: Int, range: Range<Int>,
              gradients: UnsafeMutablePointer<Float>?, hessians: UnsafeMutablePointer<Float>?) -> Double {
        var total = 0.0
        switch self {
        case .squaredError:
            for i in range {
                let residual = raw[i] - targets[i]
                total += 0.5 * residual * residual
                gradients?[i] = Float(residual)
            }
        case .binaryLogLoss:
            for i in range {
                let (loss, gradient, hessian) = Self.binomial(raw: raw[i], y: targets[i])
                total += loss
                gradients?[i] = Float(gradient)
                hessians?[i] = Float(hessian)
            }
        case .multinomialLogLoss:
            var exps = [Double](repeating: 0, count: classCount)
            for i in range {
                var largest = raw[i]
                for k in 1 ..< classCount where largest < raw[k * n + i] { largest = raw[k * n + i] }
                var sum = 0.0
                for k in 0 ..< classCount {
                    exps[k] = exp(raw[k * n + i] - largest)
                    sum += exps[k]
                }
                let y = Int(targets[i])
                total += log(sum) + largest - raw[y * n + i]
                guard let gradients, let hessians else { continue }
                for k in 0 ..< classCount {
                    let p = exps[k] / sum
                    gradients[k * n + i] = Float(p - (k == y ? 1 : 0))
                    hessians[k * n + i] = Float(p * (1 - p))
                }
            }
        }
        return total
    }

    /// Loss, gradient and hessian of the binomial loss at one row: the gradient and hessian by
    /// scikit-learn's formulas (`cgrad_hess_half_binomial`: exp(−f) unless f ≤ −37, where exp(f)
    /// alone is exact enough); the loss from the same exponential, through log rather than
    /// log1p (as its `log1pexp` between −2 and 18): an absolute error of 1e-16 does not matter
    /// in a mean loss, and log is several times faster.
    @inline(__always)
    private static func binomial(raw: Double, y: Double) -> (Double, Double, Double) {
        guard raw > -37 else {
            let e = exp(raw)
            return (e - y * raw, e - y, e)
        }
        let e = exp(-raw)
        let loss = raw > 0 ? log(1 + e) + (1 - y) * raw : log(1 + 1 / e) - y * raw
        return (loss, ((1 - y) - y * e) / (1 + e), e / ((1 + e) * (1 + e)))
    }

    /// Class probabilities from raw scores (rows × trees per round): the logistic function of
    /// the one score, or the softmax of the K.
    func probabilities(raw: Matrix) -> Matrix {
        let n = raw.rows
        if self == .binaryLogLoss {
            var result = Matrix(rows: n, columns: 2)
            for i in 0 ..< n {
                let p = 1 / (1 + exp(-raw.values[i]))
                result.values[i] = 1 - p
                result.values[n + i] = p
            }
            return result
        }
        var result = Matrix(rows: n, columns: raw.columns)
        for i in 0 ..< n {
            let largest = (0 ..< raw.columns).map { raw.values[$0 * n + i] }.max()!
            var sum = 0.0
            for k in 0 ..< raw.columns {
                result.values[k * n + i] = exp(raw.values[k * n + i] - largest)
                sum += result.values[k * n + i]
            }
            for k in 0 ..< raw.columns { result.values[k * n + i] /= sum }
        }
        return result
    }
}
