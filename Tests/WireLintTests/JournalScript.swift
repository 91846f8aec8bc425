import MockBackend
@testable import WireLint

/// Writes a journal by hand, the lines `serve` and the backend write, one call at a time.
struct JournalScript {
    /// The user agent of the requests written from now on.
    var userAgent = "test-agent"

    private(set) var entries: [JournalEntry] = []
    var now: Int64 = 1_000_000

    private mutating func line(_ kind: JournalEntry.Kind, _ method: String, _ detail: String) -> Int64 {
        let sequence = Int64(entries.count + 1)
        entries.append(JournalEntry(sequence: sequence, atMillis: now, kind: kind, method: method, detail: detail))
        return sequence
    }

    /// One validation from `client` (`nil`: the simulated shopper, no arrival line).
    /// `reply`: the key returned, or `error`, or a loss.
    @discardableResult
    mutating func validate(_ client: String? = "browser", key: String? = nil, method: String = "CARD", returns: String? = nil,
                           error: String? = nil, code: String = "failed_precondition", latency: Int64? = nil,
                           lost: String? = nil, newClient: Bool = false, deadline: Int64? = nil, intent: String? = nil,
                           advance: Int64 = 50) -> Int64 {
        let first = arrival(client, "ValidateOrderItemsInsert", newClient: newClient, deadline: deadline)
        var number = first
        if let latency {
            let fired = line(.rule, "rule", "fired latency \(Duration.milliseconds(latency).compactDescription) once")
            if first == nil { number = fired }
        }
        let keyField = key.map { #","idempotencyKey":"\#($0)""# } ?? ""
        let request = line(.request, "ValidateOrderItemsInsert", #"{"items":[{"sku":"MUG","quantity":1}],"paymentMethod":"\#(method)"\#(keyField)}"#)
        if number == nil { number = request }
        if let error {
            _ = line(.error, "ValidateOrderItemsInsert", #"{"code":"\#(code)","message":"\#(error)"}"#)
        } else {
            let keyOut = returns.map { #","idempotencyKey":"\#($0)""# } ?? ""
            let intentOut = (intent ?? returns.map { "pi_\($0)" }).map { #","paymentIntentId":"\#($0)""# } ?? ""
            _ = line(.response, "ValidateOrderItemsInsert", #"{"totalCents":"1200"\#(intentOut)\#(keyOut)}"#)
        }
        if let lost { _ = line(.dropped, "ValidateOrderItemsInsert", lost) }
        now += advance
        return number!
    }

    /// A validation held by `timeout`: the backend never reads it.
    @discardableResult
    mutating func held(_ client: String? = "browser", advance: Int64 = 50) -> Int64 {
        let first = arrival(client, "ValidateOrderItemsInsert", newClient: false, deadline: nil)
        let fired = line(.rule, "rule", "fired timeout once")
        _ = line(.dropped, "ValidateOrderItemsInsert", "request lost before reaching the server")
        now += advance
        return first ?? fired
    }

    /// ConfirmPayment answered with `status`.
    @discardableResult
    mutating func pay(_ client: String? = "browser", intent: String, status: String = "SUCCEEDED", advance: Int64 = 50) -> Int64 {
        let first = arrival(client, "ConfirmPayment", newClient: false, deadline: nil)
        let request = line(.request, "ConfirmPayment", #"{"paymentIntentId":"\#(intent)","cardNumber":"••••4242"}"#)
        if status == "SUCCEEDED" { _ = line(.intent, "PaymentIntent", "\(intent) processing → succeeded") }
        _ = line(.response, "ConfirmPayment", #"{"paymentIntentId":"\#(intent)","status":"\#(status)"}"#)
        now += advance
        return first ?? request
    }

    /// CompleteRedirect (the 3-D Secure return).
    @discardableResult
    mutating func completeRedirect(_ client: String? = "browser", intent: String, redirectStatus: String, advance: Int64 = 50) -> Int64 {
        let first = arrival(client, "CompleteRedirect", newClient: false, deadline: nil)
        let request = line(.request, "CompleteRedirect", #"{"paymentIntentId":"\#(intent)","redirectStatus":"\#(redirectStatus)"}"#)
        let status = redirectStatus == "succeeded" ? "SUCCEEDED" : "REQUIRES_PAYMENT_METHOD"
        _ = line(.response, "CompleteRedirect", #"{"paymentIntentId":"\#(intent)","status":"\#(status)","redirectStatus":"\#(redirectStatus)"}"#)
        now += advance
        return first ?? request
    }

    /// A `session` line, as the backend writes it.
    mutating func session(_ detail: String) {
        _ = line(.session, "session", detail)
    }

    /// Another tab pays `intent` (`mark_paid`).
    mutating func markPaid(_ intent: String) {
        _ = line(.rule, "rule", "mark_paid: session paid")
        _ = line(.intent, "PaymentIntent", "\(intent) requires_payment_method → succeeded")
    }

    private mutating func arrival(_ client: String?, _ method: String, newClient: Bool, deadline: Int64?) -> Int64? {
        guard let client else { return nil }
        var fields = [#""peer":"127.0.0.1:5000""#, #""user_agent":"\#(userAgent)""#, #""path":"/checkout.v1.CheckoutService/\#(method)""#]
        if !client.isEmpty { fields.append(#""client":"\#(client)""#) }
        if newClient { fields.append(#""new_client":true"#) }
        if let deadline { fields.append(#""deadline_ms":\#(deadline)"#) }
        return line(.arrival, method, "{" + fields.joined(separator: ",") + "}")
    }

    /// The lint's report at the end of the journal (or `at`).
    func report(at: Int64? = nil) -> LintReport {
        var linter = WireLinter()
        linter.read(entries)
        return linter.report(nowMillis: at ?? now)
    }

    static let alreadyCompleted = "Payment already completed for this session. Please clear your checkout and start a new order."
}
