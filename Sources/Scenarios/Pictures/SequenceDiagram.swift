import CheckoutCore

/// A run of a scenario as a sequence diagram: who said what to whom, in order.
/// Every picture (Mermaid, SVG, HTML) is drawn from this one value.
public struct SequenceDiagram: Equatable, Sendable {
    /// The lifelines, left to right.
    public enum Participant: Int, CaseIterable, Comparable, Sendable {
        case shopper, page, storage, backend, stripe

        public var title: String {
            switch self {
            case .shopper: "Shopper"
            case .page: "Page"
            case .storage: "localStorage"
            case .backend: "Backend"
            case .stripe: "Stripe"
            }
        }

        /// The Mermaid identifier (no dots or spaces).
        public var identifier: String {
            switch self {
            case .shopper: "Shopper"
            case .page: "Page"
            case .storage: "Storage"
            case .backend: "Backend"
            case .stripe: "Stripe"
            }
        }

        public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    }

    /// How an arrow is drawn.
    public enum Arrow: Equatable, Sendable {
        /// A call or an action: solid.
        case call
        /// An answer: dashed.
        case reply
        /// Nothing arrives: dashed, ending in a cross.
        case lost
    }

    /// What a line means, for colour.
    public enum Tone: String, Equatable, Sendable {
        case plain, narration, pass, fail, rule, time, success, error, warning
    }

    /// Text in which keys stay keys until drawn: they are named (`$k1`, as the
    /// scenario's variables, else `k2`) only once the whole run is known.
    public struct Label: Equatable, Sendable, ExpressibleByStringInterpolation {
        public enum Part: Equatable, Sendable {
            case text(String)
            case key(String)
        }

        public var parts: [Part]

        public init(parts: [Part]) { self.parts = parts }
        public init(stringLiteral value: String) { parts = [.text(value)] }
        public init(stringInterpolation: Interpolation) { parts = stringInterpolation.parts }

        public struct Interpolation: StringInterpolationProtocol {
            var parts: [Part] = []
            public init(literalCapacity: Int, interpolationCount: Int) {}
            public mutating func appendLiteral(_ literal: String) { if !literal.isEmpty { parts.append(.text(literal)) } }
            public mutating func appendInterpolation(_ value: some CustomStringConvertible) { parts.append(.text(value.description)) }
            /// A key (`nil`: written "no key").
            public mutating func appendInterpolation(key: String?) { parts.append(key.map { .key($0) } ?? .text("no key")) }
        }
    }

    public enum Item: Equatable, Sendable {
        case message(from: Participant, to: Participant, Label, Arrow, Tone)
        /// A note over the lifelines `from` through `to`.
        case note(from: Participant, to: Participant, Label, Tone)
        /// The start of a scenario step (its index and line), for the step column of the pictures.
        case step(index: Int, line: Int)
    }

    public var title: String
    public var description: String?
    public var items: [Item] = []
    /// The scenario's key variables as they were bound (`k1` → the key), for naming keys.
    public var variables: [String: String] = [:]
    /// Whether every expectation held.
    public var passed = true

    public init(title: String, description: String? = nil) {
        self.title = title
        self.description = description
    }

    // MARK: - Drawing the labels

    /// An item with its text written out, as every renderer draws it.
    public struct Line: Equatable, Sendable {
        public enum Kind: Equatable, Sendable {
            case message(from: Participant, to: Participant, Arrow)
            case note(from: Participant, to: Participant)
        }

        public var kind: Kind
        /// Plain text, control characters already made visible.
        public var text: String
        public var tone: Tone
        /// The scenario step it belongs to (0: before the first).
        public var step: Int
    }

    /// The items with every key named: a variable's name where the scenario bound one
    /// (`$k1`), otherwise `k1`, `k2`, … in order of appearance; `legend()` says which key
    /// each name stands for. Short keys that no variable names are written as they are.
    public func lines() -> [Line] { written().lines }

    /// Which key each name in `lines()` stands for, as a note over every lifeline
    /// (`nil` when the lines name no key). Drawn last, once every key is known.
    public func legend() -> Line? {
        let named = written().namer.legend
        guard !named.isEmpty else { return nil }
        let entries = named.map { "\($0.name) = \(KeyNamer.shown($0.key))" }
        let text = UntrustedText.escaped("keys: " + entries.joined(separator: ", "))
        return Line(kind: .note(from: .shopper, to: .stripe), text: text, tone: .plain, step: lastStep)
    }

    /// The lines, then the legend: what the pictures draw.
    public func linesWithLegend() -> [Line] { lines() + (legend().map { [$0] } ?? []) }

    /// The index of the last step, for the legend's place.
    private var lastStep: Int {
        items.reduce(0) { last, item in if case .step(let index, _) = item { index } else { last } }
    }

    /// The lines, and the namer that wrote them (to name keys the same way elsewhere).
    func written() -> (lines: [Line], namer: KeyNamer) {
        var namer = KeyNamer(variables: variables)
        var lines: [Line] = []
        var step = 0
        for item in items {
            switch item {
            case .step(let index, _): step = index
            case .message(let from, let to, let label, let arrow, let tone):
                lines.append(Line(kind: .message(from: from, to: to, arrow), text: namer.write(label), tone: tone, step: step))
            case .note(let from, let to, let label, let tone):
                lines.append(Line(kind: .note(from: from, to: to), text: namer.write(label), tone: tone, step: step))
            }
        }
        return (lines, namer)
    }
}

/// Names keys for people: `$k1` for a scenario variable, `k2` for the others.
struct KeyNamer {
    private var names: [String: String] = [:]
    private var taken: Set<String>
    private var next = 1
    /// Every named key, in order of first appearance.
    private(set) var legend: [(name: String, key: String)] = []

    /// Keys at most this long, and named by no variable, are written as they are.
    static let verbatimLength = 16

    init(variables: [String: String]) {
        for (name, key) in variables.sorted(by: { $0.key < $1.key }) where names[key] == nil { names[key] = "$" + name }
        taken = Set(variables.keys)
    }

    mutating func write(_ label: SequenceDiagram.Label) -> String {
        var out = ""
        for part in label.parts {
            switch part {
            case .text(let text): out += text
            case .key(let key): out += name(key)
            }
        }
        return UntrustedText.escaped(out)
    }

    /// The key's short name (the legend gives the key itself).
    mutating func name(_ key: String) -> String {
        if names[key] == nil {
            if key.count <= Self.verbatimLength { return "\"\(key)\"" }
            while taken.contains("k\(next)") { next += 1 }
            names[key] = "k\(next)"
            taken.insert("k\(next)")
        }
        let name = names[key]!
        if !legend.contains(where: { $0.key == key }) { legend.append((name, key)) }
        return name
    }

    /// A key as the legend shows it: whole up to a UUID's length, else its start and its length.
    static func shown(_ key: String) -> String {
        key.count <= 36 ? key : "\(key.prefix(36))… (\(key.count) characters)"
    }
}
