import Foundation
import CheckoutProto
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
    /// What came back, as the client saw it.
    public var reply: ReplyKind = .response
    /// The bytes of a reply that did not decode (the first `TimelineEntry.keptReplyBytes`).
    public var undecodableBytes: Data?

    /// How many bytes of an undecodable reply are kept for the hex dump.
    public static let keptReplyBytes = 4_096

    /// What came back for a request.
    public enum ReplyKind: Equatable, Sendable {
        /// Response bytes (decoded or not: see `undecodableBytes`).
        case response
        /// An RPC error from the server.
        case serverError
        /// No reply at all: the client gave up at its timeout.
        case lost
        /// A reply slower than the client's timeout: the client gave up before it came.
        case tooSlow
    }

    /// Whether the error is the client's (a timeout, an undecodable reply), not the server's.
    public var isClientSideError: Bool {
        reply == .lost || reply == .tooSlow || undecodableBytes != nil
    }
}

/// A validation request sent and not answered yet, as the timeline shows it while it waits.
public struct PendingRequest: Equatable, Sendable {
    /// The number it takes in the timeline when answered (replies arrive in this order).
    public var number: Int
    public var sentAtMillis: Int64
    public var trigger: ValidationTrigger
    public var keySent: String?
    public var request: Checkout_V1_ValidateOrderItemsInsertRequest
    /// A refresh since it was sent: the page will ignore its reply.
    public var abandoned: Bool
}

/// One change of the stored key, for the key panel's history.
public struct KeyHistoryEntry: Equatable, Sendable {
    public enum Change: String, Sendable { case set, rotated, cleared, tampered, external }

    /// What really happened, decided by the engine where the change happens.
    public enum Cause: Equatable, Sendable {
        /// In localStorage when the page loaded.
        case foundAtLoad
        /// The first key a reply gave.
        case stored
        /// The server answered the key sent with a new one.
        case serverRotation
        /// The server did not know a key written by hand and replaced it.
        case tamperedReplaced
        /// Two requests in flight at once: this reply's key overwrote the one another reply stored.
        case doubleSubmitRace
        /// `x`: localStorage cleared by hand.
        case clearedByHand
        /// `e`: a key written into localStorage by hand.
        case editedByHand
        /// Cleared with the cart after a successful payment (or the 3-D Secure return).
        case clearedAfterPayment
        /// Cleared after "Payment already completed", before the retry without a key.
        case clearedAlreadyCompleted
        /// Another tab changed it.
        case otherTab
        /// Anything else, in the reason's words.
        case other

        /// A short label for the history row.
        public var label: String {
            switch self {
            case .foundAtLoad: "found at load"
            case .stored: "stored"
            case .serverRotation: "server rotation"
            case .tamperedReplaced: "tampered replaced"
            case .doubleSubmitRace: "double-submit race"
            case .clearedByHand: "cleared by hand"
            case .editedByHand: "edited by hand"
            case .clearedAfterPayment: "cleared: paid"
            case .clearedAlreadyCompleted: "cleared: completed"
            case .otherTab: "other tab"
            case .other: "changed"
            }
        }
    }

    public var atMillis: Int64
    public var change: Change
    /// The key after the change (`nil`: cleared).
    public var key: String?
    /// Why, in words.
    public var reason: String
    public var cause: Cause = .other

    public init(atMillis: Int64, change: Change, key: String?, reason: String, cause: Cause = .other) {
        self.atMillis = atMillis
        self.change = change
        self.key = key
        self.reason = reason
        self.cause = cause
    }
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
    public static let defaultClientTimeoutMillis: Int64 = ClientPolicy.defaultTimeoutMillis

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
        /// A presented scenario's `say` (or its description, before the first step).
        case narration
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
