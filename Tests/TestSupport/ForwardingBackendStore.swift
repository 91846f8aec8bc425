import MockBackend

/// A store that hands every call to `inner`: a test double subclasses it and overrides
/// only what it changes (a failure to inject, rules shared as SQLite shares them).
/// `atomically` is the protocol's, so it goes through this class's `transaction`.
open class ForwardingBackendStore: BackendStore {
    public let inner: BackendStore

    public init(_ inner: BackendStore) { self.inner = inner }

    open func transaction<T>(_ body: () throws -> T) throws -> T { try inner.transaction(body) }
    open func session(key: String) throws -> PaymentSession? { try inner.session(key: key) }
    open func saveSession(_ session: PaymentSession) throws { try inner.saveSession(session) }
    open func intent(id: String) throws -> PaymentIntent? { try inner.intent(id: id) }
    open func saveIntent(_ intent: PaymentIntent) throws { try inner.saveIntent(intent) }
    open func openSessions() throws -> [PaymentSession] { try inner.openSessions() }
    open func counters() throws -> BackendCounters { try inner.counters() }
    open func addToCounters(sessions: Int, paymentIntents: Int, paid: Int) throws {
        try inner.addToCounters(sessions: sessions, paymentIntents: paymentIntents, paid: paid)
    }
    @discardableResult
    open func appendJournal(_ entry: JournalEntry) throws -> Int64 { try inner.appendJournal(entry) }
    open func journalCount() throws -> Int { try inner.journalCount() }
    open func recentJournal(limit: Int) throws -> [JournalEntry] { try inner.recentJournal(limit: limit) }
    open func journal(after sequence: Int64, limit: Int) throws -> [JournalEntry] { try inner.journal(after: sequence, limit: limit) }
    open func journalPruning() throws -> JournalPruning { try inner.journalPruning() }
    open func clockOffset() throws -> Int64 { try inner.clockOffset() }
    open func advanceClock(by millis: Int64) throws -> Int64 { try inner.advanceClock(by: millis) }
    open var sharesRules: Bool { inner.sharesRules }
    open func loadRules() throws -> RuleQueue? { try inner.loadRules() }
    open func saveRules(_ rules: RuleQueue) throws { try inner.saveRules(rules) }
    open func removeEverything() throws { try inner.removeEverything() }
    open func recentSessions(limit: Int) throws -> [PaymentSession] { try inner.recentSessions(limit: limit) }
    open func recentIntents(limit: Int) throws -> [PaymentIntent] { try inner.recentIntents(limit: limit) }
    open func drainNotices() -> [String] { inner.drainNotices() }
    open var unavailableReason: String? { inner.unavailableReason }
    open var keepsJournal: Bool { inner.keepsJournal }
}
