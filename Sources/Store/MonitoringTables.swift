import Diagnostics
import Foundation
import Models

/// One `monitor` of a version on new data: when, on what, the drift summary and, when the
/// data had labels, the metrics.
public struct MonitoringRecord: Sendable, Equatable {
    public var dataset: String
    public var fingerprint: String
    public var time: Date
    public var rows: Int
    /// The overall drift verdict (DriftVerdict's raw value), or `failedVerdict`.
    public var verdict: String
    public var compared: Int
    public var moderate: Int
    public var drifted: Int
    /// The largest feature PSI (NaN when none was compared) and the predictions' PSI (NaN
    /// when not compared).
    public var maxPSI: Double
    public var predictionPSI: Double
    public var farRows: Int
    public var outsideRows: Int
    /// The label column the metrics were measured with; nil without labels (then no metrics).
    public var label: String?
    public var metrics: [Metric]

    public init(dataset: String, fingerprint: String, time: Date, rows: Int, verdict: String, compared: Int, moderate: Int, drifted: Int,
                maxPSI: Double, predictionPSI: Double, farRows: Int, outsideRows: Int, label: String?, metrics: [Metric]) {
        (self.dataset, self.fingerprint, self.time, self.rows, self.verdict) = (dataset, fingerprint, time, rows, verdict)
        (self.compared, self.moderate, self.drifted, self.maxPSI, self.predictionPSI) = (compared, moderate, drifted, maxPSI, predictionPSI)
        (self.farRows, self.outsideRows, self.label, self.metrics) = (farRows, outsideRows, label, metrics)
    }

    public func metric(_ name: String) -> Double? { metrics.first { $0.name == name }?.value }

    /// The verdicts a record may hold.
    static let verdicts: Set<String> = ["stable", "moderate", "drifted", "not compared", failedVerdict]
    /// The verdict on data that `validate` fails (predict would refuse it), whatever its drift.
    public static let failedVerdict = "fails"
}

/// Writes and reads the tables `monitoring` and `monitoring_metrics` (format 4), checking
/// on read as the other registry tables are checked.
struct MonitoringTables {
    let database: SQLiteDatabase

    static func write(_ version: ModelVersion, of name: String, database: SQLiteDatabase) throws {
        guard !version.monitoring.isEmpty else { return }
        let insertEntry = try database.prepare("""
            INSERT INTO monitoring (model, version, position, dataset, fingerprint, time, rows, verdict, compared, moderate, drifted,
                                    max_psi, prediction_psi, far_rows, outside_rows, label)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
            """)
        let insertMetric = try database.prepare("""
            INSERT INTO monitoring_metrics (model, version, entry, position, name, value) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            """)
        for (position, record) in version.monitoring.enumerated() {
            try insertEntry.bind(name, at: 1)
            try insertEntry.bind(version.number, at: 2)
            try insertEntry.bind(position, at: 3)
            try insertEntry.bind(record.dataset, at: 4)
            try insertEntry.bind(record.fingerprint, at: 5)
            try insertEntry.bind(RegistryTime.text(record.time), at: 6)
            try insertEntry.bind(record.rows, at: 7)
            try insertEntry.bind(record.verdict, at: 8)
            try insertEntry.bind(record.compared, at: 9)
            try insertEntry.bind(record.moderate, at: 10)
            try insertEntry.bind(record.drifted, at: 11)
            try insertEntry.bind(record.maxPSI, at: 12)
            try insertEntry.bind(record.predictionPSI, at: 13)
            try insertEntry.bind(record.farRows, at: 14)
            try insertEntry.bind(record.outsideRows, at: 15)
            try insertEntry.bind(record.label, at: 16)
            try insertEntry.step()
            try insertEntry.reset()
            try RegistryWriter.writeMetrics(record.metrics, of: name, version: version.number, at: position, using: insertMetric)
        }
    }

    func read(into entries: inout [String: RegisteredModel]) throws {
        let registry = RegistryReader(database: database)
        let query = try database.prepare("""
            SELECT model, version, position, dataset, fingerprint, time, rows, verdict, compared, moderate, drifted,
                   max_psi, prediction_psi, far_rows, outside_rows, label
            FROM monitoring ORDER BY model, version, position
            """, reading: "monitoring")
        while try query.step() {
            let (name, number, position) = (try query.text(at: 0), try query.int(at: 1), try query.int(at: 2))
            let index = try registry.versionIndex(name, number, in: entries, for: "a monitoring entry")
            let id = "\(StoredNames.quoted(name))@\(number)"
            guard position == entries[name]!.versions[index].monitoring.count else {
                throw registry.failure("monitoring entry \(position) of version \(id) is out of sequence (positions run 0, 1, …)")
            }
            let dataset = try query.text(at: 3)
            try registry.checkIdentifier(dataset, of: "monitored dataset")
            let fingerprint = try query.text(at: 4)
            let timeText = try query.text(at: 5)
            let counts = try [6, 8, 9, 10, 13, 14].map { try query.int(at: $0) }
            let verdict = try query.text(at: 7)
            guard fingerprint.utf8.count == 16, fingerprint.allSatisfy(\.isHexDigit), let time = RegistryTime.date(timeText),
                  MonitoringRecord.verdicts.contains(verdict), counts.allSatisfy({ (0 ..< RegistryReader.numberLimit).contains($0) }),
                  counts[2] + counts[3] <= counts[1], counts[4] <= counts[0], counts[5] <= counts[0] else {
                throw registry.failure("monitoring entry \(position) of version \(id) has a fingerprint, time, verdict or count out of range")
            }
            let label = try query.optionalText(at: 15)
            if let label, let problem = StoredNames.columnNameProblem(label) { throw registry.failure("monitoring label: \(problem)") }
            entries[name]!.versions[index].monitoring.append(MonitoringRecord(
                dataset: dataset, fingerprint: fingerprint, time: time, rows: counts[0], verdict: verdict, compared: counts[1],
                moderate: counts[2], drifted: counts[3], maxPSI: try query.double(at: 11), predictionPSI: try query.double(at: 12),
                farRows: counts[4], outsideRows: counts[5], label: label, metrics: []))
        }
        try readMetrics(into: &entries, registry: registry)
    }

    private func readMetrics(into entries: inout [String: RegisteredModel], registry: RegistryReader) throws {
        let query = try database.prepare("""
            SELECT model, version, entry, position, name, value FROM monitoring_metrics ORDER BY model, version, entry, position
            """, reading: "monitoring_metrics")
        while try query.step() {
            let (name, number, entry, position) = (try query.text(at: 0), try query.int(at: 1), try query.int(at: 2), try query.int(at: 3))
            let index = try registry.versionIndex(name, number, in: entries, for: "a monitoring metric")
            let id = "\(StoredNames.quoted(name))@\(number)"
            guard entries[name]!.versions[index].monitoring.indices.contains(entry) else {
                throw registry.failure("a metric belongs to monitoring entry \(entry) of version \(id), which is not in table 'monitoring'")
            }
            var record = entries[name]!.versions[index].monitoring[entry]
            let metricName = try query.text(at: 4)
            guard record.label != nil, position == record.metrics.count, Identifier.isValid(metricName), record.metric(metricName) == nil else {
                throw registry.failure("metric \(position) of monitoring entry \(entry) of version \(id) is out of sequence, repeated, not a name, or has no label")
            }
            record.metrics.append(Metric(name: metricName, value: try query.double(at: 5)))
            entries[name]!.versions[index].monitoring[entry] = record
        }
    }
}
