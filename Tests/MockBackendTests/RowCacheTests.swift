import Foundation
import GRDB
import Testing
@testable import MockBackend
import TestSupport

/// Inside a write transaction, sessions and PaymentIntents are read from what this
/// connection last read or wrote: what is read must always be what the database holds.
@Suite("SQLite store: sessions and PaymentIntents read from the writer's cache")
struct RowCacheTests {
    private let temporary = TemporaryDirectory("checkout-sim-rows")

    private let open = PaymentSession(key: "k1", paymentIntentID: "pi_1", status: .open, createdAtMillis: 1, lastValidatedAtMillis: 1)
    private let intent = PaymentIntent(id: "pi_1", sessionKey: "k1", amountCents: 100, currency: "EUR", status: .requiresPaymentMethod,
                                       clientSecret: "pi_1_secret", updatedAtMillis: 1)

    @Test("another process's commit is seen by the next transaction (a session paid, an amount changed)")
    func anotherProcess() throws {
        let dir = temporary.folder()
        let server = try SQLiteBackendStore(directory: dir), shell = try SQLiteBackendStore(directory: dir)
        try server.transaction {
            try server.saveSession(open)
            try server.saveIntent(intent)
        }
        #expect(try server.transaction { try server.session(key: "k1") }?.status == .open)
        var paid = open
        paid.status = .paid
        var changed = intent
        changed.amountCents = 250
        try shell.transaction {
            try shell.saveSession(paid)
            try shell.saveIntent(changed)
        }
        let (session, read) = try server.transaction { (try server.session(key: "k1"), try server.intent(id: "pi_1")) }
        #expect(session?.status == .paid)
        #expect(read?.amountCents == 250)
        // A program that is not checkout-sim at all.
        let database = try DatabaseQueue(path: dir.appendingPathComponent(SQLiteBackendStore.fileName).path)
        try database.write { try $0.execute(sql: "UPDATE sessions SET last_validated_at = 77 WHERE key = 'k1'") }
        try database.close()
        #expect(try server.transaction { try server.session(key: "k1") }?.lastValidatedAtMillis == 77)
    }

    @Test("a savepoint or a transaction that fails leaves the rows as the database has them")
    func rollbacks() throws {
        struct Boom: Error {}
        let store = try SQLiteBackendStore(directory: temporary.folder())
        try store.transaction {
            try store.saveSession(open)
            try store.saveIntent(intent)
        }
        var moved = open
        moved.lastValidatedAtMillis = 50
        var canceled = intent
        canceled.status = .canceled
        try store.transaction {
            #expect(throws: Boom.self) {
                try store.transaction {
                    try store.saveSession(moved)
                    try store.saveIntent(canceled)
                    #expect(try store.session(key: "k1")?.lastValidatedAtMillis == 50)
                    throw Boom()
                }
            }
            let session = try store.session(key: "k1")
            #expect(session == open)
            #expect(try store.intent(id: "pi_1") == intent)
        }
        #expect(throws: Boom.self) {
            try store.transaction {
                try store.saveSession(moved)
                throw Boom()
            }
        }
        #expect(try store.transaction { try store.session(key: "k1") } == open)
    }

    @Test("an upsert of an existing PaymentIntent changes only amount, status and time, here as in the database")
    func upsertColumns() throws {
        let store = try SQLiteBackendStore(directory: temporary.folder())
        try store.transaction { try store.saveIntent(intent) }
        var other = intent
        other.sessionKey = "someone else"
        other.clientSecret = "another secret"
        other.amountCents = 999
        try store.transaction {
            let before = try store.intent(id: "pi_1")
            #expect(before == intent)
            try store.saveIntent(other)
            let cached = try store.intent(id: "pi_1")
            #expect(cached?.clientSecret == "pi_1_secret" && cached?.sessionKey == "k1" && cached?.amountCents == 999)
        }
        // Read outside any transaction: from the database itself.
        #expect(try store.intent(id: "pi_1") == store.transaction { try store.intent(id: "pi_1") })
    }

    @Test("keys are told apart byte for byte, as SQLite does: a decomposed é is not the composed one")
    func exactKeys() throws {
        let store = try SQLiteBackendStore(directory: temporary.folder())
        let composed = PaymentSession(key: "caf\u{E9}", paymentIntentID: "pi_1", status: .open, createdAtMillis: 1, lastValidatedAtMillis: 1)
        try store.transaction { try store.saveSession(composed) }
        let (first, decomposed) = try store.transaction { (try store.session(key: "caf\u{E9}"), try store.session(key: "cafe\u{301}")) }
        #expect(first == composed)
        #expect(decomposed == nil)
        #expect(try store.session(key: "cafe\u{301}") == nil)
    }

    @Test("a rule another process arms is seen after a transaction that read no rule (a payment)")
    func rulesAfterARulelessTransaction() throws {
        let dir = temporary.folder()
        let server = BackendHarness(seed: 1, store: try SQLiteBackendStore(directory: dir))
        let shell = BackendHarness(seed: 2, store: try SQLiteBackendStore(directory: dir))
        let first = try #require(server.validate().response)
        shell.backend.arm(.rotate, storedKey: nil, nowMillis: shell.now)
        // A payment: a write transaction that takes no rule.
        _ = server.confirm(first, card: .declined)
        let next = server.validate(key: first.idempotencyKey)
        #expect(next.firedRules == ["rotate"])
        shell.backend.refreshRules()
        #expect(shell.backend.rules.rules.isEmpty)
    }

    @Test("200 random writes, reads and failures: every read in a transaction is what a fresh connection reads")
    func randomAgreement() throws {
        struct Boom: Error {}
        let dir = temporary.folder()
        let store = try SQLiteBackendStore(directory: dir), other = try SQLiteBackendStore(directory: dir)
        var generator = SeededGenerator(seed: 42)
        let keys = ["a", "b", "c"]
        for step in 0..<200 {
            let key = keys[Int(generator.next() % 3)]
            let writer = generator.next() % 4 == 0 ? other : store
            let session = PaymentSession(key: key, paymentIntentID: "pi_" + key, status: [.open, .rotated, .paid][Int(generator.next() % 3)],
                                         createdAtMillis: 1, lastValidatedAtMillis: Int64(step))
            let fails = generator.next() % 5 == 0
            _ = try? writer.transaction {
                _ = try writer.session(key: key)
                try writer.saveSession(session)
                if fails { throw Boom() }
            }
            let fresh = try SQLiteBackendStore(directory: dir)
            let truth = try keys.map { try fresh.session(key: $0) }
            #expect(try store.transaction { try keys.map { try store.session(key: $0) } } == truth, "step \(step)")
        }
    }
}
