import CheckoutCore

extension MockBackend {
    /// Puts a session and its PaymentIntent in place as they stood before a
    /// scenario started (a recording's setup). They are not counted in the
    /// totals: those count what happens from the start. An existing session
    /// with `key` is left as it is. Returns the session's PaymentIntent.
    @discardableResult
    public func restoreSession(key: String, status: SessionStatus, amountCents: Int64, intentStatus: IntentStatus,
                               lastValidatedAtMillis: Int64, nowMillis: Int64) -> PaymentIntent? {
        try? store.transaction {
            if let existing = try store.session(key: key) { return try store.intent(id: existing.paymentIntentID) }
            var intentID = "pi_setup_" + randomness.nextSecret()
            while try store.intent(id: intentID) != nil { intentID = "pi_setup_" + randomness.nextSecret() }
            let intent = PaymentIntent(id: intentID, sessionKey: key, amountCents: amountCents, currency: "EUR", status: intentStatus,
                                       clientSecret: "\(intentID)_secret_\(randomness.nextSecret())", updatedAtMillis: lastValidatedAtMillis)
            try store.saveIntent(intent)
            try store.saveSession(PaymentSession(key: key, paymentIntentID: intentID, status: status,
                                                 createdAtMillis: lastValidatedAtMillis, lastValidatedAtMillis: lastValidatedAtMillis))
            journal(.session(.restored(key: key, status: status, intent: intentID, intentStatus: intentStatus)), nowMillis)
            return intent
        }
    }
}

extension MockBackend {
    /// Keys of requests still being processed at `nowMillis`, with how long they stay in use (key_in_use).
    public func keysInUse(nowMillis: Int64) -> [(key: String, forMillis: Int64)] {
        inProgress.filter { $0.value > nowMillis }.map { ($0.key, $0.value - nowMillis) }.sorted { $0.key < $1.key }
    }

    /// Takes `key` as used by a request still being processed for `forMillis` (a recording's setup).
    public func restoreKeyInUse(_ key: String, forMillis: Int64, nowMillis: Int64) {
        markInProgress(key, until: nowMillis + forMillis, nowMillis: nowMillis)
    }
}
