import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `serve` against what any web page on the laptop, a rebound DNS name or a LAN peer
/// could send, with the debug and the installed release binary: refused admin calls,
/// refused `Host`s, the token of a non-loopback bind, and a real browser attacking from
/// a page of another site.
@Suite("serve: safe on a laptop", .serialized)
struct ServeSecurityEndToEndTests {
    @Test("a text/plain form POST from another origin cannot reset the state", arguments: installedBinaries)
    func crossOriginFormIsRefused(app: String) throws {
        let server = try ServeProcess(app: app)
        try server.arm(#""rotate""#)
        for origin in ["http://evil.example", "null"] {
            let reply = try curl(server.baseURL + "/__admin/reset", headers: ["Origin: \(origin)", "Content-Type: text/plain"], body: Data("x=".utf8))
            #expect(reply.status == 403, "\(origin): \(reply)")
            #expect(reply.json?["code"] as? String == "permission_denied", "\(reply)")
            #expect(reply.headers["access-control-allow-origin"] == nil, "\(reply.headers)")
        }
        let rules = try server.admin("rules")["rules"] as? [Any]
        #expect(rules?.count == 1, "the reset went through: \(String(describing: rules))")
        // The documented way keeps working.
        #expect(try curl(server.baseURL + "/__admin/rules", headers: ["Content-Type: application/json"], body: Data(#""rotate""#.utf8)).status == 201)
    }

    @Test("a Host that is not loopback or allowed is refused on every path", arguments: installedBinaries)
    func foreignHostIsRefused(app: String) throws {
        let server = try ServeProcess(app: app, arguments: ["--allowed-host", "shop.test"])
        for path in ["/", "/__admin/health", "/checkout.v1.CheckoutService/ValidateOrderItemsInsert"] {
            let reply = try curl(server.baseURL + path, method: path.contains("Service") ? "POST" : "GET",
                                 headers: ["Host: evil.example", "Content-Type: application/json"], body: path.contains("Service") ? Data("{}".utf8) : nil)
            #expect(reply.status == 403, "\(path): \(reply)")
            #expect(reply.text.contains("not served (DNS rebinding protection)"), "\(reply)")
        }
        for host in ["localhost", "127.0.0.1", "[::1]:8787", "shop.test:8787"] {
            #expect(try curl(server.baseURL + "/__admin/health", method: "GET", headers: ["Host: \(host)"]).status == 200, "\(host)")
        }
        #expect(try server.journalKinds().isEmpty, "a refused request reached the backend")
    }

    /// Bound to every interface (all traffic of the test still goes to 127.0.0.1): the admin
    /// API needs the token serve printed; the RPCs and the shop stay open.
    @Test("a non-loopback bind puts the admin API behind a printed token", arguments: installedBinaries)
    func wildcardBindNeedsAToken(app: String) throws {
        let server = try ServeProcess(app: app, arguments: ["--host", "0.0.0.0"])
        let warning = server.process.stderr
        let token = try #require(warning.firstMatch(of: /Authorization: Bearer ([0-9a-f]{32})/).map { String($0.output.1) }, "stderr: \(warning)")
        let rule = Data(#""rotate""#.utf8)
        let missing = try curl(server.baseURL + "/__admin/rules", headers: ["Content-Type: application/json"], body: rule)
        #expect(missing.status == 401, "\(missing)")
        #expect(missing.headers["www-authenticate"] == "Bearer", "\(missing.headers)")
        let wrong = try curl(server.baseURL + "/__admin/rules", headers: ["Authorization: Bearer " + String(token.reversed())], body: rule)
        #expect(wrong.status == 401, "\(wrong)")
        let right = try curl(server.baseURL + "/__admin/rules", headers: ["Authorization: Bearer " + token, "Content-Type: application/json"], body: rule)
        #expect(right.status == 201, "\(right)")
        let cart = #"{"items":[{"sku":"MUG","quantity":1}],"paymentMethod":"CARD","email":"a@example.com","currency":"EUR"}"#
        #expect(try curl(server.rpcURL("ValidateOrderItemsInsert"), headers: ["Content-Type: application/json"], body: Data(cart.utf8)).status == 200)
        #expect(try curl(server.baseURL + "/", method: "GET").status == 200)
    }

    @Test("the serve TUI shows a non-loopback bind's warning and token on screen")
    func tuiShowsTheWarning() throws {
        let state = freshStateDirectory()
        let tmux = try TmuxSession("\(binary) serve --host 0.0.0.0 --port 0 --admin-token e2e-token-123 --state-dir \(state)", width: 120, height: 40)
        let screen = tmux.waitFor("Bearer e2e-token-123")
        // Wrapped, the token whole on its line.
        #expect(screen.contains("⚠ reachable from other machines: the admin API needs Authorization:"), "\(screen)")
        #expect(screen.contains("│ Bearer e2e-token-123 "), "\(screen)")
        try tmux.press("q")
    }

    @Test("a page of another site in Chromium: forms, no-cors and CORS fetches, a rebound name, the bank's return_url",
          .enabled(if: BrowserTools.missing.isEmpty || runningInCI), arguments: installedBinaries)
    func browserAttack(app: String) throws {
        #expect(BrowserTools.missing.isEmpty, "missing \(BrowserTools.missing): run scripts/test.sh")
        let server = try ServeProcess(app: app)
        let script = repositoryRoot.appendingPathComponent("Tests/EndToEndTests/clients/cross_site_test.py").path
        let browser = try ChildProcess([WireTools.python, script, "--base", server.baseURL,
                                        "--chromium", BrowserTools.chromium, "--chromedriver", BrowserTools.chromedriver],
                                       environment: BrowserTools.environment)
        guard browser.exitStatus(within: 120) != nil else {
            Issue.record("the browser attack did not finish within 120 s: \(browser.stdout.suffix(2000))")
            return
        }
        let output = browser.finish()
        #expect(output.status == 0, "\(output.stdout)\n\(output.stderr.suffix(3000))")
        let summary = output.stdout.split(separator: "\n").last.map(String.init) ?? ""
        #expect(summary.wholeMatch(of: /cross-site checks: 9 passed, 0 failed/) != nil, "\(output.stdout)")
    }
}
