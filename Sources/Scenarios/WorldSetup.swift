import CheckoutCore
import MockBackend
import Simulation

/// The state a recording started mid-session found, beyond the v1 setup fields:
/// the page's last outcome and validation, what localStorage lost, and the
/// backend's sessions. Every field is optional; an empty one changes nothing.
public struct WorldSetup: Equatable, Sendable {
    /// `payment`: the last payment attempt.
    public var payment: PaymentStatus = .none
    /// `card`: the card the payment form holds (what the TUI's `p` pays with).
    public var card = TestCard.succeeds.rawValue
    /// `toast`: what the page shows.
    public var toast: Toast?
    /// `sessions`: the backend's sessions (each with its PaymentIntent), not counted in the totals.
    public var sessions: [SessionSetup] = []
    /// `validated`: the latest successful validation, which `pay` uses.
    public var validation: ValidationSetup?
    /// `pending_redirect`: the session whose PaymentIntent waits for 3-D Secure.
    public var pendingRedirect: String?
    /// `not_in_storage`: what the page holds but localStorage no longer does.
    public var notInStorage: Set<PageField> = []
    /// `rules`: the rules armed in the queue, in arming order, with the firings they have left.
    public var rules: [RuleSpec] = []
    /// `in_flight`: requests sent before the start, their replies still on the way.
    public var inFlight: [InFlightSetup] = []
    /// `keys_in_use`: keys the backend is still processing a request with (key_in_use).
    public var keysInUse: [KeyInUse] = []

    public init() {}
}

/// One key of `setup.keys_in_use`.
public struct KeyInUse: Equatable, Sendable {
    public var key: String
    public var forMillis: Int64

    public init(key: String, forMillis: Int64) {
        self.key = key
        self.forMillis = forMillis
    }
}

/// One session of `setup.sessions`.
public struct SessionSetup: Equatable, Sendable {
    public var key: String
    public var status: SessionStatus = .open
    /// Its PaymentIntent's amount, in cents.
    public var amountCents: Int64 = 0
    /// Its PaymentIntent's status; `nil`: what the session's status implies.
    public var intent: IntentStatus?
    /// How long before the start it was last validated (sessions expire 24 h after that).
    public var idleMillis: Int64 = 0

    public init(key: String) { self.key = key }

    /// The PaymentIntent's status, given or implied.
    public var intentStatus: IntentStatus {
        intent ?? (status == .open ? .requiresPaymentMethod : status == .paid ? .succeeded : .canceled)
    }
}

/// `setup.validated`: the method validated and, for card methods, the session it returned.
public struct ValidationSetup: Equatable, Sendable {
    public var paymentMethod: PaymentMethod
    public var session: String?

    public init(paymentMethod: PaymentMethod, session: String?) {
        self.paymentMethod = paymentMethod
        self.session = session
    }
}

/// What the page keeps in localStorage besides the key.
public enum PageField: String, Sendable, CaseIterable, Comparable {
    case cart, form
    case paymentMethod = "payment_method"

    public static func < (a: PageField, b: PageField) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
