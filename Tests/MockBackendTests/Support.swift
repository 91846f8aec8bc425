import CheckoutCore
import CheckoutProto
import Foundation
@testable import MockBackend

/// Drives a backend with typed requests.
struct BackendHarness {
    let backend: MockBackend
    var now: Int64 = 1_767_225_600_000

    init(seed: UInt64? = 1, store: BackendStore = InMemoryBackendStore()) {
        backend = MockBackend(store: store, seed: seed)
    }

    func validate(key: String? = nil, items: [(String, Int32)] = [("BEANS-1KG", 1)],
                  method: Checkout_V1_PaymentMethod = .card) -> BackendDelivery {
        var request = Checkout_V1_ValidateOrderItemsInsertRequest()
        request.items = items.map { sku, qty in
            var item = Checkout_V1_OrderItem()
            item.sku = sku
            item.quantity = qty
            return item
        }
        request.paymentMethod = method
        request.currency = "EUR"
        if let key { request.idempotencyKey = key }
        return backend.handle(.validateOrderItemsInsert, try! request.serializedData(), nowMillis: now)
    }

    func confirm(_ response: Checkout_V1_ValidateOrderItemsInsertResponse, card: TestCard) -> Checkout_V1_ConfirmPaymentResponse? {
        var request = Checkout_V1_ConfirmPaymentRequest()
        request.paymentIntentID = response.paymentIntentID
        request.clientSecret = response.clientSecret
        request.cardNumber = card.rawValue
        guard case .response(let data) = backend.handle(.confirmPayment, try! request.serializedData(), nowMillis: now).reply
        else { return nil }
        return try? Checkout_V1_ConfirmPaymentResponse(serializedBytes: data)
    }

    @discardableResult
    func completeRedirect(_ id: String, _ status: String) -> TransportReply {
        var request = Checkout_V1_CompleteRedirectRequest()
        request.paymentIntentID = id
        request.redirectStatus = status
        return backend.handle(.completeRedirect, try! request.serializedData(), nowMillis: now).reply
    }

    var counters: BackendCounters { try! backend.store.counters() }

    func intent(_ id: String) -> PaymentIntent? { try! backend.store.intent(id: id) }
}

extension BackendDelivery {
    var response: Checkout_V1_ValidateOrderItemsInsertResponse? {
        guard case .response(let data) = reply else { return nil }
        return try? Checkout_V1_ValidateOrderItemsInsertResponse(serializedBytes: data)
    }

    var status: RPCStatus? {
        if case .failure(let status) = reply { return status }
        return nil
    }
}

func isUUIDv4(_ text: String) -> Bool { text.wholeMatch(of: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/) != nil }
