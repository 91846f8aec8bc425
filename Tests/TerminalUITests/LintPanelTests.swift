import Testing
@testable import TerminalUI
import WireLint

/// `serve`'s lint panel: each client's keys on the wire and the newest verdicts, hostile text inert.
@Suite struct LintPanelTests {
    static func serving(_ report: LintReport?) -> String {
        let model = makeModel()
        model.wire = WireState(listening: "http://127.0.0.1:8787")
        model.wire?.lint = report
        return View.render(model, width: 120, height: 40).lines.joined(separator: "\n")
    }

    @Test func aCleanClientAndAViolation() {
        let report = LintReport(
            verdicts: [Verdict(rule: .followRotation, client: "c-1", requests: [4, 9], message: "sent \"k1\" after #4 rotated \"k1\" to \"k2\"",
                               expected: "the new key \"k2\"", atMillis: 0)],
            clients: [ClientKeys(client: "c-1", userAgent: "Mozilla/5.0 Chrome/156.0", validations: 3, issued: "k2", expectedNext: "k2",
                                 lastSent: "k1", verdicts: 1),
                      ClientKeys(client: WireExchange.simulatedClient, userAgent: "", validations: 1, issued: "k3", expectedNext: "none",
                                 lastSent: nil, verdicts: 0)],
            journal: 12)
        let screen = Self.serving(report)
        #expect(screen.contains("Lint · 1 violation · keys on the wire"))
        #expect(screen.contains("✗ c-1 Chrome  issued k2 · next k2 · sent k1"))
        #expect(screen.contains("✓ simulated shopper  issued k3 · next none · sent none"))
        #expect(screen.contains("rule 2 follow-rotation #4 #9: sent \"k1\" after #4 rotated"))
    }

    @Test func aRepeatedMistakeShowsHowOftenAndAPrunedJournalSaysWhereItStarts() {
        var verdict = Verdict(rule: .noKeyAfterPayment, client: "c-1", requests: [5, 9], message: "sent \"k1\" after the payment #5 succeeded",
                              expected: "no key: a successful payment clears it", atMillis: 0)
        verdict.count = 4
        verdict.lastRequest = 40
        let report = LintReport(verdicts: [verdict],
                                clients: [ClientKeys(client: "c-1", userAgent: "curl/8", validations: 5, issued: "k1", expectedNext: "none",
                                                     lastSent: "k1", verdicts: 1)],
                                journal: 40, pruned: .init(count: 4, through: 4))
        let screen = Self.serving(report)
        #expect(screen.contains("Lint · 1 violation · journal from #5 · keys on the wire"))
        #expect(screen.contains("rule 4 no-key-after-payment #5 #9 (4 times, #5 to #40): sent \"k1\" af"))
    }

    @Test func beforeAnyClientAndBeforeTheFirstJudgement() {
        #expect(Self.serving(nil).contains("judging…"))
        let empty = Self.serving(LintReport(verdicts: [], clients: [], journal: 0))
        #expect(empty.contains("Lint · clean"))
        #expect(empty.contains("No client yet"))
    }

    @Test func hostileClientTextIsInert() {
        let hostile = "\u{1B}[2J\u{1B}]0;pwned\u{07}"
        let report = LintReport(
            verdicts: [Verdict(rule: .unknownKey, client: hostile, requests: [1], message: "sent \"\(hostile)\", which this server never issued",
                               expected: "no key", atMillis: 0)],
            clients: [ClientKeys(client: hostile, userAgent: hostile, validations: 1, issued: nil, expectedNext: "none", lastSent: hostile,
                                 verdicts: 1)],
            journal: 1)
        let screen = Self.serving(report)
        #expect(!screen.contains("\u{1B}"))
        #expect(!screen.contains("\u{07}"))
        #expect(screen.contains("rule 6 unknown-key #1"))
    }
}

/// `serve`: a real client's requests are in the timeline among the shopper's, by time.
@Suite struct ServeTimelineTests {
    @Test func realClientsInterleaveWithTheShopper() throws {
        let model = makeModel()
        press(model, .character("c"))
        let shopperAt = model.simulation.timeline.last?.sentAtMillis ?? 0
        model.wire = WireState(listening: "http://127.0.0.1:8787")
        model.wire?.append([
            WireRow(atMillis: shopperAt - 1_000, peer: "127.0.0.1:5000", userAgent: "before/1.0", method: "ValidateOrderItemsInsert",
                    keySent: nil, returnedKey: "k-before", outcome: "ok", ok: true, rules: []),
            WireRow(atMillis: shopperAt + 1_000, peer: "127.0.0.1:5001", userAgent: "after/1.0", method: "ConfirmPayment",
                    keySent: nil, returnedKey: nil, outcome: "failed_precondition", ok: false, rules: ["rotate"]),
        ])
        let lines = View.render(model, width: 120, height: 40).lines
        let before = lines.firstIndex { $0.contains("before/1.0") }
        let shopper = lines.firstIndex { $0.contains("#1 ") && $0.contains("checkout key none") }
        // The rules that fired come before the user agent, which is what a narrow row cuts.
        let after = lines.firstIndex { $0.contains("rule: rotate · 127.0.0.1:5001 after/1.0") }
        let order = try #require(before.flatMap { b in shopper.flatMap { s in after.map { (b, s, $0) } } },
                                 "\(lines.joined(separator: "\n"))")
        #expect(order.0 < order.1 && order.1 < order.2)
        #expect(lines.contains { $0.contains("⇄ ") && $0.contains("ConfirmPayment → failed_precondition") })
        #expect(lines.contains { $0.contains("Timeline · serving http://127.0.0.1:8787 · your front end") })
    }
}
