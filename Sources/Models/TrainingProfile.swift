import Diagnostics
import Numerics
import Tabular

/// What a model's training data looked like, kept with the model so new data can be checked
/// against it (`validate`, `drift`, `monitor`) without the training rows: each feature's and
/// the target's profile over the training dataset's rows, the profile of the model's own
/// predictions and its metrics on the rows it was fitted on, and the moments the
/// out-of-distribution distance needs.
public struct TrainingProfile: Codable, Sendable, Equatable {
    /// One per feature, in schema order.
    public let features: [ColumnProfile]
    public let target: ColumnProfile?
    /// The predictions on the training rows used: values for regression, the assigned class
    /// (or cluster) as a category otherwise; nil for components.
    public let prediction: ColumnProfile?
    /// `evaluate` on the training rows used.
    public let metrics: [Metric]
    /// How many training rows the prediction profile and metrics were measured on.
    public let scoredRows: Int
    public let outliers: OutlierProfile?

    /// Predictions and metrics are measured on at most this many training rows (evenly
    /// spaced), so profiling stays cheap for kinds whose prediction is slow (k nearest neighbours).
    public static let scoredRowLimit = 10_000

    /// Profiles a freshly fitted model: `data` profiles its training dataset, `used` holds the
    /// rows and columns the fit used (target first, as TrainingFrame keeps them).
    init(model: Model, data: TrainingDataProfile, used: Dataset) throws {
        features = data.features
        target = data.target
        outliers = data.outliers
        let n = used.rowCount
        let rows = n <= Self.scoredRowLimit ? nil : (0 ..< Self.scoredRowLimit).map { $0 * n / Self.scoredRowLimit }
        let scored = rows.map { used.selecting(rows: $0) } ?? used
        scoredRows = scored.rowCount
        prediction = try Self.predictionColumn(model.predict(on: scored)).map { ColumnProfile($0) }
        metrics = try model.evaluate(on: scored).metrics
    }

    /// A model's predictions as a column: numbers for regression, the class or cluster as a
    /// category; nil for components (several scores per row).
    static func predictionColumn(_ prediction: Prediction) -> Column? {
        switch prediction {
        case .values(let values):
            return Column.numeric("prediction", values)
        case .classes(let classes):
            return Column.categorical("prediction", classes.assigned().map { $0 < 0 ? nil : classes.labels[$0] })
        case .clusters(let clusters, _):
            return Column.categorical("prediction", clusters.map { $0 < 0 ? nil : "\($0 + 1)" })
        case .components:
            return nil
        }
    }
}

/// The part of a training profile that needs the training data alone, not the model: each
/// feature's and the target's profile and the outlier moments, and the fingerprint of the rows
/// used. A fit computes it while the model learns (it is a pass over every training value, as
/// costly as a linear fit on a large dataset).
struct TrainingDataProfile: Sendable {
    let features: [ColumnProfile]
    let target: ColumnProfile?
    let outliers: OutlierProfile?
    /// `Dataset.fingerprint` of the rows used, when asked for.
    let usedFingerprint: String?

    /// One of the independent parts.
    private enum Part: Sendable {
        case column(ColumnProfile)
        case outliers(OutlierProfile?)
        case fingerprint(String)
    }

    /// Profiles the columns `schema` names in `source`, the training dataset, and takes the
    /// fingerprint of `used`. A Ctrl-C it sees is requested again before the error goes up, for
    /// the learner running beside it to see too (a forest would otherwise grow all its trees
    /// first); the fit clears it.
    init(schema: TrainingSchema, source: Dataset, fingerprinting used: Dataset? = nil) throws {
        do {
            // The parts are independent, so they are measured on every core, the longest (the
            // fingerprint, one running hash; the outlier moments) first so that the rest fill in
            // around them. Each is a pass over every row, so Ctrl-C is seen between them. A
            // dataset's columns never change, so another fit on it (fit after fit on the same
            // training data is common) finds them profiled.
            let columns = schema.features.map { source.column(named: $0.name)! } + [schema.target.map { source.column(named: $0.name)! }].compactMap { $0 }
            var work: [() throws -> Part] = used.map { used in [{ .fingerprint(Self.fingerprint(of: used, in: source)) }] } ?? []
            work.append {
                .outliers(try source.derived.value("outlier profile of columns \(OutlierProfile.featureNames(schema.features))") {
                    try OutlierProfile(features: schema.features, source: source)
                })
            }
            work += columns.map { column in { .column(source.derived.value("profile of column \(column.name)") { ColumnProfile(column) }) } }
            let parts = try mapConcurrently(count: work.count) { index in
                Result { () throws -> Part in
                    try Interruption.check()
                    return try work[index]()
                }
            }.map { try $0.get() }
            var (profiles, outliers, fingerprint): ([ColumnProfile], OutlierProfile?, String?) = ([], nil, nil)
            for part in parts {
                switch part {
                case .column(let profile): profiles.append(profile)
                case .outliers(let profile): outliers = profile
                case .fingerprint(let print): fingerprint = print
                }
            }
            features = Array(profiles.prefix(schema.features.count))
            target = schema.target == nil ? nil : profiles.last
            self.outliers = outliers
            usedFingerprint = fingerprint
        } catch let error as ModelshError where error.category == .interrupted {
            Interruption.request()
            throw error
        }
    }
}

extension TrainingDataProfile {
    /// `used.fingerprint`; kept with `source` when `used` is some of its columns over all its
    /// rows (a fit takes them as they are), so that a refit on the same data, common, takes it
    /// rather than hashing every value again: the hash is one running sum, so it cannot be
    /// shared out over the cores and would take longer than the rest of the fit.
    static func fingerprint(of used: Dataset, in source: Dataset) -> String {
        guard used.rowCount == source.rowCount, used.columns.allSatisfy({ source.column(named: $0.name) != nil }) else {
            return used.fingerprint
        }
        return source.derived.value("fingerprint of the columns \(used.columnNames)") { used.fingerprint }
    }
}

extension Model {
    /// Checks a fresh fit's invariants and attaches its training profile (`data`: the profile
    /// of the training dataset, or of a sample of it; `used`: the rows and columns the fit
    /// used). An inconsistency in a model just fitted means its numbers overflowed.
    mutating func checkAndProfile(data: TrainingDataProfile, used: Dataset) throws {
        do {
            try check()
            profile = try TrainingProfile(model: self, data: data, used: used)
            try profile?.check(in: self)
        } catch let problem as Inconsistency {
            throw ModelshError.data("the fit overflows (\(problem.message)); rescale the data")
        }
    }
}

/// The training moments of the numeric features, for the Mahalanobis distance of new rows
/// (`MahalanobisDistance`): over the training rows with all of them present, at most
/// `NumberProfile.quantileRowLimit` of them, evenly spaced (a threshold on a distance needs no
/// more); features that are constant there are left out.
public struct OutlierProfile: Codable, Sendable, Equatable {
    public let features: [String]
    public let means: [Double]
    public let deviations: [Double]
    /// p × p, column-major.
    public let correlation: [Double]
    /// Rows whose squared distance exceeds the χ² quantile at this probability (p degrees of
    /// freedom) are far from the training data.
    public static let probability = 0.999

    /// The features whose moments are taken: the numeric ones.
    static func featureNames(_ schema: [FeatureSchema]) -> [String] {
        schema.filter { $0.type == .integer || $0.type == .numeric }.map(\.name)
    }

    /// nil when the moments cannot be measured (no usable feature, too few rows); throws only
    /// when interrupted.
    init?(features schema: [FeatureSchema], source: Dataset) throws {
        let columns = Self.featureNames(schema).compactMap { source.column(named: $0) }
        // At most `quantileRowLimit` complete rows, evenly spaced, read where they lie: a
        // threshold on a distance needs no more, and moments over millions of rows would cost
        // as much as the fit they describe.
        let limit = NumberProfile.quantileRowLimit
        var complete: [Int]? = columns.allSatisfy({ $0.missingCount == 0 }) ? nil
            : (0 ..< source.rowCount).filter { row in columns.allSatisfy { !$0.isMissing(row) } }
        let n = complete?.count ?? source.rowCount
        if n > limit { complete = NumberProfile.evenlySpacedRows(limit, of: n).map { complete?[$0] ?? $0 } }
        let rows = complete, values = columns.map { $0.numbers! }
        // A feature constant over the rows used has no distance along it.
        let usable = columns.indices.filter { j in
            let numbers = values[j]
            if let rows { return rows.first.map { first in rows.contains { numbers[$0] != numbers[first] } } ?? false }
            return numbers.first.map { first in numbers.contains { $0 != first } } ?? false
        }
        guard !usable.isEmpty, (rows?.count ?? n) > usable.count,
              let moments = try MahalanobisDistance.moments(of: usable.map { values[$0] }, selected: rows) else { return nil }
        features = usable.map { columns[$0].name }
        (means, deviations, correlation) = moments
    }

    /// The distance, or nil when the stored figures do not make one.
    public var distance: MahalanobisDistance? {
        MahalanobisDistance(means: means, deviations: deviations, correlation: correlation)
    }

    /// The squared distance beyond which a row is far: the χ² quantile with one degree of
    /// freedom per feature.
    public var threshold: Double { ChiSquare.quantile(Self.probability, degreesOfFreedom: Double(features.count)) }
}

extension Metric: Codable {
    private enum CodingKeys: String, CodingKey { case name, value }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try container.decode(String.self, forKey: .name), value: try container.decode(Double.self, forKey: .value))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(value, forKey: .value)
    }
}

// MARK: - Checks

extension TrainingProfile {
    /// One profile per feature, by name and type, and the target's; every part consistent.
    func check(in model: Model) throws {
        try require(features.count == model.schema.features.count, "the profile has \(features.count) features for \(model.schema.features.count)")
        for (profile, feature) in zip(features, model.schema.features) {
            try require(profile.name == feature.name && profile.type == feature.type, "the profile of '\(feature.name)' names another column")
            try profile.check()
        }
        try require(target?.name == model.schema.target?.name, "the profile's target is not the model's")
        try target?.check()
        try prediction?.check()
        try require(scoredRows > 0 && scoredRows <= model.training.rowsUsed, "the profile scored \(scoredRows) rows")
        if let outliers {
            let numeric = Set(model.schema.features.filter { $0.type == .integer || $0.type == .numeric }.map(\.name))
            try outliers.check(among: numeric)
        }
    }
}

extension ColumnProfile {
    func check() throws {
        try require(rows >= 0 && missing >= 0 && missing <= rows, "the profile of '\(name)' counts \(missing) missing of \(rows) rows")
        if let numbers {
            try require(type == .integer || type == .numeric, "the profile of \(type.rawValue) '\(name)' has numbers")
            try numbers.check(name, present: rows - missing)
        }
        if let categories {
            try require(categories.levels.count == categories.counts.count && Set(categories.levels).count == categories.levels.count,
                        "the profile of '\(name)' repeats a level or miscounts them")
            try require(categories.counts.allSatisfy { $0 >= 0 && $0 == $0.rounded() }, "the profile of '\(name)' has a count that is not a whole number")
            try require(categories.levels.count <= CategoryProfile.levelLimit, "the profile of '\(name)' has too many levels")
        }
    }
}

extension NumberProfile {
    func check(_ name: String, present: Int) throws {
        let figures = [minimum, maximum, mean, deviation] + edges + sample
        try require(figures.allSatisfy(\.isFinite) && minimum <= maximum && deviation >= 0, "the profile of '\(name)' has a range or moment out of order")
        try require(count == present && count > 0, "the profile of '\(name)' counts \(count) values for \(present) present")
        try require(zip(edges, edges.dropFirst()).allSatisfy { $0 < $1 } && edges.count <= 9, "the bin edges of '\(name)' are not increasing")
        try require(binCounts.count == edges.count + 1 && binCounts.allSatisfy { $0 >= 0 && $0 == $0.rounded() }
                        && binCounts.reduce(0, +) == Double(count), "the bin counts of '\(name)' do not add up")
        try require(!sample.isEmpty && sample.count <= count && zip(sample, sample.dropFirst()).allSatisfy { $0 <= $1 },
                    "the sample of '\(name)' is empty, too long or unsorted")
    }
}

extension OutlierProfile {
    func check(among numeric: Set<String>) throws {
        let p = features.count
        try require(p > 0 && Set(features).count == p && features.allSatisfy(numeric.contains), "the outlier profile names features the model has not")
        try require(means.count == p && deviations.count == p && correlation.count == p * p, "the outlier profile's figures do not fit \(p) features")
        try require((means + correlation).allSatisfy(\.isFinite) && deviations.allSatisfy { $0 > 0 && $0.isFinite }, "the outlier profile has a figure that is not finite")
        try require(distance != nil, "the outlier profile's correlation matrix is not positive definite")
    }
}
