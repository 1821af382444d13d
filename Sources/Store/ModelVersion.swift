import Foundation
import Models

/// Which version of which model: `m@2`.
public struct ModelVersionID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let name: String
    public let version: Int

    public init(name: String, version: Int) {
        self.name = name
        self.version = version
    }

    public var description: String { "\(name)@\(version)" }
}

/// How a version came to be: when, by which cell and command, and from what.
public struct VersionOrigin: Sendable, Equatable {
    /// When it was made (UTC, whole seconds, so a saved and reopened registry is equal); nil
    /// for a model from a format-2 workspace, which kept no times.
    public var created: Date?
    /// The notebook cell that made it; nil for a model from a format-2 workspace.
    public var cell: Int?
    /// The command as typed; nil for a model from a format-2 workspace.
    public var command: String?
    /// The version it was derived from (a compressed or updated model), if any.
    public var parent: ModelVersionID?
    /// For a grid search (`tune`): each option tried and its values, in the order tried.
    public var grid: [GridOption]?

    public init(created: Date?, cell: Int? = nil, command: String? = nil, parent: ModelVersionID? = nil, grid: [GridOption]? = nil) {
        self.created = created
        self.cell = cell
        self.command = command
        self.parent = parent
        self.grid = grid
    }
}

/// One option of a grid search and the values it tried.
public struct GridOption: Sendable, Equatable, Codable {
    public let name: String
    public let values: [String]

    public init(name: String, values: [String]) {
        self.name = name
        self.values = values
    }
}

/// One `evaluate` (or `compare`) of a version on a dataset.
public struct EvaluationRecord: Sendable, Equatable {
    /// The dataset's name when it was evaluated, and its content fingerprint (Dataset.fingerprint),
    /// which says whether two evaluations saw the same data whatever it is called now.
    public var dataset: String
    public var fingerprint: String
    public var metrics: [Metric]
    public var time: Date

    public init(dataset: String, fingerprint: String, metrics: [Metric], time: Date) {
        self.dataset = dataset
        self.fingerprint = fingerprint
        self.metrics = metrics
        self.time = time
    }

    public func metric(_ name: String) -> Double? { metrics.first { $0.name == name }?.value }
}

/// A fitted model as one version of a registered name, with its history.
public struct ModelVersion: Sendable, Equatable {
    public let number: Int
    public let model: Model
    public let origin: VersionOrigin
    /// Retired versions are kept (for lineage) but `m` no longer means them.
    public internal(set) var retired: Bool
    /// Every evaluation run on it, oldest first.
    public internal(set) var evaluations: [EvaluationRecord]
    /// Every `monitor` of it on new data, oldest first.
    public internal(set) var monitoring: [MonitoringRecord]

    public init(number: Int, model: Model, origin: VersionOrigin, retired: Bool = false, evaluations: [EvaluationRecord] = [],
                monitoring: [MonitoringRecord] = []) {
        self.number = number
        self.model = model
        self.origin = origin
        self.retired = retired
        self.evaluations = evaluations
        self.monitoring = monitoring
    }

    /// The metric that sums a model up in listings: R² for regression, accuracy for
    /// classification, the mean inertia for clustering, the reconstruction error for components.
    public static func headlineMetric(for task: ModelTask) -> String {
        switch task {
        case .regression: "r2"
        case .classification: "accuracy"
        case .clustering: "inertia_per_row"
        case .components: "reconstruction_mse"
        }
    }

    /// The latest evaluation that measured `metric` (default: the headline metric).
    public func latestEvaluation(with metric: String? = nil) -> EvaluationRecord? {
        let name = metric ?? Self.headlineMetric(for: model.task)
        return evaluations.last { $0.metric(name) != nil }
    }
}

/// Registry times: UTC, whole seconds, written `2026-11-30T12:00:00Z` (ISO 8601), which sorts
/// as text and which sqlite3's date functions read.
public enum RegistryTime {
    public static func text(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }

    /// The time `text` names, if it is written exactly as `text(_:)` writes times.
    public static func date(_ text: String) -> Date? {
        let fields = text.split(whereSeparator: { "-T:Z".contains($0) }).map { Int($0) }
        guard text.utf8.count == 20, text.hasSuffix("Z"), fields.count == 6, fields.allSatisfy({ $0 != nil }) else { return nil }
        var parts = tm()
        parts.tm_year = Int32(fields[0]! - 1900)
        parts.tm_mon = Int32(fields[1]! - 1)
        parts.tm_mday = Int32(fields[2]!)
        parts.tm_hour = Int32(fields[3]!)
        parts.tm_min = Int32(fields[4]!)
        parts.tm_sec = Int32(fields[5]!)
        let date = Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
        // Out-of-range fields (month 13) normalise to another time; only exact spellings count.
        return self.text(date) == text ? date : nil
    }

    /// `date` to whole seconds, as the registry keeps times.
    public static func wholeSeconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }
}
