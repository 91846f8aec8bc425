import CheckoutCore
import Foundation
import Scenarios
import Simulation
import Testing
@testable import TerminalUI

private let root = goldenDirectory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
private let doubleCharge = root.appendingPathComponent("scenarios/33-paid-twice-after-another-tab.yaml").path

/// Presenter mode's caption area: every narration whole, the verdict on its own row.
@Suite("Demo captions")
struct DemoCaptionTests {
    private func demo(_ scenario: Scenario, size: (Int, Int)) -> AppModel {
        let model = makeModel()
        model.screenSize = size
        model.present(scenario)
        model.tick()
        return model
    }

    /// The words on screen, with wrapping and quotes undone.
    private func words(_ lines: [String]) -> String {
        lines.joined(separator: " ").replacingOccurrences(of: "│", with: " ")
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    private func normalized(_ text: String) -> String { text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }

    @Test("each narration of scenario 33 shows whole, its verdicts on their own row", arguments: [(120, 40), (80, 24)])
    func wholeNarrations(size: (Int, Int)) throws {
        let scenario = try ScenarioParser.parse(contentsOf: doubleCharge)
        let model = demo(scenario, size: size)
        for (index, step) in scenario.steps.enumerated() {
            press(model, .character(" "))
            let lines = View.render(model, width: size.0, height: size.1).lines
            let area = Array(lines[(lines.count - 1 - View.messageRows(model.screen(), width: size.0, height: size.1))...])
            if case .say(let text) = step.kind {
                #expect(words(area).contains(normalized(text)), "step \(index + 1) at \(size):\n\(area.joined(separator: "\n"))")
            }
            if case .expect = step.kind {
                #expect(area.contains { $0.contains("✓ expectations met (step \(index + 1))") }, "\(area.joined(separator: "\n"))")
                let caption = try #require(model.presenter?.caption)
                #expect(words(area).contains(normalized(caption)), "the caption stays beside its verdict")
            }
        }
        #expect(model.presenter?.isFinished == true)
    }

    @Test("golden: the third narration of scenario 33 and the verdict of step 6", arguments: [(120, 40), (80, 24)])
    func golden(size: (Int, Int)) throws {
        let model = demo(try ScenarioParser.parse(contentsOf: doubleCharge), size: size)
        for _ in 0..<6 { press(model, .character(" ")) }
        press(model, .character(" "))  // the third say
        assertGolden(model, "demo-33-third-narration", width: size.0, height: size.1)
        for _ in 0..<6 { press(model, .character(" ")) }
        assertGolden(model, "demo-33-end", width: size.0, height: size.1)
    }

    @Test("a description longer than the caption rows scrolls with PgDn and PgUp at 80×24")
    func scrolling() throws {
        let scenario = try ScenarioParser.parse(contentsOf: doubleCharge)
        let model = demo(scenario, size: (80, 24))
        let first = View.render(model, width: 80, height: 24).lines
        #expect(first.joined().contains("▼ PgDn"), "\(first.joined(separator: "\n"))")
        #expect(!first.joined().contains("paid\".”"))
        for _ in 0..<10 { press(model, .pageDown) }
        let last = View.render(model, width: 80, height: 24).lines.joined()
        #expect(last.contains("▲ PgUp") && !last.contains("▼ PgDn"))
        #expect(last.contains("paid\".”"), "the description's end came into view:\n\(last)")
        press(model, .pageUp)
        #expect(View.render(model, width: 80, height: 24).lines.joined().contains("▼ PgDn"))
        #expect(model.presenter?.played == 0, "scrolling plays nothing")
    }

    @Test("narrations and verdicts go to the message log")
    func messageLog() throws {
        let model = demo(try ScenarioParser.parse(contentsOf: doubleCharge), size: (120, 40))
        for _ in 0..<3 { press(model, .character(" ")) }
        let log = model.simulation.messages
        #expect(log.contains { $0.kind == .narration && $0.text == "The shopper checks out; the page stores the server's key." })
        #expect(log.contains { $0.kind == .narration && $0.text.hasPrefix("Found by checkout-sim explore") }, "the description")
        #expect(log.contains { $0.text == "✓ expectations met (step 3)" })
        press(model, .character("l"))
        #expect(View.render(model, width: 120, height: 40).lines.joined().contains("The shopper checks out; the page stores"))
    }

    @Test("explore's \"Step 1 of 3:\" gives way to the header's one counter")
    func oneCounter() throws {
        let scenario = try ScenarioParser.parse(yaml: """
            name: Found
            steps:
              - say: "Step 1 of 2: The shopper checks out."
              - do: checkout
              - say: "Step 2 of 2: Again."
              - do: checkout
            """, file: "found.yaml")
        let model = demo(scenario, size: (120, 40))
        press(model, .character(" "))
        let screen = View.render(model, width: 120, height: 40).lines.joined(separator: "\n")
        #expect(screen.contains("step 1/4"))
        #expect(screen.contains("“The shopper checks out.”"), "\(screen)")
        #expect(!screen.contains("Step 1 of 2"))
        #expect(PresenterState.withoutStepCounter("Step 10 of 12: x") == "x")
        #expect(PresenterState.withoutStepCounter("Step up: x") == "Step up: x")
    }

    @Test("a hostile narration is escaped and wraps without breaking the layout")
    func hostile() throws {
        let scenario = try ScenarioParser.parse(yaml: """
            name: Hostile
            steps:
              - say: "\\e[2J\\e]52;c;aGk=\\u0007 \(String(repeating: "x", count: 3000))"
            """, file: "hostile.yaml")
        let model = demo(scenario, size: (80, 24))
        press(model, .character(" "))
        let grid = View.render(model, width: 80, height: 24)
        #expect(!grid.lines.joined().contains("\u{1B}"))
        #expect(grid.lines[23].contains("Space"), "the footer stays on the last row")
    }
}
