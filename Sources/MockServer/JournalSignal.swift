import Foundation

/// Wakes the journal's long polls (`GET /__admin/journal?wait=`) when this process adds to
/// the journal, instead of each poll reading it again on a timer. A poll sleeps until the
/// next change, its deadline, or `stop()` (shutdown), whichever comes first.
final class JournalSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var generation: UInt64 = 0
    private var stopped = false
    private var nextID = 0
    private var waiters: [Int: CheckedContinuation<Void, Never>] = [:]

    /// Changes each time the journal may have grown.
    var current: UInt64 { lock.withLock { generation } }

    /// How many polls sleep now.
    var sleeping: Int { lock.withLock { waiters.count } }

    /// The journal may have grown: every sleeping poll wakes.
    func notify() {
        let woken: [CheckedContinuation<Void, Never>] = lock.withLock {
            generation &+= 1
            guard !waiters.isEmpty else { return [] }
            defer { waiters = [:] }
            return Array(waiters.values)
        }
        for waiter in woken { waiter.resume() }
    }

    /// Wakes every poll now and every later one at once (the server is stopping).
    func stop() {
        lock.withLock { stopped = true }
        notify()
    }

    var isStopped: Bool { lock.withLock { stopped } }

    /// Sleeps until the generation differs from `seen`, `timeout` passes, or the signal stops.
    func wait(after seen: UInt64, timeout: Duration) async {
        let id: Int? = lock.withLock {
            guard generation == seen, !stopped else { return nil }
            nextID += 1
            return nextID
        }
        guard let id else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let registered = lock.withLock {
                guard generation == seen, !stopped else { return false }
                waiters[id] = continuation
                return true
            }
            guard registered else { return continuation.resume() }
            let (seconds, attoseconds) = timeout.components
            let nanos = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(max(nanos, 0))) { [weak self] in self?.wake(id) }
        }
    }

    /// Wakes one poll, if it still sleeps.
    func wake(_ id: Int) {
        let waiter = lock.withLock { waiters.removeValue(forKey: id) }
        waiter?.resume()
    }
}
