import CheckoutCore

/// What one journal line records, as data: the backend and `serve` write it, the
/// lint and the admin API read it, and `text` is its rendering for people.
///
/// In the database a line is three columns: `kind` and `method` (`JournalEntry`'s),
/// and `detail`, which holds `stored`: the JSON of the call (arrivals, requests,
/// responses, errors, as written since the first version) or of the typed event
/// (rules, sessions, PaymentIntents, losses). `init(kind:method:stored:)` reads it
/// back, and reads the words that older versions wrote for events too.
public enum JournalDetail: Equatable, Sendable {
    /// A request as it arrived on the wire (`serve`).
    case arrival(RPCMethod, JournalArrival)
    /// The request the backend read (proto3 JSON).
    case request(RPCMethod, json: String)
    /// The response the backend produced (proto3 JSON).
    case response(RPCMethod, json: String)
    /// The RPC error the backend answered with.
    case error(RPCMethod, JournalError)
    /// The wire lost the call, or its reply.
    case lost(RPCMethod, WireLoss)
    /// A rule was armed, disarmed, fired or took effect.
    case rule(RuleEvent)
    /// A payment session was created or closed.
    case session(SessionEvent)
    /// A PaymentIntent was created or changed.
    case intent(IntentEvent)
    /// A line this version does not read (another program's, or words no version
    /// wrote): kept as it is, shown as it is, judged by nobody.
    case unread(JournalEntry.Kind, method: String, text: String)

    /// The `kind` column.
    public var kind: JournalEntry.Kind {
        switch self {
        case .arrival: .arrival
        case .request: .request
        case .response: .response
        case .error: .error
        case .lost: .dropped
        case .rule: .rule
        case .session: .session
        case .intent: .intent
        case .unread(let kind, _, _): kind
        }
    }

    /// The `method` column: the RPC's name for calls, the subject otherwise.
    public var method: String {
        switch self {
        case .arrival(let method, _), .request(let method, _), .response(let method, _), .error(let method, _), .lost(let method, _):
            method.shortName
        case .rule: Self.ruleSubject
        case .session: Self.sessionSubject
        case .intent: Self.intentSubject
        case .unread(_, let method, _): method
        }
    }

    static let ruleSubject = "rule"
    static let sessionSubject = "session"
    static let intentSubject = "PaymentIntent"

    /// What people read: the JSON of a call, the sentence of an event.
    public var text: String {
        switch self {
        case .arrival(_, let arrival): arrival.json
        case .request(_, let json), .response(_, let json): json
        case .error(_, let error): error.json
        case .lost(_, let loss): loss.text
        case .rule(let event): event.text
        case .session(let event): event.text
        case .intent(let event): event.text
        case .unread(_, _, let text): text
        }
    }

    /// The `detail` column.
    public var stored: String {
        switch self {
        case .arrival, .request, .response, .error, .unread: text
        case .lost(_, let loss): JournalJSON.encode(loss)
        case .rule(let event): JournalJSON.encode(event)
        case .session(let event): event.writtenJSON ?? JournalJSON.encode(event)
        case .intent(let event): event.writtenJSON ?? JournalJSON.encode(event)
        }
    }

    /// The line the three columns hold. Events are read from their JSON, or from the
    /// words of a journal written before they were typed; whatever is neither is `unread`.
    public init(kind: JournalEntry.Kind, method: String, stored: String) {
        let unread = JournalDetail.unread(kind, method: method, text: stored)
        switch kind {
        case .rule:
            self = (JournalJSON.decode(RuleEvent.self, stored) ?? RuleEvent(words: stored)).map(JournalDetail.rule) ?? unread
        case .session:
            self = (JournalJSON.decode(SessionEvent.self, stored) ?? SessionEvent(words: stored)).map(JournalDetail.session) ?? unread
        case .intent:
            self = (JournalJSON.decode(IntentEvent.self, stored) ?? IntentEvent(words: stored)).map(JournalDetail.intent) ?? unread
        case .arrival, .request, .response, .error, .dropped:
            guard let rpc = RPCMethod(shortName: method) else {
                self = unread
                return
            }
            switch kind {
            case .arrival: self = .arrival(rpc, JournalArrival(json: stored))
            case .request: self = .request(rpc, json: stored)
            case .response: self = .response(rpc, json: stored)
            case .error: self = .error(rpc, JournalError(json: stored))
            default: self = (JournalJSON.decode(WireLoss.self, stored) ?? WireLoss(words: stored)).map { .lost(rpc, $0) } ?? unread
            }
        }
    }
}
