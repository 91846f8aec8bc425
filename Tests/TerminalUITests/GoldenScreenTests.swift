import Scenarios
import CheckoutCore
import MockBackend
import Testing
@testable import TerminalUI

@Suite("Golden screens")
struct GoldenScreenTests {
    static let sizes = [(100, 30), (120, 40)]

    @Test("first start", arguments: sizes)
    func firstStart(size: (Int, Int)) {
        assertGolden(makeModel(), "first-start", width: size.0, height: size.1)
    }

    @Test("after checkout the full key is shown", arguments: sizes)
    func afterCheckout(size: (Int, Int)) {
        let model = makeModel()
        press(model, .character("c"))
        let key = model.simulation.storedKey!
        #expect(View.render(model, width: size.0, height: size.1).lines.contains { $0.contains(key) })
        assertGolden(model, "after-checkout", width: size.0, height: size.1)
    }

    @Test("after rotation", arguments: sizes)
    func afterRotation(size: (Int, Int)) {
        let model = makeModel()
        press(model, .character("c"), .character("b"), .character("r"), .character("r"))
        #expect(model.simulation.keyHistory.last?.change == .rotated)
        assertGolden(model, "after-rotation", width: size.0, height: size.1)
    }

    @Test("the already-completed retry", arguments: sizes)
    func alreadyCompleted(size: (Int, Int)) {
        let model = makeModel()
        press(model, .character("c"), .character("b"), .character("c"), .character("r"))
        #expect(model.simulation.timeline.map(\.record.result) == [.ok, .paymentAlreadyCompleted, .ok])
        assertGolden(model, "already-completed-retry", width: size.0, height: size.1)
    }

    @Test("each error toast", arguments: [
        ("toast-already-completed", [KeyPress.character("2"), .character("c")]),
        ("toast-payment-unavailable", [.character("u")]),
        ("toast-generic", [.character("e")]),
    ])
    func errorToasts(name: String, menuKeys: [KeyPress]) {
        for size in Self.sizes {
            let model = makeModel()
            press(model, .character("c"), .character("b"))
            for key in menuKeys { press(model, key) }
            press(model, .character("y"))
            #expect(model.simulation.toast?.kind == .error)
            assertGolden(model, name, width: size.0, height: size.1)
        }
    }

    @Test("the backend menu", arguments: sizes)
    func backendMenu(size: (Int, Int)) {
        let model = makeModel()
        press(model, .character("b"), .character("3"))
        #expect(model.overlay == .backendMenu)
        assertGolden(model, "backend-menu", width: size.0, height: size.1)
    }

    @Test("the backend menu with an armed queue, the third selected", arguments: [(120, 40), (80, 24)])
    func backendMenuQueue(size: (Int, Int)) {
        let model = makeModel()
        model.simulation.apply(.arm(.rotate, .times(2)))
        model.simulation.apply(.arm(.latency(millis: 1500), .always))
        model.simulation.apply(.arm(.error(message: "card network down \u{1B}[2J", code: .unavailable), .probability(0.5, times: 3)))
        model.simulation.apply(.arm(.dropResponse, .probability(0.25, times: nil)))
        press(model, .character("b"), .down, .down)
        assertGolden(model, "backend-menu-queue", width: size.0, height: size.1)
    }

    @Test("the rule editor: an error with a probability, and a bad duration", arguments: [(120, 40), (80, 24)])
    func ruleEditor(size: (Int, Int)) {
        let model = makeModel()
        press(model, .character("b"), .character("E"))
        for _ in 0..<4 { press(model, .right) }  // error
        press(model, .down)
        for key in chars("card network down") { press(model, key) }
        press(model, .down, .left, .left, .left, .left, .down, .left, .down)  // unavailable, probability
        for key in chars("0.5") { press(model, key) }
        press(model, .down, .character("3"))
        assertGolden(model, "rule-editor-error", width: size.0, height: size.1)

        press(model, .escape, .character("E"))
        for _ in 0..<5 { press(model, .right) }  // latency
        press(model, .down)
        for key in chars("1.5 s") { press(model, key) }
        press(model, .enter)
        #expect(model.overlay == .ruleEditor)
        assertGolden(model, "rule-editor-bad-duration", width: size.0, height: size.1)
    }

    @Test("the product picker, one product in the cart", arguments: [(120, 40), (80, 24)])
    func productPicker(size: (Int, Int)) {
        let model = makeModel(cart: [CartLine(sku: "BEANS-1KG", qty: 1)])
        press(model, .character("a"))
        assertGolden(model, "product-picker", width: size.0, height: size.1)
    }

    @Test("the message log, with a notice too long for the toast row", arguments: [(120, 40), (80, 24)])
    func messageLog(size: (Int, Int)) {
        let model = makeModel()
        model.simulation.log("localStorage file was not a JSON object of strings; moved aside to localStorage.json.corrupt-1, starting empty",
                             kind: .notice)
        model.simulation.arm(.paymentUnavailable)
        press(model, .character("c"), .character("l"))
        assertGolden(model, "message-log", width: size.0, height: size.1)
    }

    @Test("the 3-D Secure modal", arguments: sizes)
    func threeDSecure(size: (Int, Int)) {
        let model = makeModel()
        press(model, .character("c"), .character("t"), .character("t"), .character("t"), .character("p"))
        #expect(model.overlay == .threeDSecure)
        assertGolden(model, "three-d-secure", width: size.0, height: size.1)
        press(model, .character("y"))
        #expect(model.simulation.payment == .succeeded)
        #expect(model.simulation.storedKey == nil)
    }

    @Test("the help overlay, first page and, at 80×24, the last", arguments: sizes + [(80, 24)])
    func help(size: (Int, Int)) {
        let model = makeModel()
        model.screenSize = size
        press(model, .character("?"))
        assertGolden(model, "help", width: size.0, height: size.1)
        if size == (80, 24) {
            for _ in 0..<5 { press(model, .pageDown) }
            assertGolden(model, "help-last-page", width: size.0, height: size.1)
        }
    }

    @Test("a too-small terminal gets a message", arguments: [(60, 20), (79, 24), (100, 10)])
    func tooSmall(size: (Int, Int)) {
        let lines = View.render(makeModel(), width: size.0, height: size.1).lines
        #expect(lines.contains { $0.contains("Terminal too small: \(size.0)×\(size.1).") })
        if size == (60, 20) { assertGolden(makeModel(), "too-small", width: 60, height: 20) }
    }

    @Test("80×24 shows every panel")
    func smallest() {
        let model = makeModel()
        press(model, .character("c"))
        let screen = View.render(model, width: 80, height: 24).lines.joined(separator: "\n")
        for title in ["Cart", "Payment", "Idempotency key", "Timeline", "Backend"] { #expect(screen.contains(title)) }
        let key = model.simulation.storedKey!
        #expect(screen.contains(String(key.prefix(28))) && screen.contains("│ \(key.dropFirst(28)) "), "the whole key is shown")
        assertGolden(model, "after-checkout", width: 80, height: 24)
    }
}

@Suite("Presenter mode screens")
struct PresenterScreenTests {
    @Test("narration, step counter and verdict", arguments: GoldenScreenTests.sizes)
    func presenter(size: (Int, Int)) throws {
        let root = goldenDirectory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let scenario = try ScenarioParser.parse(contentsOf: root.appendingPathComponent("scenarios/06-already-completed-recovered.yaml").path)
        let model = makeModel()
        model.present(scenario)
        for _ in 0..<5 { press(model, .character(" ")) }
        #expect(model.presenter?.played == 5)
        assertGolden(model, "presenter", width: size.0, height: size.1)
        press(model, .backspace)
        #expect(model.presenter?.played == 4)
        press(model, .escape)
        #expect(model.presenter == nil)
        #expect(model.simulation.timeline.isEmpty, "back to the interactive simulation")
    }
}
