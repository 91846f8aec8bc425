import CheckoutCore
import Foundation
import MockBackend
import WireLint

/// Who sent a request, as the wire shows it.
public struct Arrival: Sendable, Equatable {
    /// `127.0.0.1:53012`.
    public var peer: String
    public var userAgent: String
    public var path: String
    public var format: WireFormat
    public var bodyBytes: Int
    /// The client (cookie or header), for the lint.
    public var client: ClientTag
    /// The client's deadline (`Connect-Timeout-Ms` / `grpc-timeout`), if it sent one.
    public var deadlineMillis: Int64?

    public init(peer: String, userAgent: String, path: String, format: WireFormat, bodyBytes: Int,
                client: ClientTag = .none, deadlineMillis: Int64? = nil) {
        self.peer = peer
        self.userAgent = userAgent
        self.path = path
        self.format = format
        self.bodyBytes = bodyBytes
        self.client = client
        self.deadlineMillis = deadlineMillis
    }

    /// The journal's line for it (JSON, so every byte of a hostile user agent is escaped).
    var journalDetail: String {
        struct Fields: Encodable {
            var peer: String
            var user_agent: String
            var path: String
            var `protocol`: String
            var bytes: Int
            var client: String?
            var new_client: Bool?
            var deadline_ms: Int64?
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let fields = Fields(peer: peer, user_agent: userAgent, path: path, protocol: format.rawValue, bytes: bodyBytes,
                            client: client.id.isEmpty ? nil : client.id, new_client: client.isNew ? true : nil, deadline_ms: deadlineMillis)
        return (try? String(decoding: encoder.encode(fields), as: UTF8.self)) ?? "{}"
    }
}

/// One request the server answered, for a live front end (the TUI's timeline).
public struct WireEvent: Sendable, Equatable {
    public var arrival: Arrival
    public var method: RPCMethod
    /// The request as protobuf bytes.
    public var requestBytes: Data
    /// What the backend decided, before the wire's fault.
    public var reply: TransportReply
    public var firedRules: [String]
    public var wireFault: RuleKind?
    public var atMillis: Int64
}

/// The one owner of the mock backend in a `serve` process: every RPC and admin
/// call goes through its lock, so concurrent requests never interleave inside
/// the backend. (Other processes on the same state directory meet it through
/// SQLite's transactions, as two browser tabs would.)
public final class BackendHost: @unchecked Sendable {
    private let lock = NSLock()
    private let backend: MockBackend
    private var clockOffsetMillis: Int64 = 0
    private let wallClock: @Sendable () -> Int64
    private var listeners: [@Sendable (WireEvent) -> Void] = []
    /// The lint, fed the journal as far as it was last asked to judge (guarded by `lintLock`).
    private var linter = WireLinter()
    private let lintLock = NSLock()

    /// Serves `backend`; `wallClock` is the time in milliseconds (tests pass a fixed one).
    public init(backend: MockBackend, wallClock: @escaping @Sendable () -> Int64 = BackendHost.systemMillis) {
        self.backend = backend
        self.wallClock = wallClock
    }

    /// Milliseconds since 1970 by the system clock.
    public static let systemMillis: @Sendable () -> Int64 = { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    /// The backend's now: the wall clock plus what `/__admin/clock` advanced.
    public var nowMillis: Int64 { locked { wallClock() + clockOffsetMillis } }

    /// Calls `listener` after each RPC (from the server's threads).
    public func observe(_ listener: @escaping @Sendable (WireEvent) -> Void) {
        locked { listeners.append(listener) }
    }

    /// Runs `body` with the backend, alone.
    public func withBackend<T>(_ body: (MockBackend, Int64) throws -> T) rethrows -> T {
        try locked { try body(backend, wallClock() + clockOffsetMillis) }
    }

    /// Journals the arrival, then lets the backend handle the call.
    public func call(_ method: RPCMethod, _ bytes: Data, arrival: Arrival) -> (delivery: BackendDelivery, journal: Int64) {
        let (delivery, journal, now, listeners) = locked {
            let now = wallClock() + clockOffsetMillis
            let work = { [backend] () -> (BackendDelivery, Int64) in
                let sequence = (try? backend.store.appendJournal(JournalEntry(atMillis: now, kind: .arrival, method: method.shortName,
                                                                              detail: arrival.journalDetail))) ?? 0
                return (backend.handle(method, bytes, nowMillis: now), sequence)
            }
            // One write transaction for the whole call (journal, rules, session, PaymentIntent):
            // the backend's own transactions nest inside it.
            var outcome: (BackendDelivery, Int64)?
            _ = try? backend.store.transaction { outcome = work() }
            let (delivery, sequence) = outcome ?? work()
            return (delivery, sequence, now, self.listeners)
        }
        let event = WireEvent(arrival: arrival, method: method, requestBytes: bytes, reply: delivery.reply, firedRules: delivery.firedRules,
                              wireFault: delivery.wireFault, atMillis: now)
        for listener in listeners { listener(event) }
        return (delivery, journal)
    }

    /// Judges every client on the journal so far (reads only what is new since the last call).
    /// The journal is read a page at a time, so requests go on meanwhile.
    public func lint() -> LintReport {
        lintLock.lock()
        defer { lintLock.unlock() }
        while true {
            let after = linter.lastSequence
            let page = locked { (try? backend.store.journal(after: after, limit: 2_000)) ?? [] }
            guard !page.isEmpty else { break }
            linter.read(page)
        }
        return linter.report(nowMillis: nowMillis)
    }

    /// Forgets what the lint read (after `/__admin/reset` emptied the journal).
    public func resetLint() {
        lintLock.withLock { linter = WireLinter() }
    }

    /// Moves the backend's clock forward (sessions expire 24 h after their last validation).
    public func advanceClock(millis: Int64) -> Int64 {
        locked {
            clockOffsetMillis += millis
            return wallClock() + clockOffsetMillis
        }
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}

extension RPCMethod {
    /// `ValidateOrderItemsInsert`.
    public var shortName: String { String(rawValue.split(separator: "/").last ?? "") }

    /// The method named by the last path component, or `nil`.
    public init?(shortName: String) {
        guard let match = RPCMethod.allCases.first(where: { $0.shortName == shortName }) else { return nil }
        self = match
    }
}
