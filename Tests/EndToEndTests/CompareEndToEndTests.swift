import Foundation
import Testing

/// The three comparisons as shipped: `explore --compare` (JSON and files), `demo --compare`
/// in tmux at the sizes it is made for, `export --compare` as one page.
@Suite("Comparing clients, end to end", .serialized)
struct CompareEndToEndTests {
    private func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("cs-compare-\(name)-\(UUID().uuidString)").path
    }

    @Test("explore --compare --format json: every client, every invariant; each client's files replay green")
    func exploreJSON() throws {
        let output = temporary("explore")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let explored = try runBinary(["explore", "--depth", "3", "--compare", "legacy", "--format", "json", "--output", output])
        #expect(explored.status == 0, "\(explored.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(explored.stdout.utf8)) as? [String: Any])
        #expect(json["depth"] as? Int == 3)
        let policies = try #require(json["policies"] as? [[String: Any]])
        #expect(policies.map { $0["name"] as? String } == ["standard", "legacy"], "the baseline first, named or not")
        for policy in policies {
            let cells = try #require(policy["invariants"] as? [[String: Any]])
            #expect(cells.count == 7)
            let cost = try #require(policy["cost"] as? [String: Any])
            #expect(Set(cost.keys) == ["validations_per_payment", "toasts", "extra_steps"])
            for cell in cells where cell["held"] as? Bool == false {
                let file = try #require(cell["file"] as? String)
                #expect(file == "\(output)/\(policy["name"]!)/\(cell["name"]!).yaml")
                #expect(FileManager.default.fileExists(atPath: file))
            }
        }
        for client in ["standard", "legacy"] {
            let replayed = try runBinary(["run", "\(output)/\(client)"])
            #expect(replayed.status == 0, "\(client): \(replayed.stdout)")
        }
    }

    @Test("explore --compare with a typo: exit 2 and the closest name")
    func exploreTypo() throws {
        let result = try runBinary(["explore", "--depth", "2", "--compare", "standard,legcy", "--output", temporary("typo")])
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown client 'legcy'; did you mean 'legacy'?"), "\(result.stderr)")
    }

    @Test("export --compare: one HTML page, a heading and a diagram per client")
    func exportPage() throws {
        let page = temporary("page") + ".html"
        defer { try? FileManager.default.removeItem(atPath: page) }
        let result = try runBinary(["export", "33", "--compare", "legacy", "--output", page])
        #expect(result.status == 0, "\(result.stderr)")
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.contains("Client: standard</h2>") && html.contains("Client: legacy</h2>"))
        #expect(html.components(separatedBy: "<svg").count - 1 == 2)
    }

    @Test("demo --compare in tmux: both panels, Space steps both, ? shows the keys, q quits", .enabled(if: tmuxAvailable),
          arguments: [(160, 45), (120, 40)])
    func demo(size: (Int, Int)) throws {
        let tmux = try TmuxSession("'\(binary)' demo 33 --compare legacy", width: size.0, height: size.1)
        let first = tmux.waitUntil { $0.contains("client: standard") && $0.contains("client: legacy") && $0.contains("quit") }
        #expect(first.contains("step 0/13"), "\(first)")
        try tmux.type("  ")
        let stepped = tmux.waitUntil { $0.contains("step 2/13") && $0.contains("no key → ok, key k1") }
        #expect(stepped.contains("step 2 · do: checkout"), "\(stepped)")
        try tmux.type("?")
        #expect(tmux.waitFor("next step, on both sides").contains("Any key closes this help."))
        try tmux.type("q")
        #expect(tmux.waitFor("EXIT=").contains("EXIT=0"))
    }
}
