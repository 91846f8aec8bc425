import Foundation
import GRDB
import Testing
@testable import MockBackend
import TestSupport

/// The journal keeps its newest lines; what was pruned is said, and numbers are never given twice.
@Suite("Journal limit")
struct JournalLimitTests {
    private let temporary = TemporaryDirectory("checkout-sim-limit")

    private func line(_ n: Int) -> JournalEntry {
        JournalEntry(atMillis: Int64(n), kind: .rule, method: "rule", detail: "line \(n)")
    }

    private func rows(_ directory: URL) throws -> (count: Int, first: Int64, last: Int64) {
        let queue = try DatabaseQueue(path: directory.appendingPathComponent(SQLiteBackendStore.fileName).path)
        defer { try? queue.close() }
        return try queue.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT COUNT(*), IFNULL(MIN(seq), 0), IFNULL(MAX(seq), 0) FROM journal")!
            return (row[0], row[1], row[2])
        }
    }

    @Test("the SQLite journal keeps its newest lines, pruned in chunks; the pruning is recorded and survives a restart")
    func sqlitePrunes() throws {
        let directory = temporary.folder()
        let limit = JournalLimit(entries: 100)
        let store = try SQLiteBackendStore(directory: directory, journalLimit: limit)
        for n in 1...1_000 { try store.appendJournal(line(n)) }
        let (count, first, last) = try rows(directory)
        #expect(last == 1_000)
        #expect(count >= 100 && count <= 100 + limit.slack, "\(count) lines kept")
        #expect(first == last - Int64(count) + 1, "the newest lines are kept, without gaps")
        let pruning = try store.journalPruning()
        #expect(pruning.through == first - 1)
        #expect(pruning.count == first - 1)
        #expect(try store.journal(after: 0, limit: 1).first?.sequence == first)
        // Another process (`checkout-sim lint`) reads the same.
        #expect(try SQLiteBackendStore(directory: directory).journalPruning() == pruning)
    }

    @Test("pruning never gives a number twice, and a reset forgets what was pruned but not the numbers")
    func numbersAreNeverReused() throws {
        let directory = temporary.folder()
        let store = try SQLiteBackendStore(directory: directory, journalLimit: JournalLimit(entries: 10))
        for n in 1...50 { try store.appendJournal(line(n)) }
        #expect(try store.journalPruning().count > 0)
        try store.transaction { try store.removeEverything() }
        #expect(try store.journalPruning() == .none)
        #expect(try store.appendJournal(line(51)) == 51)
        let reopened = try SQLiteBackendStore(directory: directory, journalLimit: JournalLimit(entries: 10))
        #expect(try reopened.appendJournal(line(52)) == 52)
    }

    @Test("a long run's database stays the same size: freed pages are reused")
    func diskStaysFlat() throws {
        let directory = temporary.folder()
        let store = try SQLiteBackendStore(directory: directory, journalLimit: JournalLimit(entries: 500))
        let detail = String(repeating: "x", count: 1_000)
        func write(_ lines: Int) throws {
            for _ in 0..<lines / 50 {
                try store.transaction { for _ in 0..<50 { try store.appendJournal(JournalEntry(atMillis: 1, kind: .request, method: "m", detail: detail)) } }
            }
        }
        func size() throws -> Int {
            // Everything checkpointed into the file, as serve's checkpointer does.
            let queue = try DatabaseQueue(path: directory.appendingPathComponent(SQLiteBackendStore.fileName).path)
            defer { try? queue.close() }
            try queue.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
            return try #require(try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(SQLiteBackendStore.fileName).path)[.size] as? Int)
        }
        try write(2_000)
        let settled = try size()
        try write(10_000)
        #expect(try size() <= settled + 100_000, "the database grew from \(settled) bytes")
    }

    @Test("the in-memory store honours the same limit and says what it pruned")
    func inMemoryPrunes() throws {
        let store = InMemoryBackendStore(journalLimit: JournalLimit(entries: 100))
        for n in 1...1_000 { try store.appendJournal(line(n)) }
        let kept = try store.journal(after: 0, limit: 10_000)
        #expect(kept.count >= 100 && kept.count <= 100 + JournalLimit(entries: 100).slack)
        #expect(kept.last?.sequence == 1_000)
        #expect(try store.journalPruning() == JournalPruning(count: kept[0].sequence - 1, through: kept[0].sequence - 1))
    }

    @Test("the clock's offset is the state directory's: one store advances it, another sees it")
    func sharedClock() throws {
        let directory = temporary.folder()
        let first = try SQLiteBackendStore(directory: directory)
        let second = try SQLiteBackendStore(directory: directory)
        #expect(try second.clockOffset() == 0)
        #expect(try first.advanceClock(by: 90_000_000) == 90_000_000)
        #expect(try second.clockOffset() == 90_000_000)
        // Inside a transaction too, after it was read there once before.
        #expect(try second.transaction { try second.clockOffset() } == 90_000_000)
        #expect(try first.advanceClock(by: 1_000) == 90_001_000)
        #expect(try second.transaction { try second.clockOffset() } == 90_001_000)
        #expect(try second.advanceClock(by: 1_000) == 90_002_000)
        #expect(try first.clockOffset() == 90_002_000)
        // A huge advance stays a time this program writes.
        #expect(try first.advanceClock(by: .max) == SQLiteBackendStore.maxMillis)
        #expect(try SQLiteBackendStore(directory: directory).clockOffset() == SQLiteBackendStore.maxMillis)
    }
}
