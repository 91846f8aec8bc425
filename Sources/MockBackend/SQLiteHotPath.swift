import Foundation
import GRDB
import GRDBSQLite

/// The statements of sessions, PaymentIntents and the journal (those every `serve`
/// request runs), prepared once on the writer's connection and run through SQLite's C API.
///
/// GRDB's general path costs several times SQLite's own work for one-row statements
/// (docs/performance.md, "The hot path"); these skip it. Values are checked as strictly as
/// GRDB's throwing accessors check them: a NULL or a value of another type is an
/// error, never a trap. Text is bound and read whole, a NUL included (GRDB's binding
/// would end it there, so that "k\0x" found the session of "k"). GRDB still owns the
/// connection, the transactions and every other statement.
final class SQLiteHotPath {
    enum Query: Int, CaseIterable {
        case sessionByKey, touchSession, updateSession, insertSession, intentByID, saveIntent, savepoint, releaseSavepoint

        var sql: String {
            switch self {
            case .sessionByKey: "SELECT \(SQLiteHotPath.sessionColumns) FROM sessions WHERE key = ?"
            // Only the time changes (a retry): the status index is left alone.
            case .touchSession: "UPDATE sessions SET last_validated_at = ? WHERE key = ? AND payment_intent_id = ? AND status = ?"
            case .updateSession: "UPDATE sessions SET payment_intent_id = ?, status = ?, last_validated_at = ? WHERE key = ?"
            case .insertSession: """
                INSERT INTO sessions (\(SQLiteHotPath.sessionColumns), seq)
                VALUES (?, ?, ?, ?, ?, (SELECT IFNULL(MAX(seq), 0) + 1 FROM sessions))
                """
            case .intentByID: "SELECT \(SQLiteHotPath.intentColumns) FROM payment_intents WHERE id = ?"
            case .saveIntent: """
                INSERT INTO payment_intents (\(SQLiteHotPath.intentColumns), seq)
                VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT IFNULL(MAX(seq), 0) + 1 FROM payment_intents))
                ON CONFLICT(id) DO UPDATE SET amount = excluded.amount, status = excluded.status, updated_at = excluded.updated_at
                """
            case .savepoint: "SAVEPOINT nested"
            case .releaseSavepoint: "RELEASE SAVEPOINT nested"
            }
        }
    }

    /// The columns a session and a PaymentIntent are read and inserted from, in order.
    static let sessionColumns = "key, payment_intent_id, status, created_at, last_validated_at"
    static let intentColumns = "id, session_key, amount, currency, status, client_secret, updated_at"

    /// The connection they were prepared on.
    let database: Database
    private let connection: OpaquePointer
    /// GRDB's statements, prepared on first use and kept alive here (each finalizes its
    /// SQLite statement when released).
    private var statements: [Statement?] = Array(repeating: nil, count: Query.allCases.count)
    /// Those given by their SQL, prepared on first use (when kept).
    private var statementsBySQL: [String: Statement] = [:]
    /// The text values of the statement being bound, when kept; else SQLite copies them.
    private let text: BoundText?

    /// `kept`: the hot path lives as long as the connection (the writer's), and has its
    /// statements to itself; else it is made for one read, and leaves them in GRDB's cache.
    init(_ db: Database, kept: Bool = true) throws {
        guard let connection = db.sqliteConnection else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "the database connection is closed")
        }
        database = db
        self.connection = connection
        text = kept ? BoundText() : nil
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

    /// Runs a statement that returns no row, given by its SQL (prepared once).
    func execute(sql: String, _ bind: (inout Binder) throws -> Void) throws {
        let statement = try bound(prepared(sql: sql), sql, bind)
        defer { sqlite3_reset(statement) }
        let code = sqlite3_step(statement)
        guard code == SQLITE_DONE else { throw error(code, sql) }
    }

    /// Runs a query of any number of rows, given by its SQL (prepared once).
    func rows<T>(sql: String, bind: (inout Binder) throws -> Void = { _ in }, _ read: (Reader) throws -> T) throws -> [T] {
        let statement = try bound(prepared(sql: sql), sql, bind)
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

    /// Rows changed by the last statement.
    var changes: Int { Int(sqlite3_changes(connection)) }

    /// The statement of `sql`. A kept hot path keeps it here rather than in GRDB's cache:
    /// no other code binds it, so the text it reads is always this hot path's (`BoundText`).
    private func prepared(sql: String) throws -> SQLiteStatement {
        guard text != nil else { return try database.cachedStatement(sql: sql).sqliteStatement }
        if let ready = statementsBySQL[sql] { return ready.sqliteStatement }
        let made = try database.makeStatement(sql: sql)
        statementsBySQL[sql] = made
        return made.sqliteStatement
    }

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
    /// `sql` is made only for an error: a query's text is built from its columns.
    private func bound(_ statement: SQLiteStatement, _ sql: @autoclosure () -> String,
                       _ bind: (inout Binder) throws -> Void) throws -> SQLiteStatement {
        // The previous statement has run: the text it was bound to is not read again.
        text?.reset()
        var binder = Binder(statement: statement, text: text)
        try bind(&binder)
        let count = sqlite3_bind_parameter_count(statement)
        var unset = binder.index + 1
        while unset <= count {
            sqlite3_bind_null(statement, unset)
            unset += 1
        }
        guard binder.failure == SQLITE_OK else { throw error(binder.failure, sql()) }
        return statement
    }

    private func error(_ code: Int32, _ sql: String) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
    }

    /// Sets a statement's parameters, from 1.
    struct Binder {
        let statement: SQLiteStatement
        private let text: BoundText?
        /// The last parameter bound.
        fileprivate private(set) var index: Int32 = 0
        /// The first failing bind's code.
        fileprivate(set) var failure = SQLITE_OK

        fileprivate init(statement: SQLiteStatement, text: BoundText?) {
            self.statement = statement
            self.text = text
        }

        /// Binds the next parameter.
        mutating func bind(_ value: Int64) {
            index += 1
            note(sqlite3_bind_int64(statement, index, value))
        }

        /// Binds the next parameter, every byte of it (a NUL included), copied first (into
        /// `BoundText`, where SQLite reads it until the statement has run, or by SQLite).
        mutating func bind(_ value: String) {
            index += 1
            var value = value
            let code = value.withUTF8 { bytes in
                guard let length = Int32(exactly: bytes.count) else { return SQLITE_TOOBIG }
                if let text { return sqlite3_bind_text(statement, index, text.copy(bytes), length, nil) }
                return bytes.withMemoryRebound(to: CChar.self) { chars in
                    // An empty buffer may have no address, which SQLite would take for NULL.
                    sqlite3_bind_text(statement, index, chars.baseAddress ?? BoundText.empty, length, SQLiteHotPath.transient)
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
}

extension SQLiteHotPath {
    /// SQLite's "copy the value now" destructor.
    fileprivate static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}

/// Copies of the text a statement is bound to, so that SQLite need not make its own (an
/// allocation for every value): kept until the next statement is bound, in blocks that
/// are reused. Only the hot path's own statements point into them, and each has all of
/// its parameters bound again before it runs again.
final class BoundText {
    /// No bytes, at an address.
    nonisolated(unsafe) static let empty: UnsafePointer<CChar> = UnsafePointer(UnsafeMutablePointer<CChar>.allocate(capacity: 1))

    private var blocks: [UnsafeMutableRawBufferPointer] = []
    /// The block being filled, and how much of it is.
    private var block = 0
    private var used = 0
    static let blockSize = 16 * 1024

    /// Starts over in the first block.
    func reset() {
        block = 0
        used = 0
    }

    /// A copy of `bytes` that stays until `reset()`; never a null pointer, even for no bytes.
    func copy(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafePointer<CChar> {
        if block < blocks.count, used + bytes.count > blocks[block].count {
            block += 1
            used = 0
        }
        if block == blocks.count {
            blocks.append(.allocate(byteCount: max(Self.blockSize, bytes.count), alignment: 1))
        } else if bytes.count > blocks[block].count {
            // A block after those of the statement being bound.
            blocks[block].deallocate()
            blocks[block] = .allocate(byteCount: bytes.count, alignment: 1)
        }
        let start = blocks[block].baseAddress! + used
        if let source = bytes.baseAddress { start.copyMemory(from: source, byteCount: bytes.count) }
        used += bytes.count
        return UnsafePointer(start.assumingMemoryBound(to: CChar.self))
    }

    deinit {
        for block in blocks { block.deallocate() }
    }
}
