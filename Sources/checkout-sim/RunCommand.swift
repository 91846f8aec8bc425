import ArgumentParser
import CheckoutCore
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

    @OptionGroup var seedOptions: SeedOptions<ScenarioSeed>

    func run() throws {
        let (files, missing) = ScenarioFiles.collect(paths)
        var unusable: [UnusableFile] = []
        for path in missing {
            let error = ScenarioParseError(file: path, line: 0, column: 0, message: "no such file or folder" + Self.suggestion(for: path))
            printError("\(UntrustedText.escaped(path)): \(error.message)")
            unusable.append(UnusableFile(file: path, errors: [error]))
        }
        if files.isEmpty && missing.isEmpty {
            throw UsageError("no scenario files found in \(UntrustedText.escaped(paths.joined(separator: " ")))")
        }
        var scenarios: [Scenario] = []
        for file in files {
            do {
                scenarios.append(try ScenarioParser.parseOnLargeStack(contentsOf: file))
            } catch let mistake as ScenarioParseError {
                for one in mistake.all { printError(one.description) }
                unusable.append(UnusableFile(file: file, errors: mistake.all))
            } catch {
                printError("\(error)")
                unusable.append(UnusableFile(file: file, errors: [ScenarioParseError(file: file, line: 1, column: 1, message: "\(error)")]))
            }
        }
        // Nothing ran: no summary claims a result ("0 passed, 0 failed").
        if scenarios.isEmpty, format.format == .text, output == nil { throw UsageError.reported }
        let runner = ScenarioRunner(seedOverride: seedOptions.seed, drawsDiagrams: format.format.drawsDiagrams)
        let results = scenarios.map(runner.run)
        let report = Reporter.render(results, unusable: unusable, format: format.format)
        if let output {
            do {
                try OutputFile.write(Data(report.utf8), to: output)
            } catch {
                throw UsageError(error.description)
            }
            // The summary goes to the terminal, unless the report just went there or nothing ran.
            if format.format != .text, !scenarios.isEmpty, !OutputFile.isOpen(output, as: STDOUT_FILENO) {
                print(Reporter.text(results, unusable: unusable), terminator: "")
            }
        } else {
            print(report, terminator: "")
        }
        if !unusable.isEmpty { throw UsageError.reported }
        if results.contains(where: { !$0.passed }) { throw ExitCode(1) }
    }

    /// "; did you mean 04-rotation?" for a catalog scenario's name or a file's in the folder, with a typo.
    static func suggestion(for path: String) -> String {
        ScenarioFiles.suggestion(for: path).map { "; did you mean \(UntrustedText.escaped($0))?" } ?? ""
    }
}

/// The `--format` values.
enum ReportFormatOption: String, ExpressibleByArgument, CaseIterable {
    case text, json, junit, html

    var format: ReportFormat { ReportFormat(rawValue: rawValue)! }
}
