import CheckoutCore

/// Follows one client's requests against the seed's rules.
struct ClientJudge {
    let client: String
    /// A retry without a key counts as immediate when it leaves within this many
    /// milliseconds of the "Payment already completed" reply.
    let retryWindowMillis: Int64
    /// The rules the client is held to.
    let policy: ClientPolicy

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
        /// The policy does not retry: a validation without a key right after the error is a retry it should not send.
        case noRetryExpected(error: Int64, at: Int64)
    }

    /// A mistake made again joins the verdict of the first time: the same rule broken
    /// with the same key (a client stuck on a paid key), or, without a key, in the same
    /// words but for the journal numbers they name.
    struct Mistake: Hashable {
        var rule: LintRule
        var subject: String

        init(_ verdict: Verdict, sentKey: String?) {
            rule = verdict.rule
            subject = sentKey.map { "key " + $0 } ?? Self.withoutNumbers(verdict.message)
        }

        /// `sent no key although #12 gave "k"` → `sent no key although # gave "k"`.
        static func withoutNumbers(_ text: String) -> String {
            var out = ""
            var afterHash = false
            for character in text {
                if afterHash, character.isASCII, character.isNumber { continue }
                afterHash = character == "#"
                out.append(character)
            }
            return out
        }
    }

    var expectation = Expectation.none(after: .start)
    /// `.retrying` / `.retryFailed` with no requests: a loop going on, whose requests are its verdict's (`loopVerdict`).
    var recovery = Recovery.idle
    /// Validations in flight (journal numbers), by when their replies leave.
    var inFlight = MinHeap<Int64>()
    /// The verdict of the double submits since the client last had nothing in flight.
    var doubleSubmitVerdict: Int?
    /// Validations whose replies have not reached the client yet, by when they reach it.
    var awaiting = MinHeap<WireExchange>()
    var verdicts: [Verdict] = []
    var mistakes: [Mistake: Int] = [:]
    /// Rule-1 verdicts for a missing key: folded into one legacy verdict if the client never sends a key.
    var missingKey: [Verdict] = []
    var missingKeyMistakes: [Mistake: Int] = [:]
    var sentAnyKey = false
    var validations: [Int64] = []
    /// PaymentIntents its validations created, oldest first (`intentSet` for lookups).
    var intents: [String] = []
    var intentSet: Set<String> = []
    var lastIssued: String?
    var lastSent: String?
    var userAgent = ""
    var loopVerdict: Int?

    init(client: String, retryWindowMillis: Int64, policy: ClientPolicy = .standard) {
        self.client = client
        self.retryWindowMillis = retryWindowMillis
        self.policy = policy
    }

    mutating func judge(_ exchange: WireExchange, issuedKeys: Set<String>, owners: KeyOwners = KeyOwners()) {
        if !exchange.userAgent.isEmpty { userAgent = exchange.userAgent }
        switch exchange.method {
        case .validateOrderItemsInsert: validate(exchange, issuedKeys: issuedKeys, owners: owners)
        case .confirmPayment, .completeRedirect:
            receiveReplies(by: exchange.arrivedMillis)
            if case .response(_, _, paid: true) = exchange.delivered {
                expectation = .none(after: .paid(exchange.journal))
            }
        }
    }

    private mutating func validate(_ exchange: WireExchange, issuedKeys: Set<String>, owners: KeyOwners) {
        receiveReplies(by: exchange.arrivedMillis)
        checkDoubleSubmit(exchange)
        guard exchange.requestSeen else {
            // Held before the backend read it: its key is unknown, but it may be the retry.
            _ = checkRecovery(exchange)
            expectReply(exchange)
            return
        }
        validations.append(exchange.journal)
        lastSent = exchange.sentKey
        if exchange.sentKey != nil { sentAnyKey = true }
        var judged = checkKeyShape(exchange, issuedKeys: issuedKeys, owners: owners)
        judged = checkRecovery(exchange) || judged
        if !judged { checkExpectation(exchange) }
        expectReply(exchange)
    }

    private mutating func expectReply(_ exchange: WireExchange) {
        awaiting.push(exchange, key: (exchange.repliedMillis, exchange.journal))
    }

    /// Replies reach the client in the order they leave; a request judged at
    /// `millis` knows only the replies that left before it.
    mutating func receiveReplies(by millis: Int64 = .max) {
        while let (replied, _) = awaiting.minKey, replied <= millis, let exchange = awaiting.popMin() {
            receive(exchange)
        }
    }

    private mutating func checkDoubleSubmit(_ exchange: WireExchange) {
        while let (until, _) = inFlight.minKey, until <= exchange.arrivedMillis { _ = inFlight.popMin() }
        if inFlight.isEmpty {
            doubleSubmitVerdict = nil
        } else if let index = doubleSubmitVerdict {
            // One burst of submits is one mistake: counted, not listed again with all that is in flight.
            verdicts[index].repeated(in: [exchange.journal])
        } else {
            let others = inFlight.values.sorted()
            let shown = others.prefix(12).map(String.init).joined(separator: ", #") + (others.count > 12 ? " and \(others.count - 12) more" : "")
            append(Verdict(rule: .doubleSubmit, client: client, requests: Array(others.prefix(12)) + [exchange.journal],
                           message: "validation #\(exchange.journal) left while #\(shown) was still in flight",
                           expected: "one validation at a time: ignore the checkout button until the reply arrives",
                           atMillis: exchange.arrivedMillis))
            doubleSubmitVerdict = verdicts.count - 1
        }
        inFlight.push(exchange.journal, key: (exchange.repliedMillis, exchange.journal))
    }

    /// Rule 6; `true` when the key was judged (and rule 1 should not judge it again).
    private mutating func checkKeyShape(_ exchange: WireExchange, issuedKeys: Set<String>, owners: KeyOwners) -> Bool {
        guard let sent = exchange.sentKey else { return false }
        if sent.count > 255 {
            add(.keyTooLong, [exchange.journal], exchange, message: "sent a key of \(sent.count) characters",
                expected: "only a key a response returned (this server's keys are short)")
            return true
        }
        if !issuedKeys.contains(sent) {
            add(.unknownKey, [exchange.journal], exchange,
                message: "sent \(Self.quote(sent)), which this server never issued (or issued before its journal was reset)",
                expected: expectedPhrase)
            return true
        }
        if let owner = owners.otherOwner(of: sent, client: client) {
            // One browser whose cookie was cleared but not its localStorage looks the same on the wire:
            // same user agent, and the old cookie never heard from again. Said, not decided.
            let sameAgent = !owner.userAgent.isEmpty && owner.userAgent == exchange.userAgent
            let silentSince = (owners.lastSeen(owner.client) ?? 0) < exchange.journal && validations.count <= 1
            let ambiguity = sameAgent && silentSince
                ? " (or the same browser after its cookie was cleared: same user agent, and \(LintReport.name(owner.client)) has sent nothing since)"
                : ""
            let first = validations.count <= 1 ? "its first validation sent" : "sent"
            add(.keyOfAnotherClient, [owner.journal, exchange.journal], exchange,
                message: "\(first) \(Self.quote(sent)), the key #\(owner.journal) issued to \(LintReport.name(owner.client)): "
                    + "the two now share one session and PaymentIntent\(ambiguity)",
                expected: validations.count <= 1 ? "no key on a first validation" : expectedPhrase)
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
        case .noRetryExpected(let error, let at):
            recovery = .idle
            guard exchange.sentKey == nil, within(at) else { return false }
            add(.retryOnceAfterCompleted, [error, exchange.journal], exchange,
                message: "retried after \"Payment already completed\" (#\(error)), which the \(policy.name) client does not do",
                expected: "no retry: clear the key and tell the shopper the order is already paid")
            return true
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
            // A loop going on (no requests of its own) adds to its verdict in place: a long loop costs its length.
            let index: Int
            if let loop = loopVerdict, requests.isEmpty {
                index = loop
                verdicts[index].requests.append(exchange.journal)
                verdicts[index].lastRequest = exchange.journal
            } else if let loop = loopVerdict {
                index = loop
                verdicts[index].requests = requests + [exchange.journal]
                verdicts[index].lastRequest = exchange.journal
            } else {
                append(Verdict(rule: .retryOnceAfterCompleted, client: client, requests: requests + [exchange.journal], message: "",
                               expected: "one retry only; when it fails too, show the toast and stop", atMillis: exchange.arrivedMillis))
                index = verdicts.count - 1
                loopVerdict = index
            }
            verdicts[index].message = "kept retrying after \"Payment already completed\": \(verdicts[index].requests.count - 1) retries without a key in a row"
            recovery = .retrying(requests: [])
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
                Self.group(verdict, Mistake(verdict, sentKey: nil), into: &missingKey, &missingKeyMistakes)
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
            guard exchange.paymentMethod?.usesPaymentIntent == true else {
                // An order without a card completes in the page: the key may be cleared without a payment on the wire.
                switch expectation {
                case .key(let stored, let from, _), .keyOrNone(let stored, let from): expectation = .keyOrNone(stored, from: from)
                case .none: break
                }
                return
            }
            guard let key else { return }
            lastIssued = key
            guard policy.storesKey else { return }
            let rotated = exchange.sentKey.flatMap { $0 == key ? nil : $0 }
            expectation = .key(key, from: exchange.journal, rotatedFrom: rotated)
        case .error(_, let message) where ErrorTable.category(forMessage: message) == .paymentAlreadyCompleted:
            expectation = .none(after: .alreadyCompleted(exchange.journal))
            let retries = policy.alreadyCompleted.retries
            if retries == 0 {
                recovery = .noRetryExpected(error: exchange.journal, at: exchange.repliedMillis)
            } else if case .retrying(let requests) = recovery {
                // Requests: the first error, then each retry; a loop going on has none of its own.
                recovery = !requests.isEmpty && requests.count - 1 < retries
                    ? .awaitingRetry(error: exchange.journal, at: exchange.repliedMillis)
                    : .retryFailed(requests: requests, at: exchange.repliedMillis)
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

    /// A verdict, or one more time of a mistake already judged.
    private mutating func add(_ rule: LintRule, _ requests: [Int64], _ exchange: WireExchange, message: String, expected: String) {
        let verdict = Verdict(rule: rule, client: client, requests: requests, message: message, expected: expected, atMillis: exchange.arrivedMillis)
        Self.group(verdict, Mistake(verdict, sentKey: exchange.sentKey), into: &verdicts, &mistakes)
    }

    /// A verdict of its own, never grouped (its message names this request).
    private mutating func append(_ verdict: Verdict) {
        verdicts.append(verdict)
    }

    private static func group(_ verdict: Verdict, _ mistake: Mistake, into list: inout [Verdict], _ index: inout [Mistake: Int]) {
        if let found = index[mistake] {
            list[found].repeated(in: verdict.requests)
        } else {
            index[mistake] = list.count
            list.append(verdict)
        }
    }


    static func quote(_ key: String) -> String {
        let shown = key.count > 40 ? String(key.prefix(37)) + "…" : key
        return "\"\(shown)\""
    }

    static func describe(_ key: String?) -> String { key.map(quote) ?? "no key" }

    static func seconds(_ millis: Int64) -> String {
        millis < 1000 ? "\(millis) ms" : "\(millis / 1000).\(millis % 1000 / 100) s"
    }
}
