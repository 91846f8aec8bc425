import Foundation
import CheckoutCore
import MockBackend
import Simulation
import Testing
@testable import Scenarios

@Suite("Scenario parser")
struct ParserTests {
    @Test("the format document's example parses to what it says")
    func example() throws {
        let scenario = try #require(try? parse(String(contentsOf: repositoryRoot.appendingPathComponent("scenarios/04-rotation.yaml"), encoding: .utf8)).get())
        #expect(scenario.name == "Key rotates on refresh")
        #expect(scenario.setup.seed == 7)
        #expect(scenario.setup.cart.map(\.qty) == [1, 2])
        #expect(scenario.setup.form.email == "qa@example.com")
        #expect(scenario.steps.count == 7)
        #expect(scenario.steps[3].kind == .backend(.rotate, .once))
    }

    @Test("every action, rule form and expectation parses")
    func everything() throws {
        let yaml = """
            name: all
            setup: { seed: 3, client: legacy, double_submit_guard: false, payment_method: CARD_TEST, stored_key: x }
            steps:
              - do: { checkout: { clicks: 2 } }
              - do: refresh
              - do: retry
              - do: pay
              - do: { pay: { card: "4000 0000 0000 0002" } }
              - do: { return_from_redirect: failed }
              - do: { add_item: { sku: MUG, qty: 2 } }
              - do: { remove_item: MUG }
              - do: { set_qty: { sku: MUG, qty: 0 } }
              - do: { payment_method: BANK_TRANSFER }
              - do: { fill_form: { email: a@b.c, name: N } }
              - do: { set_stored_key: abc }
              - do: clear_storage
              - do: { wait: 1m30s }
              - backend: { rotate: { times: 3 } }
              - backend: { timeout: always }
              - backend: { garble_response: { probability: 0.25 } }
              - backend: { error: { message: boom, code: unavailable, times: 2 } }
              - backend: { latency: 500ms }
              - backend: { latency: { duration: 2s, always: true } }
              - backend: mark_paid
              - expect:
                  requests: [ { key: none, result: network, returned_key: $a, message: x } ]
                  sent_key: $a
                  stored_key: "lit"
                  toast: { kind: info, category: empty_cart, contains: empty }
                  cart: { items: 2 }
                  form: filled
                  payment: requires_action
                  backend: { sessions: 1, payment_intents: 2, paid: 3 }
              - expect: { toast: none, cart: empty, form: empty, requests: 3 }
            """
        let scenario = try parse(yaml).get()
        #expect(scenario.setup.client == .legacy)
        #expect(scenario.steps.count == 23)
        #expect(scenario.steps[0].kind == .action(.checkout(clicks: 2)))
        #expect(scenario.steps[4].kind == .action(.pay(card: "4000000000000002")))
        #expect(scenario.steps[13].kind == .action(.wait(millis: 90_000), waitsForReply: false))
        #expect(scenario.steps[15].kind == .backend(.timeout, .always))
        #expect(scenario.steps[16].kind == .backend(.garbleResponse, .probability(0.25, times: nil)))
        #expect(scenario.steps[17].kind == .backend(.error(message: "boom", code: .unavailable), .times(2)))
        #expect(scenario.steps[19].kind == .backend(.latency(millis: 2000), .always))
        #expect(scenario.steps[0].line == 4)
    }

    @Test("malformed files are rejected with file:line:column naming the offending word", arguments: [
        ("name: x\nsteps:\n  - do: chekout\n", "test.yaml:3:9: unknown action 'chekout'; did you mean 'checkout'?"),
        ("name: x\nsteps:\n  - dance: now\n", "test.yaml:3:5: unknown step 'dance'"),
        ("name: x\nsteps:\n  - backend: rotato\n", "test.yaml:3:14: unknown rule 'rotato'; did you mean 'rotate'?"),
        ("name: x\nsteps:\n  - expect: { stored: x }\n", "test.yaml:3:15: unknown field 'stored' in expect"),
        ("name: x\nsteps:\n  - do: { wait: soon }\n", "test.yaml:3:17: wait: cannot read 'soon' as a duration"),
        ("name: x\nsteps:\n  - do: { checkout: { clicks: two } }\n", "test.yaml:3:31: clicks must be a whole number, found 'two'"),
        ("name: x\nsetup: { client: modern }\nsteps: []\n", "test.yaml:2:18: unknown client 'modern'"),
        ("name: x\nsteps:\n  - expect: { requests: [ { result: okay } ] }\n", "test.yaml:3:37: unknown result 'okay'"),
        ("steps: []\n", "test.yaml:1:1: missing required field 'name'"),
        ("name: x\nsteps: {\n", "test.yaml:3:1: invalid YAML"),
        ("name: [x\n", "test.yaml:2:1: invalid YAML"),
        ("", "test.yaml:1:1: the file is empty"),
        ("name: x\nsteps: 3\n", "test.yaml:2:8: steps must be a list, found '3'"),
        ("name: x\nsteps:\n  - backend: { probability: 0.5 }\n", "test.yaml:3:16: unknown rule 'probability'"),
        ("name: x\nsteps:\n  - backend: { rotate: { probability: 1.5 } }\n", "test.yaml:3:39: probability must be between 0 and 1"),
        ("name: x\nsteps:\n  - backend: error\n", "test.yaml:3:14: rule 'error' needs an argument"),
        ("name: x\nsteps:\n  - { do: checkout, say: hi }\n", "test.yaml:3:5: a step must have exactly one key, found 2"),
        ("name: x\nname: y\nsteps: []\n", "test.yaml:2:1: duplicate key 'name'"),
        ("a: &a [*a]\n", "test.yaml:1:"),
    ])
    func rejections(yaml: String, expected: String) {
        switch parse(yaml) {
        case .success: Issue.record("accepted: \(yaml)")
        case .failure(let error): #expect(error.description.hasPrefix(expected), "\(error.description)")
        }
    }

    @Test("binary garbage, deep nesting and alias bombs are rejected, never crash")
    func hostileInput() {
        let garbage = Data((0..<5000).map { UInt8(truncatingIfNeeded: ($0 &* 7919) ^ 0xA5) })
        #expect(throws: ScenarioParseError.self) { try ScenarioParser.parse(data: garbage, file: "g.yaml") }
        let deep = "name: x\nsteps: " + String(repeating: "[", count: 100_000) + "\n"
        #expect(throws: ScenarioParseError.self) { try ScenarioParser.parse(yaml: deep, file: "d.yaml") }
        let deepBlock = "name: x\nsteps:\n" + String(repeating: "- ", count: 50_000) + "x\n"
        #expect(throws: ScenarioParseError.self) { try ScenarioParser.parse(yaml: deepBlock, file: "b.yaml") }
        var bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1..<12 { bomb += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        bomb += "name: x\nsteps: *a11\n"
        #expect(throws: ScenarioParseError.self) { try ScenarioParser.parse(yaml: bomb, file: "bomb.yaml") }
    }
}

@Suite("Scenario quantities")
struct QuantityLimitTests {
    @Test("a quantity past ±9999 is a located error, in the setup and in a step", arguments: [
        ("setup: { cart: [ { sku: MUG, qty: 9223372036854775807 } ] }\nsteps: [ { do: checkout } ]", 2, 35),
        ("steps:\n  - do: { add_item: { sku: MUG, qty: 10000 } }", 3, 38),
        ("steps:\n  - do: { set_qty: { sku: MUG, qty: -10000 } }", 3, 37),
    ])
    func outOfRange(body: String, line: Int, column: Int) {
        guard case .failure(let error) = parse("name: big\n" + body) else {
            Issue.record("accepted an out-of-range quantity")
            return
        }
        #expect(error.message.hasPrefix("qty must be between -9999 and 9999"), "\(error)")
        #expect((error.line, error.column) == (line, column), "\(error)")
    }

    @Test("the limits themselves are accepted")
    func limits() throws {
        let scenario = try parse("name: edge\nsteps:\n  - do: { add_item: { sku: MUG, qty: 9999 } }\n  - do: { set_qty: { sku: MUG, qty: -9999 } }").get()
        #expect(scenario.steps.count == 2)
    }
}

@Suite("The vocabulary's docs and forms")
struct VocabularyTests {
    @Test("docs/scenarios.md holds the rules table generated from the rule table")
    func rulesTable() throws {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/scenarios.md"), encoding: .utf8)
        #expect(text.contains(RuleKind.markdownTable()),
                "docs/scenarios.md is stale: paste `checkout-sim keys --rules-markdown` over its rules table:\n\(RuleKind.markdownTable())")
    }

    @Test("every action and rule the encoder writes decodes to the same action, waiting or not")
    func encoderRoundTrip() throws {
        let actions: [Action] = [
            .checkout(clicks: 1), .checkout(clicks: 2), .refresh, .retry, .pay(card: "4000002760003184"),
            .returnFromRedirect(.failed), .addItem(sku: "MUG", qty: 2), .removeItem(sku: "MUG"), .setQty(sku: "MUG", qty: -1),
            .paymentMethod(.bankTransfer), .fillForm(FormData(email: "a@b.c", name: "Q \"A\": x")), .setStoredKey("k: \u{1B}"),
            .clearStorage, .wait(millis: 1500), .setGuard(false), .setGuard(true), .setClient(.legacy), .selectCard("4000000000000002"),
            .disarmAll, .disarm(position: 2), .arm(.error(message: "boom", code: .internal), .probability(0.5, times: 2)),
            .arm(.latency(millis: 1500), .always), .arm(.rotate, .times(3)),
        ] + RuleKind.table.map { .arm($0.menuRule, .once) }
        for action in actions {
            for waits in [true, false] {
                let line = ScenarioEncoder.step(action, waitsForReply: waits)
                let scenario = try ScenarioParser.parse(yaml: "name: x\nsteps:\n\(line)\n", file: "x.yaml")
                let expectedWait = waits && ScenarioEncoder.stepWaits(action)
                #expect(scenario.steps.first?.kind == .action(action, waitsForReply: expectedWait), "\(line)")
            }
        }
    }

    @Test("disarm takes the position of an armed rule, from 1", arguments: [
        ("{ disarm: 0 }", "disarm takes the position of an armed rule"), ("{ disarm: two }", "disarm"),
        ("{ disarm: 1, times: 2 }", "a backend rule"),
    ])
    func disarmErrors(step: String, fragment: String) {
        #expect(throws: (any Error).self) { try ScenarioParser.parse(yaml: "name: x\nsteps:\n  - backend: \(step)\n", file: "x.yaml") }
        do {
            _ = try ScenarioParser.parse(yaml: "name: x\nsteps:\n  - backend: \(step)\n", file: "x.yaml")
        } catch {
            #expect("\(error)".contains(fragment), "\(error)")
        }
    }

    @Test("RuleSpec is Codable in the scenario format's JSON form")
    func ruleSpecJSON() throws {
        let specs = RuleKind.table.map { RuleSpec($0.menuRule) } + [
            RuleSpec(.rotate, .always), RuleSpec(.timeout, .times(2)), RuleSpec(.garbleResponse, .probability(0.25, times: nil)),
            RuleSpec(.error(message: "x", code: .unavailable), .probability(0.5, times: 3)), RuleSpec(.latency(millis: 2500), .times(2)),
        ]
        for spec in specs {
            let data = try JSONEncoder().encode(spec)
            #expect(try JSONDecoder().decode(RuleSpec.self, from: data) == spec, "\(String(decoding: data, as: UTF8.self))")
        }
        #expect(String(decoding: try JSONEncoder().encode(RuleSpec(.rotate)), as: UTF8.self) == "\"rotate\"")
        let latency = try JSONDecoder().decode(RuleSpec.self, from: Data(#"{"latency": "2s"}"#.utf8))
        #expect(latency == RuleSpec(.latency(millis: 2000)))
        let always = try JSONDecoder().decode(RuleSpec.self, from: Data(#"{"mark_paid": "always"}"#.utf8))
        #expect(always == RuleSpec(.markPaid, .always))
    }
}
