import CheckoutCore
import Foundation
import Scenarios

/// Presenter mode as an asciicast (v2): the screens a demo shows, one step after
/// another, for asciinema's player (`asciinema play`, or embedded in a web page).
public enum Asciicast {
    /// Plays `scenario` in presenter mode on a `width`×`height` screen and records a
    /// frame after each step, `stepMillis` apart; the last frame stays `holdMillis`.
    public static func presenter(_ scenario: Scenario, width: Int = 100, height: Int = 30,
                                 stepMillis: Int64 = 2_000, holdMillis: Int64 = 3_000, colors: Bool = true) -> String {
        let model = AppModel(simulation: ScenarioRunner().makeSimulation(for: scenario), stateLabel: "demo (in memory)")
        model.presenter = PresenterState(scenario: scenario, model: model, keepForLater: false)
        model.refreshBackendView()
        // A player shows the title in a terminal: escaped as every other text we did not write.
        var cast = header(title: UntrustedText.escaped(scenario.name), width: width, height: height)
        var at: Int64 = 0
        cast += event(at, "\u{1B}[?25l\u{1B}[2J" + ansi(View.render(model, width: width, height: height), colors: colors))
        while model.presenter.map({ !$0.isFinished }) ?? false {
            model.presenter?.next(model: model)
            at += stepMillis
            cast += event(at, ansi(View.render(model, width: width, height: height), colors: colors))
        }
        at += holdMillis
        cast += event(at, "\u{1B}[0m\u{1B}[?25h")
        return cast
    }

    static func header(title: String, width: Int, height: Int) -> String {
        let object: [String: Any] = [
            "version": 2, "width": width, "height": height, "title": title,
            "env": ["TERM": "xterm-256color", "SHELL": "/bin/sh"],
        ]
        return json(object) + "\n"
    }

    /// One `[time, "o", data]` line.
    static func event(_ millis: Int64, _ data: String) -> String {
        let time = String(format: "%.3f", Double(millis) / 1000)
        return "[\(time), \"o\", \(json(data))]\n"
    }

    static func json(_ value: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// A whole grid as escape sequences: each row from its first column, a style change
    /// only where the style changes. Cell text was escaped when it was put in the grid,
    /// so nothing in it can drive the player's terminal.
    public static func ansi(_ grid: Grid, colors: Bool = true) -> String {
        var out = ""
        for y in 0..<grid.height {
            out += "\u{1B}[\(y + 1);1H\u{1B}[0m"
            var current = CellStyle.plain
            for x in 0..<grid.width {
                let cell = grid[x, y]
                if cell.style != current {
                    out += sgr(cell.style, colors: colors)
                    current = cell.style
                }
                out += cell.symbol
            }
        }
        return out + "\u{1B}[0m"
    }

    /// Select Graphic Rendition for `style`, from a reset: the palette ncurses uses.
    static func sgr(_ style: CellStyle, colors: Bool) -> String {
        var codes = ["0"]
        if style.bold { codes.append("1") }
        if style.dim || (style.color == .gray && !colors) { codes.append("2") }
        if style.reverse { codes.append("7") }
        if colors {
            switch style.color {
            case .default: break
            case .red: codes.append("31")
            case .green: codes.append("32")
            case .yellow: codes.append("33")
            case .blue: codes.append("34")
            case .magenta: codes.append("35")
            case .cyan: codes.append("36")
            case .gray: codes.append("37")
            }
        }
        return "\u{1B}[" + codes.joined(separator: ";") + "m"
    }
}
