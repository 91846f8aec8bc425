/// One broken rule: who, which requests (journal numbers), what happened and
/// what the client should have done.
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

    enum CodingKeys: String, CodingKey {
        case rule, client, requests, message, expected
        case atMillis = "at_millis"
    }

    public init(rule: LintRule, client: String, requests: [Int64], message: String, expected: String, atMillis: Int64) {
        self.rule = rule
        self.client = client
        self.requests = requests
        self.message = message
        self.expected = expected
        self.atMillis = atMillis
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

    public var isClean: Bool { verdicts.isEmpty }

    public init(verdicts: [Verdict], clients: [ClientKeys], journal: Int64) {
        self.verdicts = verdicts
        self.clients = clients
        self.journal = journal
    }

    enum CodingKeys: String, CodingKey {
        case clean, verdicts, clients, journal
    }

    /// `clean` first, for a reader skimming the JSON.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(isClean, forKey: .clean)
        try container.encode(journal, forKey: .journal)
        try container.encode(verdicts, forKey: .verdicts)
        try container.encode(clients, forKey: .clients)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        verdicts = try container.decode([Verdict].self, forKey: .verdicts)
        clients = try container.decode([ClientKeys].self, forKey: .clients)
        journal = try container.decode(Int64.self, forKey: .journal)
    }
}
