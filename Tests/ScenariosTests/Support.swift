import Foundation
@testable import Scenarios

/// The repository root, found from this file so tests run from anywhere.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The catalog's files.
let catalogFiles: [String] = ScenarioFiles.collect([repositoryRoot.appendingPathComponent("scenarios").path]).files

/// Parses YAML text or returns the error.
func parse(_ yaml: String, file: String = "test.yaml") -> Result<Scenario, ScenarioParseError> {
    do {
        return .success(try ScenarioParser.parse(yaml: yaml, file: file))
    } catch let error as ScenarioParseError {
        return .failure(error)
    } catch {
        fatalError("unexpected error type: \(error)")
    }
}

/// Runs YAML text as a scenario.
func run(_ yaml: String) throws -> ScenarioResult {
    ScenarioRunner().run(try ScenarioParser.parse(yaml: yaml, file: "test.yaml"))
}
