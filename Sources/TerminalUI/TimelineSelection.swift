import Simulation
import WireLint

/// A row of the timeline: the shopper's request (its number) or a real client's (`serve`, its `WireRow.number`).
public enum TimelineSelection: Equatable, Sendable {
    case request(Int)
    case wire(Int)
}

extension AppModel {
    /// The answered rows in the timeline's order (the shopper's and real clients', as sent).
    func timelineRows() -> [TimelineSelection] {
        let entries = simulation.timeline, wireRows = wire?.rows ?? []
        return View.timelineItems(entries, wireRows).compactMap { item in
            switch item {
            case .entry(let index): .request(entries[index].number)
            case .wire(let index): .wire(wireRows[index].number)
            case .pending: nil
            }
        }
    }

    /// The selected row, or the newest when none is (or the selected one is gone).
    func selectedRow() -> TimelineSelection? {
        let rows = timelineRows()
        if let timelineSelection, rows.contains(timelineSelection) { return timelineSelection }
        return rows.last
    }

    /// Which open sessions are orphans: their key is held by no client. The shopper's key is
    /// its stored key (or the one a reply on its way brings); without `serve` it is the only client. Serving, each real client holds
    /// the key last issued to it, from the lint's reading of the journal and the rows that
    /// came in since; until the lint has read the journal nothing is called an orphan.
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
