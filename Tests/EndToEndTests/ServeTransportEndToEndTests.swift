import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `serve --headless` never hangs the CI job that started it, on the debug and the release
/// build: an unread stdout, a held request at SIGTERM, stalled or slow clients, HTTP/1.0, and
/// malformed requests each have a bound. Requests go over raw loopback sockets.
@Suite("serve's transport bounds, end to end", .serialized)
struct ServeTransportEndToEndTests {
    static let health = "GET /__admin/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"

    // MARK: - The request log

    @Test("stdout a pipe nobody reads: 7,000 requests answered; the lines dropped are counted once the reader catches up",
          arguments: installedBinaries)
    func unreadStdout(app: String) throws {
        let server = try ServeProcess(app: app, pipedOutput: true)
        let pipe = try #require(server.outputPipe)
        // More lines than the pipe (64 KiB) and the log's queue (4,096 lines) hold.
        let total = 7000
        try Self.sendHealthChecks(server, count: total)

        // Now the reader reads: every request's line was written, or counted among those dropped.
        var output = ""
        func counted() -> (logged: Int, dropped: Int) {
            (output.components(separatedBy: "GET /__admin/health 200").count - 1,
             output.matches(of: /\(([0-9]+) log lines dropped\)\n/).reduce(0) { $0 + (Int($1.1) ?? 0) })
        }
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, counted().logged + counted().dropped < total {
            output += Self.readAvailable(pipe, within: 0.5)
        }
        let (logged, dropped) = counted()
        #expect(dropped > 0, "no '(N log lines dropped)' line after \(total) unread requests; read \(output.count) bytes, \(logged) request lines")
        #expect(logged + dropped == total, "\(logged) lines written and \(dropped) dropped for \(total) requests")
        #expect(server.stop(SIGTERM, seconds: 5) == 0, "stderr: \(server.process.stderr)")
    }

    @Test("stdout blocked (a full pipe) and a drop_response held with a 115-day deadline: SIGTERM exits 0 within a second",
          arguments: installedBinaries)
    func sigtermWithBlockedStdoutAndHeldRequest(app: String) throws {
        let server = try ServeProcess(app: app, pipedOutput: true)
        // 1,000 lines are more than a pipe holds (64 KiB): the log's writer is blocked from here on.
        try Self.sendHealthChecks(server, count: 1000)
        let held = try Self.startHeldRequest(server, rule: "drop_response")
        let start = Date()
        kill(server.process.pid, SIGTERM)
        let status = server.process.exitStatus(within: 5)
        let elapsed = Date().timeIntervalSince(start)
        #expect(status == 0, "exit status \(status.map(String.init) ?? "none: still running 5 s later"); stderr: \(server.process.stderr)")
        #expect(elapsed < 1.2, "exited \(elapsed) s after SIGTERM")
        let reply = held.readToEnd(within: 2)
        #expect(held.closed && reply.isEmpty, "the held request is closed without a reply, not \"\(reply.prefix(200))\"")
        #expect(server.process.stderr.contains("not written"), "stderr says the log was not all written: \(server.process.stderr)")
    }

    @Test("SIGINT with a held timeout fault and a body still coming: exit 0 within a second; a held request whose client leaves ends at once",
          arguments: installedBinaries)
    func heldRequestsEnd(app: String) throws {
        let server = try ServeProcess(app: app)
        // Its client closes the connection at once (the connection is not kept).
        _ = try Self.startHeldRequest(server, rule: "drop_response")
        // The client closed its connection: the held request is logged as closed straight away.
        let deadline = Date().addingTimeInterval(3)
        while Date() < deadline, !server.process.stdout.contains("closed without a reply: drop_response") { usleep(20_000) }
        #expect(server.process.stdout.contains("closed without a reply: drop_response"), "log: \(server.process.stdout.suffix(600))")

        let held = try Self.startHeldRequest(server, rule: "timeout")
        // A body that stopped coming is not waited for either (its timeout is 30 s).
        let uploading = try RawConnection(port: server.port)
        try uploading.send(Self.validation(contentLength: 1000))
        let start = Date()
        let status = server.stop(SIGINT, seconds: 5)
        #expect(status == 0 && Date().timeIntervalSince(start) < 1.2, "exit \(status.map(String.init) ?? "none") after \(Date().timeIntervalSince(start)) s")
        #expect(held.readToEnd(within: 2).isEmpty && held.closed)
        #expect(uploading.readToEnd(within: 2).isEmpty && uploading.closed)
    }

    @Test("--log off writes only the listening line; --log FILE appends the request lines to the file", arguments: installedBinaries)
    func logDestinations(app: String) throws {
        let quiet = try ServeProcess(app: app, arguments: ["--log", "off"])
        try Self.sendHealthChecks(quiet, count: 3)
        #expect(quiet.stop(SIGTERM) == 0)
        #expect(quiet.process.stdout.split(separator: "\n").count == 1, "\(quiet.process.stdout)")

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cs-e2e-log-\(UUID().uuidString)").path
        defer { unlink(file) }
        let logged = try ServeProcess(app: app, arguments: ["--log", file, "--log-format", "json"])
        try Self.sendHealthChecks(logged, count: 3)
        #expect(logged.stop(SIGTERM) == 0)
        let lines = ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").split(separator: "\n")
        #expect(lines.count == 3 && lines.allSatisfy { jsonObject(String($0))?["path"] as? String == "/__admin/health" }, "\(lines)")
        #expect(logged.process.stdout.split(separator: "\n").count == 1, "\(logged.process.stdout)")
    }

    @Test("bad bounds flags are refused with a clear message", arguments: [
        (["--idle-timeout", "soon"], "--idle-timeout takes a duration"),
        (["--header-timeout", "0s"], "--header-timeout takes a duration"),
        (["--max-connections", "0"], "--max-connections must be at least 1"),
        (["--log", "/nonexistent-dir/x.log"], "cannot open the request log"),
    ])
    func badFlags(arguments: [String], message: String) throws {
        let output = try runBinary(["serve", "--headless", "--in-memory", "--port", "0"] + arguments)
        #expect(output.status != 0 && output.stderr.contains(message), "\(output.status) \(output.stderr)")
    }

    // MARK: - Timeouts and the descriptor limit

    @Test("header, body and idle timeouts close slow connections (408 once a request began); a held timeout fault outlives them",
          arguments: installedBinaries)
    func timeouts(app: String) throws {
        let server = try ServeProcess(app: app, arguments: ["--header-timeout", "1s", "--body-timeout", "1s", "--idle-timeout", "1500ms"])
        let silent = try RawConnection(port: server.port)
        let partialHead = try RawConnection(port: server.port)
        try partialHead.send("GET /__admin/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        let shortBody = try RawConnection(port: server.port)
        // A whole validation, declared 10 bytes longer: handled as it is, it would create a session.
        try shortBody.send(Self.validation(contentLength: EndToEndTests.validation().utf8.count + 10))
        let idle = try RawConnection(port: server.port)
        try idle.send(Self.health)
        #expect(try idle.responses(1, within: 5).first?.status == 200)
        let held = try Self.startHeldRequest(server, rule: "timeout", deadlineMillis: 4000)
        let start = Date()

        #expect(silent.readToEnd(within: 5).isEmpty && silent.closed, "a connection that sends nothing is closed")
        let head = partialHead.readToEnd(within: 5)
        #expect(head.hasPrefix("HTTP/1.1 408") && partialHead.closed, "headers cut short: \(head)")
        let body = shortBody.readToEnd(within: 5)
        #expect(body.hasPrefix("HTTP/1.1 408") && shortBody.closed, "a body cut short: \(body)")
        #expect(idle.readToEnd(within: 5).isEmpty && idle.closed, "an idle keep-alive connection is closed")
        #expect(Date().timeIntervalSince(start) < 3.5, "the timeouts are 1 s and 1.5 s")
        #expect(!held.closed, "a held timeout fault is not idle: it is held until the client's deadline")
        #expect(held.readToEnd(within: 8).isEmpty && held.closed)
        let heldFor = Date().timeIntervalSince(start)
        #expect(heldFor > 3.5 && heldFor < 6, "held until the 4 s deadline, not \(heldFor) s")
        #expect(try server.sessions().isEmpty, "a body cut short is never handled")
        #expect(server.stop(SIGTERM) == 0)
    }

    @Test("1,100 stalled connections under ulimit -n 1024: health checks answered at once, no spin on accept",
          arguments: installedBinaries)
    func stalledConnections(app: String) throws {
        Self.raiseOwnDescriptorLimit(to: 4096)
        let server = try ServeProcess(app: app, descriptorLimit: 1024)
        var stalled: [RawConnection] = []
        for index in 0..<1100 {
            stalled.append(try RawConnection(port: server.port, wait: false))
            // A few bytes of headers from some: a request begun and never finished.
            if index % 2 == 0, stalled[index].poll(POLLOUT, seconds: 0.5) { try? stalled[index].send("GET / HTTP/1.1\r\n") }
        }
        let cpuBefore = server.cpuSeconds
        let start = Date()
        for _ in 0..<20 {
            let check = try RawConnection(port: server.port)
            try check.send(Self.health)
            let reply = try check.responses(1, within: 3)
            #expect(reply.first?.status == 200, "\(reply)")
        }
        let wall = Date().timeIntervalSince(start)
        let cpu = server.cpuSeconds - cpuBefore
        #expect(wall < 10, "20 health checks took \(wall) s")
        // A loop on a failing accept takes a whole core; 20 requests take a sliver.
        #expect(cpu < max(0.2, wall * 0.5), "\(cpu) s of CPU in \(wall) s")
        #expect(server.stop(SIGTERM, seconds: 5) == 0, "stderr: \(server.process.stderr)")
    }

    // MARK: - HTTP/1.0 and malformed requests

    @Test("HTTP/1.0 without keep-alive: the reply, then the end of the connection; with keep-alive it stays open",
          arguments: installedBinaries)
    func http10(app: String) throws {
        let server = try ServeProcess(app: app)
        let plain = try RawConnection(port: server.port)
        try plain.send("GET /__admin/health HTTP/1.0\r\n\r\n")
        let reply = plain.readToEnd(within: 5)
        #expect(reply.hasPrefix("HTTP/1.0 200") && reply.contains(#""ok""#) && plain.closed, "\(reply)")

        let kept = try RawConnection(port: server.port)
        try kept.send("GET /__admin/health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(try kept.responses(1, within: 5).first?.status == 200)
        try kept.send("GET /__admin/health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(try kept.responses(1, within: 5).first?.status == 200, "the same connection answers again")
        #expect(server.stop(SIGTERM) == 0)
    }

    @Test("a bad chunk size is 400, a Transfer-Encoding other than chunked 501, on an RPC and on the admin API",
          arguments: installedBinaries)
    func malformedBodies(app: String) throws {
        let server = try ServeProcess(app: app)
        for path in ["/checkout.v1.CheckoutService/ValidateOrderItemsInsert", "/__admin/rules"] {
            let head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            let badChunk = try RawConnection(port: server.port)
            try badChunk.send(head + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")
            let chunkReply = badChunk.readToEnd(within: 5)
            #expect(chunkReply.hasPrefix("HTTP/1.1 400") && chunkReply.contains("invalid chunk size") && badChunk.closed, "\(path): \(chunkReply)")

            let unknown = try RawConnection(port: server.port)
            try unknown.send(head + "Transfer-Encoding: gzip\r\n\r\n{}")
            let codingReply = unknown.readToEnd(within: 5)
            #expect(codingReply.hasPrefix("HTTP/1.1 501") && codingReply.contains("gzip") && unknown.closed, "\(path): \(codingReply)")
        }
        #expect(try server.sessions().isEmpty)
        #expect(server.stop(SIGTERM) == 0)
    }

    // MARK: - Helpers

    /// What `descriptor` has to read within `seconds` (up to 64 KiB), or "".
    static func readAvailable(_ descriptor: Int32, within seconds: Double) -> String {
        var ready = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&ready, 1, Int32(seconds * 1000)) == 1 else { return "" }
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        return count > 0 ? String(decoding: chunk[0..<count], as: UTF8.self) : ""
    }

    /// `count` health checks, pipelined 100 at a time on one connection; every one must be answered.
    static func sendHealthChecks(_ server: ServeProcess, count: Int) throws {
        let connection = try RawConnection(port: server.port)
        var answered = 0
        while answered < count {
            let batch = min(100, count - answered)
            try connection.send(String(repeating: health, count: batch))
            let replies = try connection.responses(batch, within: 10)
            #expect(replies.allSatisfy { $0.status == 200 }, "\(replies.first { $0.status != 200 }.map(String.init(describing:)) ?? "")")
            answered += batch
        }
    }

    /// Arms `rule` (timeout or drop_response) and sends a validation with `deadlineMillis`
    /// (10,000,000,000 ms, about 115 days, by default); returns once the server holds it.
    static func startHeldRequest(_ server: ServeProcess, rule: String, deadlineMillis: Int64 = 9_999_999_999) throws -> RawConnection {
        let admin = try RawConnection(port: server.port)
        let arm = #""\#(rule)""#
        try admin.send("POST /__admin/rules HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(arm.utf8.count)\r\n\r\n\(arm)")
        let armed = try admin.responses(1, within: 5)
        try #require(armed.first?.status == 201, "arming \(rule): \(armed)")
        let arrivals = try server.journalKinds().filter { $0 == "arrival" }.count
        let connection = try RawConnection(port: server.port)
        try connection.send(validation(contentLength: nil, deadlineMillis: deadlineMillis))
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, try server.journalKinds().filter({ $0 == "arrival" }).count <= arrivals { usleep(20_000) }
        try #require(try server.journalKinds().filter { $0 == "arrival" }.count > arrivals, "the held request never arrived")
        return connection
    }

    /// A validation request; with `contentLength`, only `bodyPrefix` bytes of its body are sent.
    static func validation(contentLength: Int?, bodyPrefix: Int = .max, deadlineMillis: Int64? = nil) -> String {
        let body = EndToEndTests.validation()
        let timeout = deadlineMillis.map { "Connect-Timeout-Ms: \($0)\r\n" } ?? ""
        return "POST /checkout.v1.CheckoutService/ValidateOrderItemsInsert HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + timeout + "Content-Length: \(contentLength ?? body.utf8.count)\r\n\r\n" + String(body.prefix(bodyPrefix))
    }

    /// The test process opens more connections than 1,024.
    static func raiseOwnDescriptorLimit(to wanted: Int) {
        var limit = rlimit()
        getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        guard limit.rlim_cur < rlim_t(wanted) else { return }
        limit.rlim_cur = min(rlim_t(wanted), limit.rlim_max)
        setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
    }
}
