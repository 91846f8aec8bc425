import CheckoutCore

/// What happened to a rule (`rule` lines).
public enum RuleEvent: Equatable, Sendable, Codable {
    case armed(rule: RuleSpec)
    /// Not armed: the queue holds `capacity` rules already.
    case queueFull(capacity: Int)
    case disarmed(rule: ArmedRule)
    /// The rule acted on a request.
    case fired(rule: RuleKind)
    /// `expire_sessions` closed this many open sessions.
    case expired(sessions: Int)
    /// An immediate rule could not reach the store.
    case failed(rule: RuleKind)
    /// `mark_paid` without a session for the stored key.
    case nothingToPay
    /// `mark_paid` on a session that is no longer open.
    case notOpen(key: String, status: SessionStatus)
    /// `mark_paid` paid the session, as another tab would.
    case paidElsewhere(key: String)

    public var text: String {
        switch self {
        case .armed(let rule): "armed \(rule.label)"
        case .queueFull(let capacity): "not armed: \(capacity) rules are armed already, the most the queue holds"
        case .disarmed(let rule): "disarmed \(rule.queueLabel)"
        case .fired(let rule): "fired \(rule.label)"
        case .expired(let count): "expired \(count) open session" + (count == 1 ? "" : "s")
        case .failed(let rule): "\(rule.name) failed"
        case .nothingToPay: "mark_paid: the stored key has no session; nothing paid"
        case .notOpen(let key, let status): "mark_paid: session \(key) is \(status.rawValue); nothing paid"
        case .paidElsewhere(let key): "session \(key) paid in another tab"
        }
    }
}

/// What happened to a payment session (`session` lines).
public enum SessionEvent: Equatable, Sendable, Codable {
    /// A new session, and so a key the server issued.
    case created(key: String, reason: NewSessionReason)
    case closed(key: String, status: SessionStatus)
    /// Put in place by a recording's setup.
    case restored(key: String, status: SessionStatus, intent: String, intentStatus: IntentStatus)

    public var text: String {
        switch self {
        case .created(let key, let reason): "new session \(key) (\(reason.text))"
        case .closed(let key, let status): "session \(key) \(status.rawValue)"
        case .restored(let key, let status, let intent, let intentStatus):
            "session \(key) set up by the scenario: \(status.rawValue), \(intent) \(intentStatus.rawValue)"
        }
    }
}

/// Why a validation got a new session.
public enum NewSessionReason: Equatable, Sendable, Codable, CaseIterable {
    case noKey
    case unknownKey
    /// The key's session was closed (paid, rotated or expired).
    case keyOf(SessionStatus)
    case setUpByScenario

    public static var allCases: [NewSessionReason] {
        [.noKey, .unknownKey, .setUpByScenario] + SessionStatus.allCases.map(NewSessionReason.keyOf)
    }

    public var text: String {
        switch self {
        case .noKey: "no key sent"
        case .unknownKey: "unknown key"
        case .keyOf(let status): "key of a \(status.rawValue) session"
        case .setUpByScenario: "set up by the scenario"
        }
    }
}

/// What happened to a PaymentIntent (`intent` lines).
public enum IntentEvent: Equatable, Sendable, Codable {
    /// Created in `requires_payment_method`.
    case created(id: String, amountCents: Int64, currency: String)
    case amountChanged(id: String, from: Int64, to: Int64)
    case statusChanged(id: String, from: IntentStatus, to: IntentStatus)
    /// A test card declined it (`card_declined`, `insufficient_funds`).
    case declined(id: String, code: String)

    public var text: String {
        switch self {
        case .created(let id, let amount, let currency): "\(id) created: \(amount) \(currency), requires_payment_method"
        case .amountChanged(let id, let old, let new): "\(id) amount \(old) → \(new)"
        case .statusChanged(let id, let old, let new): "\(id) \(old.rawValue) → \(new.rawValue)"
        case .declined(let id, let code): "\(id) declined: \(code)"
        }
    }
}

/// What the wire lost (`dropped` lines).
public enum WireLoss: String, Equatable, Sendable, Codable, CaseIterable {
    /// `timeout`: the backend never read the request.
    case requestLost = "request_lost"
    /// `drop_response`.
    case responseLost = "response_lost"
    /// `garble_response`.
    case responseGarbled = "response_garbled"
    /// `connection_reset`.
    case connectionReset = "connection_reset"

    public var text: String {
        switch self {
        case .requestLost: "request lost before reaching the server"
        case .responseLost: "response lost on the way back"
        case .responseGarbled: "response garbled on the way back"
        case .connectionReset: "connection reset instead of the response"
        }
    }
}

extension RuleKind: Codable {
    /// In the scenario format's form, as `RuleSpec` writes a rule that fires once.
    public func encode(to encoder: Encoder) throws {
        try RuleSpec(self).encode(to: encoder)
    }

    public init(from decoder: Decoder) throws {
        self = try RuleSpec(from: decoder).kind
    }
}
