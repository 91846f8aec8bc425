import Foundation
import Testing

/// `checkout-sim explore` as shipped: it writes its findings where the TUI looks, and
/// `run` replays every one of them green.
@Suite("explore, end to end")
struct ExploreEndToEndTests {
    let state: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cs-explore-e2e-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    @Test("explore writes a scenario per broken invariant and findings.json; run replays them green")
    func exploreThenRun() throws {
        let explored = try runBinary(["explore", "--depth", "3", "--state-dir", state])
        #expect(explored.status == 0, "\(explored.stderr)")
        #expect(explored.stdout.contains("orphan_intent"), "\(explored.stdout)")
        #expect(explored.stdout.contains("Held to depth 3:"), "\(explored.stdout)")
        let folder = state + "/explore"
        let files = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(files.contains("findings.json"))
        #expect(files.contains("orphan_intent.yaml"), "\(files)")
        let replayed = try runBinary(["run", folder])
        #expect(replayed.status == 0, "\(replayed.stdout)\(replayed.stderr)")
        #expect(replayed.stdout.contains("0 failed"), "\(replayed.stdout)")
    }

    @Test("--output DIR: the findings and their index go to DIR, the state directory gets no index")
    func outputElsewhere() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("cs-explore-out-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let explored = try runBinary(["explore", "--depth", "3", "--state-dir", state, "--output", output])
        #expect(explored.status == 0, "\(explored.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: output)
        #expect(files.contains("findings.json") && files.contains("orphan_intent.yaml"), "\(files)")
        #expect(!FileManager.default.fileExists(atPath: state + "/explore/findings.json"),
                "the state directory names no exploration it does not hold")
    }

    @Test("--format json; an unknown action is refused with exit 2 and the names there are")
    func jsonAndMistakes() throws {
        let json = try runBinary(["explore", "--depth", "2", "--client", "legacy", "--state-dir", state, "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let findings = try #require(summary["findings"] as? [[String: Any]])
        #expect(findings.contains { $0["invariant"] as? String == "duplicate_sessions" && $0["depth"] as? Int == 2 })
        let wrong = try runBinary(["explore", "--actions", "checkout,fly", "--state-dir", state])
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("unknown action 'fly'"), "\(wrong.stderr)")
    }
}
