import CheckoutCore
import MockBackend
import Simulation

/// The smallest terminal the layout supports.
public let minimumSize = (width: 80, height: 24)

/// Renders the whole screen: a pure function of the screen's snapshot and the size.
public enum View {
    public static let spinner = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]

    /// The model's screen as it is now.
    public static func render(_ model: AppModel, width: Int, height: Int) -> Grid {
        render(model.screen(), width: width, height: height)
    }

    public static func render(_ model: Screen, width: Int, height: Int) -> Grid {
        var grid = Grid(width: width, height: height)
        guard width >= minimumSize.width, height >= minimumSize.height else {
            tooSmall(&grid)
            return grid
        }
        header(model, &grid)
        // Below the body: the toast and status rows, and in a demo the narration and its verdict.
        let messageRows = self.messageRows(model, width: width, height: height)
        let bodyTop = 1, bodyHeight = height - 2 - messageRows
        let leftWidth = width * 2 / 5
        let rightWidth = width - leftWidth
        let cartHeight = max(7, min(model.cart.rows.count + 6, bodyHeight / 3 + 1))
        let paymentHeight = 6
        let keyHeight = bodyHeight - cartHeight - paymentHeight
        cartPanel(model, &grid, Rect(x: 0, y: bodyTop, width: leftWidth, height: cartHeight))
        paymentPanel(model, &grid, Rect(x: 0, y: bodyTop + cartHeight, width: leftWidth, height: paymentHeight))
        keyPanel(model, &grid, Rect(x: 0, y: bodyTop + cartHeight + paymentHeight, width: leftWidth, height: keyHeight))
        let timelineHeight = bodyHeight * 11 / 20
        // Serving: the real clients' requests are in the timeline too, in the order they came.
        timelinePanel(model, &grid, Rect(x: leftWidth, y: bodyTop, width: rightWidth, height: timelineHeight))
        let backendHeight = bodyHeight - timelineHeight
        if let wire = model.wire {
            // Serving: the lint and each client's keys on the wire above the backend.
            let lintHeight = min(9, backendHeight / 2)
            lintPanel(wire.lint, &grid, Rect(x: leftWidth, y: bodyTop + timelineHeight, width: rightWidth, height: lintHeight))
            backendPanel(model, &grid, Rect(x: leftWidth, y: bodyTop + timelineHeight + lintHeight, width: rightWidth,
                                            height: backendHeight - lintHeight))
        } else {
            backendPanel(model, &grid, Rect(x: leftWidth, y: bodyTop + timelineHeight, width: rightWidth, height: backendHeight))
        }
        messagesArea(model, &grid, y: height - 1 - messageRows)
        footer(model, &grid, y: height - 1)
        if let overlay = model.overlay { Overlays.render(overlay, model, &grid) }
        return grid
    }

    private static func tooSmall(_ grid: inout Grid) {
        grid.tooSmall(first: "Terminal too small: \(grid.width)×\(grid.height).",
                      then: "checkout-sim needs at least \(minimumSize.width)×\(minimumSize.height).")
    }

    // MARK: - Header and footer

    private static func header(_ model: Screen, _ grid: inout Grid) {
        grid.fill(x: 0, y: 0, width: grid.width, height: 1, style: CellStyle(reverse: true))
        let room = grid.width - (model.header.recording ? 8 : 1)
        let candidates = [model.header.text] + model.header.shorter
        let text = candidates.first { Grid.width(of: $0) <= room } ?? candidates.last ?? ""
        grid.put(text, x: 0, y: 0, style: CellStyle(reverse: true, dim: false), maxWidth: room)
        if model.header.recording {
            let label = " ● REC "
            grid.put(label, x: grid.width - Grid.width(of: label), y: 0, style: CellStyle(color: .red, bold: true, reverse: true))
        }
    }

    private static func footer(_ model: Screen, _ grid: inout Grid, y: Int) {
        var x = 0
        for (key, label) in footerEntries(model.footer, width: grid.width) {
            x += grid.put(" \(key) ", x: x, y: y, style: CellStyle(reverse: true))
            x += grid.put("\(label) ", x: x, y: y, style: .dim)
        }
    }

    /// The footer entries that fit `width`, in order: `?` (help) and `q` (quit) always
    /// stay, the others are dropped from the end first.
    static func footerEntries(_ entries: [(key: String, label: String)], width: Int) -> [(key: String, label: String)] {
        func columns(_ entry: (key: String, label: String)) -> Int { Grid.width(of: " \(entry.key) \(entry.label) ") }
        let kept = { (entry: (key: String, label: String)) in entry.key == "?" || entry.key == "q" }
        var used = entries.filter(kept).reduce(0) { $0 + columns($1) }
        // A plain loop and array: a Set's first use costs the first frame half a million instructions.
        var shown: [(key: String, label: String)] = [], full = false
        for entry in entries {
            if kept(entry) { shown.append(entry); continue }
            guard !full, used + columns(entry) <= width else { full = true; continue }
            used += columns(entry)
            shown.append(entry)
        }
        return shown
    }

    /// A toast or status line; one too long for the row ends with where to read it whole.
    static func message(_ text: String, _ grid: inout Grid, y: Int, style: CellStyle) {
        let room = grid.width - 2
        guard Grid.width(of: text) > room else {
            grid.put(text, x: 1, y: y, style: style, maxWidth: room)
            return
        }
        let hint = " (l: read it all)"
        let used = grid.put(text, x: 1, y: y, style: style, maxWidth: room - Grid.width(of: hint))
        grid.put(hint, x: 1 + used, y: y, style: .info)
    }
}
