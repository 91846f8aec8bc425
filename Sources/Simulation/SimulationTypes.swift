import CheckoutCore
import MockBackend

/// One validation request as the timeline shows it.
public struct TimelineEntry: Equatable, Sendable {
    /// 1-based position among all requests of this simulation.
    public var number: Int
    public var record: RequestRecord
    public var sentAtMillis: Int64
    public var answeredAtMillis: Int64
    /// Backend rules that fired for this request.
    public var firedRules: [String]
}

/// One change of the stored key, for the key panel's history.
public struct KeyHistoryEntry: Equatable, Sendable {
    public enum Change: String, Sendable { case set, rotated, cleared, tampered, external }

    public var atMillis: Int64
    public var change: Change
    /// The key after the change (`nil`: cleared).
    public var key: String?
    /// Why, in words.
    public var reason: String
}

/// How the simulation is put together.
public struct SimulationConfiguration: Sendable {
    /// Keys and probability draws repeat with a seed; `nil` for random.
    public var seed: UInt64?
    public var client: ClientSettings
    /// How long the client waits for a reply before it calls the request lost (the web
    /// client's fetch timeout).
    public var clientTimeoutMillis: Int64

    /// The client's request timeout unless told otherwise: 10 s.
    public static let defaultClientTimeoutMillis: Int64 = 10_000

    public init(seed: UInt64? = 0, client: ClientSettings = ClientSettings(),
                clientTimeoutMillis: Int64 = SimulationConfiguration.defaultClientTimeoutMillis) {
        self.seed = seed
        self.client = client
        self.clientTimeoutMillis = clientTimeoutMillis
    }
}

/// What a scenario or a test can observe at one moment.
public struct SimulationSnapshot: Equatable, Sendable {
    public var storedKey: String?
    public var toast: Toast?
    public var cart: [CartLine]
    public var form: FormData
    public var paymentMethod: PaymentMethod
    public var payment: PaymentStatus
    public var counters: BackendCounters
    /// Requests sent and not answered yet.
    public var inFlight: Int
    public var requestCount: Int
}

/// One line of the message log: a toast the page showed, a notice about storage,
/// or a front end's status line.
public struct LoggedMessage: Equatable, Sendable {
    /// Where a message came from.
    public enum Kind: Equatable, Sendable {
        case toast(Toast.Kind)
        case notice
        case status
    }

    public var atMillis: Int64
    public var kind: Kind
    public var text: String

    public init(atMillis: Int64, kind: Kind, text: String) {
        self.atMillis = atMillis
        self.kind = kind
        self.text = text
    }
}
