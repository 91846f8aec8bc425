import ArgumentParser
import CheckoutCore
import Scenarios

/// `checkout-sim list [DIR]`: the scenarios with their descriptions.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List scenarios with their descriptions.")

    @Argument(help: "A folder of scenarios.")
    var directory: String = "scenarios"

    func run() throws {
        let (files, missing) = ScenarioFiles.collect([directory])
        guard missing.isEmpty else {
            throw UsageError("\(directory): no such file or folder")
        }
        var broken = false
        for file in files {
            do {
                let scenario = try ScenarioParser.parseOnLargeStack(contentsOf: file)
                print("\(UntrustedText.escaped(file))\n  \(UntrustedText.escaped(scenario.name))")
                if let description = scenario.description {
                    let text = description.split(whereSeparator: \.isNewline).joined(separator: " ")
                    print("  " + UntrustedText.escaped(text))
                }
            } catch {
                printError("\(error)")
                broken = true
            }
        }
        if broken { throw UsageError.reported }
    }
}
