import CheckoutCore
import Foundation
import Simulation
import Testing
import WireLint
@testable import TerminalUI

/// `serve`'s real clients in the TUI: their rows open like the shopper's, and a session
/// is called an orphan only when it is known that no client holds its key.
@Suite("serve: real clients' rows and orphans")
struct WireRowTests {
    private static let request = #"{"items":[{"sku":"MUG","quantity":1}],"idempotencyKey":"k-old\u001b[2J"}"#
    private static let response = #"{"idempotencyKey":"k-new","paymentIntentId":"pi_000009_aa"}"#

    /// The shopper checked out (#1), then a browser's validation was rotated (⇄1).
    private func serving() -> AppModel {
        let model = makeModel()
        press(model, .character("c"))
        let at = model.simulation.timeline.last?.sentAtMillis ?? 0
        model.wire = WireState(listening: "http://127.0.0.1:8787")
        model.wire?.append([
            WireRow(atMillis: at + 1_000, peer: "127.0.0.1:5001", userAgent: "Mozilla/5.0 \u{1B}]0;pwned\u{07}", method: "ValidateOrderItemsInsert",
                    keySent: "k-old", returnedKey: "k-new", outcome: "ok", ok: true, rules: ["rotate"], client: "c-browser",
                    path: "/checkout.v1.CheckoutService/ValidateOrderItemsInsert", wireProtocol: "connect+json",
                    requestJSON: Self.request, responseJSON: Self.response, issuedKey: "k-new"),
        ])
        return model
    }

    @Test("Enter on a ⇄ row shows its request, reply and rules; ↑ and Enter reach the shopper's", arguments: [(120, 40), (80, 24)])
    func details(size: (Int, Int)) throws {
        let model = serving()
        model.screenSize = size
        press(model, .enter)
        #expect(model.overlay == .wireDetail(number: 1), "the newest row is the browser's")
        let screen = View.render(model, width: size.0, height: size.1).lines.joined(separator: "\n")
        #expect(screen.contains("Request ⇄1 from a real client"), "\(screen)")
        #expect(screen.contains("key sent:     k-old") && screen.contains("key returned: k-new"), "\(screen)")
        #expect(screen.contains("rules fired:  rotate"), "\(screen)")
        #expect(screen.contains("ValidateOrderItemsInsertResponse") && screen.contains("\"paymentIntentId\": \"pi_000009_aa\""), "\(screen)")
        #expect(!screen.contains("\u{1B}"), "hostile text is escaped")
        press(model, .character("C"))
        #expect(model.takeCopiedText()?.contains("/checkout.v1.CheckoutService/ValidateOrderItemsInsert") == true)
        #expect(View.render(model, width: size.0, height: size.1).lines.joined().contains("copied request ⇄1 as a curl command"))
        press(model, .escape, .tab, .up, .enter)
        #expect(model.overlay == .requestDetail(number: 1))
        press(model, .escape, .down, .enter)
        #expect(model.overlay == .wireDetail(number: 1))
    }

    @Test("a reply the wire dropped: its details name the key the client never got")
    func droppedReply() {
        let model = serving()
        model.wire?.append([WireRow(atMillis: 0, peer: "p", userAgent: "u", method: "ValidateOrderItemsInsert", keySent: nil,
                                    returnedKey: nil, outcome: "processed, reply dropped", ok: false, rules: ["drop_response"],
                                    requestJSON: Self.request, responseJSON: Self.response, issuedKey: "k-lost")])
        press(model, .enter)
        #expect(model.overlay == .wireDetail(number: 2))
        let screen = View.render(model, width: 120, height: 40).lines.joined(separator: "\n")
        #expect(screen.contains("key returned: none (the reply carrying k-lost was lost)"), "\(screen)")
        #expect(screen.contains("(what the backend answered; the client did not get it)"), "\(screen)")
    }

    @Test("the selected ⇄ row is highlighted when the timeline has focus")
    func selection() {
        let model = serving()
        press(model, .tab)
        let grid = View.render(model, width: 120, height: 40)
        let y = grid.lines.firstIndex { $0.contains("⇄ ") } ?? 0
        let x = grid.lines[y].distance(from: grid.lines[y].startIndex, to: grid.lines[y].firstIndex(of: "⇄")!)
        #expect(grid[x + 3, y].style == .selected)
    }

    @Test("at 120 columns the rules that fired show before a long user agent")
    func rulesFirst() {
        let model = serving()
        model.wire?.rows[0].userAgent = String(repeating: "Mozilla/5.0 (X11; Linux x86_64) ", count: 4)
        let lines = View.render(model, width: 120, height: 40).lines
        #expect(lines.contains { $0.contains("rule: rotate · 127.0.0.1:5001 Mozilla") }, "\(lines.joined(separator: "\n"))")
    }

    @Test("orphans: unknown until the lint read the journal; a browser holds the key last issued to it")
    func orphans() throws {
        let model = makeModel()
        press(model, .character("c"), .character("x"))  // the shopper's key is gone: its session is someone's or no one's
        let key = try #require(model.backendView.sessions.first?.key)
        #expect(model.backendView.orphans == [key], "without serve the shopper is the only client")
        #expect(View.render(model, width: 120, height: 40).lines.contains { $0.contains("(orphan)") })

        model.wire = WireState(listening: "http://127.0.0.1:8787")
        model.refreshBackendView()
        #expect(!model.backendView.orphansKnown && model.backendView.orphans.isEmpty)
        var screen = View.render(model, width: 120, height: 40).lines.joined(separator: "\n")
        #expect(screen.contains("orphaned ?") && !screen.contains("(orphan"), "\(screen)")

        let browser = ClientKeys(client: "c-browser", userAgent: "Mozilla", validations: 1, issued: key, expectedNext: key,
                                 lastSent: nil, verdicts: 0)
        model.wire?.lint = LintReport(verdicts: [], clients: [browser], journal: 5)
        model.refreshBackendView()
        #expect(model.backendView.orphansKnown && model.backendView.orphaned == 0)
        screen = View.render(model, width: 120, height: 40).lines.joined(separator: "\n")
        #expect(screen.contains("orphaned 0") && screen.contains("⇄ \(Format.shortKey(key))"), "\(screen)")

        var moved = browser
        moved.issued = "k-later"
        model.wire?.lint = LintReport(verdicts: [], clients: [moved], journal: 6)
        model.refreshBackendView()
        #expect(model.backendView.orphans == [key], "no client holds it any more")

        model.wire?.append([WireRow(atMillis: 0, peer: "p", userAgent: "u", method: "ValidateOrderItemsInsert", keySent: nil,
                                    returnedKey: key, outcome: "ok", ok: true, rules: [], client: "c-other")])
        model.refreshBackendView()
        #expect(model.backendView.orphans.isEmpty, "a row that came in since the lint read the journal counts too")
    }
}
