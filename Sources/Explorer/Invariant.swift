import CheckoutCore
import MockBackend

/// A property every state should have, with words for product staff.
public struct Invariant: Sendable {
    /// `double_charge`.
    public var name: String
    /// One line: what breaking it means.
    public var explanation: String
    /// Why it matters, or why the seed's design breaks it: the end of a counterexample's narration.
    public var consequence: String
    /// Whether `observation` breaks it.
    public var isBroken: @Sendable (Observation) -> Bool

    public init(name: String, explanation: String, consequence: String, isBroken: @escaping @Sendable (Observation) -> Bool) {
        self.name = name
        self.explanation = explanation
        self.consequence = consequence
        self.isBroken = isBroken
    }
}

extension Invariant {
    /// Every invariant, in report order.
    public static let all: [Invariant] = [
        Invariant(
            name: "double_charge",
            explanation: "Two PaymentIntents were paid for one cart: the shopper is charged twice. A cart ends when the page clears it after a payment, "
                + "or after \"Payment already completed\" (paid-clears-cart); a new order the shopper starts by hand (start_new_order) is a new cart: paying it is the shopper's informed choice.",
            consequence: "The shopper paid twice for the same cart. Someone has to refund one of the payments by hand.",
            isBroken: { $0.paidForCart >= 2 }),
        Invariant(
            name: "orphan_intent",
            explanation: "A PaymentIntent is left live that the page can no longer reach (its key was never learned, or was lost) while the shopper goes on with another one.",
            consequence: "A live PaymentIntent nobody will ever pay or cancel: it clutters Stripe and the reports until the session expires.",
            isBroken: { observation in
                let live = observation.liveIntents.map(\.id)
                let reachable = observation.reachableIntents
                return live.contains { !reachable.contains($0) } && !reachable.isEmpty
            }),
        Invariant(
            name: "key_after_payment",
            explanation: "localStorage still holds the key of a session that is already paid.",
            consequence: "The page keeps a key that can only bring \"Payment already completed\": its next validation is refused before it can start again.",
            isBroken: { observation in observation.session(key: observation.storedKey)?.status == .paid }),
        Invariant(
            name: "duplicate_sessions",
            explanation: "More than one payment session is open for one shopper.",
            consequence: "One shopper holds two open sessions, each with its own PaymentIntent: exactly what the idempotency key is there to prevent.",
            isBroken: { $0.openSessions.count > 1 }),
        Invariant(
            name: "retry_loop",
            explanation: "More validation requests were sent for one click than the client's policy allows (the seed: two, the click's and one retry).",
            consequence: "The client retried more than its policy allows (the seed: once, after \"Payment already completed\").",
            isBroken: { $0.lastStep.requests > $0.requestsAllowedPerClick * max($0.lastStep.clicks, 1) }),
        Invariant(
            name: "stale_key_sent",
            explanation: "The page sent a key that the server had already rotated away.",
            consequence: "The server no longer knows the key it was sent, so it opened yet another session.",
            isBroken: { $0.lastStep.staleKeysSent > 0 }),
        Invariant(
            name: "paid_but_unknown",
            explanation: "The backend says the page's PaymentIntent is paid, but the page does not know it.",
            consequence: "The page still offers to pay an order that is already paid; only its next validation finds out.",
            isBroken: { observation in
                observation.payment != .succeeded
                    && observation.reachableIntents.contains { observation.intent(id: $0)?.status == .succeeded }
            }),
    ]

    /// The invariants named in `names` (`nil`: all), in report order.
    public static func select(_ names: [String]?) throws -> [Invariant] {
        guard let names else { return all }
        for name in names where !all.contains(where: { $0.name == name }) {
            throw ExploreError("unknown invariant '\(UntrustedText.escaped(name))'; one of: \(all.map(\.name).joined(separator: ", "))")
        }
        return all.filter { names.contains($0.name) }
    }
}
