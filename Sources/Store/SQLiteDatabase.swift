import CSQLite
import Diagnostics

/// One connection to an SQLite file through the C API (GRDB's release build costs minutes in
/// every CI run for the handful of statements the store needs). A connection serves one save
/// or one open on one thread, so neither it nor its statements are Sendable.
final class SQLiteDatabase {
    enum Mode {
        /// Reading a file someone gave us: nothing is written, and failures mean bad data.
        case readOnly
        /// Writing, creating the file if needed: failures mean the write failed.
        case readWrite
    }

    /// The file as the user named it (for a save, the target rather than the temporary file),
    /// so every message names what the user typed.
    let displayPath: String
    /// What the file holds, for messages ("workspace").
    let fileKind: String
    private let mode: Mode
    private var handle: OpaquePointer?

    init(path: String, displayPath: String, fileKind: String, mode: Mode) throws {
        self.displayPath = displayPath
        self.fileKind = fileKind
        self.mode = mode
        let flags = mode == .readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        var opened: OpaquePointer?
        let rc = sqlite3_open_v2(path, &opened, flags, nil)
        guard rc == SQLITE_OK, let opened else {
            let reason = opened.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_close_v2(opened)
            throw ModelshError(mode == .readOnly ? .noInput : .io, "\(displayPath): cannot open (\(reason))")
        }
        handle = opened
        if mode == .readOnly {
            // A file someone gave us: no triggers, no views, no writes to the schema by SQL,
            // whatever the file asks for (defence in depth beside the read-only open).
            modelsh_sqlite3_db_config_flag(opened, SQLITE_DBCONFIG_DEFENSIVE, 1)
            modelsh_sqlite3_db_config_flag(opened, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0)
            modelsh_sqlite3_db_config_flag(opened, SQLITE_DBCONFIG_ENABLE_VIEW, 0)
        }
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements that return no rows the caller needs.
    func execute(_ sql: String) throws {
        try check(sqlite3_exec(handle, sql, nil, nil, nil))
    }

    /// `table` names what the statement reads, for messages about a value of the wrong type.
    func prepare(_ sql: String, reading table: String? = nil) throws -> SQLiteStatement {
        var statement: OpaquePointer?
        try check(sqlite3_prepare_v3(handle, sql, -1, 0, &statement, nil))
        guard let statement else { throw failure(message: "empty statement") }
        return SQLiteStatement(statement, database: self, table: table)
    }

    /// Closes the file, reporting what a plain close would hide (e.g. a statement left open).
    /// Every statement must have been released first.
    func close() throws {
        let rc = sqlite3_close(handle)
        guard rc == SQLITE_OK else { throw failure(code: rc) }
        handle = nil
    }

    func check(_ rc: Int32) throws {
        guard rc == SQLITE_OK else { throw failure(code: rc) }
    }

    /// One line naming the file; SQLite's own message in brackets.
    func failure(code rc: Int32) -> ModelshError {
        let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
        switch (mode, rc & 0xFF) {
        case (.readOnly, SQLITE_NOTADB):
            return .data("\(displayPath): not a modelsh \(fileKind) (\(message))")
        case (.readOnly, SQLITE_CORRUPT):
            return .data("\(displayPath): damaged \(fileKind) (\(message))")
        case (.readOnly, _):
            return .data("\(displayPath): cannot read \(fileKind) (\(message))")
        case (.readWrite, _):
            return .io("\(displayPath): cannot write \(fileKind) (\(message))")
        }
    }

    /// A problem found in the file's contents rather than reported by SQLite.
    func failure(message: String) -> ModelshError {
        mode == .readOnly
            ? .data("\(displayPath): damaged \(fileKind) (\(message))")
            : .io("\(displayPath): cannot write \(fileKind) (\(message))")
    }
}

/// A prepared statement. Column readers check the stored type (and that text is UTF-8), so a
/// tampered file gives an error naming the table and column rather than a converted value.
final class SQLiteStatement {
    private let statement: OpaquePointer
    private let database: SQLiteDatabase
    private let table: String?

    fileprivate init(_ statement: OpaquePointer, database: SQLiteDatabase, table: String?) {
        self.statement = statement
        self.database = database
        self.table = table
    }

    deinit {
        sqlite3_finalize(statement)
    }

    // MARK: - Binding (parameters count from 1, as in SQL)

    func bind(_ value: Int, at index: Int32) throws {
        try database.check(sqlite3_bind_int64(statement, index, Int64(value)))
    }

    func bind(_ value: Bool, at index: Int32) throws {
        try bind(value ? 1 : 0, at: index)
    }

    func bind(_ value: String, at index: Int32) throws {
        // Explicit lengths keep embedded NULs; a null pointer would bind NULL, not "".
        guard !value.isEmpty else {
            return try database.check(sqlite3_bind_text64(statement, index, "", 0, sqliteTransient, UInt8(SQLITE_UTF8)))
        }
        var text = value
        let rc = text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                sqlite3_bind_text64(statement, index, chars.baseAddress, UInt64(chars.count), sqliteTransient, UInt8(SQLITE_UTF8))
            }
        }
        try database.check(rc)
    }

    func bind(_ value: String?, at index: Int32) throws {
        guard let value else { return try database.check(sqlite3_bind_null(statement, index)) }
        try bind(value, at: index)
    }

    func bind(_ value: Int?, at index: Int32) throws {
        guard let value else { return try database.check(sqlite3_bind_null(statement, index)) }
        try bind(value, at: index)
    }

    /// A real number; NaN (which SQLite would store as NULL anyway) is bound as NULL.
    func bind(_ value: Double, at index: Int32) throws {
        guard !value.isNaN else { return try database.check(sqlite3_bind_null(statement, index)) }
        try database.check(sqlite3_bind_double(statement, index, value))
    }

    /// Binds `bytes` without copying them: they must stay valid until the statement is stepped
    /// and reset, so call `step` inside the closure that lent the bytes.
    func bindBorrowedBlob(_ bytes: UnsafeRawBufferPointer, at index: Int32) throws {
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            // A null pointer would bind NULL; an empty block must stay a zero-length blob.
            return try database.check(sqlite3_bind_zeroblob(statement, index, 0))
        }
        try database.check(sqlite3_bind_blob64(statement, index, base, UInt64(bytes.count), nil))
    }

    // MARK: - Running

    /// Advances to the next row; false when there are no more.
    @discardableResult
    func step() throws -> Bool {
        let rc = sqlite3_step(statement)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw database.failure(code: rc)
        }
    }

    /// Makes the statement ready to run again with new bindings.
    func reset() throws {
        try database.check(sqlite3_reset(statement))
        try database.check(sqlite3_clear_bindings(statement))
    }

    // MARK: - Reading the current row (columns count from 0)

    func int(at column: Int32) throws -> Int {
        try expect(SQLITE_INTEGER, at: column, named: "an integer")
        guard let value = Int(exactly: sqlite3_column_int64(statement, column)) else {
            throw database.failure(message: "\(columnDescription(column)) holds an integer too large for this machine")
        }
        return value
    }

    func text(at column: Int32) throws -> String {
        try expect(SQLITE_TEXT, at: column, named: "text")
        guard let text = storedText(at: column) else {
            throw database.failure(message: "\(columnDescription(column)) holds text that is not valid UTF-8")
        }
        return text
    }

    /// Text, or nil for NULL.
    func optionalText(at column: Int32) throws -> String? {
        sqlite3_column_type(statement, column) == SQLITE_NULL ? nil : try text(at: column)
    }

    /// An integer, or nil for NULL.
    func optionalInt(at column: Int32) throws -> Int? {
        sqlite3_column_type(statement, column) == SQLITE_NULL ? nil : try int(at: column)
    }

    /// A real number, NaN for NULL (how NaN is stored).
    func double(at column: Int32) throws -> Double {
        if sqlite3_column_type(statement, column) == SQLITE_NULL { return .nan }
        try expect(SQLITE_FLOAT, at: column, named: "a real number")
        return sqlite3_column_double(statement, column)
    }

    /// Lends the blob's bytes to `body`; they are valid only until the next step or reset.
    func withBlob<T>(at column: Int32, _ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
        try expect(SQLITE_BLOB, at: column, named: "a blob")
        let count = Int(sqlite3_column_bytes(statement, column))
        return try body(UnsafeRawBufferPointer(start: sqlite3_column_blob(statement, column), count: count))
    }

    /// The text's UTF-8 bytes as stored, or nil when they are not valid UTF-8.
    private func storedText(at column: Int32) -> String? {
        let count = Int(sqlite3_column_bytes(statement, column))
        guard let start = sqlite3_column_text(statement, column) else { return "" }
        return String(validating: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    }

    private func expect(_ type: Int32, at column: Int32, named expected: String) throws {
        let actual = sqlite3_column_type(statement, column)
        guard actual != type else { return }
        let found = [SQLITE_INTEGER: "an integer", SQLITE_FLOAT: "a real number", SQLITE_TEXT: "text",
                     SQLITE_BLOB: "a blob", SQLITE_NULL: "NULL"][actual] ?? "type \(actual)"
        throw database.failure(message: "\(columnDescription(column)) holds \(found) where \(expected) was expected")
    }

    /// "table 'datasets', column 'row_count'" (the table when the statement was told it).
    private func columnDescription(_ column: Int32) -> String {
        let name = sqlite3_column_name(statement, column).map { String(cString: $0) } ?? "#\(column)"
        return (table.map { "table '\($0)', " } ?? "") + "column '\(name)'"
    }
}

/// Tells SQLite to copy bound bytes at once; the C macro is not imported into Swift.
private let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
