import GRDB

/// The journal's bound and the backend's clock, both kept in the database so that every
/// process on a state directory sees the same.
extension SQLiteBackendStore {
    // MARK: - The journal's bound

    /// Deletes the oldest lines once the journal passes its limit by the slack; `last` is the
    /// last number the transaction gave. The journal's numbers have no gaps below the newest
    /// (except across a reset, which empties it), so `last - limit` is where to cut: no
    /// count of the rows is needed. The highest line always stays, so numbers go on as before.
    func pruneJournalIfDue(_ db: Database, last: Int64?) throws {
        guard let last else { return }
        if let pruneDue, last < pruneDue { return }
        let cut = last - Int64(journalLimit.entries)
        if cut > 0 {
            try db.cachedStatement(sql: "DELETE FROM journal WHERE seq <= ?").execute(arguments: [cut])
            let removed = db.changesCount
            if removed > 0 {
                try db.cachedStatement(sql: """
                    INSERT INTO journal_pruned (id, last_seq, count) VALUES (1, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET last_seq = excluded.last_seq, count = count + excluded.count
                    """).execute(arguments: [cut, removed])
            }
        }
        pruneDue = last + Int64(journalLimit.slack)
    }

    public func journalPruning() throws -> JournalPruning {
        try withDB { db in
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT count, last_seq FROM journal_pruned WHERE id = 1")) else {
                return .none
            }
            return JournalPruning(count: try row.decode(atIndex: 0), through: try row.decode(atIndex: 1))
        }
    }

    // MARK: - The clock

    public func clockOffset() throws -> Int64 {
        if db != nil, let clockCache { return clockCache }
        let offset = try withDB { db in try Int64.fetchOne(db.cachedStatement(sql: "SELECT offset_millis FROM clock WHERE id = 1")) ?? 0 }
        // Good for the rest of this transaction: nobody else can write meanwhile.
        if db != nil { clockCache = offset }
        return offset
    }

    public func advanceClock(by millis: Int64) throws -> Int64 {
        try atomically {
            // Kept within the times this program writes, so that no arithmetic on it overflows.
            let (sum, overflow) = max(try clockOffset(), 0).addingReportingOverflow(max(millis, 0))
            let offset = overflow ? Self.maxMillis : min(sum, Self.maxMillis)
            try withWriteDB { db in
                try db.cachedStatement(sql: "INSERT INTO clock (id, offset_millis) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET offset_millis = excluded.offset_millis")
                    .execute(arguments: [offset])
            }
            if db != nil { clockCache = offset }
            return offset
        }
    }
}
