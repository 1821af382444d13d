import Diagnostics
import Foundation
import Models
import Numerics
import Tabular

/// Writes a workspace file; see `Workspace` for the format and the crash-safety argument.
enum WorkspaceWriter {
    static func save(_ contents: WorkspaceContents, to path: String) throws {
        try save(contents, to: path, beforeCommit: {})
    }

    /// `beforeCommit` runs when everything is written but not yet committed; tests make it
    /// throw to show that a save failing that late still leaves the old file intact.
    static func save(_ contents: WorkspaceContents, to path: String, beforeCommit: () throws -> Void) throws {
        try checkNames(contents, path: path)
        // The models' archives are encoded on other threads while the datasets are written.
        let registry = contents.registry
        let encoding = BackgroundWork { try RegistryWriter.encodedArchives(registry) }
        // Waited for on every path, so no encoding outlives the save.
        defer { encoding.wait() }
        try AtomicFile.replace(path) { temporaryPath in
            let database = try SQLiteDatabase(path: temporaryPath, displayPath: path, fileKind: "workspace", mode: .readWrite)
            // A failed save deletes the temporary file, so a rollback journal would only cost
            // time; AtomicFile syncs the finished file once, so per-commit syncs are not needed.
            try database.execute("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")
            try database.execute("BEGIN")
            try database.execute(Workspace.schema)
            try database.execute("""
                PRAGMA application_id = \(Workspace.applicationID);
                PRAGMA user_version = \(Workspace.formatVersion);
                """)
            try writeMeta(database, cells: contents.cells)
            let writeback = AtomicFile.Writeback(path: temporaryPath)
            try writeDatasets(contents.datasets, database, afterEachColumn: writeback.start)
            try RegistryWriter.write(contents.registry, archives: try encoding.wait().get(), to: database)
            try writeCells(contents.cells, database)
            try writeSettings(contents.settings, database)
            try beforeCommit()
            try database.execute("COMMIT")
            try database.close()
        }
    }

    /// Refuses, before touching the file, names that opening the workspace would refuse.
    private static func checkNames(_ contents: WorkspaceContents, path: String) throws {
        for name in contents.datasets.map(\.name) + contents.registry.names {
            if let problem = StoredNames.identifierProblem(name) {
                throw ModelshError(.software, "\(path): cannot save (\(problem))")
            }
        }
        for named in contents.datasets {
            for column in named.dataset.columns {
                if let problem = StoredNames.columnNameProblem(column.name) {
                    throw ModelshError.data("\(path): cannot save dataset '\(named.name)' (\(problem))")
                }
            }
        }
    }

    private static func writeMeta(_ database: SQLiteDatabase, cells: [CellRecord]) throws {
        let insert = try database.prepare("INSERT INTO meta (format, format_version, created_by, cells_checksum) VALUES (?1, ?2, ?3, ?4)")
        try insert.bind(Workspace.format, at: 1)
        try insert.bind(Workspace.formatVersion, at: 2)
        try insert.bind(modelshCreatedBy, at: 3)
        try insert.bind(Workspace.cellLogChecksum(cells), at: 4)
        try insert.step()
    }

    private static func writeDatasets(_ datasets: [NamedDataset], _ database: SQLiteDatabase, afterEachColumn: () -> Void) throws {
        let insertDataset = try database.prepare(
            "INSERT INTO datasets (name, position, row_count, fingerprint) VALUES (?1, ?2, ?3, ?4)")
        let insertColumn = try database.prepare("""
            INSERT INTO columns (dataset, position, name, type, levels, data, missing, checksum)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            """)
        for (position, named) in datasets.enumerated() {
            try insertDataset.bind(named.name, at: 1)
            try insertDataset.bind(position, at: 2)
            try insertDataset.bind(named.dataset.rowCount, at: 3)
            try insertDataset.bind(named.dataset.fingerprint, at: 4)
            try insertDataset.step()
            try insertDataset.reset()
            for (columnPosition, column) in named.dataset.columns.enumerated() {
                try Interruption.check()
                try writeColumn(column, at: columnPosition, of: named.name, using: insertColumn, database: database)
                afterEachColumn()
            }
        }
    }

    private static func writeColumn(_ column: Column, at position: Int, of datasetName: String,
                                    using insert: SQLiteStatement, database: SQLiteDatabase) throws {
        do {
            try ColumnBlocks.withBlocks(of: column) { blocks in
                try insert.bind(datasetName, at: 1)
                try insert.bind(position, at: 2)
                try insert.bind(column.name, at: 3)
                try insert.bind(blocks.type, at: 4)
                try insert.bind(blocks.levels, at: 5)
                // The blocks are borrowed, so the row must be written before they go away.
                try insert.bindBorrowedBlob(blocks.data, at: 6)
                try insert.bindBorrowedBlob(blocks.missing, at: 7)
                try insert.bind(blocks.checksum, at: 8)
                try insert.step()
                try insert.reset()
            }
        } catch let problem as ColumnBlocks.Problem {
            throw ModelshError(.software, "\(database.displayPath): cannot save dataset '\(datasetName)' (column '\(column.name)': \(problem.reason))")
        }
    }

    private static func writeCells(_ cells: [CellRecord], _ database: SQLiteDatabase) throws {
        let insert = try database.prepare("INSERT INTO cells (number, input, output, succeeded, checksum) VALUES (?1, ?2, ?3, ?4, ?5)")
        for cell in cells {
            try insert.bind(cell.number, at: 1)
            try insert.bind(cell.input, at: 2)
            try insert.bind(cell.output, at: 3)
            try insert.bind(cell.succeeded, at: 4)
            try insert.bind(Checksum.hex(joining: cell.input, cell.output), at: 5)
            try insert.step()
            try insert.reset()
        }
    }

    private static func writeSettings(_ settings: [String: String], _ database: SQLiteDatabase) throws {
        let insert = try database.prepare("INSERT INTO settings (key, value) VALUES (?1, ?2)")
        for (key, value) in settings.sorted(by: { $0.key < $1.key }) {
            try insert.bind(key, at: 1)
            try insert.bind(value, at: 2)
            try insert.step()
            try insert.reset()
        }
    }
}
