import CheckoutCore

/// Follows one client's requests against the seed's rules.
struct ClientJudge {
    let client: String
    /// A retry without a key counts as immediate when it leaves within this many
    /// milliseconds of the "Payment already completed" reply.
    let retryWindowMillis: Int64

    /// What the next validation should send.
    enum Expectation: Equatable {
        case key(String, from: Int64, rotatedFrom: String?)
        /// The order may have completed without a card (a non-card method was validated): `key` or none.
        case keyOrNone(String, from: Int64)
        case none(after: NoKeyReason)
    }

    enum NoKeyReason: Equatable {
        case start
        case paid(Int64)
        case alreadyCompleted(Int64)
    }

    /// Where the client is in the "Payment already completed" recovery.
    enum Recovery: Equatable {
        case idle
        case awaitingRetry(error: Int64, at: Int64)
        case retrying(requests: [Int64])
        case retryFailed(requests: [Int64], at: Int64)
    }

    var expectation = Expectation.none(after: .start)
    var recovery = Recovery.idle
    var inFlight: [(journal: Int64, until: Int64)] = []
    /// Validations whose replies have not reached the client yet.
    var awaiting: [WireExchange] = []
    var verdicts: [Verdict] = []
    /// Rule-1 verdicts for a missing key: folded into one legacy verdict if the client never sends a key.
    var missingKey: [Verdict] = []
    var sentAnyKey = false
    var validations: [Int64] = []
    /// PaymentIntents its validations created, oldest first (`intentSet` for lookups).
    var intents: [String] = []
    var intentSet: Set<String> = []
    var lastIssued: String?
    var lastSent: String?
    var userAgent = ""
    var loopVerdict: Int?

    init(client: String, retryWindowMillis: Int64) {
        self.client = client
        self.retryWindowMillis = retryWindowMillis
    }

    mutating func judge(_ exchange: WireExchange, issuedKeys: Set<String>) {
        if !exchange.userAgent.isEmpty { userAgent = exchange.userAgent }
        switch exchange.method {
        case .validate: validate(exchange, issuedKeys: issuedKeys)
        case .confirmPayment, .completeRedirect:
            receiveReplies(by: exchange.arrivedMillis)
            if case .response(_, _, paid: true) = exchange.delivered {
                expectation = .none(after: .paid(exchange.journal))
            }
        }
    }

    private mutating func validate(_ exchange: WireExchange, issuedKeys: Set<String>) {
        receiveReplies(by: exchange.arrivedMillis)
        checkDoubleSubmit(exchange)
        guard exchange.requestSeen else {
            // Held before the backend read it: its key is unknown, but it may be the retry.
            _ = checkRecovery(exchange)
            awaiting.append(exchange)
            return
        }
        validations.append(exchange.journal)
        lastSent = exchange.sentKey
        if exchange.sentKey != nil { sentAnyKey = true }
        var judged = checkKeyShape(exchange, issuedKeys: issuedKeys)
        judged = checkRecovery(exchange) || judged
        if !judged { checkExpectation(exchange) }
        awaiting.append(exchange)
    }

    /// Replies reach the client in the order they leave; a request judged at
    /// `millis` knows only the replies that left before it.
    mutating func receiveReplies(by millis: Int64 = .max) {
        let due = awaiting.filter { $0.repliedMillis <= millis }.sorted { ($0.repliedMillis, $0.journal) < ($1.repliedMillis, $1.journal) }
        guard !due.isEmpty else { return }
        awaiting.removeAll { $0.repliedMillis <= millis }
        for exchange in due { receive(exchange) }
    }

    private mutating func checkDoubleSubmit(_ exchange: WireExchange) {
        inFlight.removeAll { $0.until <= exchange.arrivedMillis }
        if !inFlight.isEmpty {
            let others = inFlight.map(\.journal)
            add(.doubleSubmit, others + [exchange.journal], exchange,
                message: "validation #\(exchange.journal) left while #\(others.map(String.init).joined(separator: ", #")) was still in flight",
                expected: "one validation at a time: ignore the checkout button until the reply arrives")
        }
        inFlight.append((exchange.journal, exchange.repliedMillis))
    }

    /// Rule 6; `true` when the key was judged (and rule 1 should not judge it again).
    private mutating func checkKeyShape(_ exchange: WireExchange, issuedKeys: Set<String>) -> Bool {
        guard let sent = exchange.sentKey else { return false }
        if sent.count > 255 {
            add(.keyTooLong, [exchange.journal], exchange, message: "sent a key of \(sent.count) characters",
                expected: "only a key a response returned (this server's keys are short)")
            return true
        }
        if !issuedKeys.contains(sent) {
            add(.unknownKey, [exchange.journal], exchange, message: "sent \(Self.quote(sent)), which this server never issued",
                expected: expectedPhrase)
            return true
        }
        return false
    }

    /// Rule 3; `true` when this request was judged as part of the recovery.
    private mutating func checkRecovery(_ exchange: WireExchange) -> Bool {
        let window = retryWindowMillis
        let within = { (at: Int64) in exchange.arrivedMillis - at <= window }
        switch recovery {
        case .idle, .retrying:
            recovery = .idle
            return false
        case .awaitingRetry(let error, let at):
            guard within(at) else {
                add(.retryOnceAfterCompleted, [error, exchange.journal], exchange,
                    message: "no retry after \"Payment already completed\" (#\(error)); the next validation came \(Self.seconds(exchange.arrivedMillis - at)) later",
                    expected: "clear the key and retry once at once, without a key")
                recovery = .idle
                return false
            }
            if let sent = exchange.sentKey {
                add(.retryOnceAfterCompleted, [error, exchange.journal], exchange,
                    message: "retried after \"Payment already completed\" (#\(error)) with \(Self.quote(sent))",
                    expected: "no key: clear the stored key before the retry")
            }
            recovery = .retrying(requests: [error, exchange.journal])
            return true
        case .retryFailed(let requests, let at):
            guard exchange.sentKey == nil, within(at) else {
                recovery = .idle
                return false
            }
            let involved = requests + [exchange.journal]
            let message = "kept retrying after \"Payment already completed\": \(involved.count - 1) retries without a key in a row"
            if let index = loopVerdict {
                verdicts[index].requests = involved
                verdicts[index].message = message
            } else {
                add(.retryOnceAfterCompleted, involved, exchange, message: message,
                    expected: "one retry only; when it fails too, show the toast and stop")
                loopVerdict = verdicts.count - 1
            }
            recovery = .retrying(requests: involved)
            return true
        }
    }

    /// Rules 1, 2 and 4.
    private mutating func checkExpectation(_ exchange: WireExchange) {
        let sent = exchange.sentKey
        switch expectation {
        case .key(let key, let from, let rotatedFrom):
            guard sent != key else { return }
            if let rotatedFrom {
                add(.followRotation, [from, exchange.journal], exchange,
                    message: "sent \(Self.describe(sent)) after #\(from) rotated \(Self.quote(rotatedFrom)) to \(Self.quote(key))",
                    expected: "the new key \(Self.quote(key))")
            } else if sent == nil {
                let verdict = Verdict(rule: .sendStoredKey, client: client, requests: [from, exchange.journal],
                                      message: "sent no key although #\(from) gave \(Self.quote(key))",
                                      expected: "the stored key \(Self.quote(key))", atMillis: exchange.arrivedMillis)
                missingKey.append(verdict)
            } else {
                add(.sendStoredKey, [from, exchange.journal], exchange,
                    message: "sent an older key \(Self.describe(sent)); #\(from) gave \(Self.quote(key))",
                    expected: "the stored key \(Self.quote(key))")
            }
        case .keyOrNone(let key, let from):
            guard let sent, sent != key else { return }
            add(.sendStoredKey, [from, exchange.journal], exchange,
                message: "sent an older key \(Self.quote(sent)); #\(from) gave \(Self.quote(key))",
                expected: "the stored key \(Self.quote(key)), or none after an order without a card")
        case .none(let reason):
            guard let sent else { return }
            switch reason {
            case .start:
                return
            case .paid(let payment):
                add(.noKeyAfterPayment, [payment, exchange.journal], exchange,
                    message: "sent \(Self.quote(sent)) after the payment #\(payment) succeeded",
                    expected: "no key: a successful payment clears it")
            case .alreadyCompleted(let error):
                add(.retryOnceAfterCompleted, [error, exchange.journal], exchange,
                    message: "sent \(Self.quote(sent)) after \"Payment already completed\" (#\(error))",
                    expected: "no key: \"Payment already completed\" clears it")
            }
        }
    }

    /// What reached the client sets the next expectation.
    private mutating func receive(_ exchange: WireExchange) {
        switch exchange.delivered {
        case .response(let key, let intent, _):
            if let intent, intentSet.insert(intent).inserted { intents.append(intent) }
            if case .retrying = recovery { recovery = .idle }
            guard exchange.paymentMethod == "CARD" || exchange.paymentMethod == "CARD_TEST" else {
                // An order without a card completes in the page: the key may be cleared without a payment on the wire.
                switch expectation {
                case .key(let stored, let from, _), .keyOrNone(let stored, let from): expectation = .keyOrNone(stored, from: from)
                case .none: break
                }
                return
            }
            guard let key else { return }
            lastIssued = key
            let rotated = exchange.sentKey.flatMap { $0 == key ? nil : $0 }
            expectation = .key(key, from: exchange.journal, rotatedFrom: rotated)
        case .error(_, let message) where message == Self.alreadyCompleted:
            expectation = .none(after: .alreadyCompleted(exchange.journal))
            if case .retrying(let requests) = recovery {
                recovery = .retryFailed(requests: requests, at: exchange.repliedMillis)
            } else {
                recovery = .awaitingRetry(error: exchange.journal, at: exchange.repliedMillis)
            }
        case .error, .lost:
            if case .retrying = recovery { recovery = .idle }
        }
    }

    /// The verdicts once the client's history is read, at `nowMillis`.
    func finished(nowMillis: Int64, paidIntents: Set<String>) -> (verdicts: [Verdict], keys: ClientKeys) {
        var judge = self
        judge.receiveReplies(by: nowMillis)
        return (judge.verdictsAt(nowMillis: nowMillis, paidIntents: paidIntents), judge.keys)
    }

    private func verdictsAt(nowMillis: Int64, paidIntents: Set<String>) -> [Verdict] {
        var all = verdicts
        if case .awaitingRetry(let error, let at) = recovery, nowMillis - at > retryWindowMillis {
            all.append(Verdict(rule: .retryOnceAfterCompleted, client: client, requests: [error],
                               message: "no retry after \"Payment already completed\" (#\(error))",
                               expected: "clear the key and retry once at once, without a key", atMillis: at))
        }
        if !missingKey.isEmpty {
            if sentAnyKey {
                all += missingKey
            } else {
                let unpaid = intents.dropLast().filter { !paidIntents.contains($0) }
                let duplicates = unpaid.isEmpty ? "no duplicate PaymentIntent yet"
                    : "\(unpaid.count) duplicate PaymentIntent\(unpaid.count == 1 ? "" : "s") left unpaid: \(unpaid.prefix(5).joined(separator: ", "))"
                        + (unpaid.count > 5 ? " and \(unpaid.count - 5) more" : "")
                all.append(Verdict(rule: .legacyClient, client: client, requests: validations,
                                   message: "never sends a key (\(validations.count) validations): no idempotency; \(duplicates)",
                                   expected: "store the key each response returns and send it on the next validation",
                                   atMillis: missingKey.last?.atMillis ?? 0))
            }
        }
        return all.sorted { ($0.requests.last ?? 0) < ($1.requests.last ?? 0) }
    }

    var keys: ClientKeys {
        ClientKeys(client: client, userAgent: userAgent, validations: validations.count, issued: lastIssued,
                   expectedNext: expectedText, lastSent: lastSent, verdicts: 0)
    }

    private var expectedText: String {
        switch expectation {
        case .key(let key, _, _): key
        case .keyOrNone(let key, _): "\(key) or none"
        case .none: "none"
        }
    }

    private var expectedPhrase: String {
        switch expectation {
        case .key(let key, _, _): "the stored key \(Self.quote(key))"
        case .keyOrNone(let key, _): "the stored key \(Self.quote(key)), or none"
        case .none: "no key"
        }
    }

    private mutating func add(_ rule: LintRule, _ requests: [Int64], _ exchange: WireExchange, message: String, expected: String) {
        verdicts.append(Verdict(rule: rule, client: client, requests: requests, message: message, expected: expected,
                                atMillis: exchange.arrivedMillis))
    }

    static let alreadyCompleted = ErrorTable.paymentAlreadyCompletedMessage

    static func quote(_ key: String) -> String {
        let shown = key.count > 40 ? String(key.prefix(37)) + "…" : key
        return "\"\(shown)\""
    }

    static func describe(_ key: String?) -> String { key.map(quote) ?? "no key" }

    static func seconds(_ millis: Int64) -> String {
        millis < 1000 ? "\(millis) ms" : "\(millis / 1000).\(millis % 1000 / 100) s"
    }
}
