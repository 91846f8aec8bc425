import CheckoutCore
import WireLint

/// One request a real client sent to `serve`, as the timeline shows it.
public struct WireRow: Equatable, Sendable {
    public var atMillis: Int64
    /// `127.0.0.1:53012`.
    public var peer: String
    public var userAgent: String
    /// `ValidateOrderItemsInsert`.
    public var method: String
    /// The key the request carried (validations only).
    public var keySent: String?
    /// The key the reply carried.
    public var returnedKey: String?
    /// `ok`, `failed_precondition`, `dropped`, `reset` …
    public var outcome: String
    public var ok: Bool
    public var rules: [String]

    public init(atMillis: Int64, peer: String, userAgent: String, method: String, keySent: String?, returnedKey: String?,
                outcome: String, ok: Bool, rules: [String]) {
        self.atMillis = atMillis
        self.peer = peer
        self.userAgent = userAgent
        self.method = method
        self.keySent = keySent
        self.returnedKey = returnedKey
        self.outcome = outcome
        self.ok = ok
        self.rules = rules
    }
}

/// `serve`'s part of the screen: where it listens and what came in.
public struct WireState: Equatable, Sendable {
    /// `http://127.0.0.1:8787`, or why it is not listening.
    public var listening: String
    /// The newest last, at most `capacity`.
    public var rows: [WireRow] = []
    public static let capacity = 200
    /// The lint of every client so far (`nil` until first judged).
    public var lint: LintReport?
    /// Shown above the timeline: the server is reachable from other machines, and the admin API's token.
    public var warning: String?

    public init(listening: String) {
        self.listening = listening
    }

    /// Adds requests that came in, dropping the oldest beyond `capacity`.
    public mutating func append(_ new: [WireRow]) {
        rows.append(contentsOf: new)
        if rows.count > Self.capacity { rows.removeFirst(rows.count - Self.capacity) }
    }
}

extension View {
    /// A real client's request in the timeline (`serve`): who, which key went out, what came back.
    static func wireRow(_ row: WireRow, _ grid: inout Grid, _ inner: Rect, y: Int) {
        let right = inner.x + inner.width
        var x = inner.x + 1
        x += grid.put("⇄ ", x: x, y: y, style: .info)
        let method = row.method == "ValidateOrderItemsInsert" ? "validate" : row.method
        let key = row.method == "ValidateOrderItemsInsert" ? " key \(Format.shortKey(row.keySent)) → " : " → "
        x += grid.put("\(Format.time(row.atMillis)) \(method)\(key)", x: x, y: y, maxWidth: right - x)
        x += grid.put(row.outcome, x: x, y: y, style: row.ok ? .success : .error, maxWidth: max(right - x, 0))
        if let returned = row.returnedKey, x < right { grid.put(" ↩ \(Format.shortKey(returned))", x: x, y: y, maxWidth: right - x) }
        let rules = row.rules.isEmpty ? "" : " · rule: " + row.rules.joined(separator: ", ")
        grid.put("   \(row.peer) \(UntrustedText.escaped(row.userAgent, limit: 60))\(rules)", x: inner.x + 1, y: y + 1, style: .dim,
                 maxWidth: inner.width - 1)
    }
}
