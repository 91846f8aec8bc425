import CheckoutCore
import CheckoutProto
import Foundation

/// A transport that answers from a script and remembers every request.
final class ScriptedTransport: Transport {
    var replies: [TransportReply] = []
    var confirmReplies: [TransportReply] = []
    private(set) var validateRequests: [Checkout_V1_ValidateOrderItemsInsertRequest] = []
    private(set) var calls: [RPCMethod] = []

    init(_ replies: [TransportReply] = []) {
        self.replies = replies
    }

    func unary(_ method: RPCMethod, _ request: Data) -> TransportReply {
        calls.append(method)
        switch method {
        case .validateOrderItemsInsert:
            validateRequests.append(try! Checkout_V1_ValidateOrderItemsInsertRequest(serializedBytes: request))
            return replies.isEmpty ? .timeout : replies.removeFirst()
        case .confirmPayment:
            return confirmReplies.isEmpty ? .timeout : confirmReplies.removeFirst()
        case .completeRedirect:
            return .response(Data())
        }
    }

    /// The keys the validation requests carried, `nil` where omitted.
    var keysSent: [String?] {
        validateRequests.map { $0.idempotencyKey.isEmpty ? nil : $0.idempotencyKey }
    }
}

/// A successful validation response carrying `key` (none when `nil`).
func okReply(key: String?, paymentIntent: String = "pi_1", method: Checkout_V1_PaymentMethod = .card) -> TransportReply {
    var response = Checkout_V1_ValidateOrderItemsInsertResponse()
    response.totalCents = 1850
    response.currency = "EUR"
    response.paymentMethod = method
    if let key { response.idempotencyKey = key }
    response.paymentIntentID = paymentIntent
    response.clientSecret = paymentIntent + "_secret"
    return .response(try! response.serializedData())
}

func errorReply(_ message: String, code: RPCCode = .failedPrecondition) -> TransportReply {
    .failure(RPCStatus(code: code, message: message))
}

func confirmReply(_ status: Checkout_V1_PaymentIntentStatus, message: String = "") -> TransportReply {
    var response = Checkout_V1_ConfirmPaymentResponse()
    response.paymentIntentID = "pi_1"
    response.status = status
    response.message = message
    return .response(try! response.serializedData())
}

/// A client with one item in the cart and a filled form.
func makeClient(
    storage: InMemoryKeyValueStorage = InMemoryKeyValueStorage(),
    settings: ClientSettings = ClientSettings()
) -> CheckoutClient {
    let client = CheckoutClient(storage: storage, settings: settings)
    client.addItem(sku: "BEANS-1KG", qty: 1)
    client.fillForm(FormData(email: "qa@example.com", name: "Ada"))
    return client
}

let alreadyCompleted = ErrorTable.paymentAlreadyCompletedMessage
