import CheckoutCore
import CheckoutProto
import Foundation
import MockBackend
import Simulation

/// Builds a `SequenceDiagram` while a scenario plays: the playback tells it of
/// each step, the simulation of everything that happens inside (`SimulationEvent`).
final class SequenceTracer {
    private(set) var diagram: SequenceDiagram
    /// Keys seen so far, to find them in the backend's journal lines.
    private var knownKeys: Set<String> = []
    /// Request numbers in sending order, by exchange id.
    private var requestNumbers: [Int: Int] = [:]
    private var sentCount = 0
    private var clientTimeoutMillis: Int64
    /// Read for what the page holds when a reply arrives (weak: the simulation holds this tracer).
    private weak var simulation: Simulation?

    typealias P = SequenceDiagram.Participant

    init(scenario: Scenario, simulation: Simulation) {
        diagram = SequenceDiagram(title: scenario.name, description: scenario.description)
        clientTimeoutMillis = simulation.clientTimeoutMillis
        self.simulation = simulation
        var start: [String] = []
        if scenario.setup.client != .standard { start.append("\(scenario.setup.client.rawValue) client") }
        if !scenario.setup.doubleSubmitGuard { start.append("double-submit guard off") }
        if scenario.setup.paymentMethod != .card { start.append("pays by \(scenario.setup.paymentMethod.rawValue)") }
        if !start.isEmpty { note(.page, .page, "\(start.joined(separator: ", "))", .plain) }
        if let key = simulation.storedKey {
            knownKeys.insert(key)
            note(.storage, .storage, "holds \(key: key)", .plain)
        }
        for key in scenario.setup.openSessions {
            knownKeys.insert(key)
            note(.backend, .backend, "open session \(key: key)", .plain)
        }
    }

    // MARK: - Steps

    func beginStep(index: Int, line: Int) { diagram.items.append(.step(index: index, line: line)) }

    func narrate(_ text: String) { note(.shopper, .stripe, "\(text)", .narration) }

    func verdict(_ failures: [String], line: Int) {
        if failures.isEmpty {
            note(.shopper, .stripe, "✓ expectations hold (line \(line))", .pass)
        } else {
            diagram.passed = false
            note(.shopper, .stripe, "✗ line \(line): \(failures.joined(separator: "; "))", .fail)
        }
    }

    func finish(variables: [String: String]) { diagram.variables = variables }

    // MARK: - Engine events

    func observe(_ event: SimulationEvent) {
        switch event {
        case .action(let action, _): observe(action)
        case .validationSent(let id, let trigger, let keySent, _, let fired, let backend):
            sentCount += 1
            requestNumbers[id] = sentCount
            if let keySent { knownKeys.insert(keySent) }
            let why = trigger == .checkout ? "" : " (\(trigger.rawValue.replacingOccurrences(of: "_", with: " ")))"
            let key: SequenceDiagram.Label = keySent.map { "key \(key: $0)" } ?? "no key"
            message(.page, .backend, SequenceDiagram.Label(parts: [.text("[\(sentCount)] ValidateOrderItemsInsert\(why), ")] + key.parts),
                    .call, .plain)
            for rule in fired { note(.backend, .backend, "rule fires: \(rule)", .rule) }
            journal(backend)
        case .validationAnswered(let entry): answered(entry)
        case .paymentCall(let method, let reply, _, let backend):
            let name = method.rawValue.split(separator: "/").last.map(String.init) ?? method.rawValue
            message(.page, .backend, "\(name)", .call, .plain)
            journal(backend)
            paymentReply(reply, method: method)
        case .backendChanged(let lines): journal(lines, includeRules: true)
        case .keyChanged(let change): keyChanged(change)
        case .toast(let toast, _):
            let tone: SequenceDiagram.Tone = switch toast.kind {
            case .error: .error
            case .success: .success
            case .info: .plain
            }
            message(.page, .shopper, "toast: \(toast.message)", .reply, tone)
        }
    }

    private func observe(_ action: Action) {
        switch action {
        case .checkout(let clicks):
            message(.shopper, .page, clicks == 1 ? "checkout" : "checkout, clicked \(clicks) times at once", .call, .plain)
        case .pay(let card):
            let known = TestCard(rawValue: TestCard.normalize(card))
            let what = known.map { "\($0.display) (\($0.summary))" } ?? card
            message(.shopper, .page, "pay with \(what)", .call, .plain)
        case .setStoredKey(let key):
            knownKeys.insert(key)
            message(.shopper, .storage, "writes the key by hand: \(key: key)", .call, .warning)
        case .clearStorage:
            message(.shopper, .storage, "clears localStorage by hand", .call, .warning)
        case .wait(let millis):
            note(.shopper, .stripe, "time passes: \(Duration.milliseconds(millis).compactDescription)", .time)
        case .setGuard, .setClient:
            note(.page, .page, "\(action.summary.replacingOccurrences(of: "_", with: " "))", .plain)
        case .arm:
            break  // the backend's own line says what arming did (`backendChanged`)
        case .disarm(let position):
            note(.backend, .backend, "rule \(position) disarmed", .rule)
        case .disarmAll:
            note(.backend, .backend, "every rule disarmed", .rule)
        default:
            message(.shopper, .page, "\(action.summary.replacingOccurrences(of: "_", with: " "))", .call, .plain)
        }
    }

    private func answered(_ entry: TimelineEntry) {
        let record = entry.record
        let number = requestNumbers[record.exchangeID].map { "[\($0)] " } ?? ""
        let waited = entry.answeredAtMillis - entry.sentAtMillis
        let after = waited > 0 ? " after \(Duration.milliseconds(waited).compactDescription)" : ""
        let timeout = Duration.milliseconds(clientTimeoutMillis).compactDescription
        if let returned = record.returnedKey { knownKeys.insert(returned) }
        switch entry.reply {
        case .lost:
            message(.backend, .page, "\(number)no reply: the client gives up after \(timeout)", .lost, .error)
        case .tooSlow:
            message(.backend, .page, "\(number)too slow: the client gives up after \(timeout)", .lost, .error)
        case .serverError:
            let code = record.errorCode.map { "\($0.name): " } ?? ""
            message(.backend, .page, "\(number)error \(code)\(record.message ?? "")\(after)", .reply, .error)
        case .response:
            if let bytes = entry.undecodableBytes {
                message(.backend, .page, "\(number)garbled reply (\(bytes.count) bytes): cannot decode\(after)", .reply, .error)
            } else {
                let label: SequenceDiagram.Label = record.returnedKey.map { "\(number)OK, key \(key: $0)\(after)" }
                    ?? "\(number)OK, no key\(after)"
                message(.backend, .page, label, .reply, .success)
            }
        }
        switch record.clientAction {
        case .keptKeyGenericToast where simulation?.storedKey == nil:
            // The client's own words say it kept a key; with none stored there was nothing to keep.
            note(.page, .page, "no key stored; showed the generic toast", .plain)
        case .keptKey, .keyIgnoredNotCard, .legacyNotStored, .ignoredAfterReload, .failedToStore, .keptKeyGenericToast,
             .noKeyReturned(keptStored: true):
            note(.page, .page, "\(record.clientAction.description)", record.clientAction == .ignoredAfterReload ? .warning : .plain)
        default: break
        }
    }

    private func paymentReply(_ reply: TransportReply, method: RPCMethod) {
        switch reply {
        case .timeout:
            message(.backend, .page, "no reply", .lost, .error)
        case .failure(let status):
            message(.backend, .page, "error \(status.code.name): \(status.message)", .reply, .error)
        case .response(let bytes):
            var text = "reply"
            if method == .confirmPayment, let response = try? Checkout_V1_ConfirmPaymentResponse(serializedBytes: bytes) {
                text = Self.statusName(response.status)
                if !response.declineCode.isEmpty { text += " (\(response.declineCode))" }
                if !response.redirectURL.isEmpty { text += ": redirect to the bank" }
            } else if method == .completeRedirect, let response = try? Checkout_V1_CompleteRedirectResponse(serializedBytes: bytes) {
                text = Self.statusName(response.status)
            }
            message(.backend, .page, "\(text)", .reply, text.hasPrefix("succeeded") ? .success : text.hasPrefix("requires") ? .plain : .error)
        }
    }

    private static func statusName(_ status: Checkout_V1_PaymentIntentStatus) -> String {
        IntentStatus.allCases.first { $0.proto == status }?.rawValue ?? "status \(status.rawValue)"
    }

    private func keyChanged(_ change: KeyHistoryEntry) {
        if let key = change.key { knownKeys.insert(key) }
        switch change.change {
        case .set:
            message(.page, .storage, "store \(key: change.key)", .call, .plain)
        case .rotated:
            message(.page, .storage, "overwrite with \(key: change.key) (\(change.cause.label))", .call, .warning)
        case .cleared:
            message(.page, .storage, "remove the key (\(change.reason))", .call, .plain)
        case .tampered:
            break  // the shopper's own arrow shows it
        case .external:
            note(.storage, .storage, "another tab changed it: \(key: change.key)", .warning)
        }
    }

    /// The backend's own lines: sessions as notes, PaymentIntents as calls to Stripe.
    private func journal(_ lines: [JournalEntry], includeRules: Bool = false) {
        for line in lines {
            switch line.kind {
            case .intent: message(.backend, .stripe, label(Self.withMoney(line.text)), .call, .plain)
            case .session: note(.backend, .backend, label(line.text), .plain)
            case .dropped: note(.backend, .backend, label(line.text), .warning)
            case .rule where includeRules: note(.backend, .backend, label(line.text), .rule)
            default: break
            }
        }
    }

    /// Journal text with its keys as keys and PaymentIntent ids shortened (`pi_000003_9f2c1a` → `pi_3`).
    private func label(_ text: String) -> SequenceDiagram.Label {
        var parts: [SequenceDiagram.Label.Part] = []
        var pending = ""
        for (index, word) in text.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
            if index > 0 { pending += " " }
            var token = String(word)
            var trailing = ""
            while let last = token.last, ",:;)".contains(last) {
                trailing = String(last) + trailing
                token.removeLast()
            }
            if knownKeys.contains(token) || Self.looksLikeKey(token) {
                knownKeys.insert(token)
                parts.append(.text(pending))
                parts.append(.key(token))
                pending = trailing
            } else {
                pending += Self.shortIntentID(token) + trailing
            }
        }
        if !pending.isEmpty { parts.append(.text(pending)) }
        return SequenceDiagram.Label(parts: parts.filter { $0 != .text("") })
    }

    /// Cents as money: `2340 EUR` → `23.40 EUR`, `amount 2340 → 4680` → `amount 23.40 → 46.80`.
    static func withMoney(_ text: String) -> String {
        var words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        for index in words.indices {
            guard let cents = Int64(words[index]) else { continue }
            let next = index + 1 < words.count ? words[index + 1].trimmingCharacters(in: .punctuationCharacters) : ""
            let isCurrency = next.count == 3 && next.allSatisfy(\.isUppercase)
            if isCurrency || (index > 0 && ["amount", "→"].contains(words[index - 1])) {
                words[index] = "\(cents / 100)." + String("0\(abs(cents % 100))".suffix(2))
            }
        }
        return words.joined(separator: " ")
    }

    /// A UUID: 36 characters, hex and four dashes.
    static func looksLikeKey(_ token: String) -> Bool {
        token.count == 36 && token.filter { $0 == "-" }.count == 4 && token.allSatisfy { $0 == "-" || $0.isHexDigit }
    }

    static func shortIntentID(_ token: String) -> String {
        let pieces = token.split(separator: "_")
        guard pieces.count == 3, pieces[0] == "pi", let number = Int(pieces[1]) else { return token }
        return "pi_\(number)"
    }

    // MARK: - Items

    private func message(_ from: P, _ to: P, _ label: SequenceDiagram.Label, _ arrow: SequenceDiagram.Arrow, _ tone: SequenceDiagram.Tone) {
        diagram.items.append(.message(from: from, to: to, label, arrow, tone))
    }

    private func note(_ from: P, _ to: P, _ label: SequenceDiagram.Label, _ tone: SequenceDiagram.Tone) {
        diagram.items.append(.note(from: from, to: to, label, tone))
    }
}
