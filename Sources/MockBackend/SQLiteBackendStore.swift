import Foundation
import GRDB

/// The backend's state in SQLite (through GRDB), in WAL mode with a busy
/// timeout and immediate transactions, so several processes on one state
/// directory share it safely and never report "database is locked" for a
/// short wait.
public final class SQLiteBackendStore: BackendStore {
    /// The file name used inside a state directory.
    public static let fileName = "backend.sqlite"

    private let url: URL
    private var openedPool: DatabasePool?
    /// The connection of the transaction in progress.
    private var db: Database?
    private var notices: [String] = []

    /// Prepares the database of `directory`. It is opened on first use, so a
    /// front end can draw before touching the disk. An unreadable database is
    /// then moved aside (with its WAL files), reported, and replaced.
    public init(directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        url = directory.appendingPathComponent(Self.fileName)
    }

    /// Whether the database has been opened yet.
    public var isOpen: Bool { openedPool != nil }

    private func pool() throws -> DatabasePool {
        if let openedPool { return openedPool }
        let pool: DatabasePool
        do {
            pool = try Self.open(url)
        } catch {
            let aside = Self.moveAside(url)
            notices.append("backend database was unreadable (\(Self.describe(error))); moved aside to \(aside), starting fresh")
            pool = try Self.open(url)
        }
        openedPool = pool
        return pool
    }

    private static func open(_ url: URL) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        let pool = try DatabasePool(path: url.path, configuration: configuration)
        try pool.write { db in
            // Reading the schema fails here if the file is not a database.
            try db.execute(sql: "PRAGMA quick_check")
            try Self.migrate(db)
        }
        return pool
    }

    private static func migrate(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE IF NOT EXISTS sessions (
              key TEXT PRIMARY KEY, payment_intent_id TEXT NOT NULL, status TEXT NOT NULL,
              created_at INTEGER NOT NULL, last_validated_at INTEGER NOT NULL, seq INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS sessions_open ON sessions(status) WHERE status = 'open';
            CREATE INDEX IF NOT EXISTS sessions_seq ON sessions(seq);
            CREATE TABLE IF NOT EXISTS payment_intents (
              id TEXT PRIMARY KEY, session_key TEXT NOT NULL, amount INTEGER NOT NULL, currency TEXT NOT NULL,
              status TEXT NOT NULL, client_secret TEXT NOT NULL, updated_at INTEGER NOT NULL, seq INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS intents_seq ON payment_intents(seq);
            CREATE TABLE IF NOT EXISTS counters (
              id INTEGER PRIMARY KEY CHECK (id = 1), sessions INTEGER NOT NULL, payment_intents INTEGER NOT NULL, paid INTEGER NOT NULL);
            INSERT OR IGNORE INTO counters VALUES (1, 0, 0, 0);
            CREATE TABLE IF NOT EXISTS journal (
              seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, kind TEXT NOT NULL,
              method TEXT NOT NULL, detail TEXT NOT NULL);
            """)
    }

    private static func moveAside(_ url: URL) -> String {
        let stamp = Int(Date().timeIntervalSince1970 * 1000)
        let target = url.appendingPathExtension("corrupt-\(stamp)")
        let manager = FileManager.default
        try? manager.moveItem(at: url, to: target)
        for suffix in ["-wal", "-shm"] {
            let side = URL(fileURLWithPath: url.path + suffix)
            if manager.fileExists(atPath: side.path) {
                try? manager.moveItem(at: side, to: URL(fileURLWithPath: target.path + suffix))
            }
        }
        return target.lastPathComponent
    }

    private static func describe(_ error: Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
        return "\(error)"
    }

    public func drainNotices() -> [String] {
        defer { notices.removeAll() }
        return notices
    }

    // MARK: - Transactions

    public func transaction<T>(_ body: () throws -> T) throws -> T {
        if db != nil { return try body() }
        return try pool().write { db in
            self.db = db
            defer { self.db = nil }
            return try body()
        }
    }

    /// Runs `body` on the current transaction's connection, or in a new one.
    private func withDB<T>(_ body: (Database) throws -> T) throws -> T {
        if let db { return try body(db) }
        return try pool().read { try body($0) }
    }

    private func withWriteDB<T>(_ body: (Database) throws -> T) throws -> T {
        if let db { return try body(db) }
        return try pool().write { try body($0) }
    }

    // MARK: - Sessions and intents

    public func session(key: String) throws -> PaymentSession? {
        try withDB { db in
            try Row.fetchOne(db, sql: "SELECT * FROM sessions WHERE key = ?", arguments: [key]).map(Self.session)
        }
    }

    public func saveSession(_ session: PaymentSession) throws {
        try withWriteDB { db in
            try db.execute(sql: """
                INSERT INTO sessions VALUES (?, ?, ?, ?, ?, (SELECT IFNULL(MAX(seq), 0) + 1 FROM sessions))
                ON CONFLICT(key) DO UPDATE SET payment_intent_id = excluded.payment_intent_id,
                  status = excluded.status, last_validated_at = excluded.last_validated_at
                """, arguments: [session.key, session.paymentIntentID, session.status.rawValue,
                                 session.createdAtMillis, session.lastValidatedAtMillis])
        }
    }

    public func intent(id: String) throws -> PaymentIntent? {
        try withDB { db in
            try Row.fetchOne(db, sql: "SELECT * FROM payment_intents WHERE id = ?", arguments: [id]).map(Self.intent)
        }
    }

    public func saveIntent(_ intent: PaymentIntent) throws {
        try withWriteDB { db in
            try db.execute(sql: """
                INSERT INTO payment_intents VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT IFNULL(MAX(seq), 0) + 1 FROM payment_intents))
                ON CONFLICT(id) DO UPDATE SET amount = excluded.amount, status = excluded.status,
                  updated_at = excluded.updated_at
                """, arguments: [intent.id, intent.sessionKey, intent.amountCents, intent.currency,
                                 intent.status.rawValue, intent.clientSecret, intent.updatedAtMillis])
        }
    }

    public func openSessions() throws -> [PaymentSession] {
        try withDB { db in
            try Row.fetchAll(db, sql: "SELECT * FROM sessions WHERE status = 'open' ORDER BY seq").map(Self.session)
        }
    }

    public func recentSessions(limit: Int) throws -> [PaymentSession] {
        try withDB { db in
            try Row.fetchAll(db, sql: "SELECT * FROM sessions ORDER BY seq DESC LIMIT ?", arguments: [limit]).map(Self.session)
        }
    }

    public func recentIntents(limit: Int) throws -> [PaymentIntent] {
        try withDB { db in
            try Row.fetchAll(db, sql: "SELECT * FROM payment_intents ORDER BY seq DESC LIMIT ?", arguments: [limit]).map(Self.intent)
        }
    }

    // MARK: - Counters and journal

    public func counters() throws -> BackendCounters {
        try withDB { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT sessions, payment_intents, paid FROM counters WHERE id = 1") else {
                return BackendCounters()
            }
            return BackendCounters(sessions: row[0], paymentIntents: row[1], paid: row[2])
        }
    }

    public func addToCounters(sessions: Int, paymentIntents: Int, paid: Int) throws {
        try withWriteDB { db in
            try db.execute(sql: "UPDATE counters SET sessions = sessions + ?, payment_intents = payment_intents + ?, paid = paid + ? WHERE id = 1",
                           arguments: [sessions, paymentIntents, paid])
        }
    }

    @discardableResult
    public func appendJournal(_ entry: JournalEntry) throws -> Int64 {
        try withWriteDB { db in
            try db.execute(sql: "INSERT INTO journal (at, kind, method, detail) VALUES (?, ?, ?, ?)",
                           arguments: [entry.atMillis, entry.kind.rawValue, entry.method, entry.detail])
            return db.lastInsertedRowID
        }
    }

    public func journalCount() throws -> Int {
        try withDB { db in try Int.fetchOne(db, sql: "SELECT IFNULL(MAX(seq), 0) FROM journal") ?? 0 }
    }

    public func recentJournal(limit: Int) throws -> [JournalEntry] {
        try withDB { db in
            try Row.fetchAll(db, sql: "SELECT * FROM journal ORDER BY seq DESC LIMIT ?", arguments: [limit])
                .map { row in
                    JournalEntry(sequence: row["seq"], atMillis: row["at"],
                                 kind: JournalEntry.Kind(rawValue: row["kind"]) ?? .request,
                                 method: row["method"], detail: row["detail"])
                }
                .reversed()
        }
    }

    // MARK: - Rows

    private static func session(_ row: Row) -> PaymentSession {
        PaymentSession(key: row["key"], paymentIntentID: row["payment_intent_id"],
                       status: SessionStatus(rawValue: row["status"]) ?? .expired,
                       createdAtMillis: row["created_at"], lastValidatedAtMillis: row["last_validated_at"])
    }

    private static func intent(_ row: Row) -> PaymentIntent {
        PaymentIntent(id: row["id"], sessionKey: row["session_key"], amountCents: row["amount"],
                      currency: row["currency"], status: IntentStatus(rawValue: row["status"]) ?? .canceled,
                      clientSecret: row["client_secret"], updatedAtMillis: row["updated_at"])
    }
}
