import Foundation
import TerminalUI

/// The interactive loop: render, draw the diff, wait briefly for a key, tick.
/// Nothing in it blocks on the simulation: replies arrive on ticks.
public enum TerminalApp {
    /// Runs until `q`, a signal, or an error; always restores the terminal.
    /// Returns the exit status.
    public static func run(_ model: AppModel, colors: Bool) -> Int32 {
        let terminal = NcursesTerminal(colors: colors)
        defer { terminal.restore() }
        while true {
            if terminal.pendingSignal != 0 { return 128 + terminal.pendingSignal }
            if terminal.isHungUp { return 129 }
            let (width, height) = terminal.size
            model.screenSize = (width, height)
            let screen = model.screen()
            terminal.draw(View.render(screen, width: width, height: height))
            if let text = model.takeCopiedText() { terminal.copyToClipboard(text) }
            if model.quitRequested { return 0 }
            let busy = screen.messages.inFlight > 0 || model.presenter?.autoplay == true
            if let key = terminal.readKey(timeoutMillis: busy ? 50 : 250) {
                model.handle(key)
            } else if terminal.isHungUp {
                return 129
            }
            model.tick()
        }
    }
}
