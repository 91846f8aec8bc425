import Foundation
import HTTPTypes
import Hummingbird
import MockBackend
@testable import MockServer
import TestSupport
import Testing

/// `POST /__admin/rules` with many rules: armed in one go, or refused whole.
@Suite("Arming many rules")
struct RuleBatchTests {
    static func body(_ count: Int) -> String {
        "[" + Array(repeating: #"{"error": {"message": "boom"}}"#, count: count).joined(separator: ",") + "]"
    }

    @Test("more rules than one request may carry: 413 resource_exhausted, nothing armed")
    func tooManyInOneBody() async throws {
        try await TestServer().test { client in
            let refused = try await client.post("/__admin/rules", Self.body(MockBackend.maxRulesPerBatch + 1))
            #expect(refused.status.code == 413)
            let error = Wire.object(refused)
            #expect(error["code"] as? String == "resource_exhausted")
            #expect((error["message"] as? String)?.contains("1001 rules in one request; at most 1000") == true, "\(error)")
            let listed = Wire.object(try await client.execute(uri: "/__admin/rules", method: .get))
            #expect((listed["rules"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("a batch that would overfill the armed queue is refused whole")
    func queueCapacity() async throws {
        try await TestServer().test { client in
            #expect(try await client.post("/__admin/rules", Self.body(RuleQueue.capacity - 1)).status.code == 201)
            let refused = try await client.post("/__admin/rules", Self.body(2))
            #expect(refused.status.code == 413)
            #expect((Wire.object(refused)["message"] as? String)?.contains("limit of \(RuleQueue.capacity)") == true)
            let listed = Wire.object(try await client.execute(uri: "/__admin/rules", method: .get))
            #expect((listed["rules"] as? [Any])?.count == RuleQueue.capacity - 1)
            #expect(try await client.post("/__admin/rules", Self.body(1)).status.code == 201)
        }
    }

    @Test("one rule past the capacity, armed alone (the TUI, `rules add`), is not armed")
    func singleArmPastCapacity() {
        let backend = MockBackend(store: InMemoryBackendStore())
        for _ in 0..<RuleQueue.capacity { backend.arm(.rotate, storedKey: nil, nowMillis: 0) }
        let effect = backend.arm(.rotate, storedKey: nil, nowMillis: 0)
        #expect(effect.hasPrefix("not armed"))
        #expect(backend.rules.rules.count == RuleQueue.capacity)
    }

    @Test("a thousand rules on a SQLite store are one transaction: the queue is written once, not once per rule")
    func oneWriteForTheBatch() async throws {
        let temporary = TemporaryDirectory("checkout-sim-batch")
        defer { temporary.remove() }
        let directory = temporary.url
        // No checkpoint runs meanwhile, so the WAL holds every page the batch wrote.
        let store = try SQLiteBackendStore(directory: directory, checkpointsInBackground: true)
        let host = BackendHost(backend: MockBackend(store: store, seed: 7), wallClock: { 1_800_000_000_000 })
        let app = Application(responder: CheckoutServer.responder(host: host, options: ServerOptions(), log: nil))
        try await app.test(.router) { client in
            let reply = try await client.post("/__admin/rules", Self.body(1_000))
            #expect(reply.status.code == 201)
        }
        // Written once per rule, the growing queue (about 30 bytes a rule) made the WAL
        // pass 10 MB; written once, it is a few hundred KB.
        let wal = try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent("backend.sqlite-wal").path)
        let bytes = try #require(wal[.size] as? Int)
        #expect(bytes < 2_000_000, "WAL of \(bytes) bytes")
        host.withBackend { backend, _ in backend.refreshRules() }
        #expect(host.withBackend { backend, _ in backend.rules.rules.count } == 1_000)
    }
}
