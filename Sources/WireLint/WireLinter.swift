import CheckoutCore
import MockBackend

/// Judges every client in a journal against the seed's key lifecycle.
///
/// Feed it journal entries as they come (`read`), then ask for a `report` at
/// any time: the report is recomputed from the exchanges, so a client first
/// taken for a legacy one is judged again when it starts sending keys.
public struct WireLinter: Sendable {
    public private(set) var builder: ExchangeBuilder
    /// How soon the retry after "Payment already completed" must leave to count as immediate.
    public var retryWindowMillis: Int64
    /// The rules every client is judged against.
    public var policy: ClientPolicy

    /// The default window: a page retries within milliseconds; a shopper clicking again takes longer.
    public static let defaultRetryWindowMillis: Int64 = 1_000

    /// `clientTimeoutMillis`: the simulated shopper's deadline (its `--client-timeout`).
    public init(retryWindowMillis: Int64 = WireLinter.defaultRetryWindowMillis, policy: ClientPolicy = .standard,
                clientTimeoutMillis: Int64 = ClientPolicy.defaultTimeoutMillis) {
        self.retryWindowMillis = retryWindowMillis
        self.policy = policy
        builder = ExchangeBuilder(simulatedClientTimeoutMillis: clientTimeoutMillis)
    }

    /// Reads more of the journal (oldest first).
    public mutating func read(_ entries: [JournalEntry]) { builder.read(entries) }

    /// The last journal number read.
    public var lastSequence: Int64 { builder.lastSequence }

    /// The verdicts and each client's keys at `nowMillis` (a missing retry is judged against it);
    /// `pruned`: what the journal's limit removed before it was read.
    public func report(nowMillis: Int64, pruned: JournalPruning = .none) -> LintReport {
        let exchanges = Self.attributed(builder.allExchanges)
        var judges: [String: ClientJudge] = [:]
        var order: [String] = []
        var owners = KeyOwners(exchanges)
        for exchange in exchanges {
            if judges[exchange.client] == nil {
                judges[exchange.client] = ClientJudge(client: exchange.client, retryWindowMillis: retryWindowMillis, policy: policy)
                order.append(exchange.client)
            }
            judges[exchange.client]!.judge(exchange, issuedKeys: builder.issuedKeys, owners: owners)
            owners.saw(exchange)
        }
        var verdicts: [Verdict] = []
        var clients: [ClientKeys] = []
        for client in order {
            var (found, keys) = judges[client]!.finished(nowMillis: nowMillis, paidIntents: builder.paidIntents)
            verdicts += found
            keys.verdicts = found.count
            clients.append(keys)
        }
        verdicts.sort { ($0.requests.last ?? 0, $0.rule.number) < ($1.requests.last ?? 0, $1.rule.number) }
        return LintReport(verdicts: verdicts, clients: clients, journal: builder.lastSequence, pruned: pruned)
    }

    /// A request whose response set a new cookie belongs to that cookie's client
    /// only if the client sends the cookie back; otherwise (curl, a client
    /// without cookies) it is one of the cookie-less requests.
    static func attributed(_ exchanges: [WireExchange]) -> [WireExchange] {
        let returning = Set(exchanges.lazy.filter { !$0.provisionalClient }.map(\.client))
        return exchanges.map { exchange in
            guard exchange.provisionalClient, !returning.contains(exchange.client) else { return exchange }
            var anonymous = exchange
            anonymous.client = ""
            return anonymous
        }
    }
}

/// Which client each key was issued to (the first response that carried it), and when each
/// client was last heard from: a key sent by another client is that client's.
struct KeyOwners {
    struct Owner: Equatable {
        var client: String
        var journal: Int64
        var userAgent: String
    }

    private var owners: [String: Owner] = [:]
    /// Over the whole journal, not only up to the request judged.
    private var lastSeen: [String: Int64] = [:]

    init(_ exchanges: [WireExchange] = []) {
        for exchange in exchanges { lastSeen[exchange.client] = max(lastSeen[exchange.client] ?? 0, exchange.journal) }
    }

    /// Notes the key `exchange`'s response carried as its client's, if no one had it before.
    mutating func saw(_ exchange: WireExchange) {
        if case .response(let key?, _, _)? = exchange.outcome, owners[key] == nil {
            owners[key] = Owner(client: exchange.client, journal: exchange.journal, userAgent: exchange.userAgent)
        }
    }

    /// Who `key` was issued to, if it was issued to a client other than `client`.
    func otherOwner(of key: String, client: String) -> Owner? {
        guard let owner = owners[key], owner.client != client else { return nil }
        return owner
    }

    /// The last journal number of `client`'s requests, in the whole journal.
    func lastSeen(_ client: String) -> Int64? { lastSeen[client] }
}
