import Foundation
import Testing

/// The lint on the real binary: a browser-like client (cookie) and a test client
/// (header) judged apart over HTTP, `GET /__admin/lint`, and `checkout-sim lint`
/// on the state directory of a running server (exit 1 on a violation).
@Suite(.serialized) struct LintEndToEndTests {
    static let validate = "ValidateOrderItemsInsert"

    private func post(_ server: ServeProcess, _ body: String, _ headers: [String]) throws -> HTTPReply {
        try curl(server.rpcURL(Self.validate), headers: ["Content-Type: application/json"] + headers, body: Data(body.utf8))
    }

    private func lint(_ app: String, _ server: ServeProcess, _ options: [String] = []) throws -> ProcessOutput {
        try ChildProcess([app, "lint", "--state-dir", server.stateDirectory] + options, environment: ["LANG=C.UTF-8"]).finish()
    }

    @Test("a legacy client is a warning (exit 0, --strict 1); another client's key is a violation", arguments: installedBinaries)
    func legacyWarningAndBorrowedKey(app: String) throws {
        let server = try ServeProcess(app: app)
        for _ in 0..<2 { _ = try post(server, validation(), ["Checkout-Sim-Client: old-page"]) }
        let warned = try lint(app, server)
        #expect(warned.status == 0, "\(warned.stdout)")
        #expect(warned.stdout.contains("! warning: rule 5 legacy-client") && warned.stdout.contains("1 warning"), "\(warned.stdout)")
        #expect(try lint(app, server, ["--strict"]).status == 1)

        let issued = try post(server, validation(), ["Checkout-Sim-Client: alice"])
        let key = try #require(issued.json?["idempotencyKey"] as? String, "\(issued)")
        _ = try post(server, validation(key: key), ["Checkout-Sim-Client: bob"])
        let borrowed = try lint(app, server)
        #expect(borrowed.status == 1, "\(borrowed.stdout)")
        #expect(borrowed.stdout.contains("rule 6 key-of-another-client · client bob"), "\(borrowed.stdout)")
        #expect(borrowed.stdout.contains("its first validation sent \"\(key)\""), "\(borrowed.stdout)")
    }

    @Test("a cookie names a browser; a clean client passes; a forgotten key fails `lint` with rule 1", arguments: installedBinaries)
    func cookieAndCommand(app: String) throws {
        let server = try ServeProcess(app: app)
        // The browser: its first request has no cookie; the reply sets one, which it sends from then on.
        let first = try post(server, validation(), [])
        let setCookie = try #require(first.headers["set-cookie"], "no Set-Cookie in \(first)")
        let id = try #require(setCookie.firstMatch(of: /checkout-sim-client=(c-[0-9a-f]{12});/)?.1, "\(setCookie)")
        let cookie = ["Cookie: checkout-sim-client=\(id)"]
        let key = try #require(first.json?["idempotencyKey"] as? String, "\(first)")
        let retry = try post(server, validation(key: key), cookie)
        #expect(retry.headers["set-cookie"] == nil, "a known client gets no new cookie: \(retry.headers)")

        let clean = try lint(app, server)
        #expect(clean.status == 0, "stdout: \(clean.stdout) stderr: \(clean.stderr)")
        #expect(clean.stdout.contains("clean: 1 client follow"), "\(clean.stdout)")
        #expect(clean.stdout.contains("✓ client \(id) (curl/"), "\(clean.stdout)")

        // A test client named by the header: it forgets its key on the third validation.
        let tab = ["Checkout-Sim-Client: e2e-tab"]
        let tabKey = try #require(try post(server, validation(), tab).json?["idempotencyKey"] as? String)
        #expect(try post(server, validation(key: tabKey), tab).status == 200)
        #expect(try post(server, validation(), tab).status == 200)

        let report = try server.admin("lint")
        #expect(report["clean"] as? Bool == false, "\(report)")
        let verdicts = (report["verdicts"] as? [[String: Any]]) ?? []
        #expect(verdicts.map { $0["rule"] as? String } == ["send-stored-key"], "\(verdicts)")
        #expect(verdicts.first?["client"] as? String == "e2e-tab")
        #expect(verdicts.first?["expected"] as? String == "the stored key \"\(tabKey)\"")

        let failing = try lint(app, server)
        #expect(failing.status == 1, "stdout: \(failing.stdout) stderr: \(failing.stderr)")
        #expect(failing.stdout.contains("✗ rule 1 send-stored-key · client e2e-tab"), "\(failing.stdout)")
        #expect(failing.stdout.contains("1 violation of the key lifecycle"), "\(failing.stdout)")
        let json = try lint(app, server, ["--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(json.status == 1 && object?["clean"] as? Bool == false, "\(json.stdout)")
        #expect(server.stop(SIGTERM) == 0)
    }

    @Test("`lint` on a directory without a journal says so and exits 2", arguments: installedBinaries)
    func noJournal(app: String) throws {
        let empty = freshStateDirectory()
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let output = try ChildProcess([app, "lint", "--state-dir", empty], environment: ["LANG=C.UTF-8"]).finish()
        #expect(output.status == 2)
        #expect(output.stderr.contains("no journal in \(empty)"), "\(output.stderr)")
        #expect(output.stdout.isEmpty)
    }
}
