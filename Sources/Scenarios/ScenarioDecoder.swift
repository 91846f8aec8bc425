import CheckoutCore
import MockBackend
import Simulation
import Yams

/// Turns a composed YAML tree into a `Scenario`, field by field.
struct ScenarioDecoder {
    let reader: YAMLReader

    /// Every field and step is read even after a mistake, so that a file's mistakes are all
    /// reported at once (up to `ScenarioParseError.limit`); the first is thrown, the rest in `others`.
    func scenario(_ root: Node) throws -> Scenario {
        let top = try reader.fields(root, "the scenario", allowed: ["name", "description", "tags", "setup", "steps", "version"])
        var mistakes: [ScenarioParseError] = []
        func attempt<T>(_ read: () throws -> T) throws -> T? {
            do {
                return try read()
            } catch let mistake as ScenarioParseError {
                mistakes.append(contentsOf: mistake.all)
                return nil
            }
        }
        if let version = top["version"], let number = try attempt({ try reader.int(version.value, "version") }), number != 1 {
            mistakes.append(reader.error(version.value, "unsupported format version; this tool reads version 1"))
        }
        var name: String?
        if let field = top["name"] {
            name = try attempt { try scenarioName(field.value) }
        } else {
            mistakes.append(reader.error(root, "missing required field 'name'"))
        }
        var description: String?
        if let field = top["description"] { description = try attempt { try reader.string(field.value, "description") } }
        var tags: [String] = []
        if let field = top["tags"] {
            tags = try attempt { try reader.sequence(field.value, "tags").map { try reader.string($0, "a tag") } } ?? []
        }
        var setup = ScenarioSetup()
        if let field = top["setup"], let read = try attempt({ try self.setup(field.value) }) { setup = read }
        var steps: [ScenarioStep] = []
        if let stepsNode = top["steps"] {
            for node in try attempt({ try reader.sequence(stepsNode.value, "steps") }) ?? [] where mistakes.count < ScenarioParseError.limit {
                if let step = try attempt({ try step(node) }) { steps.append(step) }
            }
        } else {
            mistakes.append(reader.error(root, "missing required field 'steps'"))
        }
        if var first = mistakes.first {
            first.others = Array(mistakes.dropFirst().prefix(ScenarioParseError.limit - 1))
            throw first
        }
        return Scenario(file: reader.file, name: name ?? "", description: description, tags: tags, setup: setup, steps: steps)
    }

    /// The name QA see in lists and reports: `~`, `''` and blanks are mistakes, not names.
    private func scenarioName(_ node: Node) throws -> String {
        let text = try reader.string(node, "name")
        if node.null != nil || text.allSatisfy(\.isWhitespace) {
            throw reader.error(node, "the scenario's name must not be empty")
        }
        return text
    }

    // MARK: - Setup

    private func setup(_ node: Node) throws -> ScenarioSetup {
        var setup = ScenarioSetup()
        let fields = try reader.fields(node, "setup", allowed: [
            "seed", "client", "double_submit_guard", "payment_method", "cart", "form", "stored_key", "open_sessions", "client_timeout",
        ] + Self.worldFields)
        if let seed = fields["seed"] {
            let text = try reader.string(seed.value, "seed")
            guard let value = UInt64(text) else { throw reader.error(seed.value, "seed must be a whole number ≥ 0, found '\(text)'") }
            setup.seed = value
        }
        if let client = fields["client"] {
            setup.client = try reader.choice(client.value, "client", ClientVariant.allCases.map { ($0.rawValue, $0) })
        }
        if let guardNode = fields["double_submit_guard"] {
            setup.doubleSubmitGuard = try reader.bool(guardNode.value, "double_submit_guard")
        }
        if let method = fields["payment_method"] { setup.paymentMethod = try paymentMethod(method.value) }
        if let cart = fields["cart"] {
            setup.cart = try reader.sequence(cart.value, "cart").map { line in
                let item = try reader.fields(line, "a cart line", allowed: ["sku", "qty"])
                return CartLine(sku: try required(item, "sku", line, reader.string),
                                qty: try item["qty"].map { try reader.quantity($0.value) } ?? 1)
            }
        }
        if let form = fields["form"] { setup.form = try formData(form.value) }
        if let key = fields["stored_key"] { setup.storedKey = try reader.string(key.value, "stored_key") }
        if let timeout = fields["client_timeout"] {
            setup.clientTimeoutMillis = try reader.duration(timeout.value, "client_timeout")
            guard (1...3_600_000).contains(setup.clientTimeoutMillis) else {
                throw reader.error(timeout.value, "client_timeout must be between 1ms and 1h")
            }
        }
        if let open = fields["open_sessions"] {
            setup.openSessions = try reader.sequence(open.value, "open_sessions").map { try reader.string($0, "a session key") }
        }
        setup.world = try world(fields, openSessions: setup.openSessions)
        return setup
    }

    private func paymentMethod(_ node: Node) throws -> PaymentMethod {
        try reader.choice(node, "payment method", PaymentMethod.allCases.map { ($0.rawValue, $0) })
    }

    private func formData(_ node: Node, extra: [String] = [], wait: (Bool) -> Void = { _ in }) throws -> FormData {
        let fields = try reader.fields(node, "form", allowed: ["email", "name"] + extra)
        if let waitField = fields["wait"] { wait(try reader.bool(waitField.value, "wait")) }
        return FormData(email: try fields["email"].map { try reader.string($0.value, "email") } ?? "",
                        name: try fields["name"].map { try reader.string($0.value, "name") } ?? "")
    }

    private func required<T>(_ fields: [String: (keyNode: Node, value: Node)], _ name: String, _ parent: Node,
                             _ read: (Node, String) throws -> T) throws -> T {
        guard let field = fields[name] else { throw reader.error(parent, "missing field '\(name)'") }
        return try read(field.value, name)
    }

    // MARK: - Steps

    static let stepNames = ["say", "do", "backend", "expect"]

    private func step(_ node: Node) throws -> ScenarioStep {
        let (name, keyNode, value) = try reader.single(node, "a step")
        let kind: StepKind
        switch name {
        case "say": kind = .say(try reader.string(value, "say"))
        case "do":
            let (action, waits) = try self.action(value)
            kind = .action(action, waitsForReply: waits)
        case "backend": kind = .action(try backendAction(value), waitsForReply: false)
        case "expect": kind = .expect(try expectation(value))
        default:
            throw reader.error(keyNode, "unknown step '\(name)'" + reader.suggestion(name, Self.stepNames) +
                               " (expected say, do, backend or expect)")
        }
        return ScenarioStep(line: keyNode.mark?.line ?? 1, column: keyNode.mark?.column ?? 1, kind: kind)
    }

    static let actionNames = [
        "checkout", "refresh", "retry", "pay", "return_from_redirect", "add_item", "remove_item", "set_qty",
        "payment_method", "fill_form", "set_stored_key", "clear_storage", "wait", "set_guard", "set_client", "select_card",
        "start_new_order",
    ]

    /// An action and whether its step waits for the replies (`wait: false`
    /// inside its argument, or next to it: `{remove_item: MUG, wait: false}`).
    private func action(_ node: Node) throws -> (Action, Bool) {
        let name: String, nameNode: Node, argument: Node?
        var waits = true
        if case .scalar(let scalar) = node {
            (name, nameNode, argument) = (scalar.string, node, nil)
        } else {
            var pairs = try reader.mapping(node, "an action")
            if pairs.count == 2, let index = pairs.firstIndex(where: { $0.key == "wait" }) {
                waits = try reader.bool(pairs[index].value, "wait")
                pairs.remove(at: index)
            }
            guard pairs.count == 1 else { _ = try reader.single(node, "an action"); throw reader.error(node, "an action") }
            (name, nameNode, argument) = (pairs[0].key, pairs[0].keyNode, pairs[0].value)
        }
        func needs(_ what: String) throws -> Node {
            guard let argument else { throw reader.error(nameNode, "action '\(name)' needs \(what)") }
            return argument
        }
        /// The argument's fields, `wait` among them.
        func argumentFields(_ allowed: [String]) throws -> [String: (keyNode: Node, value: Node)] {
            guard let argument, !isEmptyMapping(argument) else { return [:] }
            let fields = try reader.fields(argument, name, allowed: allowed + ["wait"])
            if let wait = fields["wait"] { waits = try reader.bool(wait.value, "wait") }
            return fields
        }
        let action: Action
        switch name {
        case "checkout":
            let fields = try argumentFields(["clicks"])
            let clicks = try fields["clicks"].map { try reader.int($0.value, "clicks") } ?? 1
            guard (1...100).contains(clicks) else { throw reader.error(fields["clicks"]?.value, "clicks must be between 1 and 100") }
            action = .checkout(clicks: clicks)
        case "refresh", "retry", "clear_storage", "start_new_order":
            if let argument, case .scalar = argument, !isEmptyMapping(argument) {
                throw reader.error(argument, "action '\(name)' takes no argument")
            }
            _ = try argumentFields([])
            action = switch name {
            case "refresh": .refresh
            case "retry": .retry
            case "start_new_order": .startNewOrder
            default: .clearStorage
            }
        case "pay":
            let fields = try argumentFields(["card"])
            action = .pay(card: try fields["card"].map { try card($0.value) } ?? TestCard.succeeds.rawValue)
        case "select_card": action = .selectCard(try card(try needs("a card number")))
        case "return_from_redirect":
            action = .returnFromRedirect(try reader.choice(try needs("succeeded or failed"), "redirect_status",
                                                           RedirectStatus.allCases.map { ($0.rawValue, $0) }))
        case "add_item", "set_qty":
            let argument = try needs("{sku: S, qty: N}")
            let fields = try argumentFields(["sku", "qty"])
            let sku = try required(fields, "sku", argument, reader.string)
            let qty = try fields["qty"].map { try reader.quantity($0.value) } ?? 1
            action = name == "add_item" ? .addItem(sku: sku, qty: qty) : .setQty(sku: sku, qty: qty)
        case "remove_item": action = .removeItem(sku: try reader.string(try needs("a SKU"), "remove_item"))
        case "payment_method": action = .paymentMethod(try paymentMethod(try needs("a payment method")))
        case "fill_form": action = .fillForm(try formData(try needs("{email: E, name: N}"), extra: ["wait"]) { waits = $0 })
        case "set_stored_key": action = .setStoredKey(try reader.string(try needs("the text to store"), "set_stored_key"))
        case "set_guard": action = .setGuard(try reader.bool(try needs("on or off"), "set_guard"))
        case "set_client":
            action = .setClient(try reader.choice(try needs("a client policy (\(ClientPolicy.names))"), "client",
                                                    ClientPolicy.all.map { ($0.name, $0) }))
        case "wait":
            action = .wait(millis: try reader.duration(try needs("a duration"), "wait"))
            waits = false
        default:
            throw reader.error(nameNode, "unknown action '\(name)'" + reader.suggestion(name, Self.actionNames))
        }
        return (action, waits)
    }

    func card(_ node: Node) throws -> String {
        let card = TestCard.normalize(try reader.string(node, "card"))
        guard !card.isEmpty, card.count <= 19, card.allSatisfy(\.isNumber) else {
            throw reader.error(node, "card must be a card number such as 4242 4242 4242 4242")
        }
        return card
    }

    private func isEmptyMapping(_ node: Node) -> Bool {
        if case .mapping(let mapping) = node { return mapping.count == 0 }
        if case .scalar(let scalar) = node { return scalar.string.isEmpty || scalar.string == "~" || scalar.string == "null" }
        return false
    }

    // MARK: - Backend rules

    /// One backend step's value, or a sequence of them.
    func backendActions(_ node: Node) throws -> [Action] {
        if case .sequence = node { return try reader.sequence(node, "a list of backend rules").map(backendAction) }
        return [try backendAction(node)]
    }

    private func backendAction(_ node: Node) throws -> Action {
        if case .scalar(let scalar) = node, scalar.string == "disarm_all" { return .disarmAll }
        if case .mapping(let mapping) = node, mapping.count == 1, mapping.keys.first?.string == "disarm" {
            let value = try reader.single(node, "disarm").value
            let position = try reader.int(value, "disarm")
            guard position >= 1 else { throw reader.error(value, "disarm takes the position of an armed rule: 1 is the first") }
            return .disarm(position: position)
        }
        let (rule, firing) = try backendRule(node)
        return .arm(rule, firing)
    }

    private func backendRule(_ node: Node) throws -> (RuleKind, RuleFiring) {
        if case .scalar(let scalar) = node {
            return (try simpleRule(scalar.string, node), .once)
        }
        let (name, keyNode, argument) = try reader.single(node, "a backend rule")
        switch name {
        case "error":
            let fields = try reader.fields(argument, "error", allowed: ["message", "code", "times", "always", "probability"])
            let message = try required(fields, "message", argument, reader.string)
            let code = try fields["code"].map { field in
                let text = try reader.string(field.value, "code")
                guard let code = RPCCode(name: text), code != .ok else {
                    throw reader.error(field.value, "unknown status code '\(text)' (e.g. invalid_argument, unavailable, internal)")
                }
                return code
            } ?? .unknown
            return (.error(message: message, code: code), try firing(fields, argument))
        case "latency":
            if case .scalar = argument { return (.latency(millis: try reader.duration(argument, "latency")), .once) }
            let fields = try reader.fields(argument, "latency", allowed: ["duration", "times", "always", "probability"])
            let millis = try reader.duration(try required(fields, "duration", argument) { node, _ in node }, "latency duration")
            return (.latency(millis: millis), try firing(fields, argument))
        default:
            let rule = try simpleRule(name, keyNode)
            if case .scalar(let scalar) = argument {
                switch scalar.string {
                case "always": return (rule, .always)
                case "once": return (rule, .once)
                default: throw reader.error(argument, "rule '\(name)' takes once, always, {times: N} or {probability: P}")
                }
            }
            let fields = try reader.fields(argument, name, allowed: ["times", "always", "probability"])
            return (rule, try firing(fields, argument))
        }
    }

    private func simpleRule(_ name: String, _ node: Node) throws -> RuleKind {
        if let rule = RuleKind(simpleName: name) { return rule }
        if name == "error" || name == "latency" {
            throw reader.error(node, "rule '\(name)' needs an argument: " + (name == "error" ? "{error: {message: TEXT}}" : "{latency: 2s}"))
        }
        throw reader.error(node, "unknown rule '\(name)'" + reader.suggestion(name, RuleKind.allNames + ["disarm", "disarm_all"]))
    }

    private func firing(_ fields: [String: (keyNode: Node, value: Node)], _ parent: Node) throws -> RuleFiring {
        let times = try fields["times"].map { field in
            let n = try reader.int(field.value, "times")
            guard n >= 1 else { throw reader.error(field.value, "times must be at least 1") }
            return n
        }
        if let always = fields["always"], try reader.bool(always.value, "always") {
            guard times == nil, fields["probability"] == nil else {
                throw reader.error(always.keyNode, "always cannot be combined with times or probability")
            }
            return .always
        }
        if let probability = fields["probability"] {
            let p = try reader.double(probability.value, "probability")
            guard (0...1).contains(p) else { throw reader.error(probability.value, "probability must be between 0 and 1") }
            return .probability(p, times: times)
        }
        return .times(times ?? 1)
    }
}
