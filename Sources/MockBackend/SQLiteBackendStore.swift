import CheckoutCore
import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// The backend's state in SQLite (through GRDB), in WAL mode with a busy
/// timeout and immediate transactions, so several processes on one state
/// directory share it safely.
///
/// Opening tells four failures apart. A database another process holds locked is
/// waited for (`unavailableReason` says so, and every use tries again). A database a
/// newer checkout-sim wrote is refused and left as it is. A file that is not ours
/// (SQLITE_CORRUPT, SQLITE_NOTADB, a schema or values this program never writes) is
/// moved aside unaltered, reported, and replaced. Anything else (a read-only folder, a
/// symbolic link) is reported in words and nothing is moved. The schema is
/// `SQLiteSchema`'s, brought up to date on opening.
public final class SQLiteBackendStore: BackendStore {
    /// The file name used inside a state directory.
    public static let fileName = "backend.sqlite"
    /// The files SQLite keeps beside the database.
    public static let ownedNames = [fileName, fileName + "-wal", fileName + "-shm"]
    /// Timestamps outside 0…this (the year 9999) are not ones this program writes.
    static let maxMillis: Int64 = 253_402_300_799_999

    private let directory: URL
    private let url: URL
    private let busyTimeout: TimeInterval
    private let checkpointsInBackground: Bool
    /// The journal keeps about this many of its newest lines (`JournalLimit`).
    let journalLimit: JournalLimit
    /// The journal number past which the next transaction prunes (`nil`: at its first commit).
    var pruneDue: Int64?
    /// The clock's offset as the writer last read or wrote it in this transaction's `data_version`.
    var clockCache: Int64?
    private var openedPool: DatabasePool?
    /// The connection of the transaction in progress.
    private(set) var db: Database?
    private var notices: [String] = []
    /// The armed rules as last read or written, with their text.
    private var rulesCache: (text: String, rules: RuleQueue)?
    /// Whether `rulesCache` is what the database holds in the transaction in progress: read
    /// or written in it. No other process can write while it lasts, so it is read once.
    private var rulesReadInTransaction = false
    /// The statements of every request, on the writer's connection.
    private var hot: SQLiteHotPath?
    /// The journal lines of the transaction in progress, inserted just before it commits.
    private var pendingJournal = PendingJournal()
    /// Sessions and PaymentIntents as the writer last read or wrote them, and the
    /// `data_version` they are good for (another connection's commit changes it).
    private var rows = RowCache()
    private var rowsVersion: Int64?
    public private(set) var unavailableReason: String?

    /// Prepares the database of `directory`. It is opened on first use, so a
    /// front end can draw before touching the disk; only a database a newer checkout-sim
    /// wrote is refused at once (`BackendStoreError.newer`). `busyTimeout` is how long one
    /// use waits for another process's lock: the TUI keeps it short so that no
    /// frame waits for seconds.
    /// `checkpointsInBackground`: a long-running server leaves the WAL's checkpoints (which
    /// sync the database file) to a `WALCheckpointer` off the request path, so that no
    /// request waits for one.
    /// `journalLimit`: how many of the journal's newest lines it keeps (the oldest are deleted in chunks).
    public init(directory: URL, busyTimeout: TimeInterval = 10, checkpointsInBackground: Bool = false,
                journalLimit: JournalLimit = .standard) throws {
        try StateFiles.prepareDirectory(directory)
        try StateFiles.refuseLinks(in: directory, names: Self.ownedNames)
        self.directory = directory
        url = URL(fileURLWithPath: StateFiles.path(directory, Self.fileName), isDirectory: false)
        self.busyTimeout = busyTimeout
        self.checkpointsInBackground = checkpointsInBackground
        self.journalLimit = journalLimit
        try refuseNewer()
    }

    deinit {
        // Its statements go before the connection they were prepared on.
        hot = nil
    }

    /// Whether the database has been opened yet.
    public var isOpen: Bool { openedPool != nil }

    private func pool() throws -> DatabasePool {
        if let openedPool { return openedPool }
        do {
            let pool = try open()
            openedPool = pool
            unavailableReason = nil
            return pool
        } catch let failure as BackendStoreError {
            unavailableReason = failure.description
            throw failure
        }
    }

    private func open() throws -> DatabasePool {
        try StateFiles.refuseLinks(in: directory, names: Self.ownedNames)
        if let foreign = try inspectExisting() {
            let aside = try moveAside(reason: foreign)
            notices.append("backend database was \(foreign); moved aside to \(aside), starting fresh")
        }
        do {
            return try Self.openPool(url.path, busyTimeout: busyTimeout, automaticCheckpoints: !checkpointsInBackground)
        } catch let error as DatabaseError {
            throw classify(error)
        }
    }

    /// Refuses a database a newer checkout-sim wrote. Only an existing file is read, and
    /// never waited for: one that cannot be read now is judged when it is opened.
    private func refuseNewer() throws {
        let unknown = try? readExisting(busyMode: .immediateError) { db in try SQLiteSchema.unknownMigrations(in: db) }
        if let unknown, !unknown.isEmpty { throw BackendStoreError.newer(file: url.path, migrations: unknown) }
    }

    /// Looks at an existing file read-only: why it is not ours, or `nil` when it is
    /// (or when there is none). One a newer checkout-sim wrote is refused, never judged.
    private func inspectExisting() throws -> String? {
        do {
            return try readExisting(busyMode: .timeout(busyTimeout)) { db in
                let unknown = (try? SQLiteSchema.unknownMigrations(in: db)) ?? []
                guard unknown.isEmpty else { throw BackendStoreError.newer(file: url.path, migrations: unknown) }
                return try SQLiteSchemaCheck.problem(in: db)
            } ?? nil
        } catch let error as DatabaseError {
            switch error.resultCode.primaryResultCode {
            case .SQLITE_CORRUPT: return "corrupt (\(Self.describe(error)))"
            case .SQLITE_NOTADB: return "not a database"
            default: throw classify(error)
            }
        }
    }

    /// `body` on a read-only connection to the existing file; `nil` when there is none (or it is empty).
    private func readExisting<T>(busyMode: Database.BusyMode, _ body: (Database) throws -> T) throws -> T? {
        var info = stat()
        guard stat(url.path, &info) == 0, info.st_size > 0 else { return nil }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = busyMode
        let queue = try DatabaseQueue(path: url.path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read(body)
    }

    /// A failure that is not about the file's content: nothing is moved.
    private func classify(_ error: DatabaseError) -> BackendStoreError {
        switch error.resultCode.primaryResultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .locked
        case .SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH:
            if access(directory.path, W_OK) != 0 {
                return .unusable("cannot open \(Self.fileName): the state directory is not writable (\(StateFiles.words(errno)))")
            }
            return .unusable("cannot open \(Self.fileName): \(Self.describe(error))")
        case .SQLITE_FULL:
            return .unusable("cannot write \(Self.fileName): the disk is full")
        default:
            return .unusable("cannot open \(Self.fileName): \(Self.describe(error))")
        }
    }

    /// The WAL's size once it has been copied (bytes).
    static let walSizeLimit = 16 * 1024 * 1024

    private static func openPool(_ path: String, busyTimeout: TimeInterval, automaticCheckpoints: Bool) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.prepareDatabase { db in
            if !automaticCheckpoints { try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
            // A WAL that a sustained load grew is cut back once it has been copied, so the
            // state directory's size stays near the journal's limit rather than its high-water mark.
            try db.execute(sql: "PRAGMA journal_size_limit = \(Self.walSizeLimit)")
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        try SQLiteSchema.migrate(pool)
        return pool
    }

    private func moveAside(reason: String) throws -> String {
        let stamp = Int(Date().timeIntervalSince1970 * 1000)
        let target = url.path + ".corrupt-\(stamp)"
        guard rename(url.path, target) == 0 else {
            throw BackendStoreError.unusable("\(Self.fileName) is \(reason), and it could not be moved aside: \(StateFiles.words(errno))")
        }
        for suffix in ["-wal", "-shm"] where access(url.path + suffix, F_OK) == 0 {
            _ = rename(url.path + suffix, target + suffix)
        }
        return (target as NSString).lastPathComponent
    }

    private static func describe(_ error: DatabaseError) -> String {
        UntrustedText.escaped(error.message ?? "\(error.resultCode)")
    }

    public func drainNotices() -> [String] {
        defer { notices.removeAll() }
        return notices
    }

    // MARK: - Transactions

    /// A transaction; inside another one (a `serve` batch holds one open for several
    /// requests), a savepoint, so that a failure undoes this part alone.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        if let db { return try savepoint(db, body) }
        do {
            // BEGIN and COMMIT as cached statements: `write` would parse them again for every transaction.
            return try pool().writeWithoutTransaction { db in
                try db.cachedStatement(sql: "BEGIN IMMEDIATE").execute()
                self.db = db
                rulesReadInTransaction = false
                defer {
                    self.db = nil
                    rulesReadInTransaction = false
                }
                defer { pendingJournal.reset() }
                do {
                    try forgetCachesIfChanged(db)
                    let result = try body()
                    try flushJournal()
                    try pruneJournalIfDue(db, last: pendingJournal.lastGiven)
                    try db.cachedStatement(sql: "COMMIT").execute()
                    pendingJournal.commit()
                    return result
                } catch {
                    if db.isInsideTransaction { try? db.execute(sql: "ROLLBACK") }
                    rows.removeAll()
                    clockCache = nil
                    pruneDue = nil
                    // Lines may have gone in even so (SQLite ended the transaction itself, and
                    // what followed ran outside it): the last number is read again.
                    pendingJournal.forgetCommitted()
                    throw error
                }
            }
        } catch {
            // What the cache holds may have been rolled back.
            rulesCache = nil
            throw error
        }
    }

    private func savepoint<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        let hot = try hotPath(db, writer: true)
        try hot.execute(.savepoint)
        // The lines not yet inserted when it began (any inserted since are rolled back with it).
        let journalBefore = pendingJournal
        let result: T
        do {
            result = try body()
        } catch {
            // Undoes what `body` wrote, then leaves the savepoint; the enclosing transaction goes on.
            try? db.execute(sql: "ROLLBACK TO SAVEPOINT nested; RELEASE SAVEPOINT nested")
            pendingJournal = journalBefore
            rows.removeAll()
            clockCache = nil
            rulesCache = nil
            rulesReadInTransaction = false
            throw error
        }
        try hot.execute(.releaseSavepoint)
        return result
    }

    public func atomically<T>(_ body: () throws -> T) throws -> T {
        if db != nil { return try body() }
        return try transaction(body)
    }

    /// Runs `body` on the current transaction's connection, or in a new one.
    func withDB<T>(_ body: (Database) throws -> T) throws -> T {
        if let db { return try body(db) }
        return try pool().read { try body($0) }
    }

    func withWriteDB<T>(_ body: (Database) throws -> T) throws -> T {
        if let db { return try body(db) }
        return try pool().write { try body($0) }
    }

    /// The statements of every request for `db`: kept for the writer's connection, made
    /// for the occasion on a reader's.
    private func hotPath(_ db: Database, writer: Bool) throws -> SQLiteHotPath {
        if let hot, hot.database === db { return hot }
        let made = try SQLiteHotPath(db, kept: writer)
        if writer { hot = made }
        return made
    }

    /// `body` with the hot path of the current transaction's connection, or of a reader's.
    private func reading<T>(_ body: (SQLiteHotPath) throws -> T) throws -> T {
        if let db { return try body(hotPath(db, writer: true)) }
        return try pool().read { try body(hotPath($0, writer: false)) }
    }

    /// `body` with the hot path of the writer's connection, in the current transaction or a new one.
    private func writing<T>(_ body: (SQLiteHotPath) throws -> T) throws -> T {
        if let db { return try body(hotPath(db, writer: true)) }
        return try pool().write { try body(hotPath($0, writer: true)) }
    }

    // MARK: - Sessions and intents

    public func session(key: String) throws -> PaymentSession? {
        if db != nil, let cached = rows.session(key: key) { return cached }
        let found = try reading { hot in try hot.row(.sessionByKey, { $0.bind(key) }, Self.session) }
        // Kept only when its key reads back as the bytes asked for (not text SQLite holds as invalid UTF-8).
        if db != nil, let found, ExactKey(found.key) == ExactKey(key) { rows.read(found) }
        return found
    }

    public func saveSession(_ session: PaymentSession) throws {
        let inserted = try writing { hot in
            // Most saves are a retry's, which only moves the session's time: tried first, as
            // an update that leaves the status index alone, then a whole update, then an insert.
            try hot.execute(.touchSession) {
                $0.bind(session.lastValidatedAtMillis)
                $0.bind(session.key)
                $0.bind(session.paymentIntentID)
                $0.bind(session.status.rawValue)
            }
            guard hot.changes == 0 else { return false }
            try hot.execute(.updateSession) {
                $0.bind(session.paymentIntentID)
                $0.bind(session.status.rawValue)
                $0.bind(session.lastValidatedAtMillis)
                $0.bind(session.key)
            }
            guard hot.changes == 0 else { return false }
            try hot.execute(.insertSession) {
                $0.bind(session.key)
                $0.bind(session.paymentIntentID)
                $0.bind(session.status.rawValue)
                $0.bind(session.createdAtMillis)
                $0.bind(session.lastValidatedAtMillis)
            }
            return true
        }
        if inserted { rows.read(session) } else { rows.updated(session) }
    }

    public func intent(id: String) throws -> PaymentIntent? {
        if db != nil, let cached = rows.intent(id: id) { return cached }
        let found = try reading { hot in try hot.row(.intentByID, { $0.bind(id) }, Self.intent) }
        if db != nil, let found, ExactKey(found.id) == ExactKey(id) { rows.read(found) }
        return found
    }

    public func saveIntent(_ intent: PaymentIntent) throws {
        try writing { hot in
            try hot.execute(.saveIntent) {
                $0.bind(intent.id)
                $0.bind(intent.sessionKey)
                $0.bind(intent.amountCents)
                $0.bind(intent.currency)
                $0.bind(intent.status.rawValue)
                $0.bind(intent.clientSecret)
                $0.bind(intent.updatedAtMillis)
            }
        }
        rows.saved(intent)
    }

    public func openSessions() throws -> [PaymentSession] {
        try reading { hot in
            try hot.rows(sql: "SELECT \(SQLiteHotPath.sessionColumns) FROM sessions WHERE status = 'open' ORDER BY seq", Self.session)
        }
    }

    public func recentSessions(limit: Int) throws -> [PaymentSession] {
        try reading { hot in
            try hot.rows(sql: "SELECT \(SQLiteHotPath.sessionColumns) FROM sessions ORDER BY seq DESC LIMIT ?",
                         bind: { $0.bind(Int64(limit)) }, Self.session)
        }
    }

    public func recentIntents(limit: Int) throws -> [PaymentIntent] {
        try reading { hot in
            try hot.rows(sql: "SELECT \(SQLiteHotPath.intentColumns) FROM payment_intents ORDER BY seq DESC LIMIT ?",
                         bind: { $0.bind(Int64(limit)) }, Self.intent)
        }
    }

    // MARK: - Counters and journal

    public func counters() throws -> BackendCounters {
        try withDB { db in
            guard let row = try Row.fetchOne(try db.cachedStatement(sql: "SELECT sessions, payment_intents, paid FROM counters WHERE id = 1")) else {
                return BackendCounters()
            }
            return BackendCounters(sessions: try row.decode(atIndex: 0), paymentIntents: try row.decode(atIndex: 1),
                                   paid: try row.decode(atIndex: 2))
        }
    }

    public func addToCounters(sessions: Int, paymentIntents: Int, paid: Int) throws {
        try withWriteDB { db in
            try db.cachedStatement(sql: "UPDATE counters SET sessions = sessions + ?, payment_intents = payment_intents + ?, paid = paid + ? WHERE id = 1").execute(
                           arguments: [sessions, paymentIntents, paid])
        }
    }

    @discardableResult
    public func appendJournal(_ entry: JournalEntry) throws -> Int64 {
        guard let db else { return try transaction { try appendJournal(entry) } }
        return try pendingJournal.append(entry) { try Self.lastJournalSequence(db) }
    }

    public func journalCount() throws -> Int {
        try flushJournal()
        return try withDB { db in try Int.fetchOne(try db.cachedStatement(sql: "SELECT IFNULL(MAX(seq), 0) FROM journal")) ?? 0 }
    }

    public func recentJournal(limit: Int) throws -> [JournalEntry] {
        try flushJournal()
        return try reading { hot in
            try hot.rows(sql: "SELECT \(Self.journalColumns) FROM journal ORDER BY seq DESC LIMIT ?", bind: { $0.bind(Int64(limit)) },
                         Self.journalEntry)
                .reversed()
        }
    }

    public func journal(after sequence: Int64, limit: Int) throws -> [JournalEntry] {
        try flushJournal()
        return try reading { hot in
            try hot.rows(sql: "SELECT \(Self.journalColumns) FROM journal WHERE seq > ? ORDER BY seq LIMIT ?",
                         bind: { $0.bind(sequence); $0.bind(Int64(limit)) }, Self.journalEntry)
        }
    }

    // MARK: - Armed rules, shared by every process on the directory

    public var sharesRules: Bool { true }

    public func loadRules() throws -> RuleQueue? {
        // Read already in this transaction: nobody else can have changed it since.
        if db != nil, rulesReadInTransaction, let cached = rulesCache { return cached.rules }
        return try withDB { db in
            guard let text = try String.fetchOne(try db.cachedStatement(sql: "SELECT queue FROM armed_rules WHERE id = 1")) else {
                // None armed yet, or another process reset the directory: the database is the truth.
                rulesCache = nil
                return RuleQueue()
            }
            // Every request reads the queue: decoded again only when another process changed it.
            rulesReadInTransaction = self.db != nil
            if let cached = rulesCache, cached.text == text { return cached.rules }
            // Text another program wrote there is no queue of ours: no rules, rather than a trap.
            let rules = (try? JSONDecoder().decode(RuleQueue.self, from: Data(text.utf8))) ?? RuleQueue()
            rulesCache = (text, rules)
            return rules
        }
    }

    public func saveRules(_ rules: RuleQueue) throws {
        // Most requests fire no rule: nothing to write then.
        if let cached = rulesCache, cached.rules == rules { return }
        let text = String(decoding: try JSONEncoder().encode(rules), as: UTF8.self)
        try withWriteDB { db in
            try db.cachedStatement(sql: "INSERT INTO armed_rules (id, queue) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET queue = excluded.queue").execute(
                           arguments: [text])
        }
        rulesCache = (text, rules)
        rulesReadInTransaction = db != nil
    }

    public func removeEverything() throws {
        try flushJournal()
        rows.removeAll()
        try withWriteDB { db in
            // The journal's numbers go on from where they were, for `journal?after=N` pollers.
            try db.execute(sql: "INSERT INTO journal_emptied (id, last_seq) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET last_seq = excluded.last_seq",
                           arguments: [try Self.lastJournalSequence(db)])
            try db.execute(sql: """
                DELETE FROM sessions; DELETE FROM payment_intents; DELETE FROM journal; DELETE FROM armed_rules; DELETE FROM journal_pruned;
                UPDATE counters SET sessions = 0, payment_intents = 0, paid = 0;
                """)
        }
        rulesCache = nil
        rulesReadInTransaction = false
    }

    /// Empties the row cache, and forgets the journal's last number and the armed rules,
    /// when another connection committed since they were known; else the armed rules last
    /// read or written are still the database's, and are not read again.
    private func forgetCachesIfChanged(_ db: Database) throws {
        let version = try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA data_version"))
        guard version == nil || version != rowsVersion else {
            if rulesCache != nil { rulesReadInTransaction = true }
            return
        }
        rows.removeAll()
        clockCache = nil
        pendingJournal.forgetCommitted()
        // A transaction that reads no rule (a payment) must not leave the old ones trusted.
        rulesCache = nil
        rowsVersion = version
    }

    /// Inserts the transaction's journal lines kept so far (none outside a transaction).
    private func flushJournal() throws {
        guard let db, !pendingJournal.lines.isEmpty else { return }
        let hot = try hotPath(db, writer: true)
        try pendingJournal.flush { sql, bind in try hot.execute(sql: sql, bind) }
    }

    /// The highest journal number ever given (numbers of removed lines are not given
    /// again): the highest in the table, or the last before the journal was emptied (or
    /// the counter of a journal made with `AUTOINCREMENT`, kept there by its migration), if higher.
    private static func lastJournalSequence(_ db: Database) throws -> Int64 {
        let inTable = try Int64.fetchOne(db.cachedStatement(sql: "SELECT IFNULL(MAX(seq), 0) FROM journal")) ?? 0
        let emptied = try Int64.fetchOne(db.cachedStatement(sql: "SELECT last_seq FROM journal_emptied WHERE id = 1")) ?? 0
        return max(inTable, emptied)
    }

    // MARK: - Rows

    private static let journalColumns = "seq, at, kind, method, detail"

    private static func journalEntry(_ row: SQLiteHotPath.Reader) throws -> JournalEntry {
        JournalEntry(sequence: try row.int64(0, "seq"), atMillis: try row.int64(1, "at"),
                     kind: JournalEntry.Kind(rawValue: try row.text(2, "kind")) ?? .request,
                     method: try row.text(3, "method"), detail: try row.text(4, "detail"))
    }

    /// Rows are read strictly: a NULL or a value of the wrong type written by another
    /// program is an error, never a trap. Columns as `SQLiteHotPath` lists them.
    private static func session(_ row: SQLiteHotPath.Reader) throws -> PaymentSession {
        PaymentSession(key: try row.text(0, "key"), paymentIntentID: try row.text(1, "payment_intent_id"),
                       status: SessionStatus(rawValue: try row.text(2, "status")) ?? .expired,
                       createdAtMillis: try millis(row, 3, "created_at"), lastValidatedAtMillis: try millis(row, 4, "last_validated_at"))
    }

    private static func intent(_ row: SQLiteHotPath.Reader) throws -> PaymentIntent {
        PaymentIntent(id: try row.text(0, "id"), sessionKey: try row.text(1, "session_key"),
                      amountCents: try row.int64(2, "amount"), currency: try row.text(3, "currency"),
                      status: IntentStatus(rawValue: try row.text(4, "status")) ?? .canceled,
                      clientSecret: try row.text(5, "client_secret"), updatedAtMillis: try millis(row, 6, "updated_at"))
    }

    /// A timestamp this program could have written, so that time arithmetic cannot overflow.
    private static func millis(_ row: SQLiteHotPath.Reader, _ index: Int32, _ column: String) throws -> Int64 {
        let value = try row.int64(index, column)
        guard (0...maxMillis).contains(value) else {
            throw BackendStoreError.unusable("\(fileName) holds a time out of range in \(column)")
        }
        return value
    }
}

/// Why the backend's store cannot be used right now, in words.
public enum BackendStoreError: Error, CustomStringConvertible, Equatable {
    /// Another process holds the database locked; trying again later may work.
    case locked
    /// The store cannot be used until the user acts (a read-only folder, a full disk).
    case unusable(String)
    /// A newer checkout-sim wrote `file`: it records `migrations` this one does not know.
    /// It is left as it is.
    case newer(file: String, migrations: [String])

    public var description: String {
        switch self {
        case .locked: "waiting for another tab (database locked)"
        case .unusable(let reason): reason
        case let .newer(file, migrations):
            "\(file) was written by a newer checkout-sim (migrations this one does not know: \(UntrustedText.escapedList(migrations.prefix(3)))); "
                + "it is left as it is: open it with that checkout-sim, or use another state directory"
        }
    }
}
