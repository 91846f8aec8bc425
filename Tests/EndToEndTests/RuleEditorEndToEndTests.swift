import Foundation
import Testing

@Suite("The rule editor in tmux", .serialized)
struct RuleEditorEndToEndTests {
    @Test("a probability rule and a custom error armed in the editor fire (seeded), one rule removed from the queue, and the recording replays green")
    func armFireRecordReplay() throws {
        let file = try recordingFile("editor.yaml")
        let tmux = try recordingSession(file, options: "--seed 7")

        // payment_unavailable, probability 0.5, at most twice.
        try arm(tmux, [.keys(["Right", "Right", "Down", "Left", "Down"]), .text("0.5"), .keys(["Down"]), .text("2")],
                preview: "probability: 0.5, times: 2", armed: "armed payment_unavailable p=0.5 ×2")
        // error "Teapot overheated" with Connect code resource_exhausted, once.
        try arm(tmux, [.keys(["Right", "Right", "Right", "Right", "Down"]), .text("Teapot overheated"),
                       .keys(["Down", "Right", "Right", "Right", "Right", "Right", "Right"])],
                preview: "resource_exhausted ▶", armed: "armed error \"Teapot overheated\" once")

        // A third rule, removed again from the menu's queue.
        try tmux.type("bt")
        tmux.waitFor("armed timeout")
        try tmux.type("b")
        let menu = tmux.waitFor("3. timeout ×1 left")
        #expect(menu.contains("1. payment_unavailable p=0.5 ×2 left"), "\(menu)")
        #expect(menu.contains("2. error \"Teapot overheated\" ×1 left"), "\(menu)")
        try tmux.press("Down", "Down", "DC")
        tmux.waitUntil { !$0.contains("3. timeout") }
        try tmux.press("Escape")
        tmux.waitUntil { !$0.contains("Armed, in order") }

        // Checkouts until the error has fired: the probability rule first fires twice.
        let screen = try tmux.type("c", until: "Something went wrong. (Teapot overheated)", tries: 20)
        #expect(screen.contains("Something went wrong. (Teapot overheated)"), "the custom error never fired:\n\(screen)")
        try tmux.type("l")
        let firings = { (screen: String) in screen.components(separatedBy: "(payment unavailable)").count - 1 }
        let log = tmux.waitUntil { $0.contains("Messages:") && firings($0) >= 2 }
        #expect(firings(log) >= 2, "payment_unavailable fired fewer than twice:\n\(log)")
        try tmux.press("Escape")
        try tmux.type("q")
        #expect(tmux.waitFor("EXIT=").contains("EXIT=0"))

        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("- backend: { payment_unavailable: { probability: 0.5, times: 2 } }"), "\(text)")
        #expect(text.contains("- backend: { error: { message: \"Teapot overheated\", code: resource_exhausted } }"), "\(text)")
        #expect(text.contains("- backend: { disarm: 3 }"), "\(text)")
        let replay = try TmuxSession("'\(binary)' run '\(file)'")
        let report = replay.waitFor("EXIT=")
        #expect(report.contains("1 passed, 0 failed"), "\(report)\n\(text)")
    }

    enum EditorStep {
        case keys([String])
        case text(String)
    }

    /// Opens the rule editor from the backend menu, fills it in, and arms with
    /// Enter once the editor shows `preview`; waits for the `armed` notice.
    private func arm(_ tmux: TmuxSession, _ steps: [EditorStep], preview: String, armed: String) throws {
        try tmux.type("bE")
        tmux.waitFor("Rule editor")
        for step in steps {
            switch step {
            case .keys(let keys): try tmux.run(["send-keys", "-t", tmux.name] + keys)
            case .text(let text): try tmux.type(text)
            }
        }
        tmux.waitFor(preview)
        try tmux.press("Enter")
        tmux.waitFor(armed)
    }
}
