import ArgumentParser
import CheckoutCore
import Dispatch
import Foundation
import MockBackend
import MockServer
import Synchronization

/// Runs the server's async world from the synchronous command line.
enum ServerRunner {
    /// Serves until SIGINT or SIGTERM: stops accepting, finishes in-flight requests (a held one
    /// is closed at once), exits 0. The request log never holds a request up (`LogWriter`).
    static func runHeadless(host: BackendHost, options: ServerOptions, limits: TransportLimits,
                            log destination: LogDestination, format: LogFormat) throws {
        // A log reader that went away is an error for the log's writer, not the end of the server.
        signal(SIGPIPE, SIG_IGN)
        let writer = try logWriter(destination, format: format)
        let log = writer.map { writer in RequestLog(format: format) { writer.write($0) } }
        let app = CheckoutServer.application(host: host, options: options, log: log, limits: limits) { port in
            // First, and at once: nothing has been logged yet (no request is handled before this returns).
            RequestLog.standardOutput("listening on http://\(displayHost(options.host)):\(port)\n")
        }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do {
                try await app.runService()
            } catch {
                outcome.failure = error
            }
            done.signal()
        }
        done.wait()
        if let failure = outcome.failure {
            throw UsageError("cannot serve on \(options.host):\(options.port): \(describe(failure))")
        }
        if let writer { finish(writer) }
        // Every request was answered and every transaction committed. The event loops may still
        // be closing connections a client keeps opening: leave without running exit()'s global
        // destructors under their feet (that freed memory still in use, under load).
        fflush(nil)
        _exit(0)
    }

    /// The request log's writer for `--log`, or `nil` for `off`.
    private static func logWriter(_ destination: LogDestination, format: LogFormat) throws -> LogWriter? {
        switch destination {
        case .off:
            return nil
        case .standardOutput:
            return LogWriter(descriptor: STDOUT_FILENO, dropped: format.droppedLine)
        case .file(let path):
            let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw UsageError("cannot open the request log \(UntrustedText.escaped(path, limit: 200)): \(String(cString: strerror(errno)))")
            }
            return LogWriter(descriptor: descriptor, dropped: format.droppedLine)
        }
    }

    /// Gives the log a moment to be written out, then says on stderr what was lost; never
    /// waits for a reader who does not read.
    private static func finish(_ writer: LogWriter) {
        let complete = writer.finish(timeout: .milliseconds(300))
        let dropped = writer.droppedCount
        var said: [String] = []
        if dropped > 0 { said.append("\(dropped) request log line\(dropped == 1 ? " was" : "s were") dropped (the log was not read as fast as it was written)") }
        if !complete { said.append("the last request log lines were not written: nothing read them") }
        guard !said.isEmpty else { return }
        var message = "checkout-sim: " + said.joined(separator: "; ")
        // Only if stderr takes it now: its reader may be gone as well.
        var ready = pollfd(fd: STDERR_FILENO, events: Int16(POLLOUT), revents: 0)
        if poll(&ready, 1, 0) == 1, ready.revents & Int16(POLLOUT) != 0 {
            message += "\n"
            message.withUTF8 { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
        }
    }

    /// Starts serving in the background (for the TUI); `stop` ends it and waits.
    static func start(host: BackendHost, options: ServerOptions, limits: TransportLimits,
                      onListening: @escaping @Sendable (Int) -> Void, onFailure: @escaping @Sendable (String) -> Void) -> () -> Void {
        let app = CheckoutServer.application(host: host, options: options, log: nil, limits: limits) { port in onListening(port) }
        let done = DispatchSemaphore(value: 0)
        let task = Task.detached {
            do {
                try await app.runService(gracefulShutdownSignals: [])
            } catch is CancellationError {
            } catch {
                onFailure("cannot serve on \(options.host):\(options.port): \(describe(error))")
            }
            done.signal()
        }
        return {
            task.cancel()
            done.wait()
        }
    }

    /// Checkpoints the WAL on a thread of its own, once a second, for as long as the process lives.
    static func checkpointEverySecond(_ checkpointer: WALCheckpointer) {
        let thread = Thread {
            while true {
                Thread.sleep(forTimeInterval: 1)
                checkpointer.checkpoint()
            }
        }
        thread.name = "wal-checkpoint"
        thread.start()
    }

    /// `[::1]` for an IPv6 address in a URL.
    static func displayHost(_ host: String) -> String { host.contains(":") ? "[\(host)]" : host }

    static func describe(_ error: Error) -> String {
        let text = "\(error)"
        if text.contains("Address already in use") || text.contains("EADDRINUSE") { return "the address is already in use (try --port 0)" }
        return text
    }
}

/// What the server's task ended with.
private final class Outcome: Sendable {
    private let stored = Mutex<(any Error)?>(nil)
    var failure: (any Error)? {
        get { stored.withLock { $0 } }
        set { stored.withLock { $0 = newValue } }
    }
}
