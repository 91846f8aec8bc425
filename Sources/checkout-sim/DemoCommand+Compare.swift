import ArgumentParser
import NcursesTerminal
import Scenarios
import TerminalUI

extension DemoCommand {
    /// `demo SCENARIO --compare CLIENT`: the scenario under standard and under CLIENT,
    /// side by side.
    func runComparison(_ scenario: Scenario, against other: ClientChoice) throws {
        let colors = try usableTerminalColors()
        let status = TerminalApp.run(ComparePresenter(scenario: scenario, against: other), colors: colors)
        if status != 0 { throw ExitCode(status) }
    }
}
