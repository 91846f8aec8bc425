import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("The real binary in tmux", .serialized)
struct TUIEndToEndTests {
    init() {
        #expect(tmuxAvailable, "tmux is required (.ci/run installs it)")
        #expect(FileManager.default.isExecutableFile(atPath: binary), "checkout-sim binary not found at \(binary)")
    }

    @Test("start, c shows the full key, q exits 0, a restart shows the same key")
    func keyPersists() throws {
        let state = freshStateDirectory()
        let tmux = try TmuxSession("'\(binary)' --state-dir '\(state)'")
        // The first frame is drawn in pieces under load: wait for the whole of it.
        let first = tmux.waitUntil { $0.contains("No request yet") && $0.contains("Idempotency key") }
        #expect(first.contains("Idempotency key"), "\(first)")
        try tmux.type("aa")
        try tmux.type("c")
        let screen = tmux.waitForStoredKey(after: "stored the key")
        let key = try #require(storedKey(in: screen), "no key on screen:\n\(screen)")
        try tmux.type("q")
        #expect(tmux.waitFor("EXIT=").contains("EXIT=0"))

        let again = try TmuxSession("'\(binary)' --state-dir '\(state)'")
        let restarted = again.waitFor(key)
        #expect(restarted.contains(key), "restart lost the key:\n\(restarted)")
        #expect(restarted.contains("found in localStorage at page load"))
        try again.type("q")
    }

    @Test("at 80×24, ? pages through every key with PgDn, and Esc returns")
    func helpPages() throws {
        let tmux = try TmuxSession("'\(binary)' --state-dir '\(freshStateDirectory())'", width: 80, height: 24)
        tmux.waitFor("No request yet")
        try tmux.type("?")
        #expect(tmux.waitFor("1–20 of").contains("Checkout: validate the cart (sends the stored key, if any)"))
        try tmux.press("NPage", "NPage", "NPage", "NPage", "NPage")
        let atEnd = { (screen: String) in screen.firstMatch(of: /(\d+)–(\d+) of (\d+)/).map { $0.output.2 == $0.output.3 } == true }
        let last = tmux.waitUntil { $0.contains("Presenter mode") && $0.contains("Autoplay faster") && atEnd($0) }
        #expect(last.contains("Presenter mode") && last.contains("Autoplay faster"), "last page:\n\(last)")
        #expect(atEnd(last), "not at the end")
        try tmux.press("Escape")
        #expect(!tmux.waitUntil { !$0.contains("Keys (Esc closes)") }.contains("Keys (Esc closes)"))
        try tmux.type("q")
        #expect(tmux.waitFor("EXIT=").contains("EXIT=0"))
    }

    @Test("b offers rotation, and the next refresh rotates the key")
    func rotation() throws {
        let tmux = try TmuxSession("'\(binary)' --state-dir '\(freshStateDirectory())'")
        tmux.waitFor("No request yet")
        let first = try #require(storedKey(in: try tmux.addAndCheckOut()))
        try tmux.type("b")
        #expect(tmux.waitUntil { $0.contains("Backend rules") && $0.contains("rotate: replace") }.contains("rotate: replace"))
        try tmux.type("r")
        tmux.waitFor("armed rotate")
        try tmux.type("r")
        let screen = tmux.waitForStoredKey(after: "overwrote the stored key (rotation)", other: first)
        #expect(screen.contains("overwrote the stored key (rotation)"), "\(screen)")
        #expect(storedKey(in: screen) != first, "the panel still shows the first key:\n\(screen)")
        try tmux.type("q")
    }

    @Test("with latency armed, a checkout waits in the timeline, then its answer replaces it")
    func inFlight() throws {
        let tmux = try TmuxSession("'\(binary)' --state-dir '\(freshStateDirectory())'")
        tmux.waitFor("No request yet")
        try tmux.type("aa")
        try tmux.armRule("l", until: "armed latency")
        try tmux.type("c")
        let waiting = tmux.waitFor("waiting")
        #expect(waiting.contains("#1") && waiting.contains("→ waiting"), "no waiting row:\n\(waiting)")
        let answered = tmux.waitUntil { $0.contains("→ ok") }
        #expect(answered.contains("#1") && answered.contains("→ ok") && !answered.contains("→ waiting"), "not answered:\n\(answered)")
        try tmux.type("q")
        #expect(tmux.waitFor("EXIT=").contains("EXIT=0"))
    }

    @Test("resizing redraws; a too-small terminal gets a message, not a crash")
    func resize() throws {
        let tmux = try TmuxSession("'\(binary)' --state-dir '\(freshStateDirectory())'", width: 100, height: 30)
        tmux.waitFor("No request yet")
        try tmux.resize(width: 60, height: 20)
        #expect(tmux.waitFor("Terminal too small").contains("60×20"))
        try tmux.resize(width: 120, height: 40)
        let big = tmux.waitFor("No request yet")
        #expect(big.contains("Backend") && !big.contains("Terminal too small"))
        try tmux.resize(width: 80, height: 24)
        #expect(tmux.waitFor("Timeline").contains("Cart"))
        try tmux.type("q")
        #expect(tmux.waitFor("EXIT=").contains("EXIT=0"))
    }

    @Test("NO_COLOR drops colour but keeps bold and reverse")
    func noColor() throws {
        let colored = try TmuxSession("env -u NO_COLOR '\(binary)' --state-dir '\(freshStateDirectory())'")
        colored.waitFor("No request yet")
        try colored.addAndCheckOut()
        let withColor = colored.screen(escapes: true)
        #expect(withColor.contains("\u{1B}[32m") || withColor.contains("\u{1B}[36m") || withColor.contains(";32m") || withColor.contains(";36m"))
        try colored.type("q")

        let plain = try TmuxSession("'\(binary)' --state-dir '\(freshStateDirectory())'", environment: ["NO_COLOR": "1"])
        plain.waitFor("No request yet")
        try plain.addAndCheckOut()
        let noColor = plain.screen(escapes: true)
        let colorCodes = noColor.matches(of: /\x1B\[[0-9;]*(3[0-7]|9[0-7])m/)
        #expect(colorCodes.isEmpty, "colour escapes despite NO_COLOR")
        #expect(noColor.contains("\u{1B}[7m") || noColor.contains("\u{1B}[1m"), "reverse or bold should remain")
        try plain.type("q")
    }

    @Test("SIGINT, SIGTERM and SIGHUP restore the terminal and keep state, in every build",
          arguments: installedBinaries, [SIGINT, SIGTERM, SIGHUP])
    func signals(app: String, signal: Int32) throws {
        let state = freshStateDirectory()
        let tmux = try TmuxSession("'\(app)' --state-dir '\(state)'")
        tmux.waitFor("No request yet")
        let key = try #require(storedKey(in: try tmux.addAndCheckOut()))
        let pid = try #require(tmux.appPID())
        kill(pid, signal)
        let after = tmux.waitFor("EXIT=")
        #expect(after.contains("EXIT=\(128 + signal)"), "\(after)")
        #expect(!after.contains("┌ Cart"), "the screen was not restored:\n\(after)")
        let again = try TmuxSession("'\(app)' --state-dir '\(state)'")
        #expect(again.waitFor(key).contains(key))
        try again.type("q")
    }

    @Test("an unreadable state directory is set aside and reported, and the app works")
    func corruptState() throws {
        let state = freshStateDirectory()
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        try Data([0xFF, 0x00, 0x1B, 0x5B]).write(to: URL(fileURLWithPath: state + "/localStorage.json"))
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: state + "/backend.sqlite"))
        let tmux = try TmuxSession("'\(binary)' --state-dir '\(state)'")
        let screen = tmux.waitFor("moved aside")
        #expect(screen.contains("moved aside"))
        #expect(storedKey(in: try tmux.addAndCheckOut()) != nil)
        try tmux.type("q")
        let files = try FileManager.default.contentsOfDirectory(atPath: state)
        #expect(files.filter { $0.contains(".corrupt-") }.count >= 2)
    }
}

@Suite("Hostile text in the real terminal", .serialized)
struct HostileTextEndToEndTests {
    @Test("a stored key and an error message made of OSC/CSI sequences never reach the terminal")
    func escapes() throws {
        let state = freshStateDirectory()
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let hostile = "\u{1B}]2;pwned-title\u{07}\u{1B}[2J\u{1B}[31mX\u{9B}31m\u{202E}evil"
        let json = try JSONSerialization.data(withJSONObject: ["checkout-idempotency-key": hostile])
        try json.write(to: URL(fileURLWithPath: state + "/localStorage.json"))
        let tmux = try TmuxSession("'\(binary)' --state-dir '\(state)'")
        let screen = tmux.waitFor("pwned-title")
        #expect(screen.contains("\\e]2;pwned-title\\u{7}\\e[2J"), "the key is shown escaped:\n\(screen)")
        let title = try tmux.run(["display-message", "-p", "-t", tmux.name, "#{pane_title}"])
        #expect(!title.contains("pwned"), "the pane title changed to \(title)")
        #expect(screen.contains("┌ Cart"), "the screen was cleared by an escape sequence")
        try tmux.type("q")
    }
}


@Suite("Two tabs on one state directory", .serialized)
struct TwoTabsEndToEndTests {
    @Test("the key panel follows a key another process stores, and a refresh reuses its session")
    func keyPanelFollows() throws {
        let state = freshStateDirectory()
        let tabA = try TmuxSession("'\(binary)' --state-dir '\(state)'", width: 100, height: 30)
        let tabB = try TmuxSession("'\(binary)' --state-dir '\(state)'", width: 100, height: 30)
        tabA.waitFor("No request yet")
        tabB.waitFor("No request yet")
        let key = try #require(storedKey(in: try tabA.addAndCheckOut()))
        let followed = tabB.waitFor("changed in another tab")
        #expect(followed.contains(key), "tab B does not show tab A's key:\n\(followed)")
        try tabB.type("r")
        #expect(tabB.waitFor("kept the key (same session)").contains("sessions 1"))
        try tabA.type("q")
        try tabB.type("q")
    }
}
