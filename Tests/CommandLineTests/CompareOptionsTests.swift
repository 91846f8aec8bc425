import ArgumentParser
import Foundation
import Scenarios
import Testing

@testable import checkout_sim

/// `--compare`: one client for the commands that play one scenario (an option group),
/// a list for `explore`; an unknown name is exit 2 with the closest name, before any work.
@Suite struct CompareOptionsTests {
    @Test func offeredAlike() throws {
        let offering = SharedOptionsTests.offering("--compare")
        #expect(Set(offering.keys) == ["demo", "export", "explore"])
        #expect(offering["demo"] == offering["export"], "one wording for one meaning")
        for command in ["demo", "export"] {
            for client in ClientChoices.all {
                let parsed = try SharedOptionsTests.parse(command, ["--compare", ClientChoices.name(of: client)])
                let group = try #require(SharedOptionsTests.group(CompareOptions.self, in: parsed), "\(command) declares --compare outside CompareOptions")
                #expect(try group.client() == client)
            }
            #expect(try SharedOptionsTests.group(CompareOptions.self, in: SharedOptionsTests.parse(command, []))?.client() == nil)
        }
    }

    @Test("an unknown client: exit 2, with the closest name", arguments: ["demo", "export"])
    func unknownClient(command: String) throws {
        let group = try #require(SharedOptionsTests.group(CompareOptions.self, in: SharedOptionsTests.parse(command, ["--compare", "legcy"])))
        let error = try #require(throws: UsageError.self) { try group.client() }
        let failure = Main.failure(for: error)
        #expect(failure.status == 2)
        #expect(failure.lines == ["--compare: unknown client 'legcy'; did you mean 'legacy'? (one of: \(ClientChoices.names.joined(separator: ", ")))"])
    }

    @Test("explore --compare with an unknown name stops before searching: exit 2, with the closest name")
    func exploreUnknownClient() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("cs-compare-\(UUID().uuidString)").path
        let command = try #require(try SharedOptionsTests.parse("explore", ["--depth", "12", "--compare", "standard,legcy", "--output", output]) as? ExploreCommand)
        let error = try #require(throws: UsageError.self) { try command.run() }
        #expect(Main.failure(for: error).status == 2)
        #expect(error.lines.first?.contains("did you mean 'legacy'?") == true)
        #expect(!FileManager.default.fileExists(atPath: output), "nothing written")
    }
}
