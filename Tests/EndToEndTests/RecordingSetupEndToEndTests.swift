import Foundation
import Testing

@Suite("A recording started mid-session", .serialized)
struct RecordingSetupEndToEndTests {
    @Test("c p R a Enter c R: a recording started after a payment replays green with run", arguments: installedBinaries)
    func startedAfterPayment(app: String) throws {
        let state = freshStateDirectory()
        let tmux = try TmuxSession("'\(app)' --state-dir '\(state)'", width: 160)
        tmux.waitFor("1× House beans 1 kg")
        try tmux.type("c")
        tmux.waitForStoredKey(after: "stored the key")
        try tmux.type("p")
        let paid = tmux.waitFor("Payment succeeded")
        #expect(paid.contains("Payment succeeded"), "\(paid)")
        try tmux.type("R")
        let file = state + "/recordings/recording-1.yaml"
        let recording = tmux.waitFor("recording to")
        #expect(recording.contains(file), "\(recording)")
        try tmux.type("a")
        let picker = tmux.waitFor("Add to cart")
        try tmux.press("Enter")
        let added = tmux.waitFor("1× House beans 1 kg")
        #expect(added.contains("1× House beans 1 kg"), "the picker:\n\(picker)\nafter Enter:\n\(added)")
        try tmux.type("c")
        tmux.waitForStoredKey(after: "stored the key")
        try tmux.type("R")
        let stopped = tmux.waitFor("steps to")
        #expect(stopped.contains(file), "\(stopped)")
        try tmux.type("q")
        #expect(tmux.waitFor("EXIT=").contains("EXIT=0"))

        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("  payment: succeeded"), "\(text)")
        let replay = try TmuxSession("'\(app)' run '\(file)'", width: 200)
        let report = replay.waitFor("EXIT=")
        #expect(report.contains("1 passed, 0 failed") && report.contains("EXIT=0"), "\(report)\n\(text)")
    }
}
