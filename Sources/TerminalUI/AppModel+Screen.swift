import CheckoutCore
import Simulation

extension AppModel {
    /// What the screen shows now, as one value: built once per frame, after the
    /// key and the tick. Everything `View.render` needs is read here (the
    /// backend panel from `backendView`, refreshed by `tick()`), so drawing
    /// never reaches the engine, the store or a file.
    public func screen() -> Screen {
        let sim = simulation
        let client = sim.client
        let catalog = sim.backend.catalog
        var rows: [Screen.CartRow] = []
        rows.reserveCapacity(client.cart.count)
        var subtotal: Int64? = 0
        for line in client.cart {
            let product = catalog.product(sku: line.sku)
            let total = line.total(unitPriceCents: product?.priceCents ?? 0)
            if let sum = subtotal, let total { subtotal = sum.checkedAdding(max(total, 0)) } else { subtotal = nil }
            rows.append(Screen.CartRow(qty: line.qty, name: product?.name ?? line.sku, known: product != nil, totalCents: total))
        }
        let cart = Screen.Cart(rows: rows, selected: min(cartSelection, max(client.cart.count - 1, 0)),
                               subtotalCents: subtotal, form: client.form)
        let payment = Screen.Payment(
            method: client.paymentMethod, card: sim.selectedCard, status: sim.payment,
            validation: client.lastValidation.map { ($0.paymentIntentID, $0.totalCents) },
            pendingRedirect: client.pendingRedirect)
        var messages = Screen.Messages(
            verdict: presenter?.lastVerdict, caption: presenter?.caption, toast: sim.toast,
            inFlight: sim.inFlightCount, spinnerFrame: spinnerFrame, status: status, log: sim.messages)
        if let presenter {
            messages.verdictIsCurrent = presenter.lastVerdict?.step == presenter.played
            messages.captionScroll = presenter.captionScroll
            messages.narrations = presenter.narrations
        }
        return Screen(
            header: Screen.Header(text: headerText(), shorter: shorterHeaders(), recording: recorder?.isRecording == true),
            presenting: presenter != nil, focus: focus, cart: cart, payment: payment,
            storedKey: sim.storedKey, keyHistory: sim.keyHistory, timeline: sim.timeline,
            inFlight: sim.inFlight, nowMillis: sim.clock.nowMillis,
            timelineSelection: timelineSelection, backend: backendView, messages: messages,
            footer: footerEntries(), overlay: overlayState, wire: wire)
    }

    private func headerText() -> String {
        if let presenter {
            return " ▶ \(presenter.scenario.name) │ step \(presenter.played)/\(presenter.scenario.steps.count)"
                + (presenter.autoplay ? " │ autoplay every \(Double(presenter.autoplayDelayMillis) / 1000)s" : "")
                + (presenter.isFinished ? " │ ■ end of scenario: \(presenter.summary)" : "")
        }
        return " checkout-sim │ \(stateLabel)" + headerSettings()
    }

    /// The header after the state label: client, guard, timeout and seed.
    private func headerSettings() -> String {
        let client = simulation.client.settings
        return " │ client: \(client.policy.name) │ guard: \(client.doubleSubmitGuard ? "on" : "off")"
            + " │ timeout \(Format.duration(simulation.clientTimeoutMillis))"
            + (seedLabel.map { " │ seed \($0)" } ?? "")
    }

    /// The header in fewer columns, longest first: the state path cut to its last
    /// component, then short labels, then without the app's name.
    private func shorterHeaders() -> [String] {
        guard presenter == nil else { return [] }
        let client = simulation.client.settings
        let state = Self.lastComponent(of: stateLabel)
        let timeout = Format.duration(simulation.clientTimeoutMillis)
        let seed = seedLabel.map { " │ seed \($0)" } ?? ""
        let compact = " │ \(client.policy.name) │ guard \(client.doubleSubmitGuard ? "on" : "off") │ \(timeout)\(seed)"
        // Built, not searched and replaced: Foundation's replacing costs the first frame a million instructions.
        return [" checkout-sim │ \(state)" + headerSettings(), " checkout-sim │ \(Self.bare(state))" + compact,
                " \(Self.bare(state))" + compact]
    }

    /// `state: /a/b/dir` as `state: dir`.
    static func lastComponent(of label: String) -> String {
        let trimmed = label.hasSuffix("/") ? String(label.dropLast()) : label
        guard let slash = trimmed.lastIndex(of: "/") else { return trimmed }
        let prefix = trimmed.hasPrefix("state: ") ? "state: " : ""
        return prefix + String(trimmed[trimmed.index(after: slash)...])  // String + String: no generic append
    }

    /// `state: dir` as `dir`.
    private static func bare(_ label: String) -> String {
        label.hasPrefix("state: ") ? String(label.dropFirst("state: ".count)) : label
    }

    private func footerEntries() -> [(key: String, label: String)] {
        presenter != nil
            ? [("Space", "next step"), ("⌫", "back"), ("A", "autoplay"), ("Esc", "end demo"), ("?", "help"), ("q", "quit")]
            : Keymap.footer.map { ($0.label, $0.footer ?? "") }
    }
}
