import CheckoutCore
import CheckoutProto
import Foundation
import MockBackend
@testable import MockServer
import TestSupport
import Testing

/// `BackendHost` commits concurrent calls in groups: one write transaction per batch,
/// each call's writes in arrival order, a call's failure undone alone, and no reply
/// before its batch committed.
@Suite("BackendHost: group commit")
struct GroupCommitTests {
    private let temporary = TemporaryDirectory("checkout-sim-group")
    static let now: Int64 = 1_800_000_000_000

    @Test func concurrentCallsShareOneTransactionAndAreJournaledInOrder() async throws {
        let fixture = try Fixture(temporary.folder())
        let host = fixture.host
        let replies = await fixture.callsInOneBatch([(1, "first"), (2, "second")])
        let (a, b) = (replies[0], replies[1])

        #expect(host.batches == 1)
        let keyA = try Fixture.key(a.delivery)
        let keyB = try Fixture.key(b.delivery)
        #expect(keyA != keyB)
        let journal = try fixture.store.journal(after: 0, limit: 100)
        #expect(journal.map(\.kind) == [.arrival, .request, .session, .intent, .response,
                                         .arrival, .request, .session, .intent, .response])
        #expect(journal.first?.sequence == a.journal)
        #expect(journal[5].sequence == b.journal)
        #expect(journal[0].text.contains(#""user_agent":"first""#))
        // The request's line, built before the batch.
        guard case .validation(let first) = Fixture.cart(quantity: 1), case .validation(let second) = Fixture.cart(quantity: 2) else { return }
        #expect(journal[1].text == ProtoJSON.string(first))
        #expect(journal[6].text == ProtoJSON.string(second))
        #expect(journal[5].text.contains(#""user_agent":"second""#))
        #expect(try fixture.store.session(key: keyA) != nil)
        #expect(try fixture.store.session(key: keyB) != nil)
    }

    @Test func aFailingCallIsUndoneAloneAndTheOthersOfItsBatchCommit() async throws {
        let fixture = try Fixture(temporary.folder())
        let host = fixture.host
        // The second call's new session cannot be saved, after its PaymentIntent was.
        fixture.store.failSessionsOfIntentAmount = Fixture.amount(quantity: 2)
        let replies = await fixture.callsInOneBatch([(1, "q1"), (2, "q2"), (3, "q3")])

        #expect(host.batches == 1)
        _ = try Fixture.key(replies[0].delivery)
        _ = try Fixture.key(replies[2].delivery)
        guard case .failure(let status) = replies[1].delivery.reply else {
            Issue.record("the failing call was answered \(replies[1].delivery.reply)")
            return
        }
        #expect(status.code == .internal)
        // Its PaymentIntent and counters were rolled back with its session; its journal lines stay.
        let store = fixture.store
        #expect(try store.recentIntents(limit: 10).map(\.amountCents).sorted() == [Fixture.amount(quantity: 1), Fixture.amount(quantity: 3)])
        #expect(try store.recentSessions(limit: 10).count == 2)
        #expect(try store.counters().sessions == 2)
        #expect(try store.counters().paymentIntents == 2)
        let journal = try store.journal(after: 0, limit: 100)
        #expect(journal.map(\.kind) == [.arrival, .request, .session, .intent, .response,
                                         .arrival, .request, .error,
                                         .arrival, .request, .session, .intent, .response])
        #expect(replies.map(\.journal) == [journal[0].sequence, journal[5].sequence, journal[8].sequence])
    }

    @Test func whenTheCommitFailsNoCallOfTheBatchIsAnsweredAsStored() async throws {
        let fixture = try Fixture(temporary.folder())
        let host = fixture.host
        fixture.store.failNextCommit = true
        for reply in await fixture.callsInOneBatch([(1, "first"), (2, "second")]) {
            guard case .failure(let status) = reply.delivery.reply else {
                Issue.record("answered \(reply.delivery.reply) though nothing was committed")
                continue
            }
            #expect(status.code == .internal)
            #expect(reply.journal == 0)
        }
        #expect(try fixture.store.journal(after: 0, limit: 100).isEmpty)
        #expect(try fixture.store.counters().sessions == 0)

        // The next call commits as usual.
        let next = await host.call(Fixture.cart(quantity: 1), arrival: Fixture.arrival("next"))
        _ = try Fixture.key(next.delivery)
        #expect(try fixture.store.journal(after: 0, limit: 100).first?.sequence == next.journal)
    }

    @Test func manyConcurrentCallsAreAllAnsweredAndJournaledOnce() async throws {
        let fixture = try Fixture(temporary.folder())
        let host = fixture.host
        let replies = await withTaskGroup(of: (delivery: BackendDelivery, journal: Int64).self) { group in
            for index in 0..<200 {
                group.addTask { await host.call(Fixture.cart(quantity: 1), arrival: Fixture.arrival("c\(index)")) }
            }
            var replies: [(delivery: BackendDelivery, journal: Int64)] = []
            for await reply in group { replies.append(reply) }
            return replies
        }
        #expect(replies.count == 200)
        for reply in replies { _ = try Fixture.key(reply.delivery) }
        let arrivals = try fixture.store.journal(after: 0, limit: 2_000).filter { $0.kind == .arrival }
        #expect(arrivals.count == 200)
        #expect(Set(replies.map(\.journal)) == Set(arrivals.map(\.sequence)))
        #expect(host.batches <= 200)
    }

    @Test func aJSONClientsReplyIsEncodedToProtobufOnlyWhenAListenerReadsIt() async throws {
        let host = try Fixture(temporary.folder()).host
        var arrival = Fixture.arrival("json")
        arrival.format = .connectJSON
        let unheard = await host.call(Fixture.cart(quantity: 1), arrival: arrival).delivery
        guard case .response(let none) = unheard.reply else { throw Fixture.Unexpected(reply: unheard.reply) }
        #expect(none.isEmpty)
        let json = try #require(unheard.replyJSON)
        #expect(try Checkout_V1_ValidateOrderItemsInsertResponse(jsonString: json).totalCents == Fixture.amount(quantity: 1))

        let heard = Heard()
        host.observe { heard.append($0) }
        let delivery = await host.call(Fixture.cart(quantity: 2), arrival: arrival).delivery
        #expect(try !Fixture.key(delivery).isEmpty)
        let event = try #require(heard.events.first)
        #expect(event.reply == delivery.reply)
        guard case .response(let bytes) = event.reply else { throw Fixture.Unexpected(reply: event.reply) }
        let decoded = try Checkout_V1_ValidateOrderItemsInsertResponse(serializedBytes: bytes)
        #expect(decoded.totalCents == Fixture.amount(quantity: 2))
        #expect(ProtoJSON.string(decoded) == delivery.replyJSON)
    }

    @Test func theArrivalLineIsWhatJSONEncoderWrites() throws {
        struct Fields: Encodable {
            var peer: String
            var user_agent: String
            var path: String
            var `protocol`: String
            var bytes: Int
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var controls = ""
        for byte in 0..<0x20 { controls.unicodeScalars.append(Unicode.Scalar(UInt8(byte))) }
        let agents = ["", "curl/8.5.0", "quote \" backslash \\ slash /", controls, "\u{7F}é\u{2028}\u{FFFD}😀", "\"\u{301}tail"]
        for agent in agents {
            for format in [WireFormat.connectJSON, .grpcWebProto] {
                let arrival = Arrival(peer: "[::1]:53012", userAgent: agent, path: "/a/\"b\"\n", format: format, bodyBytes: 1234)
                let expected = String(decoding: try encoder.encode(Fields(peer: arrival.peer, user_agent: agent, path: arrival.path,
                                                                          protocol: format.rawValue, bytes: 1234)), as: UTF8.self)
                #expect(arrival.journalArrival.json == expected)
            }
        }
    }

    @Test func shortNamesAreTheLastPathComponent() {
        for method in RPCMethod.allCases {
            #expect(method.shortName == String(method.rawValue.split(separator: "/").last ?? ""))
            #expect(RPCMethod(shortName: method.shortName) == method)
        }
    }
}

/// A host over a SQLite store in a fresh directory, with failures to inject.
private struct Fixture {
    let store: FailingStore
    let host: BackendHost

    init(_ directory: URL) throws {
        store = FailingStore(try SQLiteBackendStore(directory: directory))
        host = BackendHost(backend: MockBackend(store: store, seed: 7), wallClock: { GroupCommitTests.now })
    }

    static func cart(quantity: Int) -> BackendRequest {
        var request = Checkout_V1_ValidateOrderItemsInsertRequest()
        request.items = [.with { $0.sku = "MUG"; $0.quantity = Int32(quantity) }]
        request.paymentMethod = .card
        return .validation(request)
    }

    static func amount(quantity: Int) -> Int64 {
        let subtotal = Catalog.standard.product(sku: "MUG")!.priceCents * Int64(quantity)
        return subtotal + Catalog.shipping(forSubtotal: subtotal)
    }

    static func arrival(_ agent: String) -> Arrival {
        Arrival(peer: "127.0.0.1:1", userAgent: agent, path: RPCMethod.validateOrderItemsInsert.rawValue, format: .connectProto, bodyBytes: 10)
    }

    static func key(_ delivery: BackendDelivery) throws -> String {
        guard case .response(let bytes) = delivery.reply else { throw Unexpected(reply: delivery.reply) }
        return try Checkout_V1_ValidateOrderItemsInsertResponse(serializedBytes: bytes).idempotencyKey
    }

    /// Validations of `calls` (a quantity of mugs, a user agent), queued in this order, then handled in one batch.
    func callsInOneBatch(_ calls: [(quantity: Int, agent: String)]) async -> [(delivery: BackendDelivery, journal: Int64)] {
        let host = self.host
        host.holdBatches()
        var tasks: [Task<(delivery: BackendDelivery, journal: Int64), Never>] = []
        for (index, call) in calls.enumerated() {
            tasks.append(Task { await host.call(Fixture.cart(quantity: call.quantity), arrival: Fixture.arrival(call.agent)) })
            await Fixture.waitUntil { host.waitingCalls == index + 1 }
        }
        host.releaseBatches()
        var replies: [(delivery: BackendDelivery, journal: Int64)] = []
        for task in tasks { replies.append(await task.value) }
        return replies
    }

    /// Lets other tasks run until `condition` holds (no sleeping).
    static func waitUntil(_ condition: () -> Bool) async {
        while !condition() { await Task.yield() }
    }

    struct Unexpected: Error { var reply: TransportReply }
}

/// The events a listener was given.
private final class Heard: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [WireEvent] = []
    var events: [WireEvent] { lock.withLock { seen } }
    func append(_ event: WireEvent) { lock.withLock { seen.append(event) } }
}

/// A SQLite store that fails where a test says: saving the session of a PaymentIntent
/// of some amount (after the PaymentIntent was saved), or the next outermost commit.
private final class FailingStore: ForwardingBackendStore, @unchecked Sendable {
    struct Injected: Error {}
    var failSessionsOfIntentAmount: Int64?
    var failNextCommit = false
    private var depth = 0

    init(_ inner: SQLiteBackendStore) { super.init(inner) }

    override func transaction<T>(_ body: () throws -> T) throws -> T {
        depth += 1
        defer { depth -= 1 }
        return try inner.transaction {
            let result = try body()
            if depth == 1, failNextCommit {
                failNextCommit = false
                throw Injected()
            }
            return result
        }
    }

    override func saveSession(_ session: PaymentSession) throws {
        if let amount = failSessionsOfIntentAmount, try inner.intent(id: session.paymentIntentID)?.amountCents == amount {
            throw Injected()
        }
        try inner.saveSession(session)
    }
}
