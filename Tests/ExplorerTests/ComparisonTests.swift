import Foundation
import Scenarios
import Simulation
import Testing
@testable import Explorer

/// The JSON of `explore --compare --format json`, decoded on its own terms: the shape is
/// a contract for CI, so the test reads it as a consumer would.
private struct ComparisonJSON: Decodable {
    struct Policy: Decodable {
        struct Cell: Decodable {
            var name: String
            var held: Bool
            var shortest: Int?
            var file: String?
        }
        struct Cost: Decodable {
            var validations_per_payment: Double?
            var toasts: Double?
            var extra_steps: Int?
        }
        var name: String
        var invariants: [Cell]
        var cost: Cost
    }
    var depth: Int
    var policies: [Policy]
}

@Suite("explore --compare")
struct ComparisonTests {
    private func moves(_ names: [String]) throws -> [Move] {
        try names.map { name in try #require(Alphabet.all.first { $0.name == name }) }
    }

    private func compare(depth: Int, moves names: [String], choices: [ClientChoice] = ClientChoices.all) throws -> [ExploreResult] {
        Comparison.run(ExploreConfiguration(depth: depth, moves: try moves(names), workers: 2), choices: Comparison.choices(choices))
    }

    private func files(_ results: [ExploreResult]) -> [String: [String: String]] {
        Dictionary(uniqueKeysWithValues: results.map { result in
            let name = ClientChoices.name(of: result.configuration.client)
            return (name, Dictionary(uniqueKeysWithValues: result.findings.map { ($0.invariant.name, "out/\(name)/\($0.invariant.name).yaml") }))
        })
    }

    @Test("the JSON has every client, every invariant, and a held cell has no shortest nor file")
    func jsonShape() throws {
        let results = try compare(depth: 2, moves: ["checkout", "pay"])
        let report = ComparisonReport(results, files: files(results))
        let decoded = try JSONDecoder().decode(ComparisonJSON.self, from: report.json())
        #expect(decoded.depth == 2)
        #expect(decoded.policies.map(\.name) == ClientChoices.names)
        for policy in decoded.policies {
            #expect(policy.invariants.map(\.name) == Invariant.all.map(\.name), "all seven, in report order")
            for cell in policy.invariants {
                #expect(cell.held == (cell.shortest == nil), "\(policy.name) \(cell.name)")
                #expect(cell.held == (cell.file == nil), "\(policy.name) \(cell.name)")
            }
        }
        let legacy = try #require(decoded.policies.first { $0.name == "legacy" })
        let duplicates = try #require(legacy.invariants.first { $0.name == "duplicate_sessions" })
        #expect(!duplicates.held && duplicates.shortest == 2 && duplicates.file == "out/legacy/duplicate_sessions.yaml")
        let standard = try #require(decoded.policies.first { $0.name == "standard" })
        #expect(standard.invariants.first { $0.name == "duplicate_sessions" }?.held == true)
        // A held invariant is written as null, not left out: a consumer sees every field.
        let raw = String(decoding: report.json(), as: UTF8.self)
        #expect(raw.contains("\"shortest\" : null") && raw.contains("\"file\" : null"))
    }

    @Test("checkout then pay: one validation per payment, no toast, for every client")
    func costOfTheHappyPath() throws {
        let results = try compare(depth: 2, moves: ["checkout", "pay"])
        for result in results {
            let cost = try #require(result.cost)
            #expect(cost.payingPaths == 1, "only checkout → pay pays")
            #expect(cost.validationsPerPayment == 1)
            #expect(cost.toastsPerPayment == 0, "the payment's own success toast is no cost")
        }
    }

    @Test("after another tab paid: standard pays again two shopper steps after the error; extra steps count against it")
    func stepsToPayAgain() throws {
        let results = try compare(depth: 4, moves: ["checkout", "pay", "mark_paid"])
        let standard = try #require(results.first { $0.configuration.client == ClientChoices.baseline })
        #expect(standard.cost?.fewestStepsToPayAgain == 2, "checkout (error, retried) → pay")
        let report = ComparisonReport(results, files: files(results))
        #expect(report.policies.first { $0.name == "standard" }?.cost.extraSteps == 0)
        for (result, policy) in zip(results, report.policies) where result.cost?.fewestStepsToPayAgain == nil {
            #expect(policy.cost.extraSteps == nil, "\(policy.name): no such payment, no figure")
        }
    }

    @Test("a toast counts once, on the step that showed it: a wait after an error adds none")
    func toastCountedOnce() throws {
        let simulation = ExploreConfiguration().makeSimulation()
        var history = CartHistory()
        var cost = PathCost()
        for name in ["error", "checkout", "wait_25h"] {
            let move = try #require(Alphabet.all.first { $0.name == name })
            let before = PathCost.Before(simulation)
            Step.play(move, on: simulation, history: &history)
            cost = cost.extended(by: move, on: simulation, from: before)
        }
        #expect(simulation.toast?.kind == .error, "the error toast is still up after the wait")
        #expect(cost.toasts == 1)
        #expect(cost.validations == 1 && cost.shopperSteps == 2, "the rule is no shopper step")
    }

    @Test("measuring costs leaves the findings as they were")
    func costsDoNotChangeFindings() throws {
        for choice in ClientChoices.all {
            var configuration = ExploreConfiguration(depth: 3, client: choice, moves: try moves(["checkout", "pay", "mark_paid", "drop_response"]))
            let plain = Explorer(configuration).run()
            configuration.measuresCost = true
            let measured = Explorer(configuration).run()
            #expect(plain.findings.map(\.moves) == measured.findings.map(\.moves))
            #expect(plain.cost == nil && measured.cost != nil)
        }
    }

    @Test("the text table: invariants as rows, clients as columns, then the costs")
    func textTable() throws {
        let results = try compare(depth: 2, moves: ["checkout", "pay"])
        let text = ComparisonReport(results, files: files(results)).text(outputDirectory: "out")
        let lines = text.split(separator: "\n").map(String.init)
        let header = try #require(lines.first { $0.hasPrefix("invariant") })
        for name in ClientChoices.names { #expect(header.contains(name)) }
        for invariant in Invariant.all { #expect(lines.contains { $0.hasPrefix(invariant.name) }, "\(invariant.name)") }
        let duplicates = try #require(lines.first { $0.hasPrefix("duplicate_sessions") })
        #expect(duplicates.contains("holds to depth 2") && duplicates.contains("2 steps: legacy/duplicate_sessions.yaml"))
        #expect(lines.contains { $0.hasPrefix("validations per payment") && $0.contains("1.00") })
        #expect(lines.contains { $0.hasPrefix("extra steps to pay again") })
    }

    @Test("the baseline is searched first even when not named; names parse in order, without repeats")
    func choices() throws {
        let other = try #require(ClientChoices.all.last)
        #expect(Comparison.choices([other]).first == ClientChoices.baseline)
        #expect(try ClientChoices.parse("\(ClientChoices.names.reversed().joined(separator: ", ")),standard") == ClientChoices.all.reversed())
    }

    @Test("an unknown client name says which one it meant", arguments: ["legcy", "standrd", "Legacy"])
    func unknownName(name: String) throws {
        let error = try #require(throws: UnknownClientChoice.self) { try ClientChoices.parse("standard,\(name)") }
        #expect(error.suggestion != nil)
        #expect(error.description.contains("did you mean '\(error.suggestion!)'"))
        #expect(error.description.contains(ClientChoices.names.joined(separator: ", ")))
    }

    @Test("a name far from every client suggests none")
    func farName() throws {
        let error = try #require(throws: UnknownClientChoice.self) { try ClientChoices.parse("zzzzzzzzzz") }
        #expect(error.suggestion == nil)
        #expect(!error.description.contains("did you mean"))
    }
}
