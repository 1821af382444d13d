import Diagnostics
import Foundation
import Models
import Numerics

/// Reads the registry's tables without trusting them: every version decodes and matches the
/// columns copied from it, numbers are in range and unique, and every evaluation, metric and
/// alias belongs to a version that is there. A failure is one "damaged workspace" error.
struct RegistryReader {
    let database: SQLiteDatabase

    /// Largest version, cell or position number a file may hold, as for cells.
    static let numberLimit = 1 << 31

    /// Format 3 and later: the registry tables (with monitoring entries from format 4). A
    /// version whose archive is in `decoded` with the same text takes the model decoded there;
    /// any other is decoded here.
    func read(formatVersion: Int, decoded: DecodedArchives = DecodedArchives()) throws -> ModelRegistry {
        let names = try readNames()
        var entries: [String: RegisteredModel] = [:]
        for (name, lastNumber) in names { entries[name] = RegisteredModel(lastNumber: lastNumber) }
        try readVersions(into: &entries, checkingSums: formatVersion >= Workspace.firstWithChecksums, decoded: decoded)
        for (name, _) in names where entries[name]!.versions.isEmpty {
            throw failure("model '\(name)' has no versions")
        }
        try readEvaluations(into: &entries)
        try readAliases(into: &entries)
        if formatVersion >= 4 { try MonitoringTables(database: database).read(into: &entries) }
        var registry = ModelRegistry()
        for (name, _) in names { registry.restore(entries[name]!, as: name) }
        return registry
    }

    /// Format 2: one model per name, each becoming version 1 with no recorded origin.
    func readFormat2() throws -> ModelRegistry {
        let query = try database.prepare("SELECT name, kind, archive FROM models ORDER BY position", reading: "models")
        var registry = ModelRegistry()
        while try query.step() {
            let name = try query.text(at: 0)
            try checkIdentifier(name, of: "model")
            guard !registry.contains(name) else { throw failure("model '\(name)' appears twice") }
            let model = try archivedModel(try Self.decodeArchive(try query.text(at: 2), name: name, source: database.displayPath), name: name)
            let kind = try query.text(at: 1)
            guard model.kind == kind else {
                throw failure("model '\(name)' is listed as \(StoredNames.quoted(kind)) but its archive holds \(StoredNames.quoted(model.kind))")
            }
            registry.add(model, as: name, origin: VersionOrigin(created: nil))
        }
        return registry
    }

    // MARK: - Tables

    private func readNames() throws -> [(name: String, lastNumber: Int)] {
        let query = try database.prepare("SELECT name, last_version FROM models ORDER BY position", reading: "models")
        var names: [(String, Int)] = []
        while try query.step() {
            let name = try query.text(at: 0)
            try checkIdentifier(name, of: "model")
            guard !names.contains(where: { $0.0 == name }) else { throw failure("model '\(name)' appears twice") }
            let lastNumber = try query.int(at: 1)
            guard (1 ..< Self.numberLimit).contains(lastNumber) else {
                throw failure("model '\(name)' has last_version \(lastNumber)")
            }
            names.append((name, lastNumber))
        }
        return names
    }

    /// Every version's archive text, for `decodedArchives` to decode before `read` checks
    /// them (decoding the JSON is most of the time a registry takes to read, and can run beside
    /// the datasets' reading). Nothing is checked here: a table that cannot be read gives no
    /// archives, and `read` meets and reports the problem in its place.
    func archiveTexts() -> [ArchiveText] {
        guard let query = try? database.prepare("SELECT model, version, archive FROM versions", reading: "versions") else { return [] }
        var texts: [ArchiveText] = []
        while (try? query.step()) == true {
            guard let name = try? query.text(at: 0), let number = try? query.int(at: 1), let archive = try? query.text(at: 2) else { return [] }
            texts.append(ArchiveText(name: name, number: number, archive: archive))
        }
        return texts
    }

    /// The archives decoded on every core, each with its outcome; `source` is the file's name
    /// for errors. After Ctrl-C the rest are left undecoded, and the request is left for the
    /// thread reading the file to take.
    static func decodedArchives(_ texts: [ArchiveText], source: String) -> DecodedArchives {
        let outcomes = try! concurrentMap(texts.count, threads: everyCore) { k in
            Interruption.isRequested ? .failure(ModelshError(.interrupted, "interrupted"))
                : Result { try decodeArchive(texts[k].archive, name: texts[k].name, source: source) }
        }
        var decoded = DecodedArchives()
        for (text, outcome) in zip(texts, outcomes) {
            decoded.byVersion[DecodedArchives.key(text.name, text.number)] = (text.archive, outcome)
        }
        return decoded
    }

    private func readVersions(into entries: inout [String: RegisteredModel], checkingSums: Bool, decoded: DecodedArchives) throws {
        let query = try database.prepare("""
            SELECT model, version, kind, task, target, features, parameters, data_name, data_fingerprint, data_rows,
                   data_columns, created, cell, command, parent_model, parent_version, grid, retired, archive\(checkingSums ? ", checksum" : "")
            FROM versions ORDER BY model, version
            """, reading: "versions")
        while try query.step() {
            try Interruption.check()
            let name = try query.text(at: 0)
            let number = try query.int(at: 1)
            let id = "\(StoredNames.quoted(name))@\(number)"
            guard let entry = entries[name] else { throw failure("version \(id) belongs to no model in table 'models'") }
            guard (1 ... entry.lastNumber).contains(number) else {
                throw failure("version \(id) is outside 1…\(entry.lastNumber), the model's last_version")
            }
            guard entry.version(number) == nil else { throw failure("version \(id) appears twice") }
            let archive = try query.text(at: 18)
            if checkingSums {
                try database.checkSum(try query.text(at: 19), Checksum.hex(joining: archive), of: "the archive of version \(id)")
            }
            let model = try decodedModel(archive, name: name, number: number, decoded: decoded)
            let stored = VersionSummaryColumns(
                kind: try query.text(at: 2), task: try query.text(at: 3), target: try query.optionalText(at: 4),
                features: try query.text(at: 5), parameters: try query.text(at: 6), dataName: try query.text(at: 7),
                dataFingerprint: try query.text(at: 8), dataRows: try query.int(at: 9), dataColumns: try query.int(at: 10))
            guard stored == (try VersionSummaryColumns(model)) else {
                throw failure("version \(id) does not match its archive (kind, target, features, parameters or data changed outside modelsh?)")
            }
            let origin = try readOrigin(query, id: id)
            let retired = try query.int(at: 17)
            guard retired == 0 || retired == 1 else { throw failure("version \(id) has retired = \(retired)") }
            entries[name]!.versions.append(ModelVersion(number: number, model: model, origin: origin, retired: retired == 1))
        }
    }

    private func readOrigin(_ query: SQLiteStatement, id: String) throws -> VersionOrigin {
        let created = try query.optionalText(at: 11)
        let date = try created.map { text in
            guard let date = RegistryTime.date(text) else { throw failure("version \(id) has created \(StoredNames.quoted(text)), not a time like 2026-11-30T12:00:00Z") }
            return date
        }
        let cell = try query.optionalInt(at: 12)
        if let cell, !(1 ..< Self.numberLimit).contains(cell) { throw failure("version \(id) has cell \(cell)") }
        let parentName = try query.optionalText(at: 14)
        let parentVersion = try query.optionalInt(at: 15)
        var parent: ModelVersionID?
        switch (parentName, parentVersion) {
        case (nil, nil): break
        case (let name?, let version?):
            try checkIdentifier(name, of: "parent model")
            guard (1 ..< Self.numberLimit).contains(version) else { throw failure("version \(id) has parent version \(version)") }
            parent = ModelVersionID(name: name, version: version)
        default:
            throw failure("version \(id) has a parent model without a parent version, or the reverse")
        }
        let grid = try query.optionalText(at: 16).map { text in
            do {
                return try JSONDecoder().decode([GridOption].self, from: Data(text.utf8))
            } catch {
                throw failure("version \(id) has a grid that is not a JSON array of {\"name\", \"values\"}")
            }
        }
        return VersionOrigin(created: date, cell: cell, command: try query.optionalText(at: 13), parent: parent, grid: grid)
    }

    private func readEvaluations(into entries: inout [String: RegisteredModel]) throws {
        let query = try database.prepare("""
            SELECT model, version, position, dataset, fingerprint, time FROM evaluations ORDER BY model, version, position
            """, reading: "evaluations")
        while try query.step() {
            let (name, number, position) = (try query.text(at: 0), try query.int(at: 1), try query.int(at: 2))
            let index = try versionIndex(name, number, in: entries, for: "an evaluation")
            let id = "\(StoredNames.quoted(name))@\(number)"
            guard position == entries[name]!.versions[index].evaluations.count else {
                throw failure("evaluation \(position) of version \(id) is out of sequence (positions run 0, 1, …)")
            }
            let dataset = try query.text(at: 3)
            try checkIdentifier(dataset, of: "evaluated dataset")
            let fingerprint = try query.text(at: 4)
            guard fingerprint.utf8.count == 16, fingerprint.allSatisfy(\.isHexDigit) else {
                throw failure("evaluation \(position) of version \(id) has fingerprint \(StoredNames.quoted(fingerprint))")
            }
            let timeText = try query.text(at: 5)
            guard let time = RegistryTime.date(timeText) else {
                throw failure("evaluation \(position) of version \(id) has time \(StoredNames.quoted(timeText))")
            }
            entries[name]!.versions[index].evaluations.append(EvaluationRecord(dataset: dataset, fingerprint: fingerprint, metrics: [], time: time))
        }
        try readMetrics(into: &entries)
    }

    private func readMetrics(into entries: inout [String: RegisteredModel]) throws {
        let query = try database.prepare("""
            SELECT model, version, evaluation, position, name, value FROM metrics ORDER BY model, version, evaluation, position
            """, reading: "metrics")
        while try query.step() {
            let (name, number, evaluation, position) = (try query.text(at: 0), try query.int(at: 1), try query.int(at: 2), try query.int(at: 3))
            let index = try versionIndex(name, number, in: entries, for: "a metric")
            let id = "\(StoredNames.quoted(name))@\(number)"
            guard entries[name]!.versions[index].evaluations.indices.contains(evaluation) else {
                throw failure("a metric belongs to evaluation \(evaluation) of version \(id), which is not in table 'evaluations'")
            }
            var record = entries[name]!.versions[index].evaluations[evaluation]
            let metricName = try query.text(at: 4)
            guard position == record.metrics.count else {
                throw failure("metric \(position) of evaluation \(evaluation) of version \(id) is out of sequence (positions run 0, 1, …)")
            }
            guard !metricName.isEmpty, Identifier.isValid(metricName), record.metric(metricName) == nil else {
                throw failure("evaluation \(evaluation) of version \(id) has metric name \(StoredNames.quoted(metricName)) (empty, not a name, or twice)")
            }
            record.metrics.append(Metric(name: metricName, value: try query.double(at: 5)))
            entries[name]!.versions[index].evaluations[evaluation] = record
        }
        for (name, entry) in entries {
            for version in entry.versions where version.evaluations.contains(where: \.metrics.isEmpty) {
                throw failure("an evaluation of version \(StoredNames.quoted(name))@\(version.number) has no metrics")
            }
        }
    }

    private func readAliases(into entries: inout [String: RegisteredModel]) throws {
        let query = try database.prepare("SELECT model, alias, version FROM aliases", reading: "aliases")
        while try query.step() {
            let (name, alias, number) = (try query.text(at: 0), try query.text(at: 1), try query.int(at: 2))
            _ = try versionIndex(name, number, in: entries, for: "alias \(StoredNames.quoted(alias))")
            guard Identifier.isValid(alias) else {
                throw failure("model '\(name)' has alias \(StoredNames.quoted(alias)), which is not a name")
            }
            guard entries[name]!.aliases.updateValue(number, forKey: alias) == nil else {
                throw failure("alias \(StoredNames.quoted(alias)) of model '\(name)' appears twice")
            }
        }
    }

    // MARK: - Checks

    func versionIndex(_ name: String, _ number: Int, in entries: [String: RegisteredModel], for what: String) throws -> Int {
        guard let index = entries[name]?.versions.firstIndex(where: { $0.number == number }) else {
            throw failure("\(what) belongs to version \(StoredNames.quoted(name))@\(number), which is not in table 'versions'")
        }
        return index
    }

    private static func decodeArchive(_ archive: String, name: String, source: String) throws -> (name: String, model: Model) {
        // From format 5 the versions table's checksum covers the archive's bytes, so its own
        // checksum need not be checked again; older formats' archives carry none.
        try ModelArchive.decode(Data(archive.utf8), source: "\(source) (model '\(name)')", verifyingChecksum: false)
    }

    /// The model of a version's archive: decoded ahead when `decoded` has this very text for it.
    private func decodedModel(_ archive: String, name: String, number: Int, decoded: DecodedArchives) throws -> Model {
        if let ahead = decoded.byVersion[DecodedArchives.key(name, number)], ahead.archive == archive {
            return try archivedModel(try ahead.outcome.get(), name: name)
        }
        return try archivedModel(try Self.decodeArchive(archive, name: name, source: database.displayPath), name: name)
    }

    private func archivedModel(_ archived: (name: String, model: Model), name: String) throws -> Model {
        guard archived.name == name else {
            throw failure("model '\(name)' holds the archive of a model named '\(archived.name)'")
        }
        return archived.model
    }

    func checkIdentifier(_ name: String, of kind: String) throws {
        if let problem = StoredNames.identifierProblem(name) { throw failure("\(kind) name: \(problem)") }
    }

    func failure(_ message: String) -> ModelshError { database.failure(message: message) }
}

/// One version's archive as the versions table holds it.
struct ArchiveText: Sendable {
    let name: String
    let number: Int
    let archive: String
}

/// Archives decoded ahead of `RegistryReader.read`, by version, with the text each came from:
/// `read` takes a model from here only for the same text, so what it returns does not depend
/// on what was decoded ahead.
struct DecodedArchives: Sendable {
    fileprivate var byVersion: [String: (archive: String, outcome: Result<(name: String, model: Model), any Error>)] = [:]

    fileprivate static func key(_ name: String, _ number: Int) -> String { "\(name)@\(number)" }
}
