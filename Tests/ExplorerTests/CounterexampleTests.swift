import CheckoutCore
import Foundation
import Scenarios
import Simulation
import Testing
@testable import Explorer
@testable import TerminalUI

/// Every written counterexample replays green with the runner and walks to its end in presenter mode.
@Suite("Counterexample scenarios")
struct CounterexampleTests {
    private static let results: [ExploreResult] = [
        Explorer(ExploreConfiguration(depth: 4)).run(),
        Explorer(ExploreConfiguration(depth: 2, client: .legacy)).run(),
        Explorer(ExploreConfiguration(depth: 3, doubleSubmitGuard: false)).run(),
    ]

    private static var written: [(String, String)] {
        results.flatMap { result in
            result.findings.map { ("\(result.configuration.client)-\($0.invariant.name)", Counterexample.scenario($0, configuration: result.configuration)) }
        }
    }

    @Test("each finding is a scenario that replays green, narrated and with expectations")
    func replays() throws {
        #expect(Self.written.count >= 8)
        for (label, text) in Self.written {
            let scenario = try ScenarioParser.parse(yaml: text, file: "\(label).yaml")
            let result = ScenarioRunner().run(scenario)
            #expect(result.passed, "\(label): \(result.failures)\n\(text)")
            #expect(scenario.steps.contains { if case .say = $0.kind { true } else { false } })
            #expect(scenario.steps.contains { if case .expect = $0.kind { true } else { false } })
            #expect(scenario.tags.contains("explore"))
            #expect(scenario.description?.contains("checkout-sim explore found") == true)
        }
    }

    @Test("each finding walks to its end in presenter mode, every step green")
    func presents() throws {
        for (label, text) in Self.written {
            let scenario = try ScenarioParser.parse(yaml: text, file: "\(label).yaml")
            let model = AppModel(simulation: ScenarioRunner().makeSimulation(for: scenario), stateLabel: "demo")
            model.presenter = PresenterState(scenario: scenario, model: model, keepForLater: false)
            model.tick()
            for _ in 0..<scenario.steps.count {
                model.handle(.character(" "))
                model.tick()
            }
            let presenter = try #require(model.presenter)
            #expect(presenter.isFinished, "\(label)")
            #expect(presenter.verdicts.values.allSatisfy { $0.isEmpty }, "\(label): \(presenter.verdicts)")
        }
    }

    @Test("the double charge narration tells product staff what happened")
    func narration() throws {
        let result = Explorer(ExploreConfiguration(depth: 4, invariants: try Invariant.select(["double_charge"]))).run()
        let finding = try #require(result.findings.first)
        let text = Counterexample.scenario(finding, configuration: result.configuration)
        #expect(text.contains("In another browser tab, the shopper pays the session of the stored key."))
        #expect(text.contains("paid: 2"))
        #expect(text.contains("charged twice"))
    }
}
