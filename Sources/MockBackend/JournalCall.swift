import CheckoutCore
import Foundation

/// A request as it arrived on the wire (`serve`): who sent it, how, and its size.
/// Its `json` is built once, by hand (it is written for every request), the keys
/// sorted as `JSONEncoder` with `.sortedKeys` writes them; reading uses `Decodable`.
public struct JournalArrival: Equatable, Sendable, Codable {
    /// `127.0.0.1:53012`.
    public private(set) var peer = ""
    public private(set) var userAgent = ""
    public private(set) var path = ""
    /// `connect+json`, `grpc-web`… (`WireFormat`'s raw value).
    public private(set) var wireProtocol = ""
    public private(set) var bytes = 0
    /// The client (cookie or header); `""` without one.
    public private(set) var client = ""
    /// The client's cookie was set by this request's response.
    public private(set) var newClient = false
    /// The client's deadline (`Connect-Timeout-Ms` / `grpc-timeout`), if it sent one.
    public private(set) var deadlineMillis: Int64?
    /// The journal's text for it, as written.
    public private(set) var json = "{}"

    public init(peer: String, userAgent: String, path: String, wireProtocol: String, bytes: Int, client: String = "",
                newClient: Bool = false, deadlineMillis: Int64? = nil) {
        self.peer = peer
        self.userAgent = userAgent
        self.path = path
        self.wireProtocol = wireProtocol
        self.bytes = bytes
        self.client = client
        self.newClient = newClient
        self.deadlineMillis = deadlineMillis
        json = written
    }

    /// Reads a journal's arrival line; what does not decode is left empty (a line another program wrote).
    public init(json: String) {
        self = (try? JSONDecoder().decode(JournalArrival.self, from: Data(json.utf8))) ?? JournalArrival()
        self.json = json
    }

    private init() {}

    enum CodingKeys: String, CodingKey {
        case bytes, client, deadlineMillis = "deadline_ms", newClient = "new_client", path, peer, wireProtocol = "protocol"
        case userAgent = "user_agent"
    }

    public init(from decoder: Decoder) throws {
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        peer = try fields.decodeIfPresent(String.self, forKey: .peer) ?? ""
        userAgent = try fields.decodeIfPresent(String.self, forKey: .userAgent) ?? ""
        path = try fields.decodeIfPresent(String.self, forKey: .path) ?? ""
        wireProtocol = try fields.decodeIfPresent(String.self, forKey: .wireProtocol) ?? ""
        bytes = try fields.decodeIfPresent(Int.self, forKey: .bytes) ?? 0
        client = try fields.decodeIfPresent(String.self, forKey: .client) ?? ""
        newClient = try fields.decodeIfPresent(Bool.self, forKey: .newClient) ?? false
        deadlineMillis = try fields.decodeIfPresent(Int64.self, forKey: .deadlineMillis)
    }

    /// What `written` writes, for `JSONEncoder`.
    public func encode(to encoder: Encoder) throws {
        var fields = encoder.container(keyedBy: CodingKeys.self)
        try fields.encode(bytes, forKey: .bytes)
        if !client.isEmpty { try fields.encode(client, forKey: .client) }
        try fields.encodeIfPresent(deadlineMillis, forKey: .deadlineMillis)
        if newClient { try fields.encode(true, forKey: .newClient) }
        try fields.encode(path, forKey: .path)
        try fields.encode(peer, forKey: .peer)
        try fields.encode(wireProtocol, forKey: .wireProtocol)
        try fields.encode(userAgent, forKey: .userAgent)
    }

    /// The keys in `CodingKeys`' order (sorted); `client` only when known, `new_client` only when true.
    private var written: String {
        var json = JSONText()
        json.append(raw: #"{"bytes":"# + String(bytes))
        if !client.isEmpty {
            json.append(raw: #","client":"#)
            json.append(string: client)
        }
        if let deadlineMillis { json.append(raw: #","deadline_ms":"# + String(deadlineMillis)) }
        if newClient { json.append(raw: #","new_client":true"#) }
        json.append(raw: #","path":"#)
        json.append(string: path)
        json.append(raw: #","peer":"#)
        json.append(string: peer)
        json.append(raw: #","protocol":"#)
        json.append(string: wireProtocol)
        json.append(raw: #","user_agent":"#)
        json.append(string: userAgent)
        json.append(raw: "}")
        return json.text
    }
}

/// An RPC error the backend answered with: Connect's `{code, message}`.
public struct JournalError: Equatable, Sendable, Codable {
    /// The Connect code's name (`failed_precondition`); `unknown` when the line has none.
    public private(set) var code: String
    public private(set) var message: String
    /// The journal's text for it, as written.
    public private(set) var json: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
        json = ProtoJSON.errorJSON(code: code, message: message)
    }

    /// Reads a journal's error line; a missing code is `unknown`, a missing message empty.
    public init(json: String) {
        let read = try? JSONDecoder().decode(JournalError.self, from: Data(json.utf8))
        code = read?.code ?? "unknown"
        message = read?.message ?? ""
        self.json = json
    }

    private enum CodingKeys: String, CodingKey { case code, message }

    public init(from decoder: Decoder) throws {
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        code = try fields.decodeIfPresent(String.self, forKey: .code) ?? "unknown"
        message = try fields.decodeIfPresent(String.self, forKey: .message) ?? ""
        json = ""
    }

    public func encode(to encoder: Encoder) throws {
        var fields = encoder.container(keyedBy: CodingKeys.self)
        try fields.encode(code, forKey: .code)
        try fields.encode(message, forKey: .message)
    }
}
