import Diagnostics
import Foundation
import Numerics

/// The type a compressed model's learned numbers are rounded to. float32 and float16 round to
/// the nearest value of that type (an array with a number beyond float16's range, 65504, is
/// rounded to float32 instead). int8 rounds each array to 255 steps of one power-of-two scale,
/// the smallest with every |x| ≤ 127·scale, so every rounded number is exact in float32 and
/// double and a file can store it as an int8 and the scale.
public enum Precision: String, Codable, Sendable, CaseIterable {
    case float32, float16, int8

    public func rounded(_ values: [Double]) -> [Double] {
        switch self {
        case .float32:
            return values.map { Double(Float($0)) }
        case .float16:
            guard values.allSatisfy({ abs($0) <= Double(Float16.greatestFiniteMagnitude) }) else { return Self.float32.rounded(values) }
            return values.map { Double(Float16($0)) }
        case .int8:
            let scale = Self.int8Scale(values)
            return values.map { ($0 / scale).rounded() * scale }
        }
    }

    /// The smallest power of two s with every |x| ≤ 127·s (1 for an array of zeros).
    public static func int8Scale(_ values: [Double]) -> Double {
        let largest = values.map(abs).max() ?? 0
        guard largest > 0, largest.isFinite else { return 1 }
        var scale = exp2((log2(largest / 127)).rounded(.up))
        while largest / scale > 127 { scale *= 2 }
        while scale > .leastNormalMagnitude, largest / (scale / 2) <= 127 { scale /= 2 }
        return scale
    }
}

/// What `compress` does to a model's learned numbers: round them to `precision`, after setting
/// coefficients smaller than `prune` in magnitude to zero. Tree splits whose two leaves then
/// predict the same are merged into one leaf; tree thresholds are rounded to float32 whatever
/// the precision (they must still separate the training values).
public struct Compression: Sendable, Equatable {
    public let precision: Precision
    /// Coefficients (and components, and boosting's leaf values) with |x| < prune become 0.
    public let prune: Double?

    public init(precision: Precision, prune: Double? = nil) {
        self.precision = precision
        self.prune = prune
    }

    /// An array of learned numbers, rounded.
    func numbers(_ values: [Double]) -> [Double] { precision.rounded(values) }

    /// Coefficients: pruned, then rounded.
    func coefficients(_ values: [Double]) -> [Double] {
        guard let prune else { return numbers(values) }
        return numbers(values.map { abs($0) < prune ? 0 : $0 })
    }

    /// A threshold moved to the nearest float32 t (the largest float32 for one beyond its range:
    /// a split of present values against missing ones sits at the largest double), stored as
    /// `Float32Threshold.boundary(t)`, so that x ≤ it exactly when Float(x) ≤ t: the tree then
    /// routes every double as a float32 tree (an exported one) routes it.
    func threshold(_ value: Double) -> Double {
        let largest = Double(Float.greatestFiniteMagnitude)
        return Float32Threshold.boundary(Float(min(max(value, -largest), largest)))
    }
}

/// Thresholds that route doubles as float32 comparisons do. A consumer that compares Float(x) ≤ t
/// sends x left exactly when x ≤ boundary(t), the largest double that rounds to t or below.
public enum Float32Threshold {
    public static func boundary(_ t: Float) -> Double {
        guard t.isFinite else { return Double(t) }
        // Halfway to the next float up (exact in double); a tie rounds to the even significand.
        let halfway = t == .greatestFiniteMagnitude ? Double(t) + Double(t.ulp) / 2 : (Double(t) + Double(t.nextUp)) / 2
        return t.bitPattern & 1 == 0 ? halfway : halfway.nextDown
    }

    /// The float32 t whose boundary `value` is, if it is one.
    public static func float(at value: Double) -> Float? {
        let nearest = Float(value)
        return [nearest, nearest.nextDown].first { $0.isFinite && boundary($0) == value }
    }
}

/// A learned state that can be compressed: the same kind, its numbers rounded as `compression` says.
protocol CompressibleState: LearnedState {
    /// Whether `prune=` means something for this kind.
    static var prunes: Bool { get }
    func compressed(_ compression: Compression) throws -> Self
}

extension Model {
    /// A copy whose learned numbers are rounded (and pruned) as `compression` says; everything
    /// else (schema, preprocessing, parameters, training record) is kept. A kind that cannot be
    /// compressed, or `prune=` on a kind without coefficients to prune, is refused by name.
    public func compressed(_ compression: Compression) throws -> Model {
        guard let state = state as? any CompressibleState else {
            throw ModelshError.usage("compress does not support '\(kind)' models: they keep their training rows, not learned numbers")
        }
        if compression.prune != nil, !type(of: state).prunes {
            throw ModelshError.usage("prune= zeroes coefficients, components or boosting's leaf values; a \(kind) model has none (its equal leaves are merged anyway)",
                                     argument: "prune")
        }
        // Learned from the same rows, so the same training profile.
        let result = Model(kind: kind, task: task, schema: schema, preprocessing: preprocessing, parameters: parameters,
                           state: try state.compressed(compression), training: training, profile: profile)
        do {
            try result.check()
        } catch let problem as Inconsistency {
            throw ModelshError.data("compressing to \(compression.precision.rawValue) breaks the model (\(problem.message)); choose a wider precision")
        }
        return result
    }
}

/// The intercepts and the slopes of a linear predictor rounded as two arrays, so one int8 scale
/// serves every slope (they form one matrix in an exported graph) and the intercept, often much
/// larger, does not swamp them.
private func compressedLinear(intercepts: [Double], slopes: [[Double]], _ compression: Compression) -> (intercepts: [Double], slopes: [[Double]]) {
    let width = slopes.first?.count ?? 0
    let flat = compression.coefficients(slopes.flatMap { $0 })
    return (compression.numbers(intercepts), slopes.indices.map { Array(flat[$0 * width ..< ($0 + 1) * width]) })
}

extension LinearRegression.Learned: CompressibleState {
    static var prunes: Bool { true }

    func compressed(_ compression: Compression) throws -> Self {
        let offset = hasIntercept ? 1 : 0
        let (intercepts, slopes) = compressedLinear(intercepts: Array(estimates.prefix(offset)), slopes: [Array(estimates.dropFirst(offset))], compression)
        return Self(hasIntercept: hasIntercept, terms: terms, estimates: intercepts + slopes[0], aliased: aliased, unscaledCovariance: unscaledCovariance,
                    residualSumOfSquares: residualSumOfSquares, modelSumOfSquares: modelSumOfSquares, observations: observations, rank: rank,
                    residualQuantiles: residualQuantiles, factor: nil, logWeightSum: logWeightSum)
    }
}

extension PenalisedLinearState: CompressibleState {
    static var prunes: Bool { true }

    func compressed(_ compression: Compression) throws -> Self {
        let (intercepts, slopes) = compressedLinear(intercepts: [intercept], slopes: [coefficients], compression)
        return Self(intercept: intercepts[0], coefficients: slopes[0], residualSumOfSquares: residualSumOfSquares, totalSumOfSquares: totalSumOfSquares,
                    observations: observations, effectiveDegreesOfFreedom: effectiveDegreesOfFreedom, iterations: iterations,
                    dualityGap: dualityGap, gapTolerance: gapTolerance, converged: converged)
    }
}

extension GradientDescentState: CompressibleState {
    static var prunes: Bool { true }

    func compressed(_ compression: Compression) throws -> Self {
        let (intercepts, slopes) = compressedLinear(intercepts: [intercept], slopes: [coefficients], compression)
        return Self(lossIsLogistic: lossIsLogistic, intercept: intercepts[0], coefficients: slopes[0], epochs: epochs, initialObjective: initialObjective,
                    objective: objective, converged: converged, initialLearningRate: initialLearningRate, finalLearningRate: finalLearningRate,
                    observations: observations)
    }
}

extension LogisticState: CompressibleState {
    static var prunes: Bool { true }

    func compressed(_ compression: Compression) throws -> Self {
        let offset = hasIntercept ? 1 : 0
        let (intercepts, slopes) = compressedLinear(intercepts: coefficients.compactMap { hasIntercept ? $0[0] : nil },
                                                    slopes: coefficients.map { Array($0.dropFirst(offset)) }, compression)
        let vectors = slopes.indices.map { (hasIntercept ? [intercepts[$0]] : []) + slopes[$0] }
        var compressed = Self(terms: terms, modelledClasses: modelledClasses, coefficients: vectors, aliased: aliased, standardErrors: standardErrors,
                              deviance: deviance, nullDeviance: nullDeviance, nullDegreesOfFreedom: nullDegreesOfFreedom,
                              residualDegreesOfFreedom: residualDegreesOfFreedom, aic: aic, iterations: iterations, converged: converged,
                              fitWarnings: fitWarnings, observations: observations)
        compressed.covariance = covariance
        return compressed
    }
}

extension PoissonState: CompressibleState {
    static var prunes: Bool { true }

    func compressed(_ compression: Compression) throws -> Self {
        let offset = hasIntercept ? 1 : 0
        let (intercepts, slopes) = compressedLinear(intercepts: Array(coefficients.prefix(offset)), slopes: [Array(coefficients.dropFirst(offset))], compression)
        return Self(terms: terms, coefficients: intercepts + slopes[0], aliased: aliased, standardErrors: standardErrors, deviance: deviance,
                    nullDeviance: nullDeviance, nullDegreesOfFreedom: nullDegreesOfFreedom, residualDegreesOfFreedom: residualDegreesOfFreedom,
                    aic: aic, dispersion: dispersion, negativeBinomial: negativeBinomial, iterations: iterations, converged: converged, fitWarnings: fitWarnings, observations: observations,
                    unscaledCovariance: unscaledCovariance)
    }
}

extension NaiveBayesState: CompressibleState {
    static var prunes: Bool { false }

    /// Variances must stay positive, which int8's steps would not keep: with int8 they are float16.
    func compressed(_ compression: Compression) throws -> Self {
        let variancePrecision = compression.precision == .int8 ? Precision.float16 : compression.precision
        return Self(model: model.transformed(numbers: compression.numbers, variances: variancePrecision.rounded))
    }
}

extension KMeansState: CompressibleState {
    static var prunes: Bool { false }

    func compressed(_ compression: Compression) throws -> Self {
        Self(model: model.transformed(numbers: compression.numbers))
    }
}

extension PCAState: CompressibleState {
    static var prunes: Bool { true }

    func compressed(_ compression: Compression) throws -> Self {
        // The means are a centre, not coefficients: rounded, never pruned.
        Self(model: model.transformed(means: compression.numbers, components: compression.coefficients))
    }
}

extension TreeState: CompressibleState {
    static var prunes: Bool { false }

    func compressed(_ compression: Compression) throws -> Self {
        Self(tree: tree.transformed(threshold: compression.threshold, numbers: compression.numbers, mergingEqualLeaves: true))
    }
}

extension ForestState: CompressibleState {
    static var prunes: Bool { false }

    func compressed(_ compression: Compression) throws -> Self {
        Self(forest: forest.transformed { $0.transformed(threshold: compression.threshold, numbers: compression.numbers, mergingEqualLeaves: true) },
             outOfBagScore: outOfBagScore, outOfBagRows: outOfBagRows)
    }
}

extension BoostState: CompressibleState {
    static var prunes: Bool { true }

    func compressed(_ compression: Compression) throws -> Self {
        Self(model: model.transformed(threshold: compression.threshold, numbers: compression.coefficients, mergingEqualLeaves: true))
    }
}
