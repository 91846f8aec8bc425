import CheckoutCore
import MockBackend
import Simulation

/// The world as a recording found it, written as its `setup`: the page (key,
/// cart, form, method, what localStorage lost, the last validation, payment and
/// toast) and the backend's sessions. Sessions are written when a replay can
/// reach them: open ones, and any whose key the recording mentions.
struct RecordingStart {
    private let settings: [String]
    private let page: [String]
    /// Every session at the start, by key, with its PaymentIntent.
    private let sessions: [String: (session: PaymentSession, intent: PaymentIntent?)]
    /// Reads a PaymentIntent when the file is written: a closed session's one is
    /// final (succeeded or canceled), so only open sessions' are read at the start.
    private let readIntent: (String) -> PaymentIntent?
    /// Their keys, oldest first.
    private let order: [String]
    private let now: Int64
    /// Keys the page refers to at the start: stored, validated, waiting for 3-D Secure.
    let pageKeys: Set<String>
    /// The backend totals at the start: a recording counts from there.
    let counters: BackendCounters

    init(_ simulation: Simulation) {
        let client = simulation.client
        let store = simulation.backend.store
        now = simulation.clock.nowMillis
        counters = (try? store.counters()) ?? BackendCounters()
        let all = ((try? store.recentSessions(limit: 1_000_000)) ?? []).reversed()
        var sessions: [String: (session: PaymentSession, intent: PaymentIntent?)] = [:]
        for session in all {
            sessions[session.key] = (session, session.status == .open ? try? store.intent(id: session.paymentIntentID) : nil)
        }
        readIntent = { [weak store] id in try? store?.intent(id: id) }
        self.sessions = sessions
        order = all.map(\.key)

        settings = [
            "  seed: \(simulation.backend.seedForReplay())",
            "  client: \(client.settings.variant.rawValue)",
            "  double_submit_guard: \(client.settings.doubleSubmitGuard)",
            "  payment_method: \(client.paymentMethod.rawValue)",
        ] + (simulation.clientTimeoutMillis == SimulationConfiguration.defaultClientTimeoutMillis ? [] : [
            "  client_timeout: \(Duration.milliseconds(simulation.clientTimeoutMillis).compactDescription)",
        ])
        var page = [client.cart.isEmpty ? "  cart: []" : "  cart:"]
        for line in client.cart { page.append("    - { sku: \(quote(line.sku)), qty: \(line.qty) }") }
        if !client.form.isEmpty {
            page.append("  form: { email: \(quote(client.form.email)), name: \(quote(client.form.name)) }")
        }
        var keys: Set<String> = []
        if let key = simulation.storedKey {
            keys.insert(key)
            page.append("  stored_key: \(quote(key))")
        }
        // The page loaded these at its last refresh; localStorage may have lost them since
        // (written only when a refresh would find something else than the page shows).
        let lost = [(PageField.cart, ShopperStore.Key.cart, !client.cart.isEmpty), (.form, ShopperStore.Key.form, !client.form.isEmpty),
                    (.paymentMethod, ShopperStore.Key.paymentMethod, client.paymentMethod != .card)]
            .filter { $0.2 && client.storage.value(forKey: $0.1) == nil }.map(\.0.rawValue)
        if !lost.isEmpty { page.append("  not_in_storage: [\(lost.joined(separator: ", "))]") }
        if simulation.payment != .none { page.append("  payment: \(simulation.payment.rawValue)") }
        if simulation.selectedCard != TestCard.succeeds.rawValue { page.append("  card: \(quote(simulation.selectedCard))") }
        if let toast = simulation.toast {
            page.append("  toast: { kind: \(toast.kind.rawValue), category: \(toast.category.rawValue), message: \(quote(toast.message)) }")
        }
        if let validation = client.lastValidation, let method = PaymentMethod(proto: validation.paymentMethod) {
            let key = validation.idempotencyKey
            if !method.usesPaymentIntent {
                page.append("  validated: { payment_method: \(method.rawValue) }")
            } else if sessions[key] != nil {
                keys.insert(key)
                page.append("  validated: { payment_method: \(method.rawValue), session: \(quote(key)) }")
            }
        }
        let redirectIntent = client.pendingRedirect.flatMap { try? store.intent(id: $0) }
        if let key = redirectIntent?.sessionKey, sessions[key] != nil {
            keys.insert(key)
            page.append("  pending_redirect: \(quote(key))")
        }
        let rules = simulation.backend.rules.rules
        if !rules.isEmpty { page.append("  rules:                   # armed, with the firings they have left") }
        for rule in rules {
            let firing: RuleFiring = switch rule.firing {
            case .times: .times(rule.remaining ?? 1)
            case .always: .always
            case .probability(let p, _): .probability(p, times: rule.remaining)
            }
            page.append("    - \(RuleSpec(rule.kind, firing).yaml)")
        }
        let inFlight = simulation.inFlightSetup
        if !inFlight.isEmpty { page.append("  in_flight:                # sent before the start, the replies on their way") }
        for request in inFlight {
            var fields = ["trigger: \(request.trigger.rawValue)"]
            if let key = request.keySent {
                keys.insert(key)
                fields.append("key: \(quote(key))")
            }
            fields.append("payment_method: \(request.paymentMethod.rawValue)")
            if request.abandoned { fields.append("abandoned: true") }
            fields.append("arrives_in: \(Duration.milliseconds(request.arrivesInMillis).compactDescription)")
            switch request.reply {
            case .ok(let key?) where sessions[key] != nil:
                keys.insert(key)
                fields.append("reply: { ok: \(quote(key)) }")
            case .ok: fields.append("reply: ok")
            case .error(let status):
                fields.append("reply: { error: { code: \(status.code.name), message: \(quote(status.message)) } }")
            case .garbled: fields.append("reply: garbled")
            case .lost: fields.append("reply: lost")
            case .tooSlow: fields.append("reply: too_slow")
            }
            if !request.firedRules.isEmpty { fields.append("rules: [\(request.firedRules.map(quote).joined(separator: ", "))]") }
            page.append("    - { \(fields.joined(separator: ", ")) }")
        }
        let inUse = simulation.backend.keysInUse(nowMillis: now)
        if !inUse.isEmpty { page.append("  keys_in_use:") }
        for (key, millis) in inUse {
            keys.insert(key)
            page.append("    - { key: \(quote(key)), for: \(Duration.milliseconds(millis).compactDescription) }")
        }
        self.page = page
        pageKeys = keys
    }

    /// The sessions a replay can reach, oldest first: open ones, those the page
    /// refers to, and `mentioned` ones.
    func reachable(mentioned: Set<String>) -> [String] {
        order.filter { key in sessions[key]!.session.status == .open || mentioned.contains(key) || pageKeys.contains(key) }
    }

    /// Whether `key` is a session's key at the start (a replay has it too: written literally).
    func isSession(_ key: String) -> Bool { sessions[key] != nil }

    /// The `setup:` lines, with the sessions a replay can reach: open ones and `mentioned` ones.
    func setupLines(mentioned: Set<String>) -> [String] {
        var out = ["setup:"] + settings + page
        let written = reachable(mentioned: mentioned)
        if !written.isEmpty { out.append("  sessions:                 # as the backend held them (not in the totals)") }
        for key in written {
            let (session, open) = sessions[key]!
            let intent = open ?? readIntent(session.paymentIntentID)
            var fields = ["key: \(quote(key))", "status: \(session.status.rawValue)", "amount: \(intent?.amountCents ?? 0)"]
            var implied = SessionSetup(key: key)
            implied.status = session.status
            if let status = intent?.status, status != implied.intentStatus { fields.append("intent: \(status.rawValue)") }
            // Only the time since the last validation matters (expiry); a year stands for longer.
            let idle = min(max(now - session.lastValidatedAtMillis, 0), 365 * 24 * 3_600_000)
            if idle > 0 { fields.append("idle: \(Duration.milliseconds(idle).compactDescription)") }
            out.append("    - { \(fields.joined(separator: ", ")) }")
        }
        return out
    }

}

private func quote(_ text: String) -> String { FormValue.quote(text) }
