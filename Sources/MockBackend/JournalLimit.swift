/// How much of the journal a store keeps: its newest `entries` lines. Once it holds
/// `entries + slack`, the oldest go, down to `entries`, in one delete: so pruning costs
/// one statement per `slack` lines, never a count per request.
public struct JournalLimit: Equatable, Sendable {
    /// Lines kept.
    public var entries: Int

    /// 100,000 lines: a validation writes about four (arrival, request, response, a new
    /// session or a fired rule), 300 bytes each on disk with a browser's user agent, so
    /// this is the last 25,000 requests in 30–80 MB (larger carts, longer agents): most of
    /// an hour's soak at 8 requests a second, and more than a CI run sends.
    public static let standard = JournalLimit(entries: 100_000)

    public init(entries: Int) {
        self.entries = max(entries, 1)
    }

    /// Lines allowed past the limit before the next prune: a tenth of it, at most 1,000,
    /// so that one prune is a short delete inside a request's transaction.
    public var slack: Int { max(1, min(entries / 10, 1_000)) }
}

/// What pruning took from the journal since it was last emptied.
public struct JournalPruning: Equatable, Sendable, Codable {
    /// Lines removed.
    public var count: Int64
    /// The last journal number removed (the journal starts after it); 0 when none was.
    public var through: Int64

    public init(count: Int64 = 0, through: Int64 = 0) {
        self.count = count
        self.through = through
    }

    public static let none = JournalPruning()
}
