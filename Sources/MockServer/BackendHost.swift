import CheckoutCore
import Foundation
import MockBackend
import NIOConcurrencyHelpers
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

    /// The journal's line for it (its JSON is built here, off the backend's lock).
    var journalArrival: JournalArrival {
        JournalArrival(peer: peer, userAgent: userAgent, path: path, wireProtocol: format.rawValue, bytes: bodyBytes,
                       client: client.id, newClient: client.isNew, deadlineMillis: deadlineMillis)
    }
}

/// One request the server answered, for a live front end (the TUI's timeline).
public struct WireEvent: Sendable, Equatable {
    public var arrival: Arrival
    public var method: RPCMethod { request.method }
    /// The request, as the backend took it.
    public var request: BackendRequest
    /// What the backend decided, before the wire's fault.
    public var reply: TransportReply
    public var firedRules: [String]
    public var wireFault: RuleKind?
    public var atMillis: Int64
    /// The reply as the backend produced it when a wire fault then lost or garbled it
    /// (the TUI's details show what the client never got); `nil` otherwise.
    public var intact: Data? = nil
}

/// The one owner of the mock backend in a `serve` process: every RPC and admin
/// call goes through its lock, so concurrent requests never interleave inside
/// the backend. (Other processes on the same state directory meet it through
/// SQLite's transactions, as two browser tabs would.)
///
/// RPCs are committed in groups: calls that arrive while a batch is being written
/// queue up, and the next batch handles them in arrival order inside one write
/// transaction (each call's own writes in a savepoint of it), so one commit covers
/// them all. A call's reply is handed back only once its batch has committed, so
/// nothing is answered that is not stored. Every batch runs on a serial queue of its
/// own, never on the caller's thread: Swift's few concurrency threads go on decoding
/// and answering requests meanwhile.
///
/// Three locks, each holding what it guards: `served` (the backend, its listeners),
/// `linting` (the lint's reading of the journal) and `waiting` (the calls waiting for a
/// batch). One is taken inside another only in this order: `linting`, then `served`,
/// then `waiting`. (`@unchecked Sendable`: the backend is not `Sendable`, and is only
/// reached inside `served`'s lock.)
public final class BackendHost: @unchecked Sendable {
    /// What the backend's lock guards.
    private struct Served {
        let backend: MockBackend
        var listeners: [@Sendable (WireEvent) -> Void] = []
        /// Batches handled so far.
        var batchesRun = 0
    }

    /// Calls waiting for the next batch, in arrival order, and whether the batch queue is running.
    private struct Waiting {
        var calls: [PendingCall] = []
        var draining = false
        var held = false
    }

    private let served: NIOLockedValueBox<Served>
    /// The lint, fed the journal as far as it was last asked to judge.
    private let linting: NIOLockedValueBox<WireLinter>
    /// The client policy the lint judges every client against (`serve --client`).
    public let lintPolicy: ClientPolicy
    private let waiting = NIOLockedValueBox(Waiting())
    private let wallClock: @Sendable () -> Int64
    private let batchQueue = DispatchQueue(label: "checkout-sim.backend-batches")
    /// Wakes the journal's long polls when this process journals something.
    let journalSignal = JournalSignal()

    /// At most this many calls share one transaction, so that a long queue is answered in steps.
    static let maxBatch = 64

    /// Serves `backend`; `wallClock` is the time in milliseconds (tests pass a fixed one);
    /// the lint judges the clients against `lintPolicy`.
    public init(backend: MockBackend, wallClock: @escaping @Sendable () -> Int64 = BackendHost.systemMillis,
                lintPolicy: ClientPolicy = .standard) {
        served = NIOLockedValueBox(Served(backend: backend))
        self.lintPolicy = lintPolicy
        linting = NIOLockedValueBox(WireLinter(policy: lintPolicy))
        self.wallClock = wallClock
    }

    /// Milliseconds since 1970 by the system clock.
    public static let systemMillis: @Sendable () -> Int64 = { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    /// The backend's now: the wall clock plus what `/__admin/clock` advanced (kept in the
    /// store, so that every process on a state directory has the same now).
    public var nowMillis: Int64 { served.withLockedValue { now($0.backend) } }

    /// Under `served`'s lock. A store that cannot be read leaves the wall clock's time.
    private func now(_ backend: MockBackend) -> Int64 {
        wallClock() + ((try? backend.store.clockOffset()) ?? 0)
    }

    /// Calls `listener` after each RPC (from the server's threads).
    public func observe(_ listener: @escaping @Sendable (WireEvent) -> Void) {
        served.withLockedValue { $0.listeners.append(listener) }
    }

    /// Runs `body` with the backend, alone.
    public func withBackend<T>(_ body: (MockBackend, Int64) throws -> T) rethrows -> T {
        try served.withLockedValue { try body($0.backend, now($0.backend)) }
    }

    /// Runs `body` with the backend, alone, as a change: the journal's long polls are woken after it.
    public func changing<T>(_ body: (MockBackend, Int64) throws -> T) rethrows -> T {
        defer { journalSignal.notify() }
        return try withBackend(body)
    }

    /// Journals the arrival, then lets the backend handle the call; returns once the
    /// batch it joined has committed.
    public func call(_ request: BackendRequest, arrival: Arrival) async -> (delivery: BackendDelivery, journal: Int64) {
        // Built before the queue, off the backend's lock: the journal's lines of the arrival and the request.
        let detail = arrival.journalArrival
        let requestJSON: String? = if case .validation(let message) = request { ProtoJSON.string(message) } else { nil }
        return await withCheckedContinuation { continuation in
            let call = PendingCall(request: request, arrival: arrival, detail: detail, requestJSON: requestJSON, continuation: continuation)
            let starts = waiting.withLockedValue { waiting in
                waiting.calls.append(call)
                guard !waiting.draining, !waiting.held else { return false }
                waiting.draining = true
                return true
            }
            if starts { batchQueue.async { self.drain() } }
        }
    }

    /// Handles batches until no call waits.
    private func drain() {
        while let (batch, outcomes, listeners) = nextBatch() {
            reply(batch, outcomes, listeners)
            journalSignal.notify()
        }
    }

    /// The waiting calls (up to `maxBatch`) handled in one transaction; `nil` when none wait.
    private func nextBatch() -> ([PendingCall], [Outcome], [@Sendable (WireEvent) -> Void])? {
        served.withLockedValue { served in
            // Taken under the backend's lock, so calls that queued while it was busy join this batch.
            let batch = waiting.withLockedValue { waiting in
                guard !waiting.held else {
                    waiting.draining = false
                    return [PendingCall]()
                }
                let batch = Array(waiting.calls.prefix(Self.maxBatch))
                waiting.calls.removeFirst(batch.count)
                if batch.isEmpty { waiting.draining = false }
                return batch
            }
            guard !batch.isEmpty else { return nil }
            served.batchesRun += 1
            return (batch, run(batch, on: served.backend, listened: !served.listeners.isEmpty), served.listeners)
        }
    }

    private func reply(_ batch: [PendingCall], _ outcomes: [Outcome], _ listeners: [@Sendable (WireEvent) -> Void]) {
        for (call, outcome) in zip(batch, outcomes) {
            if !listeners.isEmpty {
                let event = WireEvent(arrival: call.arrival, request: call.request, reply: outcome.delivery.reply,
                                      firedRules: outcome.delivery.firedRules, wireFault: outcome.delivery.wireFault, atMillis: outcome.now,
                                      intact: outcome.delivery.intact)
                for listener in listeners { listener(event) }
            }
            call.continuation.resume(returning: (outcome.delivery, outcome.journal))
        }
    }

    /// One write transaction for the batch (journal, rules, sessions, PaymentIntents):
    /// the backend's own transactions nest inside it as savepoints. Unless a listener
    /// reads them (`listened`), a JSON client's replies are not also encoded to protobuf.
    private func run(_ batch: [PendingCall], on backend: MockBackend, listened: Bool) -> [Outcome] {
        var outcomes: [Outcome] = []
        outcomes.reserveCapacity(batch.count)
        let work = { [backend] (call: PendingCall) -> Outcome in
            // Inside the batch's transaction the store reads the offset once.
            let now = self.now(backend)
            let sequence = (try? backend.store.appendJournal(JournalEntry(atMillis: now, detail: .arrival(call.request.method, call.detail)))) ?? 0
            let options = MockBackend.CallOptions(binaryReply: listened || !call.arrival.format.isJSON, requestJSON: call.requestJSON)
            return Outcome(delivery: backend.handle(call.request, nowMillis: now, options: options), journal: sequence, now: now)
        }
        do {
            try backend.store.transaction {
                for call in batch { outcomes.append(work(call)) }
            }
        } catch where outcomes.isEmpty {
            // No transaction could start (another process held the database past the busy
            // timeout): each call on its own, as the backend does without a host.
            outcomes = batch.map(work)
        } catch {
            // The commit failed: nothing of the batch was stored, so no call is answered as if it were.
            let status = RPCStatus(code: .internal, message: "backend storage error: the batch could not be committed: \(error)")
            outcomes = outcomes.map { Outcome(delivery: BackendDelivery(reply: .failure(status), delayMillis: 0, firedRules: []), journal: 0, now: $0.now) }
        }
        return outcomes
    }

    /// Judges every client on the journal so far (reads only what is new since the last call).
    /// The journal is read a page at a time, so requests go on meanwhile.
    public func lint() -> LintReport {
        linting.withLockedValue { linter in
            while true {
                let after = linter.lastSequence
                let page = withBackend { backend, _ in (try? backend.store.journal(after: after, limit: 2_000)) ?? [] }
                guard !page.isEmpty else { break }
                linter.read(page)
            }
            let pruned = withBackend { backend, _ in (try? backend.store.journalPruning()) ?? .none }
            return linter.report(nowMillis: nowMillis, pruned: pruned)
        }
    }

    /// Forgets what the lint read (after `/__admin/reset` emptied the journal).
    public func resetLint() {
        linting.withLockedValue { $0 = WireLinter(policy: lintPolicy) }
    }

    /// Moves the backend's clock forward (sessions expire 24 h after their last validation).
    public func advanceClock(millis: Int64) throws -> Int64 {
        defer { journalSignal.notify() }
        return try served.withLockedValue { wallClock() + (try $0.backend.store.advanceClock(by: millis)) }
    }

    // MARK: - For tests: several calls in one batch, deterministically

    /// Keeps calls waiting instead of starting a batch, until `releaseBatches()`.
    func holdBatches() { waiting.withLockedValue { $0.held = true } }

    /// Starts a batch with the calls that waited.
    func releaseBatches() {
        let starts = waiting.withLockedValue { waiting in
            waiting.held = false
            guard !waiting.calls.isEmpty, !waiting.draining else { return false }
            waiting.draining = true
            return true
        }
        if starts { batchQueue.async { self.drain() } }
    }

    /// How many calls wait for a batch.
    var waitingCalls: Int { waiting.withLockedValue { $0.calls.count } }

    /// How many batches were handled.
    var batches: Int { served.withLockedValue { $0.batchesRun } }
}

/// A call waiting for its batch.
private struct PendingCall {
    let request: BackendRequest
    let arrival: Arrival
    /// The arrival's journal line.
    let detail: JournalArrival
    /// A validation's journal line (its JSON).
    let requestJSON: String?
    let continuation: CheckedContinuation<(delivery: BackendDelivery, journal: Int64), Never>
}

/// What one call of a batch came to.
private struct Outcome {
    var delivery: BackendDelivery
    var journal: Int64
    var now: Int64
}
