import CheckoutCore
import Foundation
import Testing
@testable import Scenarios
@testable import TerminalUI

/// Presenter mode as an asciicast: what `checkout-sim export SCENARIO --format cast` writes.
@Suite("Asciicast")
struct AsciicastTests {
    @Test("a header, a frame per step after the first screen, and a last event that restores the cursor")
    func castShape() throws {
        let scenario = try ScenarioParser.parse(yaml: """
            name: Cast
            steps:
              - say: "The shopper checks out. \\e[2J"
              - do: checkout
              - expect: { stored_key: $k1 }
            """, file: "cast.yaml")
        let lines = Asciicast.presenter(scenario, width: 100, height: 30).split(separator: "\n").map(String.init)
        #expect(lines.count == 1 + 1 + 3 + 1)
        let header = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(header["version"] as? Int == 2)
        #expect(header["width"] as? Int == 100 && header["height"] as? Int == 30)
        var times: [Double] = []
        var frames: [String] = []
        for line in lines.dropFirst() {
            let event = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any])
            #expect(event[1] as? String == "o")
            times.append(try #require(event[0] as? Double))
            frames.append(try #require(event[2] as? String))
        }
        #expect(times == times.sorted() && times.first == 0)
        // The narration's escape is shown, never sent: the only ESC [2J is the first frame's own clear.
        #expect(frames.joined().components(separatedBy: "\u{1B}[2J").count == 2)
        #expect(frames[1].contains("The shopper checks out. \\e[2J"))
        #expect(frames[3].contains("end of scenario"))
        #expect(frames.last == "\u{1B}[0m\u{1B}[?25h")
    }

    @Test("a scenario name with ESC, BEL, U+202E and U+FFFF reaches the header escaped")
    func hostileTitle() throws {
        let scenario = try ScenarioParser.parse(yaml: """
            name: "evil \\e]0;PWNED\\a \\u202E \\uFFFF"
            steps:
              - do: checkout
            """, file: "cast.yaml")
        let header = try #require(Asciicast.presenter(scenario).split(separator: "\n").first.map(String.init))
        #expect(!header.unicodeScalars.contains { UntrustedText.isUnsafe($0) })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(header.utf8)) as? [String: Any])
        #expect(object["title"] as? String == "evil \\e]0;PWNED\\u{7} \\u{202E} \\u{FFFF}")
    }

    @Test("the last frame of a catalog scenario's cast is presenter mode's last screen, played with the Space key",
          arguments: ["04-rotation.yaml", "12-lost-first-response-orphan.yaml", "28-latency.yaml"])
    func lastFrameIsPresentersLastScreen(file: String) throws {
        let root = goldenDirectory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let scenario = try ScenarioParser.parse(contentsOf: root.appendingPathComponent("scenarios/\(file)").path)
        let (width, height) = (100, 30)
        let events = try Self.events(Asciicast.presenter(scenario, width: width, height: height))
        #expect(events.count == scenario.steps.count + 2, "the first screen, a frame per step, the cursor restored")
        let last = try #require(events.dropLast().last?.data)

        // What `checkout-sim demo` shows once every step was played, a key press at a time.
        let model = AppModel(simulation: ScenarioRunner().makeSimulation(for: scenario), stateLabel: "demo (in memory)")
        model.presenter = PresenterState(scenario: scenario, model: model, keepForLater: false)
        while model.presenter?.isFinished == false { press(model, .character(" ")) }
        let screen = View.render(model, width: width, height: height).lines
        #expect(screen.contains { $0.contains("end of scenario") })
        #expect(Self.rows(of: last, height: height) == screen)
    }

    /// The `[time, "o", data]` events after the header, checked as asciicast v2 on the way.
    static func events(_ cast: String) throws -> [(time: Double, data: String)] {
        let lines = cast.split(separator: "\n").map(String.init)
        let header = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(header["version"] as? Int == 2)
        var events: [(time: Double, data: String)] = []
        for line in lines.dropFirst() {
            let event = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any])
            #expect(event.count == 3 && event[1] as? String == "o")
            events.append((try #require(event[0] as? Double), try #require(event[2] as? String)))
        }
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.time <= $1.time }, "timestamps go forward")
        return events
    }

    /// A frame read back as a terminal shows it: each `ESC [ row ; 1 H` starts a row, styles dropped.
    static func rows(of frame: String, height: Int) -> [String] {
        let unstyled = frame.replacing(/\u{1B}\[[0-9;?]*[mJlh]/, with: "")
        var rows = Array(repeating: "", count: height)
        for match in unstyled.matches(of: /\u{1B}\[(\d+);1H([^\u{1B}]*)/) {
            if let row = Int(match.output.1), (1...height).contains(row) { rows[row - 1] = String(match.output.2) }
        }
        return rows
    }

    @Test("a grid becomes rows placed by cursor moves, with a style change only where the style changes")
    func ansi() {
        var grid = Grid(width: 4, height: 2)
        grid.put("ab", x: 0, y: 0, style: .error)
        grid.put("c", x: 0, y: 1)
        #expect(Asciicast.ansi(grid) == "\u{1B}[1;1H\u{1B}[0m\u{1B}[0;1;31mab\u{1B}[0m  \u{1B}[2;1H\u{1B}[0mc   \u{1B}[0m")
        #expect(Asciicast.sgr(CellStyle(color: .green), colors: false) == "\u{1B}[0m")
    }
}
