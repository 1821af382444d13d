import Numerics
import Tabular

/// New data checked against a model's schema and training profile, feature by feature:
/// whether the column is there with a type the model accepts, how many values lie outside
/// the training range, which categories training never saw, and whether the share of missing
/// values jumped. Never throws for what the data holds: every problem is a finding.
public struct DataValidation: Sendable {
    public enum Severity: Int, Sendable, Comparable {
        case ok, warning, failure
        public static func < (a: Severity, b: Severity) -> Bool { a.rawValue < b.rawValue }
    }

    public struct FeatureCheck: Sendable {
        public let name: String
        public let trainingType: ColumnType
        /// nil when the column is absent.
        public let currentType: ColumnType?
        public let trainingMissingRate: Double
        public let currentMissingRate: Double?
        /// Present values below the training minimum or above its maximum (numeric features).
        public let outOfRange: Int?
        /// Rows holding a category training never saw, and up to three of those categories.
        public let unseen: Int?
        public let unseenExamples: [String]
        public let findings: [String]
        public let severity: Severity
    }

    /// A row far from the training data or outside its ranges.
    public struct OutlyingRow: Sendable {
        /// 0-based.
        public let row: Int
        /// NaN when a feature the distance uses is missing.
        public let squaredDistance: Double
        /// The features whose value lies outside the training range or is an unseen category.
        public let outside: [String]
    }

    public let rows: Int
    public let features: [FeatureCheck]
    /// Columns of the data the model does not use (the target among them, if present).
    public let extraColumns: [String]
    /// The squared-distance threshold and the features it uses; nil when the profile has no
    /// outlier moments or the data lacks one of those features in a usable type.
    public let distanceThreshold: Double?
    public let distanceFeatures: [String]
    /// Every row that is far (d² above the threshold) or outside a training range.
    public let outlying: [OutlyingRow]

    /// A missing-value share that grows by more than this (absolute) is a warning.
    public static let missingRateJump = 0.05

    public var severity: Severity { features.map(\.severity).max() ?? .ok }
    public var farRows: Int { outlying.filter { $0.squaredDistance > (distanceThreshold ?? .infinity) }.count }
    public var outsideRows: Int { outlying.filter { !$0.outside.isEmpty }.count }

    /// Checks `data` against `model`, whose profile is `profile`.
    public init(_ model: Model, profile: TrainingProfile, data: Dataset) {
        rows = data.rowCount
        let used = Set(model.schema.features.map(\.name) + [model.schema.offset].compactMap { $0 })
        extraColumns = data.columnNames.filter { !used.contains($0) }
        var outside = [[String]](repeating: [], count: data.rowCount)
        features = zip(model.schema.features, profile.features).map { feature, reference in
            Self.check(feature, reference, data.column(named: feature.name), outside: &outside)
        } + [model.schema.offset].compactMap { $0 }.map { Self.checkOffset($0, data.column(named: $0)) }
        var squared = [Double](repeating: .nan, count: data.rowCount)
        if let outliers = profile.outliers, let distance = outliers.distance,
           let columns = Optional(outliers.features.compactMap { data.column(named: $0) }),
           columns.count == outliers.features.count, columns.allSatisfy({ $0.type.isNumeric && $0.numbers != nil }) {
            distanceThreshold = outliers.threshold
            distanceFeatures = outliers.features
            let numbers = columns.map { $0.numbers! }
            for row in 0 ..< data.rowCount where columns.allSatisfy({ !$0.isMissing(row) }) {
                squared[row] = distance.squaredDistance(numbers.map { $0[row] })
            }
        } else {
            distanceThreshold = nil
            distanceFeatures = []
        }
        let threshold = distanceThreshold ?? .infinity
        outlying = (0 ..< data.rowCount).filter { squared[$0] > threshold || !outside[$0].isEmpty }
            .map { OutlyingRow(row: $0, squaredDistance: squared[$0], outside: outside[$0]) }
    }

    /// The model's offset column (`offset=`), named "NAME (offset)": it must be there, as
    /// numbers, for any prediction; a row missing it gets none (training used none such).
    private static func checkOffset(_ name: String, _ column: Column?) -> FeatureCheck {
        let missingRate = column.map { $0.count == 0 ? 0 : Double($0.missingCount) / Double($0.count) }
        var findings: [String] = [], severity = Severity.ok
        if let column, !column.type.isNumeric || column.type == .boolean {
            findings.append("\(column.type.rawValue), was numeric")
            severity = .failure
        } else if column == nil {
            findings.append("column missing")
            severity = .failure
        } else if let missingRate, missingRate > missingRateJump {
            findings.append("more missing")
            severity = .warning
        }
        return FeatureCheck(name: "\(name) (offset)", trainingType: .numeric, currentType: column?.type, trainingMissingRate: 0,
                            currentMissingRate: missingRate, outOfRange: nil, unseen: nil, unseenExamples: [], findings: findings, severity: severity)
    }

    private static func check(_ feature: FeatureSchema, _ reference: ColumnProfile, _ column: Column?, outside: inout [[String]]) -> FeatureCheck {
        guard let column else {
            return FeatureCheck(name: feature.name, trainingType: feature.type, currentType: nil, trainingMissingRate: reference.missingRate,
                                currentMissingRate: nil, outOfRange: nil, unseen: nil, unseenExamples: [], findings: ["column missing"], severity: .failure)
        }
        let missingRate = column.count == 0 ? 0 : Double(column.missingCount) / Double(column.count)
        var findings: [String] = [], severity = Severity.ok
        let accepted = feature.type.isNumeric ? column.type.isNumeric : (column.type == .categorical || column.type == .text)
        var outOfRange: Int?, unseen: Int?, examples: [String] = []
        if !accepted {
            findings.append("\(column.type.rawValue), was \(feature.type.rawValue)")
            severity = .failure
        } else if let levels = feature.levels {
            let known = Set(levels)
            var seen: [String] = [], count = 0
            for row in 0 ..< column.count where !column.isMissing(row) {
                guard let text = column.text(at: row), !known.contains(text) else { continue }
                count += 1
                outside[row].append(feature.name)
                if !seen.contains(text) { seen.append(text) }
            }
            unseen = count
            examples = Array(seen.prefix(3))
            if count > 0 {
                findings.append("\(count) unseen")
                severity = .failure
            }
        } else if let range = reference.numbers, let values = column.numbers {
            var count = 0
            for row in 0 ..< column.count where !column.isMissing(row) && (values[row] < range.minimum || values[row] > range.maximum) {
                count += 1
                outside[row].append(feature.name)
            }
            outOfRange = count
            if count > 0 {
                findings.append("\(count) out of range")
                severity = max(severity, .warning)
            }
        }
        if missingRate - reference.missingRate > missingRateJump {
            findings.append("more missing")
            severity = max(severity, .warning)
        }
        return FeatureCheck(name: feature.name, trainingType: feature.type, currentType: column.type, trainingMissingRate: reference.missingRate,
                            currentMissingRate: missingRate, outOfRange: outOfRange, unseen: unseen, unseenExamples: examples,
                            findings: findings, severity: severity)
    }
}
