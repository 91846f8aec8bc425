import CheckoutCore
import Foundation
import Scenarios
import Simulation
import Testing
@testable import Explorer

@Suite("Explorer search")
struct ExplorerSearchTests {
    private func moves(_ names: [String]) throws -> [Move] {
        try names.map { name in try #require(Alphabet.all.first { $0.name == name }) }
    }

    private func finding(_ result: ExploreResult, _ name: String) -> Finding? {
        result.findings.first { $0.invariant.name == name }
    }

    @Test("orphan_intent at depth 3: the first reply dropped, then checkout twice")
    func orphanAtDepthThree() throws {
        let configuration = ExploreConfiguration(depth: 3, moves: try moves(["checkout", "drop_response"]))
        let result = Explorer(configuration).run()
        let orphan = try #require(finding(result, "orphan_intent"))
        #expect(orphan.moves.map(\.name) == ["drop_response", "checkout", "checkout"])
        let everything = Explorer(ExploreConfiguration(depth: 3, moves: Alphabet.all,
                                                       invariants: try Invariant.select(["orphan_intent"]))).run()
        #expect(finding(everything, "orphan_intent")?.depth == 3, "no shorter sequence with every move")
    }

    @Test("duplicate_sessions for the legacy client at depth 2: checkout twice")
    func legacyDuplicates() throws {
        let result = Explorer(ExploreConfiguration(depth: 2, client: .legacy)).run()
        let duplicates = try #require(finding(result, "duplicate_sessions"))
        #expect(duplicates.moves.map(\.name) == ["checkout", "checkout"])
    }

    @Test("double_charge with the standard client to depth 5: paid in another tab, then paid again here")
    func doubleCharge() throws {
        let result = Explorer(ExploreConfiguration(depth: 5, invariants: try Invariant.select(["double_charge"]))).run()
        let charge = try #require(finding(result, "double_charge"))
        #expect(charge.moves.map(\.name) == ["checkout", "mark_paid", "checkout", "pay"])
        #expect(charge.distinct >= 1)
    }

    @Test("the findings do not depend on the number of workers")
    func deterministic() throws {
        let one = Explorer(ExploreConfiguration(depth: 3, workers: 1)).run()
        let two = Explorer(ExploreConfiguration(depth: 3, workers: 2)).run()
        #expect(one.findings.map(\.path) == two.findings.map(\.path))
        #expect(one.findings.map(\.distinct) == two.findings.map(\.distinct))
        #expect(one.distinct == two.distinct)
        #expect(one.perDepth == two.perDepth)
    }

    @Test("pruning: a state reached twice is expanded once")
    func pruning() throws {
        // add_item then cash_on_delivery, or the other way round: one state; and cash twice is cash once.
        let result = Explorer(ExploreConfiguration(depth: 2, moves: try moves(["add_item", "cash_on_delivery"]))).run()
        #expect(result.perDepth.map(\.states) == [2, 4])
        #expect(result.perDepth.map(\.distinct) == [2, 2])
        #expect(result.distinct == 1 + 2 + 2)
    }

    @Test("a budget stops the search cleanly and says how far it got")
    func budget() throws {
        let result = Explorer(ExploreConfiguration(depth: 12, budgetSeconds: 0.3)).run()
        #expect(result.stoppedByBudget)
        #expect(result.completedDepth < 12)
        #expect(result.seconds < 10)
    }

    @Test("the shrinker cuts a long sequence to a minimal one")
    func shrink() throws {
        let configuration = ExploreConfiguration(moves: Alphabet.all)
        let index = { (name: String) in configuration.moves.firstIndex { $0.name == name }! }
        let long = ["add_item", "refresh", "checkout", "retry", "mark_paid", "wait_25h", "checkout", "pay"].map(index)
        let charge = try #require(Invariant.all.first { $0.name == "double_charge" })
        let shrunk = Shrinker(configuration: configuration).shrink(long, breaking: charge)
        #expect(shrunk.map { configuration.moves[$0].name } == ["checkout", "mark_paid", "checkout", "pay"])
        #expect(Shrinker(configuration: configuration).firstBreak([index("checkout")], charge) == nil)
    }

    @Test("fingerprints rename keys by first appearance: two seeds, one state")
    func canonicalKeys() {
        var setup = ScenarioSetup()
        let a = ScenarioRunner.simulation(for: setup, seed: 1)
        setup.seed = 2
        let b = ScenarioRunner.simulation(for: setup, seed: 2)
        for simulation in [a, b] {
            simulation.apply(.checkout(clicks: 1))
            simulation.runUntilIdle()
        }
        #expect(a.storedKey != b.storedKey)
        #expect(Fingerprint(a, history: CartHistory()) == Fingerprint(b, history: CartHistory()))
        b.apply(.addItem(sku: "MUG", qty: 1))
        #expect(Fingerprint(a, history: CartHistory()) != Fingerprint(b, history: CartHistory()))
    }

    @Test("a forked simulation goes its own way")
    func fork() throws {
        let simulation = ExploreConfiguration().makeSimulation()
        simulation.apply(.checkout(clicks: 1))
        simulation.runUntilIdle()
        let copy = try #require(simulation.fork())
        copy.apply(.pay(card: TestCard.succeeds.rawValue))
        #expect(copy.storedKey == nil)
        #expect(simulation.storedKey != nil)
        #expect(simulation.snapshot.counters.paid == 0)
        #expect(copy.snapshot.counters.paid == 1)
        #expect(Fingerprint(simulation, history: CartHistory()) == Fingerprint(simulation.fork()!, history: CartHistory()))
    }
}
