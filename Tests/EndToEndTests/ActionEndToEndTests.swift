import Foundation
import Testing

@Suite("One vocabulary in tmux: recordings in flight, demos through 3-D Secure", .serialized)
struct ActionEndToEndTests {
    @Test("a recording with a latency rule and actions taken while a request is in flight replays green")
    func recordInFlight() throws {
        let file = try recordingFile("latency.yaml")
        let tmux = try recordingSession(file)
        try tmux.type("b")
        tmux.waitFor("Backend rules")
        try tmux.type("l")
        tmux.waitFor("armed latency")
        try tmux.type("c")
        tmux.waitFor("in flight")
        try tmux.type("f")
        try tmux.type("c")
        tmux.waitUntil { !$0.contains("in flight") && $0.contains("stored the key") }
        try tmux.type("g")
        try tmux.type("v")
        try tmux.type("b")
        tmux.waitFor("Backend rules")
        try tmux.type("0")
        tmux.waitFor("every rule disarmed")
        try tmux.type("q")
        #expect(tmux.waitFor("EXIT=").contains("EXIT=0"))
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("wait: false"), "\(text)")
        #expect(text.contains("- do: { wait: "), "\(text)")
        #expect(text.contains("set_guard: off") && text.contains("set_client: legacy") && text.contains("backend: disarm_all"), "\(text)")
        #expect(text.contains("backend: { sessions: 1"), "\(text)")

        let replay = try TmuxSession("'\(binary)' run '\(file)'")
        let report = replay.waitFor("EXIT=")
        #expect(report.contains("1 passed, 0 failed"), "\(report)\n\(text)")
    }

    @Test("demos of 22 and 23 play through the bank page to a green end with Space alone",
          arguments: ["scenarios/22-3ds-succeeded.yaml", "scenarios/23-3ds-failed.yaml"])
    func demoThreeDSecure(file: String) throws {
        let tmux = try TmuxSession("'\(binary)' demo \(file)")
        let start = tmux.waitFor("step 0/")
        let total = try #require(start.firstMatch(of: /step 0\/(\d+)/).flatMap { Int($0.output.1) })
        for n in 1...total {
            try tmux.type(" ")
            tmux.waitFor("step \(n)/\(total)")
        }
        let end = tmux.waitFor("end of scenario")
        #expect(end.contains("passed, 0 failed"), "\(end)")
        #expect(!end.contains("3-D Secure · your bank"), "\(end)")
        try tmux.type("q")
        #expect(tmux.waitFor("EXIT=").contains("EXIT=0"))
    }

    @Test("Esc ends a demo started from the command line")
    func escapeEndsDemo() throws {
        let tmux = try TmuxSession("'\(binary)' demo scenarios/04-rotation.yaml")
        tmux.waitFor("step 0/")
        try tmux.type(" ")
        tmux.waitFor("step 1/")
        try tmux.press("Escape")
        #expect(tmux.waitFor("EXIT=").contains("EXIT=0"))
    }

    @Test("on the bank page, ? shows the keys and q quits")
    func bankPageKeys() throws {
        let tmux = try TmuxSession("'\(binary)' --state-dir '\(freshStateDirectory())'")
        tmux.waitFor("No request yet")
        try tmux.addAndCheckOut()
        try tmux.type("ttt")
        tmux.waitFor("3-D Secure")
        try tmux.type("p")
        // A frame can reach tmux in pieces: wait for the overlay's last line, not only its title.
        let bank = tmux.waitUntil { $0.contains("3-D Secure · your bank") && $0.contains("Esc leave it · q quit · ? keys") }
        #expect(bank.contains("Esc leave it · q quit · ? keys"), "\(bank)")
        try tmux.type("?")
        #expect(tmux.waitFor("Keys (Esc closes)").contains("Keys (Esc closes)"))
        try tmux.press("Escape")
        #expect(tmux.waitFor("3-D Secure · your bank").contains("3-D Secure · your bank"))
        try tmux.type("q")
        #expect(tmux.waitFor("EXIT=").contains("EXIT=0"))
    }
}
