import CheckoutCore
import Yams

// MARK: - Expectations

extension ScenarioDecoder {
    static let expectationNames = ["requests", "sent_key", "stored_key", "toast", "cart", "form", "payment", "backend"]

    func expectation(_ node: Node) throws -> Expectation {
        var expectation = Expectation()
        let fields = try reader.fields(node, "expect", allowed: Self.expectationNames)
        if let requests = fields["requests"] {
            if case .scalar = requests.value {
                let count = try reader.int(requests.value, "requests")
                guard count >= 0 else { throw reader.error(requests.value, "requests must not be negative") }
                expectation.requests = .count(count)
            } else {
                expectation.requests = .list(try reader.sequence(requests.value, "requests").map(requestPattern))
            }
        }
        if let key = fields["sent_key"] { expectation.sentKey = try keyPattern(key.value, "sent_key") }
        if let key = fields["stored_key"] { expectation.storedKey = try keyPattern(key.value, "stored_key") }
        if let toast = fields["toast"] { expectation.toast = try toastExpectation(toast.value) }
        if let cart = fields["cart"] {
            if case .scalar = cart.value {
                guard try reader.string(cart.value, "cart") == "empty" else {
                    throw reader.error(cart.value, "cart must be 'empty' or {items: N}")
                }
                expectation.cart = .empty
            } else {
                let items = try reader.fields(cart.value, "cart", allowed: ["items"])
                guard let count = items["items"] else { throw reader.error(cart.value, "cart must be 'empty' or {items: N}") }
                expectation.cart = .items(try reader.int(count.value, "items"))
            }
        }
        if let form = fields["form"] {
            expectation.formFilled = try reader.choice(form.value, "form state", [("empty", false), ("filled", true)])
        }
        if let payment = fields["payment"] {
            expectation.payment = try reader.choice(payment.value, "payment status", PaymentStatus.allCases.map { ($0.rawValue, $0) })
        }
        if let backend = fields["backend"] {
            let counters = try reader.fields(backend.value, "backend", allowed: ["sessions", "payment_intents", "paid"])
            expectation.sessions = try counters["sessions"].map { try reader.int($0.value, "sessions") }
            expectation.paymentIntents = try counters["payment_intents"].map { try reader.int($0.value, "payment_intents") }
            expectation.paid = try counters["paid"].map { try reader.int($0.value, "paid") }
        }
        return expectation
    }

    private func requestPattern(_ node: Node) throws -> RequestPattern {
        let fields = try reader.fields(node, "a request", allowed: ["key", "result", "returned_key", "message"])
        return RequestPattern(
            key: try fields["key"].map { try keyPattern($0.value, "key") },
            result: try fields["result"].map {
                try reader.choice($0.value, "result", ResultCategory.allCases.map { ($0.rawValue, $0) })
            },
            returnedKey: try fields["returned_key"].map { try keyPattern($0.value, "returned_key") },
            messageContains: try fields["message"].map { try reader.string($0.value, "message") })
    }

    func keyPattern(_ node: Node, _ what: String) throws -> KeyPattern {
        if case .scalar(let scalar) = node, scalar.tag.description == "tag:yaml.org,2002:null" { return .none }
        let text = try reader.string(node, what)
        if text == "none" || text.isEmpty { return .none }
        if text.hasPrefix("$") {
            let name = String(text.dropFirst())
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw reader.error(node, "\(what): '\(text)' is not a variable name (use $k1, $first_key, ...)")
            }
            return .variable(name)
        }
        return .literal(text)
    }

    private func toastExpectation(_ node: Node) throws -> ToastExpectation {
        if case .scalar = node {
            guard try reader.string(node, "toast") == "none" else {
                throw reader.error(node, "toast must be 'none' or {kind, category, contains}")
            }
            return .none
        }
        let fields = try reader.fields(node, "toast", allowed: ["kind", "category", "contains"])
        return .matching(
            kind: try fields["kind"].map { try reader.choice($0.value, "toast kind", Toast.Kind.allCases.map { ($0.rawValue, $0) }) },
            category: try fields["category"].map {
                try reader.choice($0.value, "toast category", Toast.Category.allCases.map { ($0.rawValue, $0) })
            },
            contains: try fields["contains"].map { try reader.string($0.value, "contains") })
    }
}
