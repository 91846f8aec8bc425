import CheckoutCore
import MockBackend
import Simulation
import Testing
@testable import WireLint

/// The lint judges a client against a chosen policy: each simulated policy is clean against
/// itself, and the seed's recovery is a finding against a policy that stops.
@Suite struct PolicyLintTests {
    /// The verdicts for `actions` played by a `client` client and judged against `judgedAs`.
    static func lint(_ client: ClientPolicy, judgedAs: ClientPolicy, _ actions: [Action], seed: UInt64 = 1) -> [Verdict] {
        let simulation = Simulation(configuration: SimulationConfiguration(seed: seed, client: ClientSettings(policy: client)))
        for action in actions { simulation.apply(action) }
        var linter = WireLinter(policy: judgedAs)
        linter.read((try? simulation.backend.store.journal(after: 0, limit: .max)) ?? [])
        return linter.report(nowMillis: simulation.clock.nowMillis + 60_000).verdicts
    }

    /// Another tab pays; this tab checks out again, then starts a new order.
    static let paidElsewhere: [Action] = [
        .addItem(sku: "MUG", qty: 1), .checkout(clicks: 1), .wait(millis: 15_000), .arm(RuleSpec(.markPaid)),
        .checkout(clicks: 1), .wait(millis: 15_000), .startNewOrder, .wait(millis: 15_000), .addItem(sku: "MUG", qty: 1),
        .checkout(clicks: 1), .wait(millis: 15_000),
    ]

    @Test("every policy is clean when judged against itself", arguments: ClientPolicy.all, 0..<25)
    func cleanAgainstItself(policy: ClientPolicy, seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        // No start_new_order among them: starting over without the key of an open session is what
        // rule 1 is about, whatever the policy (the tests below play it where a policy calls for it).
        let actions = SimulatedClientLintTests.randomActions(&generator, count: 30)
        let verdicts = Self.lint(policy, judgedAs: policy, actions, seed: seed)
        #expect(verdicts == [], "\(policy) seed \(seed): \(actions.map(\.summary).joined(separator: ", "))")
    }

    @Test("the policies that stop are clean after \"Payment already completed\"", arguments: [ClientPolicy.confirmNewOrder, .paidClearsCart])
    func stoppingPolicies(policy: ClientPolicy) {
        #expect(Self.lint(policy, judgedAs: policy, Self.paidElsewhere) == [])
    }

    @Test("judged against the seed, a client that stops misses its retry")
    func stopJudgedAsStandard() {
        let verdicts = Self.lint(.confirmNewOrder, judgedAs: .standard, Self.paidElsewhere)
        #expect(verdicts.map(\.rule) == [.retryOnceAfterCompleted])
        #expect(verdicts.first?.message.contains("no retry") == true)
    }

    @Test("judged against confirm-new-order, the seed's retry is a finding")
    func standardJudgedAsConfirm() {
        let verdicts = Self.lint(.standard, judgedAs: .confirmNewOrder, Array(Self.paidElsewhere.prefix(6)))
        #expect(verdicts.map(\.rule) == [.retryOnceAfterCompleted])
        #expect(verdicts.first?.message.contains("which the confirm-new-order client does not do") == true)
    }

    @Test("judged against legacy, a client that never sends a key is not a warning")
    func legacyAgainstLegacy() {
        let actions: [Action] = [.addItem(sku: "MUG", qty: 1), .checkout(clicks: 1), .wait(millis: 15_000), .checkout(clicks: 1)]
        #expect(Self.lint(.legacy, judgedAs: .standard, actions).map(\.rule) == [.legacyClient])
        #expect(Self.lint(.legacy, judgedAs: .legacy, actions) == [])
    }

    @Test("the lint takes the simulated shopper's timeout: a 2 s deadline makes a 3 s reply lost")
    func clientTimeout() {
        let simulation = Simulation(configuration: SimulationConfiguration(seed: 3, clientTimeoutMillis: 2_000))
        for action: Action in [.addItem(sku: "MUG", qty: 1), .checkout(clicks: 1), .wait(millis: 15_000),
                               .arm(RuleSpec(.latency(millis: 3_000))), .checkout(clicks: 1), .wait(millis: 15_000)] {
            simulation.apply(action)
        }
        let journal = (try? simulation.backend.store.journal(after: 0, limit: .max)) ?? []
        var matching = WireLinter(clientTimeoutMillis: 2_000)
        matching.read(journal)
        #expect(matching.builder.allExchanges.map(\.deadlineMillis) == [2_000, 2_000])
        var defaulted = WireLinter()
        defaulted.read(journal)
        #expect(defaulted.builder.allExchanges.first?.deadlineMillis == ClientPolicy.defaultTimeoutMillis)
    }
}
