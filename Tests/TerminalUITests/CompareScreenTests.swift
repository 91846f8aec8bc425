import Foundation
import Scenarios
import Testing
@testable import TerminalUI

private let root = goldenDirectory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
private let paidTwice = root.appendingPathComponent("scenarios/33-paid-twice-after-another-tab.yaml").path

/// The second client of the goldens: the first that is not the baseline.
private let other = ClientChoices.all.first { $0 != ClientChoices.baseline }!

@Suite("Side-by-side demo (demo --compare)")
struct CompareScreenTests {
    private func presenter(_ file: String = paidTwice, against client: ClientChoice = other) throws -> ComparePresenter {
        ComparePresenter(scenario: try ScenarioParser.parse(contentsOf: file), against: client)
    }

    private func played(_ presenter: inout ComparePresenter, steps: Int) {
        for _ in 0..<steps { presenter.handle(.character(" ")) }
    }

    @Test("golden screens: before the first step, after the second checkout, at the end", arguments: [(160, 45), (120, 40)])
    func goldens(size: (Int, Int)) throws {
        var demo = try presenter()
        let render = { (demo: ComparePresenter) in CompareView.render(demo.screen(), width: size.0, height: size.1).lines }
        assertGolden(lines: render(demo), "compare-start", width: size.0, height: size.1)
        played(&demo, steps: 8)
        #expect(demo.screen().step == "do: checkout")
        assertGolden(lines: render(demo), "compare-second-checkout", width: size.0, height: size.1)
        played(&demo, steps: 100)
        #expect(demo.isFinished)
        assertGolden(lines: render(demo), "compare-end", width: size.0, height: size.1)
    }

    @Test("Space plays one step on both sides; each side plays its own client")
    func spaceAdvancesBoth() throws {
        var demo = try presenter()
        played(&demo, steps: 2)
        let screen = demo.screen()
        #expect(screen.played == 2)
        #expect(screen.sides.map(\.client) == [ClientChoices.name(of: ClientChoices.baseline), ClientChoices.name(of: other)])
        #expect(screen.sides[0].requests == ["no key → ok, key k1"], "the standard client's first checkout")
        #expect(screen.sides[0].key.hasPrefix("k1 "))
    }

    @Test("the standard side pays twice in scenario 33; its verdicts hold there")
    func baselineKeepsItsScenario() throws {
        var demo = try presenter()
        played(&demo, steps: 100)
        let left = demo.screen().sides[0]
        #expect(left.paid == 2)
        #expect(left.verdict == "expect, step 12: ✓ holds")
    }

    @Test("a row that differs between the sides is marked ≠, one that is the same is not")
    func differencesMarked() throws {
        var demo = try presenter()
        played(&demo, steps: 100)
        let screen = demo.screen()
        let lines = CompareView.render(screen, width: 160, height: 45).lines
        let paidRows = lines.filter { $0.contains("paid ") && $0.contains("sessions:") }
        let differs = screen.sides[0].paid != screen.sides[1].paid || screen.sides[0].sessions != screen.sides[1].sessions
        #expect(paidRows.allSatisfy { $0.contains("≠") } == differs)
        let cartRows = lines.filter { $0.contains("cart ") }
        #expect(cartRows.allSatisfy { $0.contains("≠") } == (screen.sides[0].cart != screen.sides[1].cart))
    }

    @Test("? shows the keys from the one table, any key closes it, q and Esc quit")
    func keys() throws {
        var demo = try presenter()
        demo.handle(.character("?"))
        let help = CompareView.render(demo.screen(), width: 120, height: 40).lines.joined(separator: "\n")
        for key in ComparePresenter.keys { #expect(help.contains(key.description)) }
        demo.handle(.character(" "))
        #expect(!demo.showsHelp)
        #expect(demo.played == 0, "the key that closes the help does not play a step")
        demo.handle(.character("q"))
        #expect(demo.quitRequested)
        var other = try presenter()
        other.handle(.escape)
        #expect(other.quitRequested)
    }

    @Test("a terminal under 100×24 gets a clear message", arguments: [(99, 40), (120, 23), (80, 24)])
    func tooSmall(size: (Int, Int)) throws {
        let lines = CompareView.render(try presenter().screen(), width: size.0, height: size.1).lines.joined(separator: "\n")
        #expect(lines.contains("Terminal too small for the comparison: \(size.0)×\(size.1)."))
        #expect(lines.contains("q to quit"))
    }

    @Test("every client plays every step of scenario 33 against the baseline", arguments: ClientChoices.all)
    func everyClient(client: ClientChoice) throws {
        var demo = try presenter(against: client)
        let total = demo.scenario.steps.count
        played(&demo, steps: total)
        #expect(demo.isFinished)
        #expect(demo.screen().sides.last?.client == ClientChoices.name(of: client))
        #expect(CompareView.render(demo.screen(), width: 120, height: 40).lines.joined().contains("client: \(ClientChoices.name(of: client))"))
    }
}
