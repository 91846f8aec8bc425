import CheckoutCore

/// A fault or behaviour a QA engineer arms on the backend (PRODUCT §1.2).
public enum RuleKind: Hashable, Sendable {
    case rotate
    case paymentAlreadyCompleted
    case paymentUnavailable
    case failedToCreatePaymentIntent
    /// Any error message, with a status code.
    case error(message: String, code: RPCCode)
    /// Delays every reply while armed.
    case latency(millis: Int64)
    /// Processed, but the reply is lost: the client times out.
    case dropResponse
    /// Lost before reaching the server: nothing is created.
    case timeout
    /// Processed, but the reply bytes are corrupted.
    case garbleResponse
    /// Processed, then the connection is reset instead of a reply: the client
    /// sees a network error at once (`unavailable`).
    case connectionReset
    /// Every open session expires now.
    case expireSessions
    /// The stored key's session is paid elsewhere (another tab), now.
    case markPaid
    /// While armed, a validation whose key another request is still using is refused with
    /// `aborted` (Stripe's `idempotency_key_in_use`).
    case keyInUse

    /// The name scenario files use.
    public var name: String {
        switch self {
        case .rotate: "rotate"
        case .paymentAlreadyCompleted: "payment_already_completed"
        case .paymentUnavailable: "payment_unavailable"
        case .failedToCreatePaymentIntent: "failed_to_create_payment_intent"
        case .error: "error"
        case .latency: "latency"
        case .dropResponse: "drop_response"
        case .timeout: "timeout"
        case .garbleResponse: "garble_response"
        case .connectionReset: "connection_reset"
        case .expireSessions: "expire_sessions"
        case .markPaid: "mark_paid"
        case .keyInUse: "key_in_use"
        }
    }

    /// Every rule name, in menu order.
    public static var allNames: [String] { table.map(\.name) }

    /// The rule for a name that takes no argument.
    public init?(simpleName: String) {
        guard let row = Self.table.first(where: { $0.name == simpleName && $0.argument == .none }) else { return nil }
        self = row.menuRule
    }

    /// Takes effect when armed instead of waiting for a request.
    public var isImmediate: Bool { self == .expireSessions || self == .markPaid }

    /// Applies to every request while armed rather than waiting in the queue.
    public var isLatency: Bool {
        if case .latency = self { return true }
        return false
    }

    /// Watches every request while armed and fires only on the ones it concerns
    /// (latency on all of them, key_in_use on a key in use), never waiting in the queue.
    public var isWatcher: Bool { isLatency || self == .keyInUse }

    /// A short human description, e.g. `latency 2s` or `error "boom"`.
    public var label: String {
        switch self {
        case .error(let message, _): "error \"\(message)\""
        case .latency(let millis): "latency \(Duration.milliseconds(millis).compactDescription)"
        default: name
        }
    }
}

/// How often an armed rule fires.
public enum RuleFiring: Hashable, Sendable {
    /// The next `n` requests (once is `times(1)`).
    case times(Int)
    /// Every request, for good.
    case always
    /// Each request with this chance (seeded draws), `times` firings at most
    /// (`nil`: without limit).
    case probability(Double, times: Int?)

    public static let once = RuleFiring.times(1)

    /// `once`, `×3`, `always`, `p=0.3`.
    public var label: String {
        switch self {
        case .times(1): "once"
        case .times(let n): "×\(n)"
        case .always: "always"
        case .probability(let p, let times): "p=\(p)" + (times.map { " ×\($0)" } ?? "")
        }
    }
}

/// A rule waiting to fire.
public struct ArmedRule: Hashable, Sendable, Identifiable {
    public var id: Int
    public var kind: RuleKind
    public var firing: RuleFiring
    /// Firings left; `nil` for no limit.
    public var remaining: Int?

    public init(id: Int, kind: RuleKind, firing: RuleFiring) {
        self.id = id
        self.kind = kind
        self.firing = firing
        switch firing {
        case .times(let n): remaining = max(n, 0)
        case .always: remaining = nil
        case .probability(_, let times): remaining = times
        }
    }

    /// Its line in the armed queue: `rotate ×2 left`, `latency 1500ms always`,
    /// `error "boom" p=0.5 ×3 left`, `rotate p=0.5 no limit`.
    public var queueLabel: String {
        let left = remaining.map { "×\($0) left" }
        switch firing {
        case .times: return "\(kind.label) \(left ?? "")"
        case .always: return "\(kind.label) always"
        case .probability(let p, _): return "\(kind.label) p=\(p) \(left ?? "no limit")"
        }
    }

    /// `rotate ×2 (1 left)`.
    public var label: String {
        var text = "\(kind.label) \(firing.label)"
        if let remaining, case .times(let n) = firing, n > 1 { text += " (\(remaining) left)" }
        return text
    }
}

/// The armed rules: latency rules apply to every request, the others wait in
/// a queue in arming order and each request fires the first one waiting.
public struct RuleQueue: Equatable, Sendable {
    public private(set) var rules: [ArmedRule] = []
    private var nextID = 1

    /// The most rules armed at once. The queue is stored as one text, written again
    /// whenever a rule fires: a bound on it is a bound on every request's work.
    public static let capacity = 1_000

    public init() {}

    /// Adds a rule at the back of the queue.
    public mutating func arm(_ kind: RuleKind, _ firing: RuleFiring) {
        let rule = ArmedRule(id: nextID, kind: kind, firing: firing)
        nextID += 1
        if rule.remaining != 0 { rules.append(rule) }
    }

    /// Removes every armed rule.
    public mutating func disarmAll() { rules.removeAll() }

    /// Removes the rule at `position` (1-based, in arming order); `nil` when there is none.
    @discardableResult
    public mutating func disarm(at position: Int) -> ArmedRule? {
        guard position >= 1, position <= rules.count else { return nil }
        return rules.remove(at: position - 1)
    }

    /// The delay every armed latency rule adds to this request; each consumes one firing.
    mutating func takeLatency(draw: () -> Double) -> (millis: Int64, fired: [RuleKind]) {
        var total: Int64 = 0
        var fired: [RuleKind] = []
        for index in rules.indices where rules[index].kind.isLatency {
            guard shouldFire(rules[index], draw: draw), case .latency(let millis) = rules[index].kind else { continue }
            total += millis
            fired.append(rules[index].kind)
            consume(at: index)
        }
        rules.removeAll { $0.remaining == 0 }
        return (total, fired)
    }

    /// Fires an armed `key_in_use` rule for a request whose key is in use; false when none fires.
    mutating func takeKeyInUse(inUse: Bool, draw: () -> Double) -> Bool {
        guard inUse, let index = rules.firstIndex(where: { $0.kind == .keyInUse }), shouldFire(rules[index], draw: draw) else {
            return false
        }
        consume(at: index)
        rules.removeAll { $0.remaining == 0 }
        return true
    }

    /// Fires the first waiting (non-watcher) rule, if its chance says so.
    mutating func takeNext(draw: () -> Double) -> RuleKind? {
        guard let index = rules.firstIndex(where: { !$0.kind.isWatcher }) else { return nil }
        guard shouldFire(rules[index], draw: draw) else { return nil }
        let kind = rules[index].kind
        consume(at: index)
        rules.removeAll { $0.remaining == 0 }
        return kind
    }

    private func shouldFire(_ rule: ArmedRule, draw: () -> Double) -> Bool {
        if case .probability(let p, _) = rule.firing { return draw() < p }
        return true
    }

    private mutating func consume(at index: Int) {
        if let remaining = rules[index].remaining { rules[index].remaining = remaining - 1 }
    }
}

// MARK: - Codable, for a store that shares the queue between processes

extension ArmedRule: Codable {
    private enum CodingKeys: String, CodingKey { case id, rule, remaining }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let spec = try container.decode(RuleSpec.self, forKey: .rule)
        self.init(id: try container.decode(Int.self, forKey: .id), kind: spec.kind, firing: spec.firing)
        remaining = try container.decodeIfPresent(Int.self, forKey: .remaining)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(RuleSpec(kind, firing), forKey: .rule)
        try container.encodeIfPresent(remaining, forKey: .remaining)
    }
}

extension RuleQueue: Codable {
    private enum CodingKeys: String, CodingKey { case rules, nextID = "next_id" }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        rules = try container.decode([ArmedRule].self, forKey: .rules)
        nextID = try container.decode(Int.self, forKey: .nextID)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rules, forKey: .rules)
        try container.encode(nextID, forKey: .nextID)
    }
}

extension Duration {
    /// `500ms`, `2s`, `1m30s`, `25h`.
    public var compactDescription: String {
        let millis = components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
        if millis % 1000 != 0 || millis == 0 { return "\(millis)ms" }
        var seconds = millis / 1000
        var parts: [String] = []
        if seconds >= 3600 { parts.append("\(seconds / 3600)h"); seconds %= 3600 }
        if seconds >= 60 { parts.append("\(seconds / 60)m"); seconds %= 60 }
        if seconds > 0 { parts.append("\(seconds)s") }
        return parts.joined()
    }
}
