import Explorer
import Foundation
import Scenarios

extension ExploreCommand {
    /// `explore --compare a,b`: one search per client (the baseline added first when it
    /// is not named), each one's findings in `OUTPUT/<client>/`, then one report.
    func runComparison(_ list: String, template: ExploreConfiguration) throws {
        let chosen: [ClientChoice]
        do {
            chosen = try ClientChoices.parse(list)
        } catch {
            throw UsageError("--compare: \(error)")
        }
        guard !chosen.isEmpty else { throw UsageError("--compare: name the clients to compare, comma-separated: \(ClientChoices.names.joined(separator: ","))") }
        let outputDirectory = output ?? ExploreOutput.defaultDirectory(in: stateOptions.directory)
        // Each client searches its own alphabet (`start_new_order` only where the client has it).
        let actionNames = Self.names(actions), ruleNames = Self.names(rules)
        let results = Comparison.run(template, choices: Comparison.choices(chosen)) { client in
            try? Alphabet.select(actions: actionNames, rules: ruleNames, client: client)
        }
        var files: [String: [String: String]] = [:]
        for result in results {
            let name = ClientChoices.name(of: result.configuration.client)
            let folder = (outputDirectory as NSString).appendingPathComponent(name)
            do {
                let summary = try ExploreOutput.write(result, to: folder, peakMemoryBytes: nil)
                files[name] = Dictionary(uniqueKeysWithValues: summary.findings.map {
                    ($0.invariant, ExploreSummary.path(of: $0, in: folder))
                })
            } catch {
                throw UsageError("cannot write the findings: \(error)")
            }
        }
        let report = ComparisonReport(results, files: files)
        switch format {
        case .text: print(report.text(outputDirectory: outputDirectory), terminator: "")
        case .json: print(String(decoding: report.json(), as: UTF8.self))
        }
    }
}
