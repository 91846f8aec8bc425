import Foundation
import Testing

/// What product staff see in the real binary is whole and true: a demo's narration, the
/// status line under a request's details, the backend menu after `0`, a real client's
/// request opened with Enter in `serve`'s TUI.
@Suite("Readable screens in tmux", .serialized)
struct ReadableEndToEndTests {
    /// The screen's words with line breaks undone: a wrapped narration reads as one line.
    static func words(_ screen: String) -> String {
        screen.replacingOccurrences(of: "│", with: " ").split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    @Test("demo 33 at 80×24: the third narration shows whole, its verdict on a row of its own",
          arguments: installedBinaries)
    func demoNarration(binary: String) throws {
        let tmux = try TmuxSession("'\(binary)' demo scenarios/33-paid-twice-after-another-tab.yaml", width: 80, height: 24)
        tmux.waitFor("step 0/")
        try tmux.type("       ")
        let punchline = "so the server opens a new session for the same cart.”"
        let screen = tmux.waitUntil { $0.contains("step 7/") && Self.words($0).contains(punchline) }
        #expect(Self.words(screen).contains(punchline), "\(screen)")
        try tmux.type(" ")
        let verdict = tmux.waitFor("step 8/")
        #expect(Self.words(verdict).contains(punchline), "the narration stays while the step plays:\n\(verdict)")
        try tmux.type(" ")
        let met = tmux.waitUntil { $0.contains("✓ expectations met (step 9)") }
        #expect(Self.words(met).contains(punchline), "the verdict does not replace the narration:\n\(met)")
        try tmux.type("q")
        #expect(tmux.waitFor("EXIT=").contains("EXIT=0"))
    }

    @Test("C in a request's details: the copied status shows under them")
    func copiedStatus() throws {
        let tmux = try TmuxSession("'\(binary)' --state-dir '\(freshStateDirectory())'")
        try tmux.addAndCheckOut()
        try tmux.press("Enter")
        tmux.waitFor("Request #1 (Esc closes)")
        try tmux.type("C")
        let screen = tmux.waitUntil { $0.contains("copied request #1 as a curl command") && $0.contains("Request #1 (Esc closes)") }
        #expect(screen.contains("copied request #1 as a curl command") && screen.contains("Request #1 (Esc closes)"), "\(screen)")
        try tmux.type("q")  // closes the details
        tmux.waitUntil { !$0.contains("Request #1 (Esc closes)") }
        try tmux.type("q")
        #expect(tmux.waitFor("EXIT=").contains("EXIT=0"))
    }

    @Test("0 in the backend menu disarms every rule and the menu stays, its queue empty")
    func disarmAllKeepsTheMenu() throws {
        let tmux = try TmuxSession("'\(binary)' --state-dir '\(freshStateDirectory())'")
        tmux.waitFor("No request yet")
        try tmux.armRule("r", until: "armed rotate")
        try tmux.type("b")
        let armed = tmux.waitUntil { $0.contains("Backend rules") && $0.contains("1. rotate") }
        #expect(armed.contains("1. rotate"), "\(armed)")
        try tmux.type("0")
        let screen = tmux.waitUntil { $0.contains("every rule disarmed") && !$0.contains("1. rotate") }
        #expect(screen.contains("Backend rules") && screen.contains("Armed, in order"), "the menu stays open:\n\(screen)")
        #expect(!screen.contains("1. rotate"), "\(screen)")
        let queue = screen.split(separator: "\n").drop { !$0.contains("Armed, in order") }.dropFirst().first ?? ""
        #expect(queue.contains("none"), "\(screen)")
        try tmux.press("Escape")
        tmux.waitUntil { !$0.contains("Armed, in order") }
        try tmux.type("q")
        #expect(tmux.waitFor("EXIT=").contains("EXIT=0"))
    }

    @Test("serve: Enter opens a real client's request with its reply and the rules that fired; ↑ reaches the shopper's",
          arguments: installedBinaries)
    func wireRowDetails(binary: String) throws {
        let tmux = try TmuxSession("\(binary) serve --port 0 --state-dir \(freshStateDirectory())", width: 120, height: 40)
        let listening = tmux.waitUntil { $0.contains("serving http://127.0.0.1:") }
        let port = try #require(listening.firstMatch(of: /serving http:\/\/127\.0\.0\.1:(\d+)/).map { String($0.output.1) },
                                "\(listening)")
        let url = "http://127.0.0.1:\(port)/checkout.v1.CheckoutService/ValidateOrderItemsInsert"
        try tmux.addAndCheckOut()
        let first = try ServeTUIEndToEndTests.post(url, ServeTUIEndToEndTests.cart)
        let key = try #require(ServeTUIEndToEndTests.key(in: first.body), "\(first)")
        try tmux.armRule("r", until: "rotate")
        try tmux.press("Escape")
        let body = ServeTUIEndToEndTests.cart.replacingOccurrences(of: "}]", with: "}],\"idempotencyKey\":\"\(key)\"")
        let rotated = try ServeTUIEndToEndTests.post(url, body)
        let newKey = try #require(ServeTUIEndToEndTests.key(in: rotated.body), "\(rotated)")
        // At 120 columns the rule that fired shows before the user agent.
        let row = tmux.waitFor("rule: rotate · 127.0.0.1")
        #expect(row.contains("rule: rotate · 127.0.0.1"), "\(row)")

        try tmux.press("Enter")
        // A frame reaches the terminal in pieces under load: wait for the details' last line too.
        let details = tmux.waitUntil { $0.contains("from a real client") && $0.contains("rules fired:") && $0.contains("\"idempotencyKey\"") }
        #expect(details.contains("Request ⇄2 from a real client"), "the newest row opens:\n\(details)")
        #expect(details.contains("key sent:     \(key)") && details.contains("key returned: \(newKey)"), "\(details)")
        #expect(details.contains("rules fired:  rotate"), "\(details)")
        #expect(details.contains("ValidateOrderItemsInsertResponse") && details.contains("\"idempotencyKey\": \"\(newKey)\""), "\(details)")
        try tmux.type("C")
        #expect(tmux.waitFor("copied request ⇄2").contains("from a real client"), "the status shows under the details")
        try tmux.press("Escape")
        tmux.waitUntil { !$0.contains("from a real client") }

        try tmux.press("Tab")
        try tmux.press("Up")
        try tmux.press("Up")
        try tmux.press("Enter")
        let own = tmux.waitUntil { $0.contains("Request #1 (Esc closes)") && $0.contains("client did:") }
        #expect(own.contains("client did:   stored the key"), "\(own)")
        try tmux.press("Escape")

        // A reply the wire drops: its details still show the key the backend issued.
        try tmux.armRule("d", until: "drop_response")
        try tmux.press("Escape")
        _ = try? spawn(["/usr/bin/env", "curl", "-s", "-m", "10", "-H", "Content-Type: application/json", "-H", "Connect-Timeout-Ms: 300",
                        "-d", ServeTUIEndToEndTests.cart, url], capture: true)
        tmux.waitFor("processed, reply dropped")
        for _ in 0..<4 { try tmux.press("Down") }  // past the last row: the newest again
        try tmux.press("Enter")
        let dropped = tmux.waitUntil { $0.contains("Request ⇄3 from a real client") && $0.contains("rules fired:") }
        #expect(dropped.contains("key returned: none (the reply carrying ") && dropped.contains("rules fired:  drop_response"), "\(dropped)")
        try tmux.press("Escape")
        // The browser's live session is its own (it holds the key last issued to it); the dropped reply's is an orphan.
        let backend = tmux.waitUntil { $0.contains("orphaned 1") && $0.contains("(orphan)") && $0.contains("⇄ \(newKey.prefix(8))…") }
        #expect(backend.split(separator: "\n").filter { $0.contains("(orphan)") }.count == 1, "\(backend)")
        #expect(backend.contains("⇄ \(newKey.prefix(8))…"), "\(backend)")
        try tmux.type("q")
        #expect(tmux.waitFor("EXIT=").contains("EXIT=0"))
    }
}
