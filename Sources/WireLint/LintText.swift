import CheckoutCore

extension LintReport {
    /// The report for a terminal or a CI log: one block per verdict, then each
    /// client's keys. Every client-supplied string is escaped.
    public var text: String {
        var lines: [String] = []
        for verdict in verdicts {
            let shown = verdict.requests.prefix(12).map { "#\($0)" }.joined(separator: ", ")
            let more = verdict.requests.count > 12 ? " … (\(verdict.requests.count) in all)" : ""
            lines.append("\(verdict.rule.isWarning ? "! warning:" : "✗") rule \(verdict.rule.number) \(verdict.rule.rawValue) · \(Self.name(verdict.client)) · requests \(shown)\(more)"
                         + (verdict.count > 1 ? " · \(verdict.timesText)" : ""))
            lines.append("    \(UntrustedText.escaped(verdict.message))")
            lines.append("    should: \(UntrustedText.escaped(verdict.expected))")
        }
        if !clients.isEmpty { lines.append("") }
        if let prunedText { lines.append(prunedText) }
        for client in clients {
            let agent = client.userAgent.isEmpty ? "" : " (\(UntrustedText.escaped(client.userAgent, limit: 60)))"
            lines.append("\(client.verdicts == 0 ? "✓" : "✗") \(Self.name(client.client))\(agent): \(client.validations) validation\(client.validations == 1 ? "" : "s"), "
                         + "issued \(Self.key(client.issued)), expected next \(UntrustedText.escaped(client.expectedNext, limit: 80)), last sent \(Self.key(client.lastSent))")
        }
        let warned = warnings == 0 ? "" : ", \(warnings) warning\(warnings == 1 ? "" : "s") (a legacy client gets no idempotency; lint --strict fails on it)"
        lines.append(clients.isEmpty
            ? "clean: no client has sent a validation yet (journal up to #\(journal))"
            : isClean
            ? "clean: \(clients.count) client\(clients.count == 1 ? "" : "s") follow\(clients.count == 1 ? "s" : "") the key lifecycle\(warned) (journal up to #\(journal))"
            : "\(violations) violation\(violations == 1 ? "" : "s") of the key lifecycle\(warned) (journal up to #\(journal))")
        return lines.joined(separator: "\n")
    }

    /// Says that the journal's oldest lines were pruned before it was judged; `nil` when none were.
    public var prunedText: String? {
        guard pruned.count > 0 else { return nil }
        return "note: the journal's limit pruned its oldest \(pruned.count) line\(pruned.count == 1 ? "" : "s") (up to #\(pruned.through)): "
            + "requests before #\(pruned.through + 1) were not judged (serve --journal-limit)"
    }

    /// A client as people read it: the cookie, or what stands for a missing one.
    public static func name(_ client: String) -> String {
        client.isEmpty ? "client without a cookie" : "client \(UntrustedText.escaped(client, limit: 64))"
    }

    static func key(_ key: String?) -> String {
        key.map { UntrustedText.escaped($0, limit: 80) } ?? "none"
    }
}

extension Verdict {
    /// `14 times, #9 to #40`.
    public var timesText: String {
        "\(count) times, #\(firstRequest) to #\(lastRequest)"
    }
}
