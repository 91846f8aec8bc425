import CheckoutCore
import CheckoutProto
import Foundation
import Testing
@testable import MockBackend

@Suite("Backend rules")
struct RuleTests {
    @Test("injected errors fire before anything is created", arguments: [
        (RuleKind.paymentAlreadyCompleted, RPCCode.failedPrecondition, ErrorTable.paymentAlreadyCompletedMessage),
        (.paymentUnavailable, .unavailable, "payment unavailable"),
        (.failedToCreatePaymentIntent, .internal, "failed to create payment intent"),
        (.error(message: "boom \u{1B}[2J", code: .invalidArgument), .invalidArgument, "boom \u{1B}[2J"),
    ])
    func injectedErrors(rule: RuleKind, code: RPCCode, message: String) throws {
        let harness = BackendHarness()
        harness.backend.arm(rule, storedKey: nil, nowMillis: harness.now)
        let status = try #require(harness.validate().status)
        #expect(status == RPCStatus(code: code, message: message))
        #expect(harness.counters.sessions == 0)
        #expect(harness.validate().response != nil, "once means once")
    }

    @Test("rules wait in a FIFO queue, one fires per request, whatever the request carries")
    func fifo() throws {
        let harness = BackendHarness()
        harness.backend.arm(.paymentUnavailable, storedKey: nil, nowMillis: harness.now)
        harness.backend.arm(.failedToCreatePaymentIntent, .times(2), storedKey: nil, nowMillis: harness.now)
        let messages = (0..<4).map { _ in harness.validate(method: .cashOnDelivery).status?.message }
        #expect(messages == ["payment unavailable", "failed to create payment intent", "failed to create payment intent", nil])
        #expect(harness.backend.rules.rules.isEmpty)
    }

    @Test("disarm removes one armed rule by its position; the queue shows what is left")
    func disarmOne() {
        let harness = BackendHarness()
        harness.backend.arm(.paymentUnavailable, .times(2), storedKey: nil, nowMillis: harness.now)
        harness.backend.arm(.latency(millis: 1500), .always, storedKey: nil, nowMillis: harness.now)
        harness.backend.arm(.failedToCreatePaymentIntent, .probability(0.5, times: 3), storedKey: nil, nowMillis: harness.now)
        harness.backend.arm(.timeout, .probability(1, times: nil), storedKey: nil, nowMillis: harness.now)
        #expect(harness.backend.rules.rules.map(\.queueLabel) == [
            "payment_unavailable ×2 left", "latency 1500ms always", "failed_to_create_payment_intent p=0.5 ×3 left",
            "timeout p=1.0 no limit",
        ])
        #expect(harness.backend.disarm(at: 5, nowMillis: harness.now) == "no armed rule 5 (4 armed)")
        #expect(harness.backend.disarm(at: 0, nowMillis: harness.now) == "no armed rule 0 (4 armed)")
        #expect(harness.backend.disarm(at: 2, nowMillis: harness.now) == "disarmed latency 1500ms always")
        #expect(harness.backend.disarm(at: 3, nowMillis: harness.now) == "disarmed timeout p=1.0 no limit")
        #expect(harness.validate().status?.message == "payment unavailable")
        #expect(harness.backend.rules.rules.map(\.queueLabel).first == "payment_unavailable ×1 left")
    }

    @Test("always keeps firing")
    func always() {
        let harness = BackendHarness()
        harness.backend.arm(.paymentUnavailable, .always, storedKey: nil, nowMillis: harness.now)
        #expect((0..<5).allSatisfy { _ in harness.validate().status != nil })
    }

    @Test("probability rules repeat with the same seed")
    func probability() {
        let pattern = { (seed: UInt64) -> [Bool] in
            let harness = BackendHarness(seed: seed)
            harness.backend.arm(.paymentUnavailable, .probability(0.5, times: nil), storedKey: nil, nowMillis: harness.now)
            return (0..<40).map { _ in harness.validate().status != nil }
        }
        let first = pattern(3)
        #expect(first == pattern(3))
        #expect(first.contains(true) && first.contains(false))
        #expect(first != pattern(4))
    }

    @Test("rotate: the open session is replaced, its PaymentIntent canceled, a new key returned")
    func rotate() throws {
        let harness = BackendHarness()
        let first = try #require(harness.validate().response)
        harness.backend.arm(.rotate, storedKey: first.idempotencyKey, nowMillis: harness.now)
        let second = try #require(harness.validate(key: first.idempotencyKey).response)
        #expect(second.idempotencyKey != first.idempotencyKey)
        #expect(harness.intent(first.paymentIntentID)?.status == .canceled)
        #expect(try harness.backend.store.session(key: first.idempotencyKey)?.status == .rotated)
        #expect(harness.counters.sessions == 2)
    }

    @Test("drop_response creates a session the client never learns of; timeout creates nothing")
    func dropVersusTimeout() {
        let dropped = BackendHarness()
        dropped.backend.arm(.dropResponse, storedKey: nil, nowMillis: dropped.now)
        let delivery = dropped.validate()
        #expect(delivery.reply == .timeout)
        #expect(delivery.delayMillis == MockBackend.clientTimeoutMillis)
        #expect(dropped.counters.sessions == 1, "the orphan exists")

        let lost = BackendHarness()
        lost.backend.arm(.timeout, storedKey: nil, nowMillis: lost.now)
        #expect(lost.validate().reply == .timeout)
        #expect(lost.counters.sessions == 0)
    }

    @Test("garble_response processes the request and corrupts the reply beyond decoding")
    func garble() {
        let harness = BackendHarness()
        harness.backend.arm(.garbleResponse, storedKey: nil, nowMillis: harness.now)
        let delivery = harness.validate()
        guard case .response(let data) = delivery.reply else { Issue.record("expected bytes"); return }
        #expect(throws: (any Error).self) { try Checkout_V1_ValidateOrderItemsInsertResponse(serializedBytes: data) }
        #expect(harness.counters.sessions == 1)
    }

    @Test("latency delays every request while armed and leaves the queue alone")
    func latency() {
        let harness = BackendHarness()
        harness.backend.arm(.latency(millis: 2000), .times(2), storedKey: nil, nowMillis: harness.now)
        harness.backend.arm(.paymentUnavailable, storedKey: nil, nowMillis: harness.now)
        let first = harness.validate()
        #expect(first.delayMillis == 2000)
        #expect(first.status?.message == "payment unavailable")
        #expect(harness.validate().delayMillis == 2000)
        #expect(harness.validate().delayMillis == 0)
    }

    @Test("expire_sessions and mark_paid act at once")
    func immediate() throws {
        let harness = BackendHarness()
        let first = try #require(harness.validate().response)
        harness.backend.arm(.markPaid, storedKey: first.idempotencyKey, nowMillis: harness.now)
        #expect(harness.intent(first.paymentIntentID)?.status == .succeeded)
        #expect(harness.validate(key: first.idempotencyKey).status?.code == .failedPrecondition)

        let second = try #require(harness.validate().response)
        harness.backend.arm(.expireSessions, storedKey: nil, nowMillis: harness.now)
        #expect(harness.intent(second.paymentIntentID)?.status == .canceled)
        #expect(harness.validate(key: second.idempotencyKey).response?.idempotencyKey != second.idempotencyKey)
        #expect(harness.backend.rules.rules.isEmpty)
    }

    @Test("key_in_use watches: it fires only on a key an unanswered request still uses, and queued rules keep their turn")
    func keyInUse() throws {
        var harness = BackendHarness()
        let key = try #require(harness.validate().response?.idempotencyKey)
        harness.backend.arm(.keyInUse, .times(1), storedKey: key, nowMillis: harness.now)
        harness.backend.arm(.latency(millis: 2_000), .once, storedKey: key, nowMillis: harness.now)
        // Not in use yet: the rule stays armed, and the request goes through (slowly).
        #expect(harness.validate(key: key).delayMillis == 2_000)
        #expect(harness.backend.rules.rules.map(\.kind) == [.keyInUse])
        // The same key 1 s later, while that reply is still on its way: refused.
        harness.now += 1_000
        harness.backend.arm(.rotate, .once, storedKey: key, nowMillis: harness.now)
        let refused = harness.validate(key: key)
        #expect(refused.status?.code == .aborted)
        #expect(refused.status?.message.hasPrefix("idempotency_key_in_use") == true)
        #expect(refused.firedRules == ["key_in_use"])
        #expect(harness.backend.rules.rules.map(\.kind) == [.rotate], "the queued rotate was not spent on the refusal")
        // Once the first reply has left, the key is free again.
        harness.now += 1_500
        #expect(harness.validate(key: key).response?.idempotencyKey != key, "the rotate fires on the next request")
        #expect(harness.counters.sessions == 2)
    }
}

