import CheckoutCore
import Foundation
import HTTPTypes
import Hummingbird
import MockBackend
import Scenarios
import Simulation
import Synchronization

/// The admin API under `/__admin/` (WireMock's convention), for test code:
/// rules in the scenario format's `backend:` form as JSON, the journal, sessions,
/// the clock. Bad input gets 400 with the message a scenario file would get.
struct AdminAPI: Sendable {
    let host: BackendHost

    /// Longest wait a long poll of the journal may ask for.
    static let maxWaitMillis = 30_000
    /// Most journal entries in one reply.
    static let pageSize = 1_000

    func register(on router: Router<ServerContext>) {
        let admin = router.group("__admin")
        admin.get("health") { _, _ in AdminReply.json(["status": "ok"]) }
        admin.get("rules") { _, _ in AdminReply.json(rulesBody()) }
        admin.post("rules") { request, context in try await armRules(request, context) }
        admin.delete("rules") { _, _ in
            host.changing { backend, _ in backend.disarmAll() }
            return AdminReply.json(rulesBody())
        }
        admin.post("reset") { _, _ in
            do {
                try host.changing { backend, _ in try backend.removeEverything() }
                host.resetLint()
            } catch {
                return AdminReply.error(.internal, "reset failed: \(error)")
            }
            return AdminReply.json(["reset": "done"])
        }
        admin.get("journal") { request, context in try await journal(request, context) }
        admin.get("sessions") { _, _ in sessions() }
        admin.get("lint") { _, _ in AdminReply.json(host.lint()) }
        admin.post("clock") { request, context in try await advanceClock(request, context) }
        admin.post("mark-paid") { request, context in try await markPaid(request, context) }
    }

    // MARK: - Rules

    private func armRules(_ request: Request, _ context: ServerContext) async throws -> Response {
        let text: String
        switch await AdminReply.bodyText(request, context) {
        case .value(let body): text = body
        case .reply(let reply): return reply
        }
        let actions: [Action]
        do {
            actions = try ScenarioParser.backendActions(yaml: text, file: "request body")
        } catch let error as ScenarioParseError {
            return AdminReply.error(.invalidArgument, error.description)
        }
        // Counted before the backend's lock is taken: a refused body never waits for it.
        guard actions.count <= MockBackend.maxRulesPerBatch else {
            return AdminReply.error(.resourceExhausted, BackendBatchRefusal.tooManyRules(actions.count).description, status: 413)
        }
        let effects: [String]
        do {
            effects = try host.changing { backend, now in try backend.apply(backend: actions, nowMillis: now) }
        } catch let refusal as BackendBatchRefusal {
            return AdminReply.error(.resourceExhausted, refusal.description, status: 413)
        } catch {
            return AdminReply.error(.unavailable, "the rules could not be armed: \(error)")
        }
        var body = rulesBody()
        body.effects = effects
        return AdminReply.json(body, status: 201)
    }

    private func rulesBody() -> RulesBody {
        host.withBackend { backend, _ in
            backend.refreshRules()
            return RulesBody(rules: backend.rules.rules.enumerated().map { index, rule in
                RulesBody.Rule(position: index + 1, rule: RuleSpec(rule.kind, rule.firing), remaining: rule.remaining, label: rule.queueLabel)
            })
        }
    }

    // MARK: - Journal and sessions

    private func journal(_ request: Request, _ context: ServerContext) async throws -> Response {
        let query = request.uri.queryParameters
        guard let after = Int64(query["after"].map(String.init) ?? "0"), after >= 0 else {
            return AdminReply.error(.invalidArgument, "after must be a journal number (0 or more)")
        }
        guard let wait = Int(query["wait"].map(String.init) ?? "0"), (0...Self.maxWaitMillis).contains(wait) else {
            return AdminReply.error(.invalidArgument, "wait must be 0 to \(Self.maxWaitMillis) milliseconds")
        }
        let until = ContinuousClock.now + .milliseconds(wait)
        // A long poll is a held request: the connection guard closes it when its client leaves or
        // the server stops, and the close wakes the poll, which then ends.
        let gone = ConnectionGone()
        if wait > 0 {
            context.channel.triggerUserOutboundEvent(HoldingRequest(), promise: nil)
            context.channel.closeFuture.whenComplete { [signal = host.journalSignal] _ in
                gone.set()
                signal.notify()
            }
        }
        while true {
            // Taken before the read: a batch committed after it wakes the wait below.
            let seen = host.journalSignal.current
            let entries: [JournalEntry]
            let pruning: JournalPruning
            do {
                (entries, pruning) = try host.withBackend { backend, _ in
                    (try backend.store.journal(after: after, limit: Self.pageSize), try backend.store.journalPruning())
                }
            } catch {
                return AdminReply.error(.unavailable, "the journal cannot be read: \(error)")
            }
            let left = until - ContinuousClock.now
            if !entries.isEmpty || left <= .zero || host.journalSignal.isStopped || gone.isSet {
                return WireReply.response(200, "application/json",
                                          JournalBody.render(entries, last: entries.last?.sequence ?? after, pruning: pruning))
            }
            // This process's commits wake it; another process's (a second serve, the TUI's own
            // backend) are seen within `otherProcessCheck`.
            await host.journalSignal.wait(after: seen, timeout: min(left, Self.otherProcessCheck))
        }
    }

    /// How soon a long poll sees what another process on the same state directory journaled.
    static let otherProcessCheck = Duration.seconds(1)

    private func sessions() -> Response {
        do {
            let body = try host.withBackend { backend, _ in
                SessionsBody(sessions: try backend.store.recentSessions(limit: 1_000).map(SessionsBody.Session.init),
                             paymentIntents: try backend.store.recentIntents(limit: 1_000).map(SessionsBody.Intent.init),
                             counters: SessionsBody.Counters(try backend.store.counters()))
            }
            return AdminReply.json(body)
        } catch {
            return AdminReply.error(.unavailable, "the backend cannot be read: \(error)")
        }
    }

    // MARK: - Clock and payments elsewhere

    private func advanceClock(_ request: Request, _ context: ServerContext) async throws -> Response {
        struct Body: Decodable { var advance: String }
        let body: Body
        switch await AdminReply.decode(Body.self, request, context, example: #"{"advance": "25h"}"#) {
        case .value(let decoded): body = decoded
        case .reply(let reply): return reply
        }
        guard let millis = Duration.millis(parsing: body.advance) else {
            return AdminReply.error(.invalidArgument, "advance takes a duration such as 500ms, 2s, 25h, not \"\(UntrustedText.escaped(body.advance, limit: 40))\"")
        }
        do {
            return AdminReply.json(["now": try host.advanceClock(millis: millis)])
        } catch {
            return AdminReply.error(.unavailable, "the clock cannot be moved: \(error)")
        }
    }

    private func markPaid(_ request: Request, _ context: ServerContext) async throws -> Response {
        struct Body: Decodable { var key: String }
        let body: Body
        switch await AdminReply.decode(Body.self, request, context, example: #"{"key": "…"}"#) {
        case .value(let decoded): body = decoded
        case .reply(let reply): return reply
        }
        let effect = host.changing { backend, now in backend.arm(.markPaid, storedKey: body.key, nowMillis: now) }
        return AdminReply.json(["effect": UntrustedText.escaped(effect)])
    }
}

/// Set once a long poll's connection has closed (its client left, or the server is stopping).
final class ConnectionGone: Sendable {
    private let closed = Atomic(false)

    func set() { closed.store(true, ordering: .releasing) }
    var isSet: Bool { closed.load(ordering: .acquiring) }
}
