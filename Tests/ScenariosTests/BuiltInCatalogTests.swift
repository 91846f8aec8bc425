import Foundation
import Testing
@testable import Scenarios

@Suite("The catalog inside the binary")
struct BuiltInCatalogTests {
    @Test("the built-in catalog is scenarios/ exactly (scripts/embed-catalog.sh regenerates it)")
    func current() throws {
        let folder = repositoryRoot.appendingPathComponent("scenarios")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(BuiltInCatalog.files.map(\.name) == names, "run scripts/embed-catalog.sh")
        for (name, text) in BuiltInCatalog.files {
            let onDisk = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            #expect(text == onDisk, "\(name) differs from scenarios/\(name): run scripts/embed-catalog.sh")
        }
    }

    @Test("built-in files are found by label, file name, stem and scenario name", arguments: [
        ("builtin:04-rotation.yaml", "builtin:04-rotation.yaml"), ("04-rotation.yaml", "builtin:04-rotation.yaml"),
        ("04-rotation", "builtin:04-rotation.yaml"), ("scenarios/04-rotation.yaml", "builtin:04-rotation.yaml"),
        ("key rotates on refresh", "builtin:04-rotation.yaml"), ("Paid in another tab", "builtin:08-paid-in-another-tab.yaml"),
    ])
    func lookup(argument: String, label: String) {
        #expect(BuiltInCatalog.labels(matching: argument) == [label])
    }

    @Test("the default folder name stands for the whole catalog; unknown names for nothing")
    func wholeAndNone() {
        #expect(BuiltInCatalog.labels(matching: "scenarios") == BuiltInCatalog.labels)
        #expect(BuiltInCatalog.labels.count == BuiltInCatalog.files.count)
        #expect(BuiltInCatalog.labels(matching: "no-such-scenario") == nil)
        #expect(BuiltInCatalog.labels(matching: "../etc/passwd") == nil)
    }

    @Test("every built-in file parses and passes headless, reported under its label")
    func builtInsPass() throws {
        let runner = ScenarioRunner()
        for label in BuiltInCatalog.labels {
            let scenario = try ScenarioParser.parse(contentsOf: label)
            #expect(scenario.file == label)
            #expect(runner.run(scenario).passed, "\(label)")
        }
    }
}
