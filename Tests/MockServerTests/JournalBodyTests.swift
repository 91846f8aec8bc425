import CheckoutCore
import Foundation
import MockBackend
@testable import MockServer
import Testing

/// `GET /__admin/journal` as documented (docs/serve.md): calls' bodies embedded as JSON,
/// events' bodies as the words they always were, whatever the database stores.
@Suite("Admin journal bodies")
struct JournalBodyTests {
    @Test("events are served as their words, calls as objects, old lines as written")
    func bodiesKeepTheirForm() throws {
        let details: [JournalDetail] = [
            .arrival(.validateOrderItemsInsert, JournalArrival(peer: "127.0.0.1:1", userAgent: "ua", path: "/p", wireProtocol: "connect+json", bytes: 3)),
            .request(.validateOrderItemsInsert, json: #"{"paymentMethod":"CARD"}"#),
            .rule(.fired(rule: .latency(millis: 2000))),
            .session(.created(key: "k1", reason: .noKey)),
            .intent(.statusChanged(id: "pi_1", from: .processing, to: .succeeded)),
            .lost(.validateOrderItemsInsert, .responseGarbled),
            .error(.validateOrderItemsInsert, JournalError(code: "aborted", message: "busy")),
            .unread(.rule, method: "rule", text: "armed rotate once"),
        ]
        let entries = details.enumerated().map { JournalEntry(sequence: Int64($0.offset + 1), atMillis: 5, detail: $0.element) }
        let data = JournalBody.render(entries, last: Int64(entries.count))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let served = try #require(object["entries"] as? [[String: Any]])
        #expect(served.map { $0["kind"] as? String } == ["arrival", "request", "rule", "session", "intent", "dropped", "error", "rule"])
        #expect(served.map { $0["method"] as? String } == ["ValidateOrderItemsInsert", "ValidateOrderItemsInsert", "rule", "session", "PaymentIntent",
                                                          "ValidateOrderItemsInsert", "ValidateOrderItemsInsert", "rule"])
        #expect((served[0]["body"] as? [String: Any])?["user_agent"] as? String == "ua")
        #expect((served[1]["body"] as? [String: Any])?["paymentMethod"] as? String == "CARD")
        #expect(served[2...5].map { $0["body"] as? String }
            == ["fired latency 2s", "new session k1 (no key sent)", "pi_1 processing → succeeded", "response garbled on the way back"])
        #expect((served[6]["body"] as? [String: Any])?["code"] as? String == "aborted")
        #expect(served[7]["body"] as? String == "armed rotate once")
    }
}
