import CheckoutCore
import Simulation

/// `$name` variables: each binds once, and two never bind the same value.
struct VariableBindings {
    private(set) var values: [String: String] = [:]
    private var owners: [String: String] = [:]

    /// Matches `actual` against `pattern`, binding a new variable; returns a
    /// description of the mismatch, or `nil`.
    mutating func match(_ pattern: KeyPattern, _ actual: String?) -> String? {
        switch pattern {
        case .none:
            return actual == nil ? nil : "expected none, got \(quoted(actual))"
        case .literal(let value):
            return actual == value ? nil : "expected \(quoted(value)), got \(quoted(actual))"
        case .variable(let name):
            if let bound = values[name] {
                return actual == bound ? nil : "expected $\(name) (\(quoted(bound))), got \(quoted(actual))"
            }
            guard let actual else { return "expected a key for $\(name), got none" }
            if let owner = owners[actual] {
                return "expected a new key for $\(name), got \(quoted(actual)) which is already $\(owner)"
            }
            values[name] = actual
            owners[actual] = name
            return nil
        }
    }

    private func quoted(_ value: String?) -> String {
        value.map { "\"\(UntrustedText.escaped($0, limit: 80))\"" } ?? "none"
    }
}

/// Checks one `expect:` step against the simulation.
struct ExpectationChecker {
    let simulation: Simulation
    var variables: VariableBindings
    /// The requests answered since the previous `expect`.
    let requests: [TimelineEntry]

    mutating func check(_ expectation: Expectation) -> [String] {
        var failures: [String] = []
        let snapshot = simulation.snapshot
        if let requestsExpectation = expectation.requests {
            failures += checkRequests(requestsExpectation)
        }
        if let sentKey = expectation.sentKey {
            if requests.isEmpty { failures.append("sent_key: expected requests carrying \(sentKey.text), but none were sent") }
            for (i, entry) in requests.enumerated() {
                if let problem = variables.match(sentKey, entry.record.keySent) {
                    failures.append("sent_key: request \(i + 1): \(problem)")
                }
            }
        }
        if let stored = expectation.storedKey, let problem = variables.match(stored, snapshot.storedKey) {
            failures.append("stored_key: \(problem)")
        }
        if let toast = expectation.toast { failures += checkToast(toast, snapshot.toast) }
        switch expectation.cart {
        case .empty? where !snapshot.cart.isEmpty:
            failures.append("cart: expected empty, got \(snapshot.cart.count) line(s)")
        case .items(let count)? where snapshot.cart.count != count:
            failures.append("cart: expected \(count) line(s), got \(snapshot.cart.count)")
        default: break
        }
        if let filled = expectation.formFilled, filled == snapshot.form.isEmpty {
            failures.append("form: expected \(filled ? "filled" : "empty"), got \(snapshot.form.isEmpty ? "empty" : "filled")")
        }
        if let payment = expectation.payment, payment != snapshot.payment {
            failures.append("payment: expected \(payment.rawValue), got \(snapshot.payment.rawValue)")
        }
        let counters = snapshot.counters
        for (name, expected, actual) in [("sessions", expectation.sessions, counters.sessions),
                                         ("payment_intents", expectation.paymentIntents, counters.paymentIntents),
                                         ("paid", expectation.paid, counters.paid)] {
            if let expected, expected != actual { failures.append("backend.\(name): expected \(expected), got \(actual)") }
        }
        return failures
    }

    private mutating func checkRequests(_ expectation: RequestsExpectation) -> [String] {
        let seen = requests.map(describe).joined(separator: "; ")
        switch expectation {
        case .count(let count):
            return count == requests.count ? [] : ["requests: expected \(count), got \(requests.count)" + (seen.isEmpty ? "" : ": \(seen)")]
        case .list(let patterns):
            guard patterns.count == requests.count else {
                return ["requests: expected \(patterns.count) request(s), got \(requests.count)" + (seen.isEmpty ? "" : ": \(seen)")]
            }
            var failures: [String] = []
            for (i, (pattern, entry)) in zip(patterns, requests).enumerated() {
                let record = entry.record
                if let key = pattern.key, let problem = variables.match(key, record.keySent) {
                    failures.append("requests[\(i + 1)].key: \(problem)")
                }
                if let result = pattern.result, result != record.result {
                    failures.append("requests[\(i + 1)].result: expected \(result.rawValue), got \(record.result.rawValue)"
                                    + (record.message.map { " (\(UntrustedText.escaped($0, limit: 120)))" } ?? ""))
                }
                if let returned = pattern.returnedKey, let problem = variables.match(returned, record.returnedKey) {
                    failures.append("requests[\(i + 1)].returned_key: \(problem)")
                }
                if let fragment = pattern.messageContains,
                   !(record.message ?? "").localizedCaseInsensitiveContains(fragment) {
                    failures.append("requests[\(i + 1)].message: expected to contain \"\(fragment)\", got \(record.message.map { "\"\(UntrustedText.escaped($0, limit: 120))\"" } ?? "none")")
                }
            }
            return failures
        }
    }

    private func checkToast(_ expectation: ToastExpectation, _ toast: Toast?) -> [String] {
        switch expectation {
        case .none:
            return toast.map { ["toast: expected none, got \($0.kind.rawValue)/\($0.category.rawValue) \"\(UntrustedText.escaped($0.message, limit: 120))\""] } ?? []
        case .matching(let kind, let category, let contains):
            guard let toast else { return ["toast: expected a toast, got none"] }
            var failures: [String] = []
            if let kind, kind != toast.kind { failures.append("toast.kind: expected \(kind.rawValue), got \(toast.kind.rawValue)") }
            if let category, category != toast.category {
                failures.append("toast.category: expected \(category.rawValue), got \(toast.category.rawValue)")
            }
            if let contains, !toast.message.localizedCaseInsensitiveContains(contains) {
                failures.append("toast: expected the message to contain \"\(contains)\", got \"\(UntrustedText.escaped(toast.message, limit: 120))\"")
            }
            return failures
        }
    }

    private func describe(_ entry: TimelineEntry) -> String {
        let r = entry.record
        return "key \(r.keySent.map { UntrustedText.escaped($0, limit: 40) } ?? "none") → \(r.result.rawValue)"
            + (r.returnedKey.map { " returned \(UntrustedText.escaped($0, limit: 40))" } ?? "")
    }
}
