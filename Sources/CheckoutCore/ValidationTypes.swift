import CheckoutProto
import Foundation

/// Client settings a demo can change.
public struct ClientSettings: Hashable, Sendable {
    /// The client's rules.
    public var policy: ClientPolicy
    /// The checkout button ignores a click while a validation is in flight.
    public var doubleSubmitGuard: Bool

    public init(policy: ClientPolicy = .standard, doubleSubmitGuard: Bool = true) {
        self.policy = policy
        self.doubleSubmitGuard = doubleSubmitGuard
    }

    /// The policy, by its former name.
    public init(variant: ClientPolicy, doubleSubmitGuard: Bool = true) {
        self.init(policy: variant, doubleSubmitGuard: doubleSubmitGuard)
    }

    /// The policy, by its former name.
    public var variant: ClientPolicy {
        get { policy }
        set { policy = newValue }
    }
}

/// What made the page validate.
public enum ValidationTrigger: String, Sendable, Codable {
    /// The checkout button.
    case checkout
    /// The "try again" button after an error.
    case retry
    /// A page load / refresh.
    case refresh
    /// The client's own retry after "Payment already completed".
    case alreadyCompletedRetry = "already_completed_retry"
    /// The shopper asked for a new order: validate without a key.
    case newOrder = "new_order"
}

/// One validation request on the wire, waiting for its reply.
public struct ValidationExchange: Sendable, Hashable {
    /// Unique per client, in sending order.
    public var id: Int
    public var trigger: ValidationTrigger
    /// The key the request carried (`nil`: omitted).
    public var keySent: String?
    public var request: Checkout_V1_ValidateOrderItemsInsertRequest
    /// The serialized request, as the transport carries it.
    public var bytes: Data
    /// The page load this request belongs to; a refresh abandons older ones.
    public var pageGeneration: Int
    /// How many times this validation was already sent again after "Payment already completed"
    /// (0 for the first request): the policy's retry count is checked against it.
    public var alreadyCompletedRetries: Int
}

/// What the client did about a reply (its `description` is what the timeline shows).
public enum ClientAction: Equatable, Sendable, CustomStringConvertible {
    /// Not decided yet.
    case none
    case ignoredAfterReload
    case storedKey
    case overwroteKey
    case keptKey
    case noKeyReturned(keptStored: Bool)
    case keyIgnoredNotCard
    case legacyNotStored
    case failedToStore(String)
    case clearedAndRetrying
    /// "Payment already completed", no retry: the page says the order is paid.
    case toldOrderPaid(clearedCart: Bool)
    case keptKeyGenericToast
    case showedToast(retryFailedToo: Bool)

    public var description: String {
        switch self {
        case .none: ""
        case .ignoredAfterReload: "ignored: the page was reloaded before the reply"
        case .storedKey: "stored the key"
        case .overwroteKey: "overwrote the stored key (rotation)"
        case .keptKey: "kept the key (same session)"
        case .noKeyReturned(let kept): kept ? "no key returned; kept the stored key" : "no key returned"
        case .keyIgnoredNotCard: "key ignored (not a card payment)"
        case .legacyNotStored: "legacy client: key not stored"
        case .failedToStore(let why): "failed to store the key: \(why)"
        case .clearedAndRetrying: "cleared the key; retrying once without a key"
        case .toldOrderPaid(let clearedCart): (clearedCart ? "cleared the key and the cart" : "cleared the key") + "; told the shopper the order is already paid"
        case .keptKeyGenericToast: "kept the key; showed the generic toast"
        case .showedToast(let retryFailed): "showed a toast" + (retryFailed ? " (the retry failed too)" : "")
        }
    }
}

/// What the client observed and did for one request: a timeline entry.
public struct RequestRecord: Equatable, Sendable {
    public var exchangeID: Int
    public var trigger: ValidationTrigger
    public var keySent: String?
    public var result: ResultCategory
    public var returnedKey: String?
    /// The error message (or failure description); `nil` on success.
    public var message: String?
    /// What the client did about it.
    public var clientAction: ClientAction
    /// The request as sent.
    public var request: Checkout_V1_ValidateOrderItemsInsertRequest
    /// The decoded response; `nil` for an error or an undecodable reply.
    public var response: Checkout_V1_ValidateOrderItemsInsertResponse?
    /// The Connect code of an error (`data_loss` for an undecodable reply).
    public var errorCode: RPCCode?

    /// The request as proto3 JSON (rendered on demand: the timeline's detail view).
    public var requestJSON: String { ProtoJSON.string(request) }

    /// The response, or the error in Connect's JSON shape.
    public var responseJSON: String {
        if let response { return ProtoJSON.string(response) }
        return ProtoJSON.errorJSON(code: errorCode?.name ?? "unknown", message: message ?? "")
    }
}

/// What the client does after a reply.
public enum ValidationFollowUp: Equatable, Sendable {
    /// Send this request next (the retry after "already completed").
    case retry(ValidationExchange)
    /// The validation is over; show `toast` (or nothing).
    case finished(toast: Toast?)
    /// The reply belonged to a page that was since reloaded: ignored.
    case abandoned
}

/// The outcome of handling one reply.
public struct ValidationStep: Equatable, Sendable {
    public var record: RequestRecord
    public var followUp: ValidationFollowUp
}

/// The outcome of pressing checkout.
public enum ValidationStart: Equatable, Sendable {
    case sent(ValidationExchange)
    /// The double-submit guard swallowed the click.
    case ignoredWhileInFlight
    /// Nothing to validate; the page says so.
    case emptyCart(Toast)
    /// The page holds the order as paid (`confirm-new-order`): nothing is sent until the
    /// shopper starts a new order.
    case orderAlreadyPaid(Toast)
}

/// The last payment attempt, as scenario files name it.
public enum PaymentStatus: String, Sendable, Codable, CaseIterable {
    case none, succeeded, declined
    case requiresAction = "requires_action"
    case failed
}

/// What the 3-D Secure page sends the shopper back with.
public enum RedirectStatus: String, Sendable, Codable, CaseIterable {
    case succeeded, failed
}

/// The result of a payment action.
public struct PaymentOutcome: Equatable, Sendable {
    /// `nil` when nothing was attempted (for example: not validated yet).
    public var status: PaymentStatus?
    public var toast: Toast?
}
