import CheckoutCore
import Testing

@Suite("The seed's error table")
struct ErrorTableTests {
    @Test("messages are matched by text, case-insensitively", arguments: [
        (ErrorTable.paymentAlreadyCompletedMessage, ResultCategory.paymentAlreadyCompleted),
        ("PAYMENT ALREADY COMPLETED FOR THIS SESSION. Please clear your checkout and start a new order.", .paymentAlreadyCompleted),
        ("rpc error: Payment already completed for this session", .paymentAlreadyCompleted),
        ("payment unavailable", .paymentUnavailable),
        ("Payment Unavailable: Stripe is down", .paymentUnavailable),
        ("failed to create payment intent", .failedToCreatePaymentIntent),
        ("FAILED TO CREATE PAYMENT INTENT: no API key", .failedToCreatePaymentIntent),
        ("unknown SKU: NOPE", .validation),
        ("quantity must be positive", .validation),
        ("", .validation),
        ("payment completed", .validation),
    ])
    func classification(message: String, expected: ResultCategory) {
        #expect(ErrorTable.category(forMessage: message) == expected)
    }

    @Test("each category gets the toast of its row")
    func toasts() {
        let completed = ErrorTable.toast(for: .paymentAlreadyCompleted, message: alreadyCompleted)
        #expect(completed?.category == .paymentAlreadyCompleted)
        #expect(completed?.kind == .error)
        #expect(completed?.message == alreadyCompleted)
        #expect(ErrorTable.toast(for: .paymentUnavailable, message: "payment unavailable")?.category == .paymentUnavailable)
        #expect(ErrorTable.toast(for: .failedToCreatePaymentIntent, message: "x")?.category == .paymentUnavailable)
        let generic = ErrorTable.toast(for: .validation, message: "unknown SKU")
        #expect(generic?.category == .generic)
        #expect(generic?.message.hasPrefix("Something went wrong") == true)
        #expect(ErrorTable.toast(for: .network, message: "timeout")?.category == .generic)
        #expect(ErrorTable.toast(for: .ok, message: "") == nil)
    }

    @Test("every row of the table, end to end through the client", arguments: [
        ("payment unavailable", Toast.Category.paymentUnavailable, ResultCategory.paymentUnavailable),
        ("Failed To Create Payment Intent", .paymentUnavailable, .failedToCreatePaymentIntent),
        ("cart total mismatch", .generic, .validation),
    ])
    func rowThroughClient(message: String, toast: Toast.Category, result: ResultCategory) {
        let storage = InMemoryKeyValueStorage([IdempotencyKeyStore.storageKey: "k0"])
        let client = makeClient(storage: storage)
        let transport = ScriptedTransport([errorReply(message, code: .unavailable)])
        let outcome = client.validateCartItems(via: transport)
        #expect(outcome.records.map(\.result) == [result])
        #expect(outcome.toast?.category == toast)
        #expect(outcome.toast?.kind == .error)
        #expect(client.keys.getStoredIdempotencyKey() == "k0", "only 'already completed' clears the key")
        #expect(transport.validateRequests.count == 1, "only 'already completed' retries")
    }
}
