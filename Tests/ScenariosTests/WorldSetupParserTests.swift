import CheckoutCore
import MockBackend
import Testing
@testable import Scenarios

/// The setup fields recordings write, read by hand-written files and hostile ones.
@Suite("Setup of a recording started mid-session")
struct WorldSetupParserTests {
    @Test("a hostile setup is a located error naming the offending word, never a crash", arguments: [
        ("name: x\nsetup: { payment: paid }\nsteps: []\n", "test.yaml:2:19: unknown payment 'paid'"),
        ("name: x\nsetup: { toast: { kind: error } }\nsteps: []\n", "test.yaml:2:17: a setup toast needs 'kind' and 'category'"),
        ("name: x\nsetup: { toast: { kind: loud, category: generic } }\nsteps: []\n", "test.yaml:2:25: unknown toast kind 'loud'"),
        ("name: x\nsetup: { card: visa }\nsteps: []\n", "test.yaml:2:16: card must be a card number"),
        ("name: x\nsetup:\n  sessions: [ { status: open } ]\nsteps: []\n", "test.yaml:3:15: missing field 'key'"),
        ("name: x\nsetup:\n  sessions: [ { key: \"\" } ]\nsteps: []\n", "test.yaml:3:22: a session key has 1 to 255 characters"),
        ("name: x\nsetup:\n  sessions: [ { key: a }, { key: a } ]\nsteps: []\n", "test.yaml:3:34: session 'a' appears twice"),
        ("name: x\nsetup:\n  sessions: [ { key: a, status: closed } ]\nsteps: []\n", "test.yaml:3:33: unknown session status 'closed'"),
        ("name: x\nsetup:\n  sessions: [ { key: a, amount: -5 } ]\nsteps: []\n", "test.yaml:3:33: amount (cents) must be between 0"),
        ("name: x\nsetup:\n  sessions: [ { key: a, idle: forever } ]\nsteps: []\n", "test.yaml:3:31: idle: cannot read 'forever' as a duration"),
        ("name: x\nsetup:\n  sessions: [ { key: a, intent: done } ]\nsteps: []\n", "test.yaml:3:33: unknown PaymentIntent status 'done'"),
        ("name: x\nsetup:\n  validated: { payment_method: CARD, session: b }\nsteps: []\n",
         "test.yaml:3:47: validated session 'b' is not a session of setup.sessions or setup.open_sessions"),
        ("name: x\nsetup:\n  validated: { payment_method: CARD }\nsteps: []\n", "test.yaml:3:14: a validation of CARD needs its 'session'"),
        ("name: x\nsetup:\n  sessions: [ { key: a } ]\n  validated: { payment_method: BANK_TRANSFER, session: a }\nsteps: []\n",
         "test.yaml:4:47: a validation of BANK_TRANSFER has no session"),
        ("name: x\nsetup: { pending_redirect: nowhere }\nsteps: []\n", "test.yaml:2:28: pending_redirect 'nowhere' is not a session"),
        ("name: x\nsetup: { not_in_storage: [cart, wallet] }\nsteps: []\n", "test.yaml:2:33: unknown not_in_storage field 'wallet'"),
        ("name: x\nsetup:\n  rules: [ disarm_all ]\nsteps: []\n", "test.yaml:3:12: setup.rules holds armed rules"),
        ("name: x\nsetup:\n  rules: [ mark_paid ]\nsteps: []\n", "test.yaml:3:12: setup.rules holds armed rules"),
        ("name: x\nsetup:\n  rules: [ { rotate: { times: 0 } } ]\nsteps: []\n", "test.yaml:3:31: times must be at least 1"),
        ("name: x\nsetup:\n  in_flight: [ { trigger: checkout, reply: ok } ]\nsteps: []\n",
         "test.yaml:3:16: a request in flight needs 'trigger', 'arrives_in' and 'reply'"),
        ("name: x\nsetup:\n  in_flight: [ { trigger: click, arrives_in: 1s, reply: ok } ]\nsteps: []\n", "test.yaml:3:27: unknown trigger 'click'"),
        ("name: x\nsetup:\n  in_flight: [ { trigger: retry, arrives_in: 1s, reply: maybe } ]\nsteps: []\n", "test.yaml:3:57: reply must be ok"),
        ("name: x\nsetup:\n  in_flight: [ { trigger: retry, arrives_in: 1s, reply: { ok: ghost } } ]\nsteps: []\n",
         "test.yaml:3:63: the session of the reply 'ghost' is not a session"),
        ("name: x\nsetup:\n  in_flight: [ { trigger: retry, arrives_in: 1s, reply: { error: { code: fine } } } ]\nsteps: []\n",
         "test.yaml:3:74: unknown status code 'fine'"),
        ("name: x\nsetup:\n  keys_in_use: [ { key: a } ]\nsteps: []\n", "test.yaml:3:18: a key in use needs 'key' and 'for'"),
        ("name: x\nsetup:\n  keys_in_use: [ { key: a, for: 2y } ]\nsteps: []\n", "test.yaml:3:33: for: cannot read '2y' as a duration"),
    ])
    func rejections(yaml: String, expected: String) {
        switch parse(yaml) {
        case .success: Issue.record("accepted: \(yaml)")
        case .failure(let error): #expect(error.description.hasPrefix(expected), "\(error.description)")
        }
    }

    @Test("a hand-written setup starts the world it describes")
    func handWritten() throws {
        let yaml = """
        name: Paid before, a reply on its way
        setup:
          stored_key: "old"
          payment: succeeded
          card: "4000 0000 0000 0002"
          toast: { kind: success, category: payment_succeeded, message: "Payment succeeded." }
          sessions:
            - { key: "old", status: paid, amount: 2340 }
            - { key: "fresh", amount: 1850, idle: 23h }
          validated: { payment_method: CARD, session: "fresh" }
          rules: [ { rotate: { times: 2 } } ]
          in_flight:
            - { trigger: checkout, key: "old", arrives_in: 800ms, reply: { error: { code: failed_precondition, message: "Payment already completed for this session. Please clear your checkout and start a new order." } } }
          keys_in_use: [ { key: "old", for: 800ms } ]
        steps:
          - expect: { payment: succeeded, toast: { category: payment_succeeded }, stored_key: "old", backend: { sessions: 0, paid: 0 } }
          - do: { wait: 799ms }
          - expect: { requests: 0 }
          - do: { wait: 1ms }
          - expect:
              requests:
                - { key: "old", result: payment_already_completed }
                - { key: none, result: ok, returned_key: $k1 }
              stored_key: $k1
              backend: { sessions: 1, payment_intents: 1, paid: 0 }
        """
        let scenario = try ScenarioParser.parse(yaml: yaml, file: "hand.yaml")
        #expect(scenario.setup.world.sessions.map(\.key) == ["old", "fresh"])
        #expect(scenario.setup.world.rules == [RuleSpec(.rotate, .times(2))])
        let sim = ScenarioRunner().makeSimulation(for: scenario)
        #expect(sim.selectedCard == TestCard.declined.rawValue)
        #expect(sim.backend.rules.rules.count == 1)
        let result = ScenarioRunner().run(scenario)
        #expect(result.passed, "\(result.failures.map { "line \($0.line): \($0.message)" })")
    }

    @Test("a file without the additions reads as before: nothing carried over")
    func oldFilesUnchanged() throws {
        let scenario = try ScenarioParser.parse(yaml: "name: x\nsetup: { stored_key: k, open_sessions: [k] }\nsteps: []\n", file: "old.yaml")
        #expect(scenario.setup.world == WorldSetup())
        let sim = ScenarioRunner().makeSimulation(for: scenario)
        #expect(sim.snapshot.counters == BackendCounters(sessions: 1, paymentIntents: 1, paid: 0), "open_sessions still counts, as before")
        #expect(sim.payment == .none && sim.toast == nil && sim.inFlightCount == 0)
    }
}
