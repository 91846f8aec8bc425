import Foundation

/// The journal lines of a write transaction, numbered as they are added and inserted
/// together just before it commits: a `serve` batch writes three or more lines for each
/// request, and one statement for many rows costs a fraction of one statement per row
/// (each of which also rewrites the table's AUTOINCREMENT counter).
///
/// The numbers are the ones SQLite would have given: the transaction holds the write
/// lock, so nobody else can insert meanwhile.
struct PendingJournal {
    /// At most this many rows per statement (five parameters each, well under SQLite's limit).
    static let rowsPerStatement = 32

    private(set) var lines: [(sequence: Int64, entry: JournalEntry)] = []
    /// The number the next line gets; `nil` until the transaction's first line.
    private var next: Int64?
    /// The highest number given as of this connection's last commit, while no other
    /// connection has committed since (then it is forgotten, and read again).
    private var committed: Int64?

    /// Numbers `entry` and keeps it; `last` reads the highest number given when neither
    /// this transaction nor the last commit knows it. Past the largest number there is
    /// none to give (SQLite's own AUTOINCREMENT says the database is full then).
    mutating func append(_ entry: JournalEntry, last: () throws -> Int64) throws -> Int64 {
        let sequence = try next ?? max(committed ?? last(), 0).addingReportingOverflow(1).partialValue
        guard sequence > 0 else { throw BackendStoreError.unusable("the journal has no line number left to give") }
        next = sequence &+ 1
        lines.append((sequence, entry))
        return sequence
    }

    /// The last number this transaction gave; `nil` when it gave none.
    var lastGiven: Int64? { next.map { $0 &- 1 } }

    /// Forgets every line (the transaction ended, committed or not).
    mutating func reset() {
        lines = []
        next = nil
    }

    /// The transaction committed: the numbers it gave are taken.
    mutating func commit() {
        if let next { committed = next &- 1 }
        reset()
    }

    /// Another connection may have given numbers since (or a line went in outside a transaction).
    mutating func forgetCommitted() {
        committed = nil
    }

    /// Inserts the lines kept so far through `execute` (SQL, then a binder of its
    /// parameters), a statement per `rowsPerStatement` rows, and forgets them.
    mutating func flush(_ execute: (String, (inout SQLiteHotPath.Binder) -> Void) throws -> Void) throws {
        var start = 0
        while start < lines.count {
            let chunk = lines[start..<min(start + Self.rowsPerStatement, lines.count)]
            try execute(Self.inserts[chunk.count]) { binder in
                for (sequence, entry) in chunk {
                    binder.bind(sequence)
                    binder.bind(entry.atMillis)
                    binder.bind(entry.kind.rawValue)
                    binder.bind(entry.method)
                    binder.bind(entry.detail.stored)
                }
            }
            start += chunk.count
        }
        lines.removeAll(keepingCapacity: true)
    }

    /// `INSERT INTO journal … VALUES (?, ?, ?, ?, ?), …`, by its number of rows.
    static let inserts: [String] = (0...rowsPerStatement).map { rows in
        "INSERT INTO journal (seq, at, kind, method, detail) VALUES "
            + Array(repeating: "(?, ?, ?, ?, ?)", count: rows).joined(separator: ", ")
    }
}
