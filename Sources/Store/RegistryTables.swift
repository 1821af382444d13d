import Diagnostics
import Foundation
import Models
import Numerics

/// The registry's columns that are copied from a version's model for queries
/// (`Workspace.schema`, table `versions`), computed in one place for writing and checking.
struct VersionSummaryColumns: Equatable {
    let kind: String
    let task: String
    let target: String?
    let features: String
    let parameters: String
    let dataName: String
    let dataFingerprint: String
    let dataRows: Int
    let dataColumns: Int

    init(_ model: Model) throws {
        kind = model.kind
        task = model.task.rawValue
        target = model.schema.target?.name
        features = try Self.json(model.schema.features.map(\.name))
        parameters = try Self.json(model.training.options)
        dataName = model.training.datasetName
        dataFingerprint = model.training.fingerprint
        dataRows = model.training.rowsUsed
        dataColumns = model.schema.features.count + (model.schema.target == nil ? 0 : 1)
    }

    init(kind: String, task: String, target: String?, features: String, parameters: String, dataName: String,
         dataFingerprint: String, dataRows: Int, dataColumns: Int) {
        (self.kind, self.task, self.target, self.features, self.parameters) = (kind, task, target, features, parameters)
        (self.dataName, self.dataFingerprint, self.dataRows, self.dataColumns) = (dataName, dataFingerprint, dataRows, dataColumns)
    }

    /// Compact JSON with sorted keys, so equal values are equal text.
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// Writes the registry's tables (models, versions, evaluations, metrics, aliases).
enum RegistryWriter {
    /// Every version's archive text, by name and then in version order, encoded on every core:
    /// encoding the JSON is most of the time the registry takes to save, and runs beside the
    /// datasets' writing. After Ctrl-C the rest are left unencoded, and the request is left
    /// for the thread writing the file to take.
    static func encodedArchives(_ registry: ModelRegistry) throws -> [String: [String]] {
        let versions = registry.names.flatMap { name in registry[name]!.versions.map { (name, $0) } }
        let texts = try concurrentMap(versions.count, threads: everyCore) { k in
            guard !Interruption.isRequested else { throw ModelshError(.interrupted, "interrupted") }
            let (name, version) = versions[k]
            return String(decoding: try ModelArchive.encode(version.model, name: name), as: UTF8.self)
        }
        return Dictionary(grouping: zip(versions, texts), by: { $0.0.0 }).mapValues { $0.map(\.1) }
    }

    /// Writes the registry, with `archives` from `encodedArchives` of the same registry.
    static func write(_ registry: ModelRegistry, archives: [String: [String]], to database: SQLiteDatabase) throws {
        let insertModel = try database.prepare("INSERT INTO models (name, position, last_version) VALUES (?1, ?2, ?3)")
        let insertVersion = try database.prepare("""
            INSERT INTO versions (model, version, kind, task, target, features, parameters, data_name, data_fingerprint,
                                  data_rows, data_columns, created, cell, command, parent_model, parent_version, grid, retired, archive, checksum)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)
            """)
        let insertAlias = try database.prepare("INSERT INTO aliases (model, alias, version) VALUES (?1, ?2, ?3)")
        for (position, name) in registry.names.enumerated() {
            let entry = registry[name]!
            try insertModel.bind(name, at: 1)
            try insertModel.bind(position, at: 2)
            try insertModel.bind(entry.lastNumber, at: 3)
            try insertModel.step()
            try insertModel.reset()
            for (version, archive) in zip(entry.versions, archives[name]!) {
                try Interruption.check()
                try writeVersion(version, of: name, archive: archive, using: insertVersion)
                try writeEvaluations(version, of: name, database: database)
                try MonitoringTables.write(version, of: name, database: database)
            }
            for (alias, number) in entry.aliases.sorted(by: { $0.key < $1.key }) {
                try insertAlias.bind(name, at: 1)
                try insertAlias.bind(alias, at: 2)
                try insertAlias.bind(number, at: 3)
                try insertAlias.step()
                try insertAlias.reset()
            }
        }
    }

    private static func writeVersion(_ version: ModelVersion, of name: String, archive: String, using insert: SQLiteStatement) throws {
        let columns = try VersionSummaryColumns(version.model)
        let origin = version.origin
        try insert.bind(name, at: 1)
        try insert.bind(version.number, at: 2)
        try insert.bind(columns.kind, at: 3)
        try insert.bind(columns.task, at: 4)
        try insert.bind(columns.target, at: 5)
        try insert.bind(columns.features, at: 6)
        try insert.bind(columns.parameters, at: 7)
        try insert.bind(columns.dataName, at: 8)
        try insert.bind(columns.dataFingerprint, at: 9)
        try insert.bind(columns.dataRows, at: 10)
        try insert.bind(columns.dataColumns, at: 11)
        try insert.bind(origin.created.map(RegistryTime.text), at: 12)
        try insert.bind(origin.cell, at: 13)
        try insert.bind(origin.command, at: 14)
        try insert.bind(origin.parent?.name, at: 15)
        try insert.bind(origin.parent?.version, at: 16)
        try insert.bind(try origin.grid.map(VersionSummaryColumns.json), at: 17)
        try insert.bind(version.retired, at: 18)
        try insert.bind(archive, at: 19)
        try insert.bind(Checksum.hex(joining: archive), at: 20)
        try insert.step()
        try insert.reset()
    }

    /// The metrics of one evaluation (or monitoring entry) at `position` of a version, with
    /// `insert` taking (model, version, position of the evaluation, position, name, value).
    static func writeMetrics(_ metrics: [Metric], of name: String, version: Int, at position: Int, using insert: SQLiteStatement) throws {
        for (index, metric) in metrics.enumerated() {
            try insert.bind(name, at: 1)
            try insert.bind(version, at: 2)
            try insert.bind(position, at: 3)
            try insert.bind(index, at: 4)
            try insert.bind(metric.name, at: 5)
            try insert.bind(metric.value, at: 6)
            try insert.step()
            try insert.reset()
        }
    }

    private static func writeEvaluations(_ version: ModelVersion, of name: String, database: SQLiteDatabase) throws {
        guard !version.evaluations.isEmpty else { return }
        let insertEvaluation = try database.prepare("""
            INSERT INTO evaluations (model, version, position, dataset, fingerprint, time) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            """)
        let insertMetric = try database.prepare("""
            INSERT INTO metrics (model, version, evaluation, position, name, value) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            """)
        for (position, evaluation) in version.evaluations.enumerated() {
            try insertEvaluation.bind(name, at: 1)
            try insertEvaluation.bind(version.number, at: 2)
            try insertEvaluation.bind(position, at: 3)
            try insertEvaluation.bind(evaluation.dataset, at: 4)
            try insertEvaluation.bind(evaluation.fingerprint, at: 5)
            try insertEvaluation.bind(RegistryTime.text(evaluation.time), at: 6)
            try insertEvaluation.step()
            try insertEvaluation.reset()
            try writeMetrics(evaluation.metrics, of: name, version: version.number, at: position, using: insertMetric)
        }
    }
}
