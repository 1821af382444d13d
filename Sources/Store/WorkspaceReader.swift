import Diagnostics
import Foundation
import Models
import Numerics
import Tabular

/// Reads a workspace file without trusting it; see `Workspace` for the format.
struct WorkspaceReader {
    private let database: SQLiteDatabase
    private var path: String { database.displayPath }

    static func read(path: String) throws -> WorkspaceContents {
        // SQLite takes an empty file for an empty database, which would only say "no meta table".
        guard try ReadableFile.size(of: path) > 0 else {
            throw ModelshError.data("\(path): not a modelsh workspace (the file is empty)")
        }
        let reader = WorkspaceReader(database: try SQLiteDatabase(path: path, displayPath: path,
                                                                  fileKind: "workspace", mode: .readOnly))
        return try reader.read()
    }

    private func read() throws -> WorkspaceContents {
        // Functions named in the schema (defaults, checks, views) must not run on our behalf,
        // and damaged pages should be caught as they are read.
        try database.execute("PRAGMA trusted_schema = OFF; PRAGMA cell_size_check = ON;")
        let objectTypes = try schemaObjectTypes()
        guard objectTypes["meta"] == "table" else {
            throw notAWorkspace("it has no modelsh meta table")
        }
        let applicationID = try pragma("application_id")
        guard applicationID == Int(Workspace.applicationID) else {
            func hex(_ id: Int) -> String { "0x" + String(id, radix: 16, uppercase: true) }
            throw notAWorkspace("application_id is \(hex(applicationID)), expected \(hex(Int(Workspace.applicationID)))")
        }
        let version = try checkMeta()
        let userVersion = try pragma("user_version")
        guard userVersion == version else {
            throw database.failure(message: "user_version is \(userVersion) but meta says format version \(version)")
        }
        for table in Workspace.tables(ofVersion: version) where objectTypes[table] != "table" {
            let found = objectTypes[table].map { "'\(table)' is a \($0), not a table" } ?? "table '\(table)' is missing"
            throw database.failure(message: found)
        }
        let hasChecksums = version >= Workspace.firstWithChecksums
        let registryReader = RegistryReader(database: database)
        // Decoding the models' JSON is most of the time the registry takes: the archives are
        // decoded on other threads while the datasets' columns are read on this one (which
        // keeps the connection). The registry's checks come after, in their usual order.
        let archiveTexts = version >= 3 ? registryReader.archiveTexts() : []
        let source = path
        let decoding = BackgroundWork { RegistryReader.decodedArchives(archiveTexts, source: source) }
        let datasetsRead = Result { try readDatasets(checkingSums: hasChecksums) }
        let decoded = try decoding.wait().get()
        let (datasets, fingerprints) = try datasetsRead.get()
        try checkEveryColumnBelongs(to: Set(datasets.map(\.name)))
        // Each dataset's fingerprint is a serial pass over its values (~30 ms a million rows ×
        // 20): checked on another thread while the registry's tables are read.
        let mismatches = datasets.map { database.failure(message: "dataset '\($0.name)' does not match its fingerprint (changed outside modelsh?)") }
        let (_, registry) = try concurrently(background: {
            for (index, named) in datasets.enumerated() where named.dataset.fingerprint != fingerprints[index] { throw mismatches[index] }
        }, foreground: {
            version >= 3 ? try registryReader.read(formatVersion: version, decoded: decoded) : try registryReader.readFormat2()
        })
        try checkOneNamespace(datasets.map(\.name) + registry.names)
        return WorkspaceContents(datasets: datasets, registry: registry, cells: try readCells(formatVersion: version), settings: try readSettings())
    }

    private func pragma(_ name: String) throws -> Int {
        let query = try database.prepare("PRAGMA \(name)")
        guard try query.step() else { throw database.failure(message: "PRAGMA \(name) gave no value") }
        return try query.int(at: 0)
    }

    /// Name → "table", "virtual table", "view", "index" or "trigger". This is the first read
    /// of the file, so a file that is not a database fails here.
    private func schemaObjectTypes() throws -> [String: String] {
        let query = try database.prepare("SELECT name, type, sql FROM sqlite_master", reading: "sqlite_master")
        var types: [String: String] = [:]
        while try query.step() {
            let type = try query.text(at: 1)
            // A virtual table's rows come from a module's code, so it does not count as a table.
            let isVirtual = try query.optionalText(at: 2)?.uppercased().hasPrefix("CREATE VIRTUAL") ?? false
            types[try query.text(at: 0)] = isVirtual ? "virtual table" : type
        }
        return types
    }

    /// Checks the meta row and returns its format version.
    private func checkMeta() throws -> Int {
        let query: SQLiteStatement
        do {
            query = try database.prepare("SELECT format, format_version FROM meta", reading: "meta")
        } catch {
            throw notAWorkspace("its meta table is not modelsh's")
        }
        guard try query.step() else { throw notAWorkspace("its meta table is empty") }
        let format = try query.text(at: 0)
        let version = try query.int(at: 1)
        guard format == Workspace.format else {
            throw notAWorkspace("format is \(StoredNames.quoted(format)), expected '\(Workspace.format)'")
        }
        guard version <= Workspace.formatVersion else {
            throw ModelshError.data("\(path) was written by a newer modelsh (format \(version); this build reads up to \(Workspace.formatVersion))")
        }
        guard version >= 1 else { throw database.failure(message: "format version \(version) is not valid") }
        guard version >= Workspace.oldestReadable else {
            throw ModelshError.data("\(path) was written by modelsh 0.1 (workspace format \(version)); this build reads formats \(Workspace.oldestReadable) to \(Workspace.formatVersion)")
        }
        guard try !query.step() else { throw database.failure(message: "meta has more than one row") }
        return version
    }

    // MARK: - Datasets

    /// The datasets and the fingerprints stored for them (checked by the caller).
    private func readDatasets(checkingSums: Bool) throws -> ([NamedDataset], [String]) {
        let datasetQuery = try database.prepare("SELECT name, row_count, fingerprint FROM datasets ORDER BY position",
                                                reading: "datasets")
        let columnQuery = try database.prepare(
            "SELECT name, type, levels, data, missing\(checkingSums ? ", checksum" : "") FROM columns WHERE dataset = ?1 ORDER BY position",
            reading: "columns")
        var datasets: [NamedDataset] = [], fingerprints: [String] = []
        while try datasetQuery.step() {
            let name = try datasetQuery.text(at: 0)
            try checkIdentifier(name, of: "dataset")
            let rowCount = try datasetQuery.int(at: 1)
            let fingerprint = try datasetQuery.text(at: 2)
            // The bound keeps block-size arithmetic far from overflow.
            guard (0...(1 << 48)).contains(rowCount) else {
                throw database.failure(message: "dataset '\(name)' has \(rowCount) rows")
            }
            try columnQuery.bind(name, at: 1)
            let dataset = try readDataset(named: name, rowCount: rowCount, from: columnQuery, checkingSums: checkingSums)
            try columnQuery.reset()
            datasets.append(NamedDataset(name: name, dataset: dataset))
            fingerprints.append(fingerprint)
        }
        return (datasets, fingerprints)
    }

    /// Each column's blocks are checked against their checksum (format 5) before they are
    /// decoded, so a damaged block is reported as such rather than as whatever it decodes to.
    private func readDataset(named name: String, rowCount: Int, from columnQuery: SQLiteStatement, checkingSums: Bool) throws -> Dataset {
        var columns: [Column] = []
        while try columnQuery.step() {
            try Interruption.check()
            let columnName = try columnQuery.text(at: 0)
            if let problem = StoredNames.columnNameProblem(columnName) {
                throw database.failure(message: "dataset '\(name)': \(problem)")
            }
            let type = try columnQuery.text(at: 1)
            let levels = try columnQuery.optionalText(at: 2)
            let storedChecksum = checkingSums ? try columnQuery.text(at: 5) : nil
            let column = try columnQuery.withBlob(at: 3) { data in
                try columnQuery.withBlob(at: 4) { missing in
                    let blocks = ColumnBlocks(type: type, levels: levels, data: data, missing: missing)
                    if let storedChecksum {
                        try database.checkSum(storedChecksum, blocks.checksum, of: "dataset '\(name)', column \(StoredNames.quoted(columnName))")
                    }
                    do {
                        return try blocks.column(named: columnName, rowCount: rowCount)
                    } catch let problem as ColumnBlocks.Problem {
                        throw database.failure(message: "dataset '\(name)', column '\(columnName)': \(problem.reason)")
                    }
                }
            }
            columns.append(column)
        }
        let dataset: Dataset
        do {
            dataset = try Dataset(columns: columns)
        } catch let error as ModelshError {
            throw database.failure(message: "dataset '\(name)': \(error.message)")
        }
        guard dataset.rowCount == rowCount else {
            throw database.failure(message: "dataset '\(name)' has \(dataset.rowCount) rows, expected \(rowCount)")
        }
        return dataset
    }

    /// A column row whose dataset is not in `datasets` would be silently dropped otherwise.
    private func checkEveryColumnBelongs(to datasetNames: Set<String>) throws {
        let query = try database.prepare("SELECT dataset FROM columns", reading: "columns")
        while try query.step() {
            let dataset = try query.text(at: 0)
            guard datasetNames.contains(dataset) else {
                throw database.failure(message: "a column belongs to dataset \(StoredNames.quoted(dataset)), which is not in table 'datasets'")
            }
        }
    }

    // MARK: - Names, cells, settings

    /// The shell keeps datasets and models in one namespace, so no name may appear twice.
    private func checkOneNamespace(_ names: [String]) throws {
        var seen = Set<String>()
        for name in names where !seen.insert(name).inserted {
            throw database.failure(message: "the name '\(name)' is used twice (datasets and models share one namespace)")
        }
    }

    /// Largest cell number a file may hold; far beyond any session, and far from overflow
    /// when the shell numbers the next cell.
    static let cellNumberLimit = 1 << 31

    /// Cells in the order stored, which must be by increasing number: the shell numbers the
    /// next cell after the last one.
    private func readCells(formatVersion: Int) throws -> [CellRecord] {
        let checkingSums = formatVersion >= Workspace.firstWithChecksums
        let query = try database.prepare("SELECT number, input, output, succeeded\(checkingSums ? ", checksum" : "") FROM cells",
                                         reading: "cells")
        var cells: [CellRecord] = []
        while try query.step() {
            let number = try query.int(at: 0)
            guard (1..<Self.cellNumberLimit).contains(number) else {
                throw database.failure(message: "cell numbers must be from 1 to \(Self.cellNumberLimit - 1); found \(number)")
            }
            if let previous = cells.last?.number, number <= previous {
                throw database.failure(message: "cell numbers must increase; cell \(number) follows cell \(previous)")
            }
            let succeeded = try query.int(at: 3)
            guard succeeded == 0 || succeeded == 1 else {
                throw database.failure(message: "cell \(number) has succeeded = \(succeeded)")
            }
            let (input, output) = (try query.text(at: 1), try query.text(at: 2))
            if checkingSums {
                try database.checkSum(try query.text(at: 4), Checksum.hex(joining: input, output), of: "cell \(number)")
            }
            cells.append(CellRecord(number: number, input: input, output: output, succeeded: succeeded == 1))
        }
        if formatVersion >= Workspace.firstWithCellLogChecksum {
            let query = try database.prepare("SELECT cells_checksum FROM meta", reading: "meta")
            guard try query.step() else { throw database.failure(message: "meta has no row") }
            guard try query.text(at: 0) == Workspace.cellLogChecksum(cells) else {
                throw database.failure(message: "the cell log does not match its checksum: a cell was deleted, added or renumbered")
            }
        }
        return cells
    }

    /// Keys and values as text; what they mean is the shell's to check.
    private func readSettings() throws -> [String: String] {
        let query = try database.prepare("SELECT key, value FROM settings", reading: "settings")
        var settings: [String: String] = [:]
        while try query.step() {
            let key = try query.text(at: 0)
            guard settings.updateValue(try query.text(at: 1), forKey: key) == nil else {
                throw database.failure(message: "setting \(StoredNames.quoted(key)) appears twice")
            }
        }
        return settings
    }

    private func checkIdentifier(_ name: String, of kind: String) throws {
        if let problem = StoredNames.identifierProblem(name) {
            throw database.failure(message: "\(kind) name: \(problem)")
        }
    }

    private func notAWorkspace(_ reason: String) -> ModelshError {
        .data("\(path): not a modelsh workspace (\(reason))")
    }
}
