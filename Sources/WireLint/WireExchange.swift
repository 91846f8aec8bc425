import CheckoutCore

/// One RPC of one client as the journal shows it: what was sent, and what (if
/// anything) reached the client.
public struct WireExchange: Equatable, Sendable {
    /// What the client received.
    public enum Outcome: Equatable, Sendable {
        /// A response: the key it carried, its PaymentIntent, and whether it says "paid".
        case response(key: String?, paymentIntent: String?, paid: Bool)
        /// An RPC error the client decoded.
        case error(code: String, message: String)
        /// Nothing usable: held, dropped, garbled, reset, or past the deadline.
        case lost(String)
    }

    /// The journal number that names the request (its arrival, or its request line).
    public var journal: Int64
    /// The client: the `checkout-sim-client` cookie, `""` without one, or `WireExchange.simulatedClient`.
    public var client: String
    /// The cookie was set by this request's response (the client may never send it back).
    public var provisionalClient = false
    public var userAgent = ""
    public var method: RPCMethod
    public var arrivedMillis: Int64
    /// The client's deadline (`Connect-Timeout-Ms`), if it sent one.
    public var deadlineMillis: Int64?
    /// A latency rule's delay before the reply.
    public var latencyMillis: Int64 = 0
    /// ValidateOrderItemsInsert: the key sent (`nil`: none, or the request line not seen yet).
    public var sentKey: String?
    /// ValidateOrderItemsInsert: the order's payment method (`nil`: unspecified, or not read).
    public var paymentMethod: PaymentMethod?
    /// CompleteRedirect: what the bank's page said (`succeeded`, `failed`).
    public var redirectStatus: String?
    /// Whether the request line was journaled (a request held by `timeout` never is).
    public var requestSeen = false
    /// Lost on the way back (drop, garble, reset) as journaled by the backend.
    public var lostBecause: String?
    public var outcome: Outcome?

    /// The simulated shopper of the TUI (requests without an arrival line).
    public static let simulatedClient = "simulated shopper"
    /// How long a client without a deadline waits for a held request (the server closes it then).
    public static let defaultHoldMillis: Int64 = 10_000

    public init(journal: Int64, client: String, method: RPCMethod, arrivedMillis: Int64) {
        self.journal = journal
        self.client = client
        self.method = method
        self.arrivedMillis = arrivedMillis
    }

    /// What reached the client: the outcome unless the wire lost it.
    public var delivered: Outcome {
        if let lostBecause { return .lost(lostBecause) }
        // A reply due at the deadline races the client's abort: it counts as lost.
        if let deadlineMillis, latencyMillis >= deadlineMillis { return .lost("deadline exceeded") }
        return outcome ?? .lost("no reply")
    }

    /// When the client stopped waiting: the reply, or its deadline for a held request.
    public var repliedMillis: Int64 {
        switch delivered {
        case .lost(let why) where why == "held" || why == "dropped" || why == "no reply":
            // The client gives up at its deadline (the server closes a held request then too).
            arrivedMillis + (deadlineMillis ?? Self.defaultHoldMillis)
        case .lost(let why) where why == "deadline exceeded":
            arrivedMillis + (deadlineMillis ?? latencyMillis)
        default:
            arrivedMillis + latencyMillis
        }
    }
}
