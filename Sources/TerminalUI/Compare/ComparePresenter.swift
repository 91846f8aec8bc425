import CheckoutCore
import Scenarios
import Simulation

/// One scenario played under two clients side by side (`demo --compare`): the baseline on
/// the left, the other client on the right, one step on both for each Space. Keys in,
/// a `CompareScreen` out; it never draws.
public struct ComparePresenter {
    public let scenario: Scenario
    /// The two clients, left then right.
    public let clients: [ClientChoice]
    /// Steps played so far (on both sides).
    public private(set) var played = 0
    /// The latest narration.
    public private(set) var caption: String?
    public private(set) var showsHelp = false
    public private(set) var quitRequested = false
    private var sides: [Side]
    private var keyNames = KeyNames()
    /// Each action step played: its number, its words, and what it did on each side.
    private var history: [(step: Int, what: String, outcomes: [StepOutcome])] = []

    /// What one client has played: its playback, the requests of its latest action step,
    /// its latest verdict.
    struct Side {
        var playback: ScenarioPlayback
        var lastRequests: [RequestReport] = []
        /// The latest `expect` step and its failures.
        var verdict: (step: Int, failures: [String])?
    }

    /// What one action step did on one side, for the history.
    struct StepOutcome {
        var requests: [RequestReport]
        var paid: Int
        var storedKey: String?
    }

    /// `scenario` under the baseline and under `other`, from its own setup otherwise.
    public init(scenario: Scenario, against other: ClientChoice, seedOverride: UInt64? = nil) {
        self.scenario = scenario
        clients = [ClientChoices.baseline, other]
        sides = clients.map { client in
            var played = scenario
            played.setup = ClientChoices.setup(scenario.setup, playedBy: client)
            return Side(playback: ScenarioPlayback(simulation: ScenarioRunner(seedOverride: seedOverride).makeSimulation(for: played)))
        }
        caption = PresenterState.introduction(scenario)
    }

    public var isFinished: Bool { played >= scenario.steps.count }

    /// The keys of this screen, in the help's order: one table drives dispatch and help.
    public static let keys: [(label: String, key: KeyPress, description: String)] = [
        ("Space", .character(" "), "next step, on both sides"),
        ("?", .character("?"), "help"),
        ("q / Esc", .character("q"), "quit"),
    ]

    /// Handles one key.
    public mutating func handle(_ key: KeyPress) {
        if showsHelp, key != .character("?"), key != .character("q") {
            showsHelp = false
            return
        }
        switch key {
        case .character(" "), .enter, .right: next()
        case .character("?"): showsHelp.toggle()
        case .character("q"), .escape: quitRequested = true
        default: break
        }
    }

    /// Plays the next step on both sides.
    public mutating func next() {
        guard !isFinished else { return }
        let step = scenario.steps[played]
        played += 1
        if case .say(let text) = step.kind { caption = PresenterState.withoutStepCounter(text) }
        var outcomes: [StepOutcome] = []
        for index in sides.indices {
            let failures = sides[index].playback.perform(step, index: played)
            let report = sides[index].playback.reports.last
            switch step.kind {
            case .action: sides[index].lastRequests = report?.requests ?? []
            case .expect: sides[index].verdict = (played, failures.map(\.message))
            case .say: break
            }
            for request in report?.requests ?? [] {
                keyNames.note(request.key)
                keyNames.note(request.returnedKey)
            }
            keyNames.note(report?.storedKey)
            if let report { outcomes.append(StepOutcome(requests: report.requests, paid: report.backend.paid, storedKey: report.storedKey)) }
        }
        if case .action = step.kind { history.append((played, Self.describe(step), outcomes)) }
    }

    /// Everything the comparison screen shows.
    public func screen() -> CompareScreen {
        let step = played > 0 ? scenario.steps[played - 1] : nil
        let views = zip(clients, sides).map { client, side in
            let snapshot = side.playback.simulation.snapshot
            return CompareSide(
                client: ClientChoices.name(of: client),
                key: keyNames.label(snapshot.storedKey),
                cart: snapshot.cart.isEmpty ? "empty" : "\(snapshot.cart.count) line\(snapshot.cart.count == 1 ? "" : "s")",
                payment: snapshot.payment.rawValue,
                toast: snapshot.toast.map { "\($0.kind.rawValue): \($0.message)" } ?? "none",
                requests: side.lastRequests.map { keyNames.describe($0) },
                paid: snapshot.counters.paid,
                sessions: snapshot.counters.sessions,
                verdict: side.verdict.map { verdict in
                    "expect, step \(verdict.step): " + (verdict.failures.isEmpty ? "✓ holds" : "✗ " + verdict.failures.joined(separator: "; "))
                })
        }
        let rows = history.map { entry in
            CompareHistoryRow(step: entry.step, what: entry.what, outcomes: entry.outcomes.map(summary))
        }
        return CompareScreen(title: scenario.name, played: played, total: scenario.steps.count,
                             step: step.map(Self.describe), caption: caption, sides: views, history: rows,
                             showsHelp: showsHelp, finished: isFinished)
    }

    /// `paid 1 · stored k1 · key k1 → ok, key k1`: one side of a history row.
    private func summary(_ outcome: StepOutcome) -> String {
        let requests = outcome.requests.isEmpty ? "no request" : outcome.requests.map { keyNames.describe($0) }.joined(separator: "; ")
        let stored = keyNames.name(outcome.storedKey)
        return "paid \(outcome.paid) · stored \(stored) · \(requests)"
    }

    /// `do checkout`, `backend mark_paid`, `say`, `expect`.
    static func describe(_ step: ScenarioStep) -> String {
        switch step.kind {
        case .say: "say"
        case .action(let action, _): action.isBackend ? "backend: \(action.summary)" : "do: \(action.summary)"
        case .expect: "expect"
        }
    }
}

/// Keys named in order of first appearance across both sides (`k1`, `k2`…): the same
/// key has the same name on both sides, so "k2 on the left, k1 on the right" means something.
struct KeyNames {
    private var names: [String: String] = [:]

    mutating func note(_ key: String?) {
        guard let key, !key.isEmpty, names[key] == nil else { return }
        names[key] = "k\(names.count + 1)"
    }

    /// `k1 (afcd1d7b…)`, or `none`.
    func label(_ key: String?) -> String {
        guard let key, !key.isEmpty else { return "none" }
        return "\(name(key)) (\(key.prefix(8))…)"
    }

    /// `k1`, or `none`.
    func name(_ key: String?) -> String {
        guard let key, !key.isEmpty else { return "none" }
        return names[key] ?? "?"
    }

    /// `k1 → payment_already_completed`, `no key → ok, key k2`.
    func describe(_ request: RequestReport) -> String {
        let sent = request.key.flatMap { names[$0] }.map { "key \($0)" } ?? "no key"
        let returned = request.returnedKey.flatMap { names[$0] }.map { ", key \($0)" } ?? ""
        return "\(sent) → \(request.result)\(returned)"
    }
}
