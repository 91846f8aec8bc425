import CheckoutCore
import MockBackend

/// One failed check.
public struct ScenarioFailure: Equatable, Sendable, Encodable {
    /// 1-based step index.
    public var step: Int
    public var line: Int
    public var message: String
}

/// A request as reports show it.
public struct RequestReport: Equatable, Sendable, Encodable {
    public var key: String?
    public var result: String
    public var returnedKey: String?
    public var message: String?

    enum CodingKeys: String, CodingKey { case key, result, returnedKey = "returned_key", message }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(key, forKey: .key)
        try container.encode(result, forKey: .result)
        try container.encode(returnedKey, forKey: .returnedKey)
        try container.encode(message, forKey: .message)
    }
}

/// A step and the state after it.
public struct StepReport: Equatable, Sendable, Encodable {
    public var index: Int
    public var line: Int
    public var kind: String
    /// The action (`do`), the rule (`backend`) or the narration (`say`).
    public var action: String?
    public var requests: [RequestReport]
    public var storedKey: String?
    public var toast: Toast?
    public var cartItems: Int
    public var payment: String
    public var backend: BackendCounters
    /// For `expect` steps: whether every check held.
    public var passed: Bool?

    enum CodingKeys: String, CodingKey {
        case index, line, kind, action, requests, storedKey = "stored_key", toast, cartItems = "cart_items"
        case payment, backend, passed
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(index, forKey: .index)
        try container.encode(line, forKey: .line)
        try container.encode(kind, forKey: .kind)
        try container.encode(action, forKey: .action)
        try container.encode(requests, forKey: .requests)
        try container.encode(storedKey, forKey: .storedKey)
        try container.encode(toast, forKey: .toast)
        try container.encode(cartItems, forKey: .cartItems)
        try container.encode(payment, forKey: .payment)
        try container.encode(CountersReport(backend), forKey: .backend)
        try container.encodeIfPresent(passed, forKey: .passed)
    }
}

struct CountersReport: Encodable {
    let sessions: Int
    let payment_intents: Int
    let paid: Int

    init(_ counters: BackendCounters) {
        sessions = counters.sessions
        payment_intents = counters.paymentIntents
        paid = counters.paid
    }
}

/// The outcome of one scenario.
public struct ScenarioResult: Equatable, Sendable, Encodable {
    public var file: String
    public var name: String
    public var passed: Bool { failures.isEmpty }
    public var failures: [ScenarioFailure]
    public var steps: [StepReport]
    /// Wall time the run took, in seconds.
    public var seconds: Double
    /// What happened, as a sequence diagram (when the runner draws them).
    public var diagram: SequenceDiagram?

    public init(file: String, name: String, failures: [ScenarioFailure], steps: [StepReport], seconds: Double,
                diagram: SequenceDiagram? = nil) {
        self.file = file
        self.name = name
        self.failures = failures
        self.steps = steps
        self.seconds = seconds
        self.diagram = diagram
    }

    enum CodingKeys: String, CodingKey { case file, name, passed, failures, steps }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(name, forKey: .name)
        try container.encode(passed, forKey: .passed)
        try container.encode(failures, forKey: .failures)
        try container.encode(steps, forKey: .steps)
    }
}
