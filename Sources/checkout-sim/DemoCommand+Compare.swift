import ArgumentParser
import NcursesTerminal
import Scenarios
import TerminalUI

extension DemoCommand {
    /// `demo SCENARIO --compare CLIENT`: the scenario under standard and under CLIENT,
    /// side by side; an unknown client is exit 2 with the closest name.
    func runComparison(_ scenario: Scenario, against name: String) throws {
        guard let other = ClientChoices.named(name) else {
            throw UsageError("--compare: \(UnknownClientChoice(name: name))")
        }
        let colors = try usableTerminalColors()
        let status = TerminalApp.run(ComparePresenter(scenario: scenario, against: other), colors: colors)
        if status != 0 { throw ExitCode(status) }
    }
}
