import CheckoutCore
import MockBackend

/// A parsed scenario file (format version 1).
public struct Scenario: Equatable, Sendable {
    /// The file it came from, as given on the command line.
    public var file: String
    public var name: String
    public var description: String?
    public var tags: [String]
    public var setup: ScenarioSetup
    public var steps: [ScenarioStep]
}

/// The starting state; every field optional.
public struct ScenarioSetup: Equatable, Sendable {
    public var seed: UInt64 = 0
    public var client: ClientVariant = .standard
    public var doubleSubmitGuard = true
    public var paymentMethod: PaymentMethod = .card
    /// Default: one in-stock item.
    public var cart: [CartLine] = [CartLine(sku: "BEANS-1KG", qty: 1)]
    public var form = FormData()
    public var storedKey: String?
    /// Keys of sessions the backend already holds, open (an addition to
    /// format v1 that recordings use when they start mid-session).
    public var openSessions: [String] = []

    public init() {}
}

/// One step, with where it stands in the file.
public struct ScenarioStep: Equatable, Sendable {
    public var line: Int
    public var column: Int
    public var kind: StepKind
}

public enum StepKind: Equatable, Sendable {
    case say(String)
    case action(ShopperAction)
    case backend(RuleKind, RuleFiring)
    case expect(Expectation)

    /// `say`, `do`, `backend` or `expect`.
    public var name: String {
        switch self {
        case .say: "say"
        case .action: "do"
        case .backend: "backend"
        case .expect: "expect"
        }
    }
}

/// What the shopper or the browser does (`do:`).
public enum ShopperAction: Equatable, Sendable {
    case checkout(clicks: Int)
    case refresh
    case retry
    case pay(card: String)
    case returnFromRedirect(RedirectStatus)
    case addItem(sku: String, qty: Int)
    case removeItem(sku: String)
    case setQty(sku: String, qty: Int)
    case paymentMethod(PaymentMethod)
    case fillForm(FormData)
    case setStoredKey(String)
    case clearStorage
    case wait(millis: Int64)

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
        }
    }
}

/// A key value in an expectation: `none`, a literal, or a `$variable`.
public enum KeyPattern: Equatable, Sendable {
    case none
    case literal(String)
    case variable(String)

    public var text: String {
        switch self {
        case .none: "none"
        case .literal(let value): value
        case .variable(let name): "$" + name
        }
    }
}

/// One expected request: a field left out is not checked.
public struct RequestPattern: Equatable, Sendable {
    public var key: KeyPattern?
    public var result: ResultCategory?
    public var returnedKey: KeyPattern?
    public var messageContains: String?
}

public enum RequestsExpectation: Equatable, Sendable {
    case list([RequestPattern])
    case count(Int)
}

public enum ToastExpectation: Equatable, Sendable {
    case none
    case matching(kind: Toast.Kind?, category: Toast.Category?, contains: String?)
}

public enum CartExpectation: Equatable, Sendable {
    case empty
    case items(Int)
}

/// An `expect:` step: every field present is checked.
public struct Expectation: Equatable, Sendable {
    public var requests: RequestsExpectation?
    public var sentKey: KeyPattern?
    public var storedKey: KeyPattern?
    public var toast: ToastExpectation?
    public var cart: CartExpectation?
    /// `true`: filled, `false`: empty.
    public var formFilled: Bool?
    public var payment: PaymentStatus?
    public var sessions: Int?
    public var paymentIntents: Int?
    public var paid: Int?

    public init() {}
}
