/// Where the backend keeps sessions, PaymentIntents, counters and the journal.
///
/// Every request runs inside one `transaction`, so two processes on one
/// SQLite store (two browser tabs against one backend) never see half a request.
public protocol BackendStore: AnyObject {
    /// Runs `body` atomically.
    func transaction<T>(_ body: () throws -> T) throws -> T
    /// Runs `body` in the transaction in progress when there is one (for work whose every
    /// write is a single statement, with nothing to undo when one fails), else in a
    /// transaction of its own.
    func atomically<T>(_ body: () throws -> T) throws -> T
    func session(key: String) throws -> PaymentSession?
    func saveSession(_ session: PaymentSession) throws
    func intent(id: String) throws -> PaymentIntent?
    func saveIntent(_ intent: PaymentIntent) throws
    /// Sessions whose status is `open`.
    func openSessions() throws -> [PaymentSession]
    func counters() throws -> BackendCounters
    func addToCounters(sessions: Int, paymentIntents: Int, paid: Int) throws
    /// Appends to the journal in constant time; returns the entry's sequence number.
    @discardableResult func appendJournal(_ entry: JournalEntry) throws -> Int64
    func journalCount() throws -> Int
    /// The latest `limit` journal entries, oldest first.
    func recentJournal(limit: Int) throws -> [JournalEntry]
    /// Up to `limit` journal entries after `sequence`, oldest first (what an admin client has not seen yet).
    func journal(after sequence: Int64, limit: Int) throws -> [JournalEntry]
    /// What the journal's limit removed since the journal was last emptied, so that a
    /// reader knows the journal it reads is not the whole story.
    func journalPruning() throws -> JournalPruning
    /// How far the backend's clock runs ahead of the wall clock (`POST /__admin/clock`),
    /// in milliseconds; shared by every process on the store.
    func clockOffset() throws -> Int64
    /// Moves the clock on by `millis`; returns the new offset.
    func advanceClock(by millis: Int64) throws -> Int64
    /// Whether the armed rules live in the store, shared by every process on it
    /// (a second process arms rules for a running server).
    var sharesRules: Bool { get }
    /// The armed rules as the store holds them; `nil` when none were ever saved.
    func loadRules() throws -> RuleQueue?
    func saveRules(_ rules: RuleQueue) throws
    /// Forgets every session, PaymentIntent, journal entry, counter and armed rule.
    func removeEverything() throws
    /// The latest `limit` sessions, newest first.
    func recentSessions(limit: Int) throws -> [PaymentSession]
    /// The latest `limit` PaymentIntents, newest first.
    func recentIntents(limit: Int) throws -> [PaymentIntent]
    /// Problems met opening the store (a database moved aside), once.
    func drainNotices() -> [String]
    /// Why the store cannot be used at the moment (another process holds it locked,
    /// a read-only folder), in words; `nil` when it can.
    var unavailableReason: String? { get }
    /// Whether it keeps a journal at all (the explorer's stores do not: the backend then
    /// skips writing the journal's JSON).
    var keepsJournal: Bool { get }
}

extension BackendStore {
    public func atomically<T>(_ body: () throws -> T) throws -> T { try transaction(body) }
    public var unavailableReason: String? { nil }
    public var sharesRules: Bool { false }
    public func loadRules() throws -> RuleQueue? { nil }
    public func saveRules(_ rules: RuleQueue) throws {}
    public var keepsJournal: Bool { true }
}

/// An in-memory store for headless runs and tests.
public final class InMemoryBackendStore: BackendStore {
    private var sessions: [String: PaymentSession] = [:]
    private var sessionOrder: [String] = []
    private var intents: [String: PaymentIntent] = [:]
    private var intentOrder: [String] = []
    private var openKeys: Set<String> = []
    private var totals = BackendCounters()
    private var journal: [JournalEntry] = []
    /// The journal's newest lines kept (as `JournalLimit` says); 0 keeps no journal.
    private let journalCapacity: Int
    private var journalTotal: Int64 = 0
    private var pruning = JournalPruning.none
    private var clock: Int64 = 0

    public init(journalCapacity: Int = 1_000) {
        self.journalCapacity = journalCapacity
    }

    /// A store whose journal keeps `journalLimit` (`serve --in-memory --journal-limit N`).
    public convenience init(journalLimit: JournalLimit) {
        self.init(journalCapacity: journalLimit.entries)
    }

    public func transaction<T>(_ body: () throws -> T) throws -> T { try body() }

    public func session(key: String) throws -> PaymentSession? { sessions[key] }

    public func saveSession(_ session: PaymentSession) throws {
        if sessions.updateValue(session, forKey: session.key) == nil { sessionOrder.append(session.key) }
        if session.status == .open { openKeys.insert(session.key) } else { openKeys.remove(session.key) }
    }

    public func intent(id: String) throws -> PaymentIntent? { intents[id] }

    public func saveIntent(_ intent: PaymentIntent) throws {
        if intents.updateValue(intent, forKey: intent.id) == nil { intentOrder.append(intent.id) }
    }

    public func openSessions() throws -> [PaymentSession] {
        openKeys.compactMap { sessions[$0] }.sorted { $0.createdAtMillis < $1.createdAtMillis }
    }

    public func counters() throws -> BackendCounters { totals }

    public func addToCounters(sessions: Int, paymentIntents: Int, paid: Int) throws {
        totals.sessions += sessions
        totals.paymentIntents += paymentIntents
        totals.paid += paid
    }

    @discardableResult
    public func appendJournal(_ entry: JournalEntry) throws -> Int64 {
        journalTotal += 1
        var entry = entry
        entry.sequence = journalTotal
        guard journalCapacity > 0 else { return journalTotal }
        journal.append(entry)
        // As the SQLite store prunes: past the limit by the slack, back to the limit.
        if journal.count > journalCapacity + JournalLimit(entries: journalCapacity).slack {
            let removed = journal.count - journalCapacity
            pruning = JournalPruning(count: pruning.count + Int64(removed), through: journal[removed - 1].sequence)
            journal.removeFirst(removed)
        }
        return journalTotal
    }

    public func journalPruning() throws -> JournalPruning { pruning }

    public func clockOffset() throws -> Int64 { clock }

    public func advanceClock(by millis: Int64) throws -> Int64 {
        let (sum, overflow) = clock.addingReportingOverflow(max(millis, 0))
        clock = overflow ? SQLiteBackendStore.maxMillis : min(sum, SQLiteBackendStore.maxMillis)
        return clock
    }

    public func journalCount() throws -> Int { Int(journalTotal) }

    public func recentJournal(limit: Int) throws -> [JournalEntry] { Array(journal.suffix(limit)) }

    public func journal(after sequence: Int64, limit: Int) throws -> [JournalEntry] {
        Array(journal.lazy.filter { $0.sequence > sequence }.prefix(limit))
    }

    public func removeEverything() throws {
        sessions = [:]
        sessionOrder = []
        intents = [:]
        intentOrder = []
        openKeys = []
        totals = BackendCounters()
        journal = []
        pruning = .none
    }

    public func recentSessions(limit: Int) throws -> [PaymentSession] {
        sessionOrder.suffix(limit).reversed().compactMap { sessions[$0] }
    }

    public func recentIntents(limit: Int) throws -> [PaymentIntent] {
        intentOrder.suffix(limit).reversed().compactMap { intents[$0] }
    }

    public func drainNotices() -> [String] { [] }

    /// A capacity of 0 keeps no journal.
    public var keepsJournal: Bool { journalCapacity > 0 }

    /// An independent copy of everything held (the explorer forks a state).
    public func copy() -> InMemoryBackendStore {
        let copy = InMemoryBackendStore(journalCapacity: journalCapacity)
        copy.sessions = sessions
        copy.sessionOrder = sessionOrder
        copy.intents = intents
        copy.intentOrder = intentOrder
        copy.openKeys = openKeys
        copy.totals = totals
        copy.journal = journal
        copy.journalTotal = journalTotal
        copy.pruning = pruning
        copy.clock = clock
        return copy
    }
}
