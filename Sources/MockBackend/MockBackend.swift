import CheckoutCore
import CheckoutProto
import Foundation
import SwiftProtobuf

/// What the backend sends back for one call, and when.
public struct BackendDelivery: Equatable, Sendable {
    /// What the client receives.
    public var reply: TransportReply
    /// How long after sending the client receives it (virtual or real time).
    public var delayMillis: Int64
    /// The rules that fired for this request, by label.
    public var firedRules: [String]
    /// The fault this reply suffers on the way back, for a front end on a real
    /// wire (`serve`): `timeout`, `drop_response`, `garble_response` or
    /// `connection_reset`; `nil` for a plain reply.
    public var wireFault: RuleKind? = nil
    /// The reply as the backend produced it, before a fault changed it (a
    /// garbled or dropped response); `nil` when nothing was produced.
    public var intact: Data? = nil
    /// The proto3 JSON of the response produced (the reply's, or `intact`'s), as the
    /// journal holds it, so that a JSON front end does not encode it again; `nil` when
    /// none was built.
    public var replyJSON: String? = nil

    public init(reply: TransportReply, delayMillis: Int64, firedRules: [String], wireFault: RuleKind? = nil, intact: Data? = nil,
                replyJSON: String? = nil) {
        self.reply = reply
        self.delayMillis = delayMillis
        self.firedRules = firedRules
        self.wireFault = wireFault
        self.intact = intact
        self.replyJSON = replyJSON
    }
}

/// The mock checkout server: it owns the idempotency key lifecycle.
public final class MockBackend {
    /// Sessions expire this long after their last validation.
    public static let sessionLifetimeMillis: Int64 = 24 * 3600 * 1000
    /// How long the client waits before it calls a request lost (the client's rule).
    public static let clientTimeoutMillis: Int64 = ClientPolicy.defaultTimeoutMillis
    /// Stripe's limit on idempotency keys.
    public static let maxKeyLength = 255

    public let store: BackendStore
    public let catalog: Catalog
    /// The armed rules (for a store that shares them, as of the last use: `refreshRules()` reads them anew).
    public internal(set) var rules = RuleQueue()
    /// Keys of requests still being processed, and until when (a latency holds them).
    var inProgress: [String: Int64] = [:]
    /// Keys of requests still being processed, and until when (read-only: the explorer's fingerprint).
    public var keysInProgress: [String: Int64] { inProgress }
    /// Inside `batchingRules`: the queue was read once and is written once at the end.
    var rulesBatched = false
    var randomness: BackendRandomness
    /// Validations that arrived with the key of a session the server had already rotated
    /// away (a stale key: the client kept one it should have overwritten).
    public internal(set) var rotatedKeysReceived = 0

    /// A backend over `store`; `seed` makes keys and probability draws repeat.
    public init(store: BackendStore, catalog: Catalog = .standard, seed: UInt64? = nil) {
        self.store = store
        self.catalog = catalog
        self.randomness = BackendRandomness(seed: seed)
    }

    /// An independent copy over `store` (a copy of this backend's store): the same rules,
    /// keys in progress and random streams. The explorer forks a state with it.
    public func copy(store: BackendStore) -> MockBackend {
        let copy = MockBackend(store: store, catalog: catalog)
        copy.rules = rules
        copy.inProgress = inProgress
        copy.randomness = randomness
        copy.rotatedKeysReceived = rotatedKeysReceived
        return copy
    }

    // MARK: - Rules

    /// Arms `kind`. Immediate rules (`expire_sessions`, `mark_paid`) act now;
    /// `storedKey` is the key the page holds, for `mark_paid`. Returns what happened.
    @discardableResult
    public func arm(_ kind: RuleKind, _ firing: RuleFiring = .once, storedKey: String?, nowMillis: Int64) -> String {
        let effect: RuleEvent
        switch kind {
        case .expireSessions:
            effect = (try? store.transaction { try expireAllOpenSessions(nowMillis: nowMillis) }) ?? .failed(rule: kind)
        case .markPaid:
            effect = (try? store.transaction { try markPaid(key: storedKey, nowMillis: nowMillis) }) ?? .failed(rule: kind)
        default:
            let armed = withSharedRules { queue -> Bool in
                guard queue.rules.count < RuleQueue.capacity else { return false }
                queue.arm(kind, firing)
                return true
            }
            effect = armed ? .armed(rule: RuleSpec(kind, firing)) : .queueFull(capacity: RuleQueue.capacity)
        }
        journal(.rule(effect), nowMillis)
        return effect.text
    }

    /// Removes every armed rule.
    public func disarmAll() { withSharedRules { $0.disarmAll() } }

    /// Removes the armed rule at `position` (1-based, in arming order). Returns what happened.
    @discardableResult
    public func disarm(at position: Int, nowMillis: Int64) -> String {
        guard let rule = withSharedRules({ $0.disarm(at: position) }) else {
            return "no armed rule \(position) (\(rules.rules.count) armed)"
        }
        let effect = RuleEvent.disarmed(rule: rule)
        journal(.rule(effect), nowMillis)
        return effect.text
    }

    /// The `setup.seed` that makes a new backend draw for probability rules what
    /// this one draws from now on (keys differ; recordings name them `$k1`, `$k2`).
    public func seedForReplay() -> UInt64 { randomness.seedForDrawsFromHere() }

    // MARK: - Calls

    /// Handles one RPC, given as the protobuf bytes the client sent, at `nowMillis`.
    public func handle(_ method: RPCMethod, _ bytes: Data, nowMillis: Int64) -> BackendDelivery {
        handle(BackendRequest(method, bytes: bytes), nowMillis: nowMillis)
    }

    /// What a caller already has or needs of a call, beyond its request.
    public struct CallOptions: Sendable {
        /// With `false`, a validation's reply that reaches the client intact carries no
        /// bytes: its JSON (`replyJSON`) is the reply then (for a JSON client, when nobody
        /// else reads the bytes).
        public var binaryReply: Bool
        /// The validation request's journal JSON (`ProtoJSON.string` of it), when the caller
        /// built it already, away from the backend's lock.
        public var requestJSON: String?

        public init(binaryReply: Bool = true, requestJSON: String? = nil) {
            self.binaryReply = binaryReply
            self.requestJSON = requestJSON
        }
    }

    /// Handles one decoded RPC at `nowMillis`.
    public func handle(_ request: BackendRequest, nowMillis: Int64, options: CallOptions = CallOptions()) -> BackendDelivery {
        switch request {
        case .validation(let request): validate(request, nowMillis: nowMillis, options: options)
        case .malformed(.validateOrderItemsInsert): validate(nil, nowMillis: nowMillis, options: options)
        case .payment(let request): BackendDelivery(reply: confirmPayment(request, nowMillis: nowMillis), delayMillis: 0, firedRules: [])
        case .redirect(let request): BackendDelivery(reply: completeRedirect(request, nowMillis: nowMillis), delayMillis: 0, firedRules: [])
        case .malformed:
            BackendDelivery(reply: .failure(RPCStatus(code: .invalidArgument, message: "malformed request")), delayMillis: 0, firedRules: [])
        }
    }

    /// `decoded` is `nil` when the bytes did not decode: the rules are taken all the same.
    private func validate(_ decoded: Checkout_V1_ValidateOrderItemsInsertRequest?, nowMillis: Int64, options: CallOptions) -> BackendDelivery {
        let binaryReply = options.binaryReply
        let draw = { [unowned self] in self.randomness.nextUnit() }
        // The key decides key_in_use before the other rules are taken.
        let sentKey = decoded?.idempotencyKey ?? ""
        let (latency, keyInUse, rule) = withSharedRules { rules in
            let latency = rules.takeLatency(draw: draw)
            // A key another request is still using: refused before any other rule is taken.
            let keyInUse = rules.takeKeyInUse(inUse: isInProgress(sentKey, nowMillis: nowMillis), draw: draw)
            return (latency, keyInUse, keyInUse ? RuleKind.keyInUse : rules.takeNext(draw: draw))
        }
        let firedRules = latency.fired + (rule.map { [$0] } ?? [])
        for kind in firedRules { journal(.rule(.fired(rule: kind)), nowMillis) }
        let fired = firedRules.map(\.label)
        let delay = latency.millis
        if rule != .timeout, !keyInUse { markInProgress(sentKey, until: nowMillis + delay, nowMillis: nowMillis) }

        if rule == .timeout {
            journal(.lost(.validateOrderItemsInsert, .requestLost), nowMillis)
            return BackendDelivery(reply: .timeout, delayMillis: max(delay, Self.clientTimeoutMillis), firedRules: fired,
                                   wireFault: .timeout)
        }
        let method = RPCMethod.validateOrderItemsInsert
        guard let request = decoded else {
            return failure(RPCStatus(code: .invalidArgument, message: "malformed request"), method, delay, fired, nowMillis)
        }
        journal(.request(method, json: options.requestJSON ?? ProtoJSON.string(request)), nowMillis)
        if let injected = rule.flatMap(Self.injectedError) {
            return failure(injected, method, delay, fired, nowMillis)
        }
        let result: Result<Checkout_V1_ValidateOrderItemsInsertResponse, RPCStatus>
        do {
            result = try store.transaction {
                try processValidation(request, rotate: rule == .rotate, nowMillis: nowMillis)
            }
        } catch {
            result = .failure(RPCStatus(code: .internal, message: "backend storage error: \(error)"))
        }
        switch result {
        case .failure(let status):
            return failure(status, method, delay, fired, nowMillis)
        case .success(let response):
            let json = store.keepsJournal || !binaryReply ? ProtoJSON.string(response) : nil
            if let json, store.keepsJournal { journal(.response(method, json: json), nowMillis) }
            // A fault keeps the bytes (`intact`); an intact reply to a JSON client is its JSON.
            let faulted = rule == .dropResponse || rule == .garbleResponse || rule == .connectionReset
            let data = binaryReply || faulted || json == nil ? (try? response.serializedData()) ?? Data() : Data()
            switch rule {
            case .dropResponse:
                journal(.lost(method, .responseLost), nowMillis)
                return BackendDelivery(reply: .timeout, delayMillis: max(delay, Self.clientTimeoutMillis), firedRules: fired,
                                       wireFault: .dropResponse, intact: data)
            case .garbleResponse:
                journal(.lost(method, .responseGarbled), nowMillis)
                return BackendDelivery(reply: .response(Self.garble(data)), delayMillis: delay, firedRules: fired,
                                       wireFault: .garbleResponse, intact: data, replyJSON: json)
            case .connectionReset:
                journal(.lost(method, .connectionReset), nowMillis)
                return BackendDelivery(reply: .failure(Self.connectionResetStatus), delayMillis: delay, firedRules: fired,
                                       wireFault: .connectionReset, intact: data)
            default:
                return BackendDelivery(reply: .response(data), delayMillis: delay, firedRules: fired, replyJSON: json)
            }
        }
    }

    private func failure(_ status: RPCStatus, _ method: RPCMethod, _ delay: Int64, _ fired: [String], _ nowMillis: Int64) -> BackendDelivery {
        journal(.error(method, JournalError(code: status.code.name, message: status.message)), nowMillis)
        return BackendDelivery(reply: .failure(status), delayMillis: delay, firedRules: fired)
    }

    /// The error an injected rule answers with, before anything is created.
    static func injectedError(_ rule: RuleKind) -> RPCStatus? {
        switch rule {
        case .paymentAlreadyCompleted: RPCStatus(code: .failedPrecondition, message: ErrorTable.paymentAlreadyCompletedMessage)
        case .paymentUnavailable: RPCStatus(code: .unavailable, message: "payment unavailable")
        case .failedToCreatePaymentIntent: RPCStatus(code: .internal, message: "failed to create payment intent")
        case .error(let message, let code): RPCStatus(code: code, message: message)
        case .keyInUse: RPCStatus(code: .aborted, message: keyInUseMessage)
        default: nil
        }
    }

    /// What a client sees when the connection is reset: a network error, which
    /// Connect clients report as `unavailable`.
    public static let connectionResetStatus = RPCStatus(code: .unavailable, message: "connection reset by the server")

    /// Stripe's words for `idempotency_key_in_use`.
    public static let keyInUseMessage =
        "idempotency_key_in_use: this key conflicts with another request in progress; try again once it has finished"

    /// Whether a request with `key` is still being processed (its reply not yet sent).
    func isInProgress(_ key: String, nowMillis: Int64) -> Bool {
        guard !key.isEmpty, let until = inProgress[key] else { return false }
        return until > nowMillis
    }

    /// Notes that `key` is in use until the reply to this request leaves.
    func markInProgress(_ key: String, until: Int64, nowMillis: Int64) {
        guard !key.isEmpty, until > nowMillis else { return }
        if inProgress.count > 1_000 { inProgress = inProgress.filter { $0.value > nowMillis } }
        inProgress[key] = max(inProgress[key] ?? 0, until)
    }

    /// Cuts the bytes and leaves a length-delimited field that runs past the
    /// end, so decoding always fails (as a truncated body would).
    static func garble(_ data: Data) -> Data {
        data.prefix(data.count / 2) + Data([0x0A, 0x7F])
    }

    func journal(_ detail: @autoclosure () -> JournalDetail, _ nowMillis: Int64) {
        guard store.keepsJournal else { return }
        _ = try? store.appendJournal(JournalEntry(atMillis: nowMillis, detail: detail()))
    }
}
