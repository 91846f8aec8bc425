import CheckoutCore
import MockBackend
import Simulation

extension View {
    // MARK: - Cart

    static func cartPanel(_ model: Screen, _ grid: inout Grid, _ rect: Rect) {
        let cart = model.cart
        let inner = grid.box(rect, title: "Cart", focused: model.focus == .cart)
        var y = inner.y
        let lineRows = max(inner.height - 3, 1)
        let selected = cart.selected
        let first = max(0, selected - lineRows + 1)
        if cart.rows.isEmpty {
            grid.put("(empty: press a to add an item)", x: inner.x + 1, y: y, style: .dim, maxWidth: inner.width - 1)
            y += 1
        }
        for (index, line) in cart.rows.enumerated() {
            guard index >= first, y < inner.y + lineRows else { continue }
            let isSelected = index == selected && model.focus == .cart
            let style: CellStyle = isSelected ? .selected : (line.known ? .plain : CellStyle(color: .red))
            let price = line.totalCents.map(Format.money) ?? "out of range"
            let name = "\(line.qty)× \(line.name)"
            grid.fill(x: inner.x, y: y, width: inner.width, height: 1, style: style)
            grid.put(name, x: inner.x + 1, y: y, style: style, maxWidth: inner.width - Grid.width(of: price) - 3)
            grid.put(price, x: inner.x + inner.width - Grid.width(of: price) - 1, y: y, style: style)
            y += 1
        }
        if cart.rows.count > lineRows {
            grid.put(" \(cart.rows.count) lines ", x: rect.x + rect.width - 12, y: rect.y + rect.height - 1, style: .dim)
        }
        let totals: String
        if let subtotal = cart.subtotalCents, let sum = subtotal.checkedAdding(Catalog.shipping(forSubtotal: subtotal)) {
            totals = "Total \(Format.money(sum)) (shipping \(Format.money(sum - subtotal)))"
        } else {
            totals = "Total out of range"
        }
        grid.put(totals, x: inner.x + 1, y: inner.y + inner.height - 2, style: .bold, maxWidth: inner.width - 1)
        let form = cart.form.isEmpty ? "form: empty (f fills it)" : "form: \(cart.form.email) · \(cart.form.name)"
        grid.put(form, x: inner.x + 1, y: inner.y + inner.height - 1, style: cart.form.isEmpty ? .dim : .plain, maxWidth: inner.width - 1)
    }

    // MARK: - Payment

    static func paymentPanel(_ model: Screen, _ grid: inout Grid, _ rect: Rect) {
        let sim = model.payment
        let inner = grid.box(rect, title: "Payment")
        let method = sim.method
        grid.put("method  \(method.rawValue)" + (method.usesPaymentIntent ? "" : " (no PaymentIntent, no key)"),
                 x: inner.x + 1, y: inner.y, maxWidth: inner.width - 1)
        let card = TestCard(rawValue: sim.card)
        grid.put("card    \(card?.display ?? sim.card)  \(card?.summary ?? "")", x: inner.x + 1, y: inner.y + 1, maxWidth: inner.width - 1)
        let (paymentText, style): (String, CellStyle) = switch sim.status {
        case .none: ("none yet", .dim)
        case .succeeded: ("succeeded ✓", .success)
        case .declined: ("declined ✗", .error)
        case .requiresAction: ("requires action (3-D Secure)", .rotation)
        case .failed: ("failed ✗", .error)
        }
        grid.put("last    ", x: inner.x + 1, y: inner.y + 2)
        grid.put(paymentText, x: inner.x + 9, y: inner.y + 2, style: style, maxWidth: inner.width - 9)
        let intent = sim.validation.map { "\($0.paymentIntentID) · \(Format.money($0.totalCents))" } ?? "validate first (c)"
        grid.put("intent  \(intent)", x: inner.x + 1, y: inner.y + 3, style: sim.validation == nil ? .dim : .plain,
                 maxWidth: inner.width - 1)
    }

    // MARK: - Key

    static func keyPanel(_ model: Screen, _ grid: inout Grid, _ rect: Rect) {
        let sim = model
        let inner = grid.box(rect, title: "Idempotency key · localStorage")
        guard inner.height > 0 else { return }
        var y = inner.y
        let latest = sim.keyHistory.last
        // Only as much of the key as the panel could show is escaped and wrapped: a hostile
        // localStorage may hold megabytes, and a frame must stay cheap.
        let shownLimit = max(inner.width, 1) * max(inner.height, 1)
        let keyPrefix = sim.storedKey.map { $0.prefix(shownLimit) }
        let keyLines = keyPrefix.map { Format.wrap(UntrustedText.escaped(String($0)), width: inner.width - 2) } ?? [""]
        // The full key comes first, then the newest history row (with its heading), the
        // reason, and the storage label only when there is room for all of them.
        let historyRows = sim.keyHistory.isEmpty ? 0 : 2
        let whyRows = latest == nil ? 0 : 1
        if keyLines.count + 1 + whyRows + historyRows <= inner.height {
            grid.put(IdempotencyKeyStore.storageKey, x: inner.x + 1, y: y, style: .dim)
            y += 1
        }
        if let key = sim.storedKey {
            let style: CellStyle = latest?.change == .rotated || latest?.change == .external ? .rotation : CellStyle(color: .green, bold: true)
            let lines = keyLines
            let shown = lines.prefix(max(1, min(lines.count, inner.y + inner.height - y - 1 - historyRows)))
            for line in shown {
                grid.put(line, x: inner.x + 1, y: y, style: style)
                y += 1
            }
            // Only inside the panel: a short panel (a demo's long narration below it) has no row for it.
            if shown.count < lines.count || keyPrefix?.endIndex != key.endIndex, y < inner.y + inner.height {
                grid.put("… \(key.unicodeScalars.count) characters in all", x: inner.x + 1, y: y, style: .dim)
                y += 1
            }
        } else {
            grid.put("(none stored)", x: inner.x + 1, y: y, style: .dim)
            y += 1
        }
        if let latest, y + whyRows + historyRows <= inner.y + inner.height {
            grid.put("why: \(latest.reason)", x: inner.x + 1, y: y, style: .dim, maxWidth: inner.width - 1)
            y += 1
        }
        guard y < inner.y + inner.height else { return }
        grid.put("History", x: inner.x + 1, y: y, style: .bold)
        y += 1
        let rows = inner.y + inner.height - y
        guard rows > 0 else { return }
        for entry in sim.keyHistory.suffix(rows) {
            let style: CellStyle = switch entry.change {
            case .set: CellStyle(color: .green)
            case .rotated, .external, .tampered: CellStyle(color: .yellow)
            case .cleared: CellStyle(color: .red)
            }
            grid.put(keyHistoryRow(entry, width: inner.width - 1), x: inner.x + 1, y: y, style: style, maxWidth: inner.width - 1)
            y += 1
        }
    }

    /// One history row: time, key and what happened (its cause's label); the time goes
    /// first when the row is too narrow for all three.
    static func keyHistoryRow(_ entry: KeyHistoryEntry, width: Int) -> String {
        let label = entry.cause == .other ? entry.reason : entry.cause.label
        let row = "\(Format.shortKey(entry.key).padding(toLength: 9, withPad: " ", startingAt: 0)) \(label)"
        let timed = "\(Format.time(entry.atMillis)) " + row
        return Grid.width(of: timed) <= width ? timed : row
    }

    // MARK: - Timeline

    static func timelinePanel(_ model: Screen, _ grid: inout Grid, _ rect: Rect) {
        let sim = model
        let wireRows = model.wire?.rows ?? []
        // The address first: at 80 columns the rest of the title is cut, and with --port 0 it is the only place the port shows.
        let title = model.wire.map { wire in
            "Timeline · \(wire.listening.hasPrefix("http") ? "serving " : "")\(wire.listening) · your front end and this shopper (Enter: details)"
        }
            ?? "Timeline · validation requests (Enter: details)"
        var inner = grid.box(rect, title: title, focused: model.focus == .timeline)
        guard inner.height > 0 else { return }
        if let warning = model.wire?.warning, inner.height > 3 {
            // A non-loopback bind: on screen, where it can't be missed (stderr is under the TUI), token whole.
            let lines = Format.wrap("⚠ " + warning, width: inner.width - 1).prefix(inner.height / 2)
            for (offset, line) in lines.enumerated() {
                grid.put(line, x: inner.x + 1, y: inner.y + offset, style: .error, maxWidth: inner.width - 1)
            }
            inner = Rect(x: inner.x, y: inner.y + lines.count, width: inner.width, height: inner.height - lines.count)
        }
        let entries = sim.timeline
        if entries.isEmpty, sim.inFlight.isEmpty, wireRows.isEmpty {
            let hint = model.wire.map { "No request yet. Press c to check out, or point your front end at \($0.listening)" }
                ?? "No request yet. Press c to check out."
            grid.put(hint, x: inner.x + 1, y: inner.y, style: .dim, maxWidth: inner.width - 1)
            return
        }
        let rowsPerEntry = 2
        let capacity = max(inner.height / rowsPerEntry, 1)
        let items = timelineItems(entries, wireRows) + sim.inFlight.indices.map(TimelineItem.pending)
        let selectedItem: Int? = switch model.timelineSelection {
        case .request(let number)?: entries.firstIndex { $0.number == number }.flatMap { items.firstIndex(of: .entry($0)) }
        case .wire(let number)?: wireRows.firstIndex { $0.number == number }.flatMap { items.firstIndex(of: .wire($0)) }
        case nil: nil
        }
        // Highlighted when the panel has focus: the selected row, else the newest answered one.
        let highlighted = model.focus != .timeline ? nil
            : selectedItem ?? items.lastIndex { if case .pending = $0 { false } else { true } }
        // Following the newest: the requests still in flight, after the answered ones.
        let end = min(items.count, max((selectedItem ?? items.count - 1) + 1, capacity))
        let start = max(0, end - capacity)
        var y = inner.y
        for (offset, item) in items[start..<end].enumerated() {
            let selected = start + offset == highlighted
            switch item {
            case .pending(let index):
                pendingRow(sim.inFlight[index], now: sim.nowMillis, &grid, inner, y: y)
            case .wire(let index):
                wireRow(wireRows[index], selected: selected, &grid, inner, y: y)
            case .entry(let index):
                entryRow(entries[index], selected: selected, &grid, inner, y: y)
            }
            y += rowsPerEntry
        }
    }

    /// One line of the timeline: the shopper's answered request, one in flight, or a real client's (`serve`).
    enum TimelineItem: Equatable {
        case entry(Int), pending(Int), wire(Int)
    }

    /// The shopper's answered requests and the real clients', in the order they were sent.
    static func timelineItems(_ entries: [TimelineEntry], _ wire: [WireRow]) -> [TimelineItem] {
        guard !wire.isEmpty else { return entries.indices.map(TimelineItem.entry) }
        var items: [TimelineItem] = []
        var (e, w) = (0, 0)
        while e < entries.count || w < wire.count {
            if w == wire.count || (e < entries.count && entries[e].sentAtMillis <= wire[w].atMillis) {
                items.append(.entry(e))
                e += 1
            } else {
                items.append(.wire(w))
                w += 1
            }
        }
        return items
    }

    private static func entryRow(_ entry: TimelineEntry, selected: Bool, _ grid: inout Grid, _ inner: Rect, y: Int) {
        let record = entry.record
        let resultStyle: CellStyle = switch record.result {
        case .ok: record.returnedKey != nil && record.keySent != nil && record.returnedKey != record.keySent ? .rotation : .success
        default: .error
        }
        let base: CellStyle = selected ? .selected : .plain
        grid.fill(x: inner.x, y: y, width: inner.width, height: 1, style: base)
        var x = inner.x + 1
        let right = inner.x + inner.width
        x += grid.put("#\(entry.number) \(Format.time(entry.sentAtMillis)) \(triggerLabel(record.trigger)) key \(Format.shortKey(record.keySent)) → ",
                      x: x, y: y, style: base, maxWidth: right - x)
        x += grid.put(record.result.rawValue, x: x, y: y, style: selected ? .selected : resultStyle, maxWidth: max(right - x, 0))
        if let returned = record.returnedKey, x < right {
            grid.put(" ↩ \(Format.shortKey(returned))", x: x, y: y, style: base, maxWidth: right - x)
        }
        let detail = record.clientAction.description + (entry.firedRules.isEmpty ? "" : " · rule: " + entry.firedRules.joined(separator: ", "))
        grid.put("   " + detail, x: inner.x + 1, y: y + 1, style: .dim, maxWidth: inner.width - 1)
    }

    /// A request still waiting: how long so far, counting up; it changes in place when answered.
    private static func pendingRow(_ request: PendingRequest, now: Int64, _ grid: inout Grid, _ inner: Rect, y: Int) {
        let right = inner.x + inner.width
        var x = inner.x + 1
        let waiting = "waiting \(Format.seconds(max(now - request.sentAtMillis, 0)))…"
        let key = "\(triggerLabel(request.trigger)) key \(Format.shortKey(request.keySent)) → "
        // The time goes first when the row is narrow: the wait must show.
        let timed = "#\(request.number) \(Format.time(request.sentAtMillis)) " + key
        let prefix = Grid.width(of: timed + waiting) < right - x ? timed : "#\(request.number) " + key
        x += grid.put(prefix, x: x, y: y, maxWidth: right - x)
        grid.put(waiting, x: x, y: y, style: .info, maxWidth: max(right - x, 0))
        let detail = request.abandoned ? "abandoned by a refresh: the page will ignore the reply" : "sent, no reply yet"
        grid.put("   " + detail, x: inner.x + 1, y: y + 1, style: .dim, maxWidth: inner.width - 1)
    }

    static func triggerLabel(_ trigger: ValidationTrigger) -> String {
        trigger == .alreadyCompletedRetry ? "auto-retry" : trigger.rawValue
    }

    // MARK: - Backend

    static func backendPanel(_ model: Screen, _ grid: inout Grid, _ rect: Rect) {
        let view = model.backend
        let inner = grid.box(rect, title: "Backend", focused: model.focus == .backend)
        guard inner.height > 0 else { return }
        guard view.loaded else {
            grid.put("opening the backend…", x: inner.x + 1, y: inner.y, style: .dim)
            return
        }
        if let unavailable = view.unavailable {
            grid.put("⧗ \(unavailable)", x: inner.x + 1, y: inner.y, style: .rotation, maxWidth: inner.width - 1)
            return
        }
        let orphaned = view.orphansKnown ? "\(view.orphaned)" : "?"
        let counters = "sessions \(view.counters.sessions) · PaymentIntents \(view.counters.paymentIntents) · paid \(view.counters.paid) · orphaned \(orphaned)"
        grid.put(counters, x: inner.x + 1, y: inner.y, style: .bold, maxWidth: inner.width - 1)
        let rules = view.rules.isEmpty ? "rules: none armed (b to arm)" : "rules: " + view.rules.joined(separator: " → ")
        grid.put(rules, x: inner.x + 1, y: inner.y + 1, style: view.rules.isEmpty ? .dim : .rotation, maxWidth: inner.width - 1)
        var y = inner.y + 2
        let stored = model.storedKey
        for session in view.sessions {
            guard y < inner.y + inner.height else { break }
            let intent = view.intents[session.paymentIntentID]
            let mine = session.key == stored
            let orphan = view.orphans.contains(session.key)
            let status = intent?.status.rawValue ?? "?"
            let style: CellStyle = switch intent?.status {
            case .succeeded?: CellStyle(color: .green)
            case .canceled?: .dim
            default: orphan ? CellStyle(color: .yellow) : .plain
            }
            // ▸ the shopper's key, ⇄ a real client's (serve). Short enough for 120 columns:
            // the orphan marker and the PaymentIntent's state come last.
            let holder = mine ? "▸" : view.heldByClients.contains(session.key) ? "⇄" : " "
            let text = "\(holder) \(Format.shortKey(session.key)) \(session.status.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)) \(Format.shortIntentID(session.paymentIntentID)) \(Format.money(intent?.amountCents ?? 0)) \(Format.shortIntentStatus(status))"
                + (orphan ? " (orphan)" : "")
            grid.put(text, x: inner.x + 1, y: y, style: style, maxWidth: inner.width - 1)
            y += 1
        }
    }
}
