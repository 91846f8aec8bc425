import NIOConcurrencyHelpers
import NIOCore

/// Keeps the open connections under `limit`, below the descriptor limit, so that `accept`
/// never fails for want of a descriptor (it would be retried in a loop) and a new client is
/// served even when every connection is taken: past the limit, the oldest connection that
/// waits for a request is closed to make room, and if every one has a request in progress
/// (held faults), the new one is closed.
final class ConnectionLimiter: Sendable {
    private struct Entry {
        let channel: any Channel
        let order: UInt64
        var idle: Bool
    }

    private struct Connections {
        var open: [ObjectIdentifier: Entry] = [:]
        var opened: UInt64 = 0
    }

    let limit: Int
    private let connections = NIOLockedValueBox(Connections())

    init(limit: Int) { self.limit = max(1, limit) }

    /// Registers `channel`; `false` if it must be closed at once.
    func opened(_ channel: any Channel) -> Bool {
        let (admitted, evicted) = connections.withLockedValue { connections -> (Bool, (any Channel)?) in
            var evicted: (any Channel)?
            if connections.open.count >= limit {
                guard let oldest = connections.open.values.filter(\.idle).min(by: { $0.order < $1.order }) else { return (false, nil) }
                connections.open[ObjectIdentifier(oldest.channel)] = nil
                evicted = oldest.channel
            }
            connections.opened += 1
            connections.open[ObjectIdentifier(channel)] = Entry(channel: channel, order: connections.opened, idle: true)
            return (true, evicted)
        }
        evicted?.close(promise: nil)
        return admitted
    }

    /// Whether `channel` waits for a request (and may be closed to make room).
    func setIdle(_ channel: any Channel, _ idle: Bool) {
        connections.withLockedValue { $0.open[ObjectIdentifier(channel)]?.idle = idle }
    }

    func closed(_ channel: any Channel) {
        connections.withLockedValue { $0.open[ObjectIdentifier(channel)] = nil }
    }
}
