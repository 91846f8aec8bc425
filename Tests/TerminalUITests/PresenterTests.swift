import CheckoutCore
import Foundation
import Scenarios
import Simulation
import Testing
@testable import TerminalUI

private let root = goldenDirectory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
private let catalog = ScenarioFiles.collect([root.appendingPathComponent("scenarios").path]).files

@Suite("Presenter mode")
struct PresenterTests {
    private func demo(_ file: String) throws -> AppModel {
        let scenario = try ScenarioParser.parse(contentsOf: file)
        let model = AppModel(simulation: ScenarioRunner().makeSimulation(for: scenario), stateLabel: "demo")
        model.presenter = PresenterState(scenario: scenario, model: model, keepForLater: false)
        model.tick()
        return model
    }

    @Test("every catalog scenario plays to its end with Space alone and ends green", arguments: catalog)
    func spaceAlone(file: String) throws {
        let model = try demo(file)
        let steps = try #require(model.presenter).scenario.steps.count
        for _ in 0..<steps {
            model.handle(.character(" "))
            model.tick()
        }
        let presenter = try #require(model.presenter)
        #expect(presenter.isFinished)
        #expect(presenter.verdicts.values.allSatisfy { $0.isEmpty }, "\(presenter.verdicts)")
        #expect(model.overlay == nil, "no bank page left open")
        #expect(!model.quitRequested)
    }

    @Test("a 3-D Secure step: the bank page shows, Space plays the scenario's own answer, q and ? still work")
    func throughTheBankPage() throws {
        let model = try demo(root.appendingPathComponent("scenarios/22-3ds-succeeded.yaml").path)
        #expect(View.render(model, width: 120, height: 40).lines.joined().contains("4000 0027 6000 3184"),
                "the payment panel shows the scenario's card")
        model.handle(.character(" "))
        model.handle(.character(" "))
        model.tick()
        #expect(model.overlay == .threeDSecure)
        model.handle(.character("?"))
        #expect(model.overlay == .help)
        model.handle(.escape)
        model.tick()
        #expect(model.overlay == .threeDSecure)
        while model.presenter?.isFinished == false {
            model.handle(.character(" "))
            model.tick()
        }
        #expect(model.simulation.payment == .succeeded)
        #expect(model.presenter?.verdicts.values.allSatisfy { $0.isEmpty } == true)
        model.handle(.character("q"))
        #expect(model.quitRequested)
    }

    @Test("the description is shown before the first step; Esc quits a demo started from the command line")
    func descriptionAndEscape() throws {
        let model = try demo(root.appendingPathComponent("scenarios/04-rotation.yaml").path)
        let screen = View.render(model, width: 120, height: 40).lines.joined(separator: "\n")
        #expect(screen.contains("The backend rotates"), "\(screen)")
        model.handle(.escape)
        #expect(model.quitRequested)
    }

    @Test("in the live TUI the bank page leaves q, ?, Esc, b and r to the main screen")
    func liveBankPage() throws {
        let model = makeModel()
        press(model, .character("c"), .character("t"), .character("t"), .character("t"), .character("p"))
        #expect(model.overlay == .threeDSecure)
        press(model, .character("?"))
        #expect(model.overlay == .help)
        press(model, .escape)
        #expect(model.overlay == .threeDSecure)
        press(model, .character("b"))
        #expect(model.overlay == .backendMenu)
        press(model, .escape)
        #expect(model.overlay == .threeDSecure)
        press(model, .escape)
        #expect(model.overlay == nil, "Esc leaves the page; it does not come back by itself")
        press(model, .character("p"))
        #expect(model.overlay == .threeDSecure)
        press(model, .character("r"))
        #expect(model.overlay == nil)
        #expect(model.simulation.client.pendingRedirect == nil)
        press(model, .character("q"))
        #expect(model.quitRequested)
    }
}
