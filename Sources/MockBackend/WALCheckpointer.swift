import CheckoutCore
import Foundation
import GRDB
import Synchronization

/// Copies what a state directory's WAL holds into the database file, on a connection
/// of its own, and lets the WAL start over so that it stays small. `serve` calls
/// it about once a second, with a store made with `checkpointsInBackground`, so that a
/// checkpoint's sync never lands inside a request.
public final class WALCheckpointer: Sendable {
    private let path: String
    /// The checkpoints' own connection, opened by the first one that finds the database;
    /// held while a checkpoint runs, so that two never overlap.
    private let connection = Mutex<DatabaseQueue?>(nil)

    /// The WAL's length (in frames, 4 KiB each) past which a checkpoint also restarts it.
    /// A restart holds the writers back while it finishes and syncs the database file,
    /// so it is kept for a WAL that the writers' own restarts did not keep short.
    public static let restartFrames = 4_096

    public init(directory: URL) {
        path = StateFiles.path(directory, SQLiteBackendStore.fileName)
    }

    /// One checkpoint; nothing when the database does not exist yet.
    public func checkpoint() {
        connection.withLock { queue in checkpoint(&queue) }
    }

    private func checkpoint(_ queue: inout DatabaseQueue?) {
        guard access(path, F_OK) == 0 else { return }
        do {
            if queue == nil {
                var configuration = Configuration()
                configuration.busyMode = .timeout(1)
                configuration.prepareDatabase { db in
                    try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
                    try db.execute(sql: "PRAGMA journal_size_limit = \(SQLiteBackendStore.walSizeLimit)")
                }
                queue = try DatabaseQueue(path: path, configuration: configuration)
            }
            // The copy and sync, waiting for nobody. Once all of the WAL is copied, the next
            // write starts it over by itself (it never grows while requests leave gaps between
            // them). Under a load without such gaps it does grow: past `restartFrames`, a restart
            // that has only the last frames left to copy, so writers wait briefly while it starts over.
            try queue?.writeWithoutTransaction { db in
                let (frames, _) = try db.checkpoint(.passive)
                if frames >= Self.restartFrames { _ = try db.checkpoint(.restart) }
            }
        } catch {
            // The next call tries again; the WAL keeps everything meanwhile.
        }
    }
}
