import ArgumentParser
import Foundation
import Scenarios

#if canImport(Glibc)
import Glibc
#endif

/// `checkout-sim run PATH...`: plays scenarios headless and reports.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Play scenario files headless on a virtual clock and report.",
        discussion: "Exit status: 0 when every scenario passes, 1 when any fails, 2 on unusable input.")

    @Argument(help: "Scenario files or folders (searched for *.yaml).")
    var paths: [String] = ["scenarios"]

    @Option(help: "Report format: text, json, junit or html (a page with each run's sequence diagram).")
    var format: ReportFormatOption = .text

    @Option(help: "Write the report to FILE instead of standard output.")
    var output: String?

    @Option(help: "Seed for keys and probabilities, overriding each scenario's setup.seed.")
    var seed: UInt64?

    func run() throws {
        let (files, missing) = ScenarioFiles.collect(paths)
        var unusable = false
        for path in missing {
            printError("\(path): no such file or folder")
            unusable = true
        }
        if files.isEmpty && missing.isEmpty {
            printError("no scenario files found in \(paths.joined(separator: " "))")
            unusable = true
        }
        var scenarios: [Scenario] = []
        for file in files {
            do {
                scenarios.append(try ScenarioParser.parseOnLargeStack(contentsOf: file))
            } catch {
                printError("\(error)")
                unusable = true
            }
        }
        let runner = ScenarioRunner(seedOverride: seed, drawsDiagrams: format.format.drawsDiagrams)
        let results = scenarios.map(runner.run)
        let report = Reporter.render(results, format: format.format)
        if let output {
            do {
                try OutputFile.write(Data(report.utf8), to: output)
            } catch {
                printError(error.description)
                throw ExitCode(2)
            }
            // The summary goes to the terminal, unless the report just went there.
            if format.format != .text, !OutputFile.isOpen(output, as: STDOUT_FILENO) {
                print(Reporter.text(results), terminator: "")
            }
        } else {
            print(report, terminator: "")
        }
        if unusable { throw ExitCode(2) }
        if results.contains(where: { !$0.passed }) { throw ExitCode(1) }
    }
}

/// The `--format` values.
enum ReportFormatOption: String, ExpressibleByArgument, CaseIterable {
    case text, json, junit, html

    var format: ReportFormat { ReportFormat(rawValue: rawValue)! }
}
