import CheckoutCore
import Testing

@Suite("Order completion flows (seed §4)")
struct CompletionFlowTests {
    private func validatedClient() -> (CheckoutClient, ScriptedTransport) {
        let client = makeClient()
        let transport = ScriptedTransport([okReply(key: "k1")])
        _ = client.validateCartItems(via: transport)
        #expect(client.keys.getStoredIdempotencyKey() == "k1")
        return (client, transport)
    }

    @Test("direct payment success clears the key, the cart and the form")
    func directSuccess() {
        let (client, transport) = validatedClient()
        transport.confirmReplies = [confirmReply(.succeeded)]
        let outcome = client.pay(card: "4242 4242 4242 4242", via: transport)
        #expect(outcome.status == .succeeded)
        #expect(outcome.toast?.category == .paymentSucceeded)
        #expect(client.keys.getStoredIdempotencyKey() == nil)
        #expect(client.cart.isEmpty)
        #expect(client.form.isEmpty)
        #expect(client.storage.value(forKey: ShopperStore.Key.cart) == nil)
    }

    @Test("a declined card keeps key, cart and form")
    func declined() {
        let (client, transport) = validatedClient()
        transport.confirmReplies = [confirmReply(.requiresPaymentMethod, message: "Your card has insufficient funds.")]
        let outcome = client.pay(card: TestCard.insufficientFunds.rawValue, via: transport)
        #expect(outcome.status == .declined)
        #expect(outcome.toast?.category == .cardDeclined)
        #expect(outcome.toast?.message == "Your card has insufficient funds.")
        #expect(client.keys.getStoredIdempotencyKey() == "k1")
        #expect(!client.cart.isEmpty && !client.form.isEmpty)
    }

    @Test("redirect return with succeeded clears key and cart; the form stays")
    func redirectSucceeded() {
        let (client, transport) = validatedClient()
        transport.confirmReplies = [confirmReply(.requiresAction)]
        #expect(client.pay(card: TestCard.threeDSecure.rawValue, via: transport).status == .requiresAction)
        #expect(client.keys.getStoredIdempotencyKey() == "k1", "nothing is cleared before the return")
        let outcome = client.returnFromRedirect(.succeeded, via: transport)
        #expect(outcome.status == .succeeded)
        #expect(client.keys.getStoredIdempotencyKey() == nil)
        #expect(client.cart.isEmpty)
        #expect(client.form.email == "qa@example.com")
    }

    @Test("redirect return with failed keeps everything")
    func redirectFailed() {
        let (client, transport) = validatedClient()
        let outcome = client.returnFromRedirect(.failed, via: transport)
        #expect(outcome.status == .failed)
        #expect(outcome.toast?.category == .authenticationFailed)
        #expect(client.keys.getStoredIdempotencyKey() == "k1")
        #expect(!client.cart.isEmpty)
    }

    @Test("paying before any validation sends nothing")
    func payWithoutValidation() {
        let client = makeClient()
        let transport = ScriptedTransport()
        let outcome = client.pay(card: TestCard.succeeds.rawValue, via: transport)
        #expect(outcome.status == nil)
        #expect(outcome.toast?.category == .notValidated)
        #expect(transport.calls.isEmpty)
    }
}
