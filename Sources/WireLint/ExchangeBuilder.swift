import CheckoutCore
import CheckoutProto
import Foundation
import MockBackend
import SwiftProtobuf

/// Reads the journal, line by line, into exchanges. Every call's lines are
/// contiguous (one transaction), so a line belongs to the exchange before it;
/// an `arrival` line starts a wire exchange, a request without one is the
/// simulated shopper's.
public struct ExchangeBuilder: Sendable {
    public private(set) var exchanges: [WireExchange] = []
    /// PaymentIntents the journal saw succeed (by any route, `mark_paid` included).
    public private(set) var paidIntents: Set<String> = []
    /// Every key a response carried.
    public private(set) var issuedKeys: Set<String> = []
    /// The last journal number read.
    public private(set) var lastSequence: Int64 = 0
    /// The exchange still collecting lines.
    private var open: WireExchange?
    /// The simulated shopper's deadline (its `--client-timeout`).
    public var simulatedClientTimeoutMillis: Int64

    public init(simulatedClientTimeoutMillis: Int64 = ClientPolicy.defaultTimeoutMillis) {
        self.simulatedClientTimeoutMillis = simulatedClientTimeoutMillis
    }

    /// Every exchange read so far, the open one included.
    public var allExchanges: [WireExchange] { open.map { exchanges + [$0] } ?? exchanges }

    /// Reads `entries` (oldest first).
    public mutating func read(_ entries: [JournalEntry]) {
        for entry in entries { read(entry) }
    }

    /// Durations are clamped to a day and times to the years 1970–2999, so a hostile journal cannot overflow the arithmetic.
    static let longestMillis: Int64 = 86_400_000
    static let latestMillis: Int64 = 32_503_680_000_000

    public mutating func read(_ entry: JournalEntry) {
        var entry = entry
        entry.atMillis = min(max(entry.atMillis, 0), Self.latestMillis)
        lastSequence = max(lastSequence, entry.sequence)
        switch entry.kind {
        case .arrival:
            guard let method = WireExchange.Method(rawValue: entry.method) else { return }
            let fields = ArrivalFields.decode(entry.detail)
            var exchange = WireExchange(journal: entry.sequence, client: fields.client ?? "", method: method, arrivedMillis: entry.atMillis)
            exchange.provisionalClient = fields.new_client ?? false
            exchange.userAgent = fields.user_agent ?? ""
            exchange.deadlineMillis = fields.deadline_ms.map { min(max($0, 0), Self.longestMillis) }
            start(exchange)
        case .rule:
            guard entry.detail.hasPrefix("fired ") else { return }
            let label = entry.detail.dropFirst("fired ".count)
            if open?.awaitsRequest(.validate) != true { start(local(.validate, entry)) }
            if label.hasPrefix("latency "), let millis = Duration.millis(parsing: String(label.dropFirst("latency ".count).split(separator: " ").first ?? "")) {
                let total = min((open?.latencyMillis ?? 0) + millis, Self.longestMillis)
                open?.latencyMillis = total
            }
        case .dropped:
            if entry.detail.hasPrefix("request lost") {
                if open?.awaitsRequest(.validate) != true { start(local(.validate, entry)) }
                open?.lostBecause = "held"
            } else if open != nil {
                open?.lostBecause = entry.detail.contains("garbled") ? "garbled" : entry.detail.contains("reset") ? "reset" : "dropped"
            }
        case .request:
            guard let method = WireExchange.Method(rawValue: entry.method) else { return }
            if open?.awaitsRequest(method) != true { start(local(method, entry)) }
            open?.requestSeen = true
            readRequest(entry.detail)
        case .response:
            guard open?.requestSeen == true, open?.outcome == nil, open?.method.rawValue == entry.method else { return }
            readResponse(entry.detail)
        case .error:
            guard open != nil, open?.outcome == nil, open?.method.rawValue == entry.method else { return }
            let error = ErrorFields.decode(entry.detail)
            open?.outcome = .error(code: error.code ?? "unknown", message: error.message ?? "")
        case .intent:
            if entry.detail.hasSuffix("→ succeeded"), let id = entry.detail.split(separator: " ").first {
                paidIntents.insert(String(id))
            }
        case .session:
            // "new session K (…)": a key this server issued, even if the response carrying it was lost.
            if entry.detail.hasPrefix("new session "), let key = entry.detail.dropFirst("new session ".count).split(separator: " ").first {
                issuedKeys.insert(String(key))
            }
        }
    }

    private mutating func start(_ exchange: WireExchange) {
        if let open { exchanges.append(open) }
        open = exchange
    }

    private func local(_ method: WireExchange.Method, _ entry: JournalEntry) -> WireExchange {
        var exchange = WireExchange(journal: entry.sequence, client: WireExchange.simulatedClient, method: method, arrivedMillis: entry.atMillis)
        exchange.deadlineMillis = simulatedClientTimeoutMillis
        return exchange
    }

    private static let options: JSONDecodingOptions = {
        var options = JSONDecodingOptions()
        options.ignoreUnknownFields = true
        return options
    }()

    private mutating func readRequest(_ json: String) {
        switch open?.method {
        case .validate?:
            let request = try? Checkout_V1_ValidateOrderItemsInsertRequest(jsonString: json, options: Self.options)
            open?.sentKey = request.flatMap { $0.idempotencyKey.isEmpty ? nil : $0.idempotencyKey }
            open?.paymentMethod = request.map { PaymentMethod(proto: $0.paymentMethod)?.rawValue ?? "unspecified" }
        case .completeRedirect?:
            let request = try? Checkout_V1_CompleteRedirectRequest(jsonString: json, options: Self.options)
            open?.paymentMethod = request?.redirectStatus
        default:
            break
        }
    }

    private mutating func readResponse(_ json: String) {
        switch open?.method {
        case .validate?:
            let response = try? Checkout_V1_ValidateOrderItemsInsertResponse(jsonString: json, options: Self.options)
            let key = response.flatMap { $0.idempotencyKey.isEmpty ? nil : $0.idempotencyKey }
            if let key { issuedKeys.insert(key) }
            open?.outcome = .response(key: key, paymentIntent: response.flatMap { $0.paymentIntentID.isEmpty ? nil : $0.paymentIntentID },
                                      paid: false)
        case .confirmPayment?:
            let response = try? Checkout_V1_ConfirmPaymentResponse(jsonString: json, options: Self.options)
            open?.outcome = .response(key: nil, paymentIntent: response?.paymentIntentID, paid: response?.status == .succeeded)
        case .completeRedirect?:
            let response = try? Checkout_V1_CompleteRedirectResponse(jsonString: json, options: Self.options)
            let paid = response?.status == .succeeded && response?.redirectStatus == "succeeded"
            open?.outcome = .response(key: nil, paymentIntent: response?.paymentIntentID, paid: paid)
        case nil:
            break
        }
    }
}

/// The fields of an `arrival` line the lint reads.
private struct ArrivalFields: Decodable {
    var client: String?
    var new_client: Bool?
    var user_agent: String?
    var deadline_ms: Int64?

    static func decode(_ json: String) -> ArrivalFields {
        (try? JSONDecoder().decode(ArrivalFields.self, from: Data(json.utf8))) ?? ArrivalFields()
    }
}

/// An `error` line: Connect's `{code, message}`.
private struct ErrorFields: Decodable {
    var code: String?
    var message: String?

    static func decode(_ json: String) -> ErrorFields {
        (try? JSONDecoder().decode(ErrorFields.self, from: Data(json.utf8))) ?? ErrorFields()
    }
}

extension WireExchange {
    /// Whether the lines that follow can still be this exchange's request (an arrival, or fired rules, came first).
    func awaitsRequest(_ method: Method) -> Bool {
        self.method == method && !requestSeen && outcome == nil && lostBecause == nil
    }
}
