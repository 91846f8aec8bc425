import CheckoutCore
import MockBackend
import Simulation
import Testing
@testable import TerminalUI

@Suite("See everything: in-flight requests, request details, labels, small screens")
struct SeeEverythingTests {
    static let sizes = [(120, 40), (80, 24)]

    /// Presses keys without letting replies arrive.
    private func pressNow(_ model: AppModel, _ keys: KeyPress...) {
        for key in keys {
            model.handle(key)
            model.tick()
        }
    }

    // MARK: - In flight

    @Test("an in-flight request is in the timeline at once, waiting, and its answer replaces it", arguments: sizes)
    func inFlight(size: (Int, Int)) {
        let model = makeModel()
        press(model, .character("b"), .character("l"))
        pressNow(model, .character("c"))
        model.simulation.clock.advance(toMillis: model.simulation.clock.nowMillis + 1_200)
        #expect(model.simulation.inFlight.map(\.number) == [1])
        var screen = View.render(model, width: size.0, height: size.1).lines.joined(separator: "\n")
        #expect(screen.contains("checkout key none → waiting 1.2 s…"))
        assertGolden(model, "in-flight", width: size.0, height: size.1)
        model.simulation.runUntilIdle()
        model.tick()
        screen = View.render(model, width: size.0, height: size.1).lines.joined(separator: "\n")
        #expect(!screen.contains("waiting"))
        #expect(screen.contains("#1 00:00:00 checkout key none → ok"))
    }

    @Test("a request abandoned by a refresh says so while it waits")
    func abandoned() {
        let model = makeModel()
        press(model, .character("b"), .character("l"))
        pressNow(model, .character("c"), .character("r"))
        #expect(model.simulation.inFlight.map(\.abandoned) == [true], "the refresh's own reply came at once")
        let screen = View.render(model, width: 120, height: 40).lines.joined(separator: "\n")
        #expect(screen.contains("abandoned by a refresh"))
    }

    // MARK: - Details

    /// The details of the first request, with a rule armed from the backend menu before the checkout.
    private func details(rule: Character, size: (Int, Int)) -> AppModel {
        let model = makeModel()
        model.screenSize = size
        press(model, .character("b"), .character(rule), .character("c"), .enter)
        #expect(model.overlay == .requestDetail(number: 1))
        return model
    }

    private func text(_ model: AppModel, _ size: (Int, Int)) -> String {
        View.render(model, width: size.0, height: size.1).lines.joined(separator: "\n")
    }

    @Test("the details of a garbled reply show the bytes as a hex dump, the client's error", arguments: sizes)
    func garbled(size: (Int, Int)) {
        let model = details(rule: "g", size: size)
        #expect(model.simulation.timeline.last?.undecodableBytes != nil)
        let screen = text(model, size)
        #expect(screen.contains("client-side"))
        #expect(screen.contains("/checkout.v1.CheckoutService/ValidateOrderItemsInsert"))
        #expect(screen.contains("application/proto"))
        if size == (80, 24) {
            for _ in 0..<12 { press(model, .down) }  // to the hex dump
        }
        #expect(text(model, size).contains("00000000  "), "a hex dump")
        assertGolden(model, "details-garbled", width: size.0, height: size.1)
        for _ in 0..<10 { press(model, .pageDown) }
        let end = text(model, size)
        #expect(end.contains("curl -sS -X POST") && end.contains("http://127.0.0.1:8787/checkout.v1."))
        #expect(end.contains("'Content-Type: application/json'"))
    }

    @Test("the details of a dropped reply say the reply was lost, not answered", arguments: sizes)
    func dropped(size: (Int, Int)) {
        let model = details(rule: "d", size: size)
        let screen = text(model, size)
        #expect(screen.contains("reply lost"))
        #expect(!screen.contains("answered"))
        #expect(screen.contains("client-side"))
        assertGolden(model, "details-dropped", width: size.0, height: size.1)
    }

    @Test("a server error is marked as the server's")
    func serverError() {
        let model = makeModel()
        press(model, .character("b"), .character("u"), .character("c"), .enter)
        let screen = View.render(model, width: 120, height: 40).lines.joined(separator: "\n")
        #expect(screen.contains("Error (from the server)"))
        #expect(!screen.contains("client-side"))
    }

    @Test("JSON is pretty-printed and wraps only between tokens", arguments: [12, 20, 33, 50])
    func jsonWrapping(width: Int) {
        let compact = #"{"items":[{"sku":"BEANS-1KG","quantity":1}],"email":"qa@example.com","customerName":"Ada Lovelace, Countess of Lovelace"}"#
        let pretty = JSONText.pretty(compact)
        #expect(pretty.hasPrefix("{\n  \"items\": [\n    {\n      \"sku\": \"BEANS-1KG\",\n"))
        let tokens = ["\"BEANS-1KG\"", "\"qa@example.com\"", "\"Ada Lovelace, Countess of Lovelace\"", "\"customerName\":"]
        for line in pretty.split(separator: "\n") {
            let wrapped = JSONText.wrap(String(line), width: width)
            for piece in wrapped { #expect(Grid.width(of: piece) <= width) }
            let joined = wrapped.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
            for token in tokens where line.contains(token) && token.count <= width - 8 {
                #expect(wrapped.contains { $0.contains(token) }, "\(token) stays whole at width \(width): \(wrapped)")
            }
            #expect(joined.filter { $0 != " " } == line.filter { $0 != " " }, "nothing lost")
        }
    }

    @Test("a single token wider than the window is cut, the rest never")
    func jsonWideToken() {
        let line = #"  "idempotencyKey": "0123456789abcdef0123456789abcdef","#
        let wrapped = JSONText.wrap(line, width: 24)
        #expect(wrapped.first == #"  "idempotencyKey":"#)
        #expect(wrapped.allSatisfy { Grid.width(of: $0) <= 24 })
        #expect(wrapped.joined().filter { $0 != " " } == line.filter { $0 != " " })
    }

    @Test("curl quotes the JSON so that nothing in it expands")
    func curlQuoting() {
        let json = #"{"customerName":"O'Brien $(rm -rf /) `id` \"x\""}"#
        let command = Curl.command(.validateOrderItemsInsert, json: json)
        #expect(command.hasPrefix("curl -sS -X POST http://127.0.0.1:8787/checkout.v1.CheckoutService/ValidateOrderItemsInsert \\\n"))
        #expect(command.contains("  -H 'Content-Type: application/json' \\\n  -H 'Connect-Protocol-Version: 1' \\\n"))
        #expect(command.hasSuffix(#"--data '{"customerName":"O'\''Brien $(rm -rf /) `id` \"x\""}'"#))
        #expect(Curl.shellQuoted("it's") == #"'it'\''s'"#)
    }

    @Test("C copies the selected request, on the main screen and in its details")
    func copy() {
        let model = makeModel()
        press(model, .character("c"), .character("C"))
        let copied = model.takeCopiedText()
        #expect(copied?.hasPrefix("curl ") == true)
        #expect(copied?.contains("BEANS-1KG") == true)
        #expect(model.takeCopiedText() == nil, "taken once")
        press(model, .enter, .character("C"))
        #expect(model.overlay == .requestDetail(number: 1), "the details stay open")
        #expect(model.takeCopiedText() == copied)
        for (width, height) in [(120, 40), (80, 24)] {
            let screen = View.render(model, width: width, height: height).lines
            #expect(screen.contains { $0.contains("· copied request #1 as a curl command") },
                    "the status line shows below the details at \(width)×\(height):\n\(screen.joined(separator: "\n"))")
        }
    }

    @Test("OSC 52 only where the terminal likely supports it")
    func clipboardSupport() {
        #expect(!Clipboard.likelySupported(term: nil))
        #expect(!Clipboard.likelySupported(term: "dumb"))
        #expect(!Clipboard.likelySupported(term: "linux"))
        #expect(Clipboard.likelySupported(term: "xterm-256color"))
        #expect(Clipboard.osc52("hi") == "\u{1b}]52;c;aGk=\u{07}")
    }

    // MARK: - Key history

    @Test("key-history labels say what happened", arguments: [
        ("server rotation", "c br r"),
        ("tampered replaced", "c e c"),
        ("cleared by hand", "c x"),
        ("cleared: paid", "c p"),
        ("cleared: completed", "c b c r"),
        ("double-submit race", "g d"),
    ])
    func keyHistoryLabels(expected: String, keys: String) {
        let model = makeModel()
        for key in keys where key != " " { press(model, .character(key)) }
        let labels = model.simulation.keyHistory.map(\.cause.label)
        #expect(labels.contains(expected), "\(labels) after \(keys)")
        #expect(!model.simulation.keyHistory.contains { $0.reason.contains("overwrote the stored key (rotation)") })
    }

    // MARK: - 80×24

    @Test("at 80×24 the footer keeps help and quit, and the key history shows")
    func smallFooter() {
        let model = makeModel()
        press(model, .character("c"))
        let lines = View.render(model, width: 80, height: 24).lines
        #expect(lines[23].contains(" ? help") && lines[23].contains(" q quit"))
        #expect(lines.joined().contains("stored"))
        let entries = View.footerEntries(Keymap.footer.map { ($0.label, $0.footer ?? "") }, width: 30)
        #expect(entries.map(\.key).suffix(2) == ["?", "q"])
    }

    @Test("the header shortens instead of cutting")
    func shortHeader() {
        let model = makeModel()
        model.stateLabel = "state: /very/long/path/to/a/state/directory/checkout-state"
        let header = View.render(model, width: 80, height: 24).lines[0]
        #expect(header.contains("checkout-state"))
        #expect(!header.contains("/very"))
        #expect(!header.contains("…"))
        #expect(header.contains("guard on") && header.contains("10s"))
        #expect(AppModel.lastComponent(of: "state: /a/b/dir/") == "state: dir")
    }
}
