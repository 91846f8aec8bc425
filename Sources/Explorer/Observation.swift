import CheckoutCore
import MockBackend
import Simulation

/// What the invariants look at: the page and the backend after a step, plus the little
/// history a state alone does not show (what was paid for the cart the page holds, what
/// the last step sent). Plain values, so a test can build a violating one by hand.
public struct Observation: Equatable, Sendable {
    public var client: ClientPolicy
    /// What localStorage holds now.
    public var storedKey: String?
    /// The page's last payment attempt.
    public var payment: PaymentStatus
    /// Every payment session, oldest first.
    public var sessions: [PaymentSession]
    /// Every PaymentIntent, oldest first.
    public var intents: [PaymentIntent]
    /// The PaymentIntents the page can still pay: its last validation's, the one waiting for
    /// 3-D Secure, and (a client that stores keys) the stored key's.
    public var reachableIntents: Set<String>
    public var nowMillis: Int64
    /// PaymentIntents that succeeded since the page started its current cart.
    public var paidForCart: Int
    /// What the step that led here did.
    public var lastStep: StepFacts

    public init(client: ClientPolicy = .standard, storedKey: String? = nil, payment: PaymentStatus = .none,
                sessions: [PaymentSession] = [], intents: [PaymentIntent] = [], reachableIntents: Set<String> = [],
                nowMillis: Int64 = 0, paidForCart: Int = 0, lastStep: StepFacts = StepFacts()) {
        self.client = client
        self.storedKey = storedKey
        self.payment = payment
        self.sessions = sessions
        self.intents = intents
        self.reachableIntents = reachableIntents
        self.nowMillis = nowMillis
        self.paidForCart = paidForCart
        self.lastStep = lastStep
    }

    /// Sessions still open: not rotated, paid or expired, and validated within their 24 h
    /// (the backend closes an overdue one only when its key comes back).
    public var openSessions: [PaymentSession] {
        sessions.filter { $0.status == .open && nowMillis - $0.lastValidatedAtMillis <= MockBackend.sessionLifetimeMillis }
    }

    /// PaymentIntents of open sessions that nothing has settled: live at Stripe.
    public var liveIntents: [PaymentIntent] {
        let open = Set(openSessions.map(\.paymentIntentID))
        return intents.filter { open.contains($0.id) && !$0.status.isTerminal }
    }

    public func session(key: String?) -> PaymentSession? {
        guard let key else { return nil }
        return sessions.first { $0.key == key }
    }

    public func intent(id: String) -> PaymentIntent? { intents.first { $0.id == id } }

    /// The most validation requests one click may send under the client's policy: the
    /// click's own and the policy's retries after "Payment already completed".
    public var requestsAllowedPerClick: Int { 1 + client.alreadyCompleted.retries }
}

/// What one step did, beyond the state it left.
public struct StepFacts: Equatable, Sendable {
    /// Clicks of checkout, refresh or retry in the step.
    public var clicks: Int
    /// Validation requests answered during the step.
    public var requests: Int
    /// Requests whose key the server had already rotated away.
    public var staleKeysSent: Int

    public init(clicks: Int = 0, requests: Int = 0, staleKeysSent: Int = 0) {
        self.clicks = clicks
        self.requests = requests
        self.staleKeysSent = staleKeysSent
    }
}

/// The history a state carries along a sequence: what was paid for the page's current
/// cart. Part of the state's fingerprint, so pruning never merges different histories.
public struct CartHistory: Equatable, Hashable, Sendable {
    /// PaymentIntents that succeeded since the current cart started.
    public var paidForCart = 0
    /// The page cleared its cart after a payment: the next step starts a new cart.
    public var cartClosed = false

    public init() {}
}

extension Observation {
    /// Observes `simulation` after a step.
    public init(_ simulation: Simulation, history: CartHistory, lastStep: StepFacts) {
        let store = simulation.backend.store
        let sessions = Array(((try? store.recentSessions(limit: .max)) ?? []).reversed())
        let intents = Array(((try? store.recentIntents(limit: .max)) ?? []).reversed())
        let client = simulation.client
        var reachable = Set<String>()
        if let id = client.lastValidation?.paymentIntentID, !id.isEmpty { reachable.insert(id) }
        if let id = client.pendingRedirect, !id.isEmpty { reachable.insert(id) }
        let storedKey = simulation.storedKey
        if client.settings.policy.storesKey, let key = storedKey, let session = sessions.first(where: { $0.key == key }) {
            reachable.insert(session.paymentIntentID)
        }
        self.init(client: client.settings.policy, storedKey: storedKey, payment: simulation.payment, sessions: sessions,
                  intents: intents, reachableIntents: reachable, nowMillis: simulation.clock.nowMillis,
                  paidForCart: history.paidForCart, lastStep: lastStep)
    }
}
