import Foundation
import Hummingbird
import MockBackend
@testable import MockServer
import TestSupport
import Testing

/// Two `serve` processes on one state directory keep one clock.
@Suite("Shared clock")
struct SharedClockTests {
    @Test("the clock advanced through one host is the other's too, and a restart keeps it")
    func twoHostsOneClock() async throws {
        let temporary = TemporaryDirectory("checkout-sim-clock")
        defer { temporary.remove() }
        let directory = temporary.url
        let wall: Int64 = 1_800_000_000_000
        func host() throws -> BackendHost {
            BackendHost(backend: MockBackend(store: try SQLiteBackendStore(directory: directory), seed: 7), wallClock: { wall })
        }
        let first = try host(), second = try host()
        let app = Application(responder: CheckoutServer.responder(host: first, options: ServerOptions(), log: nil))
        try await app.test(.router) { client in
            let reply = Wire.object(try await client.post("/__admin/clock", #"{"advance": "25h"}"#))
            #expect(reply["now"] as? Int64 == wall + 25 * 3_600_000)
        }
        #expect(second.nowMillis == wall + 25 * 3_600_000)
        #expect(try second.advanceClock(millis: 1_000) == wall + 25 * 3_600_000 + 1_000)
        #expect(first.nowMillis == wall + 25 * 3_600_000 + 1_000)
        #expect(try host().nowMillis == wall + 25 * 3_600_000 + 1_000)
        // A validation through the other host is stamped with the shared now.
        let (_, journal) = await second.call(.validation(.with { $0.items = [.with { $0.sku = "MUG"; $0.quantity = 1 }]; $0.paymentMethod = .card }),
                                             arrival: Arrival(peer: "127.0.0.1:1", userAgent: "t", path: "/", format: .connectJSON, bodyBytes: 1))
        let line = try first.withBackend { backend, _ in try backend.store.journal(after: journal - 1, limit: 1) }
        #expect(line.first?.atMillis == wall + 25 * 3_600_000 + 1_000)
    }
}
