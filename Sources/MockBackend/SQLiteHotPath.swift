import Foundation
import GRDB
import GRDBSQLite

/// The statements of sessions, PaymentIntents and the journal (those every `serve`
/// request runs), prepared once on the writer's connection and run through SQLite's C API.
///
/// For one-row statements GRDB's general path (finding the statement by its SQL
/// text, arguments as an array of existentials, rows through a cursor) costs several
/// times what SQLite itself does; these skip it. Values are checked as strictly as
/// GRDB's throwing accessors check them: a NULL or a value of another type is an
/// error, never a trap. Text is bound and read whole, a NUL included (GRDB's binding
/// would end it there, so that "k\0x" found the session of "k"). GRDB still owns the
/// connection, the transactions and every other statement.
final class SQLiteHotPath {
    enum Query: Int, CaseIterable {
        case appendJournal, sessionByKey, touchSession, updateSession, insertSession, intentByID, saveIntent, savepoint, releaseSavepoint

        var sql: String {
            switch self {
            case .appendJournal: "INSERT INTO journal (at, kind, method, detail) VALUES (?, ?, ?, ?)"
            case .sessionByKey: "SELECT \(SQLiteHotPath.sessionColumns) FROM sessions WHERE key = ?"
            // Only the time changes (a retry): the status index is left alone.
            case .touchSession: "UPDATE sessions SET last_validated_at = ? WHERE key = ? AND payment_intent_id = ? AND status = ?"
            case .updateSession: "UPDATE sessions SET payment_intent_id = ?, status = ?, last_validated_at = ? WHERE key = ?"
            case .insertSession: "INSERT INTO sessions VALUES (?, ?, ?, ?, ?, (SELECT IFNULL(MAX(seq), 0) + 1 FROM sessions))"
            case .intentByID: "SELECT \(SQLiteHotPath.intentColumns) FROM payment_intents WHERE id = ?"
            case .saveIntent: """
                INSERT INTO payment_intents VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT IFNULL(MAX(seq), 0) + 1 FROM payment_intents))
                ON CONFLICT(id) DO UPDATE SET amount = excluded.amount, status = excluded.status, updated_at = excluded.updated_at
                """
            case .savepoint: "SAVEPOINT nested"
            case .releaseSavepoint: "RELEASE SAVEPOINT nested"
            }
        }
    }

    /// The columns a session and a PaymentIntent are read from, in order.
    static let sessionColumns = "key, payment_intent_id, status, created_at, last_validated_at"
    static let intentColumns = "id, session_key, amount, currency, status, client_secret, updated_at"

    /// The connection they were prepared on.
    let database: Database
    private let connection: OpaquePointer
    /// GRDB's statements, prepared on first use and kept alive here (each finalizes its
    /// SQLite statement when released).
    private var statements: [Statement?] = Array(repeating: nil, count: Query.allCases.count)

    init(_ db: Database) throws {
        guard let connection = db.sqliteConnection else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "the database connection is closed")
        }
        database = db
        self.connection = connection
    }

    /// Runs a statement that returns no row; `bind` sets its parameters.
    func execute(_ query: Query, _ bind: (inout Binder) throws -> Void = { _ in }) throws {
        let statement = try prepared(query, bind)
        defer { sqlite3_reset(statement) }
        let code = sqlite3_step(statement)
        guard code == SQLITE_DONE else { throw error(code, query.sql) }
    }

    /// Runs a query of at most one row, read by `read`; `nil` when there is none.
    func row<T>(_ query: Query, _ bind: (inout Binder) throws -> Void, _ read: (Reader) throws -> T) throws -> T? {
        let statement = try prepared(query, bind)
        defer { sqlite3_reset(statement) }
        switch sqlite3_step(statement) {
        case SQLITE_DONE: return nil
        case SQLITE_ROW: return try read(Reader(statement: statement))
        case let code: throw error(code, query.sql)
        }
    }

    /// Runs a statement that returns no row, given by its SQL (prepared through GRDB's cache).
    func execute(sql: String, _ bind: (inout Binder) throws -> Void) throws {
        let statement = try bound(database.cachedStatement(sql: sql).sqliteStatement, sql, bind)
        defer { sqlite3_reset(statement) }
        let code = sqlite3_step(statement)
        guard code == SQLITE_DONE else { throw error(code, sql) }
    }

    /// Runs a query of any number of rows, given by its SQL (prepared through GRDB's cache).
    func rows<T>(sql: String, bind: (inout Binder) throws -> Void = { _ in }, _ read: (Reader) throws -> T) throws -> [T] {
        let statement = try bound(database.cachedStatement(sql: sql).sqliteStatement, sql, bind)
        defer { sqlite3_reset(statement) }
        var found: [T] = []
        while true {
            switch sqlite3_step(statement) {
            case SQLITE_DONE: return found
            case SQLITE_ROW: found.append(try read(Reader(statement: statement)))
            case let code: throw error(code, sql)
            }
        }
    }

    /// The rowid of the last row inserted on this connection.
    var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(connection) }

    /// Rows changed by the last statement.
    var changes: Int { Int(sqlite3_changes(connection)) }

    private func prepared(_ query: Query, _ bind: (inout Binder) throws -> Void) throws -> SQLiteStatement {
        let statement: SQLiteStatement
        if let ready = statements[query.rawValue] {
            statement = ready.sqliteStatement
        } else {
            let made = try database.makeStatement(sql: query.sql)
            statements[query.rawValue] = made
            statement = made.sqliteStatement
        }
        return try bound(statement, query.sql, bind)
    }

    /// `statement` with its parameters set anew by `bind`; any it left unset are NULL, never
    /// the last use's values. (Cheaper than clearing all of them first, as `bind` sets them all.)
    private func bound(_ statement: SQLiteStatement, _ sql: String, _ bind: (inout Binder) throws -> Void) throws -> SQLiteStatement {
        var binder = Binder(statement: statement)
        try bind(&binder)
        let count = sqlite3_bind_parameter_count(statement)
        var unset = binder.index + 1
        while unset <= count {
            sqlite3_bind_null(statement, unset)
            unset += 1
        }
        guard binder.failure == SQLITE_OK else { throw error(binder.failure, sql) }
        return statement
    }

    private func error(_ code: Int32, _ sql: String) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
    }

    /// Sets a statement's parameters, from 1.
    struct Binder {
        let statement: SQLiteStatement
        /// The last parameter bound.
        fileprivate private(set) var index: Int32 = 0
        /// The first failing bind's code.
        fileprivate(set) var failure = SQLITE_OK

        fileprivate init(statement: SQLiteStatement) {
            self.statement = statement
        }

        /// Binds the next parameter.
        mutating func bind(_ value: Int64) {
            index += 1
            note(sqlite3_bind_int64(statement, index, value))
        }

        /// Binds the next parameter, every byte of it (a NUL included), copied by SQLite.
        mutating func bind(_ value: String) {
            index += 1
            var value = value
            let code = value.withUTF8 { bytes in
                bytes.withMemoryRebound(to: CChar.self) { chars in
                    // An empty buffer may have no address, which SQLite would take for NULL.
                    guard let base = chars.baseAddress else { return sqlite3_bind_text(statement, index, "", 0, SQLiteHotPath.transient) }
                    return sqlite3_bind_text(statement, index, base, Int32(chars.count), SQLiteHotPath.transient)
                }
            }
            note(code)
        }

        private mutating func note(_ code: Int32) {
            if failure == SQLITE_OK { failure = code }
        }
    }

    /// Reads the columns of the current row, from 0.
    struct Reader {
        let statement: SQLiteStatement

        func int64(_ column: Int32, _ name: String) throws -> Int64 {
            guard sqlite3_column_type(statement, column) == SQLITE_INTEGER else { throw Self.wrongType(name, "an integer") }
            return sqlite3_column_int64(statement, column)
        }

        func text(_ column: Int32, _ name: String) throws -> String {
            guard sqlite3_column_type(statement, column) == SQLITE_TEXT else { throw Self.wrongType(name, "text") }
            guard let bytes = sqlite3_column_text(statement, column) else { return "" }
            let count = Int(sqlite3_column_bytes(statement, column))
            return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        }

        private static func wrongType(_ column: String, _ expected: String) -> BackendStoreError {
            .unusable("\(SQLiteBackendStore.fileName) holds a value that is not \(expected) in \(column)")
        }
    }

    /// SQLite's "copy the value now" destructor.
    fileprivate static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
