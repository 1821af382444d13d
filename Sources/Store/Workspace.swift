import Models
import Tabular

/// A dataset with the name the session knows it by.
public struct NamedDataset: Sendable, Equatable {
    public var name: String
    public var dataset: Dataset

    public init(name: String, dataset: Dataset) {
        self.name = name
        self.dataset = dataset
    }
}

/// A model with the name the session knows it by.
public struct NamedModel: Sendable, Equatable {
    public var name: String
    public var model: Model

    public init(name: String, model: Model) {
        self.name = name
        self.model = model
    }
}

/// One notebook cell as it ran: the command text and what it printed.
public struct CellRecord: Sendable, Equatable {
    public var number: Int
    public var input: String
    public var output: String
    public var succeeded: Bool
    /// How long it ran; kept in memory only (a workspace does not store it), so a cell from an
    /// opened workspace has none.
    public var duration: Duration?

    public init(number: Int, input: String, output: String, succeeded: Bool, duration: Duration? = nil) {
        self.number = number
        self.input = input
        self.output = output
        self.succeeded = succeeded
        self.duration = duration
    }
}

/// Everything a workspace file holds, in the session's order.
public struct WorkspaceContents: Sendable, Equatable {
    public var datasets: [NamedDataset]
    public var models: [NamedModel]
    public var cells: [CellRecord]
    public var settings: [String: String]

    public init(datasets: [NamedDataset] = [], models: [NamedModel] = [], cells: [CellRecord] = [],
                settings: [String: String] = [:]) {
        self.datasets = datasets
        self.models = models
        self.cells = cells
        self.settings = settings
    }
}

/// A session saved as one SQLite file (`.msw`): datasets, models, the cell log and settings.
///
/// Saving writes a new database to a temporary file beside the target in one transaction,
/// syncs it and renames it over the target, so a crash or failure at any point leaves the
/// previous file as it was. Opening is read-only and never runs code from the file: schema
/// functions are untrusted, the expected tables must be real tables (not views), and every
/// block is checked against its row count and type before it becomes a column, so a damaged
/// or hand-edited file gives one clear error instead of wrong data. The fingerprint only
/// catches accidents (anyone can recompute it), so opening also checks what the shell relies
/// on: `application_id` and `user_version`; every value against its column type; dataset and
/// model names that the shell can type, unique across both; column names that are not empty
/// and hold no control characters; cell numbers from 1 to 2^31 - 1, increasing; no column
/// rows of unlisted datasets; settings as text with unique keys.
///
/// The schema, with its documentation, is `Workspace.schema` below; the file carries the same
/// text, so `sqlite3 w.msw .schema` explains the file.
public enum Workspace {
    public static let format = "modelsh-workspace"
    public static let formatVersion = 2
    /// Format 1 stored models without their preprocessing and hyper-parameters.
    public static let oldestReadable = 2

    /// Replaces the file at `path` with `contents`; on failure the old file is untouched.
    public static func save(_ contents: WorkspaceContents, to path: String) throws {
        try WorkspaceWriter.save(contents, to: path)
    }

    /// Reads a workspace saved by this or an older modelsh.
    public static func open(path: String) throws -> WorkspaceContents {
        try WorkspaceReader.read(path: path)
    }

    /// `PRAGMA application_id` of a workspace ("MSHW"), so tools like file(1) can tell it
    /// from other SQLite files.
    static let applicationID: Int32 = 0x4D53_4857

    /// The tables a version-1 reader needs, each of which must be a real table.
    static let tables = ["meta", "datasets", "columns", "models", "cells", "settings"]

    /// Format version 1. Every table is STRICT, so SQLite itself rejects a value of the
    /// wrong type when the file is written.
    static let schema = """
        CREATE TABLE meta (
            -- One row: what this file is and which format version wrote it.
            format          TEXT NOT NULL,      -- always 'modelsh-workspace'
            format_version  INTEGER NOT NULL,   -- 1; readers refuse versions newer than theirs
            created_by      TEXT NOT NULL       -- e.g. 'modelsh 0.1.0'
        ) STRICT;

        CREATE TABLE datasets (
            -- Datasets in session order. fingerprint: a 64-bit hash of the dataset's
            -- row count, column names, types, levels and values, as 16 lowercase hex digits (as
            -- Tabular's Dataset.fingerprint defines it); checked when the file is opened.
            name         TEXT PRIMARY KEY,
            position     INTEGER NOT NULL UNIQUE,
            row_count    INTEGER NOT NULL,
            fingerprint  TEXT NOT NULL
        ) STRICT;

        CREATE TABLE columns (
            -- One row per column. data: little-endian Float64 per row for integer, numeric and
            -- boolean (0/1) columns; little-endian Int32 level codes (from 0; -1 where missing)
            -- for categorical columns; for text, per row a little-endian UInt32 byte count then
            -- that many UTF-8 bytes. missing: the missing-value bitmap as little-endian UInt64
            -- words, bit (row % 64) of word (row / 64) set where the value is missing. The
            -- bitmap is the authority: a NaN not marked missing is a NaN value, and an empty
            -- text marked missing is missing.
            dataset   TEXT NOT NULL REFERENCES datasets (name) DEFERRABLE INITIALLY DEFERRED,
            position  INTEGER NOT NULL,
            name      TEXT NOT NULL,
            type      TEXT NOT NULL,   -- integer, numeric, boolean, categorical or text
            levels    TEXT,            -- categorical: JSON array of the levels; else NULL
            data      BLOB NOT NULL,
            missing   BLOB NOT NULL,
            PRIMARY KEY (dataset, position),
            UNIQUE (dataset, name)
        ) STRICT;

        CREATE TABLE models (
            -- Models in session order. archive: the model archive (format 'modelsh-model'),
            -- the same JSON that `save m to "m.json"` writes.
            name      TEXT PRIMARY KEY,
            position  INTEGER NOT NULL UNIQUE,
            kind      TEXT NOT NULL,   -- e.g. 'linear', copied from the archive for queries
            archive   TEXT NOT NULL
        ) STRICT;

        CREATE TABLE cells (
            -- The notebook: each command as typed and what it printed.
            number     INTEGER PRIMARY KEY,
            input      TEXT NOT NULL,
            output     TEXT NOT NULL,
            succeeded  INTEGER NOT NULL CHECK (succeeded IN (0, 1))
        ) STRICT;

        CREATE TABLE settings (
            -- Session settings, e.g. ('timer', 'off').
            key    TEXT PRIMARY KEY,
            value  TEXT NOT NULL
        ) STRICT;
        """
}
