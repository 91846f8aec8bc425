import ArgumentParser
import CheckoutCore
import Foundation
import MockBackend
import Scenarios
import Simulation

/// `checkout-sim rules`: arm, list and clear backend rules in a state directory from
/// a shell. The rules live in the backend's database, so a running `serve` or TUI on
/// the same directory fires them on its next request.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "Arm, list or clear backend rules in a state directory (for a running serve or TUI).",
        subcommands: [Add.self, List.self, Clear.self], defaultSubcommand: List.self)

    /// The backend of the state directory: rules only, so the seed does not matter.
    static func backend(_ state: StateOptions) throws -> MockBackend {
        MockBackend(store: try StateDirectory.backendStore(state.directory))
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Arm rules, each in the scenario format's backend: form.",
            discussion: """
                Examples: checkout-sim rules add rotate
                          checkout-sim rules add '{ payment_already_completed: { times: 2 } }' '{ latency: 2s }'
                          checkout-sim rules add '{"error": {"message": "boom", "code": "internal"}}'
                """)

        @OptionGroup var stateOptions: StateOptions

        @Argument(help: "Rules: rotate, '{ latency: 2s }', '{ error: { message: boom } }', disarm_all, '{ disarm: 1 }'.")
        var rules: [String]

        func run() throws {
            var actions: [Action] = []
            for (index, text) in rules.enumerated() {
                do {
                    actions += try ScenarioParser.backendActions(yaml: text, file: "rule \(index + 1)")
                } catch let error as ScenarioParseError {
                    throw UsageError(error.description)
                }
            }
            let backend = try RulesCommand.backend(stateOptions)
            let now = Int64((Date().timeIntervalSince1970 * 1000).rounded())
            for action in actions {
                if let effect = backend.apply(backend: action, nowMillis: now) { print(UntrustedText.escaped(effect)) }
            }
            if let reason = backend.store.unavailableReason {
                throw UsageError("the rules could not be saved: \(reason)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the armed rules, in firing order.")
        @OptionGroup var stateOptions: StateOptions

        func run() throws {
            let backend = try RulesCommand.backend(stateOptions)
            backend.refreshRules()
            let rules = backend.rules.rules
            if rules.isEmpty { print("no rule armed") }
            for (index, rule) in rules.enumerated() {
                print("\(index + 1). \(UntrustedText.escaped(rule.queueLabel))    \(UntrustedText.escaped(RuleSpec(rule.kind, rule.firing).yaml))")
            }
        }
    }

    struct Clear: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disarm every rule.")
        @OptionGroup var stateOptions: StateOptions

        func run() throws {
            let backend = try RulesCommand.backend(stateOptions)
            backend.disarmAll()
            print("disarmed every rule")
        }
    }
}
