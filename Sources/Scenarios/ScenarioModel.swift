import CheckoutCore
import MockBackend
import Simulation

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
    /// `client_timeout`: how long the client waits for a reply (an addition to format v1).
    public var clientTimeoutMillis = SimulationConfiguration.defaultClientTimeoutMillis
    /// What the page and the backend held before the first step (additions to
    /// format v1 that recordings started mid-session write).
    public var world = WorldSetup()

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
    /// A `do:` or `backend:` step. A `do:` step plays until nothing is in
    /// flight unless `waitsForReply` is false (`wait: false`); `backend:`
    /// steps and `wait` never wait for replies.
    case action(Action, waitsForReply: Bool = true)
    case expect(Expectation)

    /// A `backend:` step.
    public static func backend(_ kind: RuleKind, _ firing: RuleFiring) -> StepKind {
        .action(.arm(kind, firing), waitsForReply: false)
    }

    /// `say`, `do`, `backend` or `expect`.
    public var name: String {
        switch self {
        case .say: "say"
        case .action(let action, _): action.isBackend ? "backend" : "do"
        case .expect: "expect"
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
