import CheckoutCore
import MockBackend
import Simulation
import Yams

/// `setup`'s fields for the state a recording started mid-session found (additions to format v1).
extension ScenarioDecoder {
    static let worldFields = ["payment", "card", "toast", "sessions", "validated", "pending_redirect", "not_in_storage", "in_flight", "keys_in_use", "rules"]

    typealias Fields = [String: (keyNode: Node, value: Node)]

    /// Reads the world fields of `setup`; `openSessions` are the keys `open_sessions` names.
    func world(_ fields: Fields, openSessions: [String]) throws -> WorldSetup {
        var world = WorldSetup()
        if let payment = fields["payment"] {
            world.payment = try reader.choice(payment.value, "payment", PaymentStatus.allCases.map { ($0.rawValue, $0) })
        }
        if let card = fields["card"] { world.card = try self.card(card.value) }
        if let toast = fields["toast"] { world.toast = try setupToast(toast.value) }
        if let sessions = fields["sessions"] { world.sessions = try self.sessions(sessions.value) }
        // A key the page refers to must name a session the setup puts in place.
        let known = Set(world.sessions.map(\.key) + openSessions)
        func session(_ node: Node, _ what: String) throws -> String {
            let key = try reader.string(node, what)
            guard known.contains(key) else {
                throw reader.error(node, "\(what) '\(key)' is not a session of setup.sessions or setup.open_sessions")
            }
            return key
        }
        if let validated = fields["validated"] {
            let item = try reader.fields(validated.value, "validated", allowed: ["payment_method", "session"])
            guard let method = item["payment_method"] else { throw reader.error(validated.value, "missing field 'payment_method'") }
            let paymentMethod = try reader.choice(method.value, "payment method", PaymentMethod.allCases.map { ($0.rawValue, $0) })
            let key = try item["session"].map { try session($0.value, "validated session") }
            if paymentMethod.usesPaymentIntent, key == nil {
                throw reader.error(validated.value, "a validation of \(paymentMethod.rawValue) needs its 'session'")
            }
            if !paymentMethod.usesPaymentIntent, let field = item["session"] {
                throw reader.error(field.keyNode, "a validation of \(paymentMethod.rawValue) has no session (no PaymentIntent)")
            }
            world.validation = ValidationSetup(paymentMethod: paymentMethod, session: key)
        }
        if let redirect = fields["pending_redirect"] { world.pendingRedirect = try session(redirect.value, "pending_redirect") }
        if let lost = fields["not_in_storage"] {
            for node in try reader.sequence(lost.value, "not_in_storage") {
                world.notInStorage.insert(try reader.choice(node, "not_in_storage field", PageField.allCases.map { ($0.rawValue, $0) }))
            }
        }
        if let rules = fields["rules"] {
            world.rules = try reader.sequence(rules.value, "rules").map { node in
                guard case .arm(let spec)? = try backendActions(node).first, !spec.kind.isImmediate else {
                    throw reader.error(node, "setup.rules holds armed rules (as a backend: step arms them), not \(reader.describe(node))")
                }
                return spec
            }
        }
        if let inFlight = fields["in_flight"] {
            world.inFlight = try reader.sequence(inFlight.value, "in_flight").map { try self.inFlight($0, session: session) }
        }
        if let used = fields["keys_in_use"] {
            world.keysInUse = try reader.sequence(used.value, "keys_in_use").map { line in
                let item = try reader.fields(line, "a key in use", allowed: ["key", "for"])
                guard let key = item["key"], let time = item["for"] else { throw reader.error(line, "a key in use needs 'key' and 'for'") }
                return KeyInUse(key: try reader.string(key.value, "key"), forMillis: try reader.duration(time.value, "for"))
            }
        }
        return world
    }

    private func inFlight(_ line: Node, session: (Node, String) throws -> String) throws -> InFlightSetup {
        let item = try reader.fields(line, "a request in flight",
                                     allowed: ["trigger", "key", "payment_method", "abandoned", "arrives_in", "reply", "rules"])
        guard let trigger = item["trigger"], let arrives = item["arrives_in"], let replyField = item["reply"] else {
            throw reader.error(line, "a request in flight needs 'trigger', 'arrives_in' and 'reply'")
        }
        let triggers: [ValidationTrigger] = [.checkout, .retry, .refresh, .alreadyCompletedRetry]
        let method = try item["payment_method"].map {
            try reader.choice($0.value, "payment method", PaymentMethod.allCases.map { ($0.rawValue, $0) })
        } ?? .card
        return InFlightSetup(
            trigger: try reader.choice(trigger.value, "trigger", triggers.map { ($0.rawValue, $0) }),
            keySent: try item["key"].map { try reader.string($0.value, "key") },
            paymentMethod: method,
            abandoned: try item["abandoned"].map { try reader.bool($0.value, "abandoned") } ?? false,
            arrivesInMillis: try reader.duration(arrives.value, "arrives_in"),
            reply: try reply(replyField.value, session: session),
            firedRules: try item["rules"].map { try reader.sequence($0.value, "rules").map { try reader.string($0, "a rule label") } } ?? [])
    }

    /// `ok`, `{ok: SESSION}`, `{error: {code, message}}`, `garbled`, `lost` or `too_slow`.
    private func reply(_ node: Node, session: (Node, String) throws -> String) throws -> InFlightSetup.Reply {
        let expected = "reply must be ok, {ok: SESSION}, {error: {code: C, message: M}}, garbled, lost or too_slow"
        if case .scalar(let scalar) = node {
            switch scalar.string {
            case "ok": return .ok(session: nil)
            case "garbled": return .garbled
            case "lost": return .lost
            case "too_slow": return .tooSlow
            default: throw reader.error(node, expected)
            }
        }
        let (name, keyNode, value) = try reader.single(node, "reply")
        switch name {
        case "ok": return .ok(session: try session(value, "the session of the reply"))
        case "error":
            let fields = try reader.fields(value, "error", allowed: ["code", "message"])
            let text = try fields["code"].map { try reader.string($0.value, "code") } ?? "unknown"
            guard let code = RPCCode(name: text), code != .ok else {
                throw reader.error(fields["code"]?.value ?? value, "unknown status code '\(text)' (e.g. invalid_argument, unavailable, internal)")
            }
            return .error(RPCStatus(code: code, message: try fields["message"].map { try reader.string($0.value, "message") } ?? ""))
        default: throw reader.error(keyNode, expected)
        }
    }

    private func setupToast(_ node: Node) throws -> Toast {
        let fields = try reader.fields(node, "toast", allowed: ["kind", "category", "message"])
        guard let kind = fields["kind"], let category = fields["category"] else {
            throw reader.error(node, "a setup toast needs 'kind' and 'category'")
        }
        return Toast(kind: try reader.choice(kind.value, "toast kind", Toast.Kind.allCases.map { ($0.rawValue, $0) }),
                     category: try reader.choice(category.value, "toast category", Toast.Category.allCases.map { ($0.rawValue, $0) }),
                     message: try fields["message"].map { try reader.string($0.value, "message") } ?? "")
    }

    private func sessions(_ node: Node) throws -> [SessionSetup] {
        var seen: Set<String> = []
        return try reader.sequence(node, "sessions").map { line in
            let item = try reader.fields(line, "a session", allowed: ["key", "status", "amount", "intent", "idle"])
            guard let keyField = item["key"] else { throw reader.error(line, "missing field 'key'") }
            let key = try reader.string(keyField.value, "key")
            guard !key.isEmpty, key.count <= MockBackend.maxKeyLength else {
                throw reader.error(keyField.value, "a session key has 1 to \(MockBackend.maxKeyLength) characters")
            }
            guard seen.insert(key).inserted else { throw reader.error(keyField.value, "session '\(key)' appears twice") }
            var session = SessionSetup(key: key)
            if let status = item["status"] {
                session.status = try reader.choice(status.value, "session status", SessionStatus.allCases.map { ($0.rawValue, $0) })
            }
            if let amount = item["amount"] {
                session.amountCents = Int64(try reader.int(amount.value, "amount (cents)", in: 0...1_000_000_000_000))
            }
            if let intent = item["intent"] {
                session.intent = try reader.choice(intent.value, "PaymentIntent status", IntentStatus.allCases.map { ($0.rawValue, $0) })
            }
            if let idle = item["idle"] { session.idleMillis = try reader.duration(idle.value, "idle") }
            return session
        }
    }
}
