import CSQLite3

/// A thin owner of one `sqlite3*` handle: open/close, prepare, exec, and errors that name the file.
///
/// Not thread-safe by itself; `TagStore` is the only owner and is used from one task at a time.
final class SQLiteConnection {
    let path: String
    let handle: OpaquePointer
    /// Busy timeout in milliseconds, kept to explain `SQLITE_BUSY` errors.
    let busyTimeoutMilliseconds: Int32

    /// Turns SQLite's memory statistics off, once, before the first connection initializes the
    /// library (see `gazette_sqlite_disable_memory_statistics`). Gazette never reads them.
    private static let libraryConfigured: Void = {
        _ = gazette_sqlite_disable_memory_statistics()
    }()

    init(path: String, readOnly: Bool, busyTimeoutMilliseconds: Int32) throws {
        Self.libraryConfigured
        self.path = path
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        // NOMUTEX: the connection is never used by two threads at once (see TagStore), so SQLite's
        // per-call mutex would be pure overhead.
        let flags = (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE))
            | SQLITE_OPEN_NOMUTEX
        var db: OpaquePointer?
        let code = sqlite3_open_v2(path, &db, flags, nil)
        guard code == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_close_v2(db)
            throw StoreError(
                kind: code == SQLITE_CANTOPEN && readOnly ? .fileNotFound : .sqlite(code: code),
                path: path, operation: "open", message: message)
        }
        self.handle = db
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, busyTimeoutMilliseconds)
    }

    deinit {
        // close_v2 defers the close until every statement is finalized, so the order in which the
        // owner releases statements and the connection does not matter.
        sqlite3_close_v2(handle)
    }

    /// Builds the error for a failed call, classifying lock timeouts and foreign files.
    func error(_ code: Int32, operation: String) -> StoreError {
        let message = String(cString: sqlite3_errmsg(handle))
        switch code & 0xFF {
        case SQLITE_BUSY, SQLITE_LOCKED:
            return StoreError(
                kind: .busy, path: path, operation: operation,
                message: "\(message) (another process held the lock for more than \(busyTimeoutMilliseconds) ms)")
        case SQLITE_READONLY:
            return StoreError(
                kind: .sqlite(code: code), path: path, operation: operation,
                message: "\(message) (the store file or its folder is not writable)")
        case SQLITE_NOTADB:
            return StoreError(
                kind: .notAGazetteStore, path: path, operation: operation,
                message: "\(message) (not a Gazette store)")
        default:
            return StoreError(kind: .sqlite(code: code), path: path, operation: operation, message: message)
        }
    }

    /// Runs SQL without parameters (schema, pragmas, transaction control). Never given user values.
    func execute(_ sql: String, operation: String) throws {
        let code = sqlite3_exec(handle, sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw error(code, operation: operation) }
    }

    func prepare(_ sql: String, operation: String) throws -> SQLiteStatement {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else {
            sqlite3_finalize(statement)
            throw error(code, operation: operation)
        }
        return SQLiteStatement(handle: statement, connection: self)
    }

    /// The single integer a one-row query (e.g. `PRAGMA user_version`) returns.
    func scalarInt(_ sql: String, operation: String) throws -> Int64 {
        let statement = try prepare(sql, operation: operation)
        guard try statement.step(operation: operation) else { return 0 }
        return statement.int64(0)
    }

    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }
}

/// A prepared statement, reset before each use and finalized when released.
final class SQLiteStatement {
    let handle: OpaquePointer
    // Keeps the connection alive as long as the statement exists.
    let connection: SQLiteConnection

    init(handle: OpaquePointer, connection: SQLiteConnection) {
        self.handle = handle
        self.connection = connection
    }

    deinit { sqlite3_finalize(handle) }

    /// Number of the highest parameter (`?N`) of the statement.
    var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }

    /// Resets the statement so it can be bound and stepped again. Bindings are always all rebound.
    func reset() { sqlite3_reset(handle) }

    func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(handle, index, value)
    }

    func bind(_ index: Int32, _ value: Int) {
        sqlite3_bind_int64(handle, index, Int64(value))
    }

    func bind(_ index: Int32, _ value: Int?) {
        if let value { sqlite3_bind_int64(handle, index, Int64(value)) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, _ value: Double) {
        sqlite3_bind_double(handle, index, value)
    }

    func bind(_ index: Int32, _ value: String) {
        // Native and small strings (all of Gazette's) are read in place. `withUTF8`, which is
        // mutating, needed a copy of the string, retained and released for every bound text: a
        // mention's surface, an article's text and key (~0.9% of a `gazette tag` profile).
        if value.utf8.withContiguousStorageIfAvailable({ bindText(index, $0) }) != nil { return }
        var value = value
        value.withUTF8 { bindText(index, $0) }
    }

    private func bindText(_ index: Int32, _ utf8: UnsafeBufferPointer<UInt8>) {
        // An empty String may have no storage; SQLite would read a nil pointer as NULL, so the
        // empty string is bound explicitly.
        if let base = utf8.baseAddress {
            base.withMemoryRebound(to: CChar.self, capacity: utf8.count) {
                _ = sqlite3_bind_text(handle, index, $0, Int32(utf8.count), gazette_sqlite_transient())
            }
        } else {
            _ = sqlite3_bind_text(handle, index, "", 0, gazette_sqlite_transient())
        }
    }

    func bind(_ index: Int32, _ value: String?) {
        if let value { bind(index, value) } else { sqlite3_bind_null(handle, index) }
    }

    /// Steps once: true when a row is available, false when done. Throws on any error.
    func step(operation: @autoclosure () -> String) throws -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = connection.error(code, operation: operation())
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Steps a statement that returns no rows, then resets it.
    func run(operation: @autoclosure () -> String) throws {
        defer { sqlite3_reset(handle) }
        _ = try step(operation: operation())
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }
    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }
    func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }

    func string(_ column: Int32) -> String {
        guard let text = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// Whether text column `column` holds exactly the UTF-8 bytes of `value` (no `String` made).
    func text(_ column: Int32, equals value: String) -> Bool {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard sqlite3_column_type(handle, column) == SQLITE_TEXT, count == value.utf8.count else { return false }
        guard count > 0 else { return true }
        guard let text = sqlite3_column_text(handle, column) else { return false }
        var value = value
        return value.withUTF8 { UnsafeBufferPointer(start: text, count: count).elementsEqual($0) }
    }

    func optionalString(_ column: Int32) -> String? { isNull(column) ? nil : string(column) }
    func optionalInt(_ column: Int32) -> Int? { isNull(column) ? nil : int(column) }
}
