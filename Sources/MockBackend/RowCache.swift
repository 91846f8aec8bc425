/// Sessions and PaymentIntents as the writer's connection last read or wrote them, so
/// that a retried validation reads its session and PaymentIntent without a query.
///
/// It is used only inside a write transaction, and is emptied whenever it could be
/// wrong: when another connection has committed since (`PRAGMA data_version` changed),
/// when a transaction or a savepoint rolls back, and when everything is removed. The
/// rows it keeps are the ones the database holds after each write, column for column:
/// a write that changes only some columns changes only those here.
struct RowCache {
    /// Past this many rows of a kind, that kind is emptied (memory stays flat under any load).
    static let capacity = 4_096

    private var sessions: [String: PaymentSession] = [:]
    private var intents: [String: PaymentIntent] = [:]

    func session(key: String) -> PaymentSession? { sessions[key] }
    func intent(id: String) -> PaymentIntent? { intents[id] }

    /// A session as read from the database.
    mutating func read(_ session: PaymentSession) {
        if sessions.count >= Self.capacity { sessions.removeAll(keepingCapacity: true) }
        sessions[session.key] = session
    }

    /// A PaymentIntent as read from the database.
    mutating func read(_ intent: PaymentIntent) {
        if intents.count >= Self.capacity { intents.removeAll(keepingCapacity: true) }
        intents[intent.id] = intent
    }

    /// A session updated in place: its PaymentIntent, status and time (the columns the update sets).
    mutating func updated(_ session: PaymentSession) {
        guard var cached = sessions[session.key] else { return }
        cached.paymentIntentID = session.paymentIntentID
        cached.status = session.status
        cached.lastValidatedAtMillis = session.lastValidatedAtMillis
        sessions[session.key] = cached
    }

    /// A PaymentIntent saved: inserted whole, or, when it existed, its amount, status and
    /// time updated (the columns the upsert sets). Not known to be new, it is not kept.
    mutating func saved(_ intent: PaymentIntent) {
        guard var cached = intents[intent.id] else { return }
        cached.amountCents = intent.amountCents
        cached.status = intent.status
        cached.updatedAtMillis = intent.updatedAtMillis
        intents[intent.id] = cached
    }

    /// Forgets every row.
    mutating func removeAll() {
        sessions.removeAll()
        intents.removeAll()
    }
}
