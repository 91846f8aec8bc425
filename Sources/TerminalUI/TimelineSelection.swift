import Simulation

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
}
