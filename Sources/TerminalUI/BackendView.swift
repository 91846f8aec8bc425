import MockBackend
import WireLint

/// What the backend panel shows, read from the store on ticks and after
/// actions so that rendering never touches the database.
public struct BackendView: Equatable, Sendable {
    public var rules: [String] = []
    /// The armed queue in order, with the firings left (`rotate ×2 left`).
    public var queue: [String] = []
    public var sessions: [PaymentSession] = []
    public var intents: [String: PaymentIntent] = [:]
    public var counters = BackendCounters()
    /// Open sessions whose key no client holds, known as such: their keys, and how many.
    public var orphans: Set<String> = []
    public var orphaned = 0
    /// Whether every client's key is known; `false` while `serve`'s lint has not read the journal yet.
    public var orphansKnown = true
    /// Keys real clients hold (`serve`: the last key the journal shows issued to each).
    public var heldByClients: Set<String> = []
    public var journalCount = 0
    /// Why the backend's database cannot be used now (another tab holds it locked).
    public var unavailable: String?
    /// False until the store was first read (the first frame comes before).
    public var loaded = false
}

extension AppModel {
    /// Which open sessions are orphans: their key is held by no client. The shopper holds its
    /// stored key (or the one a reply on its way brings); without `serve` it is the only
    /// client. Serving, each real client holds the key last issued to it, from the lint's
    /// reading of the journal and the rows that came in since; until the lint has read the
    /// journal nothing is called an orphan.
    func markOrphans(_ view: inout BackendView) {
        var held: Set<String> = simulation.storedKey.map { [$0] } ?? []
        if let wire {
            guard let lint = wire.lint else {
                view.orphansKnown = false
                return
            }
            for client in lint.clients where client.client != WireExchange.simulatedClient {
                if let issued = client.issued { view.heldByClients.insert(issued) }
            }
            var latest: [String: String] = [:]
            for row in wire.rows { if let key = row.returnedKey { latest[row.client] = key } }
            view.heldByClients.formUnion(latest.values)
            held.formUnion(view.heldByClients)
        }
        // A session made since the shopper sent a request still on its way may be that reply's: not known yet.
        let awaited = simulation.inFlight.filter { !$0.abandoned }.map(\.sentAtMillis).min() ?? .max
        view.orphans = Set(view.sessions.filter { $0.status == .open && !held.contains($0.key) && $0.createdAtMillis < awaited }.map(\.key))
        view.orphaned = view.orphans.count
    }
}
