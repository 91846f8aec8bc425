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

    /// Reads one line, by its typed detail (`unread` lines are not judged).
    public mutating func read(_ entry: JournalEntry) {
        let atMillis = min(max(entry.atMillis, 0), Self.latestMillis)
        lastSequence = max(lastSequence, entry.sequence)
        switch entry.detail {
        case .arrival(let method, let arrival):
            var exchange = WireExchange(journal: entry.sequence, client: arrival.client, method: method, arrivedMillis: atMillis)
            exchange.provisionalClient = arrival.newClient
            exchange.userAgent = arrival.userAgent
            exchange.deadlineMillis = arrival.deadlineMillis.map { min(max($0, 0), Self.longestMillis) }
            start(exchange)
        case .rule(.fired(let rule)):
            if open?.awaitsRequest(.validateOrderItemsInsert) != true { start(local(.validateOrderItemsInsert, entry.sequence, atMillis)) }
            if case .latency(let millis) = rule {
                let total = min((open?.latencyMillis ?? 0) + min(max(millis, 0), Self.longestMillis), Self.longestMillis)
                open?.latencyMillis = total
            }
        case .lost(_, .requestLost):
            if open?.awaitsRequest(.validateOrderItemsInsert) != true { start(local(.validateOrderItemsInsert, entry.sequence, atMillis)) }
            open?.lostBecause = "held"
        case .lost(_, let loss):
            guard open != nil else { return }
            open?.lostBecause = switch loss {
            case .responseGarbled: "garbled"
            case .connectionReset: "reset"
            case .requestLost, .responseLost: "dropped"
            }
        case .request(let method, let json):
            if open?.awaitsRequest(method) != true { start(local(method, entry.sequence, atMillis)) }
            open?.requestSeen = true
            readRequest(json)
        case .response(let method, let json):
            guard open?.requestSeen == true, open?.outcome == nil, open?.method == method else { return }
            readResponse(json)
        case .error(let method, let error):
            guard open != nil, open?.outcome == nil, open?.method == method else { return }
            open?.outcome = .error(code: error.code, message: error.message)
        case .intent(.statusChanged(let id, _, .succeeded)):
            paidIntents.insert(id)
        case .session(.created(let key, _)):
            // A key this server issued, even if the response carrying it was lost.
            issuedKeys.insert(key)
        case .rule, .intent, .session, .unread:
            break
        }
    }

    private mutating func start(_ exchange: WireExchange) {
        if let open { exchanges.append(open) }
        open = exchange
    }

    private func local(_ method: RPCMethod, _ sequence: Int64, _ atMillis: Int64) -> WireExchange {
        var exchange = WireExchange(journal: sequence, client: WireExchange.simulatedClient, method: method, arrivedMillis: atMillis)
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
        case .validateOrderItemsInsert?:
            let request = try? Checkout_V1_ValidateOrderItemsInsertRequest(jsonString: json, options: Self.options)
            open?.sentKey = request.flatMap { $0.idempotencyKey.isEmpty ? nil : $0.idempotencyKey }
            open?.paymentMethod = request.flatMap { PaymentMethod(proto: $0.paymentMethod) }
        case .completeRedirect?:
            let request = try? Checkout_V1_CompleteRedirectRequest(jsonString: json, options: Self.options)
            open?.redirectStatus = request?.redirectStatus
        default:
            break
        }
    }

    private mutating func readResponse(_ json: String) {
        switch open?.method {
        case .validateOrderItemsInsert?:
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

extension WireExchange {
    /// Whether the lines that follow can still be this exchange's request (an arrival, or fired rules, came first).
    func awaitsRequest(_ method: RPCMethod) -> Bool {
        self.method == method && !requestSeen && outcome == nil && lostBecause == nil
    }
}
