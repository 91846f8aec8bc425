import Foundation
import Testing

@Suite("The rule editor in tmux", .serialized)
struct RuleEditorEndToEndTests {
    @Test("a probability rule and a custom error armed in the editor fire (seeded), one rule removed from the queue, and the recording replays green")
    func armFireRecordReplay() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("editor.yaml").path
        let tmux = try TmuxSession("'\(binary)' --state-dir '\(freshStateDirectory())' --seed 7 --record '\(file)'")
        tmux.waitFor("● REC")
        try tmux.type("a")
        tmux.waitFor("House beans")

        // payment_unavailable, probability 0.5, at most twice.
        try tmux.type("bE")
        tmux.waitFor("Rule editor")
        try tmux.press("Right", "Right", "Down", "Left", "Down")
        try tmux.type("0.5")
        try tmux.press("Down")
        try tmux.type("2")
        tmux.waitFor("probability: 0.5, times: 2")
        try tmux.press("Enter")
        tmux.waitFor("armed payment_unavailable p=0.5 ×2")

        // error "Teapot overheated" with Connect code resource_exhausted, once.
        try tmux.type("bE")
        tmux.waitFor("Rule editor")
        try tmux.press("Right", "Right", "Right", "Right", "Down")
        try tmux.type("Teapot overheated")
        try tmux.press("Down", "Right", "Right", "Right", "Right", "Right", "Right")
        tmux.waitFor("resource_exhausted ▶")
        try tmux.press("Enter")
        tmux.waitFor("armed error \"Teapot overheated\" once")

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
        var screen = ""
        for _ in 0..<20 {
            try tmux.type("c")
            screen = tmux.waitUntil(seconds: 1) { $0.contains("Something went wrong. (Teapot overheated)") }
            if screen.contains("Something went wrong. (Teapot overheated)") { break }
        }
        #expect(screen.contains("Something went wrong. (Teapot overheated)"), "the custom error never fired:\n\(screen)")
        try tmux.type("l")
        let log = tmux.waitFor("Messages:")
        #expect(log.components(separatedBy: "(payment unavailable)").count - 1 >= 2, "payment_unavailable fired fewer than twice:\n\(log)")
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
}
