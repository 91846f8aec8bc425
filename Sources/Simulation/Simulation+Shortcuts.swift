import CheckoutCore
import MockBackend

/// Shortcuts for code that drives a simulation directly (tests, benchmarks): each is
/// `apply` of one `Action`, so the recorder and the event observer see it like any other.
extension Simulation {
    /// The checkout button, clicked `clicks` times in quick succession.
    public func checkout(clicks: Int = 1) { apply(.checkout(clicks: clicks)) }

    /// The "try again" button.
    public func retry() { apply(.retry) }

    /// A page refresh: reload from localStorage, validate with the stored key.
    public func refresh() { apply(.refresh) }

    /// Pays with `card` (default: the card that succeeds).
    public func pay(card: String = TestCard.succeeds.rawValue) { apply(.pay(card: card)) }

    /// The shopper comes back from the 3-D Secure page.
    public func returnFromRedirect(_ status: RedirectStatus) { apply(.returnFromRedirect(status)) }

    public func addItem(sku: String, qty: Int) { apply(.addItem(sku: sku, qty: qty)) }
    public func removeItem(sku: String) { apply(.removeItem(sku: sku)) }
    public func setQuantity(sku: String, qty: Int) { apply(.setQty(sku: sku, qty: qty)) }
    public func setPaymentMethod(_ method: PaymentMethod) { apply(.paymentMethod(method)) }
    public func fillForm(_ form: FormData) { apply(.fillForm(form)) }

    /// Tampers with localStorage: writes `key` as the stored key (a failure is a notice).
    public func setStoredKey(_ key: String) { apply(.setStoredKey(key)) }

    /// Clears the whole localStorage (the page's in-memory state stays until a refresh).
    public func clearStorage() { apply(.clearStorage) }

    /// Lets `millis` of time pass, delivering replies as they fall due.
    public func wait(millis: Int64) { apply(.wait(millis: millis)) }

    /// Arms a backend rule; immediate ones act now. Returns what happened.
    @discardableResult
    public func arm(_ kind: RuleKind, _ firing: RuleFiring = .once) -> String { apply(.arm(kind, firing)) ?? "" }
}
