import CheckoutCore
import Scenarios
import Testing
@testable import Explorer

@Suite("Explorer under each client policy")
struct PolicyExploreTests {
    private func moves(_ names: [String]) throws -> [Move] {
        try names.map { name in try #require(Alphabet.all(for: .confirmNewOrder).first { $0.name == name }) }
    }

    private func doubleCharge(_ policy: ClientPolicy) throws -> Finding? {
        let configuration = ExploreConfiguration(depth: 4, client: policy, moves: try moves(["checkout", "pay", "start_new_order", "mark_paid"]),
                                                 invariants: try Invariant.select(["double_charge", "retry_loop"]))
        return Explorer(configuration).run().findings.first { $0.invariant.name == "double_charge" }
    }

    @Test("standard pays twice after \"Payment already completed\"")
    func standardBreaks() throws {
        #expect(try doubleCharge(.standard)?.moves.map(\.name) == ["checkout", "mark_paid", "checkout", "pay"])
    }

    @Test("the policies that stop hold double_charge", arguments: [ClientPolicy.confirmNewOrder, .paidClearsCart])
    func fixesHold(policy: ClientPolicy) throws {
        #expect(try doubleCharge(policy) == nil)
    }

    @Test("the default alphabet has start_new_order only where the policy waits for it")
    func alphabet() {
        #expect(ExploreConfiguration(client: .standard).moves.map(\.name) == Alphabet.all.map(\.name))
        #expect(ExploreConfiguration(client: .paidClearsCart).moves.map(\.name) == Alphabet.all.map(\.name))
        #expect(ExploreConfiguration(client: .confirmNewOrder).moves.contains { $0.name == "start_new_order" })
        #expect(throws: Never.self) { try Alphabet.select(actions: ["checkout", "start_new_order"], rules: ["none"]) }
    }

    @Test("retry_loop allows a policy's own retries and no more")
    func retryLoopPerPolicy() {
        let once = StepFacts(clicks: 1, requests: 2)
        let invariant = Invariant.all.first { $0.name == "retry_loop" }!
        #expect(!invariant.isBroken(Observation(client: .standard, lastStep: once)))
        #expect(invariant.isBroken(Observation(client: .confirmNewOrder, lastStep: once)))
        #expect(!invariant.isBroken(Observation(client: .confirmNewOrder, lastStep: StepFacts(clicks: 1, requests: 1))))
    }
}

@Suite("Counterexamples under a policy")
struct PolicyCounterexampleTests {
    @Test("the narration names the policy the search ran under, and the scenario replays under it")
    func namesThePolicy() throws {
        let moves = try ["checkout", "mark_paid", "tamper", "pay"].map { name in try #require(Alphabet.all.first { $0.name == name }) }
        let configuration = ExploreConfiguration(depth: 4, client: .paidClearsCart, moves: moves, invariants: try Invariant.select(["duplicate_sessions"]))
        let result = Explorer(configuration).run()
        let finding = try #require(result.findings.first)
        let scenario = try ScenarioParser.parse(yaml: Counterexample.scenario(finding, configuration: configuration), file: "finding.yaml")
        #expect(scenario.setup.client == .paidClearsCart)
        #expect(ScenarioRunner().run(scenario).passed)
        guard case .say(let text) = scenario.steps.first?.kind else {
            Issue.record("no narration first")
            return
        }
        #expect(text.contains("the paid-clears-cart client"), "\(text)")
        #expect(!text.contains("legacy"))
    }
}
