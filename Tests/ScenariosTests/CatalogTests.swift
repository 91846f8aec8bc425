import Foundation
import Testing
@testable import Scenarios

@Suite("The scenario catalog, headless")
struct CatalogTests {
    @Test("the catalog has at least 20 scenarios, each described and narrated")
    func catalogShape() throws {
        #expect(catalogFiles.count >= 20)
        for file in catalogFiles {
            let scenario = try ScenarioParser.parse(contentsOf: file)
            #expect(scenario.description?.isEmpty == false, "\(file) has no description")
            #expect(scenario.steps.contains { if case .say = $0.kind { true } else { false } }, "\(file) has no narration")
        }
    }

    @Test("every catalog scenario passes", arguments: catalogFiles)
    func scenarioPasses(file: String) throws {
        let result = ScenarioRunner().run(try ScenarioParser.parse(contentsOf: file))
        #expect(result.failures.isEmpty, "\(result.failures.map { "line \($0.line): \($0.message)" })")
        #expect(result.steps.count == (try ScenarioParser.parse(contentsOf: file)).steps.count)
    }

    @Test("a run repeats: same seed, same report")
    func deterministic() throws {
        let scenarios = try catalogFiles.map { try ScenarioParser.parse(contentsOf: $0) }
        let first = Reporter.json(scenarios.map(ScenarioRunner().run))
        let second = Reporter.json(scenarios.map(ScenarioRunner().run))
        #expect(first == second)
    }
}

@Suite("The runner")
struct RunnerTests {
    @Test("a wrong expectation fails and names its step, line, expected and actual")
    func wrongExpectation() throws {
        let result = try run("""
            name: wrong
            steps:
              - do: checkout
              - expect:
                  stored_key: none
                  backend: { sessions: 5 }
            """)
        #expect(!result.passed)
        #expect(result.failures.count == 2)
        #expect(result.failures.allSatisfy { $0.line == 4 && $0.step == 2 })
        #expect(result.failures[0].message.hasPrefix("stored_key: expected none, got \""))
        #expect(result.failures[1].message == "backend.sessions: expected 5, got 1")
    }

    @Test("two variables never bind the same value")
    func distinctVariables() throws {
        let result = try run("""
            name: same key twice
            steps:
              - do: checkout
              - do: retry
              - expect:
                  requests:
                    - { returned_key: $k1 }
                    - { returned_key: $k2 }
            """)
        #expect(result.failures.map(\.message) == [
            "requests[2].returned_key: expected a new key for $k2, got \"\(result.steps[1].storedKey!)\" which is already $k1",
        ])
    }

    @Test("requests count since the previous expect")
    func requestsSinceExpect() throws {
        let result = try run("""
            name: counting
            steps:
              - do: checkout
              - expect: { requests: 1 }
              - do: retry
              - do: retry
              - expect: { requests: 2 }
              - expect: { requests: 0 }
            """)
        #expect(result.passed, "\(result.failures)")
    }

    @Test("--seed overrides the scenario's seed")
    func seedOverride() throws {
        let scenario = try ScenarioParser.parse(yaml: "name: s\nsteps:\n  - do: checkout\n", file: "s.yaml")
        let key = { (seed: UInt64?) in ScenarioRunner(seedOverride: seed).run(scenario).steps[0].storedKey }
        #expect(key(nil) == key(0))
        #expect(key(5) != key(0))
    }

    @Test("every step of the report carries the state after it")
    func stepReports() throws {
        let result = try run("""
            name: report
            steps:
              - say: hello
              - backend: rotate
              - do: checkout
            """)
        #expect(result.steps.map(\.kind) == ["say", "backend", "do"])
        #expect(result.steps.map(\.action) == ["hello", "rotate once", "checkout"])
        #expect(result.steps[2].requests.count == 1)
        #expect(result.steps[2].requests[0].key == nil)
        #expect(result.steps[2].storedKey != nil)
        #expect(result.steps[2].backend.sessions == 1)
    }
}
