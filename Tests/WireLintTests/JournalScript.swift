import CheckoutCore
import MockBackend
import Testing
@testable import WireLint

/// Writes a journal by hand, the lines `serve` and the backend write, one call at a time.
struct JournalScript {
    /// The user agent of the requests written from now on.
    var userAgent = "test-agent"

    private(set) var entries: [JournalEntry] = []
    var now: Int64 = 1_000_000

    private mutating func line(_ detail: JournalDetail) -> Int64 {
        let sequence = Int64(entries.count + 1)
        entries.append(JournalEntry(sequence: sequence, atMillis: now, detail: detail))
        return sequence
    }

    /// One validation from `client` (`nil`: the simulated shopper, no arrival line).
    /// `reply`: the key returned, or `error`, or a loss.
    @discardableResult
    mutating func validate(_ client: String? = "browser", key: String? = nil, method: String = "CARD", returns: String? = nil,
                           error: String? = nil, code: String = "failed_precondition", latency: Int64? = nil,
                           lost: WireLoss? = nil, newClient: Bool = false, deadline: Int64? = nil, intent: String? = nil,
                           advance: Int64 = 50) -> Int64 {
        let first = arrival(client, .validateOrderItemsInsert, newClient: newClient, deadline: deadline)
        var number = first
        if let latency {
            let fired = line(.rule(.fired(rule: .latency(millis: latency))))
            if first == nil { number = fired }
        }
        let keyField = key.map { #","idempotencyKey":"\#($0)""# } ?? ""
        let request = line(.request(.validateOrderItemsInsert, json: #"{"items":[{"sku":"MUG","quantity":1}],"paymentMethod":"\#(method)"\#(keyField)}"#))
        if number == nil { number = request }
        if let error {
            _ = line(.error(.validateOrderItemsInsert, JournalError(code: code, message: error)))
        } else {
            let keyOut = returns.map { #","idempotencyKey":"\#($0)""# } ?? ""
            let intentOut = (intent ?? returns.map { "pi_\($0)" }).map { #","paymentIntentId":"\#($0)""# } ?? ""
            _ = line(.response(.validateOrderItemsInsert, json: #"{"totalCents":"1200"\#(intentOut)\#(keyOut)}"#))
        }
        if let lost { _ = line(.lost(.validateOrderItemsInsert, lost)) }
        now += advance
        return number!
    }

    /// A validation held by `timeout`: the backend never reads it.
    @discardableResult
    mutating func held(_ client: String? = "browser", advance: Int64 = 50) -> Int64 {
        let first = arrival(client, .validateOrderItemsInsert, newClient: false, deadline: nil)
        let fired = line(.rule(.fired(rule: .timeout)))
        _ = line(.lost(.validateOrderItemsInsert, .requestLost))
        now += advance
        return first ?? fired
    }

    /// ConfirmPayment answered with `status`.
    @discardableResult
    mutating func pay(_ client: String? = "browser", intent: String, status: String = "SUCCEEDED", advance: Int64 = 50) -> Int64 {
        let first = arrival(client, .confirmPayment, newClient: false, deadline: nil)
        let request = line(.request(.confirmPayment, json: #"{"paymentIntentId":"\#(intent)","cardNumber":"••••4242"}"#))
        if status == "SUCCEEDED" { _ = line(.intent(.statusChanged(id: intent, from: .processing, to: .succeeded))) }
        _ = line(.response(.confirmPayment, json: #"{"paymentIntentId":"\#(intent)","status":"\#(status)"}"#))
        now += advance
        return first ?? request
    }

    /// CompleteRedirect (the 3-D Secure return).
    @discardableResult
    mutating func completeRedirect(_ client: String? = "browser", intent: String, redirectStatus: String, advance: Int64 = 50) -> Int64 {
        let first = arrival(client, .completeRedirect, newClient: false, deadline: nil)
        let request = line(.request(.completeRedirect, json: #"{"paymentIntentId":"\#(intent)","redirectStatus":"\#(redirectStatus)"}"#))
        let status = redirectStatus == "succeeded" ? "SUCCEEDED" : "REQUIRES_PAYMENT_METHOD"
        _ = line(.response(.completeRedirect, json: #"{"paymentIntentId":"\#(intent)","status":"\#(status)","redirectStatus":"\#(redirectStatus)"}"#))
        now += advance
        return first ?? request
    }

    /// A `session` line, as the backend writes it.
    mutating func session(_ event: SessionEvent) {
        _ = line(.session(event))
    }

    /// Another tab pays `intent` (`mark_paid`).
    mutating func markPaid(_ intent: String) {
        _ = line(.rule(.paidElsewhere(key: "k-of-\(intent)")))
        _ = line(.intent(.statusChanged(id: intent, from: .requiresPaymentMethod, to: .succeeded)))
    }

    private mutating func arrival(_ client: String?, _ method: RPCMethod, newClient: Bool, deadline: Int64?) -> Int64? {
        guard let client else { return nil }
        return line(.arrival(method, JournalArrival(peer: "127.0.0.1:5000", userAgent: userAgent, path: method.rawValue, wireProtocol: "connect+json",
                                                    bytes: 60, client: client, newClient: newClient, deadlineMillis: deadline)))
    }

    /// The lint's report at the end of the journal (or `at`). The same journal as an older
    /// version wrote it (its events in words) must be judged the same.
    func report(at: Int64? = nil) -> LintReport {
        let typed = Self.report(entries, at: at ?? now)
        #expect(Self.report(wordsOnly, at: at ?? now) == typed, "the journal read from its words is judged differently")
        return typed
    }

    /// The entries as a journal written before the events were typed holds them: their text.
    var wordsOnly: [JournalEntry] {
        entries.map { JournalEntry(sequence: $0.sequence, atMillis: $0.atMillis, kind: $0.kind, method: $0.method, detail: $0.text) }
    }

    private static func report(_ entries: [JournalEntry], at: Int64) -> LintReport {
        var linter = WireLinter()
        linter.read(entries)
        return linter.report(nowMillis: at)
    }

    static let alreadyCompleted = "Payment already completed for this session. Please clear your checkout and start a new order."
}
