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
    /// The client as the server tells them apart (its cookie or header); `""` when it named none.
    public var client = ""
    /// The request's path and wire protocol (`connect+json`, `grpc-web+proto` …).
    public var path = ""
    public var wireProtocol = ""
    /// The request and the backend's reply as proto3 JSON (`nil`: none, or it did not decode).
    public var requestJSON: String?
    public var responseJSON: String?
    /// The RPC error's message, when the reply was one.
    public var errorMessage: String?
    /// The key the backend put in its reply, also when the wire then lost the reply.
    public var issuedKey: String?
    /// Its number among the rows that came in, given by `WireState.append`: selections hold it.
    public var number = 0

    public init(atMillis: Int64, peer: String, userAgent: String, method: String, keySent: String?, returnedKey: String?,
                outcome: String, ok: Bool, rules: [String], client: String = "", path: String = "", wireProtocol: String = "",
                requestJSON: String? = nil, responseJSON: String? = nil, errorMessage: String? = nil, issuedKey: String? = nil) {
        self.atMillis = atMillis
        self.peer = peer
        self.userAgent = userAgent
        self.method = method
        self.keySent = keySent
        self.returnedKey = returnedKey
        self.outcome = outcome
        self.ok = ok
        self.rules = rules
        self.client = client
        self.path = path
        self.wireProtocol = wireProtocol
        self.requestJSON = requestJSON
        self.responseJSON = responseJSON
        self.errorMessage = errorMessage
        self.issuedKey = issuedKey
    }

    /// Whether it is a validation (the RPC that carries keys).
    var isValidation: Bool { method == "ValidateOrderItemsInsert" }
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

    /// How many rows came in so far: the next one's number is this plus one.
    public private(set) var received = 0

    /// Adds requests that came in, numbered from 1, dropping the oldest beyond `capacity`.
    public mutating func append(_ new: [WireRow]) {
        for var row in new {
            received += 1
            row.number = received
            rows.append(row)
        }
        if rows.count > Self.capacity { rows.removeFirst(rows.count - Self.capacity) }
    }
}

extension View {
    /// A real client's request in the timeline (`serve`): who, which key went out, what came back.
    /// The rules that fired come before who sent it: a long user agent is what gets cut.
    static func wireRow(_ row: WireRow, selected: Bool = false, _ grid: inout Grid, _ inner: Rect, y: Int) {
        let right = inner.x + inner.width
        let base: CellStyle = selected ? .selected : .plain
        grid.fill(x: inner.x, y: y, width: inner.width, height: 1, style: base)
        var x = inner.x + 1
        x += grid.put("⇄ ", x: x, y: y, style: selected ? .selected : .info)
        let method = row.isValidation ? "validate" : row.method
        let key = row.isValidation ? " key \(Format.shortKey(row.keySent)) → " : " → "
        x += grid.put("\(Format.time(row.atMillis)) \(method)\(key)", x: x, y: y, style: base, maxWidth: right - x)
        x += grid.put(row.outcome, x: x, y: y, style: selected ? .selected : row.ok ? .success : .error, maxWidth: max(right - x, 0))
        if let returned = row.returnedKey, x < right {
            grid.put(" ↩ \(Format.shortKey(returned))", x: x, y: y, style: base, maxWidth: right - x)
        }
        let rules = row.rules.isEmpty ? "" : "rule: " + row.rules.joined(separator: ", ") + " · "
        grid.put("   \(rules)\(row.peer) \(UntrustedText.escaped(row.userAgent, limit: 60))", x: inner.x + 1, y: y + 1, style: .dim,
                 maxWidth: inner.width - 1)
    }
}
