import Diagnostics
import Foundation
import Models
import Tabular

/// Reads a workspace file without trusting it; see `Workspace` for the format.
struct WorkspaceReader {
    private let database: SQLiteDatabase
    private var path: String { database.displayPath }

    static func read(path: String) throws -> WorkspaceContents {
        try FileAccess.requireReadableFile(path)
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
        try checkMeta()
        for table in Workspace.tables where objectTypes[table] != "table" {
            let found = objectTypes[table].map { "'\(table)' is a \($0), not a table" } ?? "table '\(table)' is missing"
            throw database.failure(message: found)
        }
        return WorkspaceContents(datasets: try readDatasets(), models: try readModels(),
                                 cells: try readCells(), settings: try readSettings())
    }

    /// Name → "table", "virtual table", "view", "index" or "trigger". This is the first read
    /// of the file, so a file that is not a database fails here.
    private func schemaObjectTypes() throws -> [String: String] {
        let query = try database.prepare("SELECT name, type, sql FROM sqlite_master")
        var types: [String: String] = [:]
        while try query.step() {
            let type = try query.text(at: 1)
            // A virtual table's rows come from a module's code, so it does not count as a table.
            let isVirtual = try query.optionalText(at: 2)?.uppercased().hasPrefix("CREATE VIRTUAL") ?? false
            types[try query.text(at: 0)] = isVirtual ? "virtual table" : type
        }
        return types
    }

    private func checkMeta() throws {
        let query: SQLiteStatement
        do {
            query = try database.prepare("SELECT format, format_version FROM meta")
        } catch {
            throw notAWorkspace("its meta table is not modelsh's")
        }
        guard try query.step() else { throw notAWorkspace("its meta table is empty") }
        let format = try query.text(at: 0)
        let version = try query.int(at: 1)
        guard format == Workspace.format else {
            throw notAWorkspace("format is '\(format)', expected '\(Workspace.format)'")
        }
        guard version <= Workspace.formatVersion else {
            throw ModelshError.data("\(path) was written by a newer modelsh (format \(version); this build reads up to \(Workspace.formatVersion))")
        }
        guard version >= 1 else { throw database.failure(message: "format version \(version) is not valid") }
        guard try !query.step() else { throw database.failure(message: "meta has more than one row") }
    }

    // MARK: - Datasets

    private func readDatasets() throws -> [NamedDataset] {
        let datasetQuery = try database.prepare("SELECT name, row_count, fingerprint FROM datasets ORDER BY position")
        let columnQuery = try database.prepare(
            "SELECT name, type, levels, data, missing FROM columns WHERE dataset = ?1 ORDER BY position")
        var datasets: [NamedDataset] = []
        while try datasetQuery.step() {
            let name = try datasetQuery.text(at: 0)
            let rowCount = try datasetQuery.int(at: 1)
            let fingerprint = try datasetQuery.text(at: 2)
            // The bound keeps block-size arithmetic far from overflow.
            guard (0...(1 << 48)).contains(rowCount) else {
                throw database.failure(message: "dataset '\(name)' has \(rowCount) rows")
            }
            try columnQuery.bind(name, at: 1)
            let dataset = try readDataset(named: name, rowCount: rowCount, fingerprint: fingerprint, from: columnQuery)
            try columnQuery.reset()
            datasets.append(NamedDataset(name: name, dataset: dataset))
        }
        return datasets
    }

    private func readDataset(named name: String, rowCount: Int, fingerprint: String,
                             from columnQuery: SQLiteStatement) throws -> Dataset {
        var columns: [Column] = []
        while try columnQuery.step() {
            let columnName = try columnQuery.text(at: 0)
            let type = try columnQuery.text(at: 1)
            let levels = try columnQuery.optionalText(at: 2)
            let column = try columnQuery.withBlob(at: 3) { data in
                try columnQuery.withBlob(at: 4) { missing in
                    let blocks = ColumnBlocks(type: type, levels: levels, data: data, missing: missing)
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
        guard dataset.fingerprint == fingerprint else {
            throw database.failure(message: "dataset '\(name)' does not match its fingerprint (changed outside modelsh?)")
        }
        return dataset
    }

    // MARK: - Models, cells, settings

    private func readModels() throws -> [NamedModel] {
        let query = try database.prepare("SELECT name, kind, archive FROM models ORDER BY position")
        var models: [NamedModel] = []
        while try query.step() {
            let name = try query.text(at: 0)
            let kind = try query.text(at: 1)
            let archive = try query.text(at: 2)
            let model = try ModelArchive.decode(Data(archive.utf8), source: "\(path) (model '\(name)')").model
            guard model.kind == kind else {
                throw database.failure(message: "model '\(name)' is listed as '\(kind)' but its archive holds '\(model.kind)'")
            }
            models.append(NamedModel(name: name, model: model))
        }
        return models
    }

    private func readCells() throws -> [CellRecord] {
        let query = try database.prepare("SELECT number, input, output, succeeded FROM cells ORDER BY number")
        var cells: [CellRecord] = []
        while try query.step() {
            let succeeded = try query.int(at: 3)
            guard succeeded == 0 || succeeded == 1 else {
                throw database.failure(message: "cell \(try query.int(at: 0)) has succeeded = \(succeeded)")
            }
            cells.append(CellRecord(number: try query.int(at: 0), input: try query.text(at: 1),
                                    output: try query.text(at: 2), succeeded: succeeded == 1))
        }
        return cells
    }

    private func readSettings() throws -> [String: String] {
        let query = try database.prepare("SELECT key, value FROM settings")
        var settings: [String: String] = [:]
        while try query.step() {
            settings[try query.text(at: 0)] = try query.text(at: 1)
        }
        return settings
    }

    private func notAWorkspace(_ reason: String) -> ModelshError {
        .data("\(path): not a modelsh workspace (\(reason))")
    }
}
