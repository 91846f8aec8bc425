import CheckoutCore

// Journals written before the events were typed hold their sentences (`text`). They are
// read as far as the lint needs them: the rules that fired, the wire's losses, the keys
// issued and the payments that succeeded. Any other sentence stays `unread`, shown as written.

extension RuleEvent {
    /// `fired latency 2s`, `fired error "boom"`, `fired rotate` (a firing after the label is ignored).
    init?(words: String) {
        guard words.hasPrefix("fired ") else { return nil }
        let label = words.dropFirst("fired ".count)
        if label.hasPrefix("latency ") {
            let duration = label.dropFirst("latency ".count).split(separator: " ").first.map(String.init) ?? ""
            guard let millis = Duration.millis(parsing: duration) else { return nil }
            self = .fired(rule: .latency(millis: millis))
        } else if label.hasPrefix("error \""), label.count > "error \"".count, label.hasSuffix("\"") {
            // The label has no code: the words never said it.
            self = .fired(rule: .error(message: String(label.dropFirst("error \"".count).dropLast()), code: .unknown))
        } else if let name = label.split(separator: " ").first, let kind = RuleKind(simpleName: String(name)) {
            self = .fired(rule: kind)
        } else {
            return nil
        }
    }
}

extension SessionEvent {
    /// `new session K (reason)`.
    init?(words: String) {
        guard words.hasPrefix("new session ") else { return nil }
        let rest = words.dropFirst("new session ".count)
        guard let space = rest.firstIndex(of: " "), rest[space...].hasPrefix(" ("), rest.hasSuffix(")") else { return nil }
        let said = rest[rest.index(space, offsetBy: 2)...].dropLast()
        guard let reason = NewSessionReason.allCases.first(where: { $0.text == said }) else { return nil }
        self = .created(key: String(rest[..<space]), reason: reason)
    }
}

extension IntentEvent {
    /// `pi_… processing → succeeded`.
    init?(words: String) {
        let parts = words.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[2] == "→", let old = IntentStatus(rawValue: String(parts[1])),
              let new = IntentStatus(rawValue: String(parts[3])) else { return nil }
        self = .statusChanged(id: String(parts[0]), from: old, to: new)
    }
}

extension WireLoss {
    /// One of the four sentences.
    init?(words: String) {
        guard let loss = WireLoss.allCases.first(where: { $0.text == words }) else { return nil }
        self = loss
    }
}
