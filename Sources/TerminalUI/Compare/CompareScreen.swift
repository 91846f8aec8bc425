/// Everything the side-by-side demo shows (`demo --compare`), as plain values:
/// `CompareView.render` draws only from it.
public struct CompareScreen: Equatable, Sendable {
    /// The scenario's name.
    public var title: String
    public var played: Int
    public var total: Int
    /// The step played last, in words (`do: checkout`), `nil` before the first.
    public var step: String?
    /// The latest narration (the description before the first step).
    public var caption: String?
    /// Left (the baseline), then right.
    public var sides: [CompareSide]
    /// Every action step played so far, oldest first.
    public var history: [CompareHistoryRow]
    public var showsHelp: Bool
    public var finished: Bool
}

/// One client's condensed panels: what can differ between two clients.
public struct CompareSide: Equatable, Sendable {
    /// `standard`, `legacy`.
    public var client: String
    /// What localStorage holds, named: `k1 (afcd1d7b…)` or `none`.
    public var key: String
    /// `1 line`, `empty`.
    public var cart: String
    /// The last payment attempt.
    public var payment: String
    /// `error: Payment already completed…`, or `none`.
    public var toast: String
    /// The validation requests of the latest action step: `no key → ok, key k1`.
    public var requests: [String]
    /// The backend's paid PaymentIntents, all told.
    public var paid: Int
    /// The backend's sessions, all told.
    public var sessions: Int
    /// The latest `expect` step's verdict on this side, `nil` before one.
    public var verdict: String?

    /// The rows that can differ, by label, in the order shown.
    var rows: [(label: String, value: String)] {
        [("key", key), ("cart", cart), ("payment", payment), ("toast", toast), ("paid", "\(paid) (sessions: \(sessions))")]
    }
}

/// One action step of the history: what it did on each side, in a line each.
public struct CompareHistoryRow: Equatable, Sendable {
    public var step: Int
    /// `do: checkout`, `backend: mark_paid`.
    public var what: String
    /// Left, then right: `paid 1 · stored k2 · key k1 → payment_already_completed; no key → ok, key k2`.
    public var outcomes: [String]
}
