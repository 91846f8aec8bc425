import CheckoutCore
import MockBackend
import Simulation

/// Modal windows drawn over the main screen.
enum Overlays {
    static func render(_ overlay: OverlayState, _ screen: Screen, _ grid: inout Grid) {
        switch overlay {
        case .reading(let reading): Reading.render(reading, screen, &grid)
        case .backendMenu(let menu): backendMenu(menu, queue: screen.backend.queue, &grid)
        case .ruleEditor(let editor): ruleEditor(editor, &grid)
        case .bankPage: threeDSecure(screen, &grid)
        case .picker(let picker): self.picker(picker, &grid)
        case .products(let products): self.products(products, &grid)
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

    /// The quick keys on the left, the armed queue and its keys on the right.
    private static func backendMenu(_ menu: BackendMenu, queue: [String], _ grid: inout Grid) {
        let queueActions: [AppAction] = [.selectArmed, .removeArmed, .disarmAll]
        let bindings = Keymap.bindings.filter { $0.context == .backendMenu }
        let rows = bindings.filter { !queueActions.contains($0.action ?? .quit) }
        let queueKeys = bindings.filter { queueActions.contains($0.action ?? .quit) }
        let inner = window(&grid, width: 100, height: rows.count + 4, title: "Backend rules")
        grid.put("The next rule fires: \(menu.firing.label)   (1-9 times, A always, E any rule and firing)", x: inner.x + 1,
                 y: inner.y, style: .rotation, maxWidth: inner.width - 1)
        let left = min(56, inner.width - 30)
        for (i, binding) in rows.enumerated() {
            let y = inner.y + 2 + i
            grid.put(binding.label, x: inner.x + 2, y: y, style: .bold, maxWidth: 6)
            grid.put(binding.description, x: inner.x + 9, y: y, maxWidth: left - 10)
        }
        let x = inner.x + left + 1, width = inner.width - left - 2
        grid.put("Armed, in order", x: x, y: inner.y + 2, style: .bold, maxWidth: width)
        let bottom = inner.y + inner.height - queueKeys.count - 1
        let visible = max(bottom - (inner.y + 3), 1)
        if queue.isEmpty { grid.put("none", x: x, y: inner.y + 3, style: .dim, maxWidth: width) }
        let selected = min(menu.selection, max(queue.count - 1, 0))
        let first = max(0, selected - visible + 1)
        for (index, label) in queue.enumerated().dropFirst(first).prefix(visible) {
            let style: CellStyle = index == selected ? .selected : .rotation
            let y = inner.y + 3 + index - first
            grid.fill(x: x, y: y, width: width, height: 1, style: style)
            grid.put("\(index + 1). \(label)", x: x, y: y, style: style, maxWidth: width)
        }
        for (i, binding) in queueKeys.enumerated() {
            let y = bottom + 1 + i
            grid.put(binding.label, x: x, y: y, style: .bold, maxWidth: 6)
            grid.put(binding.description, x: x + 7, y: y, style: .dim, maxWidth: width - 7)
        }
    }

    // MARK: - Rule editor

    private static func ruleEditor(_ editor: RuleEditor, _ grid: inout Grid) {
        let fields = editor.fields
        let inner = window(&grid, width: 84, height: fields.count + 10, title: "Rule editor · Enter arms, Esc back")
        grid.put("↑/↓ field · ←/→ choose · type into text fields · ⌫ erase · C-u clear", x: inner.x + 1, y: inner.y,
                 style: .dim, maxWidth: inner.width - 1)
        let valueX = inner.x + 15, valueWidth = max(inner.width - 16, 1)
        for (i, field) in fields.enumerated() {
            let y = inner.y + 2 + i
            let selected = field == editor.field
            let style: CellStyle = selected ? .selected : .plain
            grid.fill(x: inner.x, y: y, width: inner.width, height: 1, style: style)
            grid.put(field.rawValue, x: inner.x + 2, y: y, style: selected ? .selected : .bold, maxWidth: 12)
            let (value, hint) = fieldLine(editor, field, selected: selected)
            // The end of long text stays in view, where typing goes.
            let shown = value.count > valueWidth ? "…" + value.suffix(valueWidth - 1) : value
            grid.put(shown, x: valueX, y: y, style: style, maxWidth: valueWidth)
            let hintX = valueX + shown.count + 3
            if hintX < inner.x + inner.width - 4 {
                grid.put(hint, x: hintX, y: y, style: selected ? .selected : .dim, maxWidth: inner.x + inner.width - hintX)
            }
        }
        let y = inner.y + 3 + fields.count
        grid.put(editor.rule.effect, x: inner.x + 2, y: y, style: .dim, maxWidth: inner.width - 3)
        switch editor.spec() {
        case .success(let spec): grid.put("arms: backend: \(spec.yaml)", x: inner.x + 2, y: y + 2, maxWidth: inner.width - 3)
        case .failure: grid.put("arms: (not yet a rule)", x: inner.x + 2, y: y + 2, style: .dim, maxWidth: inner.width - 3)
        }
        if let problem = editor.problem {
            grid.put("✗ \(problem.field.rawValue): \(problem.message)", x: inner.x + 2, y: y + 4, style: .error,
                     maxWidth: inner.width - 3)
        }
    }

    /// A field's value as shown, and its hint.
    private static func fieldLine(_ editor: RuleEditor, _ field: RuleEditor.Field, selected: Bool) -> (String, String) {
        let cursor = selected ? "▏" : ""
        switch field {
        case .rule:
            return ("◀ \(editor.rule.name) ▶", "\(editor.ruleIndex + 1) of \(RuleKind.table.count)")
        case .code: return ("◀ \(editor.code.name) ▶", "Connect code")
        case .firing: return ("◀ \(editor.mode.rawValue) ▶", "once, times, always, probability")
        case .message: return ("\"\(editor.message)\(cursor)\"", "\(editor.message.count)/\(RuleEditor.textLimit)")
        case .duration: return (editor.duration + cursor, "e.g. 1500ms, 2s, 1m30s")
        case .probability: return (editor.probability + cursor, "0 to 1, e.g. 0.3")
        case .times:
            return (editor.times + cursor, editor.mode == .probability ? "1-\(RuleEditor.maxTimes), empty: no limit" : "1-\(RuleEditor.maxTimes)")
        }
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

    // MARK: - Product picker

    private static func products(_ picker: ProductPicker, _ grid: inout Grid) {
        let inner = window(&grid, width: min(grid.width - 8, 72), height: min(grid.height - 4, picker.rows.count + 4),
                           title: "Add to cart · ↑↓ choose, Enter adds one, Esc closes")
        let first = max(0, picker.selection - max(inner.height - 2, 1) + 1)
        var y = inner.y
        for (index, row) in picker.rows.enumerated().dropFirst(first) {
            guard y < inner.y + inner.height - 1 else { break }
            let selected = index == picker.selection
            let style: CellStyle = selected ? .selected : (row.stock == 0 ? .dim : .plain)
            grid.fill(x: inner.x, y: y, width: inner.width, height: 1, style: style)
            let stock = row.stock == 0 ? "out of stock" : "\(row.stock) in stock"
            let cart = row.inCart == 0 ? "" : " · \(row.inCart) in cart"
            let price = Format.money(row.priceCents)
            grid.put(row.name, x: inner.x + 1, y: y, style: style, maxWidth: inner.width - 32)
            grid.put(price, x: inner.x + inner.width - 30 - Grid.width(of: price), y: y, style: style)
            grid.put(stock + cart, x: inner.x + inner.width - 28, y: y, style: style, maxWidth: 27)
            y += 1
        }
        grid.put("Out-of-stock products can be added: the backend's validation refuses them.",
                 x: inner.x + 1, y: inner.y + inner.height - 1, style: .dim, maxWidth: inner.width - 1)
    }
}

