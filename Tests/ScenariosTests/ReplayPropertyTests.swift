import CheckoutCore
import Foundation
import MockBackend
import Simulation
import Testing
@testable import Scenarios

/// SplitMix64: a small seeded generator, so a failing sequence can be rebuilt from its seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// What a session did, with server keys named by first appearance (a replay draws other keys).
struct Trace: Equatable, CustomStringConvertible {
    var requests: [String] = []
    var end: String = ""

    init(_ simulation: Simulation, literal: Set<String>, base: BackendCounters) {
        var names: [String: String] = [:]
        func name(_ key: String?) -> String {
            guard let key else { return "none" }
            if literal.contains(key) { return key }
            if let known = names[key] { return known }
            names[key] = "$k\(names.count + 1)"
            return names[key]!
        }
        for entry in simulation.timeline {
            let r = entry.record
            requests.append("\(entry.number) \(r.trigger.rawValue) sent=\(name(r.keySent)) \(r.result.rawValue) "
                            + "returned=\(name(r.returnedKey)) rules=\(entry.firedRules)")
        }
        let s = simulation.snapshot
        end = "stored=\(name(s.storedKey)) toast=\(s.toast?.category.rawValue ?? "none") payment=\(s.payment.rawValue) "
            + "cart=\(s.cart) form=\(!s.form.isEmpty) method=\(s.paymentMethod.rawValue) inFlight=\(s.inFlight) "
            + "counters=\(s.counters.sessions - base.sessions)/\(s.counters.paymentIntents - base.paymentIntents)/\(s.counters.paid - base.paid) redirect=\(simulation.client.pendingRedirect != nil) card=\(simulation.selectedCard) "
            + "settings=\(simulation.client.settings)"
    }

    var description: String { (requests + [end]).joined(separator: "\n") }
}

@Suite("Recordings replay exactly")
struct ReplayPropertyTests {
    static let skus = Catalog.standard.products.map(\.sku)

    /// A random action of every kind the TUI, a scenario or the admin API can take.
    static func randomAction(_ g: inout SeededGenerator, step: Int) -> Action {
        let firings: [RuleFiring] = [.once, .times(Int.random(in: 2...3, using: &g)), .always,
                                     .probability([0.3, 0.5, 0.8].randomElement(using: &g)!, times: Bool.random(using: &g) ? nil : 2)]
        let firing = firings.randomElement(using: &g)!
        let rules: [RuleKind] = RuleKind.table.map(\.menuRule) + [.latency(millis: Int64.random(in: 1...30, using: &g) * 100)]
        let rule = rules.randomElement(using: &g)!
        let cards = TestCard.allCases.map(\.rawValue)
        switch Int.random(in: 0..<24, using: &g) {
        case 0...3: return .checkout(clicks: Int.random(in: 1...2, using: &g))
        case 4, 5: return .refresh
        case 6: return .retry
        case 7, 8: return .pay(card: cards.randomElement(using: &g)!)
        case 9: return .returnFromRedirect(Bool.random(using: &g) ? .succeeded : .failed)
        case 10: return .addItem(sku: skus.randomElement(using: &g)!, qty: Int.random(in: 1...3, using: &g))
        case 11: return .removeItem(sku: skus.randomElement(using: &g)!)
        case 12: return .setQty(sku: skus.randomElement(using: &g)!, qty: Int.random(in: -1...4, using: &g))
        case 13: return .paymentMethod(PaymentMethod.allCases.randomElement(using: &g)!)
        case 14: return .fillForm(FormData(email: "qa@example.com", name: "Ada"))
        case 15: return Bool.random(using: &g) ? .setStoredKey("tampered-\(step)") : .clearStorage
        case 16: return .setGuard(Bool.random(using: &g))
        case 17: return .setClient(Bool.random(using: &g) ? .standard : .legacy)
        case 18: return .selectCard(cards.randomElement(using: &g)!)
        case 19: return .disarmAll
        default: return .arm(rule, firing)
        }
    }

    @Test("200 random sessions, recorded from a random point, with latency, actions in flight, every rule, toggles and 3-D Secure replay identically",
          arguments: 0..<200)
    func randomSessionReplays(seed: Int) throws {
        var g = SeededGenerator(seed: UInt64(seed) &* 7919 &+ 17)
        let live = Simulation(configuration: SimulationConfiguration(seed: UInt64(seed)))
        let clock = try #require(live.clock as? VirtualClock)
        // The recording starts at a random point: whatever the actions before it left (keys,
        // sessions, payments, rules with firings left, a toast, requests in flight) is its setup.
        var actions: [String] = []
        func play(_ count: Int, literal: inout Set<String>) {
            for step in 0..<count {
                let action = Self.randomAction(&g, step: step + actions.count)
                if case .setStoredKey(let key) = action { literal.insert(key) }
                let pause = [0, 0, 100, 700, 1300, 2500, 5000].randomElement(using: &g)!
                clock.advance(byMillis: Int64(pause))
                if Bool.random(using: &g) { live.deliverDue() }  // a tick of the TUI's loop, or not yet
                actions.append("+\(pause)ms \(action)")
                live.apply(action)
            }
        }
        var before: Set<String> = []
        play(Int.random(in: 0...25, using: &g), literal: &before)
        if Bool.random(using: &g) { clock.advance(byMillis: Int64([0, 400, 3000, 90_000_000].randomElement(using: &g)!)) }
        actions.append("-- recording starts")
        let recorder = ScenarioRecorder(simulation: live, file: "random-\(seed).yaml")
        let liveBase = live.snapshot.counters  // replies due by the start arrived as it started
        var literal = before
        play(Int.random(in: 10...30, using: &g), literal: &literal)
        clock.advance(byMillis: Int64([0, 400, 3000].randomElement(using: &g)!))
        live.deliverDue()
        let text = recorder.text
        // Keys of the setup are written as they are; a replay draws other keys for the rest.
        literal.formUnion(recorder.startKeys)
        let context = "seed \(seed); actions:\n" + actions.joined(separator: "\n") + "\nrecording:\n" + text

        let scenario = try ScenarioParser.parse(yaml: text, file: "random-\(seed).yaml")
        var playback = ScenarioPlayback(simulation: ScenarioRunner().makeSimulation(for: scenario))
        let replayBase = playback.simulation.snapshot.counters
        for (offset, step) in scenario.steps.enumerated() { playback.perform(step, index: offset + 1) }
        if !playback.failures.isEmpty {
            try? text.write(toFile: NSTemporaryDirectory() + "replay-failure-\(seed).yaml", atomically: true, encoding: .utf8)
        }
        #expect(playback.failures.isEmpty, "\(playback.failures.map { "line \($0.line): \($0.message)" })\n\(context)")

        let replayed = Trace(playback.simulation, literal: literal, base: replayBase)
        var expected = Trace(live, literal: literal, base: liveBase)
        // The live timeline also holds the requests answered before the recording started.
        expected.requests = Array(expected.requests.dropFirst(live.timeline.count - playback.simulation.timeline.count))
        #expect(normalized(expected.requests) == normalized(replayed.requests), "\(context)")
        let anyKey = #"\$k\d+"#
        #expect(replayed.end.replacingOccurrences(of: anyKey, with: "$k", options: .regularExpression)
                == expected.end.replacingOccurrences(of: anyKey, with: "$k", options: .regularExpression), "\(context)")
    }

    /// Request lines without their numbers and key names renumbered from the first shown.
    private func normalized(_ lines: [String]) -> [String] {
        var names: [String: String] = [:]
        return lines.map { line in
            var words = line.split(separator: " ").dropFirst().map(String.init)
            for (i, word) in words.enumerated() {
                guard let range = word.range(of: #"\$k\d+"#, options: .regularExpression) else { continue }
                let key = String(word[range])
                if names[key] == nil { names[key] = "$n\(names.count + 1)" }
                words[i] = word.replacingCharacters(in: range, with: names[key]!)
            }
            return words.joined(separator: " ")
        }
    }
}
