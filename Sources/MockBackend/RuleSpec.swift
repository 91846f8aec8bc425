import CheckoutCore
import Foundation

/// A rule and how often it fires: what a `backend:` step, the TUI's menu, a
/// recording and the admin API arm. Codable in the scenario format's form:
/// `"rotate"`, `{"rotate": {"times": 2}}`, `{"latency": "2s"}`,
/// `{"error": {"message": "boom", "code": "internal", "probability": 0.5}}`.
public struct RuleSpec: Equatable, Sendable {
    public var kind: RuleKind
    public var firing: RuleFiring

    public init(_ kind: RuleKind, _ firing: RuleFiring = .once) {
        self.kind = kind
        self.firing = firing
    }

    /// `rotate ×2`, `latency 2s once`.
    public var label: String { "\(kind.label) \(firing.label)" }

    /// The scenario form: the rule's name, and its fields (`nil`: the bare name).
    public var form: (name: String, fields: [(String, FormValue)]?) {
        var fields: [(String, FormValue)] = []
        switch kind {
        case .error(let message, let code): fields = [("message", .text(message)), ("code", .word(code.name))]
        case .latency(let millis): fields = [("duration", .word(Duration.milliseconds(millis).compactDescription))]
        default: break
        }
        switch firing {
        case .times(1): break
        case .times(let n): fields.append(("times", .int(n)))
        case .always: fields.append(("always", .bool(true)))
        case .probability(let p, let times):
            fields.append(("probability", .double(p)))
            if let times { fields.append(("times", .int(times))) }
        }
        return (kind.name, fields.isEmpty ? nil : fields)
    }

    /// One line of YAML: `rotate`, `{ rotate: { times: 2 } }`.
    public var yaml: String { FormValue.yaml(form.name, form.fields) }
}

/// A value in the scenario form of a rule or an action.
public enum FormValue: Equatable, Sendable {
    /// Written bare: names, codes, durations.
    case word(String)
    /// Written quoted: free text, SKUs, keys, card numbers.
    case text(String)
    case int(Int)
    case double(Double)
    case bool(Bool)

    public var yaml: String {
        switch self {
        case .word(let word): word
        case .text(let text): Self.quote(text)
        case .int(let n): "\(n)"
        case .double(let d): "\(d)"
        case .bool(let b): "\(b)"
        }
    }

    /// A double-quoted YAML (and JSON) string: control characters escaped.
    public static func quote(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(text), as: UTF8.self)) ?? "\"\""
    }

    /// `name` or `{ name: { field: value, ... } }`.
    public static func yaml(_ name: String, _ fields: [(String, FormValue)]?) -> String {
        guard let fields else { return name }
        return "{ \(name): { " + fields.map { "\($0.0): \($0.1.yaml)" }.joined(separator: ", ") + " } }"
    }
}

// MARK: - Codable

extension RuleSpec: Codable {
    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: Encoder) throws {
        let (name, fields) = form
        guard let fields else {
            var single = encoder.singleValueContainer()
            try single.encode(name)
            return
        }
        var outer = encoder.container(keyedBy: Key.self)
        var inner = outer.nestedContainer(keyedBy: Key.self, forKey: Key(name))
        for (field, value) in fields {
            switch value {
            case .word(let text), .text(let text): try inner.encode(text, forKey: Key(field))
            case .int(let n): try inner.encode(n, forKey: Key(field))
            case .double(let d): try inner.encode(d, forKey: Key(field))
            case .bool(let b): try inner.encode(b, forKey: Key(field))
            }
        }
    }

    public init(from decoder: Decoder) throws {
        if let name = try? decoder.singleValueContainer().decode(String.self) {
            guard let kind = RuleKind(simpleName: name) else { throw Self.failure(decoder, "unknown rule or rule needing an argument: '\(name)'") }
            self.init(kind, .once)
            return
        }
        let outer = try decoder.container(keyedBy: Key.self)
        guard outer.allKeys.count == 1, let key = outer.allKeys.first else { throw Self.failure(decoder, "a rule is a one-key object") }
        let name = key.stringValue
        guard let row = RuleKind.table.first(where: { $0.name == name }) else { throw Self.failure(decoder, "unknown rule '\(name)'") }
        if let word = try? outer.decode(String.self, forKey: key) {
            switch (row.argument, word) {
            case (.duration, _):
                guard let millis = Duration.millis(parsing: word) else { throw Self.failure(decoder, "bad duration '\(word)'") }
                self.init(.latency(millis: millis))
            case (.none, "once"): self.init(row.menuRule)
            case (.none, "always"): self.init(row.menuRule, .always)
            default: throw Self.failure(decoder, "rule '\(name)' takes once, always or an object")
            }
            return
        }
        let inner = try outer.nestedContainer(keyedBy: Key.self, forKey: key)
        let kind: RuleKind
        switch row.argument {
        case .none: kind = row.menuRule
        case .message:
            let code = try inner.decodeIfPresent(String.self, forKey: Key("code")).map { text in
                guard let code = RPCCode(name: text), code != .ok else { throw Self.failure(decoder, "unknown status code '\(text)'") }
                return code
            } ?? .unknown
            kind = .error(message: try inner.decode(String.self, forKey: Key("message")), code: code)
        case .duration:
            let text = try inner.decode(String.self, forKey: Key("duration"))
            guard let millis = Duration.millis(parsing: text) else { throw Self.failure(decoder, "bad duration '\(text)'") }
            kind = .latency(millis: millis)
        }
        let times = try inner.decodeIfPresent(Int.self, forKey: Key("times"))
        if try inner.decodeIfPresent(Bool.self, forKey: Key("always")) == true {
            self.init(kind, .always)
        } else if let p = try inner.decodeIfPresent(Double.self, forKey: Key("probability")) {
            self.init(kind, .probability(p, times: times))
        } else {
            self.init(kind, .times(times ?? 1))
        }
    }

    private static func failure(_ decoder: Decoder, _ message: String) -> DecodingError {
        .dataCorrupted(DecodingError.Context(codingPath: decoder.codingPath, debugDescription: message))
    }
}

extension Duration {
    /// Reads `500ms`, `2s`, `1m30s`, `25h` (at most a year) as milliseconds.
    public static func millis(parsing text: String) -> Int64? {
        let units: [(String, Double)] = [("ms", 1), ("h", 3_600_000), ("m", 60_000), ("s", 1000)]
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        guard !rest.isEmpty, rest.count <= 40 else { return nil }
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            guard let unit = units.first(where: { rest.hasPrefix($0.0) }) else { return nil }
            rest = rest.dropFirst(unit.0.count)
            total += value * unit.1
        }
        guard total.isFinite, total <= 365 * 24 * 3_600_000 else { return nil }
        return Int64(total.rounded())
    }
}
