import CheckoutCore
import MockBackend

/// Every change a user, a scenario, a recording or the admin API can make to
/// the simulated world. The TUI's keys resolve to one, `do:` and `backend:`
/// steps decode to one, the recorder writes them back, and
/// `Simulation.apply(_:)` is the only way in.
public enum Action: Equatable, Sendable {
    /// The checkout button, clicked `clicks` times before any reply.
    case checkout(clicks: Int)
    /// Page reload: reload from localStorage, validate with the stored key.
    case refresh
    /// The "try again" button.
    case retry
    /// Pays the latest validation's PaymentIntent with `card` (it becomes the selected card).
    case pay(card: String)
    /// Back from the 3-D Secure page.
    case returnFromRedirect(RedirectStatus)
    case addItem(sku: String, qty: Int)
    case removeItem(sku: String)
    case setQty(sku: String, qty: Int)
    case paymentMethod(PaymentMethod)
    case fillForm(FormData)
    /// Tampers with localStorage.
    case setStoredKey(String)
    case clearStorage
    /// Lets time pass: replies due meanwhile arrive, the others stay in flight.
    case wait(millis: Int64)
    /// The double-submit guard on or off.
    case setGuard(Bool)
    /// The client policy.
    case setClient(ClientPolicy)
    /// The shopper asks for a new order: the page forgets a paid order and validates without a key.
    case startNewOrder
    /// The card the payment form holds (what the TUI's `p` pays with).
    case selectCard(String)
    /// Arms a backend rule (immediate rules act now).
    case arm(RuleSpec)
    /// Removes the armed rule at this position (1 is the first armed).
    case disarm(position: Int)
    /// Removes every armed rule.
    case disarmAll

    /// Arms `kind` with `firing`.
    public static func arm(_ kind: RuleKind, _ firing: RuleFiring = .once) -> Action { .arm(RuleSpec(kind, firing)) }

    /// A change to the backend (a `backend:` step) rather than to the page (`do:`).
    public var isBackend: Bool {
        switch self {
        case .arm, .disarm, .disarmAll: true
        default: false
        }
    }

    /// A short description for reports: `checkout`, `pay 4000000000000002`.
    public var summary: String {
        switch self {
        case .checkout(let clicks): clicks == 1 ? "checkout" : "checkout ×\(clicks)"
        case .refresh: "refresh"
        case .retry: "retry"
        case .pay(let card): card == TestCard.succeeds.rawValue ? "pay" : "pay \(card)"
        case .returnFromRedirect(let status): "return_from_redirect \(status.rawValue)"
        case .addItem(let sku, let qty): "add_item \(sku) ×\(qty)"
        case .removeItem(let sku): "remove_item \(sku)"
        case .setQty(let sku, let qty): "set_qty \(sku) \(qty)"
        case .paymentMethod(let method): "payment_method \(method.rawValue)"
        case .fillForm(let form): "fill_form \(form.email)"
        case .setStoredKey(let key): "set_stored_key \(key)"
        case .clearStorage: "clear_storage"
        case .wait(let millis): "wait \(Duration.milliseconds(millis).compactDescription)"
        case .setGuard(let on): "set_guard \(on ? "on" : "off")"
        case .setClient(let policy): "set_client \(policy.name)"
        case .startNewOrder: "start_new_order"
        case .selectCard(let card): "select_card \(card)"
        case .arm(let spec): spec.label
        case .disarm(let position): "disarm \(position)"
        case .disarmAll: "disarm_all"
        }
    }
}
