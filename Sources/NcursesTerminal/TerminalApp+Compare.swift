import TerminalUI

extension TerminalApp {
    /// The side-by-side demo (`demo --compare`) until `q`, Esc or a signal. Nothing plays
    /// on its own, so each frame waits for a key.
    public static func run(_ presenter: ComparePresenter, colors: Bool) -> Int32 {
        var presenter = presenter
        return loop(colors: colors) { terminal, width, height in
            terminal.draw(CompareView.render(presenter.screen(), width: width, height: height))
            return presenter.quitRequested ? nil : 250
        } handle: { key in
            if let key { presenter.handle(key) }
        }
    }
}
