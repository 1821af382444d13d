import Diagnostics
import Foundation

/// Categorical features as level codes: `codes[f][i]` is row i's level of feature f, in
/// 0 ..< `levelCounts[f]`. Mapping a level that training never saw to a code is the caller's
/// job (there is no probability for it).
public struct CategoricalFeatures: Sendable, Equatable {
    public let codes: [[Int]]
    public let levelCounts: [Int]

    public init(codes: [[Int]], levelCounts: [Int]) {
        precondition(codes.count == levelCounts.count, "one level count per categorical feature")
        self.codes = codes
        self.levelCounts = levelCounts
    }

    /// No categorical features, for a model of numeric features only.
    public static let none = CategoricalFeatures(codes: [], levelCounts: [])
}

/// Naive Bayes over mixed features: each numeric feature Gaussian within a class (as
/// scikit-learn's GaussianNB), each categorical feature a smoothed level distribution within a
/// class (as CategoricalNB), all independent given the class; class priors are the training
/// frequencies. The learned state holds finite numbers only, so the model file can store it.
public struct NaiveBayes: Codable, Sendable, Equatable {
    /// GaussianNB's var_smoothing: this share of the largest feature variance is added to every
    /// class variance, so a feature constant within a class does not divide by zero.
    public static let defaultVarianceSmoothing = 1e-9
    /// CategoricalNB's alpha: Laplace smoothing, one pseudo-row per level and class.
    public static let defaultAlpha = 1.0

    /// log P(class), one per class.
    public let logPriors: [Double]
    /// `means[k][j]`: the mean of numeric feature j in class k.
    public let means: [[Double]]
    /// `variances[k][j]`: its variance (divisor n, as GaussianNB) plus the smoothing; positive.
    public let variances: [[Double]]
    /// `levelLogProbabilities[f][k][l]`: log P(level l of categorical feature f | class k).
    public let levelLogProbabilities: [[[Double]]]

    public var classCount: Int { logPriors.count }

    /// Fits the model to n rows: `numeric` is n × (numeric features), possibly with no
    /// columns; `classes` are indices in 0 ..< `classCount`, and every class must occur (a
    /// class without rows has no prior or likelihood to estimate). O(n · features).
    /// `names` (the numeric features' and the classes' names) word the error for a feature
    /// without variance; without them it gives positions.
    public static func fit(numeric: Matrix, categorical: CategoricalFeatures, classes: [Int], classCount: Int,
                           varianceSmoothing: Double = defaultVarianceSmoothing, alpha: Double = defaultAlpha,
                           names: (features: [String], classes: [String])? = nil) throws -> NaiveBayes {
        guard varianceSmoothing >= 0, varianceSmoothing.isFinite else {
            throw ModelshError.usage("the variance smoothing must be a finite number ≥ 0, got \(varianceSmoothing)", argument: "smoothing")
        }
        guard alpha > 0, alpha.isFinite else {
            throw ModelshError.usage("alpha must be a finite number > 0, got \(alpha)", argument: "alpha")
        }
        guard classCount >= 2 else { throw ModelshError.data("classification needs at least 2 classes, got \(classCount)") }
        let n = classes.count
        try requireRows(n, "training rows")
        try checkFeatures(numeric: numeric, categorical: categorical, rows: n)
        try requireClasses(classes, classCount: classCount, "the classes")
        let rowsOfClass = (0 ..< classCount).map { c in classes.indices.filter { classes[$0] == c } }
        if let empty = rowsOfClass.firstIndex(where: \.isEmpty) {
            throw ModelshError.data("class index \(empty) has no training rows; naive Bayes needs every class to occur")
        }
        let logPriors = rowsOfClass.map { log(Double($0.count) / Double(n)) }
        let (means, variances) = try gaussianParameters(numeric, rowsOfClass: rowsOfClass, varianceSmoothing: varianceSmoothing, names: names)
        let levelLogProbabilities = try categorical.codes.indices.map { f in
            try Interruption.check()
            return smoothedLevelLogProbabilities(categorical.codes[f], levelCount: categorical.levelCounts[f], classes: classes,
                                                 classCount: classCount, alpha: alpha)
        }
        return NaiveBayes(logPriors: logPriors, means: means, variances: variances, levelLogProbabilities: levelLogProbabilities)
    }

    /// Per class, each numeric feature's mean and variance (two passes), the variance plus
    /// `varianceSmoothing` × the largest variance of a feature over all rows.
    private static func gaussianParameters(_ numeric: Matrix, rowsOfClass: [[Int]], varianceSmoothing: Double,
                                           names: (features: [String], classes: [String])?) throws
        -> (means: [[Double]], variances: [[Double]]) {
        let allRows = Array(0 ..< numeric.rows)
        func meanAndVariance(_ column: [Double], _ rows: [Int]) -> (mean: Double, variance: Double) {
            let mean = rows.reduce(0) { $0 + column[$1] } / Double(rows.count)
            return (mean, rows.reduce(0) { $0 + (column[$1] - mean) * (column[$1] - mean) } / Double(rows.count))
        }
        var means = [[Double]](repeating: [], count: rowsOfClass.count), variances = means
        var largestVariance = 0.0
        for j in 0 ..< numeric.columns {
            try Interruption.check()
            let column = numeric.column(j)
            largestVariance = max(largestVariance, meanAndVariance(column, allRows).variance)
            for (k, rows) in rowsOfClass.enumerated() {
                let (mean, variance) = meanAndVariance(column, rows)
                means[k].append(mean)
                variances[k].append(variance)
            }
        }
        let epsilon = varianceSmoothing * largestVariance
        for k in variances.indices {
            for j in variances[k].indices {
                variances[k][j] += epsilon
                guard variances[k][j] > 0 else {
                    let (feature, classLabel) = names.map { ("feature '\($0.features[j])'", "class '\($0.classes[k])'") }
                        ?? ("numeric feature \(j + 1)", "class index \(k)")
                    let reason = largestVariance == 0 ? "every numeric feature is constant" : "var_smoothing is 0 or too small"
                    throw ModelshError.data("\(feature) is constant within \(classLabel), and no variance is added to it (\(reason)): "
                        + "a Gaussian needs some spread")
                }
            }
        }
        return (means, variances)
    }

    /// log((count of level l in class k + α) / (rows of class k + α L)), as CategoricalNB: a level
    /// seen in training but not in class k gets α / (rows of k + α L).
    private static func smoothedLevelLogProbabilities(_ codes: [Int], levelCount: Int, classes: [Int], classCount: Int, alpha: Double) -> [[Double]] {
        var counts = [[Int]](repeating: [Int](repeating: 0, count: levelCount), count: classCount)
        for (code, c) in zip(codes, classes) { counts[c][code] += 1 }
        return counts.map { levels in
            let denominator = log(Double(levels.reduce(0, +)) + alpha * Double(levelCount))
            return levels.map { log(Double($0) + alpha) - denominator }
        }
    }

    // MARK: - Prediction

    /// log P(class) + Σ log P(feature | class) for each row and class (m × K): the unnormalised
    /// posterior. The Gaussian density is −½ log(2πσ²) − (x − μ)²/(2σ²) per feature. O(m K features).
    public func jointLogLikelihood(numeric: Matrix, categorical: CategoricalFeatures) throws -> Matrix {
        let m = numeric.rows, k = classCount
        try requireRows(m, "rows to predict")
        try Self.checkFeatures(numeric: numeric, categorical: categorical, rows: m)
        guard numeric.columns == means[0].count, categorical.levelCounts == levelLogProbabilities.map({ $0[0].count }) else {
            throw ModelshError(.software, "the features (\(numeric.columns) numeric, levels \(categorical.levelCounts)) differ from the "
                + "training features (\(means[0].count) numeric, levels \(levelLogProbabilities.map { $0[0].count }))")
        }
        var result = Matrix(rows: m, columns: k)
        for c in 0 ..< k {
            try Interruption.check()
            let constant = logPriors[c] - 0.5 * variances[c].reduce(0) { $0 + log(2 * Double.pi * $1) }
            for i in 0 ..< m { result.values[c * m + i] = constant }
            for j in 0 ..< numeric.columns {
                let mean = means[c][j], halfPrecision = 0.5 / variances[c][j]
                for i in 0 ..< m {
                    let deviation = numeric.values[j * m + i] - mean
                    result.values[c * m + i] -= halfPrecision * deviation * deviation
                }
            }
            for (f, codes) in categorical.codes.enumerated() {
                let table = levelLogProbabilities[f][c]
                for i in 0 ..< m { result.values[c * m + i] += table[codes[i]] }
            }
        }
        return result
    }

    /// log P(class | features), m × K: each row less its log-sum-exp, so no term overflows.
    public func logProbabilities(numeric: Matrix, categorical: CategoricalFeatures) throws -> Matrix {
        Self.normalised(try jointLogLikelihood(numeric: numeric, categorical: categorical), logarithm: true)
    }

    /// P(class | features), m × K: each row exp(x − max) / Σ exp(x − max), so every entry is
    /// in [0, 1] (never an ulp above 1) and each row sums to 1 within rounding.
    public func probabilities(numeric: Matrix, categorical: CategoricalFeatures) throws -> Matrix {
        Self.normalised(try jointLogLikelihood(numeric: numeric, categorical: categorical), logarithm: false)
    }

    private static func normalised(_ jointLogLikelihood: Matrix, logarithm: Bool) -> Matrix {
        var result = jointLogLikelihood
        for i in 0 ..< result.rows {
            let row = (0 ..< result.columns).map { result[i, $0] }
            let largest = row.max()!
            let weights = row.map { exp($0 - largest) }
            let total = weights.reduce(0, +)
            for c in row.indices { result[i, c] = logarithm ? row[c] - largest - log(total) : weights[c] / total }
        }
        return result
    }

    /// The class of largest posterior for each row; ties go to the lowest class index.
    public func predict(numeric: Matrix, categorical: CategoricalFeatures) throws -> [Int] {
        ClassificationMetrics.mostProbableClasses(try jointLogLikelihood(numeric: numeric, categorical: categorical))
    }

    /// Row counts agree, numbers are finite and level codes are within their level counts.
    private static func checkFeatures(numeric: Matrix, categorical: CategoricalFeatures, rows: Int) throws {
        try requireSameCount(numeric.rows, rows, "numeric feature rows", "rows")
        try requireFinite(numeric, "the numeric features")
        for (f, codes) in categorical.codes.enumerated() {
            try requireSameCount(codes.count, rows, "rows of categorical feature \(f + 1)", "rows")
            let levels = categorical.levelCounts[f]
            if let i = codes.firstIndex(where: { $0 < 0 || $0 >= levels }) {
                throw ModelshError.data("categorical feature \(f + 1) has level code \(codes[i]) at row \(i + 1), outside 0..<\(levels)")
            }
        }
    }
}
