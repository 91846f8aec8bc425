/// One row of the rule table. The scenario format's names, the TUI's backend
/// menu, the recorder and the rules section of docs/scenarios.md all follow
/// from `RuleKind.table`: adding a rule is a case in `RuleKind`, a row here,
/// and its effect in `MockBackend`.
public struct RuleInfo: Sendable {
    /// What a rule takes besides its firing.
    public enum Argument: Sendable, Equatable {
        case none
        /// `{error: {message: TEXT, code: CODE}}`
        case message
        /// `{latency: 2s}` or `{latency: {duration: 2s}}`
        case duration
    }

    /// The name scenario files use.
    public let name: String
    public let argument: Argument
    /// Its key in the TUI's backend menu.
    public let menuKey: Character
    /// What the menu arms (rules with an argument arm this sample).
    public let menuRule: RuleKind
    /// The menu's line.
    public let menuLabel: String
    /// `backend:` steps, for the docs.
    public let examples: [String]
    /// What it does, for the docs.
    public let effect: String
}

extension RuleKind {
    /// Every rule, in menu order.
    public static let table: [RuleInfo] = [
        RuleInfo(name: "rotate", argument: .none, menuKey: "r", menuRule: .rotate,
                 menuLabel: "rotate: replace the session, new key", examples: ["backend: rotate"],
                 effect: "the session of the key sent is replaced; its PaymentIntent is canceled; a new key comes back"),
        RuleInfo(name: "payment_already_completed", argument: .none, menuKey: "c", menuRule: .paymentAlreadyCompleted,
                 menuLabel: "payment_already_completed", examples: ["backend: { payment_already_completed: { times: 2 } }"],
                 effect: "\"Payment already completed …\" (before anything is created)"),
        RuleInfo(name: "payment_unavailable", argument: .none, menuKey: "u", menuRule: .paymentUnavailable,
                 menuLabel: "payment_unavailable", examples: ["backend: payment_unavailable"], effect: "\"payment unavailable\""),
        RuleInfo(name: "failed_to_create_payment_intent", argument: .none, menuKey: "f",
                 menuRule: .failedToCreatePaymentIntent, menuLabel: "failed_to_create_payment_intent",
                 examples: ["backend: failed_to_create_payment_intent"], effect: "\"failed to create payment intent\""),
        RuleInfo(name: "error", argument: .message, menuKey: "e",
                 menuRule: .error(message: "cart total mismatch", code: .invalidArgument),
                 menuLabel: "error \"cart total mismatch\" (generic)",
                 examples: ["backend: { error: { message: \"cart total mismatch\", code: invalid_argument } }"],
                 effect: "any message; `code` is a Connect code (default `unknown`)"),
        RuleInfo(name: "latency", argument: .duration, menuKey: "l", menuRule: .latency(millis: 2000),
                 menuLabel: "latency 2s", examples: ["backend: { latency: 2s }", "backend: { latency: { duration: 2s, times: 3 } }"],
                 effect: "replies arrive later; the TUI shows a spinner"),
        RuleInfo(name: "drop_response", argument: .none, menuKey: "d", menuRule: .dropResponse,
                 menuLabel: "drop_response: processed, reply lost", examples: ["backend: drop_response"],
                 effect: "processed, but the reply is lost: the client times out (an orphan if it was new)"),
        RuleInfo(name: "timeout", argument: .none, menuKey: "t", menuRule: .timeout,
                 menuLabel: "timeout: never reaches the server", examples: ["backend: timeout"],
                 effect: "never reaches the server: nothing is created"),
        RuleInfo(name: "garble_response", argument: .none, menuKey: "g", menuRule: .garbleResponse,
                 menuLabel: "garble_response: reply corrupted", examples: ["backend: garble_response"],
                 effect: "processed, but the reply cannot be decoded"),
        RuleInfo(name: "connection_reset", argument: .none, menuKey: "n", menuRule: .connectionReset,
                 menuLabel: "connection_reset: processed, connection reset", examples: ["backend: connection_reset"],
                 effect: "processed, then the connection is reset instead of a reply: a network error at once (`unavailable`)"),
        RuleInfo(name: "expire_sessions", argument: .none, menuKey: "x", menuRule: .expireSessions,
                 menuLabel: "expire_sessions (now)", examples: ["backend: expire_sessions"],
                 effect: "every open session expires now"),
        RuleInfo(name: "mark_paid", argument: .none, menuKey: "p", menuRule: .markPaid,
                 menuLabel: "mark_paid: another tab pays (now)", examples: ["backend: mark_paid"],
                 effect: "the stored key's session is paid in another tab, now"),
        RuleInfo(name: "key_in_use", argument: .none, menuKey: "i", menuRule: .keyInUse,
                 menuLabel: "key_in_use: refuse a key another request still uses",
                 examples: ["backend: { key_in_use: always }"],
                 effect: "while armed, a validation whose key an unanswered request still uses gets `aborted` (Stripe's idempotency_key_in_use)"),
    ]

    /// The rules table of docs/scenarios.md (a test keeps the file in step).
    public static func markdownTable() -> String {
        var text = "| rule | example | effect |\n| --- | --- | --- |\n"
        for row in table {
            text += "| `\(row.name)` | \(row.examples.map { "`\($0)`" }.joined(separator: ", ")) | \(row.effect) |\n"
        }
        text += "| `disarm` | `backend: { disarm: 2 }` | removes the armed rule at that position (1 is the first armed) |\n"
        text += "| `disarm_all` | `backend: disarm_all` | removes every armed rule |\n"
        return text
    }
}
