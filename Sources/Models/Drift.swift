import Diagnostics
import Numerics
import Tabular

/// When a shift counts as drift: a PSI at or above `psi`, or a test p-value below `p`, is
/// drifted; a PSI at or above half of `psi` is moderate; anything less is stable.
public struct DriftThresholds: Sendable, Equatable {
    public var psi: Double
    public var p: Double

    public static let standard = DriftThresholds(psi: 0.2, p: 0.01)

    public init(psi: Double, p: Double) {
        self.psi = psi
        self.p = p
    }
}

public enum DriftVerdict: String, Sendable, Comparable {
    case stable, moderate, drifted
    /// The column could not be compared (absent, of another type, or without values).
    case notCompared = "not compared"

    private var rank: Int { [.notCompared: 0, .stable: 1, .moderate: 2, .drifted: 3][self]! }
    public static func < (a: DriftVerdict, b: DriftVerdict) -> Bool { a.rank < b.rank }
}

/// One column's shift from a reference profile to current data: PSI on the reference's
/// bins (deciles for numbers, levels for categories), and a test of equal distributions:
/// two-sample Kolmogorov–Smirnov for numbers, χ² of homogeneity for categories.
public struct ColumnDrift: Sendable {
    public let name: String
    /// "feature", "target" or "prediction".
    public let role: String
    /// "KS" or "chi2"; nil when not compared.
    public let test: String?
    public let psi: Double
    public let statistic: Double
    public let pValue: Double
    public let verdict: DriftVerdict
    /// Why it was not compared, or a remark on the test (an approximate p-value).
    public let note: String

    /// `unavailable` says why there is no current column, when it is nil (default: it is missing).
    public init(name: String, role: String, reference: ColumnProfile, current: Column?, thresholds: DriftThresholds,
                unavailable: String = "column missing") {
        self.name = name
        self.role = role
        func skipped(_ why: String) -> (String?, Double, Double, Double, DriftVerdict, String) { (nil, .nan, .nan, .nan, .notCompared, why) }
        let result: (String?, Double, Double, Double, DriftVerdict, String)
        if let current {
            let profile = ColumnProfile(current, sampleLimit: nil)
            if let expected = reference.numbers, let actual = profile.numbers {
                let test = KolmogorovSmirnovTest(sorted: expected.sample, actual.sample)
                let psi = PopulationStability.index(expected: expected.binCounts, actual: PopulationStability.counts(actual.sample, edges: expected.edges))
                let note = !expected.sampleIsComplete ? "reference: \(expected.sample.count) quantiles of \(expected.count)" : test.exact ? "" : "asymptotic p"
                result = ("KS", psi, test.statistic, test.pValue, Self.verdict(psi, test.pValue, thresholds), note)
            } else if let expected = reference.categories, let actual = profile.categories {
                let levels = Array(Set(expected.levels + actual.levels)).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
                func counts(_ p: CategoryProfile) -> [Double] { levels.map { level in p.levels.firstIndex(of: level).map { p.counts[$0] } ?? 0 } }
                let (e, a) = (counts(expected), counts(actual))
                let test = ChiSquareTest(counts: [e, a])
                let psi = PopulationStability.index(expected: e, actual: a)
                result = ("chi2", psi, test.statistic, test.pValue, Self.verdict(psi, test.pValue, thresholds), "")
            } else if reference.numbers == nil && reference.categories == nil {
                result = skipped(reference.missing == reference.rows ? "no values in the reference" : "too many distinct values in the reference")
            } else if profile.numbers == nil && profile.categories == nil {
                result = skipped(current.count == current.missingCount ? "no values" : "too many distinct values")
            } else {
                result = skipped("\(current.type.rawValue), was \(reference.type.rawValue)")
            }
        } else {
            result = skipped(unavailable)
        }
        (test, psi, statistic, pValue, verdict, note) = result
    }

    static func verdict(_ psi: Double, _ p: Double, _ thresholds: DriftThresholds) -> DriftVerdict {
        if psi >= thresholds.psi || p < thresholds.p { return .drifted }
        return psi >= thresholds.psi / 2 ? .moderate : .stable
    }
}

/// Every column's drift and the overall verdict: the worst of the columns compared.
public struct DriftReport: Sendable {
    public let columns: [ColumnDrift]
    public let thresholds: DriftThresholds

    public var verdict: DriftVerdict { columns.map(\.verdict).max() ?? .notCompared }
    public func count(_ verdict: DriftVerdict) -> Int { columns.filter { $0.verdict == verdict }.count }
    public var prediction: ColumnDrift? { columns.first { $0.role == "prediction" } }

    /// Two datasets: each column of `reference` (or those named) against the same column of
    /// `current`, with every reference value kept, so the KS p-value is scipy's.
    public init(reference: Dataset, current: Dataset, columns names: [String]?, thresholds: DriftThresholds) {
        self.thresholds = thresholds
        columns = (names ?? reference.columnNames).compactMap { name in
            reference.column(named: name).map { ColumnDrift(name: name, role: "feature", reference: ColumnProfile($0, sampleLimit: nil),
                                                            current: current.column(named: name), thresholds: thresholds) }
        }
    }

    /// A model's training profile against new data: every feature, the target when the
    /// data holds it, and the model's predictions (when it can predict on the data).
    public init(model: Model, profile: TrainingProfile, data: Dataset, thresholds: DriftThresholds) {
        self.thresholds = thresholds
        var columns = profile.features.map {
            ColumnDrift(name: $0.name, role: "feature", reference: $0, current: data.column(named: $0.name), thresholds: thresholds)
        }
        if let target = profile.target, let column = data.column(named: target.name) {
            columns.append(ColumnDrift(name: target.name, role: "target", reference: target, current: column, thresholds: thresholds))
        }
        if let reference = profile.prediction {
            do {
                let current = try TrainingProfile.predictionColumn(model.predict(on: data))
                columns.append(ColumnDrift(name: "prediction", role: "prediction", reference: reference, current: current, thresholds: thresholds))
            } catch let error as ModelshError {
                columns.append(ColumnDrift(name: "prediction", role: "prediction", reference: reference, current: nil, thresholds: thresholds,
                                           unavailable: "no prediction: " + error.message))
            } catch {
                columns.append(ColumnDrift(name: "prediction", role: "prediction", reference: reference, current: nil, thresholds: thresholds,
                                           unavailable: "no prediction"))
            }
        }
        self.columns = columns
    }
}
