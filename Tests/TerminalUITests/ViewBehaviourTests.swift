import Scenarios
import CheckoutCore
import MockBackend
import Testing
@testable import TerminalUI

@Suite("The view and the keymap")
struct ViewBehaviourTests {
    @Test("hostile text from the backend and storage is shown escaped, never raw")
    func hostileText() {
        let model = makeModel()
        model.simulation.setStoredKey("\u{1B}]0;pwned\u{07}\u{1B}[2J\u{202E}key")
        model.simulation.arm(.error(message: "\u{1B}[31mboom\u{1B}]2;title\u{07}\u{9B}", code: .internal))
        press(model, .character("c"))
        let grid = View.render(model, width: 120, height: 40)
        let cells = grid.cells.map(\.symbol).joined()
        #expect(!cells.unicodeScalars.contains { UntrustedText.isUnsafe($0) })
        #expect(grid.lines.contains { $0.contains("\\e]0;pwned\\u{7}") })
        #expect(grid.lines.contains { $0.contains("\\e[31mboom") })
    }

    @Test("every key of the footer is in the keymap and dispatches")
    func footer() {
        #expect(Keymap.footer.map(\.label) == ["c", "r", "p", "m", "a", "+", "b", "s", "?", "q"])
        let model = makeModel()
        press(model, .character("q"))
        #expect(model.quitRequested)
    }

    @Test("latency never blocks: the key works while a request is in flight")
    func latencyDoesNotBlock() {
        let model = makeModel()
        model.simulation.arm(.latency(millis: 2000))
        model.handle(.character("c"))
        model.tick()
        #expect(model.simulation.inFlightCount == 1)
        let screen = View.render(model, width: 100, height: 30).lines.joined()
        #expect(screen.contains("1 request in flight"))
        model.handle(.character("a"))
        model.handle(.enter)
        #expect(model.simulation.client.cart.count == 3)
        model.simulation.runUntilIdle()
        model.tick()
        #expect(model.simulation.storedKey != nil)
    }

    @Test("quantity keys edit the selected line and remove it at zero")
    func quantities() {
        let model = makeModel(cart: [CartLine(sku: "MUG", qty: 1)])
        press(model, .character("+"))
        #expect(model.simulation.client.cart.first?.qty == 2)
        press(model, .character("-"), .character("-"))
        #expect(model.simulation.client.cart.isEmpty)
    }

    @Test("the timeline selection opens the whole request and response")
    func requestDetail() {
        let model = makeModel()
        press(model, .character("c"), .tab, .enter)
        #expect(model.overlay == .requestDetail(number: 1))
        let screen = View.render(model, width: 120, height: 40).lines.joined(separator: "\n")
        #expect(screen.contains("\"idempotencyKey\""))
        #expect(screen.contains("ValidateOrderItemsInsertResponse"))
        press(model, .pageDown)
        #expect(View.render(model, width: 120, height: 40).lines.joined(separator: "\n").contains("ValidateOrderItemsInsertRequest"))
    }

    @Test("the grid diff input: wide characters take two cells")
    func wideCharacters() {
        var grid = Grid(width: 6, height: 1)
        grid.put("a漢b", x: 0, y: 0)
        #expect(grid.lines == ["a漢b  "])
        #expect(grid[2, 0].symbol == "")
    }

    @Test("columns: Latin one, combining marks none, East Asian wide and emoji two", arguments: [
        ("a", 1), ("é", 1), ("ÿ", 1), ("─", 1), ("€", 1), ("\u{301}", 0), ("\u{20DD}", 0), ("漢", 2), ("한", 2), ("🛒", 2),
    ] as [(Character, Int)])
    func columns(_ character: Character, _ expected: Int) {
        #expect(Grid.columns(of: character) == expected)
    }

    @Test("a box is clipped to the grid and its title cut to the box")
    func boxClipping() {
        var grid = Grid(width: 8, height: 3)
        let inner = grid.box(Rect(x: 4, y: 1, width: 10, height: 5), title: "Timeline")
        #expect(grid.lines == ["        ", "    ┌ T…", "    │   "])
        #expect(inner == Rect(x: 5, y: 2, width: 8, height: 3))
        var small = Grid(width: 12, height: 3)
        small.box(Rect(x: 0, y: 0, width: 8, height: 3), title: "Timeline")
        #expect(small.lines == ["┌ Time…┐    ", "│      │    ", "└──────┘    "])
    }

    @Test("docs/keys.md is generated from the keymap and up to date")
    func keysDocument() throws {
        let url = goldenDirectory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/keys.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text == Keymap.markdown(), "docs/keys.md is stale: run `swift run checkout-sim keys --markdown > docs/keys.md`")
    }
}

@Suite("Presenter autoplay")
struct AutoplayTests {
    @Test("autoplay plays one step per chosen delay of wall time")
    func autoplay() throws {
        let model = makeModel()
        var now: Int64 = 1_000_000
        model.wallClockMillis = { now }
        let root = goldenDirectory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        model.present(try ScenarioParser.parse(contentsOf: root.appendingPathComponent("scenarios/04-rotation.yaml").path))
        model.handle(.character("A"))
        model.handle(.character("]"))
        #expect(model.presenter?.autoplayDelayMillis == 1000)
        model.tick()
        #expect(model.presenter?.played == 1)
        now += 999
        model.tick()
        #expect(model.presenter?.played == 1)
        now += 1
        model.tick()
        #expect(model.presenter?.played == 2)
        model.handle(.character("A"))
        now += 5000
        model.tick()
        #expect(model.presenter?.played == 2, "autoplay off")
    }
}

@Suite("Backend menu")
struct BackendMenuTests {
    @Test("a digit sets the times, a letter arms that rule, 0 disarms everything")
    func armAndDisarm() {
        let model = makeModel()
        press(model, .character("b"), .character("3"), .character("r"))
        #expect(model.overlay == nil)
        #expect(model.simulation.backend.rules.rules.map(\.label) == ["rotate ×3 (3 left)"])
        #expect(model.backendView.rules == ["rotate ×3 (3 left)"])
        press(model, .character("b"), .character("0"))
        #expect(model.simulation.backend.rules.rules.isEmpty)
        #expect(model.backendView.rules.isEmpty)
        #expect(model.status == "every rule disarmed")
    }

    @Test("0 keeps the menu open on its empty queue", arguments: [(120, 40), (80, 24)])
    func disarmAllStaysOpen(size: (Int, Int)) {
        let model = makeModel()
        model.simulation.apply(.arm(.rotate, .times(2)))
        model.simulation.apply(.arm(.latency(millis: 1500), .always))
        press(model, .character("b"))
        let before = View.render(model, width: size.0, height: size.1).lines.joined(separator: "\n")
        #expect(before.contains("1. rotate") && before.contains("2. latency"), "\(before)")
        press(model, .character("0"))
        #expect(model.overlay == .backendMenu)
        let screen = View.render(model, width: size.0, height: size.1).lines
        let queue = screen.first { $0.contains("Armed, in order") }.flatMap { screen.firstIndex(of: $0) }
        let below = queue.map { screen[$0 + 1] } ?? ""
        #expect(below.contains("none"), "\(screen.joined(separator: "\n"))")
        #expect(!screen.joined().contains("1. rotate"))
        if size.1 >= 30 { #expect(screen.joined().contains("every rule disarmed"), "below the menu") }
        press(model, .escape)
        #expect(model.overlay == nil)
    }
}
