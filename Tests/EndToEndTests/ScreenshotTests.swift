import Foundation
import Testing

/// docs/screenshot.png shows the UI as it is: `scripts/screenshot.sh` writes the text of the
/// same capture to docs/screenshot.txt, and this test plays the script's steps (same size, seed
/// and keys) and compares the screen's text with it. Only what changes from run to run is
/// masked, keeping its width, so the layout is compared cell for cell. After a change to the
/// UI, run `scripts/screenshot.sh` and commit both files.
@Suite("The README's screenshot", .enabled(if: tmuxAvailable))
struct ScreenshotTests {
    static let committed = repositoryRoot.appendingPathComponent("docs/screenshot.txt")

    /// The screen's text with the parts that differ between two runs of the same steps masked.
    static func masked(_ screen: String) -> [String] {
        var lines = screen.components(separatedBy: "\n").map { line in
            // Wall-clock times of day (the timeline's, the message log's).
            line.replacing(/\b[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?\b/) { String(repeating: "#", count: $0.output.0.count) }
                // The header's state directory, a temporary folder of each run.
                .replacing(#/state: [^ ]+ /#, with: "state: DIR ")
                .replacing(/\s+$/, with: "")
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    @Test("scripts/screenshot.sh's steps give the screen of docs/screenshot.txt")
    func screenMatchesTheCommittedText() throws {
        let expected = Self.masked(try String(contentsOf: Self.committed, encoding: .utf8))
        #expect(expected.count > 30, "docs/screenshot.txt is missing or short: run scripts/screenshot.sh")
        // The steps of scripts/screenshot.sh: checkout, arm rotate, refresh, Tab.
        // A state directory whose path is as long as the script's (`mktemp -d /tmp/checkout-sim-shot.XXXXXXXXXX`):
        // the header shows as much of it as fits.
        let state = "/tmp/checkout-sim-shot." + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(10)
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: state) }
        let tmux = try TmuxSession("'\(binary)' --state-dir '\(state)' --seed 7", width: 120, height: 40)
        tmux.waitFor("No request yet")
        try tmux.type("aafc")
        tmux.waitFor("stored the key")
        try tmux.armRule("r", until: "armed rotate")
        try tmux.type("r")
        tmux.waitFor("overwrote the stored key")
        try tmux.press("Tab")
        // A frame reaches the terminal in pieces: wait for the whole of it.
        let screen = tmux.waitUntil { Self.masked($0) == expected }
        let actual = Self.masked(screen)
        let differing = zip(actual, expected).enumerated().filter { $0.element.0 != $0.element.1 }
            .prefix(8).map { "line \($0.offset + 1):\n  now:       \($0.element.0)\n  committed: \($0.element.1)" }
        #expect(actual == expected, """
            the screen differs from docs/screenshot.txt (run scripts/screenshot.sh if the UI changed on purpose);
            \(actual.count) lines now, \(expected.count) committed
            \(differing.joined(separator: "\n"))
            """)
    }
}
