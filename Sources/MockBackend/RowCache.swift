import Foundation

/// Sessions and PaymentIntents as the writer's connection last read or wrote them, so
/// that a retried validation reads its session and PaymentIntent without a query.
///
/// It is used only inside a write transaction, and is emptied whenever it could be
/// wrong: when another connection has committed since (`PRAGMA data_version` changed),
/// when a transaction or a savepoint rolls back, and when everything is removed. The
/// rows it keeps are the ones the database holds after each write, column for column:
/// a write that changes only some columns changes only those here. Keys are compared
/// byte for byte, as SQLite compares them (Swift's `==` would take "é" and "e"
/// followed by a combining accent for one key).
struct RowCache {
    /// Past this many rows of a kind, that kind is emptied (memory stays flat under any load).
    static let capacity = 4_096

    private var sessions: [ExactKey: PaymentSession] = [:]
    private var intents: [ExactKey: PaymentIntent] = [:]

    func session(key: String) -> PaymentSession? { sessions[ExactKey(key)] }
    func intent(id: String) -> PaymentIntent? { intents[ExactKey(id)] }

    /// A session as read from the database by `key`.
    mutating func read(_ session: PaymentSession) {
        if sessions.count >= Self.capacity { sessions.removeAll(keepingCapacity: true) }
        sessions[ExactKey(session.key)] = session
    }

    /// A PaymentIntent as read from the database by its id.
    mutating func read(_ intent: PaymentIntent) {
        if intents.count >= Self.capacity { intents.removeAll(keepingCapacity: true) }
        intents[ExactKey(intent.id)] = intent
    }

    /// A session updated in place: its PaymentIntent, status and time (the columns the update sets).
    mutating func updated(_ session: PaymentSession) {
        let key = ExactKey(session.key)
        guard var cached = sessions[key] else { return }
        cached.paymentIntentID = session.paymentIntentID
        cached.status = session.status
        cached.lastValidatedAtMillis = session.lastValidatedAtMillis
        sessions[key] = cached
    }

    /// A PaymentIntent saved: inserted whole, or, when it existed, its amount, status and
    /// time updated (the columns the upsert sets). Not known to be new, it is not kept.
    mutating func saved(_ intent: PaymentIntent) {
        let key = ExactKey(intent.id)
        guard var cached = intents[key] else { return }
        cached.amountCents = intent.amountCents
        cached.status = intent.status
        cached.updatedAtMillis = intent.updatedAtMillis
        intents[key] = cached
    }

    /// Forgets every row.
    mutating func removeAll() {
        sessions.removeAll()
        intents.removeAll()
    }
}

/// A string equal to another only when their UTF-8 bytes are.
struct ExactKey: Hashable {
    let text: String

    init(_ text: String) { self.text = text }

    static func == (lhs: ExactKey, rhs: ExactKey) -> Bool {
        var left = lhs.text, right = rhs.text
        return left.withUTF8 { left in
            right.withUTF8 { right in
                // `memcmp`, not `elementsEqual`, which compares a byte at a time through iterators.
                guard left.count == right.count else { return false }
                guard let a = left.baseAddress, let b = right.baseAddress else { return true }
                return memcmp(a, b, left.count) == 0
            }
        }
    }

    func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
