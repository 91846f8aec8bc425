import CheckoutCore
import CheckoutProto
import Foundation
import Testing
@testable import MockBackend

@Suite("ValidateOrderItemsInsert: server-owned sessions")
struct SessionTests {
    @Test("no key: a new session, a new PaymentIntent for the cart total, a new UUID v4 key")
    func newSession() throws {
        let harness = BackendHarness()
        let response = try #require(harness.validate(items: [("BEANS-1KG", 1), ("MUG", 2)]).response)
        #expect(isUUIDv4(response.idempotencyKey))
        #expect(response.subtotalCents == 1850 + 1800)
        #expect(response.shippingCents == 490)
        #expect(response.totalCents == 1850 + 1800 + 490)
        let intent = try #require(harness.intent(response.paymentIntentID))
        #expect(intent.amountCents == response.totalCents)
        #expect(intent.status == .requiresPaymentMethod)
        #expect(response.clientSecret == intent.clientSecret)
        #expect(harness.counters == BackendCounters(sessions: 1, paymentIntents: 1, paid: 0))
    }

    @Test("the key of an open session: same session, same key, PaymentIntent amount follows the cart")
    func reuse() throws {
        let harness = BackendHarness()
        let first = try #require(harness.validate().response)
        let second = try #require(harness.validate(key: first.idempotencyKey, items: [("BEANS-1KG", 3)]).response)
        #expect(second.idempotencyKey == first.idempotencyKey)
        #expect(second.paymentIntentID == first.paymentIntentID)
        let amount = try #require(harness.intent(first.paymentIntentID)).amountCents
        #expect(amount == Int64(3 * 1850))
        #expect(harness.counters.sessions == 1)
    }

    @Test("the key of a paid session: 'Payment already completed', failed precondition")
    func paidSession() throws {
        let harness = BackendHarness()
        let first = try #require(harness.validate().response)
        #expect(harness.confirm(first, card: .succeeds)?.status == .succeeded)
        let status = try #require(harness.validate(key: first.idempotencyKey).status)
        #expect(status.code == .failedPrecondition)
        #expect(status.message == ErrorTable.paymentAlreadyCompletedMessage)
        #expect(harness.counters.paid == 1)
    }

    @Test("an unknown key: a new session and a new key")
    func unknownKey() throws {
        let harness = BackendHarness()
        let response = try #require(harness.validate(key: "stale-key-from-yesterday").response)
        #expect(response.idempotencyKey != "stale-key-from-yesterday")
        #expect(harness.counters.sessions == 1)
    }

    @Test("sessions expire 24 h after their last validation; the old PaymentIntent is canceled")
    func expiry() throws {
        var harness = BackendHarness()
        let first = try #require(harness.validate().response)
        harness.now += 23 * 3600 * 1000
        #expect(harness.validate(key: first.idempotencyKey).response?.idempotencyKey == first.idempotencyKey)
        harness.now += 24 * 3600 * 1000 + 1
        let renewed = try #require(harness.validate(key: first.idempotencyKey).response)
        #expect(renewed.idempotencyKey != first.idempotencyKey)
        #expect(harness.intent(first.paymentIntentID)?.status == .canceled)
        #expect(try harness.backend.store.session(key: first.idempotencyKey)?.status == .expired)
    }

    @Test("non-card methods get no PaymentIntent and no key", arguments: [
        Checkout_V1_PaymentMethod.cashOnDelivery, .bankTransfer,
    ])
    func nonCard(method: Checkout_V1_PaymentMethod) throws {
        let harness = BackendHarness()
        let response = try #require(harness.validate(method: method).response)
        #expect(response.idempotencyKey.isEmpty)
        #expect(response.paymentIntentID.isEmpty)
        #expect(harness.counters == BackendCounters())
    }

    @Test("item validation errors are invalid argument", arguments: [
        ("NOPE", Int32(1), "unknown SKU"), ("MUG", 0, "at least 1"), ("MUG", -2, "at least 1"),
        ("GRINDER", 4, "in stock"), ("POSTER", 1, "in stock"),
    ])
    func itemValidation(sku: String, qty: Int32, fragment: String) throws {
        let harness = BackendHarness()
        let status = try #require(harness.validate(items: [(sku, qty)]).status)
        #expect(status.code == .invalidArgument)
        #expect(status.message.contains(fragment))
        #expect(harness.counters.sessions == 0)
    }

    @Test("stock holds for the order: two lines of one SKU are counted together")
    func stockSummedPerSKU() throws {
        let harness = BackendHarness()
        let status = try #require(harness.validate(items: [("GRINDER", 3), ("MUG", 1), ("GRINDER", 3)]).status)
        #expect(status.code == .invalidArgument)
        #expect(status.message == "only 3 of GRINDER in stock, 6 requested")
        #expect(harness.counters.sessions == 0)
        // Exactly the stock, split over lines, is fine.
        #expect(harness.validate(items: [("GRINDER", 2), ("GRINDER", 1)]).response != nil)
    }

    @Test("keys over 255 characters are rejected")
    func longKey() throws {
        let harness = BackendHarness()
        #expect(harness.validate(key: String(repeating: "k", count: 255)).response != nil)
        let status = try #require(harness.validate(key: String(repeating: "k", count: 300)).status)
        #expect(status.code == .invalidArgument)
        #expect(status.message.contains("255"))
    }

    @Test("a seed gives a reproducible key sequence; no seed does not")
    func seededKeys() throws {
        let keys = { (seed: UInt64?) -> [String] in
            let harness = BackendHarness(seed: seed)
            return (0..<3).map { _ in harness.validate().response!.idempotencyKey }
        }
        #expect(keys(7) == keys(7))
        #expect(keys(7) != keys(8))
        #expect(keys(nil) != keys(nil))
        #expect(Set(keys(7)).count == 3)
    }

    @Test("the journal records requests and responses as proto3 JSON")
    func journal() throws {
        let harness = BackendHarness()
        _ = harness.validate()
        let entries = try harness.backend.store.recentJournal(limit: 50)
        let request = try #require(entries.first { $0.kind == .request })
        #expect(request.text.contains("\"paymentMethod\":\"CARD\""))
        let response = try #require(entries.first { $0.kind == .response })
        #expect(response.text.contains("\"idempotencyKey\""))
        #expect(entries.contains { $0.kind == .intent && $0.text.contains("created") })
    }
}

@Suite("Payment confirmation: Stripe test cards")
struct PaymentTests {
    @Test("each test card moves the PaymentIntent as Stripe does", arguments: [
        (TestCard.succeeds, IntentStatus.succeeded, ""),
        (.declined, .requiresPaymentMethod, "card_declined"),
        (.insufficientFunds, .requiresPaymentMethod, "insufficient_funds"),
        (.threeDSecure, .requiresAction, ""),
    ])
    func cards(card: TestCard, status: IntentStatus, declineCode: String) throws {
        let harness = BackendHarness()
        let validation = try #require(harness.validate().response)
        let response = try #require(harness.confirm(validation, card: card))
        #expect(response.status == status.proto)
        #expect(response.declineCode == declineCode)
        #expect(harness.intent(validation.paymentIntentID)?.status == status)
        #expect(harness.counters.paid == (status == .succeeded ? 1 : 0))
    }

    @Test("3-D Secure: the redirect return settles the PaymentIntent", arguments: [
        ("succeeded", IntentStatus.succeeded), ("failed", .requiresPaymentMethod),
    ])
    func threeDSecure(redirect: String, status: IntentStatus) throws {
        let harness = BackendHarness()
        let validation = try #require(harness.validate().response)
        #expect(harness.confirm(validation, card: .threeDSecure)?.redirectURL.isEmpty == false)
        harness.completeRedirect(validation.paymentIntentID, redirect)
        #expect(harness.intent(validation.paymentIntentID)?.status == status)
    }

    @Test("3-D Secure on a PaymentIntent canceled by an expiry or a rotation fails as Stripe does, and pays nothing",
          arguments: [RuleKind.expireSessions, .rotate])
    func threeDSecureOnCanceled(canceledBy rule: RuleKind) throws {
        let harness = BackendHarness()
        let validation = try #require(harness.validate().response)
        #expect(harness.confirm(validation, card: .threeDSecure)?.redirectURL.isEmpty == false)
        harness.backend.arm(rule, storedKey: validation.idempotencyKey, nowMillis: harness.now)
        if rule == .rotate { #expect(harness.validate(key: validation.idempotencyKey).response?.idempotencyKey != validation.idempotencyKey) }
        #expect(harness.intent(validation.paymentIntentID)?.status == .canceled)
        let reply = harness.completeRedirect(validation.paymentIntentID, "succeeded")
        guard case .failure(let status) = reply else { Issue.record("authenticated a canceled PaymentIntent: \(reply)"); return }
        #expect(status.code == .failedPrecondition)
        #expect(status.message.hasPrefix("payment_intent_unexpected_state"))
        #expect(harness.intent(validation.paymentIntentID)?.status == .canceled)
        #expect(harness.counters.paid == 0)
    }
}
