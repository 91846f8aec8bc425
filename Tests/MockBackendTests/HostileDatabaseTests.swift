import CheckoutCore
import Foundation
import GRDB
import Testing
@testable import MockBackend
import TestSupport

/// Database files this program did not write, and databases another process holds.
@Suite("Hostile and locked backend databases")
struct HostileDatabaseTests {
    private let temporary = TemporaryDirectory("cs-hostile-db")

    /// Writes a database with `sql` into `dir`/backend.sqlite (rollback journal, as another program would).
    private func makeDatabase(_ dir: URL, _ sql: String) throws -> Data {
        let path = dir.appendingPathComponent("backend.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: sql) }
        try queue.close()
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    private let ourSchema = """
        CREATE TABLE sessions (key TEXT PRIMARY KEY, payment_intent_id TEXT NOT NULL, status TEXT NOT NULL,
          created_at INTEGER NOT NULL, last_validated_at INTEGER NOT NULL, seq INTEGER NOT NULL);
        CREATE TABLE payment_intents (id TEXT PRIMARY KEY, session_key TEXT NOT NULL, amount INTEGER NOT NULL, currency TEXT NOT NULL,
          status TEXT NOT NULL, client_secret TEXT NOT NULL, updated_at INTEGER NOT NULL, seq INTEGER NOT NULL);
        CREATE TABLE journal (seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, kind TEXT NOT NULL, method TEXT NOT NULL, detail TEXT NOT NULL);
        """

    @Test("values we never write are moved aside unaltered, reported, and the backend starts fresh", arguments: [
        "CREATE TABLE counters(id, sessions, payment_intents, paid); INSERT INTO counters VALUES (1, NULL, 0, 0);",
        "CREATE TABLE counters(id, sessions, payment_intents, paid); INSERT INTO counters VALUES (1, 'many', 0, 0);",
        "CREATE TABLE counters(id, sessions, payment_intents, paid); INSERT INTO counters VALUES (1, 9223372036854775807, 0, 0);",
        "CREATE TABLE counters(id, sessions, payment_intents, paid); INSERT INTO counters VALUES (1, -5, 0, 0);",
        "CREATE TABLE unrelated(x, y); INSERT INTO unrelated VALUES (1, 2);",
        "CREATE TABLE sessions(key); INSERT INTO sessions VALUES ('k');",
        "CREATE TABLE counters(id, sessions, payment_intents, paid); CREATE VIEW v AS SELECT 1;",
        "CREATE TABLE journal_emptied(id, last_seq); INSERT INTO journal_emptied VALUES (1, 'many');",
        "CREATE TABLE journal_emptied(id, last_seq); INSERT INTO journal_emptied VALUES (1, -1);",
        "CREATE TABLE journal_pruned(id, last_seq, count); INSERT INTO journal_pruned VALUES (1, 'many', 1);",
        "CREATE TABLE journal_pruned(id, last_seq, count); INSERT INTO journal_pruned VALUES (1, 5, -1);",
        "CREATE TABLE journal_pruned(id, last_seq); INSERT INTO journal_pruned VALUES (1, 5);",
        "CREATE TABLE clock(id, offset_millis); INSERT INTO clock VALUES (1, 'soon');",
        "CREATE TABLE clock(id, offset_millis); INSERT INTO clock VALUES (1, 9223372036854775807);",
        "CREATE TABLE clock(id, offset_millis); INSERT INTO clock VALUES (1, -1);",
    ])
    func notOurs(sql: String) throws {
        let dir = temporary.folder()
        let original = try makeDatabase(dir, sql)
        let harness = BackendHarness(store: try SQLiteBackendStore(directory: dir))
        #expect(harness.counters == BackendCounters())
        #expect(harness.validate().response != nil, "the fresh backend works")
        let notices = harness.backend.store.drainNotices()
        #expect(notices.count == 1 && notices[0].contains("moved aside to backend.sqlite.corrupt-"), "\(notices)")
        let aside = try #require(try FileManager.default.contentsOfDirectory(atPath: dir.path).first { $0.hasPrefix("backend.sqlite.corrupt-") && !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") })
        #expect(try Data(contentsOf: dir.appendingPathComponent(aside)) == original, "the file moved aside was altered")
    }

    @Test("rows with times or amounts out of range are moved aside, never subtracted", arguments: [
        "INSERT INTO sessions VALUES ('k', 'pi', 'open', -9223372036854775808, 0, 1);",
        "INSERT INTO sessions VALUES ('k', 'pi', 'open', 0, 1.5, 1);",
        "INSERT INTO payment_intents VALUES ('pi', 'k', 9223372036854775807, 'EUR', 'succeeded', 's', 0, 1);",
        "INSERT INTO payment_intents VALUES ('pi', 'k', 100, 'EUR', x'00ff', 's', 0, 1);",
    ])
    func outOfRangeRows(sql: String) throws {
        let dir = temporary.folder()
        _ = try makeDatabase(dir, ourSchema + "CREATE TABLE counters (id INTEGER PRIMARY KEY, sessions INTEGER NOT NULL, payment_intents INTEGER NOT NULL, paid INTEGER NOT NULL);" + sql)
        let harness = BackendHarness(store: try SQLiteBackendStore(directory: dir))
        #expect(harness.validate(key: "k").response != nil)
        #expect(harness.backend.store.drainNotices().first?.contains("never writes") == true)
    }

    @Test("a truncated database is moved aside")
    func truncated() throws {
        let dir = temporary.folder()
        let full = try makeDatabase(dir, ourSchema + "INSERT INTO journal (at, kind, method, detail) VALUES " +
                                    (1...200).map { "(\($0), 'request', 'm', '\(String(repeating: "x", count: 100))')" }.joined(separator: ",") + ";")
        try full.prefix(full.count / 2 + 100).write(to: dir.appendingPathComponent("backend.sqlite"))
        let harness = BackendHarness(store: try SQLiteBackendStore(directory: dir))
        #expect(harness.validate().response != nil)
        #expect(harness.backend.store.drainNotices().first?.contains("moved aside") == true)
    }

    @Test("a dangling symbolic link is refused; nothing is created outside the state directory")
    func danglingLink() throws {
        let dir = temporary.folder()
        let outside = temporary.folder().appendingPathComponent("elsewhere.sqlite")
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("backend.sqlite").path, withDestinationPath: outside.path)
        #expect(throws: StateFileError.symbolicLink("backend.sqlite")) { try SQLiteBackendStore(directory: dir) }
        #expect(!FileManager.default.fileExists(atPath: outside.path))
    }

    @Test("a database another process holds locked is waited for, never moved aside")
    func lockedIsNotCorrupt() throws {
        let dir = temporary.folder()
        // A database of ours, then another connection takes the write lock and keeps it.
        let first = BackendHarness(store: try SQLiteBackendStore(directory: dir))
        #expect(first.validate().response != nil)
        var holding = Configuration()
        holding.allowsUnsafeTransactions = true  // the lock outlives one access, as another process's would
        let other = try DatabaseQueue(path: dir.appendingPathComponent("backend.sqlite").path, configuration: holding)
        try other.inDatabase { try $0.execute(sql: "BEGIN EXCLUSIVE; INSERT INTO journal (at, kind, method, detail) VALUES (1, 'request', 'x', 'y')") }

        let store = try SQLiteBackendStore(directory: dir, busyTimeout: 0.05)
        #expect(throws: BackendStoreError.locked) { try store.addToCounters(sessions: 1, paymentIntents: 0, paid: 0) }
        #expect(store.unavailableReason == "waiting for another tab (database locked)")
        let waiting = BackendHarness(store: store)
        #expect(waiting.validate().status?.message.contains("database locked") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).allSatisfy { !$0.contains(".corrupt-") })

        try other.inDatabase { try $0.execute(sql: "ROLLBACK") }
        #expect(waiting.validate().response != nil, "works once the other tab lets go")
        #expect(store.unavailableReason == nil)
        #expect(store.drainNotices().isEmpty)
        #expect(waiting.counters.sessions == 2)
    }
}
