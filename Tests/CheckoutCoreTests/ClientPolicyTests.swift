import CheckoutCore
import Foundation
import Testing

@Suite("Client policies: \"Payment already completed\"")
struct ClientPolicyTests {
    /// A client with a paid key stored, under `policy`.
    private func paidKeyClient(_ policy: ClientPolicy) -> (CheckoutClient, InMemoryKeyValueStorage) {
        let storage = InMemoryKeyValueStorage([IdempotencyKeyStore.storageKey: "paid"])
        return (makeClient(storage: storage, settings: ClientSettings(policy: policy)), storage)
    }

    @Test("standard: clears the key and retries once without it")
    func standard() {
        let (client, _) = paidKeyClient(.standard)
        let transport = ScriptedTransport([errorReply(alreadyCompleted), okReply(key: "fresh")])
        let outcome = client.validateCartItems(via: transport)
        #expect(transport.keysSent == ["paid", nil])
        #expect(outcome.records.map(\.clientAction) == [.clearedAndRetrying, .storedKey])
        #expect(client.keys.getStoredIdempotencyKey() == "fresh")
        #expect(client.cart.count == 1)
    }

    @Test("legacy: sends no key and retries once, as the seed's table says")
    func legacy() {
        let (client, storage) = paidKeyClient(.legacy)
        let transport = ScriptedTransport([errorReply(alreadyCompleted), okReply(key: "fresh")])
        let outcome = client.validateCartItems(via: transport)
        #expect(transport.keysSent == [nil, nil])
        #expect(outcome.records.map(\.result) == [.paymentAlreadyCompleted, .ok])
        #expect(storage.value(forKey: IdempotencyKeyStore.storageKey) == "paid")
    }

    @Test("confirm-new-order: clears the key, does not retry, says the order is paid and keeps the cart")
    func confirmNewOrder() {
        let (client, _) = paidKeyClient(.confirmNewOrder)
        let transport = ScriptedTransport([errorReply(alreadyCompleted), okReply(key: "never")])
        let outcome = client.validateCartItems(via: transport)
        #expect(transport.keysSent == ["paid"])
        #expect(outcome.records.map(\.clientAction) == [.toldOrderPaid(clearedCart: false)])
        #expect(outcome.toast?.category == .orderAlreadyPaid)
        #expect(client.keys.getStoredIdempotencyKey() == nil)
        #expect(client.cart.count == 1)
        #expect(client.holdsOrderAsPaid)
        #expect(client.lastValidation == nil)
    }

    @Test("confirm-new-order: checkout, retry and a refresh send nothing while the order is held as paid")
    func confirmNewOrderHolds() {
        let (client, storage) = paidKeyClient(.confirmNewOrder)
        let transport = ScriptedTransport([errorReply(alreadyCompleted)])
        _ = client.validateCartItems(via: transport)
        for trigger in [ValidationTrigger.checkout, .retry, .refresh] {
            guard case .orderAlreadyPaid(let toast) = client.beginValidation(trigger) else {
                Issue.record("\(trigger) was not refused")
                continue
            }
            #expect(toast.category == .orderAlreadyPaid)
        }
        // Another page on the same localStorage (a refresh) holds it too.
        let reloaded = CheckoutClient(storage: storage, settings: ClientSettings(policy: .confirmNewOrder))
        #expect(reloaded.holdsOrderAsPaid)
        #expect(transport.validateRequests.count == 1)
    }

    @Test("start_new_order forgets the paid order and validates without a key")
    func startNewOrder() {
        let (client, storage) = paidKeyClient(.confirmNewOrder)
        _ = client.validateCartItems(via: ScriptedTransport([errorReply(alreadyCompleted)]))
        try? storage.setValue("left-over", forKey: IdempotencyKeyStore.storageKey)
        guard case .sent(let exchange)? = client.startNewOrder() else {
            Issue.record("start_new_order sent nothing")
            return
        }
        #expect(exchange.keySent == nil)
        #expect(exchange.trigger == .newOrder)
        #expect(!client.holdsOrderAsPaid)
        #expect(client.keys.getStoredIdempotencyKey() == nil)
        let step = client.receive(okReply(key: "new"), for: exchange)
        #expect(step.followUp == .finished(toast: nil))
        #expect(client.keys.getStoredIdempotencyKey() == "new")
    }

    @Test("start_new_order without a paid order to leave does nothing", arguments: ClientPolicy.all)
    func startNewOrderWithoutPaidOrder(policy: ClientPolicy) {
        let (client, storage) = paidKeyClient(policy)
        #expect(client.startNewOrder() == nil)
        #expect(storage.value(forKey: IdempotencyKeyStore.storageKey) == "paid")
        #expect(client.inFlight.isEmpty)
    }

    @Test("paid-clears-cart: clears key and cart, does not retry, says the order is paid")
    func paidClearsCart() {
        let (client, storage) = paidKeyClient(.paidClearsCart)
        let transport = ScriptedTransport([errorReply(alreadyCompleted), okReply(key: "never")])
        let outcome = client.validateCartItems(via: transport)
        #expect(transport.keysSent == ["paid"])
        #expect(outcome.records.map(\.clientAction) == [.toldOrderPaid(clearedCart: true)])
        #expect(outcome.toast?.category == .orderAlreadyPaid)
        #expect(client.keys.getStoredIdempotencyKey() == nil)
        #expect(client.cart.isEmpty)
        #expect(storage.value(forKey: ShopperStore.Key.cart) == nil)
        #expect(!client.holdsOrderAsPaid)
        #expect(client.form.email == "qa@example.com")
    }

    @Test("the retry count travels in the exchange", arguments: ClientPolicy.all)
    func retryCount(policy: ClientPolicy) {
        let (client, _) = paidKeyClient(policy)
        let transport = ScriptedTransport(Array(repeating: errorReply(alreadyCompleted), count: 5))
        _ = client.validateCartItems(via: transport)
        #expect(transport.validateRequests.count == 1 + policy.alreadyCompleted.retries)
    }
}

@Suite("Client policies: the table")
struct ClientPolicyTableTests {
    @Test("every policy is found by its name, and names are unique")
    func names() {
        #expect(Set(ClientPolicy.all.map(\.name)).count == ClientPolicy.all.count)
        for policy in ClientPolicy.all {
            #expect(ClientPolicy(rawValue: policy.name) == policy)
        }
        #expect(ClientPolicy(rawValue: "standrd") == nil)
        #expect(ClientPolicy.all.first == .standard)
    }

    @Test("the key cycles through every policy and back")
    func cycle() {
        var policy = ClientPolicy.standard
        var seen: [ClientPolicy] = []
        for _ in ClientPolicy.all {
            seen.append(policy)
            policy = policy.next
        }
        #expect(seen == ClientPolicy.all)
        #expect(policy == .standard)
    }

    @Test("a policy is Codable by its name")
    func codable() throws {
        let data = try JSONEncoder().encode([ClientPolicy.paidClearsCart])
        #expect(String(decoding: data, as: UTF8.self) == "[\"paid-clears-cart\"]")
        #expect(try JSONDecoder().decode([ClientPolicy].self, from: data) == [.paidClearsCart])
    }

    @Test("the web shop's table carries every policy's rules, the timeout and the PaymentIntent methods")
    func table() throws {
        let table = try #require(JSONSerialization.jsonObject(with: Data(ClientPolicy.tableJSON.utf8)) as? [String: Any])
        #expect(table["timeout_ms"] as? Int == Int(ClientPolicy.defaultTimeoutMillis))
        #expect(table["payment_intent_methods"] as? [String] == ["CARD", "CARD_TEST"])
        let policies = try #require(table["policies"] as? [[String: Any]])
        #expect(policies.compactMap { $0["name"] as? String } == ClientPolicy.all.map(\.name))
        for (row, policy) in zip(policies, ClientPolicy.all) {
            let rule = try #require(row["already_completed"] as? [String: Any])
            #expect(row["stores_key"] as? Bool == policy.storesKey)
            #expect(rule["retries"] as? Int == policy.alreadyCompleted.retries)
            #expect(rule["clears"] as? [String] == policy.alreadyCompleted.clears.names)
            #expect(rule["tells_order_paid"] as? Bool == policy.alreadyCompleted.tellsOrderPaid)
            #expect(rule["waits_for_new_order"] as? Bool == policy.alreadyCompleted.waitsForNewOrder)
        }
    }
}
