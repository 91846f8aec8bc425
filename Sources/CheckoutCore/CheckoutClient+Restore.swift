import CheckoutProto

extension CheckoutClient {
    /// Takes a validation of `paymentMethod` as the latest successful one, as if
    /// its reply had arrived before a scenario started: `pay` then confirms
    /// `paymentIntentID` (card methods) or places the order (the others).
    public func restoreValidation(paymentMethod: PaymentMethod, key: String?, paymentIntentID: String?, clientSecret: String?) {
        var response = Checkout_V1_ValidateOrderItemsInsertResponse()
        response.paymentMethod = paymentMethod.proto
        response.currency = "EUR"
        response.idempotencyKey = key ?? ""
        response.paymentIntentID = paymentIntentID ?? ""
        response.clientSecret = clientSecret ?? ""
        lastValidation = response
    }

    /// Takes `paymentIntentID` as the PaymentIntent waiting for the shopper's return from 3-D Secure.
    public func restorePendingRedirect(_ paymentIntentID: String?) {
        pendingRedirect = paymentIntentID
    }
}

extension CheckoutClient {
    /// A validation request sent before a scenario started whose reply is still
    /// on the way (a recording's setup); an `abandoned` one was sent by the page
    /// before the last refresh, and its reply is ignored.
    public func restoreExchange(_ trigger: ValidationTrigger, key: String?, paymentMethod: PaymentMethod,
                                abandoned: Bool) -> ValidationExchange {
        makeExchange(trigger, key: key, method: paymentMethod, abandoned: abandoned,
                     alreadyCompletedRetries: trigger == .alreadyCompletedRetry ? 1 : 0)
    }
}
