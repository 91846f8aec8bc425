import Foundation
import GRDB
import Testing
@testable import MockBackend
import TestSupport

@Suite("SQLite persistence")
struct SQLiteStoreTests {
    private let temporary = TemporaryDirectory("checkout-sim-db")

    @Test("sessions survive a restart, and two backends on one directory share them")
    func sharedState() throws {
        let dir = temporary.folder()
        let tabA = BackendHarness(seed: 1, store: try SQLiteBackendStore(directory: dir))
        let tabB = BackendHarness(seed: 1, store: try SQLiteBackendStore(directory: dir))
        let first = try #require(tabA.validate().response)
        let again = try #require(tabB.validate(key: first.idempotencyKey).response)
        #expect(again.idempotencyKey == first.idempotencyKey)
        let fromB = try #require(tabB.validate().response)
        #expect(fromB.idempotencyKey != first.idempotencyKey, "the same seed in two tabs never reuses a key")
        let restarted = BackendHarness(seed: nil, store: try SQLiteBackendStore(directory: dir))
        #expect(restarted.counters.sessions == 2)
        #expect(try restarted.backend.store.recentSessions(limit: 10).count == 2)
        #expect(try restarted.backend.store.journalCount() > 0)
    }

    @Test("a rule armed in one process fires for another's next request, and is consumed for both")
    func sharedRules() throws {
        let dir = temporary.folder()
        let server = BackendHarness(seed: 1, store: try SQLiteBackendStore(directory: dir))
        let shell = BackendHarness(seed: 2, store: try SQLiteBackendStore(directory: dir))
        shell.backend.arm(.paymentAlreadyCompleted, .times(2), storedKey: nil, nowMillis: shell.now)
        shell.backend.arm(.rotate, storedKey: nil, nowMillis: shell.now)
        server.backend.refreshRules()
        #expect(server.backend.rules.rules.map(\.kind) == [.paymentAlreadyCompleted, .rotate])
        #expect(server.validate().status?.code == .failedPrecondition)
        #expect(shell.validate().status?.code == .failedPrecondition)
        let first = try #require(server.validate().response)
        #expect(first.idempotencyKey.isEmpty == false)
        shell.backend.refreshRules()
        #expect(shell.backend.rules.rules.isEmpty)
        // A queue another program wrote is no queue: no rules, never a trap.
        shell.backend.arm(.rotate, storedKey: nil, nowMillis: shell.now)
        let database = try DatabaseQueue(path: dir.appendingPathComponent(SQLiteBackendStore.fileName).path)
        try database.write { try $0.execute(sql: "UPDATE armed_rules SET queue = '{\"rules\": 7}'") }
        try database.close()
        let reopened = BackendHarness(seed: 3, store: try SQLiteBackendStore(directory: dir))
        reopened.backend.refreshRules()
        #expect(reopened.backend.rules.rules.isEmpty)
        #expect(reopened.validate().response != nil)
    }

    @Test("a transaction inside another is a savepoint: its failure undoes its own writes, the enclosing ones commit")
    func nestedTransactionRollsBackAlone() throws {
        struct Boom: Error {}
        let store = try SQLiteBackendStore(directory: temporary.folder())
        let session = PaymentSession(key: "k-nested", paymentIntentID: "pi_nested", status: .open, createdAtMillis: 1, lastValidatedAtMillis: 1)
        try store.transaction {
            try store.appendJournal(JournalEntry(atMillis: 1, kind: .arrival, method: "m", detail: "before"))
            #expect(throws: Boom.self) {
                try store.transaction {
                    try store.saveSession(session)
                    try store.addToCounters(sessions: 1, paymentIntents: 0, paid: 0)
                    throw Boom()
                }
            }
            #expect(try store.session(key: "k-nested") == nil)
            _ = try store.transaction { try store.appendJournal(JournalEntry(atMillis: 2, kind: .response, method: "m", detail: "after")) }
        }
        #expect(try store.journal(after: 0, limit: 10).map(\.text) == ["before", "after"])
        #expect(try store.session(key: "k-nested") == nil)
        #expect(try store.counters().sessions == 0)
    }

    @Test("sessions and PaymentIntents read back as written")
    func rowsReadBack() throws {
        let store = try SQLiteBackendStore(directory: temporary.folder())
        let session = PaymentSession(key: "k1", paymentIntentID: "pi_1", status: .rotated, createdAtMillis: 5, lastValidatedAtMillis: 9)
        let intent = PaymentIntent(id: "pi_1", sessionKey: "k1", amountCents: 2340, currency: "EUR", status: .processing,
                                   clientSecret: "pi_1_secret_x", updatedAtMillis: 7)
        try store.saveSession(session)
        try store.saveIntent(intent)
        #expect(try store.session(key: "k1") == session)
        #expect(try store.intent(id: "pi_1") == intent)
        #expect(try store.session(key: "k2") == nil)
        #expect(try store.recentSessions(limit: 5) == [session])
        #expect(try store.recentIntents(limit: 5) == [intent])
    }

    @Test("hostile and empty strings round-trip byte for byte, inside a transaction and outside")
    func stringsRoundTrip() throws {
        let store = try SQLiteBackendStore(directory: temporary.folder())
        let keys = ["", "a\u{0}b", "\u{0}", "'; DROP TABLE sessions; --", "日本語🛒\u{202E}", String(repeating: "k", count: 10_000)]
        for (n, key) in keys.enumerated() {
            let session = PaymentSession(key: key, paymentIntentID: "pi_\(n)", status: .open, createdAtMillis: 1, lastValidatedAtMillis: 2)
            try store.saveSession(session)
            #expect(try store.session(key: key) == session, "outside a transaction: \(key.debugDescription)")
            #expect(try store.transaction { try store.session(key: key) } == session, "inside: \(key.debugDescription)")
            let entry = JournalEntry(atMillis: 3, kind: .request, method: key, detail: key)
            let sequence = try store.transaction { try store.appendJournal(entry) }
            let read = try #require(try store.journal(after: sequence - 1, limit: 1).first)
            #expect(read.method == key && read.text == key && read.sequence == sequence)
        }
        #expect(try store.session(key: "a") == nil, "a key is never cut at its NUL")
        #expect(try store.recentSessions(limit: 100).count == keys.count)
    }

    @Test("a value of another type written behind the store's back is an error on read, never a trap")
    func wrongTypesAreErrors() throws {
        let dir = temporary.folder()
        let store = try SQLiteBackendStore(directory: dir)
        try store.saveSession(PaymentSession(key: "k", paymentIntentID: "pi", status: .open, createdAtMillis: 1, lastValidatedAtMillis: 2))
        try store.saveIntent(PaymentIntent(id: "pi", sessionKey: "k", amountCents: 5, currency: "EUR", status: .processing,
                                           clientSecret: "s", updatedAtMillis: 3))
        let other = try DatabaseQueue(path: dir.appendingPathComponent(SQLiteBackendStore.fileName).path)
        try other.write { db in
            try db.execute(sql: "UPDATE sessions SET last_validated_at = 'soon'; UPDATE payment_intents SET client_secret = x'00'")
        }
        try other.close()
        for read in [{ _ = try store.session(key: "k") }, { _ = try store.transaction { try store.session(key: "k") } },
                     { _ = try store.intent(id: "pi") }, { _ = try store.recentIntents(limit: 1) }] as [() throws -> Void] {
            let error = #expect(throws: BackendStoreError.self) { try read() }
            #expect("\(error.map(String.init(describing:)) ?? "")".contains("backend.sqlite holds a value that is not"))
        }
    }

    @Test("an unreadable database is moved aside, reported, and replaced", arguments: [
        Data(), Data("this is not a database, just text".utf8), Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) }),
    ])
    func corruptDatabase(content: Data) throws {
        let dir = temporary.folder()
        let url = dir.appendingPathComponent(SQLiteBackendStore.fileName)
        try content.write(to: url)
        let store = try SQLiteBackendStore(directory: dir)
        let harness = BackendHarness(store: store)
        #expect(harness.validate().response != nil)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        if !content.isEmpty {
            #expect(store.drainNotices().first?.contains("moved aside") == true)
            let aside = try #require(files.first { $0.contains(".corrupt-") && !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") })
            #expect(FileManager.default.contents(atPath: dir.appendingPathComponent(aside).path) == content)
        }
    }
}

@Suite("Two tabs on one database")
struct TwoTabsTests {
    private let temporary = TemporaryDirectory("checkout-sim-tabs")

    @Test("concurrent writers never see 'database is locked' and never lose a session")
    func concurrentTabs() async throws {
        let dir = temporary.url, path = dir
        let failures = await withTaskGroup(of: Int.self) { group in
            for tab in 0..<2 {
                group.addTask {
                    let harness = BackendHarness(seed: UInt64(tab), store: try! SQLiteBackendStore(directory: path))
                    return (0..<150).filter { _ in harness.validate().response == nil }.count
                }
            }
            return await group.reduce(0, +)
        }
        #expect(failures == 0)
        let store = try SQLiteBackendStore(directory: dir)
        #expect(try store.counters().sessions == 300)
        #expect(try store.recentSessions(limit: 1000).count == 300)
    }
}
