import CheckoutCore
import CheckoutProto
import Foundation
import Testing

@Suite("validateCartItems: the key lifecycle")
struct LifecycleTests {
    @Test("the first validation omits the key and stores the returned one")
    func firstValidation() {
        let client = makeClient()
        let transport = ScriptedTransport([okReply(key: "k1")])
        let outcome = client.validateCartItems(via: transport)
        #expect(transport.keysSent == [nil])
        #expect(client.keys.getStoredIdempotencyKey() == "k1")
        #expect(outcome.toast == nil)
        #expect(outcome.records.first?.returnedKey == "k1")
        #expect(outcome.records.first?.clientAction == .storedKey)
    }

    @Test("a retry and a refresh send the stored key", arguments: [ValidationTrigger.retry, .refresh, .checkout])
    func laterValidationsSendKey(trigger: ValidationTrigger) {
        let client = makeClient()
        let transport = ScriptedTransport([okReply(key: "k1"), okReply(key: "k1")])
        _ = client.validateCartItems(via: transport)
        if trigger == .refresh { client.reloadPage() }
        _ = client.validateCartItems(trigger: trigger, via: transport)
        #expect(transport.keysSent == [nil, "k1"])
        #expect(client.keys.getStoredIdempotencyKey() == "k1")
    }

    @Test("a different key in the response overwrites the stored one (rotation)")
    func rotation() {
        let storage = InMemoryKeyValueStorage([IdempotencyKeyStore.storageKey: "old"])
        let client = makeClient(storage: storage)
        let transport = ScriptedTransport([okReply(key: "new")])
        let outcome = client.validateCartItems(via: transport)
        #expect(transport.keysSent == ["old"])
        #expect(client.keys.getStoredIdempotencyKey() == "new")
        #expect(outcome.records.first?.clientAction == .overwroteKey)
    }

    @Test("a response without a key leaves the stored key as it is")
    func noKeyResponse() {
        let storage = InMemoryKeyValueStorage([IdempotencyKeyStore.storageKey: "k1"])
        let client = makeClient(storage: storage)
        _ = client.validateCartItems(via: ScriptedTransport([okReply(key: nil)]))
        #expect(client.keys.getStoredIdempotencyKey() == "k1")
    }

    @Test("a key returned for a non-card method is not stored, and the stored key is still sent")
    func nonCardMethod() {
        let storage = InMemoryKeyValueStorage([IdempotencyKeyStore.storageKey: "k1"])
        let client = makeClient(storage: storage)
        client.setPaymentMethod(.cashOnDelivery)
        let transport = ScriptedTransport([okReply(key: "other", method: .cashOnDelivery)])
        _ = client.validateCartItems(via: transport)
        #expect(transport.keysSent == ["k1"])
        #expect(client.keys.getStoredIdempotencyKey() == "k1")
    }

    @Test("CARD_TEST stores the key like CARD")
    func cardTest() {
        let client = makeClient()
        client.setPaymentMethod(.cardTest)
        _ = client.validateCartItems(via: ScriptedTransport([okReply(key: "t1", method: .cardTest)]))
        #expect(client.keys.getStoredIdempotencyKey() == "t1")
    }

    @Test("'already completed' clears the key and retries once without it")
    func alreadyCompletedRecovered() {
        let storage = InMemoryKeyValueStorage([IdempotencyKeyStore.storageKey: "paid"])
        let client = makeClient(storage: storage)
        let transport = ScriptedTransport([errorReply(alreadyCompleted), okReply(key: "fresh")])
        let outcome = client.validateCartItems(via: transport)
        #expect(transport.keysSent == ["paid", nil])
        #expect(outcome.records.map(\.result) == [.paymentAlreadyCompleted, .ok])
        #expect(outcome.records.map(\.trigger) == [.checkout, .alreadyCompletedRetry])
        #expect(client.keys.getStoredIdempotencyKey() == "fresh")
        #expect(outcome.toast == nil)
    }

    @Test("'already completed' twice: a toast and an empty key, never a third request")
    func alreadyCompletedTwice() {
        let storage = InMemoryKeyValueStorage([IdempotencyKeyStore.storageKey: "paid"])
        let client = makeClient(storage: storage)
        let transport = ScriptedTransport([errorReply(alreadyCompleted), errorReply(alreadyCompleted), okReply(key: "never")])
        let outcome = client.validateCartItems(via: transport)
        #expect(transport.validateRequests.count == 2)
        #expect(client.keys.getStoredIdempotencyKey() == nil)
        #expect(outcome.toast?.category == .paymentAlreadyCompleted)
        #expect(outcome.toast?.message == alreadyCompleted)
    }

    @Test("a retry that fails otherwise shows that failure's toast")
    func retryFailsDifferently() {
        let storage = InMemoryKeyValueStorage([IdempotencyKeyStore.storageKey: "paid"])
        let client = makeClient(storage: storage)
        let transport = ScriptedTransport([errorReply(alreadyCompleted), errorReply("payment unavailable", code: .unavailable)])
        let outcome = client.validateCartItems(via: transport)
        #expect(outcome.toast?.category == .paymentUnavailable)
        #expect(outcome.records.map(\.errorCode) == [.failedPrecondition, .unavailable])
        #expect(outcome.records.last?.responseJSON.contains("\"code\":\"unavailable\"") == true)
        #expect(client.keys.getStoredIdempotencyKey() == nil)
    }

    @Test("network failures keep the key and show the generic toast", arguments: [
        TransportReply.timeout, .response(Data([0x0A, 0x7F])), .response(Data([0xFF, 0xFF, 0xFF])),
    ])
    func networkFailure(reply: TransportReply) {
        let storage = InMemoryKeyValueStorage([IdempotencyKeyStore.storageKey: "k1"])
        let client = makeClient(storage: storage)
        let outcome = client.validateCartItems(via: ScriptedTransport([reply]))
        #expect(outcome.records.map(\.result) == [.network])
        #expect(outcome.records.map(\.errorCode) == [reply == .timeout ? .deadlineExceeded : .dataLoss])
        #expect(outcome.toast?.category == .generic)
        #expect(client.keys.getStoredIdempotencyKey() == "k1")
    }

    @Test("an empty cart sends nothing and says so")
    func emptyCart() {
        let client = CheckoutClient(storage: InMemoryKeyValueStorage())
        let transport = ScriptedTransport([okReply(key: "k1")])
        let outcome = client.validateCartItems(via: transport)
        #expect(transport.validateRequests.isEmpty)
        #expect(outcome.toast?.category == .emptyCart)
    }

    @Test("the request carries the cart, method and form")
    func requestContents() {
        let client = makeClient()
        client.addItem(sku: "MUG", qty: 2)
        client.addItem(sku: "MUG", qty: 1)
        let transport = ScriptedTransport([okReply(key: "k1")])
        _ = client.validateCartItems(via: transport)
        let request = try! #require(transport.validateRequests.first)
        #expect(request.items.map(\.sku) == ["BEANS-1KG", "MUG"])
        #expect(request.items.map(\.quantity) == [1, 3])
        #expect(request.paymentMethod == .card)
        #expect(request.email == "qa@example.com")
    }
}

@Suite("Client variants and the checkout button")
struct VariantTests {
    @Test("the legacy client never sends nor stores a key")
    func legacy() {
        let storage = InMemoryKeyValueStorage([IdempotencyKeyStore.storageKey: "k0"])
        let client = makeClient(storage: storage, settings: ClientSettings(variant: .legacy))
        let transport = ScriptedTransport([okReply(key: "k1"), okReply(key: "k2")])
        _ = client.validateCartItems(via: transport)
        _ = client.validateCartItems(via: transport)
        #expect(transport.keysSent == [nil, nil])
        #expect(storage.value(forKey: IdempotencyKeyStore.storageKey) == "k0")
    }

    @Test("with the guard a second click while in flight is ignored")
    func guardOn() {
        let client = makeClient()
        guard case .sent = client.beginValidation(.checkout) else { Issue.record("first click not sent"); return }
        #expect(client.beginValidation(.checkout) == .ignoredWhileInFlight)
        #expect(client.inFlight.count == 1)
    }

    @Test("without the guard two clicks send two requests, both without a key")
    func guardOff() {
        let client = makeClient(settings: ClientSettings(doubleSubmitGuard: false))
        guard case .sent(let first) = client.beginValidation(.checkout),
              case .sent(let second) = client.beginValidation(.checkout) else {
            Issue.record("expected two requests"); return
        }
        #expect(first.keySent == nil && second.keySent == nil)
        _ = client.receive(okReply(key: "a"), for: first)
        _ = client.receive(okReply(key: "b"), for: second)
        #expect(client.keys.getStoredIdempotencyKey() == "b", "the later response wins")
    }

    @Test("a refresh abandons requests still in flight")
    func refreshAbandons() {
        let client = makeClient()
        guard case .sent(let exchange) = client.beginValidation(.checkout) else { Issue.record("not sent"); return }
        client.reloadPage()
        let step = client.receive(okReply(key: "late"), for: exchange)
        #expect(step.followUp == .abandoned)
        #expect(client.keys.getStoredIdempotencyKey() == nil)
    }
}
