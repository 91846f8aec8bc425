import GRDB

/// The backend database's schema, in one place: the named migrations that build it, in
/// order. `SQLiteSchemaCheck` compares a file with what they make (`tables(through:)`),
/// and the statements that read and write rows name its columns.
///
/// To change the schema, append a migration with a new name; never edit, rename or remove
/// one a release has shipped. Files written before the migrations were recorded have the
/// tables of some of the first ones and no record of any: each of those creates only what
/// is missing, so such a file gets the rest.
enum SQLiteSchema {
    /// The last of the migrations a file written before they were recorded (in
    /// `grdb_migrations`) may have had.
    static let lastUnrecorded = "clock"

    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        // The first release's tables; its journal numbered its lines with AUTOINCREMENT.
        migrator.registerMigration("initial") { db in
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
                INSERT OR IGNORE INTO counters (id, sessions, payment_intents, paid) VALUES (1, 0, 0, 0);
                CREATE TABLE IF NOT EXISTS journal (
                  seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, kind TEXT NOT NULL,
                  method TEXT NOT NULL, detail TEXT NOT NULL);
                """)
        }
        // The rules armed in one process and fired by every other on the directory.
        migrator.registerMigration("armed_rules") { db in
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS armed_rules (id INTEGER PRIMARY KEY CHECK (id = 1), queue TEXT NOT NULL)")
        }
        // The last journal number given before a reset: numbers are never given twice.
        migrator.registerMigration("journal_emptied") { db in
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS journal_emptied (id INTEGER PRIMARY KEY CHECK (id = 1), last_seq INTEGER NOT NULL)")
        }
        migrator.registerMigration("journal_without_autoincrement", migrate: dropJournalCounter)
        // How many of the oldest journal lines its limit deleted, and the number of the last.
        migrator.registerMigration("journal_pruned") { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS journal_pruned (id INTEGER PRIMARY KEY CHECK (id = 1), last_seq INTEGER NOT NULL, count INTEGER NOT NULL)
                """)
        }
        // How far `POST /__admin/clock` moved the backend's clock, for every process on the directory.
        migrator.registerMigration("clock") { db in
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS clock (id INTEGER PRIMARY KEY CHECK (id = 1), offset_millis INTEGER NOT NULL)")
        }
        return migrator
    }()

    /// A journal made with AUTOINCREMENT is made again without it (SQLite's counter costs
    /// every commit a page of the WAL; `PendingJournal` numbers the lines). The counter's
    /// value is kept as the last number given, so that no number is given twice.
    private static func dropJournalCounter(_ db: Database) throws {
        let definition = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'journal'")
        guard let definition, definition.uppercased().contains("AUTOINCREMENT") else { return }
        // No counter until a line went in (nor one that is not a number, in a file another program changed).
        if let counter = (try? Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'journal'")) ?? nil {
            try db.execute(sql: """
                INSERT INTO journal_emptied (id, last_seq) VALUES (1, ?)
                  ON CONFLICT(id) DO UPDATE SET last_seq = MAX(last_seq, excluded.last_seq)
                """, arguments: [counter])
        }
        try db.execute(sql: """
            CREATE TABLE journal_rebuilt (
              seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, kind TEXT NOT NULL, method TEXT NOT NULL, detail TEXT NOT NULL);
            INSERT INTO journal_rebuilt (seq, at, kind, method, detail) SELECT seq, at, kind, method, detail FROM journal;
            DROP TABLE journal;
            ALTER TABLE journal_rebuilt RENAME TO journal;
            """)
    }

    // MARK: - Applying them

    /// Brings the database up to date. Another process may be migrating the same file: its
    /// migration then fails ours on the name it recorded first, and ours is tried again
    /// while that process makes progress. A database a newer checkout-sim wrote is refused,
    /// left as it is.
    static func migrate(_ pool: DatabasePool) throws {
        // Read under the write lock: a database another process holds is found on opening.
        var applied = try pool.write { db in try migrator.appliedIdentifiers(db) }
        while true {
            let unknown = applied.subtracting(migrator.migrations)
            guard unknown.isEmpty else { throw BackendStoreError.newer(file: pool.path, migrations: unknown.sorted()) }
            do {
                return try migrator.migrate(pool)
            } catch {
                let now = try pool.read { db in try migrator.appliedIdentifiers(db) }
                guard now.count > applied.count else { throw error }
                applied = now
            }
        }
    }

    /// The migrations `db` records that this program does not know (a newer checkout-sim
    /// wrote it), sorted; empty when there are none.
    static func unknownMigrations(in db: Database) throws -> [String] {
        try migrator.appliedIdentifiers(db).subtracting(migrator.migrations).sorted()
    }

    // MARK: - What they make

    /// A column as the schema declares it.
    struct Column: Equatable {
        var name: String
        var type: String
        var notNull: Bool
        var primaryKey: Bool
    }

    /// The tables the migrations make up to `last` (included), with their columns: those
    /// of a database that has had them, `grdb_migrations` included.
    static func tables(through last: String) throws -> [String: [Column]] {
        let memory = try DatabaseQueue()
        try migrator.migrate(memory, upTo: last)
        return try memory.read(tables(in:))
    }

    /// The tables of `db` (not SQLite's own) with their columns.
    static func tables(in db: Database) throws -> [String: [Column]] {
        let names = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        var tables: [String: [Column]] = [:]
        for name in names {
            tables[name] = try db.columns(in: name).map {
                Column(name: $0.name, type: $0.type.uppercased(), notNull: $0.isNotNull, primaryKey: $0.primaryKeyIndex > 0)
            }
        }
        return tables
    }
}
