import Foundation
import Testing

@Suite("Presenter mode and recording in tmux", .serialized)
struct PresenterEndToEndTests {
    @Test("demo shows the name, narration, steps forward and back, verdicts and the summary")
    func demo() throws {
        let tmux = try TmuxSession("'\(binary)' demo scenarios/04-rotation.yaml")
        #expect(tmux.waitFor("Key rotates on refresh").contains("step 0/7"))
        try tmux.type(" ")
        #expect(tmux.waitFor("step 1/7").contains("The shopper opens checkout for the first time."))
        try tmux.type("  ")
        let verdict = tmux.waitUntil { $0.contains("step 3/7") && $0.contains("✓ expectations met") && storedKey(in: $0) != nil }
        #expect(verdict.contains("✓ expectations met"), "\(verdict)")
        #expect(storedKey(in: verdict) != nil, "the key panel shows the key:\n\(verdict)")
        try tmux.press("BSpace")
        #expect(tmux.waitFor("step 2/7").contains("step 2/7"))
        try tmux.type("nnnnn")
        let end = tmux.waitFor("end of scenario")
        #expect(end.contains("2 expectation(s) passed, 0 failed"))
        #expect(end.contains("overwrote the stored key (rotation)"))
        try tmux.type("q")
        #expect(tmux.waitFor("EXIT=").contains("EXIT=0"))
    }

    @Test("a failing expectation is shown with expected and seen")
    func failingVerdict() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("wrong-\(UUID().uuidString).yaml")
        try """
            name: Wrong on purpose
            steps:
              - do: checkout
              - expect: { stored_key: none }
            """.write(to: file, atomically: true, encoding: .utf8)
        let tmux = try TmuxSession("'\(binary)' demo '\(file.path)'")
        tmux.waitFor("Wrong on purpose")
        try tmux.type("  ")
        let screen = tmux.waitFor("✗")
        #expect(screen.contains("✗ stored_key: expected none, got \""))
        try tmux.type("q")
    }

    @Test("s opens the picker, typing filters, Enter presents, Esc returns to exploring")
    func picker() throws {
        let tmux = try TmuxSession("'\(binary)' --state-dir '\(freshStateDirectory())'")
        tmux.waitFor("No request yet")
        try tmux.type("s")
        // The picker's rows may reach the terminal a frame after its title: wait for both.
        #expect(tmux.waitFor("First validation sends no key").contains("Scenarios · type to filter"))
        try tmux.type("tab")
        let filtered = tmux.waitFor("filter: tab")
        #expect(filtered.contains("Paid in another tab"))
        #expect(!filtered.contains("First validation sends no key"))
        try tmux.press("Enter")
        #expect(tmux.waitFor("step 0/").contains("Paid in another tab"))
        try tmux.type(" ")
        tmux.waitFor("step 1/")
        try tmux.press("Escape")
        #expect(tmux.waitFor("presentation ended").contains("No request yet"))
        try tmux.type("q")
    }

    @Test("--record writes a scenario that replays green, and never overwrites")
    func recordReplay() throws {
        let file = try recordingFile("bug.yaml")
        let tmux = try TmuxSession("'\(binary)' --state-dir '\(freshStateDirectory())' --record '\(file)'")
        #expect(tmux.waitFor("REC").contains("● REC"))
        try tmux.addAndCheckOut()
        try tmux.type("b")
        tmux.waitFor("Backend rules")
        try tmux.type("r")
        tmux.waitFor("armed rotate")
        try tmux.type("r")
        tmux.waitFor("overwrote the stored key (rotation)")
        try tmux.type("q")
        #expect(tmux.waitFor("EXIT=").contains("EXIT=0"))
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("- backend: rotate"))
        #expect(text.contains("returned_key: $k2"))

        let replay = try TmuxSession("'\(binary)' run '\(file)'")
        #expect(replay.waitFor("EXIT=").contains("1 passed, 0 failed"))

        let again = try TmuxSession("'\(binary)' --state-dir '\(freshStateDirectory())' --record '\(file)'")
        let refused = again.waitFor("EXIT=")
        #expect(refused.contains("already exists"))
        #expect(refused.contains("EXIT=2"))
        #expect(try String(contentsOfFile: file, encoding: .utf8) == text)
    }
}
