import CheckoutProto

/// The state of a payment session (one idempotency key).
public enum SessionStatus: String, Sendable, Codable, CaseIterable {
    /// Validations with its key reuse it.
    case open
    /// Its PaymentIntent succeeded: its key now gets "Payment already completed".
    case paid
    /// Replaced by a new session; its PaymentIntent was canceled.
    case rotated
    /// Not validated for 24 h; its PaymentIntent was canceled.
    case expired
}

/// A payment session: the server's side of an idempotency key.
public struct PaymentSession: Hashable, Sendable {
    public var key: String
    public var paymentIntentID: String
    public var status: SessionStatus
    public var createdAtMillis: Int64
    public var lastValidatedAtMillis: Int64

    public init(key: String, paymentIntentID: String, status: SessionStatus, createdAtMillis: Int64, lastValidatedAtMillis: Int64) {
        self.key = key
        self.paymentIntentID = paymentIntentID
        self.status = status
        self.createdAtMillis = createdAtMillis
        self.lastValidatedAtMillis = lastValidatedAtMillis
    }
}

/// Stripe's PaymentIntent states.
public enum IntentStatus: String, Sendable, Codable, CaseIterable {
    case requiresPaymentMethod = "requires_payment_method"
    case requiresAction = "requires_action"
    case processing
    case succeeded
    case canceled

    /// Whether nothing can change it any more.
    public var isTerminal: Bool { self == .succeeded || self == .canceled }

    /// The wire value.
    public var proto: Checkout_V1_PaymentIntentStatus {
        switch self {
        case .requiresPaymentMethod: .requiresPaymentMethod
        case .requiresAction: .requiresAction
        case .processing: .processing
        case .succeeded: .succeeded
        case .canceled: .canceled
        }
    }
}

/// A Stripe-like PaymentIntent.
public struct PaymentIntent: Hashable, Sendable {
    public var id: String
    public var sessionKey: String
    public var amountCents: Int64
    public var currency: String
    public var status: IntentStatus
    public var clientSecret: String
    public var updatedAtMillis: Int64

    public init(id: String, sessionKey: String, amountCents: Int64, currency: String, status: IntentStatus, clientSecret: String, updatedAtMillis: Int64) {
        self.id = id
        self.sessionKey = sessionKey
        self.amountCents = amountCents
        self.currency = currency
        self.status = status
        self.clientSecret = clientSecret
        self.updatedAtMillis = updatedAtMillis
    }
}

/// Totals since the start of the backend's state.
public struct BackendCounters: Hashable, Sendable, Codable {
    public var sessions: Int
    public var paymentIntents: Int
    public var paid: Int

    public init(sessions: Int = 0, paymentIntents: Int = 0, paid: Int = 0) {
        self.sessions = sessions
        self.paymentIntents = paymentIntents
        self.paid = paid
    }
}

/// One line of the request journal.
public struct JournalEntry: Equatable, Sendable {
    /// What the line records.
    public enum Kind: String, Sendable, CaseIterable {
        case request, response, error, rule, intent, session, dropped
        /// A request as it arrived on the wire (`serve`): who sent it, how, and its size.
        case arrival
    }

    public var sequence: Int64
    public var atMillis: Int64
    /// What the line records, as data.
    public var detail: JournalDetail

    public var kind: Kind { detail.kind }
    public var method: String { detail.method }
    /// What people read: proto3 JSON for calls, a sentence for events.
    public var text: String { detail.text }

    public init(sequence: Int64 = 0, atMillis: Int64, detail: JournalDetail) {
        self.sequence = sequence
        self.atMillis = atMillis
        self.detail = detail
    }

    /// A line as the database's columns hold it (`detail`: `JournalDetail.stored`, or
    /// the words an older version wrote).
    public init(sequence: Int64 = 0, atMillis: Int64, kind: Kind, method: String, detail: String) {
        self.init(sequence: sequence, atMillis: atMillis, detail: JournalDetail(kind: kind, method: method, stored: detail))
    }
}
