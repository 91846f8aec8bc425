import CheckoutCore
import Foundation
import MockBackend
import Scenarios
import Simulation

/// Writes a finding as a scenario file (format v1): the starting state, each move narrated
/// with `say`, played, and followed by an `expect` of what was observed (the recorder's),
/// then what went wrong. `checkout-sim run` replays it green; `demo` presents it.
public enum Counterexample {
    /// The scenario text of `finding`, found with `configuration`.
    public static func scenario(_ finding: Finding, configuration: ExploreConfiguration) -> String {
        let simulation = configuration.makeSimulation()
        let steps = finding.moves.map(\.name).joined(separator: " → ")
        let title = ScenarioRecorder.Title(
            name: "\(finding.invariant.name): \(headline(finding.invariant.name))",
            description: "\(finding.invariant.explanation) checkout-sim explore found this shortest sequence of "
                + "\(finding.depth) step\(finding.depth == 1 ? "" : "s") (\(setupLabel(configuration))): \(steps). "
                + "\(finding.invariant.consequence)",
            tags: ["explore", finding.invariant.name])
        let recorder = ScenarioRecorder(simulation: simulation, file: "\(finding.invariant.name).yaml", title: title)
        defer { recorder.stop() }
        recorder.say("\(setupSentence(configuration)) The sequence below breaks \(finding.invariant.name): \(finding.invariant.explanation)")
        var history = CartHistory()
        for (offset, move) in finding.moves.enumerated() {
            recorder.say("Step \(offset + 1) of \(finding.depth): \(move.narration)")
            Step.play(move, on: simulation, history: &history)
        }
        recorder.say("What went wrong: \(finding.invariant.explanation) \(evidence(simulation)) \(finding.invariant.consequence)")
        return recorder.text
    }

    /// A short title for each invariant.
    static func headline(_ name: String) -> String {
        switch name {
        case "double_charge": "one cart paid twice"
        case "orphan_intent": "a PaymentIntent the page can no longer reach"
        case "key_after_payment": "a key kept after its session was paid"
        case "duplicate_sessions": "two open sessions for one shopper"
        case "retry_loop": "more than two requests for one click"
        case "stale_key_sent": "a key sent after the server rotated it away"
        case "paid_but_unknown": "paid at the backend, unknown to the page"
        default: name
        }
    }

    static func setupLabel(_ configuration: ExploreConfiguration) -> String {
        "\(configuration.client.rawValue) client, double-submit guard \(configuration.doubleSubmitGuard ? "on" : "off")"
    }

    private static func setupSentence(_ configuration: ExploreConfiguration) -> String {
        let client = switch configuration.client {
        case .standard: "the standard client (the seed's)"
        case .legacy: "the legacy client (it never stores a key)"
        default: "the \(configuration.client.name) client (\(configuration.client.summary))"
        }
        return "One item in the cart, paying by card, with \(client) and the double-submit guard \(configuration.doubleSubmitGuard ? "on" : "off")."
    }

    /// The backend's totals in words, for the last narration.
    private static func evidence(_ simulation: Simulation) -> String {
        let counters = (try? simulation.backend.store.counters()) ?? BackendCounters()
        let open = (try? simulation.backend.store.openSessions().count) ?? 0
        let key = simulation.storedKey == nil ? "holds no key" : "holds a key"
        return "The backend now counts \(counters.sessions) session\(counters.sessions == 1 ? "" : "s") (\(open) open), "
            + "\(counters.paymentIntents) PaymentIntent\(counters.paymentIntents == 1 ? "" : "s") and \(counters.paid) paid; "
            + "localStorage \(key); the page's last payment: \(simulation.payment.rawValue)."
    }
}
