import CheckoutCore
import CheckoutProto
import Foundation

// MARK: - ValidateOrderItemsInsert

extension MockBackend {
    /// Validates the items, then finds, reuses, rotates or creates the payment
    /// session (card methods only). Runs inside a store transaction.
    func processValidation(
        _ request: Checkout_V1_ValidateOrderItemsInsertRequest, rotate: Bool, nowMillis: Int64
    ) throws -> Result<Checkout_V1_ValidateOrderItemsInsertResponse, RPCStatus> {
        if request.idempotencyKey.count > Self.maxKeyLength {
            return .failure(RPCStatus(code: .invalidArgument,
                                      message: "idempotency_key is \(request.idempotencyKey.count) characters; at most \(Self.maxKeyLength) are allowed"))
        }
        var response = Checkout_V1_ValidateOrderItemsInsertResponse()
        switch priceItems(request.items) {
        case .failure(let status): return .failure(status)
        case .success(let items): response.items = items
        }
        let subtotal = response.items.reduce(Int64(0) as Int64?) { sum, item in sum?.checkedAdding(item.lineTotalCents) }
        let shipping = subtotal.map(Catalog.shipping(forSubtotal:)) ?? 0
        guard let subtotal, let total = subtotal.checkedAdding(shipping) else {
            return .failure(RPCStatus(code: .invalidArgument, message: "the order total is out of range"))
        }
        response.subtotalCents = subtotal
        response.shippingCents = shipping
        response.totalCents = total
        response.currency = request.currency.isEmpty ? "EUR" : request.currency
        response.paymentMethod = request.paymentMethod

        guard request.paymentMethod == .card || request.paymentMethod == .cardTest else {
            return .success(response)
        }
        let session: PaymentSession, intent: PaymentIntent?
        switch try resolveSession(key: request.idempotencyKey, rotate: rotate, amount: response.totalCents,
                                  currency: response.currency, nowMillis: nowMillis) {
        case .failure(let status): return .failure(status)
        case .success(let resolved): (session, intent) = resolved
        }
        response.paymentIntentID = session.paymentIntentID
        response.clientSecret = intent?.clientSecret ?? ""
        response.idempotencyKey = session.key
        return .success(response)
    }

    private func priceItems(_ items: [Checkout_V1_OrderItem]) -> Result<[Checkout_V1_ValidatedItem], RPCStatus> {
        guard !items.isEmpty else { return .failure(RPCStatus(code: .invalidArgument, message: "the order has no items")) }
        var priced: [Checkout_V1_ValidatedItem] = []
        // Stock holds for the whole order: two lines of one SKU draw on the same shelf.
        var requested: [String: Int64] = [:]
        for item in items {
            guard let product = catalog.product(sku: item.sku) else {
                return .failure(RPCStatus(code: .invalidArgument, message: "unknown SKU: \(item.sku)"))
            }
            guard item.quantity > 0 else {
                return .failure(RPCStatus(code: .invalidArgument, message: "quantity of \(item.sku) must be at least 1, got \(item.quantity)"))
            }
            let total = requested[product.sku, default: 0] + Int64(item.quantity)
            requested[product.sku] = total
            guard total <= Int64(product.stock) else {
                return .failure(RPCStatus(code: .invalidArgument,
                                          message: "only \(product.stock) of \(item.sku) in stock, \(total) requested"))
            }
            var line = Checkout_V1_ValidatedItem()
            line.sku = product.sku
            line.name = product.name
            line.quantity = item.quantity
            line.unitPriceCents = product.priceCents
            let (lineTotal, overflow) = product.priceCents.multipliedReportingOverflow(by: Int64(item.quantity))
            guard !overflow else {
                return .failure(RPCStatus(code: .invalidArgument, message: "the line total of \(item.sku) is out of range"))
            }
            line.lineTotalCents = lineTotal
            priced.append(line)
        }
        return .success(priced)
    }

    /// The session the validation goes on with, and its PaymentIntent as it now stands.
    private func resolveSession(key: String, rotate: Bool, amount: Int64, currency: String,
                                nowMillis: Int64) throws -> Result<(PaymentSession, PaymentIntent?), RPCStatus> {
        guard !key.isEmpty else {
            return .success(try createSession(amount: amount, currency: currency, nowMillis: nowMillis, reason: .noKey))
        }
        guard var session = try store.session(key: key) else {
            return .success(try createSession(amount: amount, currency: currency, nowMillis: nowMillis, reason: .unknownKey))
        }
        if session.status == .rotated { rotatedKeysReceived += 1 }
        if session.status == .paid {
            return .failure(RPCStatus(code: .failedPrecondition, message: ErrorTable.paymentAlreadyCompletedMessage))
        }
        if session.status == .open, nowMillis - session.lastValidatedAtMillis > Self.sessionLifetimeMillis {
            try close(&session, as: .expired, nowMillis: nowMillis)
        }
        if session.status == .open, rotate {
            try close(&session, as: .rotated, nowMillis: nowMillis)
        }
        guard session.status == .open else {
            return .success(try createSession(amount: amount, currency: currency, nowMillis: nowMillis,
                                              reason: .keyOf(session.status)))
        }
        session.lastValidatedAtMillis = nowMillis
        try store.saveSession(session)
        var intent = try store.intent(id: session.paymentIntentID)
        if var changed = intent, !changed.status.isTerminal, changed.amountCents != amount {
            let old = changed.amountCents
            changed.amountCents = amount
            changed.updatedAtMillis = nowMillis
            try store.saveIntent(changed)
            journal(.intent(.amountChanged(id: changed.id, from: old, to: amount)), nowMillis)
            intent = changed
        }
        return .success((session, intent))
    }

    /// Puts an open session with `key` in place, as if an earlier validation had
    /// made it (scenarios recorded mid-session start from one).
    public func openSession(key: String, amountCents: Int64, nowMillis: Int64) {
        _ = try? store.transaction {
            guard try store.session(key: key) == nil else { return }
            _ = try createSession(amount: amountCents, currency: "EUR", nowMillis: nowMillis, reason: .setUpByScenario, key: key)
        }
    }

    private func createSession(amount: Int64, currency: String, nowMillis: Int64, reason: NewSessionReason,
                               key given: String? = nil) throws -> (PaymentSession, PaymentIntent?) {
        var key = given ?? randomness.nextKey()
        while given == nil, try store.session(key: key) != nil { key = randomness.nextKey() }
        let number = try store.counters().paymentIntents + 1
        let intentID = String(format: "pi_%06d_", number) + String(randomness.nextSecret().prefix(6))
        let intent = PaymentIntent(
            id: intentID, sessionKey: key, amountCents: amount, currency: currency,
            status: .requiresPaymentMethod, clientSecret: "\(intentID)_secret_\(randomness.nextSecret())",
            updatedAtMillis: nowMillis)
        let session = PaymentSession(key: key, paymentIntentID: intentID, status: .open,
                                     createdAtMillis: nowMillis, lastValidatedAtMillis: nowMillis)
        try store.saveIntent(intent)
        try store.saveSession(session)
        try store.addToCounters(sessions: 1, paymentIntents: 1, paid: 0)
        journal(.session(.created(key: key, reason: reason)), nowMillis)
        journal(.intent(.created(id: intentID, amountCents: amount, currency: currency)), nowMillis)
        return (session, intent)
    }

    /// Closes an open session and cancels its PaymentIntent.
    private func close(_ session: inout PaymentSession, as status: SessionStatus, nowMillis: Int64) throws {
        session.status = status
        try store.saveSession(session)
        journal(.session(.closed(key: session.key, status: status)), nowMillis)
        try setIntentStatus(session.paymentIntentID, .canceled, nowMillis: nowMillis)
    }

    /// Moves a PaymentIntent to `status`, journaling the change and counting payments.
    func setIntentStatus(_ id: String, _ status: IntentStatus, nowMillis: Int64) throws {
        guard var intent = try store.intent(id: id), intent.status != status, !intent.status.isTerminal else { return }
        let old = intent.status
        intent.status = status
        intent.updatedAtMillis = nowMillis
        try store.saveIntent(intent)
        if status == .succeeded {
            try store.addToCounters(sessions: 0, paymentIntents: 0, paid: 1)
            if var session = try store.session(key: intent.sessionKey) {
                session.status = .paid
                try store.saveSession(session)
            }
        }
        journal(.intent(.statusChanged(id: id, from: old, to: status)), nowMillis)
    }

    // MARK: - Immediate rules

    func expireAllOpenSessions(nowMillis: Int64) throws -> RuleEvent {
        let open = try store.openSessions()
        for var session in open { try close(&session, as: .expired, nowMillis: nowMillis) }
        return .expired(sessions: open.count)
    }

    func markPaid(key: String?, nowMillis: Int64) throws -> RuleEvent {
        guard let key, let session = try store.session(key: key) else { return .nothingToPay }
        guard session.status == .open else { return .notOpen(key: key, status: session.status) }
        try setIntentStatus(session.paymentIntentID, .processing, nowMillis: nowMillis)
        try setIntentStatus(session.paymentIntentID, .succeeded, nowMillis: nowMillis)
        return .paidElsewhere(key: key)
    }
}
