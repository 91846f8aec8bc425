import CheckoutCore
import MockBackend
import Simulation
import Testing
@testable import TerminalUI

@Suite("Overlay states and the screen snapshot")
struct OverlayStateTests {
    @Test("the backend menu counts firings and arms with them, closing; 0 disarms all and stays open")
    func backendMenu() {
        var menu = BackendMenu()
        #expect(menu.handle(.character("3")) == .stay)
        #expect(menu.firing == .times(3))
        #expect(menu.handle(.character("A")) == .stay)
        #expect(menu.firing == .always)
        #expect(menu.handle(.character("0")) == .apply(.disarmAll))
        #expect(menu.handle(.escape) == .close)
        #expect(menu.handle(.tab) == .notMine)
        let rule = Keymap.bindings.first { $0.context == .backendMenu && $0.rule != nil }!
        #expect(menu.handle(rule.keys[0]) == .closeAndApply(.arm(rule.rule!, .always)))
    }

    @Test("the picker types into its filter, moves within the matches and plays the selected one")
    func picker() {
        let entries = [ScenarioEntry(file: "01-a.yaml", name: "first", description: ""),
                       ScenarioEntry(file: "02-b.yaml", name: "second", description: ""),
                       ScenarioEntry(file: "03-c.yaml", name: "third", description: "")]
        var picker = ScenarioPicker(entries: entries)
        #expect(picker.handle(.down) == .stay)
        #expect(picker.handle(.down) == .stay)
        #expect(picker.handle(.down) == .stay)
        #expect(picker.selection == 2)
        for key in chars("q") { #expect(picker.handle(key) == .stay, "q is typed, not quit") }
        #expect(picker.matches.isEmpty)
        #expect(picker.handle(.enter) == .stay)
        #expect(picker.handle(.backspace) == .stay)
        for key in chars("sec") { _ = picker.handle(key) }
        #expect(picker.matches.map(\.name) == ["second"])
        #expect(picker.handle(.enter) == .play(entries[1]))
        #expect(picker.handle(.escape) == .close)
    }

    @Test("the bank page answers y and n, leaves on Esc, and is the presenter's in a demo")
    func bankPage() {
        #expect(BankPage.handle(.character("y"), presenting: false) == .apply(.returnFromRedirect(.succeeded)))
        #expect(BankPage.handle(.character("n"), presenting: false) == .apply(.returnFromRedirect(.failed)))
        #expect(BankPage.handle(.escape, presenting: false) == .close)
        #expect(BankPage.handle(.character("q"), presenting: false) == .notMine)
        #expect(BankPage.handle(.character("y"), presenting: true) == .notMine)
        #expect(BankPage.handle(.escape, presenting: true) == .notMine)
    }

    @Test("a reading overlay scrolls within its page and closes on its keys")
    func reading() {
        let page = Reading.Page(window: Rect(x: 0, y: 0, width: 40, height: 12), title: "",
                                rows: Array(repeating: [Span(x: 1, text: "row")], count: 30))
        var reading = ReadingOverlay(.help)
        #expect(reading.handle(.up, page: page) == .stay)
        #expect(reading.scroll == 0)
        #expect(reading.handle(.pageDown, page: page) == .stay)
        #expect(reading.scroll == 10)
        reading.scroll(.pageDown, page: page, toEnd: true)
        #expect(reading.scroll == page.maxScroll)
        #expect(reading.handle(.character("c"), page: page) == .stay, "other keys are swallowed")
        #expect(reading.handle(.character("q"), page: page) == .close)
    }

    @Test("the view draws only from the snapshot: a later change to the model does not show in it")
    func snapshotIsAValue() {
        let model = makeModel()
        let before = model.screen()
        let lines = View.render(before, width: 120, height: 40).lines
        press(model, .character("a"), .character("a"), .character("c"), .character("b"))
        #expect(model.overlay == .backendMenu)
        #expect(View.render(before, width: 120, height: 40).lines == lines)
        #expect(View.render(model.screen(), width: 120, height: 40).lines != lines)
    }

    @Test("a opens the product picker: every product with its stock, Enter or a adds the selected one, Esc adds nothing")
    func productPicker() {
        let model = makeModel(cart: [CartLine(sku: "BEANS-1KG", qty: 1)])
        press(model, .character("a"))
        #expect(model.overlay == .productPicker)
        guard case .products(let picker)? = model.overlayState else { Issue.record("no picker"); return }
        #expect(picker.rows.map(\.sku) == model.simulation.backend.catalog.products.map(\.sku))
        #expect(picker.rows[picker.selection].sku == "MUG", "starts at the first product not in the cart")
        let screen = View.render(model, width: 120, height: 40).lines.joined(separator: "\n")
        #expect(screen.contains("Limited poster") && screen.contains("out of stock") && screen.contains("1 in cart"))
        press(model, .down, .enter)
        #expect(model.overlay == nil)
        #expect(model.simulation.client.cart.map(\.sku) == ["BEANS-1KG", "FILTERS"])
        press(model, .character("a"), .escape)
        #expect(model.overlay == nil && model.simulation.client.cart.count == 2)
        press(model, .character("a"), .up, .character("a"))
        #expect(model.simulation.client.cart.first { $0.sku == "BEANS-1KG" }?.qty == 2, "a on the picker adds the selected too")
    }
}

