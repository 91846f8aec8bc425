import CheckoutProto
import Foundation
import SwiftProtobuf

/// The web checkout's client logic (the seed), as a state machine the
/// simulation drives: `beginValidation` produces a request, `receive` handles its
/// reply. `validateCartItems(via:)` runs both over a synchronous transport.
public final class CheckoutClient {
    public let storage: KeyValueStorage
    public let keys: IdempotencyKeyStore
    public let shopper: ShopperStore
    public var settings: ClientSettings

    public private(set) var cart: [CartLine] = []
    public private(set) var form = FormData()
    public private(set) var paymentMethod: PaymentMethod = .card
    /// The latest successful validation; `pay` uses its PaymentIntent.
    public internal(set) var lastValidation: Checkout_V1_ValidateOrderItemsInsertResponse?
    /// The PaymentIntent waiting for 3-D Secure, if any.
    public internal(set) var pendingRedirect: String?
    /// Requests sent and not answered yet.
    public private(set) var inFlight: [Int: ValidationExchange] = [:]
    /// Problems met reading or writing storage, for the page to show.
    public private(set) var notices: [String] = []

    /// The id the next request gets.
    public private(set) var nextExchangeID = 1
    /// The page load; a refresh abandons requests of older ones.
    public private(set) var pageGeneration = 0

    /// Loads the page: cart, form and method from `storage`.
    public init(storage: KeyValueStorage, settings: ClientSettings = ClientSettings()) {
        self.storage = storage
        self.keys = IdempotencyKeyStore(storage: storage)
        self.shopper = ShopperStore(storage: storage)
        self.settings = settings
        loadFromStorage()
    }

    /// An independent copy of this page over `storage` (a copy of its storage): the explorer
    /// forks a state instead of replaying the actions that led to it.
    public func copy(storage: KeyValueStorage) -> CheckoutClient {
        CheckoutClient(copying: self, storage: storage)
    }

    private init(copying other: CheckoutClient, storage: KeyValueStorage) {
        self.storage = storage
        keys = IdempotencyKeyStore(storage: storage)
        shopper = ShopperStore(storage: storage)
        settings = other.settings
        cart = other.cart
        form = other.form
        paymentMethod = other.paymentMethod
        lastValidation = other.lastValidation
        pendingRedirect = other.pendingRedirect
        inFlight = other.inFlight
        notices = other.notices
        nextExchangeID = other.nextExchangeID
        pageGeneration = other.pageGeneration
    }

    /// A page refresh: in-flight requests are abandoned and everything is read
    /// again from `localStorage` (the JavaScript state is gone).
    public func reloadPage() {
        pageGeneration += 1
        inFlight.removeAll()
        lastValidation = nil
        pendingRedirect = nil
        loadFromStorage()
    }

    private func loadFromStorage() {
        notices += storage.drainNotices()
        cart = shopper.loadCart(notices: &notices)
        form = shopper.loadForm(notices: &notices)
        paymentMethod = shopper.loadPaymentMethod()
    }

    /// Hands over the accumulated storage notices.
    public func drainNotices() -> [String] {
        notices += storage.drainNotices()
        defer { notices.removeAll() }
        return notices
    }

    /// The key this client would send now: the stored one, unless its policy never stores one.
    public var keyToSend: String? {
        settings.policy.storesKey ? keys.getStoredIdempotencyKey() : nil
    }

    /// Whether the page holds its order as paid and waits for the shopper to start a new one
    /// (a policy that waits, after "Payment already completed"). Kept in localStorage, so a
    /// refresh or another tab sees it too.
    public var holdsOrderAsPaid: Bool {
        settings.policy.alreadyCompleted.waitsForNewOrder && storage.value(forKey: ShopperStore.Key.orderPaid) != nil
    }

    // MARK: - Validation (seed §2)

    /// Starts `validateCartItems()`: builds the request with the stored key
    /// (none on a first validation, none ever for the legacy client).
    public func beginValidation(_ trigger: ValidationTrigger) -> ValidationStart {
        if trigger != .refresh, settings.doubleSubmitGuard, !inFlight.isEmpty {
            return .ignoredWhileInFlight
        }
        if cart.isEmpty {
            return .emptyCart(Toast(kind: .info, category: .emptyCart,
                                    message: "Your cart is empty: add an item before checking out."))
        }
        if trigger != .newOrder, holdsOrderAsPaid {
            return .orderAlreadyPaid(Self.orderPaidToast(waitsForNewOrder: true))
        }
        return .sent(makeExchange(trigger, key: trigger == .newOrder ? nil : keyToSend))
    }

    /// `start_new_order`: the shopper asks for a new order, which the page offers once it holds
    /// its order as paid. It forgets the paid order (and its key) and validates its cart
    /// without a key. `nil` when there is no paid order to leave: nothing happens.
    public func startNewOrder() -> ValidationStart? {
        guard holdsOrderAsPaid else { return nil }
        if settings.doubleSubmitGuard, !inFlight.isEmpty { return .ignoredWhileInFlight }
        attempt("forget the paid order") { try storage.removeValue(forKey: ShopperStore.Key.orderPaid) }
        clearKey()
        lastValidation = nil
        return beginValidation(.newOrder)
    }

    /// What a policy that takes "Payment already completed" as the order being paid tells the shopper.
    static func orderPaidToast(waitsForNewOrder: Bool) -> Toast {
        Toast(kind: .info, category: .orderAlreadyPaid, message: "This order is already paid (in another tab or an earlier visit): nothing more to pay."
              + (waitsForNewOrder ? " Start a new order to buy again." : ""))
    }

    /// A request for the cart, with `key`; `method` replaces the page's, and an
    /// `abandoned` one belongs to the page before the last refresh (a recording's setup).
    func makeExchange(_ trigger: ValidationTrigger, key: String?, method: PaymentMethod? = nil,
                      abandoned: Bool = false, alreadyCompletedRetries: Int = 0) -> ValidationExchange {
        var request = Checkout_V1_ValidateOrderItemsInsertRequest()
        request.items = cart.map { line in
            var item = Checkout_V1_OrderItem()
            item.sku = line.sku
            item.quantity = Int32(clamping: line.qty)
            return item
        }
        request.paymentMethod = (method ?? paymentMethod).proto
        request.email = form.email
        request.customerName = form.name
        request.currency = "EUR"
        request.locale = "en"
        if let key { request.idempotencyKey = key }
        let exchange = ValidationExchange(
            id: nextExchangeID, trigger: trigger, keySent: key, request: request,
            bytes: (try? request.serializedData()) ?? Data(), pageGeneration: abandoned ? pageGeneration - 1 : pageGeneration,
            alreadyCompletedRetries: alreadyCompletedRetries)
        nextExchangeID += 1
        if !abandoned { inFlight[exchange.id] = exchange }
        return exchange
    }

    /// Handles the reply to `exchange`: stores / rotates / clears the key, maps
    /// errors through the seed's table, and decides whether to retry.
    public func receive(_ reply: TransportReply, for exchange: ValidationExchange) -> ValidationStep {
        let abandoned = exchange.pageGeneration != pageGeneration
        inFlight[exchange.id] = nil
        var record = RequestRecord(
            exchangeID: exchange.id, trigger: exchange.trigger, keySent: exchange.keySent,
            result: .ok, returnedKey: nil, message: nil, clientAction: .none,
            request: exchange.request, response: nil, errorCode: nil)
        let outcome = ValidationReply(reply)
        record.response = outcome.response
        record.errorCode = outcome.code
        if abandoned {
            record.result = outcome.category
            record.returnedKey = outcome.response?.idempotencyKey.nonEmpty
            record.message = outcome.message
            record.clientAction = .ignoredAfterReload
            return ValidationStep(record: record, followUp: .abandoned)
        }
        switch outcome {
        case .success(let response):
            record.returnedKey = response.idempotencyKey.nonEmpty
            record.clientAction = handleSuccess(response, for: exchange)
            lastValidation = response
            return ValidationStep(record: record, followUp: .finished(toast: nil))
        case .failure(let category, let message, _):
            record.result = category
            record.message = message
            if category == .paymentAlreadyCompleted, let step = alreadyCompleted(record, exchange) { return step }
            let toast = ErrorTable.toast(for: category, message: message)
            record.clientAction = category == .network
                ? .keptKeyGenericToast
                : .showedToast(retryFailedToo: exchange.alreadyCompletedRetries > 0)
            return ValidationStep(record: record, followUp: .finished(toast: toast))
        }
    }

    /// "Payment already completed", as the policy says: retry without a key while retries are
    /// left, or stop and tell the shopper the order is paid; `nil` for the seed's toast.
    private func alreadyCompleted(_ record: RequestRecord, _ exchange: ValidationExchange) -> ValidationStep? {
        let rule = settings.policy.alreadyCompleted
        var record = record
        if exchange.alreadyCompletedRetries < rule.retries {
            clear(rule.clears)
            record.clientAction = .clearedAndRetrying
            let retry = makeExchange(.alreadyCompletedRetry, key: nil, alreadyCompletedRetries: exchange.alreadyCompletedRetries + 1)
            return ValidationStep(record: record, followUp: .retry(retry))
        }
        guard rule.tellsOrderPaid else { return nil }
        clear(rule.clears)
        lastValidation = nil
        if rule.waitsForNewOrder {
            attempt("remember the paid order") { try storage.setValue("paid", forKey: ShopperStore.Key.orderPaid) }
        }
        record.clientAction = .toldOrderPaid(clearedCart: rule.clears.contains(.cart))
        return ValidationStep(record: record, followUp: .finished(toast: Self.orderPaidToast(waitsForNewOrder: rule.waitsForNewOrder)))
    }

    private func clear(_ data: ClientPolicy.PageData) {
        if data.contains(.key) { clearKey() }
        if data.contains(.cart) { clearCart() }
    }

    private func handleSuccess(_ response: Checkout_V1_ValidateOrderItemsInsertResponse,
                               for exchange: ValidationExchange) -> ClientAction {
        guard settings.policy.storesKey else { return .legacyNotStored }
        guard let returned = response.idempotencyKey.nonEmpty else {
            return .noKeyReturned(keptStored: keys.getStoredIdempotencyKey() != nil)
        }
        guard PaymentMethod(proto: exchange.request.paymentMethod)?.usesPaymentIntent == true else {
            return .keyIgnoredNotCard
        }
        let stored = keys.getStoredIdempotencyKey()
        if stored == returned { return .keptKey }
        do {
            try keys.setIdempotencyKey(returned)
        } catch {
            notices.append("could not store the idempotency key: \(StateFiles.describe(error))")
            return .failedToStore(StateFiles.describe(error))
        }
        return stored == nil ? .storedKey : .overwroteKey
    }

    /// `clearIdempotencyKey()`, reporting rather than failing on a storage error.
    func clearKey() {
        guard settings.policy.storesKey else { return }
        do { try keys.clearIdempotencyKey() } catch {
            notices.append("could not clear the idempotency key: \(StateFiles.describe(error))")
        }
    }

    /// Runs one whole `validateCartItems()` over a synchronous transport,
    /// including the retry after "already completed". Returns every request's
    /// record and the toast shown at the end.
    public func validateCartItems(
        trigger: ValidationTrigger = .checkout, via transport: Transport
    ) -> (records: [RequestRecord], toast: Toast?) {
        var exchange: ValidationExchange
        switch beginValidation(trigger) {
        case .sent(let first): exchange = first
        case .emptyCart(let toast), .orderAlreadyPaid(let toast): return ([], toast)
        case .ignoredWhileInFlight: return ([], nil)
        }
        var records: [RequestRecord] = []
        while true {
            let step = receive(transport.unary(.validateOrderItemsInsert, exchange.bytes), for: exchange)
            records.append(step.record)
            switch step.followUp {
            case .retry(let next): exchange = next
            case .finished(let toast): return (records, toast)
            case .abandoned: return (records, nil)
            }
        }
    }

    // MARK: - Shopper edits (persisted like the web shop's cart)

    /// Adds `qty` of `sku`, merging with an existing line; the quantity stays
    /// within `CartLine.quantityRange`.
    public func addItem(sku: String, qty: Int) {
        if let index = cart.firstIndex(where: { $0.sku == sku }) {
            cart[index].qty = Self.clampQuantity(cart[index].qty.addingReportingOverflow(qty))
        } else {
            cart.append(CartLine(sku: sku, qty: Self.clampQuantity((qty, false))))
        }
        persistCart()
    }

    /// Removes every line of `sku`.
    public func removeItem(sku: String) {
        cart.removeAll { $0.sku == sku }
        persistCart()
    }

    /// Sets the quantity of `sku` (adding the line if needed). Zero and negative
    /// quantities are kept, so the backend's validation can be exercised.
    public func setQuantity(sku: String, qty: Int) {
        let qty = Self.clampQuantity((qty, false))
        if let index = cart.firstIndex(where: { $0.sku == sku }) {
            cart[index].qty = qty
        } else {
            cart.append(CartLine(sku: sku, qty: qty))
        }
        persistCart()
    }

    /// A quantity brought into `CartLine.quantityRange` (an overflowed sum goes to the nearer end).
    static func clampQuantity(_ value: (partialValue: Int, overflow: Bool)) -> Int {
        if value.overflow { return value.partialValue < 0 ? CartLine.maxQuantity : -CartLine.maxQuantity }
        return min(max(value.partialValue, -CartLine.maxQuantity), CartLine.maxQuantity)
    }

    public func setPaymentMethod(_ method: PaymentMethod) {
        paymentMethod = method
        lastValidation = nil
        attempt("store the payment method") { try shopper.savePaymentMethod(method) }
    }

    public func fillForm(_ newForm: FormData) {
        form = newForm
        attempt("store the form") { try shopper.saveForm(newForm) }
    }

    private func persistCart() {
        let cart = cart
        attempt("store the cart") { try shopper.saveCart(cart) }
    }

    /// `clearCart()`.
    func clearCart() {
        cart = []
        attempt("clear the cart") { try shopper.clearCart() }
    }

    /// `clearFormData()`.
    func clearFormData() {
        form = FormData()
        attempt("clear the form") { try shopper.clearFormData() }
    }

    /// Runs a storage operation, reporting a failure as a notice instead of failing;
    /// returns whether it worked.
    @discardableResult
    public func attempt(_ what: String, _ body: () throws -> Void) -> Bool {
        do {
            try body()
            return true
        } catch {
            notices.append("could not \(what): \(StateFiles.describe(error))")
            return false
        }
    }
}

extension String {
    /// `nil` for the empty string.
    var nonEmpty: String? { isEmpty ? nil : self }
}

extension PaymentMethod {
    /// The method of a wire value, `nil` for unspecified or unknown values.
    public init?(proto: Checkout_V1_PaymentMethod) {
        switch proto {
        case .card: self = .card
        case .cardTest: self = .cardTest
        case .cashOnDelivery: self = .cashOnDelivery
        case .bankTransfer: self = .bankTransfer
        default: return nil
        }
    }
}
