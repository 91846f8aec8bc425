import Foundation
import Testing

/// `checkout-sim serve` with its TUI as the control panel, in a real terminal: requests
/// from a real client (curl) appear in the timeline, the TUI's rule keys and
/// `checkout-sim rules add` from a shell arm rules for them, the lint panel judges
/// them, the simulated shopper still works, and q stops the server.
@Suite("serve: the TUI as a live control panel", .serialized)
struct ServeTUIEndToEndTests {
    static let cart = #"{"items":[{"sku":"MUG","quantity":1}],"paymentMethod":"CARD","email":"qa@example.com","currency":"EUR"}"#

    /// POSTs JSON with curl; the body, then the status on the last line.
    static func post(_ url: String, _ body: String) throws -> (body: String, status: String) {
        let out = try spawn(["/usr/bin/env", "curl", "-s", "-A", "e2e-shop/1.0", "-w", "\n%{http_code}", "-H", "Content-Type: application/json",
                             "-d", body, url], capture: true)
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false)
        return (lines.dropLast().joined(separator: "\n"), String(lines.last ?? ""))
    }

    static func key(in json: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return nil }
        return object["idempotencyKey"] as? String
    }

    @Test(arguments: installedBinaries)
    func wirePanelRulesAndShopper(binary: String) throws {
        let state = freshStateDirectory()
        let tmux = try TmuxSession("\(binary) serve --port 0 --state-dir \(state)", width: 140, height: 44)
        let listening = tmux.waitUntil { $0.contains("serving http://127.0.0.1:") }
        let port = try #require(listening.firstMatch(of: /serving http:\/\/127\.0\.0\.1:(\d+)/).map { String($0.output.1) },
                                "the timeline never showed the address:\n\(listening)")
        let base = "http://127.0.0.1:\(port)/checkout.v1.CheckoutService/ValidateOrderItemsInsert"

        let first = try Self.post(base, Self.cart)
        #expect(first.status == "200", "\(first)")
        let key = try #require(Self.key(in: first.body), "\(first)")
        let shown = tmux.waitFor("e2e-shop/1.0")
        #expect(shown.contains("⇄ ") && shown.contains("validate key none → ok"), "\(shown)")

        // A rule armed with the TUI's keys fires for the next external request.
        try tmux.armRule("r", until: "rotate")
        try tmux.press("Escape")
        let rotated = try Self.post(base, Self.cart.replacingOccurrences(of: "}]", with: "}],\"idempotencyKey\":\"\(key)\""))
        let newKey = try #require(Self.key(in: rotated.body), "\(rotated)")
        #expect(newKey != key)
        let afterRotation = tmux.waitFor("rule: rotate")
        #expect(afterRotation.contains("rule: rotate"), "\(afterRotation)")

        // A rule armed from a shell, in the same state directory.
        let armed = try spawn([binary, "rules", "add", "payment_unavailable", "--state-dir", state], capture: true)
        #expect(armed.contains("armed payment_unavailable"), "\(armed)")
        let refused = try Self.post(base, Self.cart)
        #expect(refused.status == "503", "\(refused)")
        #expect(refused.body.contains("\"code\":\"unavailable\""), "\(refused)")
        tmux.waitFor("unavailable")
        // The lint: curl sends no cookie back, so its requests are one client, which ignored the rotation.
        let linted = tmux.waitFor("rule 2 follow-rotation")
        #expect(linted.contains("Lint · 1 violation"), "\(linted)")
        #expect(linted.contains("✗ no cookie e2e-shop"), "\(linted)")

        // The simulated shopper still works beside the server.
        let shopper = try tmux.addAndCheckOut()
        #expect(shopper.contains("stored the key"), "\(shopper)")
        let judged = tmux.waitFor("✓ simulated shopper")
        #expect(judged.contains("Lint · 1 violation"), "the shopper adds no verdict:\n\(judged)")

        try tmux.type("q")
        let quit = tmux.waitFor("EXIT=0")
        #expect(quit.contains("EXIT=0"), "\(quit)")
        let gone = try Self.post(base, Self.cart)
        #expect(gone.status == "000", "the server still answers after q: \(gone)")
    }
}
