import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What the browser test needs: Debian's chromium and chromium-driver, Selenium in the test
/// virtual environment (scripts/test.sh installs them all).
enum BrowserTools {
    static let chromium = "/usr/bin/chromium"
    static let chromedriver = "/usr/bin/chromedriver"
    static let script = repositoryRoot.appendingPathComponent("Tests/EndToEndTests/clients/shop_browser_test.py").path
    static let missing: [String] = [chromium, chromedriver, WireTools.python].filter { !FileManager.default.isExecutableFile(atPath: $0) }
    /// Selenium never looks for a driver of its own: the paths are given.
    static let environment = WireTools.environment + ["SE_OFFLINE=true"]
    /// The whole run's limit (the script stops itself at 300 s).
    static let timeout = 330.0
}

/// The reference web shop in headless Chromium, driven by Selenium
/// (Tests/EndToEndTests/clients/shop_browser_test.py) against `serve --prefix /api` of the
/// real binary (debug and release builds): the seed's lifecycle step by step, asserting the
/// real localStorage and the toasts, and each `?bug=` variant's misbehaviour on the wire.
/// In CI a missing browser is a failure, never a skip.
@Suite("the reference web shop in headless Chromium", .serialized, .enabled(if: BrowserTools.missing.isEmpty || runningInCI))
struct WebShopBrowserTests {
    @Test("chromium, chromedriver and Selenium are installed (scripts/test.sh installs them)")
    func browserInstalled() {
        #expect(BrowserTools.missing.isEmpty, "missing \(BrowserTools.missing): run scripts/test.sh, or apt-get install chromium chromium-driver and scripts/test-venv.sh")
    }

    @Test("the shop through the seed's lifecycle and every ?bug= variant", arguments: installedBinaries)
    func shopInChromium(app: String) throws {
        let server = try ServeProcess(app: app, prefix: "/api")
        let browser = try ChildProcess([WireTools.python, BrowserTools.script, "--base", server.baseURL, "--prefix", "/api",
                                        "--chromium", BrowserTools.chromium, "--chromedriver", BrowserTools.chromedriver],
                                       environment: BrowserTools.environment)
        guard browser.exitStatus(within: BrowserTools.timeout) != nil else {
            Issue.record("the browser test did not finish within \(BrowserTools.timeout) s: \(browser.stdout.suffix(2000))")
            return
        }
        let output = browser.finish()
        let summary = output.stdout.split(separator: "\n").last.map(String.init) ?? ""
        #expect(output.status == 0, "\(output.stdout)\n\(output.stderr.suffix(3000))")
        #expect(summary.wholeMatch(of: /browser steps: [0-9]+ passed, 0 failed, 0 not run/) != nil, "\(output.stdout)")
        #expect(!output.stdout.contains("FAIL"), "\(output.stdout)")
    }
}
