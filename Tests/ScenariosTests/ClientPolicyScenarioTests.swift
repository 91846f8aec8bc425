import CheckoutCore
import Foundation
import Simulation
import Testing
@testable import Scenarios

@Suite("Client policies in scenarios")
struct ClientPolicyScenarioTests {
    /// Another tab pays the session; this tab's next checkout gets "Payment already completed".
    private func paidElsewhere(_ policy: String, then steps: String) -> String {
        """
        name: paid in another tab
        setup: { client: \(policy) }
        steps:
          - do: checkout
          - expect: { requests: 1 }
          - backend: mark_paid
          - do: checkout
        \(steps)
        """
    }

    @Test("setup.client takes every policy by name", arguments: ClientPolicy.all)
    func setupClient(policy: ClientPolicy) throws {
        let scenario = try parse("name: x\nsetup: { client: \(policy.name) }\nsteps: []\n").get()
        #expect(scenario.setup.client == policy)
    }

    @Test("an unknown setup.client is a located error with a suggestion and the names")
    func unknownClient() {
        guard case .failure(let error) = parse("name: x\nsetup: { client: confirm-new-ordr }\nsteps: []\n") else {
            Issue.record("parsed")
            return
        }
        #expect(error.description.hasPrefix("test.yaml:2:18: unknown client 'confirm-new-ordr'; did you mean 'confirm-new-order'?"), "\(error)")
        #expect(error.description.contains(ClientPolicy.names))
    }

    @Test("set_client and start_new_order round-trip through the encoder", arguments: [
        Action.setClient(.confirmNewOrder), .setClient(.paidClearsCart), .startNewOrder,
    ])
    func encoderRoundTrip(action: Action) throws {
        let yaml = "name: x\nsteps:\n" + ScenarioEncoder.step(action) + "\n"
        let scenario = try parse(yaml).get()
        #expect(scenario.steps.first?.kind == .action(action, waitsForReply: true))
    }

    @Test("standard: the retry without a key opens a new session")
    func standard() throws {
        let result = try run(paidElsewhere("standard", then: """
              - expect:
                  requests:
                    - { key: $k1, result: payment_already_completed }
                    - { key: none, result: ok, returned_key: $k2 }
                  stored_key: $k2
                  toast: none
            """))
        #expect(result.passed, "\(result.failures)")
    }

    @Test("confirm-new-order: says the order is paid; start_new_order validates without a key")
    func confirmNewOrder() throws {
        let result = try run(paidElsewhere("confirm-new-order", then: """
              - expect:
                  requests:
                    - { key: $k1, result: payment_already_completed }
                  stored_key: none
                  toast: { kind: info, category: order_already_paid }
                  cart: { items: 1 }
              - do: checkout
              - expect: { requests: 0, toast: { category: order_already_paid } }
              - do: refresh
              - expect: { requests: 0 }
              - do: start_new_order
              - expect:
                  requests:
                    - { key: none, result: ok, returned_key: $k2 }
                  stored_key: $k2
                  toast: none
            """))
        #expect(result.passed, "\(result.failures)")
    }

    @Test("paid-clears-cart: clears key and cart and says the order is paid")
    func paidClearsCart() throws {
        let result = try run(paidElsewhere("paid-clears-cart", then: """
              - expect:
                  requests:
                    - { key: $k1, result: payment_already_completed }
                  stored_key: none
                  toast: { category: order_already_paid }
                  cart: empty
                  backend: { paid: 1 }
            """))
        #expect(result.passed, "\(result.failures)")
    }

    @Test("a recording writes the policy down and replays under it")
    func recordingRoundTrip() throws {
        let sim = Simulation(configuration: SimulationConfiguration(seed: nil, client: ClientSettings(policy: .confirmNewOrder)))
        sim.addItem(sku: "BEANS-1KG", qty: 1)
        let recorder = ScenarioRecorder(simulation: sim, file: "policy.yaml")
        sim.apply(.checkout(clicks: 1))
        sim.runUntilIdle()
        sim.apply(.arm(.markPaid, .once))
        sim.apply(.checkout(clicks: 1))
        sim.runUntilIdle()
        sim.apply(.startNewOrder)
        sim.runUntilIdle()
        sim.apply(.setClient(.paidClearsCart))
        #expect(recorder.text.contains("  client: confirm-new-order"), "\(recorder.text)")
        #expect(recorder.text.contains("do: start_new_order"), "\(recorder.text)")
        #expect(recorder.text.contains("set_client: paid-clears-cart"), "\(recorder.text)")
        let replay = try ScenarioParser.parse(yaml: recorder.text, file: "policy.yaml")
        #expect(replay.setup.client == .confirmNewOrder)
        let result = ScenarioRunner().run(replay)
        #expect(result.passed, "\(result.failures)\n\(recorder.text)")
    }
}
