import CheckoutCore
import Foundation
import MockBackend
import Simulation

/// Plays scenarios headless on a virtual clock: no real sleeping, ever.
public struct ScenarioRunner: Sendable {
    /// Replaces every scenario's `setup.seed` when set (`--seed`).
    public var seedOverride: UInt64?
    /// Keeps a sequence diagram of each run in its result (pictures, `--format html`).
    public var drawsDiagrams: Bool

    public init(seedOverride: UInt64? = nil, drawsDiagrams: Bool = false) {
        self.seedOverride = seedOverride
        self.drawsDiagrams = drawsDiagrams
    }

    /// The simulation a scenario's setup describes.
    public func makeSimulation(for scenario: Scenario) -> Simulation {
        Self.simulation(for: scenario.setup, seed: seedOverride ?? scenario.setup.seed)
    }

    /// The simulation `setup` describes; `keepsJournal: false` skips the backend's journal
    /// (the explorer, which never shows it).
    public static func simulation(for setup: ScenarioSetup, seed: UInt64, keepsJournal: Bool = true) -> Simulation {
        let storage = InMemoryKeyValueStorage()
        let shopper = ShopperStore(storage: storage)
        try? shopper.saveCart(setup.cart)
        if !setup.form.isEmpty { try? shopper.saveForm(setup.form) }
        try? shopper.savePaymentMethod(setup.paymentMethod)
        if let key = setup.storedKey { try? IdempotencyKeyStore(storage: storage).setIdempotencyKey(key) }
        let settings = ClientSettings(variant: setup.client, doubleSubmitGuard: setup.doubleSubmitGuard)
        let configuration = SimulationConfiguration(seed: seed, client: settings, clientTimeoutMillis: setup.clientTimeoutMillis)
        let simulation = Simulation(configuration: configuration, storage: storage,
                                    store: keepsJournal ? InMemoryBackendStore() : InMemoryBackendStore(journalCapacity: 0))
        for key in setup.openSessions {
            simulation.backend.openSession(key: key, amountCents: 0, nowMillis: simulation.clock.nowMillis)
        }
        restore(setup.world, into: simulation)
        return simulation
    }

    /// Runs every step and checks every expectation.
    public func run(_ scenario: Scenario) -> ScenarioResult {
        let started = Date()
        var play = ScenarioPlayback(simulation: makeSimulation(for: scenario), diagramOf: drawsDiagrams ? scenario : nil)
        for (offset, step) in scenario.steps.enumerated() {
            play.perform(step, index: offset + 1)
        }
        return ScenarioResult(file: scenario.file, name: scenario.name, failures: play.failures,
                              steps: play.reports, seconds: Date().timeIntervalSince(started), diagram: play.diagram)
    }
}

/// A scenario being played, step by step: used by the headless runner and by
/// the TUI's presenter mode.
public struct ScenarioPlayback {
    public let simulation: Simulation
    public private(set) var failures: [ScenarioFailure] = []
    public private(set) var reports: [StepReport] = []
    private var variables = VariableBindings()
    private var requestsAtLastExpect = 0
    private let tracer: SequenceTracer?

    /// `diagramOf`: the scenario being played, to draw its sequence diagram as it plays.
    public init(simulation: Simulation, diagramOf scenario: Scenario? = nil) {
        self.simulation = simulation
        if let scenario {
            let tracer = SequenceTracer(scenario: scenario, simulation: simulation)
            simulation.eventObserver = { tracer.observe($0) }
            self.tracer = tracer
        } else {
            tracer = nil
        }
    }

    /// The sequence diagram of what was played so far (when asked for one at the start).
    public var diagram: SequenceDiagram? {
        guard let tracer else { return nil }
        tracer.finish(variables: variables.values)
        return tracer.diagram
    }

    /// Plays one step; returns the failures it caused (empty: fine).
    @discardableResult
    public mutating func perform(_ step: ScenarioStep, index: Int) -> [ScenarioFailure] {
        let before = simulation.requestCount
        var action: String?
        var stepFailures: [ScenarioFailure] = []
        tracer?.beginStep(index: index, line: step.line)
        switch step.kind {
        case .say(let text):
            action = text
            tracer?.narrate(text)
        case .action(let act, let waitsForReply):
            action = act.summary
            simulation.apply(act)
            // `wait: false` leaves slower replies in flight, but one due at once arrives now, as it
            // did before the recorder wrote the step's expect (at the next event, at the same time).
            if waitsForReply { simulation.runUntilIdle() } else { simulation.deliverDue() }
        case .expect(let expectation):
            var checker = ExpectationChecker(simulation: simulation, variables: variables,
                                             requests: simulation.requests(after: requestsAtLastExpect))
            stepFailures = checker.check(expectation).map { ScenarioFailure(step: index, line: step.line, message: $0) }
            variables = checker.variables
            tracer?.verdict(stepFailures.map(\.message), line: step.line)
            requestsAtLastExpect = simulation.requestCount
        }
        failures += stepFailures
        let snapshot = simulation.snapshot
        let isExpect = step.kind.name == "expect"
        reports.append(StepReport(
            index: index, line: step.line, kind: step.kind.name, action: action,
            requests: simulation.requests(after: before).map(RequestReport.init),
            storedKey: snapshot.storedKey, toast: snapshot.toast, cartItems: snapshot.cart.count,
            payment: snapshot.payment.rawValue, backend: snapshot.counters,
            passed: isExpect ? stepFailures.isEmpty : nil))
        return stepFailures
    }
}

extension RequestReport {
    init(_ entry: TimelineEntry) {
        self.init(key: entry.record.keySent, result: entry.record.result.rawValue,
                  returnedKey: entry.record.returnedKey, message: entry.record.message)
    }
}
