import CheckoutCore
import Foundation
import GRDB

/// Copies what a state directory's WAL holds into the database file, on a connection
/// of its own, and lets the WAL start over so that it stays small. `serve` calls
/// it about once a second, with a store made with `checkpointsInBackground`, so that a
/// checkpoint's sync never lands inside a request.
public final class WALCheckpointer: @unchecked Sendable {
    private let path: String
    private let lock = NSLock()
    private var queue: DatabaseQueue?

    public init(directory: URL) {
        path = StateFiles.path(directory, SQLiteBackendStore.fileName)
    }

    /// One checkpoint; nothing when the database does not exist yet.
    public func checkpoint() {
        lock.lock()
        defer { lock.unlock() }
        guard access(path, F_OK) == 0 else { return }
        do {
            if queue == nil {
                var configuration = Configuration()
                configuration.busyMode = .timeout(1)
                configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
                queue = try DatabaseQueue(path: path, configuration: configuration)
            }
            // The long copy and sync first, waiting for nobody; then a restart that has only the
            // last frames left to copy, so writers wait briefly while the WAL starts over.
            try queue?.writeWithoutTransaction { db in
                _ = try db.checkpoint(.passive)
                _ = try db.checkpoint(.restart)
            }
        } catch {
            // The next call tries again; the WAL keeps everything meanwhile.
        }
    }
}
