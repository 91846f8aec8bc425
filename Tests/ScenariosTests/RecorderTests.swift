import CheckoutCore
import Foundation
import MockBackend
import Simulation
import Testing
@testable import Scenarios
import TestSupport

@Suite("Recording")
struct RecorderTests {
    /// Applies `action` (the recorder follows the simulation), then lets replies arrive.
    private func act(_ recorder: ScenarioRecorder, _ sim: Simulation, _ action: Action) {
        sim.apply(action)
        sim.runUntilIdle()
    }

    private func arm(_ recorder: ScenarioRecorder, _ sim: Simulation, _ rule: RuleKind, _ firing: RuleFiring = .once) {
        sim.apply(.arm(rule, firing))
    }

    @Test("a recording of every action and rule kind replays green")
    func roundTrip() throws {
        // An unseeded backend, as in the TUI: the recording must not depend on key values.
        let sim = Simulation(configuration: SimulationConfiguration(seed: nil))
        sim.addItem(sku: "BEANS-1KG", qty: 1)
        let recorder = ScenarioRecorder(simulation: sim, file: "roundtrip.yaml")
        act(recorder, sim, .fillForm(FormData(email: "qa@example.com", name: "Q \"A\": test")))
        act(recorder, sim, .checkout(clicks: 1))
        arm(recorder, sim, .rotate)
        act(recorder, sim, .refresh)
        arm(recorder, sim, .paymentAlreadyCompleted, .times(2))
        act(recorder, sim, .retry)
        act(recorder, sim, .checkout(clicks: 2))
        arm(recorder, sim, .paymentUnavailable, .probability(1.0, times: 1))
        arm(recorder, sim, .failedToCreatePaymentIntent)
        arm(recorder, sim, .error(message: "weird: \u{1B}[2J \"quoted\"", code: .internal))
        arm(recorder, sim, .latency(millis: 1500), .times(2))
        arm(recorder, sim, .dropResponse)
        arm(recorder, sim, .timeout)
        arm(recorder, sim, .garbleResponse)
        for _ in 0..<6 { act(recorder, sim, .retry) }
        act(recorder, sim, .addItem(sku: "MUG", qty: 2))
        act(recorder, sim, .setQty(sku: "MUG", qty: 3))
        act(recorder, sim, .removeItem(sku: "MUG"))
        act(recorder, sim, .paymentMethod(.cashOnDelivery))
        act(recorder, sim, .checkout(clicks: 1))
        act(recorder, sim, .paymentMethod(.card))
        act(recorder, sim, .setStoredKey("tampered-1"))
        act(recorder, sim, .checkout(clicks: 1))
        arm(recorder, sim, .expireSessions)
        act(recorder, sim, .wait(millis: 1000))
        act(recorder, sim, .refresh)
        arm(recorder, sim, .markPaid)
        act(recorder, sim, .refresh)
        act(recorder, sim, .pay(card: TestCard.declined.rawValue))
        act(recorder, sim, .pay(card: TestCard.threeDSecure.rawValue))
        act(recorder, sim, .returnFromRedirect(.failed))
        act(recorder, sim, .pay(card: TestCard.threeDSecure.rawValue))
        act(recorder, sim, .returnFromRedirect(.succeeded))
        act(recorder, sim, .addItem(sku: "KETTLE", qty: 1))
        act(recorder, sim, .clearStorage)
        act(recorder, sim, .checkout(clicks: 1))
        act(recorder, sim, .pay(card: TestCard.succeeds.rawValue))

        let text = recorder.text
        #expect(!text.contains(sim.timeline.first!.record.returnedKey!), "keys are written as variables")
        #expect(text.contains("$k1") && text.contains("$k2"))
        let scenario = try ScenarioParser.parse(yaml: text, file: "roundtrip.yaml")
        let result = ScenarioRunner().run(scenario)
        #expect(result.passed, "\(result.failures.map { "line \($0.line): \($0.message)" })\n\(text)")
        #expect(scenario.steps.filter { $0.kind.name == "backend" }.count == 11)
    }

    @Test("a recording that starts mid-session replays green")
    func midSession() throws {
        let sim = Simulation(configuration: SimulationConfiguration(seed: nil))
        sim.addItem(sku: "MUG", qty: 1)
        sim.checkout()
        sim.runUntilIdle()
        let recorder = ScenarioRecorder(simulation: sim, file: "mid.yaml")
        act(recorder, sim, .refresh)
        let result = ScenarioRunner().run(try ScenarioParser.parse(yaml: recorder.text, file: "mid.yaml"))
        #expect(result.passed, "\(result.failures)\n\(recorder.text)")
    }

    @Test("a recording that disarms one rule by its position replays green")
    func disarmReplays() throws {
        let sim = Simulation(configuration: SimulationConfiguration(seed: nil))
        sim.addItem(sku: "BEANS-1KG", qty: 1)
        sim.arm(.paymentUnavailable)  // armed before the recording: written first, so positions match
        let recorder = ScenarioRecorder(simulation: sim, file: "disarm.yaml")
        arm(recorder, sim, .rotate, .times(2))
        arm(recorder, sim, .error(message: "boom", code: .internal), .probability(1, times: 1))
        act(recorder, sim, .disarm(position: 2))
        for _ in 0..<3 { act(recorder, sim, .checkout(clicks: 1)) }
        #expect(sim.timeline.map(\.record.result) == [.paymentUnavailable, .validation, .ok])
        #expect(recorder.text.contains("- backend: { disarm: 2 }"), "\(recorder.text)")
        let result = ScenarioRunner().run(try ScenarioParser.parse(yaml: recorder.text, file: "disarm.yaml"))
        #expect(result.passed, "\(result.failures.map { "line \($0.line): \($0.message)" })\n\(recorder.text)")
    }

    @Test("probability rules replay the same draws, unseeded or seeded, from the start or mid-session",
          arguments: [(nil, 0), (nil, 7), (42, 0), (42, 5)] as [(UInt64?, Int)])
    func probabilityReplays(seed: UInt64?, drawsBefore: Int) throws {
        let sim = Simulation(configuration: SimulationConfiguration(seed: seed))
        sim.addItem(sku: "BEANS-1KG", qty: 1)
        sim.arm(.paymentUnavailable, .probability(0.5, times: nil))
        for _ in 0..<drawsBefore {
            sim.retry()
            sim.runUntilIdle()
        }
        let recorder = ScenarioRecorder(simulation: sim, file: "draws.yaml")
        arm(recorder, sim, .garbleResponse, .probability(0.5, times: nil))
        for _ in 0..<16 { act(recorder, sim, .retry) }
        let outcomes = Set(sim.timeline.suffix(16).map(\.record.result))
        #expect(outcomes.count > 1, "the draws should vary: \(outcomes)")
        let result = ScenarioRunner().run(try ScenarioParser.parse(yaml: recorder.text, file: "draws.yaml"))
        #expect(result.passed, "\(result.failures.map { "line \($0.line): \($0.message)" })\n\(recorder.text)")
    }

    @Test("recording refuses to overwrite a file or write where it cannot")
    func refusals() throws {
        let temporary = TemporaryDirectory("rec")
        defer { temporary.remove() }
        let existing = temporary.appending("existing.yaml")
        try Data("keep me".utf8).write(to: existing)
        #expect(throws: RecordingError.self) { try ScenarioRecorder.checkWritable(existing.path) }
        #expect(throws: RecordingError.self) { try ScenarioRecorder.checkWritable("/nonexistent-folder/x.yaml") }
        #expect(try String(contentsOf: existing, encoding: .utf8) == "keep me")

        let fresh = temporary.appending("fresh.yaml")
        try ScenarioRecorder.checkWritable(fresh.path)
        let sim = Simulation()
        let recorder = ScenarioRecorder(simulation: sim, file: fresh.path)
        act(recorder, sim, .checkout(clicks: 1))
        try recorder.write()
        let replay = ScenarioRunner().run(try ScenarioParser.parse(contentsOf: fresh.path))
        #expect(replay.passed, "\(replay.failures)")
    }
}

@Suite("client_timeout in scenarios")
struct ClientTimeoutScenarioTests {
    @Test("setup.client_timeout sets the deadline, and a recording keeps it")
    func setupAndRecording() throws {
        let scenario = try ScenarioParser.parse(yaml: """
            name: slow
            setup: { client_timeout: 1500ms }
            steps:
              - backend: { latency: 2s }
              - do: checkout
              - expect:
                  requests:
                    - { key: none, result: network }
            """, file: "slow.yaml")
        #expect(scenario.setup.clientTimeoutMillis == 1_500)
        #expect(ScenarioRunner().run(scenario).passed)

        let sim = ScenarioRunner().makeSimulation(for: scenario)
        let recorder = ScenarioRecorder(simulation: sim, file: "slow-recorded.yaml")
        sim.apply(.arm(.latency(millis: 2_000), .once))
        sim.apply(.checkout(clicks: 1))
        sim.runUntilIdle()
        #expect(recorder.text.contains("  client_timeout: 1500ms"), "\(recorder.text)")
        let replay = try ScenarioParser.parse(yaml: recorder.text, file: "slow-recorded.yaml")
        #expect(replay.setup.clientTimeoutMillis == 1_500)
        #expect(ScenarioRunner().run(replay).passed)
    }

    @Test("a client_timeout of zero, or past an hour, is a located error", arguments: ["0s", "2h", "soon"])
    func outOfRange(value: String) {
        #expect(throws: ScenarioParseError.self) {
            try ScenarioParser.parse(yaml: "name: t\nsetup: { client_timeout: \(value) }\nsteps: [ { do: checkout } ]", file: "t.yaml")
        }
    }
}
