import CheckoutCore
import Foundation
import MockBackend
import Simulation
import Testing
@testable import Scenarios

/// A recording's `setup` holds the world as it was when the recording started.
@Suite("Recording setup")
struct RecordingSetupTests {
    /// An unseeded backend, as in the TUI, and a page with one item in its cart.
    private func page() -> Simulation {
        let sim = Simulation(configuration: SimulationConfiguration(seed: nil))
        sim.apply(.addItem(sku: "BEANS-1KG", qty: 1))
        return sim
    }

    private func replay(_ recorder: ScenarioRecorder) throws -> ScenarioResult {
        ScenarioRunner().run(try ScenarioParser.parse(yaml: recorder.text, file: recorder.file))
    }

    private func report(_ result: ScenarioResult, _ recorder: ScenarioRecorder) -> String {
        "\(result.failures.map { "line \($0.line): \($0.message)" })\n\(recorder.text)"
    }

    @Test("a recording started after a payment replays green (c p R a Enter c R)")
    func startedAfterPayment() throws {
        let sim = page()
        sim.apply(.checkout(clicks: 1))
        sim.runUntilIdle()
        sim.apply(.pay(card: TestCard.succeeds.rawValue))
        let recorder = ScenarioRecorder(simulation: sim, file: "after-payment.yaml")
        sim.apply(.addItem(sku: "BEANS-1KG", qty: 1))
        sim.apply(.checkout(clicks: 1))
        sim.runUntilIdle()
        let result = try replay(recorder)
        #expect(result.passed, "\(report(result, recorder))")
        #expect(recorder.text.contains("  payment: succeeded"))
    }

    @Test("the page's toast, its last validation and a 3-D Secure return waiting carry over")
    func pageStateCarriesOver() throws {
        let sim = page()
        sim.apply(.checkout(clicks: 1))
        sim.runUntilIdle()
        sim.apply(.pay(card: TestCard.threeDSecure.rawValue))
        let recorder = ScenarioRecorder(simulation: sim, file: "redirect.yaml")
        sim.apply(.wait(millis: 500))  // the toast is still the one from before the recording
        sim.apply(.returnFromRedirect(.succeeded))
        sim.apply(.addItem(sku: "MUG", qty: 1))
        sim.apply(.checkout(clicks: 1))
        sim.runUntilIdle()
        sim.apply(.pay(card: TestCard.declined.rawValue))
        let result = try replay(recorder)
        #expect(result.passed, "\(report(result, recorder))")
        #expect(sim.snapshot.counters.paid == 1)
    }

    @Test("a validation made before the recording is what pay uses on replay")
    func validatedBeforeRecording() throws {
        let sim = page()
        sim.apply(.checkout(clicks: 1))
        sim.runUntilIdle()
        let recorder = ScenarioRecorder(simulation: sim, file: "validated.yaml")
        sim.apply(.pay(card: TestCard.succeeds.rawValue))
        sim.apply(.addItem(sku: "MUG", qty: 1))
        sim.apply(.refresh)
        sim.runUntilIdle()
        let result = try replay(recorder)
        #expect(result.passed, "\(report(result, recorder))")
    }

    @Test("closed sessions the page can still send carry over: a paid key is refused on replay too")
    func paidSessionCarriesOver() throws {
        let sim = page()
        sim.apply(.checkout(clicks: 1))
        sim.runUntilIdle()
        sim.apply(.arm(.markPaid, .once))
        sim.apply(.arm(.latency(millis: 2000), .times(3)))
        let recorder = ScenarioRecorder(simulation: sim, file: "paid.yaml")
        sim.apply(.retry)
        sim.runUntilIdle()
        #expect(sim.timeline.suffix(2).map(\.record.result) == [.paymentAlreadyCompleted, .ok])
        let result = try replay(recorder)
        #expect(result.passed, "\(report(result, recorder))")
    }

    @Test("an open session left idle for 23 h before the recording expires an hour and a bit into it")
    func idleSessionExpiresOnTime() throws {
        let sim = page()
        sim.apply(.checkout(clicks: 1))
        sim.runUntilIdle()
        sim.apply(.wait(millis: 23 * 3_600_000))
        let recorder = ScenarioRecorder(simulation: sim, file: "idle.yaml")
        sim.apply(.wait(millis: 3_600_001))
        sim.apply(.refresh)
        sim.runUntilIdle()
        #expect(sim.timeline.last?.record.clientAction == .overwroteKey)
        let result = try replay(recorder)
        #expect(result.passed, "\(report(result, recorder))")
    }

    @Test("localStorage cleared before the recording: a refresh on replay loads the empty storage")
    func clearedStorageCarriesOver() throws {
        let sim = page()
        sim.apply(.fillForm(FormData(email: "qa@example.com", name: "Ada")))
        sim.apply(.paymentMethod(.cashOnDelivery))
        sim.apply(.clearStorage)
        let recorder = ScenarioRecorder(simulation: sim, file: "cleared.yaml")
        sim.apply(.refresh)
        sim.runUntilIdle()
        #expect(sim.client.cart.isEmpty)
        let result = try replay(recorder)
        #expect(result.passed, "\(report(result, recorder))")
    }

    @Test("backend totals count from the recording's start, whatever the backend held before")
    func totalsAreRelative() throws {
        let sim = page()
        for _ in 0..<3 {
            sim.apply(.checkout(clicks: 1))
            sim.runUntilIdle()
            sim.apply(.pay(card: TestCard.succeeds.rawValue))
            sim.apply(.addItem(sku: "MUG", qty: 1))
        }
        let recorder = ScenarioRecorder(simulation: sim, file: "totals.yaml")
        sim.apply(.checkout(clicks: 1))
        sim.runUntilIdle()
        #expect(recorder.text.contains("backend: { sessions: 1, payment_intents: 1, paid: 0 }"), "\(recorder.text)")
        let result = try replay(recorder)
        #expect(result.passed, "\(report(result, recorder))")
    }
}
