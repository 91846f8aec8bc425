import CheckoutCore
import Simulation

/// Modal windows drawn over the main screen.
enum Overlays {
    static func render(_ overlay: OverlayState, _ screen: Screen, _ grid: inout Grid) {
        switch overlay {
        case .reading(let reading): Reading.render(reading, screen, &grid)
        case .backendMenu(let menu): backendMenu(menu, armed: screen.backend.rules, &grid)
        case .bankPage: threeDSecure(screen, &grid)
        case .picker(let picker): self.picker(picker, &grid)
        }
    }

    /// A centred window of at most `width` × `height`, cleared and boxed; returns its inside.
    static func window(_ grid: inout Grid, width: Int, height: Int, title: String, focused: Bool = true) -> Rect {
        let rect = windowRect(gridWidth: grid.width, gridHeight: grid.height, width: width, height: height)
        grid.fill(x: rect.x, y: rect.y, width: rect.width, height: rect.height)
        return grid.box(rect, title: title, focused: focused)
    }

    /// Where `window` puts a window of at most `width` × `height`.
    static func windowRect(gridWidth: Int, gridHeight: Int, width: Int, height: Int) -> Rect {
        let w = min(width, gridWidth - 2), h = min(height, gridHeight - 2)
        return Rect(x: (gridWidth - w) / 2, y: (gridHeight - h) / 2, width: w, height: h)
    }

    // MARK: - Backend menu

    private static func backendMenu(_ menu: BackendMenu, armed: [String], _ grid: inout Grid) {
        let rows = Keymap.bindings.filter { $0.context == .backendMenu }
        let inner = window(&grid, width: 64, height: rows.count + 5, title: "Backend rules")
        grid.put("The next rule fires: \(menu.firing.label)   (1-9 times, A always)", x: inner.x + 1, y: inner.y,
                 style: .rotation, maxWidth: inner.width - 1)
        for (i, binding) in rows.enumerated() {
            let y = inner.y + 2 + i
            grid.put(binding.label, x: inner.x + 2, y: y, style: .bold, maxWidth: 6)
            grid.put(binding.description, x: inner.x + 9, y: y, maxWidth: inner.width - 10)
        }
        grid.put("armed: " + (armed.isEmpty ? "none" : armed.joined(separator: " → ")), x: inner.x + 1,
                 y: inner.y + inner.height - 1, style: .dim, maxWidth: inner.width - 1)
    }

    // MARK: - 3-D Secure

    private static func threeDSecure(_ model: Screen, _ grid: inout Grid) {
        let inner = window(&grid, width: 56, height: 9, title: "3-D Secure · your bank")
        let intent = model.payment.pendingRedirect ?? "?"
        grid.put("The bank asks the shopper to confirm the payment", x: inner.x + 2, y: inner.y + 1, maxWidth: inner.width - 3)
        grid.put("for PaymentIntent \(intent).", x: inner.x + 2, y: inner.y + 2, maxWidth: inner.width - 3)
        if model.presenting {
            grid.put("Space", x: inner.x + 2, y: inner.y + 4, style: CellStyle(bold: true, reverse: true))
            grid.put("the scenario answers (its return_from_redirect)", x: inner.x + 8, y: inner.y + 4, maxWidth: inner.width - 9)
            return
        }
        grid.put(" y ", x: inner.x + 2, y: inner.y + 4, style: CellStyle(color: .green, bold: true, reverse: true))
        grid.put("authenticate (redirect_status=succeeded)", x: inner.x + 6, y: inner.y + 4, maxWidth: inner.width - 7)
        grid.put(" n ", x: inner.x + 2, y: inner.y + 5, style: CellStyle(color: .red, bold: true, reverse: true))
        grid.put("fail (redirect_status=failed)", x: inner.x + 6, y: inner.y + 5, maxWidth: inner.width - 7)
        grid.put("Esc leave it · q quit · ? keys", x: inner.x + 2, y: inner.y + 6, style: .dim, maxWidth: inner.width - 3)
    }

    // MARK: - Scenario picker

    private static func picker(_ model: ScenarioPicker, _ grid: inout Grid) {
        let inner = window(&grid, width: grid.width - 8, height: grid.height - 4, title: "Scenarios · type to filter, Enter plays, Esc closes")
        grid.put("filter: \(model.filter)▏", x: inner.x + 1, y: inner.y, style: .bold, maxWidth: inner.width - 1)
        let matches = model.matches
        if matches.isEmpty {
            grid.put(model.entries.isEmpty ? "No scenarios found in ./scenarios." : "Nothing matches.", x: inner.x + 1,
                     y: inner.y + 2, style: .dim)
            return
        }
        let rows = max(inner.height - 2, 1) / 2
        let first = max(0, model.selection - rows + 1)
        var y = inner.y + 2
        for (index, entry) in matches.enumerated().dropFirst(first).prefix(rows) {
            let style: CellStyle = index == model.selection ? .selected : .bold
            grid.fill(x: inner.x, y: y, width: inner.width, height: 1, style: style)
            grid.put(entry.name, x: inner.x + 1, y: y, style: style, maxWidth: inner.width - 1)
            grid.put(entry.description, x: inner.x + 3, y: y + 1, style: .dim, maxWidth: inner.width - 3)
            y += 2
        }
    }
}
