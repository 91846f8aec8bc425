import ArgumentParser
import Dispatch
import Foundation
import MockBackend
import MockServer

/// Runs the server's async world from the synchronous command line.
enum ServerRunner {
    /// Serves until SIGINT or SIGTERM: stops accepting, finishes in-flight requests, exits 0.
    static func runHeadless(host: BackendHost, options: ServerOptions, logFormat: LogFormat) throws {
        let log = RequestLog(format: logFormat)
        let app = CheckoutServer.application(host: host, options: options, log: log) { port in
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
            printError("cannot serve on \(options.host):\(options.port): \(describe(failure))")
            throw ExitCode(2)
        }
        // Every request was answered and every transaction committed. The event loops may still
        // be closing connections a client keeps opening: leave without running exit()'s global
        // destructors under their feet (that freed memory still in use, under load).
        fflush(nil)
        _exit(0)
    }

    /// Starts serving in the background (for the TUI); `stop` ends it and waits.
    static func start(host: BackendHost, options: ServerOptions,
                      onListening: @escaping @Sendable (Int) -> Void, onFailure: @escaping @Sendable (String) -> Void) -> () -> Void {
        let app = CheckoutServer.application(host: host, options: options, log: nil) { port in onListening(port) }
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
private final class Outcome: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Error?
    var failure: Error? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
