import CheckoutCore
import WireLint

extension View {
    /// The lint of `serve`: each client's key as the wire shows it (issued,
    /// expected next, actually sent), then the newest verdicts.
    static func lintPanel(_ report: LintReport?, _ grid: inout Grid, _ rect: Rect) {
        guard let report else {
            let inner = grid.box(rect, title: "Lint · keys on the wire", focused: false)
            if inner.height > 0 { grid.put("judging…", x: inner.x + 1, y: inner.y, style: .dim) }
            return
        }
        let pruned = report.pruned.count > 0 ? " · journal from #\(report.pruned.through + 1)" : ""
        let warned = report.warnings == 0 ? "" : " · \(report.warnings) warning\(report.warnings == 1 ? "" : "s")"
        let title = report.isClean
            ? "Lint · clean\(warned)\(pruned) · keys on the wire"
            : "Lint · \(report.violations) violation\(report.violations == 1 ? "" : "s")\(warned)\(pruned) · keys on the wire"
        let inner = grid.box(rect, title: title, focused: false)
        guard inner.height > 0 else { return }
        if report.clients.isEmpty {
            grid.put("No client yet: each browser is judged on its own (cookie checkout-sim-client).", x: inner.x + 1, y: inner.y,
                     style: .dim, maxWidth: inner.width - 1)
            return
        }
        let right = inner.x + inner.width
        var y = inner.y
        let clientRows = min(report.clients.count, max(1, inner.height - min(report.verdicts.count, inner.height / 2)))
        for client in report.clients.suffix(clientRows) {
            var x = inner.x + 1
            x += grid.put(client.verdicts == 0 ? "✓ " : "✗ ", x: x, y: y, style: client.verdicts == 0 ? .success : .error)
            x += grid.put(Self.clientName(client), x: x, y: y, style: .bold, maxWidth: min(28, right - x))
            x += grid.put("  issued \(Format.shortKey(client.issued))", x: x, y: y, maxWidth: max(right - x, 0))
            let next = client.expectedNext == "none" ? "none" : client.expectedNext.hasSuffix(" or none")
                ? "\(Format.shortKey(String(client.expectedNext.dropLast(" or none".count)))) or none" : Format.shortKey(client.expectedNext)
            x += grid.put(" · next \(next)", x: x, y: y, style: .info, maxWidth: max(right - x, 0))
            grid.put(" · sent \(Format.shortKey(client.lastSent))", x: x, y: y,
                     style: client.verdicts == 0 ? .plain : .error, maxWidth: max(right - x, 0))
            y += 1
        }
        for verdict in report.verdicts.suffix(max(inner.y + inner.height - y, 0)).reversed() {
            let requests = verdict.requests.suffix(3).map { "#\($0)" }.joined(separator: " ")
            let times = verdict.count > 1 ? " (\(verdict.timesText))" : ""
            let line = "\(verdict.rule.isWarning ? "warning: " : "")rule \(verdict.rule.number) \(verdict.rule.rawValue) \(requests)\(times): \(UntrustedText.escaped(verdict.message))"
            grid.put(line, x: inner.x + 1, y: y, style: verdict.rule.isWarning ? .rotation : .error, maxWidth: inner.width - 1)
            y += 1
        }
    }

    static func clientName(_ client: ClientKeys) -> String {
        if client.client == WireExchange.simulatedClient { return "simulated shopper" }
        let id = client.client.isEmpty ? "no cookie" : UntrustedText.escaped(client.client, limit: 16)
        let agent = Self.browser(client.userAgent)
        return agent.isEmpty ? id : "\(id) \(agent)"
    }

    /// `Chrome`, `Firefox`, `curl`, `python` … from a user agent; the first word otherwise.
    static func browser(_ userAgent: String) -> String {
        for name in ["Edg", "Chrome", "Firefox", "Safari", "curl", "python", "buf", "connect-es", "Playwright"] where userAgent.contains(name) {
            return name == "Edg" ? "Edge" : name
        }
        return UntrustedText.escaped(String(userAgent.prefix { $0 != "/" && $0 != " " }), limit: 12)
    }
}
