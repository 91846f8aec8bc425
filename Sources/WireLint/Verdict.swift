import MockBackend

/// One broken rule: who, which requests (journal numbers), what happened and
/// what the client should have done. The same mistake made again (the same rule,
/// message and advice: a client stuck on a paid key, a burst of double submits) is
/// one verdict with a `count` and the `first` and `last` requests of them all.
public struct Verdict: Codable, Equatable, Sendable {
    public var rule: LintRule
    public var client: String
    /// Journal numbers of the requests involved, oldest first (`GET /__admin/journal` shows them).
    public var requests: [Int64]
    /// What the client did.
    public var message: String
    /// What it should have sent or done.
    public var expected: String
    public var atMillis: Int64
    /// How many times the client did it (1: once; `requests` names the first time).
    public var count: Int
    /// The first and the last journal number of every time it did.
    public var firstRequest: Int64
    public var lastRequest: Int64

    enum CodingKeys: String, CodingKey {
        case rule, client, requests, message, expected, count, severity
        case atMillis = "at_millis"
        case firstRequest = "first"
        case lastRequest = "last"
    }

    public init(rule: LintRule, client: String, requests: [Int64], message: String, expected: String, atMillis: Int64) {
        self.rule = rule
        self.client = client
        self.requests = requests
        self.message = message
        self.expected = expected
        self.atMillis = atMillis
        count = 1
        firstRequest = requests.min() ?? 0
        lastRequest = requests.max() ?? 0
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(rule: try container.decode(LintRule.self, forKey: .rule), client: try container.decode(String.self, forKey: .client),
                  requests: try container.decode([Int64].self, forKey: .requests), message: try container.decode(String.self, forKey: .message),
                  expected: try container.decode(String.self, forKey: .expected), atMillis: try container.decode(Int64.self, forKey: .atMillis))
        count = try container.decodeIfPresent(Int.self, forKey: .count) ?? 1
        firstRequest = try container.decodeIfPresent(Int64.self, forKey: .firstRequest) ?? firstRequest
        lastRequest = try container.decodeIfPresent(Int64.self, forKey: .lastRequest) ?? lastRequest
    }

    /// `violation`, or `warning` for a rule that does not fail the lint (a legacy client).
    public var severity: String { rule.isWarning ? "warning" : "violation" }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rule, forKey: .rule)
        try container.encode(severity, forKey: .severity)
        try container.encode(client, forKey: .client)
        try container.encode(requests, forKey: .requests)
        try container.encode(message, forKey: .message)
        try container.encode(expected, forKey: .expected)
        try container.encode(atMillis, forKey: .atMillis)
        try container.encode(count, forKey: .count)
        try container.encode(firstRequest, forKey: .firstRequest)
        try container.encode(lastRequest, forKey: .lastRequest)
    }

    /// The same mistake once more, in `requests`.
    mutating func repeated(in requests: [Int64]) {
        count += 1
        firstRequest = min(firstRequest, requests.min() ?? firstRequest)
        lastRequest = max(lastRequest, requests.max() ?? lastRequest)
    }
}

/// One client's keys as the wire shows them (the key panel of `serve`).
public struct ClientKeys: Codable, Equatable, Sendable {
    public var client: String
    public var userAgent: String
    public var validations: Int
    /// The last key a response delivered to it.
    public var issued: String?
    /// What it should send next: a key, `none`, or `K or none`.
    public var expectedNext: String
    /// What its last validation sent (`nil`: none).
    public var lastSent: String?
    public var verdicts: Int

    public init(client: String, userAgent: String, validations: Int, issued: String?, expectedNext: String, lastSent: String?,
                verdicts: Int) {
        self.client = client
        self.userAgent = userAgent
        self.validations = validations
        self.issued = issued
        self.expectedNext = expectedNext
        self.lastSent = lastSent
        self.verdicts = verdicts
    }

    enum CodingKeys: String, CodingKey {
        case client, validations, issued, verdicts
        case userAgent = "user_agent"
        case expectedNext = "expected_next"
        case lastSent = "last_sent"
    }
}

/// What the lint found in a journal.
public struct LintReport: Codable, Equatable, Sendable {
    public var verdicts: [Verdict]
    public var clients: [ClientKeys]
    /// The last journal number judged.
    public var journal: Int64
    /// What the journal's limit removed before it was judged: requests among them were not.
    public var pruned: JournalPruning

    /// No violation (warnings, such as a legacy client, may remain).
    public var isClean: Bool { violations == 0 }
    /// Verdicts that break a rule of the lifecycle.
    public var violations: Int { verdicts.count - warnings }
    /// Verdicts that are warnings (`LintRule.isWarning`).
    public var warnings: Int { verdicts.lazy.filter(\.rule.isWarning).count }

    public init(verdicts: [Verdict], clients: [ClientKeys], journal: Int64, pruned: JournalPruning = .none) {
        self.verdicts = verdicts
        self.clients = clients
        self.journal = journal
        self.pruned = pruned
    }

    enum CodingKeys: String, CodingKey {
        case clean, verdicts, clients, journal, pruned, violations, warnings
        case prunedThrough = "pruned_through"
    }

    /// `clean` first, for a reader skimming the JSON.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(isClean, forKey: .clean)
        try container.encode(violations, forKey: .violations)
        try container.encode(warnings, forKey: .warnings)
        try container.encode(journal, forKey: .journal)
        try container.encode(pruned.count, forKey: .pruned)
        try container.encode(pruned.through, forKey: .prunedThrough)
        try container.encode(verdicts, forKey: .verdicts)
        try container.encode(clients, forKey: .clients)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        verdicts = try container.decode([Verdict].self, forKey: .verdicts)
        clients = try container.decode([ClientKeys].self, forKey: .clients)
        journal = try container.decode(Int64.self, forKey: .journal)
        pruned = JournalPruning(count: try container.decodeIfPresent(Int64.self, forKey: .pruned) ?? 0,
                                through: try container.decodeIfPresent(Int64.self, forKey: .prunedThrough) ?? 0)
    }
}
