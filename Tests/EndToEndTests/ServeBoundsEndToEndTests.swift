import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `serve`'s bounds on the real binary: one clock for two processes on one state
/// directory, a journal that keeps its limit, a refused flood of rules.
@Suite("serve's bounds, end to end", .serialized)
struct ServeBoundsEndToEndTests {
    static func clock(_ server: ServeProcess, advance: String) throws -> Int64 {
        let reply = try curl(server.baseURL + "/__admin/clock", headers: ["Content-Type: application/json"],
                             body: Data(#"{"advance": "\#(advance)"}"#.utf8))
        guard reply.status == 200, let now = reply.json?["now"] as? Int64 else { throw ServeFailure(description: "clock: \(reply)") }
        return now
    }

    @Test("two serve processes on one state directory have one clock", arguments: installedBinaries)
    func twoProcessesOneClock(app: String) throws {
        let first = try ServeProcess(app: app)
        let second = try ServeProcess(app: app, stateDirectory: first.stateDirectory)
        let wall = Int64(Date().timeIntervalSince1970 * 1000)
        let advanced = try Self.clock(first, advance: "25h")
        #expect(advanced >= wall + 25 * 3_600_000)
        let seen = try Self.clock(second, advance: "1ms")
        #expect(seen >= advanced && seen < advanced + 60_000, "the second process's now is \(seen), the first's \(advanced)")
        _ = first.stop(SIGTERM)
        _ = second.stop(SIGTERM)
    }

    @Test("--journal-limit: the journal keeps its newest lines and says what it pruned", arguments: installedBinaries)
    func journalLimit(app: String) throws {
        let server = try ServeProcess(app: app, arguments: ["--journal-limit", "20"])
        for _ in 0..<20 {
            let reply = try curl(server.rpcURL("ValidateOrderItemsInsert"), headers: ["Content-Type: application/json"],
                                 body: Data(validation().utf8))
            #expect(reply.status == 200, "\(reply)")
        }
        let journal = try server.admin("journal")
        let entries = (journal["entries"] as? [[String: Any]]) ?? []
        let pruned = journal["pruned"] as? Int ?? 0
        let through = journal["pruned_through"] as? Int ?? 0
        #expect(entries.count <= 22 && pruned > 0, "\(entries.count) entries kept, \(pruned) pruned")
        #expect(entries.first?["seq"] as? Int == through + 1, "\(journal)")
        let lint = try server.admin("lint")
        #expect(lint["pruned"] as? Int == pruned && lint["pruned_through"] as? Int == through, "\(lint)")
        _ = server.stop(SIGTERM)
    }

    @Test("4,000 rules in one request are refused at once, and nothing is armed", arguments: installedBinaries)
    func ruleFlood(app: String) throws {
        let server = try ServeProcess(app: app)
        let body = "[" + Array(repeating: #"{"error": {"message": "boom"}}"#, count: 4_000).joined(separator: ",") + "]"
        let started = Date()
        let reply = try curl(server.baseURL + "/__admin/rules", headers: ["Content-Type: application/json"], body: Data(body.utf8))
        #expect(reply.status == 413 && reply.json?["code"] as? String == "resource_exhausted", "\(reply)")
        #expect(Date().timeIntervalSince(started) < 10)
        #expect((try server.admin("rules")["rules"] as? [Any])?.isEmpty == true)
        _ = server.stop(SIGTERM)
    }
}
