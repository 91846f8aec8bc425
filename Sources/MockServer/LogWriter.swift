import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes lines to a descriptor on a thread of its own, so that a reader who stops reading
/// (a CI script that read the `listening on` line and nothing more, leaving a full pipe) never
/// holds up a request: up to `capacity` lines wait; past that, lines are dropped and counted,
/// and `dropped(n)` is written once the writer has caught up.
public final class LogWriter: @unchecked Sendable {
    /// Lines waiting at most, by default (a line is at most about 700 bytes).
    public static let defaultCapacity = 4096

    private let descriptor: Int32
    private let capacity: Int
    private let dropped: @Sendable (Int) -> String
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var waiting: [String] = []
    private var droppedSinceReport = 0
    private var droppedInAll = 0
    private var finishing = false
    private var done = false
    private var broken = false

    /// Starts the writer thread on `descriptor` (not closed by it); `dropped` is the line
    /// reporting `n` lines dropped.
    public init(descriptor: Int32, capacity: Int = LogWriter.defaultCapacity, dropped: @escaping @Sendable (Int) -> String) {
        self.descriptor = descriptor
        self.capacity = capacity
        self.dropped = dropped
        let thread = Thread { [self] in run() }
        thread.name = "request-log"
        thread.start()
    }

    /// Queues `line` (ending in a newline); never waits for the descriptor.
    public func write(_ line: String) {
        condition.lock()
        defer { condition.unlock() }
        guard !finishing else { return }
        if waiting.count >= capacity || broken {
            droppedSinceReport += 1
            droppedInAll += 1
            return
        }
        waiting.append(line)
        if waiting.count == 1 { condition.signal() }
    }

    /// Lines dropped so far.
    public var droppedCount: Int { condition.withLock { droppedInAll } }

    /// Lets the writer write what waits, for at most `timeout`; whether everything was written.
    /// A writer still blocked then (nobody reads the pipe) is left behind: the process is exiting.
    public func finish(timeout: Duration) -> Bool {
        let deadline = Date().addingTimeInterval(Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18)
        condition.lock()
        defer { condition.unlock() }
        finishing = true
        condition.broadcast()
        while !done {
            if !condition.wait(until: deadline) { break }
        }
        return done
    }

    private func run() {
        while true {
            condition.lock()
            while waiting.isEmpty && droppedSinceReport == 0 && !finishing { condition.wait() }
            let lines = waiting
            let droppedNow = droppedSinceReport
            let last = finishing
            waiting = []
            droppedSinceReport = 0
            condition.unlock()

            var text = lines.joined()
            // The lines dropped came after those waiting (only a full queue drops): reported after them.
            if droppedNow > 0 { text += dropped(droppedNow) }
            if !text.isEmpty, !writeFully(descriptor, text) {
                condition.withLock { broken = true }
            }
            if last {
                condition.withLock {
                    if waiting.isEmpty && droppedSinceReport == 0 { done = true }
                    condition.broadcast()
                }
                if condition.withLock({ done }) { return }
            }
        }
    }
}

/// Writes every byte, going on after a partial or interrupted write; `false` on an error
/// (the reader is gone: EPIPE, with SIGPIPE ignored).
private func writeFully(_ descriptor: Int32, _ text: String) -> Bool {
    var text = text
    return text.withUTF8 { bytes in
        guard let base = bytes.baseAddress else { return true }
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN {
                    // A non-blocking descriptor (inherited): wait until it takes more.
                    var ready = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&ready, 1, -1)
                    continue
                }
                return false
            }
            offset += written
        }
        return true
    }
}
