import CNcurses
import CTerminalSignals
import Foundation
import TerminalUI

#if canImport(Glibc)
import Glibc
#endif

/// The only code that talks to ncurses: it draws the difference between two
/// grids and reads keys. Everything else is pure.
public final class NcursesTerminal {
    private var previous: Grid?
    private let colors: Bool
    private var restored = false

    /// Whether standard input and output are terminals.
    public static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 }

    /// Takes over the terminal. `colors: false` honours NO_COLOR (bold and
    /// reverse still carry meaning).
    public init(colors: Bool) {
        setlocale(LC_ALL, "")
        initscr()
        cbreak()
        noecho()
        nonl()
        keypad(shim_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        scrollok(shim_stdscr(), false)
        terminal_signals_install()
        var useColors = colors && has_colors()
        if useColors {
            useColors = start_color() != ERR
            use_default_colors()
            let palette: [(CellColor, Int16)] = [
                (.red, Int16(COLOR_RED)), (.green, Int16(COLOR_GREEN)), (.yellow, Int16(COLOR_YELLOW)),
                (.blue, Int16(COLOR_BLUE)), (.magenta, Int16(COLOR_MAGENTA)), (.cyan, Int16(COLOR_CYAN)),
                (.gray, Int16(COLOR_WHITE)),
            ]
            for (color, value) in palette { init_pair(Int16(color.rawValue), value, -1) }
        }
        self.colors = useColors
    }

    deinit { restore() }

    /// Gives the terminal back as it was (every exit path calls this).
    public func restore() {
        guard !restored else { return }
        restored = true
        // With the terminal gone there is nothing to restore, and writing to it could block.
        if !isHungUp { endwin() }
    }

    /// The terminal size now.
    public var size: (width: Int, height: Int) { (Int(shim_cols()), Int(shim_lines())) }

    /// Whether the terminal went away (the window closed without a SIGHUP
    /// reaching us): reading would fail at once, forever.
    public var isHungUp: Bool {
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, 0) >= 0 else { return false }
        return descriptor.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
    }

    /// A signal (SIGINT, SIGTERM, SIGHUP) that asked us to stop, or 0.
    public var pendingSignal: Int32 { terminal_signals_pending() }

    // MARK: - Clipboard

    /// Sends `text` to the system clipboard with OSC 52 (`ESC ] 52 ; c ; base64 BEL`), after the
    /// frame is drawn, when the terminal likely supports it. Returns whether it was sent.
    @discardableResult
    public func copyToClipboard(_ text: String) -> Bool {
        guard Clipboard.likelySupported(term: ProcessInfo.processInfo.environment["TERM"]), !isHungUp else { return false }
        let sequence = Clipboard.osc52(text)
        // Straight to the descriptor: ncurses flushed its frame in `draw`, and this is not a cell.
        var bytes = Array(sequence.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            guard written > 0 else { return false }
            bytes = bytes.dropFirst(written)
        }
        return true
    }

    // MARK: - Drawing

    /// Draws only the cells that changed since the last frame.
    public func draw(_ grid: Grid) {
        if let previous, previous.width == grid.width, previous.height == grid.height {
            for y in 0..<grid.height { drawRow(y, grid, previous) }
        } else {
            // A cleared screen is a blank grid: only the cells with something on them need drawing.
            clear()
            let blank = Grid(width: grid.width, height: grid.height)
            for y in 0..<grid.height { drawRow(y, grid, blank) }
        }
        previous = grid
        refresh()
    }

    private func drawRow(_ y: Int, _ grid: Grid, _ old: Grid) {
        let width = grid.width
        grid.cells.withUnsafeBufferPointer { cells in
            old.cells.withUnsafeBufferPointer { oldCells in
                let new = UnsafeBufferPointer(rebasing: cells[(y * width)..<((y + 1) * width)])
                let was = UnsafeBufferPointer(rebasing: oldCells[(y * width)..<((y + 1) * width)])
                var x = 0
                while x < width {
                    if was[x] == new[x] { x += 1; continue }
                    // A changed run of one style; start at a whole character.
                    var start = x
                    while start > 0, new[start].symbol.isEmpty { start -= 1 }
                    let style = new[start].style
                    var end = start
                    var text: [wchar_t] = []
                    while end < width, new[end].style == style,
                          end == start || was[end] != new[end] || new[end].symbol.isEmpty {
                        for scalar in new[end].symbol.unicodeScalars { text.append(wchar_t(bitPattern: scalar.value)) }
                        end += 1
                    }
                    let (attributes, pair) = attributes(for: style)
                    _ = shim_draw(Int32(y), Int32(start), text, Int32(text.count), attributes, pair)
                    x = max(end, x + 1)
                }
            }
        }
    }

    private func attributes(for style: CellStyle) -> (attr_t, Int16) {
        var value = shim_a_normal()
        if style.bold { value |= shim_a_bold() }
        if style.reverse { value |= shim_a_reverse() }
        if style.dim || (style.color == .gray && !colors) { value |= shim_a_dim() }
        let pair: Int16 = colors && style.color != .default ? Int16(style.color.rawValue) : 0
        return (value, pair)
    }

    // MARK: - Keys

    /// The next key, waiting at most `timeoutMillis`; `nil` when none came.
    public func readKey(timeoutMillis: Int32) -> KeyPress? {
        wtimeout(shim_stdscr(), timeoutMillis)
        var character: wint_t = 0
        let result = wget_wch(shim_stdscr(), &character)
        if result == ERR { return nil }
        if result == shim_key_code_yes() {
            switch Int32(character) {
            case KEY_UP: return .up
            case KEY_DOWN: return .down
            case KEY_LEFT: return .left
            case KEY_RIGHT: return .right
            case KEY_ENTER: return .enter
            case KEY_BTAB: return .backTab
            case KEY_BACKSPACE: return .backspace
            case KEY_DC: return .delete
            case KEY_PPAGE: return .pageUp
            case KEY_NPAGE: return .pageDown
            case KEY_RESIZE:
                previous = nil
                return .resize
            default: return nil
            }
        }
        switch character {
        case 27: return .escape
        case 9: return .tab
        case 10, 13: return .enter
        case 8, 127: return .backspace
        default:
            guard let scalar = Unicode.Scalar(UInt32(character)) else { return nil }
            return .character(Character(scalar))
        }
    }
}
