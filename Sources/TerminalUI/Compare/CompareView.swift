/// Draws the side-by-side demo from a `CompareScreen`: a header, the narration, one
/// panel per client (rows that differ from the other side marked `≠`), the footer.
public enum CompareView {
    /// Below this the screen says so instead (120×40 is the size it is made for).
    public static let minimumSize = (width: 100, height: 24)
    /// Rows the narration may take.
    static let captionRows = 4
    /// A client's panel, borders included: its rows, the step's requests, the verdict.
    static let panelRows = 15

    public static func render(_ screen: CompareScreen, width: Int, height: Int) -> Grid {
        var grid = Grid(width: width, height: height)
        guard width >= minimumSize.width, height >= minimumSize.height else {
            tooSmall(&grid)
            return grid
        }
        header(screen, &grid)
        let caption = Format.wrap(screen.caption ?? "", width: width - 2).prefix(captionRows)
        for (row, line) in caption.enumerated() { grid.put(line, x: 1, y: 1 + row, style: .info) }
        let top = 2 + captionRows, bottom = height - 1
        let half = width / 2
        let panelHeight = min(panelRows, bottom - top)
        for (index, side) in screen.sides.enumerated() {
            let other = screen.sides.indices.contains(1 - index) ? screen.sides[1 - index] : side
            let rect = Rect(x: index == 0 ? 0 : half, y: top, width: index == 0 ? half : width - half, height: panelHeight)
            panel(side, other: other, &grid, rect)
        }
        if bottom - top - panelHeight >= 4 {
            history(screen, &grid, Rect(x: 0, y: top + panelHeight, width: width, height: bottom - top - panelHeight))
        }
        footer(screen, &grid)
        if screen.showsHelp { help(&grid) }
        return grid
    }

    private static func header(_ screen: CompareScreen, _ grid: inout Grid) {
        grid.fill(x: 0, y: 0, width: grid.width, height: 1, style: .selected)
        let names = screen.sides.map(\.client).joined(separator: " vs ")
        let step = screen.step.map { " · \($0)" } ?? ""
        grid.put(" checkout-sim demo · \(names) · \(screen.title) · step \(screen.played)/\(screen.total)\(step)", x: 0, y: 0,
                 style: CellStyle(bold: true, reverse: true))
    }

    private static func panel(_ side: CompareSide, other: CompareSide, _ grid: inout Grid, _ rect: Rect) {
        let inner = grid.box(rect, title: "client: \(side.client)", focused: false)
        var y = inner.y
        let valueX = inner.x + 11, valueWidth = inner.width - 11
        let otherRows = Dictionary(other.rows.map { ($0.label, $0.value) }, uniquingKeysWith: { first, _ in first })
        for row in side.rows {
            let differs = otherRows[row.label] != row.value
            grid.put(differs ? "≠" : " ", x: inner.x, y: y, style: .rotation)
            grid.put(row.label, x: inner.x + 2, y: y, style: .dim)
            for line in Format.wrap(row.value, width: valueWidth).prefix(2) {
                grid.put(line, x: valueX, y: y, style: differs ? .bold : .plain)
                y += 1
            }
        }
        y += 1
        let requestsDiffer = side.requests != other.requests
        grid.put(requestsDiffer ? "≠" : " ", x: inner.x, y: y, style: .rotation)
        grid.put("requests of the step", x: inner.x + 2, y: y, style: .dim)
        y += 1
        let requests = side.requests.isEmpty ? ["none"] : side.requests.enumerated().map { "\($0.offset + 1). \($0.element)" }
        let verdictRows = side.verdict.map { Format.wrap($0, width: inner.width - 2) } ?? []
        let room = inner.y + inner.height - y - (verdictRows.isEmpty ? 0 : min(verdictRows.count, 3) + 2)
        for line in requests.prefix(max(room, 1)) {
            grid.put(line, x: inner.x + 2, y: y, style: requestsDiffer ? .bold : .plain, maxWidth: inner.width - 2)
            y += 1
        }
        guard !verdictRows.isEmpty else { return }
        y += 1
        let passed = side.verdict?.hasPrefix("✓") ?? false
        for line in verdictRows.prefix(max(inner.y + inner.height - y, 0)) {
            grid.put(line, x: inner.x + 2, y: y, style: passed ? .success : .error)
            y += 1
        }
    }

    /// Every action step so far, the latest at the bottom: the step, then each side's outcome
    /// under its panel, marked `≠` where the two differ.
    private static func history(_ screen: CompareScreen, _ grid: inout Grid, _ rect: Rect) {
        let inner = grid.box(rect, title: "Steps so far (each side: paid · stored key · requests)")
        let half = grid.width / 2
        let shown = screen.history.suffix(inner.height / 2)
        var y = inner.y
        for row in shown {
            grid.put("step \(row.step) · \(row.what)", x: inner.x + 1, y: y, style: .dim, maxWidth: inner.width - 1)
            y += 1
            let differs = Set(row.outcomes).count > 1
            for (index, outcome) in row.outcomes.enumerated() {
                let x = index == 0 ? inner.x : half
                grid.put(differs ? "≠" : " ", x: x, y: y, style: .rotation)
                grid.put(outcome, x: x + 2, y: y, style: differs ? .bold : .plain, maxWidth: (index == 0 ? half - inner.x : inner.x + inner.width - half) - 3)
            }
            y += 1
        }
    }

    private static func footer(_ screen: CompareScreen, _ grid: inout Grid) {
        let keys = ComparePresenter.keys.map { "\($0.label) \($0.description)" }.joined(separator: " · ")
        let end = screen.finished ? "The end: q quits · " : ""
        grid.put(" \(end)\(keys) · ≠ differs from the other side", x: 0, y: grid.height - 1, style: .dim)
    }

    private static func help(_ grid: inout Grid) {
        let lines = ComparePresenter.keys.map { "\($0.label.padding(toLength: 9, withPad: " ", startingAt: 0)) \($0.description)" }
            + ["", "≠ marks a row that differs between the two clients.", "Any key closes this help."]
        let width = (lines.map { Grid.width(of: $0) }.max() ?? 0) + 4
        let rect = Rect(x: (grid.width - width) / 2, y: (grid.height - lines.count - 2) / 2, width: width, height: lines.count + 2)
        grid.fill(x: rect.x, y: rect.y, width: rect.width, height: rect.height)
        let inner = grid.box(rect, title: "Keys", focused: true)
        for (row, line) in lines.enumerated() { grid.put(line, x: inner.x + 1, y: inner.y + row) }
    }

    private static func tooSmall(_ grid: inout Grid) {
        grid.tooSmall(first: "Terminal too small for the comparison: \(grid.width)×\(grid.height).",
                      then: "It needs at least \(minimumSize.width)×\(minimumSize.height) (made for 120×40 and up).")
    }
}
