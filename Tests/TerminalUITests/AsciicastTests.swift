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

    @Test("a grid becomes rows placed by cursor moves, with a style change only where the style changes")
    func ansi() {
        var grid = Grid(width: 4, height: 2)
        grid.put("ab", x: 0, y: 0, style: .error)
        grid.put("c", x: 0, y: 1)
        #expect(Asciicast.ansi(grid) == "\u{1B}[1;1H\u{1B}[0m\u{1B}[0;1;31mab\u{1B}[0m  \u{1B}[2;1H\u{1B}[0mc   \u{1B}[0m")
        #expect(Asciicast.sgr(CellStyle(color: .green), colors: false) == "\u{1B}[0m")
    }
}
