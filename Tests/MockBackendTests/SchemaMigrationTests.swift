import CheckoutCore
import Foundation
import GRDB
import Testing
@testable import MockBackend

/// State directories older releases wrote, and one a newer release wrote.
@Suite("The backend database's schema and its migrations")
struct SchemaMigrationTests {
    private func tempDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cs-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func databasePath(_ dir: URL) -> String { dir.appendingPathComponent(SQLiteBackendStore.fileName).path }

    /// The database files in `dir` a store moved aside (not their WAL and shared memory).
    private func movedAside(_ dir: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.contains(".corrupt-") && !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") }
    }

    // MARK: - Files of older releases

    @Test("a file an older release wrote opens, gets the current schema and keeps its data", arguments: OldRelease.allCases)
    func oldFileIsMigrated(release: OldRelease) throws {
        let dir = try tempDirectory()
        let queue = try DatabaseQueue(path: databasePath(dir))
        try queue.write { db in try db.execute(sql: release.schema + release.data) }
        try queue.close()

        let store = try SQLiteBackendStore(directory: dir)
        #expect(try store.session(key: "k-old") == PaymentSession(key: "k-old", paymentIntentID: "pi-old", status: .open,
                                                                   createdAtMillis: 1_000, lastValidatedAtMillis: 2_000))
        #expect(try store.intent(id: "pi-old") == PaymentIntent(id: "pi-old", sessionKey: "k-old", amountCents: 1_250, currency: "EUR",
                                                                 status: .requiresPaymentMethod, clientSecret: "pi-old_secret",
                                                                 updatedAtMillis: 2_000))
        #expect(try store.counters() == BackendCounters(sessions: 1, paymentIntents: 1, paid: 0))
        #expect(try store.recentJournal(limit: 10).map(\.sequence) == release.journalKept)
        #expect(try store.recentJournal(limit: 10).last?.text == "line \(release.journalKept.last ?? 0)")
        #expect(try store.loadRules() == release.rules)
        #expect(try store.clockOffset() == release.clockOffset)
        #expect(store.drainNotices().isEmpty, "the file was not taken for a foreign one")
        #expect(try movedAside(dir).isEmpty)

        // Journal numbers go on after the highest ever given, never reusing a deleted line's.
        #expect(try store.appendJournal(JournalEntry(atMillis: 3_000, kind: .request, method: "m", detail: "new")) == release.nextJournalNumber)

        let migrated = try DatabaseQueue(path: databasePath(dir))
        defer { try? migrated.close() }
        try migrated.read { db in
            #expect(try SQLiteSchema.tables(in: db) == SQLiteSchema.tables(through: SQLiteSchema.migrator.migrations.last!))
            #expect(try SQLiteSchema.migrator.appliedMigrations(db) == SQLiteSchema.migrator.migrations)
            let journal = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'journal'")
            #expect(journal?.contains("AUTOINCREMENT") == false)
        }
        #expect(BackendHarness(store: store).validate().response != nil, "the migrated store works")
    }

    @Test("a file that records the migrations opens again without change, and is held to them")
    func currentFileReopens() throws {
        let dir = try tempDirectory()
        #expect(BackendHarness(store: try SQLiteBackendStore(directory: dir)).validate().response != nil)
        let reopened = try SQLiteBackendStore(directory: dir)
        #expect(try reopened.counters().sessions == 1)
        #expect(reopened.drainNotices().isEmpty)

        let queue = try DatabaseQueue(path: databasePath(dir))
        try queue.write { db in try db.execute(sql: "DROP TABLE clock") }
        try queue.close()
        let damaged = try SQLiteBackendStore(directory: dir)
        #expect(try damaged.counters() == BackendCounters())
        #expect(damaged.drainNotices().first?.contains("it has no table clock") == true)
        #expect(try movedAside(dir).count == 1)
    }

    @Test("every value range the check holds names a column of the schema")
    func rangesNameColumns() throws {
        let tables = try SQLiteSchema.tables(through: SQLiteSchema.migrator.migrations.last!)
        for (table, ranges) in SQLiteSchemaCheck.ranges {
            let columns = try #require(tables[table], "no table \(table)").map(\.name)
            for column in ranges.keys { #expect(columns.contains(column), "\(table) has no column \(column)") }
        }
    }

    // MARK: - A file of a newer release

    /// A database of ours, as a newer release leaves it: a migration this one does not know,
    /// and the table it made. Returns its bytes.
    private func newerDatabase(_ dir: URL) throws -> Data {
        let path = databasePath(dir)
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO grdb_migrations (identifier) VALUES ('from_a_later_release');
                CREATE TABLE later (x TEXT NOT NULL);
                """)
        }
        try queue.close()
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    @Test("a database a newer checkout-sim wrote is refused at once, and left where it is as it is")
    func newerIsRefused() throws {
        let dir = try tempDirectory()
        #expect(BackendHarness(store: try SQLiteBackendStore(directory: dir)).validate().response != nil)
        let before = try newerDatabase(dir)

        let refusal = BackendStoreError.newer(file: databasePath(dir), migrations: ["from_a_later_release"])
        #expect(throws: refusal) { try SQLiteBackendStore(directory: dir) }
        #expect(refusal.description.hasPrefix("\(databasePath(dir)) was written by a newer checkout-sim"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: databasePath(dir))) == before)
        #expect(try movedAside(dir).isEmpty)
    }

    @Test("a newer checkout-sim's database found on opening is refused on every use, never moved aside")
    func newerFoundOnOpening() throws {
        let dir = try tempDirectory()
        #expect(BackendHarness(store: try SQLiteBackendStore(directory: dir)).validate().response != nil)
        let store = try SQLiteBackendStore(directory: dir)
        let before = try newerDatabase(dir)

        let refusal = BackendStoreError.newer(file: databasePath(dir), migrations: ["from_a_later_release"])
        #expect(throws: refusal) { try store.counters() }
        #expect(store.unavailableReason == refusal.description)
        #expect(BackendHarness(store: store).validate().status?.message.contains("newer checkout-sim") == true)
        #expect(throws: refusal) { try store.counters() }
        #expect(try Data(contentsOf: URL(fileURLWithPath: databasePath(dir))) == before)
        #expect(try movedAside(dir).isEmpty)
        #expect(store.drainNotices().isEmpty)
    }

    @Test("migrating refuses a newer database rather than adding what this release knows to it")
    func migrateRefusesNewer() throws {
        let dir = try tempDirectory()
        let pool = try DatabasePool(path: databasePath(dir))
        try SQLiteSchema.migrator.migrate(pool, upTo: "initial")
        try pool.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('from_a_later_release')") }

        #expect(throws: BackendStoreError.newer(file: databasePath(dir), migrations: ["from_a_later_release"])) {
            try SQLiteSchema.migrate(pool)
        }
        #expect(try pool.read { db in try SQLiteSchema.migrator.appliedMigrations(db) } == ["initial"])
    }
}

/// The schemas releases wrote before the migrations were recorded, as they wrote them, with
/// the same data in each. Copied from those releases on purpose, not from `SQLiteSchema`:
/// an edit to a shipped migration must not change what these tests open.
enum OldRelease: String, CaseIterable, CustomTestStringConvertible {
    /// The first release: no armed rules, a journal numbered by AUTOINCREMENT.
    case first
    /// Rules armed in the database.
    case armedRules
    /// A file of the first release, then opened by every release up to the last before the
    /// migrations: every table, the journal still with AUTOINCREMENT.
    case firstUpgraded
    /// A file the last release before the migrations made: every table, a journal without AUTOINCREMENT.
    case lastUnrecorded

    var testDescription: String { rawValue }

    private static let firstTables = """
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

        """
    private static let autoincrementJournal = """
        CREATE TABLE IF NOT EXISTS journal (
          seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, kind TEXT NOT NULL,
          method TEXT NOT NULL, detail TEXT NOT NULL);

        """
    private static let plainJournal = """
        CREATE TABLE IF NOT EXISTS journal (
          seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, kind TEXT NOT NULL,
          method TEXT NOT NULL, detail TEXT NOT NULL);

        """
    private static let armedRulesTable = """
        CREATE TABLE IF NOT EXISTS armed_rules (id INTEGER PRIMARY KEY CHECK (id = 1), queue TEXT NOT NULL);

        """
    private static let laterTables = """
        CREATE TABLE IF NOT EXISTS journal_emptied (id INTEGER PRIMARY KEY CHECK (id = 1), last_seq INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS armed_rules (id INTEGER PRIMARY KEY CHECK (id = 1), queue TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS journal_pruned (id INTEGER PRIMARY KEY CHECK (id = 1), last_seq INTEGER NOT NULL, count INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS clock (id INTEGER PRIMARY KEY CHECK (id = 1), offset_millis INTEGER NOT NULL);

        """

    var schema: String {
        switch self {
        case .first: Self.firstTables + Self.autoincrementJournal
        case .armedRules: Self.firstTables + Self.autoincrementJournal + Self.armedRulesTable
        case .firstUpgraded: Self.firstTables + Self.autoincrementJournal + Self.laterTables
        case .lastUnrecorded: Self.firstTables + Self.plainJournal + Self.laterTables
        }
    }

    var rules: RuleQueue {
        var rules = RuleQueue()
        if self != .first { rules.arm(.rotate, .times(2)) }
        return rules
    }

    /// A session, its PaymentIntent, armed rules where the schema has them, and journal lines
    /// of which the newest were deleted: by a reset where the journal keeps the last number
    /// (`journal_emptied`), else below AUTOINCREMENT's counter.
    var data: String {
        var sql = """
            INSERT INTO sessions VALUES ('k-old', 'pi-old', 'open', 1000, 2000, 1);
            INSERT INTO payment_intents VALUES ('pi-old', 'k-old', 1250, 'EUR', 'requires_payment_method', 'pi-old_secret', 2000, 1);
            UPDATE counters SET sessions = 1, payment_intents = 1;
            INSERT INTO journal (seq, at, kind, method, detail) VALUES
              (1, 1000, 'request', 'm', 'line 1'), (2, 1000, 'request', 'm', 'line 2'), (3, 1000, 'request', 'm', 'line 3'),
              (4, 1000, 'request', 'm', 'line 4'), (5, 1000, 'request', 'm', 'line 5');
            DELETE FROM journal WHERE seq > 3;

            """
        if self != .first {
            let text = String(decoding: try! JSONEncoder().encode(rules), as: UTF8.self).replacingOccurrences(of: "'", with: "''")
            sql += "INSERT INTO armed_rules VALUES (1, '\(text)');\n"
        }
        if self == .lastUnrecorded {
            sql += "INSERT INTO journal_emptied VALUES (1, 5);\nINSERT INTO clock VALUES (1, 1234);\n"
        }
        return sql
    }

    var journalKept: [Int64] { [1, 2, 3] }
    var nextJournalNumber: Int64 { 6 }
    var clockOffset: Int64 { self == .lastUnrecorded ? 1234 : 0 }
}
