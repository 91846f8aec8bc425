import CheckoutCore
import Foundation
import HTTPTypes
import Hummingbird
import MockBackend

/// A request body read, or the reply that says why it cannot be.
enum Parsed<T> {
    case value(T)
    case reply(Response)
}

/// The admin API's JSON replies.
enum AdminReply {
    static func json<T: Encodable>(_ value: T, status: Int = 200) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return WireReply.response(status, "application/json", data + Data("\n".utf8))
    }

    /// A Connect-style error, `{"code": ..., "message": ...}`.
    /// `status` overrides Connect's for the code (413 for a body with too much in it).
    static func error(_ code: RPCCode, _ message: String, status: Int? = nil) -> Response {
        WireReply.response(status ?? code.httpStatus, "application/json",
                           ConnectRules.errorBody(RPCStatus(code: code, message: message)) + Data("\n".utf8))
    }

    /// The request body as UTF-8 text (at most 1 MB).
    static func bodyText(_ request: Request, _ context: ServerContext) async -> Parsed<String> {
        guard let buffer = try? await request.body.collect(upTo: 1 << 20) else {
            return .reply(error(.invalidArgument, "the body is larger than 1 MB"))
        }
        guard let text = String(validating: buffer.readableBytesView, as: UTF8.self) else {
            return .reply(error(.invalidArgument, "the body is not UTF-8"))
        }
        return .value(text)
    }

    /// The body decoded as `T`; a 400 naming the expected form otherwise.
    static func decode<T: Decodable>(_ type: T.Type, _ request: Request, _ context: ServerContext, example: String) async -> Parsed<T> {
        switch await bodyText(request, context) {
        case .reply(let reply): return .reply(reply)
        case .value(let text):
            guard let value = try? JSONDecoder().decode(T.self, from: Data(text.utf8)) else {
                return .reply(error(.invalidArgument, "the body must be JSON like \(example)"))
            }
            return .value(value)
        }
    }
}

struct RulesBody: Encodable {
    struct Rule: Encodable {
        var position: Int
        var rule: RuleSpec
        var remaining: Int?
        var label: String
    }

    var rules: [Rule]
    var effects: [String]? = nil
}

/// The journal as JSON; requests and responses are embedded decoded (proto3 JSON),
/// other entries' details as strings. `pruned` (lines the journal's limit removed) and
/// `pruned_through` (the last number removed) say when it is not the whole journal.
enum JournalBody {
    static func render(_ entries: [JournalEntry], last: Int64, pruning: JournalPruning = .none) -> Data {
        struct Fields: Encodable {
            var seq: Int64
            var at: Int64
            var kind: String
            var method: String
            var body: String?
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var out = Data("{\"entries\":[".utf8)
        for (index, entry) in entries.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            // Details of requests and responses are JSON we wrote (ProtoJSON); they go in as they are.
            let isJSON = [.request, .response, .error, .arrival].contains(entry.kind) && entry.text.hasPrefix("{")
                && (try? JSONSerialization.jsonObject(with: Data(entry.text.utf8))) != nil
            var fields = (try? encoder.encode(Fields(seq: entry.sequence, at: entry.atMillis, kind: entry.kind.rawValue, method: entry.method,
                                                     body: isJSON ? nil : entry.text))) ?? Data("{}".utf8)
            if isJSON {
                fields.removeLast()
                fields.append(contentsOf: Data(",\"body\":".utf8) + Data(entry.text.utf8) + Data("}".utf8))
            }
            out.append(fields)
        }
        out.append(contentsOf: Data("],\"last\":\(last),\"pruned\":\(pruning.count),\"pruned_through\":\(pruning.through)}\n".utf8))
        return out
    }
}

struct SessionsBody: Encodable {
    struct Session: Encodable {
        var key: String
        var status: String
        var paymentIntentID: String
        var createdAt: Int64
        var lastValidatedAt: Int64

        init(_ session: PaymentSession) {
            key = session.key
            status = session.status.rawValue
            paymentIntentID = session.paymentIntentID
            createdAt = session.createdAtMillis
            lastValidatedAt = session.lastValidatedAtMillis
        }

        enum CodingKeys: String, CodingKey {
            case key, status, paymentIntentID = "payment_intent_id", createdAt = "created_at", lastValidatedAt = "last_validated_at"
        }
    }

    struct Intent: Encodable {
        var id: String
        var sessionKey: String
        var amountCents: Int64
        var currency: String
        var status: String
        var updatedAt: Int64

        init(_ intent: PaymentIntent) {
            id = intent.id
            sessionKey = intent.sessionKey
            amountCents = intent.amountCents
            currency = intent.currency
            status = intent.status.rawValue
            updatedAt = intent.updatedAtMillis
        }

        enum CodingKeys: String, CodingKey {
            case id, sessionKey = "session_key", amountCents = "amount_cents", currency, status, updatedAt = "updated_at"
        }
    }

    /// Totals since the start.
    struct Counters: Encodable {
        var sessions: Int
        var paymentIntents: Int
        var paid: Int

        init(_ counters: BackendCounters) {
            sessions = counters.sessions
            paymentIntents = counters.paymentIntents
            paid = counters.paid
        }

        enum CodingKeys: String, CodingKey { case sessions, paymentIntents = "payment_intents", paid }
    }

    var sessions: [Session]
    var paymentIntents: [Intent]
    var counters: Counters

    enum CodingKeys: String, CodingKey { case sessions, paymentIntents = "payment_intents", counters }
}

