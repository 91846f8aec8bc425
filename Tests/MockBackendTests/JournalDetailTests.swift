import CheckoutCore
import Foundation
import GRDB
import Testing
@testable import MockBackend

/// The journal's typed detail: what the `detail` column holds, what it reads back, and the words people see.
@Suite("Journal detail")
struct JournalDetailTests {
    /// Today's words, as the backend wrote them before the detail was typed.
    static let rendered: [(JournalDetail, String)] = [
        (.rule(.armed(rule: RuleSpec(.rotate, .times(2)))), "armed rotate ×2"),
        (.rule(.armed(rule: RuleSpec(.latency(millis: 1500), .always))), "armed latency 1500ms always"),
        (.rule(.armed(rule: RuleSpec(.error(message: "boom", code: .internal), .probability(0.5, times: 3)))), "armed error \"boom\" p=0.5 ×3"),
        (.rule(.queueFull(capacity: 1000)), "not armed: 1000 rules are armed already, the most the queue holds"),
        (.rule(.disarmed(rule: ArmedRule(id: 4, kind: .rotate, firing: .times(2)))), "disarmed rotate ×2 left"),
        (.rule(.fired(rule: .latency(millis: 2000))), "fired latency 2s"),
        (.rule(.fired(rule: .error(message: "boom", code: .internal))), "fired error \"boom\""),
        (.rule(.fired(rule: .dropResponse)), "fired drop_response"),
        (.rule(.expired(sessions: 1)), "expired 1 open session"),
        (.rule(.expired(sessions: 3)), "expired 3 open sessions"),
        (.rule(.failed(rule: .expireSessions)), "expire_sessions failed"),
        (.rule(.failed(rule: .markPaid)), "mark_paid failed"),
        (.rule(.nothingToPay), "mark_paid: the stored key has no session; nothing paid"),
        (.rule(.notOpen(key: "k1", status: .rotated)), "mark_paid: session k1 is rotated; nothing paid"),
        (.rule(.paidElsewhere(key: "k1")), "session k1 paid in another tab"),
        (.session(.created(key: "k1", reason: .noKey)), "new session k1 (no key sent)"),
        (.session(.created(key: "k1", reason: .unknownKey)), "new session k1 (unknown key)"),
        (.session(.created(key: "k1", reason: .keyOf(.paid))), "new session k1 (key of a paid session)"),
        (.session(.created(key: "k1", reason: .setUpByScenario)), "new session k1 (set up by the scenario)"),
        (.session(.closed(key: "k1", status: .expired)), "session k1 expired"),
        (.session(.restored(key: "k1", status: .open, intent: "pi_setup_x", intentStatus: .requiresAction)),
         "session k1 set up by the scenario: open, pi_setup_x requires_action"),
        (.intent(.created(id: "pi_000001_abc", amountCents: 2340, currency: "EUR")), "pi_000001_abc created: 2340 EUR, requires_payment_method"),
        (.intent(.amountChanged(id: "pi_1", from: 1200, to: 2400)), "pi_1 amount 1200 → 2400"),
        (.intent(.statusChanged(id: "pi_1", from: .processing, to: .succeeded)), "pi_1 processing → succeeded"),
        (.intent(.declined(id: "pi_1", code: "card_declined")), "pi_1 declined: card_declined"),
        (.lost(.validateOrderItemsInsert, .requestLost), "request lost before reaching the server"),
        (.lost(.validateOrderItemsInsert, .responseLost), "response lost on the way back"),
        (.lost(.validateOrderItemsInsert, .responseGarbled), "response garbled on the way back"),
        (.lost(.validateOrderItemsInsert, .connectionReset), "connection reset instead of the response"),
        (.error(.confirmPayment, JournalError(code: "not_found", message: "No such PaymentIntent: pi_9")),
         #"{"code":"not_found","message":"No such PaymentIntent: pi_9"}"#),
        (.arrival(.validateOrderItemsInsert, JournalArrival(peer: "127.0.0.1:5000", userAgent: "curl/8", path: "/checkout.v1.CheckoutService/ValidateOrderItemsInsert",
                                                            wireProtocol: "connect+json", bytes: 60, client: "c1", newClient: true, deadlineMillis: 5000)),
         #"{"bytes":60,"client":"c1","deadline_ms":5000,"new_client":true,"path":"/checkout.v1.CheckoutService/ValidateOrderItemsInsert","peer":"127.0.0.1:5000","protocol":"connect+json","user_agent":"curl/8"}"#),
        (.request(.completeRedirect, json: #"{"paymentIntentId":"pi_1","redirectStatus":"succeeded"}"#),
         #"{"paymentIntentId":"pi_1","redirectStatus":"succeeded"}"#),
    ]

    @Test("each detail reads as today's words")
    func renderedTextIsTodays() {
        for (detail, words) in Self.rendered {
            #expect(detail.text == words)
            #expect(JournalEntry(atMillis: 1, detail: detail).text == words)
        }
    }

    @Test("every detail read back from its columns is the same detail (generated cases, every case covered)")
    func roundTrips() {
        var random = SplitMix(seed: 30)
        var covered: Set<String> = []
        for _ in 0..<40 {
            for detail in JournalSamples.all(&random) {
                covered.insert(JournalSamples.caseName(detail))
                let read = JournalDetail(kind: detail.kind, method: detail.method, stored: detail.stored)
                #expect(read == detail, "\(detail.stored)")
                #expect(read.text == detail.text)
            }
        }
        #expect(covered == JournalSamples.everyCase)
    }

    @Test("events are stored as their JSON, not as words")
    func eventsAreStoredAsJSON() throws {
        for (detail, words) in Self.rendered where ![.arrival, .request, .response, .error].contains(detail.kind) {
            #expect(detail.stored != words)
            _ = try JSONSerialization.jsonObject(with: Data(detail.stored.utf8), options: .fragmentsAllowed)
        }
    }

    @Test("an older journal's words are read as far as the lint needs them, and shown as written")
    func oldWordsAreRead() {
        let read: [(JournalEntry.Kind, String, String, JournalDetail?)] = [
            (.rule, "rule", "fired latency 2s", .rule(.fired(rule: .latency(millis: 2000)))),
            (.rule, "rule", "fired rotate", .rule(.fired(rule: .rotate))),
            (.rule, "rule", "fired error \"a \"quoted\" boom\"", .rule(.fired(rule: .error(message: "a \"quoted\" boom", code: .unknown)))),
            (.session, "session", "new session k7 (key of a rotated session)", .session(.created(key: "k7", reason: .keyOf(.rotated)))),
            (.intent, "PaymentIntent", "pi_3 requires_action → succeeded", .intent(.statusChanged(id: "pi_3", from: .requiresAction, to: .succeeded))),
            (.dropped, "ValidateOrderItemsInsert", "connection reset instead of the response", .lost(.validateOrderItemsInsert, .connectionReset)),
            (.rule, "rule", "armed rotate once", nil),
            (.session, "session", "session k7 paid", nil),
            (.intent, "PaymentIntent", "pi_3 created: 1200 EUR, requires_payment_method", nil),
            (.rule, "rule", "fired something new", nil),
            (.request, "m", "line", nil),
        ]
        for (kind, method, words, expected) in read {
            let detail = JournalDetail(kind: kind, method: method, stored: words)
            #expect(detail == expected ?? .unread(kind, method: method, text: words))
            #expect(detail.text == words && detail.kind == kind && detail.method == method)
        }
    }

    @Test("the events written by hand are written as the encoder writes them")
    func handWrittenEventsAreTheEncoders() {
        var random = SplitMix(seed: 11)
        var written = 0
        for _ in 0..<100 {
            for detail in JournalSamples.all(&random) {
                switch detail {
                case .session(let event):
                    guard let json = event.writtenJSON else { continue }
                    #expect(json == JournalJSON.encode(event))
                    written += 1
                case .intent(let event):
                    guard let json = event.writtenJSON else { continue }
                    #expect(json == JournalJSON.encode(event))
                    written += 1
                default:
                    continue
                }
            }
        }
        #expect(written == 400)
    }

    @Test("an arrival's JSON, built by hand, is what JSONEncoder writes for it")
    func arrivalJSONIsTheEncoders() throws {
        var random = SplitMix(seed: 7)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for _ in 0..<200 {
            let arrival = JournalSamples.arrival(&random)
            #expect(arrival.json == String(decoding: try encoder.encode(arrival), as: UTF8.self))
        }
    }

    @Test("a database an older version journaled in words reads as typed details, shown as written; new lines go in typed")
    func oldDatabase() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("checkout-sim-old-journal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url) }
        _ = try SQLiteBackendStore(directory: url).journalCount()
        let rows: [(String, String, String)] = [
            ("rule", "rule", "fired latency 2s"),
            ("request", "ValidateOrderItemsInsert", #"{"items":[{"sku":"MUG","quantity":1}],"paymentMethod":"CARD"}"#),
            ("session", "session", "new session k1 (no key sent)"),
            ("intent", "PaymentIntent", "pi_1 created: 1200 EUR, requires_payment_method"),
            ("response", "ValidateOrderItemsInsert", #"{"idempotencyKey":"k1","paymentIntentId":"pi_1"}"#),
            ("dropped", "ValidateOrderItemsInsert", "response lost on the way back"),
            ("intent", "PaymentIntent", "pi_1 processing → succeeded"),
        ]
        let database = try DatabaseQueue(path: url.appendingPathComponent("backend.sqlite").path)
        try database.write { db in
            for (index, row) in rows.enumerated() {
                try db.execute(sql: "INSERT INTO journal (seq, at, kind, method, detail) VALUES (?, 1000, ?, ?, ?)",
                               arguments: [index + 1, row.0, row.1, row.2])
            }
        }
        let store = try SQLiteBackendStore(directory: url)
        let read = try store.journal(after: 0, limit: 10)
        #expect(read.map(\.detail) == [
            .rule(.fired(rule: .latency(millis: 2000))),
            .request(.validateOrderItemsInsert, json: rows[1].2),
            .session(.created(key: "k1", reason: .noKey)),
            .unread(.intent, method: "PaymentIntent", text: rows[3].2),
            .response(.validateOrderItemsInsert, json: rows[4].2),
            .lost(.validateOrderItemsInsert, .responseLost),
            .intent(.statusChanged(id: "pi_1", from: .processing, to: .succeeded)),
        ])
        #expect(read.map(\.text) == rows.map(\.2))

        let closed = JournalDetail.session(.closed(key: "k1", status: .paid))
        let number = try store.appendJournal(JournalEntry(atMillis: 2000, detail: closed))
        let column = try database.read { try String.fetchOne($0, sql: "SELECT detail FROM journal WHERE seq = ?", arguments: [number]) }
        #expect(column == closed.stored && column?.hasPrefix("{") == true)
        #expect(try store.journal(after: number - 1, limit: 1).map(\.detail) == [closed])
        try database.close()
    }

    @Test("the backend's journal reads back from SQLite as the same details the memory store keeps")
    func storesAgree() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("checkout-sim-journal-stores-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url) }
        let memory = BackendHarness(seed: 5)
        let sqlite = BackendHarness(seed: 5, store: try SQLiteBackendStore(directory: url))
        for harness in [memory, sqlite] {
            harness.backend.arm(.latency(millis: 1500), .once, storedKey: nil, nowMillis: harness.now)
            harness.backend.arm(.garbleResponse, .once, storedKey: nil, nowMillis: harness.now)
            _ = harness.validate()
            // One open session: two expired at the same moment may be listed in either order.
            harness.backend.arm(.expireSessions, storedKey: nil, nowMillis: harness.now)
            _ = harness.validate(key: "unknown")
        }
        let written = try memory.backend.store.journal(after: 0, limit: 100)
        let read = try sqlite.backend.store.journal(after: 0, limit: 100)
        #expect(read.count == written.count)
        for (stored, kept) in zip(read, written) { #expect(stored == kept) }
        #expect(written.contains { $0.detail == .rule(.fired(rule: .latency(millis: 1500))) })
        #expect(written.contains { $0.detail == .lost(.validateOrderItemsInsert, .responseGarbled) })
        #expect(written.contains { $0.detail == .rule(.expired(sessions: 1)) })
        #expect(written.contains { if case .session(.created(_, .unknownKey)) = $0.detail { true } else { false } })
    }
}
