import Foundation
import TerminalUI

/// The interactive loop: render, draw the diff, wait briefly for a key, tick.
/// Nothing in it blocks on the simulation: replies arrive on ticks.
public enum TerminalApp {
    /// Runs until `q`, a signal, or an error; always restores the terminal.
    /// Returns the exit status.
    public static func run(_ model: AppModel, colors: Bool) -> Int32 {
        loop(colors: colors) { terminal, width, height in
            model.screenSize = (width, height)
            let screen = model.screen()
            terminal.draw(View.render(screen, width: width, height: height))
            if let text = model.takeCopiedText() { terminal.copyToClipboard(text) }
            if model.quitRequested { return nil }
            let busy = screen.messages.inFlight > 0 || model.presenter?.autoplay == true
            return busy ? 50 : 250
        } handle: { key in
            if let key { model.handle(key) }
            model.tick()
        }
    }

    /// The loop every screen shares; it always restores the terminal. A signal or a hang-up
    /// ends it (128+N, 129). `frame` draws and returns how long to wait for a key, or `nil`
    /// to quit (status 0); `handle` takes the key read, `nil` when none came in time.
    static func loop(colors: Bool, frame: (NcursesTerminal, Int, Int) -> Int32?, handle: (KeyPress?) -> Void) -> Int32 {
        let terminal = NcursesTerminal(colors: colors)
        defer { terminal.restore() }
        while true {
            if terminal.pendingSignal != 0 { return 128 + terminal.pendingSignal }
            if terminal.isHungUp { return 129 }
            let (width, height) = terminal.size
            guard let timeout = frame(terminal, width, height) else { return 0 }
            let key = terminal.readKey(timeoutMillis: timeout)
            if key == nil, terminal.isHungUp { return 129 }
            handle(key)
        }
    }
}
