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

    /// Long polls (`journal?wait=`) that their clients gave up on end then, not at their 30 s
    /// deadline; one still waiting ends at SIGTERM; a new entry wakes a waiting one at once.
    @Test("abandoned long polls end with their clients; SIGTERM ends a waiting one", arguments: installedBinaries)
    func longPolls(app: String) throws {
        let server = try ServeProcess(app: app)
        let last = try server.admin("journal")["last"] as? Int ?? 0
        let polls = try (0..<40).map { _ in
            try ChildProcess([WireTools.curl, "-sS", "--noproxy", "*", "--max-time", "0.5", server.baseURL + "/__admin/journal?after=\(last)&wait=30000"],
                             environment: WireTools.environment)
        }
        for poll in polls { _ = poll.finish() }
        // Each poll's line is logged when the server ends it.
        let deadline = Date().addingTimeInterval(10)
        var logged = 0
        while Date() < deadline {
            logged = server.process.stdout.components(separatedBy: "GET /__admin/journal ").count - 1
            if logged >= 41 { break }
            usleep(50_000)
        }
        #expect(logged >= 41, "\(logged - 1) of 40 abandoned polls ended within 10 s:\n\(server.process.stdout.suffix(1500))")

        let woken = try ChildProcess([WireTools.curl, "-sS", "--noproxy", "*", "--max-time", "20", server.baseURL + "/__admin/journal?after=\(last)&wait=15000"],
                                     environment: WireTools.environment)
        let started = Date()
        _ = try curl(server.rpcURL("ValidateOrderItemsInsert"), headers: ["Content-Type: application/json"], body: Data(validation().utf8))
        let reply = woken.finish()
        #expect(Date().timeIntervalSince(started) < 5 && reply.stdout.contains("\"arrival\""), "\(reply.stdout.prefix(300))")

        let waiting = try ChildProcess([WireTools.curl, "-sS", "--noproxy", "*", "--max-time", "20", server.baseURL + "/__admin/journal?after=999999&wait=30000"],
                                       environment: WireTools.environment)
        usleep(300_000)
        let stopping = Date()
        #expect(server.stop(SIGTERM, seconds: 10) == 0)
        #expect(Date().timeIntervalSince(stopping) < 2, "SIGTERM waited \(Date().timeIntervalSince(stopping)) s for a long poll")
        _ = waiting.finish()
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
