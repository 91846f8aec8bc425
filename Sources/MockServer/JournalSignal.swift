import Foundation
import Synchronization

/// Wakes the journal's long polls (`GET /__admin/journal?wait=`) when this process adds to
/// the journal, instead of each poll reading it again on a timer. A poll sleeps until the
/// next change, its deadline, or `stop()` (shutdown), whichever comes first.
final class JournalSignal: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var stopped = false
        var nextID = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    /// Changes each time the journal may have grown.
    var current: UInt64 { state.withLock { $0.generation } }

    /// How many polls sleep now.
    var sleeping: Int { state.withLock { $0.waiters.count } }

    /// The journal may have grown: every sleeping poll wakes.
    func notify() {
        let woken: [CheckedContinuation<Void, Never>] = state.withLock { state in
            state.generation &+= 1
            guard !state.waiters.isEmpty else { return [] }
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in woken { waiter.resume() }
    }

    /// Wakes every poll now and every later one at once (the server is stopping).
    func stop() {
        state.withLock { $0.stopped = true }
        notify()
    }

    var isStopped: Bool { state.withLock { $0.stopped } }

    /// Sleeps until the generation differs from `seen`, `timeout` passes, or the signal stops.
    func wait(after seen: UInt64, timeout: Duration) async {
        let id: Int? = state.withLock { state in
            guard state.generation == seen, !state.stopped else { return nil }
            state.nextID += 1
            return state.nextID
        }
        guard let id else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let registered = state.withLock { state in
                guard state.generation == seen, !state.stopped else { return false }
                state.waiters[id] = continuation
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
        let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
        waiter?.resume()
    }
}
