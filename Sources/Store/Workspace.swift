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
    /// Every model name with all its versions, aliases and evaluations.
    public var registry: ModelRegistry
    public var cells: [CellRecord]
    public var settings: [String: String]

    public init(datasets: [NamedDataset] = [], registry: ModelRegistry = ModelRegistry(), cells: [CellRecord] = [],
                settings: [String: String] = [:]) {
        self.datasets = datasets
        self.registry = registry
        self.cells = cells
        self.settings = settings
    }

    /// Contents whose models are each a first version with no recorded origin (as a format-2
    /// workspace's models become).
    public init(datasets: [NamedDataset] = [], models: [NamedModel], cells: [CellRecord] = [], settings: [String: String] = [:]) {
        var registry = ModelRegistry()
        for named in models { registry.add(named.model, as: named.name, origin: VersionOrigin(created: nil)) }
        self.init(datasets: datasets, registry: registry, cells: cells, settings: settings)
    }

    /// Each name's current model (the latest version not retired).
    public var models: [NamedModel] {
        registry.names.compactMap { name in registry[name]!.current.map { NamedModel(name: name, model: $0.model) } }
    }
}

/// A session saved as one SQLite file (`.msw`): datasets, models, the cell log and settings.
///
/// Saving writes a new database to a temporary file beside the target in one transaction,
/// syncs it and renames it over the target, so a crash or failure at any point leaves the
/// previous file as it was. Opening is read-only and never runs code from the file: schema
/// functions are untrusted, the expected tables must be real tables (not views), and every
/// block is checked against its row count and type before it becomes a column, so a damaged
/// or hand-edited file gives one clear error instead of wrong data. From format 5 every
/// column, model archive and cell carries a checksum (`Checksum`), checked before it is
/// decoded, so damage is reported as such and names its block. Checksums and the fingerprint
/// only catch accidents (anyone can recompute them), so opening also checks what the shell relies
/// on: `application_id` and `user_version`; every value against its column type; dataset and
/// model names that the shell can type, unique across both; column names that are not empty
/// and hold no control characters; cell numbers from 1 to 2^31 - 1, increasing, and (format 6)
/// the cell log against its checksum in meta; no column
/// rows of unlisted datasets; settings as text with unique keys.
///
/// The schema, with its documentation, is `Workspace.schema` below; the file carries the same
/// text, so `sqlite3 w.msw .schema` explains the file.
public enum Workspace {
    public static let format = "modelsh-workspace"
    /// 3: the model registry (every version of a model, its origin, evaluations and aliases).
    /// 4: monitoring entries (`monitor`) with each version.
    /// 5: a checksum (`Checksum`, XXH64) on every column, model archive and cell, checked on open.
    /// 6: a checksum over the whole cell log in meta, so a cell deleted, added or renumbered
    /// by hand is caught on open (each cell's own checksum covers only its text); the
    /// monitoring verdict `fails`.
    public static let formatVersion = 6
    /// Format 1 stored models without their preprocessing and hyper-parameters. Format 2 kept
    /// one model per name; opening one makes each model version 1 of its name.
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

    /// The tables each format version has, each of which must be a real table.
    static func tables(ofVersion version: Int) -> [String] {
        ["meta", "datasets", "columns", "models", "cells", "settings"] + (version >= 3 ? ["versions", "evaluations", "metrics", "aliases"] : [])
            + (version >= 4 ? ["monitoring", "monitoring_metrics"] : [])
    }

    /// The first format whose columns, versions and cells carry a checksum.
    static let firstWithChecksums = 5
    /// The first format whose meta row carries the cell log's checksum.
    static let firstWithCellLogChecksum = 6

    /// The cell log's checksum: for each cell in order, its number, succeeded (0 or 1) and its
    /// own checksum, each followed by a NUL byte.
    static func cellLogChecksum(_ cells: [CellRecord]) -> String {
        var checksum = Checksum()
        for cell in cells {
            checksum.add("\(cell.number)\u{0}\(cell.succeeded ? 1 : 0)\u{0}\(Checksum.hex(joining: cell.input, cell.output))\u{0}")
        }
        return checksum.hex
    }

    /// Format version 6. Every table is STRICT, so SQLite itself rejects a value of the
    /// wrong type when the file is written. A checksum is XXH64 (seed 0) as 16 lowercase hex
    /// digits; it detects a damaged file, not a forged one (anyone can recompute it).
    static let schema = """
        CREATE TABLE meta (
            -- One row: what this file is and which format version wrote it.
            format          TEXT NOT NULL,      -- always 'modelsh-workspace'
            format_version  INTEGER NOT NULL,   -- 6; readers refuse versions newer than theirs
            created_by      TEXT NOT NULL,      -- e.g. 'modelsh 0.1.0'
            cells_checksum  TEXT NOT NULL       -- XXH64 of each cell's number, succeeded and
                                                -- checksum in order, a NUL byte after each
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
            checksum  TEXT NOT NULL,   -- XXH64 of data, then missing, then levels' UTF-8 (if any)
            PRIMARY KEY (dataset, position),
            UNIQUE (dataset, name)
        ) STRICT;

        CREATE TABLE models (
            -- The model registry: one row per model name, in session order. A name means its
            -- latest version that is not retired.
            name          TEXT PRIMARY KEY,
            position      INTEGER NOT NULL UNIQUE,
            last_version  INTEGER NOT NULL   -- the highest number given; a deleted one is not reused
        ) STRICT;

        CREATE TABLE versions (
            -- Every version of every model (m@1, m@2, …). archive holds the model itself (the
            -- JSON `save m to "m.json"` writes); kind to data_columns are copied from it for
            -- queries and checked against it when the file is opened.
            model             TEXT NOT NULL REFERENCES models (name) DEFERRABLE INITIALLY DEFERRED,
            version           INTEGER NOT NULL,   -- 1, 2, … in the order made
            kind              TEXT NOT NULL,      -- e.g. 'linear'
            task              TEXT NOT NULL,      -- regression, classification, clustering or components
            target            TEXT,               -- the target column; NULL for kinds without one
            features          TEXT NOT NULL,      -- JSON array of the feature columns
            parameters        TEXT NOT NULL,      -- JSON object: the options given (hyper-parameters, preprocessing)
            data_name         TEXT NOT NULL,      -- the dataset it was fitted on
            data_fingerprint  TEXT NOT NULL,      -- Dataset.fingerprint of the rows and columns used
            data_rows         INTEGER NOT NULL,   -- rows used
            data_columns      INTEGER NOT NULL,   -- columns used: features and target
            created           TEXT,               -- UTC, '2026-11-30T12:00:00Z'
            cell              INTEGER,            -- the cell that made it
            command           TEXT,               -- that cell's command
            parent_model      TEXT,               -- the version it derives from (parent_model@parent_version), if any
            parent_version    INTEGER,
            grid              TEXT,               -- tune: JSON array of {"name", "values"}, the options it tried
            retired           INTEGER NOT NULL CHECK (retired IN (0, 1)),
            archive           TEXT NOT NULL,
            checksum          TEXT NOT NULL,      -- XXH64 of archive's UTF-8
            PRIMARY KEY (model, version)
        ) STRICT;
        -- created, cell and command are NULL for the models of a format-2 file (no times kept).

        CREATE TABLE evaluations (
            -- Each evaluate (or compare) of a version, in the order run (position 0, 1, …).
            model        TEXT NOT NULL,
            version      INTEGER NOT NULL,
            position     INTEGER NOT NULL,
            dataset      TEXT NOT NULL,   -- the dataset's name then
            fingerprint  TEXT NOT NULL,   -- and its Dataset.fingerprint: the same data has the same one
            time         TEXT NOT NULL,   -- UTC, '2026-11-30T12:00:00Z'
            PRIMARY KEY (model, version, position),
            FOREIGN KEY (model, version) REFERENCES versions (model, version) DEFERRABLE INITIALLY DEFERRED
        ) STRICT;

        CREATE TABLE metrics (
            -- The figures of each evaluation, in the order evaluate prints them.
            model       TEXT NOT NULL,
            version     INTEGER NOT NULL,
            evaluation  INTEGER NOT NULL,   -- evaluations.position
            position    INTEGER NOT NULL,
            name        TEXT NOT NULL,      -- e.g. 'r2', 'accuracy'
            value       REAL,               -- NULL where the figure is not a number (NaN)
            PRIMARY KEY (model, version, evaluation, position),
            UNIQUE (model, version, evaluation, name),
            FOREIGN KEY (model, version, evaluation) REFERENCES evaluations (model, version, position) DEFERRABLE INITIALLY DEFERRED
        ) STRICT;

        CREATE TABLE aliases (
            -- m@production: an alias names one version of a model; setting it again moves it.
            model    TEXT NOT NULL,
            alias    TEXT NOT NULL,
            version  INTEGER NOT NULL,
            PRIMARY KEY (model, alias),
            FOREIGN KEY (model, version) REFERENCES versions (model, version) DEFERRABLE INITIALLY DEFERRED
        ) STRICT;

        CREATE TABLE monitoring (
            -- Each monitor of a version on new data, in the order run (position 0, 1, …).
            model         TEXT NOT NULL,
            version       INTEGER NOT NULL,
            position      INTEGER NOT NULL,
            dataset       TEXT NOT NULL,      -- the dataset's name then
            fingerprint   TEXT NOT NULL,      -- and its Dataset.fingerprint
            time          TEXT NOT NULL,      -- UTC, '2026-11-30T12:00:00Z'
            rows          INTEGER NOT NULL,
            verdict       TEXT NOT NULL,      -- stable, moderate, drifted or 'not compared': the worst column's;
                                              -- fails (format 6) where validate failed the data
            compared      INTEGER NOT NULL,   -- columns compared (features, target, prediction)
            moderate      INTEGER NOT NULL,   -- of which moderate
            drifted       INTEGER NOT NULL,   -- of which drifted
            max_psi       REAL,               -- the largest feature PSI; NULL when none was compared
            prediction_psi REAL,              -- the predictions' PSI; NULL when not compared
            far_rows      INTEGER NOT NULL,   -- rows beyond the Mahalanobis threshold
            outside_rows  INTEGER NOT NULL,   -- rows outside a training range or with an unseen level
            label         TEXT,               -- the label column the metrics were measured with, or NULL
            PRIMARY KEY (model, version, position),
            FOREIGN KEY (model, version) REFERENCES versions (model, version) DEFERRABLE INITIALLY DEFERRED
        ) STRICT;

        CREATE TABLE monitoring_metrics (
            -- The metrics of a monitoring entry with labels, in the order evaluate prints them.
            model       TEXT NOT NULL,
            version     INTEGER NOT NULL,
            entry       INTEGER NOT NULL,   -- monitoring.position
            position    INTEGER NOT NULL,
            name        TEXT NOT NULL,
            value       REAL,               -- NULL for NaN
            PRIMARY KEY (model, version, entry, position),
            UNIQUE (model, version, entry, name),
            FOREIGN KEY (model, version, entry) REFERENCES monitoring (model, version, position) DEFERRABLE INITIALLY DEFERRED
        ) STRICT;

        CREATE TABLE cells (
            -- The notebook: each command as typed and what it printed.
            number     INTEGER PRIMARY KEY,
            input      TEXT NOT NULL,
            output     TEXT NOT NULL,
            succeeded  INTEGER NOT NULL CHECK (succeeded IN (0, 1)),
            checksum   TEXT NOT NULL   -- XXH64 of input's UTF-8, a NUL byte, then output's UTF-8
        ) STRICT;

        CREATE TABLE settings (
            -- Session settings, e.g. ('timer', 'off').
            key    TEXT PRIMARY KEY,
            value  TEXT NOT NULL
        ) STRICT;
        """
}
