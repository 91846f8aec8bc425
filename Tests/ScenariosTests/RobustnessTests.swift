import Foundation
import MockBackend
import Testing
@testable import Scenarios

@Suite("Robustness: fuzzing and limits")
struct RobustnessTests {
    /// Deterministic mutations of the catalog: byte flips, cuts, duplicated
    /// and deleted lines, injected YAML punctuation.
    @Test("mutated catalog files never crash or hang; every rejection is located")
    func fuzzCatalog() throws {
        var generator = SeededGenerator(seed: 2026)
        let sources = try catalogFiles.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        let punctuation: [UInt8] = Array("{}[]:-&*!|>'\"#%@`\t\n ".utf8)
        var parsed = 0, rejected = 0
        for round in 0..<600 {
            var bytes = [UInt8](sources[round % sources.count])
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                guard !bytes.isEmpty else { break }
                let at = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<6, using: &generator) {
                case 0: bytes[at] = UInt8.random(in: 0...255, using: &generator)
                case 1: bytes = Array(bytes.prefix(at))
                case 2: bytes.insert(punctuation.randomElement(using: &generator)!, at: at)
                case 3: bytes.remove(at: at)
                case 4:
                    let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
                    let index = Int.random(in: 0..<lines.count, using: &generator)
                    var copy = lines
                    copy.insert(lines[index], at: index)
                    bytes = Array(copy.joined(separator: [0x0A]))
                default:
                    let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
                    var copy = lines
                    copy.remove(at: Int.random(in: 0..<lines.count, using: &generator))
                    bytes = Array(copy.joined(separator: [0x0A]))
                }
            }
            do {
                let scenario = try ScenarioParser.parse(data: Data(bytes), file: "mutant-\(round).yaml")
                _ = ScenarioRunner().run(scenario)
                parsed += 1
            } catch let error as ScenarioParseError {
                #expect(error.line >= 1 && error.column >= 1)
                #expect(error.description.hasPrefix("mutant-\(round).yaml:\(error.line):\(error.column): "))
                rejected += 1
            }
        }
        #expect(parsed > 0 && rejected > 0, "the mutations should exercise both paths (parsed \(parsed), rejected \(rejected))")
    }

    @Test("a 1 MB narration is kept whole")
    func hugeNarration() throws {
        let text = String(repeating: "all work and no play ", count: 50_000)
        let result = try run("name: long\nsteps:\n  - say: \"\(text)\"\n  - do: checkout\n")
        #expect(result.passed)
        #expect(result.steps[0].action?.count == text.count)
    }

    @Test("a 10,000-line cart is validated; stock is counted over all lines of a SKU, and the refusal says so clearly")
    func hugeCart() throws {
        var yaml = "name: big cart\nsetup:\n  cart:\n"
        for _ in 0..<10_000 { yaml += "    - { sku: FILTERS, qty: 1 }\n" }
        yaml += "steps:\n  - do: checkout\n  - expect: { requests: [ { result: validation } ], cart: { items: 10000 } }\n"
        let result = try run(yaml)
        #expect(result.passed, "\(result.failures)")
        #expect(result.steps[0].requests.first?.message == "only 100 of FILTERS in stock, 101 requested")
    }

    @Test("a scenario of 100,000 steps runs to the end")
    func manySteps() throws {
        var yaml = "name: marathon\nsteps:\n"
        for i in 0..<100_000 { yaml += i % 2 == 0 ? "  - do: retry\n" : "  - say: again\n" }
        let result = try run(yaml)
        #expect(result.steps.count == 100_000)
        #expect(result.steps.last?.backend.sessions == 1)
    }
}
